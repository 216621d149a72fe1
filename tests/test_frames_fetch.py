"""Frames fetched from the sandbox through both transports: fan-out, regions, accounts, errors.

Each test creates the data it needs through boto3 calls; a test whose handlers the sandbox does
not emulate yet skips, naming them (``need``).
"""

from __future__ import annotations

import threading
import time
import warnings
from collections import Counter

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError

import ppv2kit
from ppv2kit.frames import FrameWarning, fetch, plan
from ppv2kit.frames.fetch import Runner, Task
from ppv2kit.sandbox import ServiceError

PAGINATED = [p.operation for p in ppv2kit.frames.plans()]
ACCOUNT = "123456789012"
OTHER = "111122223333"
TWO_REGIONS = ("us-east-1", "eu-west-2")
# Listings whose required members come from the caller, with values the smoke test passes.
SMOKE_PARAMS = {
    "ListAvailablePhoneNumbers": {
        "IsoCountryCode": "US",
        "NumberCapabilities": ["SMS"],
        "NumberType": "TEN_DLC",
    }
}


def need(sandbox, *operations):
    """Skip unless the sandbox emulates every one of ``operations``."""
    missing = sorted(set(operations) - set(sandbox.operations()))
    if missing:
        pytest.fail(f"the sandbox does not emulate {', '.join(missing)} yet")


@pytest.fixture(params=("inprocess", "http"))
def make_kit(request, sandbox):
    """``make_kit(regions=..., accounts=...)``: a sandbox kit, or an endpoint kit over HTTP."""
    servers = []

    def make(regions=("us-east-1",), accounts=(ACCOUNT,)):
        if request.param == "inprocess":
            return ppv2kit.connect(sandbox=sandbox, regions=list(regions), accounts=list(accounts))
        server = sandbox.serve()
        servers.append(server)
        sessions = [
            boto3.session.Session(
                aws_access_key_id=a, aws_secret_access_key="sandbox", region_name=regions[0]
            )
            for a in accounts
        ]
        return ppv2kit.connect(sessions=sessions, endpoint_url=server.url, regions=list(regions))

    yield make
    for server in servers:
        server.stop()


def request_number(client, number_type="TOLL_FREE", **params):
    return client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType=number_type,
        **params,
    )


def types(df):
    return {c: str(t) for c, t in df.dtypes.items()}


def frame_warnings(record):
    return [str(w.message) for w in record if issubclass(w.category, FrameWarning)]


# -- every listing -----------------------------------------------------------------------------

# The listings the sandbox emulates (with their parents): a dropped handler fails here.
EMULATED_LISTINGS = frozenset(
    {
        "DescribeAccountAttributes",
        "DescribeAccountLimits",
        "DescribeConfigurationSets",
        "DescribeKeywords",
        "DescribeOptOutLists",
        "DescribeOptedOutNumbers",
        "DescribePhoneNumbers",
        "DescribePools",
        "DescribeProtectConfigurations",
        "DescribeRegistrationAttachments",
        "DescribeRegistrationFieldDefinitions",
        "DescribeRegistrationFieldValues",
        "DescribeRegistrationSectionDefinitions",
        "DescribeRegistrationTypeDefinitions",
        "DescribeRegistrationVersions",
        "DescribeRegistrations",
        "DescribeSenderIds",
        "DescribeSpendLimits",
        "DescribeVerifiedDestinationNumbers",
        "ListAvailablePhoneNumbers",
        "ListPoolOriginationIdentities",
        "ListProtectConfigurationRuleSetNumberOverrides",
        "ListRegistrationAssociations",
        "DescribeNotifyConfigurations",
        "DescribeNotifyTemplates",
        "ListNotifyCountries",
        "DescribeRcsAgents",
        "DescribeRcsAgentCountryLaunchStatus",
    }
)
# Listings that have rows in every region of a new account (its settings, the Default list).
HELD_BY_EVERY_REGION = frozenset(
    {
        "DescribeAccountAttributes",
        "DescribeAccountLimits",
        "DescribeSpendLimits",
        "DescribeOptOutLists",
    }
)


@pytest.mark.parametrize("operation", PAGINATED)
def test_every_paginated_operation_gives_a_typed_frame(operation, make_kit, sandbox):
    kit = make_kit(regions=TWO_REGIONS)
    p = plan(operation)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        df = kit.frame(operation, progress=False, **SMOKE_PARAMS.get(operation, {}))
    assert types(df) == {c: str(t) for c, t in p.dtypes.items()}
    assert df.attrs["operation"] == operation
    assert df.attrs["regions"] == list(TWO_REGIONS)
    emulated = set(sandbox.operations())
    needed = {operation, *(s.operation for s in p.sources)}
    assert (needed <= emulated) == (operation in EMULATED_LISTINGS)
    if needed <= emulated:
        assert df.attrs["errors"] == []
        assert frame_warnings(record) == []
        if operation in HELD_BY_EVERY_REGION:
            assert set(df["Region"]) == set(TWO_REGIONS)
            assert set(df["Account"]) == {ACCOUNT}
    else:
        errors = df.attrs["errors"]
        assert {e["code"] for e in errors} == {"NotImplementedException"}
        assert {e["region"] for e in errors} == set(TWO_REGIONS)
        assert len(df) == 0
        assert operation in frame_warnings(record)[0]


def test_listings_every_region_holds_are_read_in_every_region(make_kit, sandbox):
    need(sandbox, "DescribeSpendLimits", "DescribeAccountLimits")
    kit = make_kit(regions=TWO_REGIONS)
    limits = kit.spend_limits()
    assert Counter(limits["Region"]) == {"us-east-1": 5, "eu-west-2": 5}
    assert types(limits)["EnforcedLimit"] == "Int64"
    assert types(limits)["Overridden"] == "boolean"
    assert limits["Name"].dtype == "category"
    assert (limits["MaxLimit"] >= limits["EnforcedLimit"]).all()
    account = kit.account_limits()
    assert set(account["Name"]) >= {"PHONE_NUMBERS", "POOLS"}


# -- phone numbers, keywords, pools, opt-outs ----------------------------------------------------


def test_phone_numbers_across_regions_with_their_dtypes(make_kit, sandbox):
    need(sandbox, "RequestPhoneNumber", "DescribePhoneNumbers")
    made = {
        "us-east-1": [request_number(sandbox.client(region_name="us-east-1")) for _ in range(2)],
        "eu-west-2": [request_number(sandbox.client(region_name="eu-west-2"))],
    }
    df = make_kit(regions=TWO_REGIONS).phone_numbers()
    assert Counter(df["Region"]) == {"us-east-1": 2, "eu-west-2": 1}
    for region, numbers in made.items():
        ids = set(df.loc[df["Region"] == region, "PhoneNumberId"])
        assert ids == {n["PhoneNumberId"] for n in numbers}
    row = df.iloc[0]
    assert row["Account"] == ACCOUNT
    assert row["NumberType"] == "TOLL_FREE" and df["NumberType"].dtype == "category"
    assert row["MonthlyLeasingPriceUSD"] == float(row["MonthlyLeasingPrice"])
    assert str(df["CreatedTimestamp"].dtype) == "datetime64[us, UTC]"
    first = made["us-east-1"][0]
    created = df.set_index("PhoneNumberId").loc[first["PhoneNumberId"], "CreatedTimestamp"]
    assert created == first["CreatedTimestamp"]
    assert df["NumberCapabilities"].iloc[0] == ["SMS"]
    assert df.attrs["fetched_at"].tzinfo is not None
    assert df.attrs["errors"] == []


def test_keywords_cover_every_phone_number_and_pool(make_kit, sandbox):
    need(sandbox, "RequestPhoneNumber", "CreatePool", "PutKeyword", "DescribeKeywords")
    identities = set()
    for region in TWO_REGIONS:
        client = sandbox.client(region_name=region)
        alone = request_number(client)["PhoneNumberId"]
        pooled = request_number(client)["PhoneNumberId"]
        pool = client.create_pool(OriginationIdentity=pooled, MessageType="TRANSACTIONAL")
        client.put_keyword(OriginationIdentity=alone, Keyword="INFO", KeywordMessage="Hours 9-5")
        identities |= {alone, pooled, pool["PoolId"]}
    kw = make_kit(regions=TWO_REGIONS).keywords()
    assert set(kw["OriginationIdentity"]) == identities
    assert kw["OriginationIdentityArn"].notna().all()
    assert set(kw["Keyword"]) >= {"HELP", "STOP", "INFO"}
    info = kw[kw["Keyword"] == "INFO"]
    assert len(info) == 2 and set(info["KeywordMessage"]) == {"Hours 9-5"}
    assert kw["KeywordAction"].dtype == "category"
    assert kw.attrs["errors"] == []


def test_pool_origination_identities_for_every_pool(make_kit, sandbox):
    need(sandbox, "RequestPhoneNumber", "CreatePool", "ListPoolOriginationIdentities")
    client = sandbox.client()
    members = {}
    for _ in range(2):
        phone = request_number(client)["PhoneNumberId"]
        pool = client.create_pool(OriginationIdentity=phone, MessageType="TRANSACTIONAL")
        members[pool["PoolId"]] = phone
    df = make_kit().pool_origination_identities()
    assert dict(zip(df["PoolId"], df["OriginationIdentity"], strict=True)) == members
    assert df["PoolArn"].str.endswith(tuple(members)).all()


def test_opted_out_numbers_cover_every_list(make_kit, sandbox):
    need(sandbox, "CreateOptOutList", "PutOptedOutNumber", "DescribeOptedOutNumbers")
    wanted = {}
    for region, lists in (("us-east-1", {"alerts": 3, "promos": 150}), ("eu-west-2", {"uk": 2})):
        client = sandbox.client(region_name=region)
        for name, count in lists.items():
            client.create_opt_out_list(OptOutListName=name)
            for i in range(count):
                client.put_opted_out_number(OptOutListName=name, OptedOutNumber=f"+1206555{i:04d}")
            wanted[(region, name)] = count
    df = make_kit(regions=TWO_REGIONS).opted_out_numbers()
    counted = Counter(zip(df["Region"], df["OptOutListName"], strict=True))
    assert counted == wanted  # 150 numbers span two pages; the Default lists are empty
    assert df["OptOutListArn"].str.contains(":opt-out-list/").all()
    assert types(df)["OptedOutTimestamp"] == "datetime64[us, UTC]"
    assert types(df)["EndUserOptedOut"] == "boolean" and not df["EndUserOptedOut"].any()


def test_a_given_parent_restricts_the_fan_out_and_other_regions_stay_quiet(make_kit, sandbox):
    need(sandbox, "RequestPhoneNumber", "DescribeKeywords")
    client = sandbox.client()
    mine = request_number(client)["PhoneNumberId"]
    request_number(client)
    kit = make_kit(regions=TWO_REGIONS)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        kw = kit.keywords(OriginationIdentity=mine)
    assert set(kw["OriginationIdentity"]) == {mine}
    assert set(kw["Keyword"]) == {"HELP", "STOP"}
    assert frame_warnings(record) == []
    assert [(e["region"], e["code"]) for e in kw.attrs["errors"]] == [
        ("eu-west-2", "ResourceNotFoundException")
    ]
    assert kw.attrs["params"] == {"OriginationIdentity": [mine]}


def test_parameters_and_friendly_filters_pass_through(make_kit, sandbox):
    need(sandbox, "RequestPhoneNumber", "DescribePhoneNumbers")
    client = sandbox.client()
    toll_free = request_number(client)["PhoneNumberId"]
    simulator = request_number(client, "SIMULATOR")["PhoneNumberId"]
    kit = make_kit()
    assert list(kit.phone_numbers(filters={"number_type": "SIMULATOR"})["PhoneNumberId"]) == [
        simulator
    ]
    only = kit.phone_numbers(Filters=[{"Name": "number-type", "Values": ["TOLL_FREE"]}])
    assert list(only["PhoneNumberId"]) == [toll_free]
    by_id = kit.frame("describe_phone_numbers", PhoneNumberIds=[simulator])
    assert list(by_id["PhoneNumberId"]) == [simulator]
    assert by_id.attrs["params"] == {"PhoneNumberIds": [simulator]}
    assert len(kit.phone_numbers(Owner="SHARED")) == 0


def test_tags_are_added_per_resource(make_kit, sandbox):
    need(sandbox, "RequestPhoneNumber", "ListTagsForResource")
    client = sandbox.client()
    tagged = request_number(client, Tags=[{"Key": "env", "Value": "prod"}])["PhoneNumberId"]
    bare = request_number(client)["PhoneNumberId"]
    df = make_kit().phone_numbers(with_tags=True).set_index("PhoneNumberId")
    assert df.loc[tagged, "Tags"] == {"env": "prod"}
    assert df.loc[bare, "Tags"] == {}
    with pytest.raises(ValueError, match="no tags"):
        make_kit().frame("DescribeSpendLimits", with_tags=True)


# -- accounts, regions, failures -----------------------------------------------------------------


def test_several_accounts_in_one_frame(make_kit, sandbox):
    need(sandbox, "CreateOptOutList", "DescribeOptOutLists")
    sandbox.client(account_id=ACCOUNT).create_opt_out_list(OptOutListName="mine")
    sandbox.client(account_id=OTHER).create_opt_out_list(OptOutListName="theirs")
    kit = make_kit(accounts=(ACCOUNT, OTHER))
    assert kit.accounts == [ACCOUNT, OTHER]
    df = kit.opt_out_lists()
    assert set(zip(df["Account"], df["OptOutListName"], strict=True)) == {
        (ACCOUNT, "Default"),
        (ACCOUNT, "mine"),
        (OTHER, "Default"),
        (OTHER, "theirs"),
    }
    assert df["OptOutListArn"].str.contains(OTHER).sum() == 2
    assert df.attrs["accounts"] == [ACCOUNT, OTHER]
    mine = kit.opt_out_lists(accounts=[OTHER])
    assert set(mine["Account"]) == {OTHER}


def deny(sandbox, region, operation):
    """Make the sandbox answer every ``operation`` in ``region`` with AccessDeniedException."""
    served = sandbox.invoke

    def invoke(name, params=None, **kw):
        if name == operation and kw.get("region") == region:
            raise ServiceError("AccessDeniedException", f"{region} is not enabled")
        return served(name, params, **kw)

    sandbox.invoke = invoke


def test_a_failing_region_does_not_sink_the_frame(make_kit, sandbox):
    need(sandbox, "DescribeSpendLimits")
    kit = make_kit(regions=TWO_REGIONS)
    deny(sandbox, "eu-west-2", "DescribeSpendLimits")
    with pytest.warns(FrameWarning, match=r"eu-west-2.*AccessDeniedException"):
        df = kit.spend_limits()
    assert set(df["Region"]) == {"us-east-1"} and len(df) == 5
    [error] = df.attrs["errors"]
    assert error["region"] == "eu-west-2" and error["code"] == "AccessDeniedException"
    assert error["message"] == "eu-west-2 is not enabled" and error["account"] == ACCOUNT


def test_a_region_whose_parents_fail_reports_the_parent_listing(make_kit, sandbox):
    need(sandbox, "DescribeOptOutLists", "DescribeOptedOutNumbers")
    kit = make_kit(regions=TWO_REGIONS)
    deny(sandbox, "us-east-1", "DescribeOptOutLists")
    with pytest.warns(FrameWarning, match="DescribeOptOutLists"):
        df = kit.opted_out_numbers()
    assert [(e["region"], e["operation"]) for e in df.attrs["errors"]] == [
        ("us-east-1", "DescribeOptOutLists")
    ]
    assert types(df) == {c: str(t) for c, t in plan("DescribeOptedOutNumbers").dtypes.items()}


def test_a_mistake_in_the_request_is_raised_not_captured(make_kit, sandbox):
    need(sandbox, "DescribePhoneNumbers")
    with pytest.raises(ParamValidationError):
        make_kit().phone_numbers(PhoneNumberIds="phone-1")
    with pytest.raises(TypeError, match="unexpected"):
        make_kit().phone_numbers(PhoneNumberID=["phone-1"])


def test_an_inventory_fetches_a_shared_parent_once(sandbox):
    need(sandbox, "RequestPhoneNumber", "DescribeKeywords")
    request_number(sandbox.client())
    kit = ppv2kit.connect(sandbox=sandbox, regions=["us-east-1"])
    seen = Counter()
    kit.client().meta.events.register(
        "before-call", lambda model, **_: seen.update([model.name]), unique_id="count"
    )
    frames = kit.frames(["DescribePhoneNumbers", "DescribeKeywords", "DescribePools"])
    assert list(frames) == ["phone_numbers", "keywords", "pools"]
    assert len(frames["phone_numbers"]) == 1 and len(frames["keywords"]) == 2
    assert seen["DescribePhoneNumbers"] == 1 and seen["DescribePools"] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FrameWarning)  # listings the sandbox does not emulate yet
        everything = kit.frames(progress=False)
    assert "available_phone_numbers" not in everything  # it needs the caller's parameters
    assert set(everything) >= {"phone_numbers", "keywords", "opted_out_numbers", "spend_limits"}


def test_progress_bar_on_request_and_off_on_request(sandbox, capsys):
    kit = ppv2kit.connect(sandbox=sandbox)
    kit.spend_limits(progress=False)
    assert capsys.readouterr().err == ""
    kit.spend_limits(progress=True)
    assert "spend_limits" in capsys.readouterr().err


# -- the runner ----------------------------------------------------------------------------------


class FakePages:
    """A stand-in client: each listing sleeps, then answers one page (optionally throttled)."""

    def __init__(self, throttle_first=0, delay=0.02):
        self.throttle = throttle_first
        self.delay = delay
        self.lock = threading.Lock()
        self.busy = Counter()
        self.peak = Counter()
        self.started = []

    def fetch_client(self, region, account, operation):
        return self

    def get_paginator(self, name):
        return self

    def paginate(self, PaginationConfig, **params):
        key = params["bucket"]
        with self.lock:
            self.started.append(key)
            if self.throttle:
                self.throttle -= 1
                raise ClientError(
                    {"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "List"
                )
            self.busy[key] += 1
            self.peak[key] = max(self.peak[key], self.busy[key])
            self.peak["*"] = max(self.peak["*"], sum(v for k, v in self.busy.items() if k != "*"))
        time.sleep(self.delay)
        with self.lock:
            self.busy[key] -= 1
        yield {"Items": [params], "NextToken": None}


def task(bucket):
    return Task(bucket, "list", "acct", "r", {"bucket": bucket}, result_key="Items")


def test_the_runner_bounds_each_bucket_and_serves_buckets_fairly():
    source = FakePages()
    runner = Runner(source, max_workers=3, per_bucket=2, progress=False)
    outcomes = []
    runner.run([task("A") for _ in range(8)] + [task("B")], lambda o: outcomes.append(o))
    assert len(outcomes) == 9 and all(o.ok and len(o.items) == 1 for o in outcomes)
    assert source.peak["A"] == 2 and source.peak["*"] <= 3
    assert source.started.index("B") < 3  # B does not wait behind A's queue
    assert runner.calls == 9 and runner.rows == 9


def test_the_runner_queues_what_an_outcome_asks_for():
    source = FakePages()
    seen = []

    def on(outcome):
        seen.append(outcome.task.operation)
        return [task("child")] if outcome.task.operation == "parent" else []

    Runner(source, progress=False).run([task("parent")], on)
    assert seen == ["parent", "child"]


def test_a_listing_that_gives_up_on_throttling_resumes(monkeypatch):
    monkeypatch.setattr(fetch, "RESUME_PAUSE", 0.0)
    outcome = fetch.run_task(task("A"), FakePages(throttle_first=2))
    assert outcome.ok and outcome.items == [{"bucket": "A"}]
    failed = fetch.run_task(task("A"), FakePages(throttle_first=fetch.RESUMES + 1))
    assert fetch.error_code(failed.error) == "ThrottlingException"
