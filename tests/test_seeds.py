"""The seeded accounts: the demo's story, its deliberate problems, determinism, the large seed.

Everything is read through ordinary boto3 clients of the sandbox (in-process), except the
byte-for-byte comparisons of two states, which read the SQLite files. Timings belong to
``benchmarks/bench_seeds.py``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import weakref
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from botocore.client import BaseClient

from ppv2kit.sandbox import Sandbox

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
ANCHOR = datetime(2026, 11, 27, tzinfo=timezone.utc)
US, EU, AP = "us-east-1", "eu-west-2", "ap-southeast-2"
DAY = timedelta(days=1)
TEXT_LIMIT = "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"


@pytest.fixture(scope="module")
def demo() -> Iterator[Sandbox]:
    """The demo account, anchored on 2026-11-27 (never changed by a test)."""
    sb = Sandbox(seed="demo", now=NOW, strict=True)
    yield sb
    sb.close()


_clients: weakref.WeakKeyDictionary[Sandbox, dict[str, BaseClient]] = weakref.WeakKeyDictionary()


def api(sb: Sandbox, region: str) -> BaseClient:
    """One in-process client per sandbox and region (making a client costs more than a call)."""
    made = _clients.setdefault(sb, {})
    if region not in made:
        made[region] = sb.client(region_name=region)
    return made[region]


def pages(client: BaseClient, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated operation."""
    paginator = client.get_paginator(operation)
    return [item for page in paginator.paginate(**params) for item in page[key]]


def tags(client: BaseClient, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceArn=arn)["Tags"]}


def numbers(sb: Sandbox, region: str) -> list[dict[str, Any]]:
    return pages(api(sb, region), "describe_phone_numbers", "PhoneNumbers")


def pools_by_name(sb: Sandbox, region: str) -> dict[str, dict[str, Any]]:
    client = api(sb, region)
    return {tags(client, p["PoolArn"])["Name"]: p for p in pages(client, "describe_pools", "Pools")}


def opted_out(sb: Sandbox, region: str, list_name: str) -> list[dict[str, Any]]:
    client = api(sb, region)
    return pages(client, "describe_opted_out_numbers", "OptedOutNumbers", OptOutListName=list_name)


def dump(path: Path) -> list[tuple[Any, ...]]:
    """Every document of a sandbox's SQLite file, in creation order."""
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT seq, account, region, kind, parent, key, body FROM docs ORDER BY seq"
        ).fetchall()


# -- the story ------------------------------------------------------------------------------------


def test_three_production_regions(demo: Sandbox) -> None:
    assert demo.accounts() == ["123456789012"]
    assert demo.regions() == [AP, EU, US]
    for region in demo.regions():
        attributes = api(demo, region).describe_account_attributes()["AccountAttributes"]
        assert attributes[0] == {"Name": "ACCOUNT_TIER", "Value": "PRODUCTION"}
        # us-east-1 also names its default protect configuration (ADR 18)
        assert [a["Name"] for a in attributes[1:]] == (
            ["DEFAULT_PROTECT_CONFIGURATION_ID"] if region == US else []
        )


def test_numbers_by_region_country_and_type(demo: Sandbox) -> None:
    found = {
        region: Counter((n["IsoCountryCode"], n["NumberType"]) for n in numbers(demo, region))
        for region in (US, EU, AP)
    }
    assert found == {
        US: Counter(
            {
                ("US", "TEN_DLC"): 10,
                ("US", "TOLL_FREE"): 4,
                ("US", "SHORT_CODE"): 2,
                ("US", "SIMULATOR"): 2,
                ("CA", "LONG_CODE"): 4,
                ("CA", "TOLL_FREE"): 2,
                ("CA", "SHORT_CODE"): 1,
            }
        ),
        EU: Counter({("GB", "LONG_CODE"): 7, ("DE", "LONG_CODE"): 2, ("FR", "LONG_CODE"): 2}),
        AP: Counter({("AU", "LONG_CODE"): 3, ("NZ", "LONG_CODE"): 1}),
    }


def test_numbers_are_active_with_leasing_prices_and_history(demo: Sandbox) -> None:
    every = [n for region in (US, EU, AP) for n in numbers(demo, region)]
    assert {n["Status"] for n in every} == {"ACTIVE"}
    monthly = sum(Decimal(n["MonthlyLeasingPrice"]) for n in every)
    assert monthly == Decimal("3052.00")
    short_codes = {
        n["PhoneNumber"]: n["MonthlyLeasingPrice"] for n in every if n["NumberType"] == "SHORT_CODE"
    }
    assert short_codes == {"72468": "995.00", "37645": "995.00", "262626": "1000.00"}
    created = sorted(n["CreatedTimestamp"] for n in every)
    assert created[0] == ANCHOR - 680 * DAY + timedelta(hours=10)
    assert created[-1] < ANCHOR - 14 * DAY
    assert len({n["PhoneNumber"] for n in every}) == 40


def test_sender_ids(demo: Sandbox) -> None:
    found = {
        region: sorted(
            (s["SenderId"], s["IsoCountryCode"], s["Registered"])
            for s in pages(api(demo, region), "describe_sender_ids", "SenderIds")
        )
        for region in (US, EU, AP)
    }
    assert found == {
        US: [],
        EU: [
            ("JuniperPay", "DE", False),
            ("JuniperPay", "ES", False),
            ("JuniperPay", "FR", True),
            ("JuniperPay", "GB", False),
            ("JuniperPay", "IE", False),
        ],
        AP: [("JUNIPER", "AU", True)],
    }


def test_pools_and_their_members(demo: Sandbox) -> None:
    clients = {region: api(demo, region) for region in (US, EU)}
    found = {}
    for region in (US, EU):
        for name, pool in pools_by_name(demo, region).items():
            members = pages(
                clients[region],
                "list_pool_origination_identities",
                "OriginationIdentities",
                PoolId=pool["PoolId"],
            )
            kinds = Counter(
                m["IsoCountryCode"] if "PhoneNumber" in m else "sender" for m in members
            )
            found[name] = (pool["MessageType"], pool["OptOutListName"], dict(kinds))
            assert pool["DeletionProtectionEnabled"] is True
    assert found == {
        "otp-us": ("TRANSACTIONAL", "na-transactional", {"US": 5}),
        "alerts-us": ("TRANSACTIONAL", "na-transactional", {"US": 6}),
        "promo-us": ("PROMOTIONAL", "us-marketing", {"US": 2}),
        "marketing-uk": ("PROMOTIONAL", "uk-marketing", {"GB": 4, "sender": 1}),
        "transactional-eu": ("TRANSACTIONAL", "Default", {"GB": 2, "DE": 2, "FR": 2, "sender": 2}),
    }
    assert pools_by_name(demo, AP) == {}


def test_opt_out_lists_hold_eighteen_months_of_history(demo: Sandbox) -> None:
    lists = {
        region: [
            o["OptOutListName"]
            for o in pages(api(demo, region), "describe_opt_out_lists", "OptOutLists")
        ]
        for region in (US, EU, AP)
    }
    assert lists == {
        US: ["Default", "na-transactional", "us-marketing", "legacy-provider-import"],
        EU: ["Default", "uk-marketing"],
        AP: ["Default"],
    }
    entries = {
        (region, name): opted_out(demo, region, name)
        for region, names in lists.items()
        for name in names
    }
    sizes = {key: len(rows) for key, rows in entries.items()}
    assert sizes[(US, "legacy-provider-import")] == 650
    assert sizes[(EU, "uk-marketing")] == 820
    assert 1_440 <= sizes[(US, "na-transactional")] <= 1_470
    assert 1_150 <= sizes[(US, "us-marketing")] <= 1_170
    assert 4_000 <= sum(sizes.values()) <= 4_300
    every = [row for rows in entries.values() for row in rows]
    end_user = sum(row["EndUserOptedOut"] for row in every)
    assert 0.7 < end_user / len(every) < 0.85  # end users and support staff alike
    times = [row["OptedOutTimestamp"] for row in every]
    assert ANCHOR - 560 * DAY <= min(times) < ANCHOR - 520 * DAY  # 18 months of history
    assert ANCHOR - 30 * DAY < max(times) < ANCHOR
    for rows in entries.values():  # listed in the order they opted out
        stamps = [row["OptedOutTimestamp"] for row in rows]
        assert stamps == sorted(stamps)
    assert not any(row["EndUserOptedOut"] for row in entries[(US, "legacy-provider-import")])


def test_custom_keywords(demo: Sandbox) -> None:
    def words(region: str, identity: str) -> dict[str, str]:
        client = api(demo, region)
        found = pages(client, "describe_keywords", "Keywords", OriginationIdentity=identity)
        return {k["Keyword"]: k["KeywordAction"] for k in found}

    us_pools, eu_pools = pools_by_name(demo, US), pools_by_name(demo, EU)
    default = {"HELP": "AUTOMATIC_RESPONSE", "STOP": "OPT_OUT"}
    assert words(US, us_pools["promo-us"]["PoolId"]) == {
        **default,
        "JOIN": "OPT_IN",
        "DEALS": "AUTOMATIC_RESPONSE",
    }
    assert words(US, us_pools["alerts-us"]["PoolId"]) == {
        **default,
        "LOCK": "AUTOMATIC_RESPONSE",
        "START": "OPT_IN",
    }
    assert words(EU, eu_pools["transactional-eu"]["PoolId"]) == default
    ca = [n for n in numbers(demo, US) if n["IsoCountryCode"] == "CA"]
    for number in ca:
        assert words(US, number["PhoneNumberId"]) == {
            **default, "ARRET": "OPT_OUT", "AIDE": "AUTOMATIC_RESPONSE"
        }  # fmt: skip


def test_configuration_sets_with_and_without_event_destinations(demo: Sandbox) -> None:
    found = {}
    for region in (US, EU, AP):
        client = api(demo, region)
        for cs in pages(client, "describe_configuration_sets", "ConfigurationSets"):
            found[cs["ConfigurationSetName"]] = {
                d["EventDestinationName"]: d["Enabled"] for d in cs["EventDestinations"]
            }
    assert found == {
        "otp-prod": {"otp-cloudwatch": True, "otp-lake": True},
        "alerts-prod": {"alert-failures": True, "alerts-lake": True},
        "promo-us": {"campaign-lake": True},
        "qa-simulator": {"qa-logs": False},
        "marketing-uk": {"uk-campaign-lake": True},
        "transactional-eu": {},
        "au-launch": {"au-cloudwatch": True},
    }


def test_spend_limits_and_the_two_overrides(demo: Sandbox) -> None:
    def text_limit(region: str) -> dict[str, Any]:
        limits = api(demo, region).describe_spend_limits()["SpendLimits"]
        return next(limit for limit in limits if limit["Name"] == TEXT_LIMIT)

    assert text_limit(US) == {
        "Name": TEXT_LIMIT,
        "EnforcedLimit": 5000,
        "MaxLimit": 5000,
        "Overridden": False,
    }
    assert text_limit(EU) == {
        "Name": TEXT_LIMIT,
        "EnforcedLimit": 25,
        "MaxLimit": 2000,
        "Overridden": True,
    }
    assert text_limit(AP) == {
        "Name": TEXT_LIMIT,
        "EnforcedLimit": 15,
        "MaxLimit": 10000,
        "Overridden": True,
    }
    limits = api(demo, US).describe_account_limits()["AccountLimits"]
    assert {"Name": "PHONE_NUMBERS", "Used": 25, "Max": 50} in limits


def test_resources_carry_ownership_tags(demo: Sandbox) -> None:
    owners: Counter[tuple[str, str]] = Counter()
    for region in (US, EU, AP):
        client = api(demo, region)
        arns = [n["PhoneNumberArn"] for n in numbers(demo, region)]
        arns += [p["PoolArn"] for p in pages(client, "describe_pools", "Pools")]
        arns += [
            c["ConfigurationSetArn"]
            for c in pages(client, "describe_configuration_sets", "ConfigurationSets")
        ]
        for arn in arns:
            found = tags(client, arn)
            assert {"cost-centre", "environment", "team"} <= set(found), arn
            owners[(found["team"], found["environment"])] += 1
    assert owners[("identity", "production")] >= 20
    assert {env for _, env in owners} == {"production", "staging", "test"}


# -- the last month's traffic ----------------------------------------------------------------------


def test_a_month_of_traffic_in_time_order(demo: Sandbox) -> None:
    messages = demo.messages()
    assert messages["Timestamp"].min() >= ANCHOR - 30 * DAY
    assert messages["Timestamp"].max() < ANCHOR
    logged: dict[str, list[float]] = {}  # the log's own order: chronological in every region
    for _, region, _, _, doc in demo.store.scan("message"):
        logged.setdefault(region, []).append(doc["Timestamp"])
    assert sorted(logged) == [AP, EU, US]
    assert all(stamps == sorted(stamps) for stamps in logged.values())
    sent = messages[messages["Direction"] == "OUTBOUND"]
    by = Counter(zip(sent["Region"], sent["Channel"], strict=True))
    assert by[(US, "TEXT")] > 900 and by[(EU, "TEXT")] > 250 and by[(AP, "TEXT")] > 120
    assert by[(US, "VOICE")] > 20 and by[(AP, "VOICE")] > 10
    assert set(sent["Encoding"].dropna()) == {"GSM", "UNICODE"}  # two campaigns cost double
    inbound = messages[messages["Direction"] == "INBOUND"]
    assert {"STOP", "HELP", "LOCK", "DEALS", "START"} <= set(inbound["Keyword"].dropna())
    assert inbound["Keyword"].isna().sum() > 10  # free text to the two-way care line


def test_events_only_where_a_destination_takes_them(demo: Sandbox) -> None:
    events = demo.events()
    per_set = set(events["ConfigurationSetName"])
    assert per_set == {"otp-prod", "alerts-prod", "promo-us", "marketing-uk", "au-launch"}
    assert {"TEXT_DELIVERED", "TEXT_SUCCESSFUL", "VOICE_COMPLETED"} <= set(events["eventType"])
    sent = demo.messages()
    sent = sent[sent["Direction"] == "OUTBOUND"]
    quiet = sent[sent["ConfigurationSetName"].isin(["transactional-eu", "qa-simulator"])]
    assert len(quiet) > 100  # sent through sets that deliver no events
    assert sent["ConfigurationSetName"].isna().sum() > 100  # sent with no set at all


def test_spend_shows_in_cloudwatch_below_the_limits(demo: Sandbox) -> None:
    cloudwatch = demo.client(region_name=EU, service_name="cloudwatch")
    answer = cloudwatch.get_metric_statistics(
        Namespace="AWS/SMSVoice",
        MetricName="TextMessageMonthlySpend",
        StartTime=ANCHOR - 30 * DAY,
        EndTime=ANCHOR,
        Period=86400,
        Statistics=["Maximum"],
    )
    month_to_date = max(point["Maximum"] for point in answer["Datapoints"])
    assert 10 < month_to_date < 25  # UK marketing is close to its override


def test_replies_opted_recipients_out_except_where_opt_outs_are_self_managed(
    demo: Sandbox,
) -> None:
    messages = demo.messages()
    stops = messages[(messages["Direction"] == "INBOUND") & (messages["Keyword"] == "STOP")]
    assert set(stops["Region"]) == {US, EU}
    recent = ANCHOR - 30 * DAY
    us_new = [
        row
        for name in ("na-transactional", "us-marketing")
        for row in opted_out(demo, US, name)
        if row["OptedOutTimestamp"] >= recent and row["EndUserOptedOut"]
    ]
    assert len(us_new) >= len(stops[stops["Region"] == US])
    uk_new = [r for r in opted_out(demo, EU, "uk-marketing") if r["OptedOutTimestamp"] >= recent]
    assert uk_new == []


# -- the deliberate problems ----------------------------------------------------------------------


def registrations(sb: Sandbox, region: str) -> dict[str, list[dict[str, Any]]]:
    """The region's registrations by type, in creation order."""
    found: dict[str, list[dict[str, Any]]] = {}
    for reg in pages(api(sb, region), "describe_registrations", "Registrations"):
        found.setdefault(reg["RegistrationType"], []).append(reg)
    return found


def test_a_complete_ten_dlc_brand_and_campaign_hold_the_alert_numbers(demo: Sandbox) -> None:
    client = api(demo, US)
    regs = registrations(demo, US)
    brand, holdings = regs["US_TEN_DLC_BRAND_REGISTRATION"]
    assert brand["RegistrationStatus"] == "COMPLETE"
    assert brand["AdditionalAttributes"]["TCR_BRAND_ID"].startswith("B")
    [vetting] = regs["US_TEN_DLC_BRAND_VETTING"]
    assert vetting["RegistrationStatus"] == "COMPLETE"
    alerts, _promotions = regs["US_TEN_DLC_CAMPAIGN_REGISTRATION"]
    assert (alerts["RegistrationStatus"], alerts["ApprovedVersionNumber"]) == ("COMPLETE", 1)
    associated = pages(
        client,
        "list_registration_associations",
        "RegistrationAssociations",
        RegistrationId=alerts["RegistrationId"],
    )
    alert_numbers = {
        n["PhoneNumberId"]
        for n in numbers(demo, US)
        if n.get("PoolId") == pools_by_name(demo, US)["alerts-us"]["PoolId"]
    }
    assert associated[0]["ResourceId"] == brand["RegistrationId"]
    assert {a["ResourceId"] for a in associated[1:]} == alert_numbers and len(alert_numbers) == 6
    assert {
        n["RegistrationId"] for n in numbers(demo, US) if n["PhoneNumberId"] in alert_numbers
    } == {alerts["RegistrationId"]}
    # The public company waits for The Campaign Registry's authentication email.
    assert holdings["RegistrationStatus"] == "REQUIRES_AUTHENTICATION"


def test_a_campaign_denied_once_has_an_untouched_new_draft(demo: Sandbox) -> None:
    client = api(demo, US)
    promotions = registrations(demo, US)["US_TEN_DLC_CAMPAIGN_REGISTRATION"][1]
    assert promotions["RegistrationStatus"] == "REQUIRES_UPDATES"
    assert (promotions["CurrentVersionNumber"], promotions["LatestDeniedVersionNumber"]) == (2, 1)
    versions = pages(
        client,
        "describe_registration_versions",
        "RegistrationVersions",
        RegistrationId=promotions["RegistrationId"],
    )
    denied, draft = versions
    assert denied["RegistrationVersionStatus"] == "DENIED"
    assert denied["DeniedReasons"][0]["Reason"] == "Opt-out language missing"
    assert draft["RegistrationVersionStatus"] == "DRAFT"
    drafted = draft["RegistrationVersionStatusHistory"]["DraftTimestamp"]
    assert NOW - drafted > 4 * 7 * DAY  # untouched for weeks
    values = client.describe_registration_field_values(
        RegistrationId=promotions["RegistrationId"], VersionNumber=1
    )["RegistrationFieldValues"]
    feedback = {v["FieldPath"]: v.get("Feedback") for v in values if v.get("Feedback")}
    assert list(feedback) == ["messageSamples.messageSample1"]
    assert (
        client.describe_registration_field_values(RegistrationId=promotions["RegistrationId"])[
            "RegistrationFieldValues"
        ]
        == []
    )


def test_toll_free_registrations_and_a_toll_free_number_without_one(demo: Sandbox) -> None:
    toll_free = registrations(demo, US)["US_TOLL_FREE_REGISTRATION"]
    assert [r["RegistrationStatus"] for r in toll_free] == ["COMPLETE", "COMPLETE", "REVIEWING"]
    [reviewing] = pages(
        api(demo, US),
        "describe_registration_versions",
        "RegistrationVersions",
        RegistrationId=toll_free[2]["RegistrationId"],
    )
    since = reviewing["RegistrationVersionStatusHistory"]["ReviewingTimestamp"]
    assert NOW - since > 7 * DAY  # reviewing for many days
    otp = pools_by_name(demo, US)["otp-us"]["PoolId"]
    tfns = [
        n
        for n in numbers(demo, US)
        if n["NumberType"] == "TOLL_FREE" and n["IsoCountryCode"] == "US"
    ]
    unregistered = [n for n in tfns if not n.get("RegistrationId")]
    assert len(unregistered) == 1 and unregistered[0].get("PoolId") == otp
    assert {n["RegistrationId"] for n in tfns if n.get("RegistrationId")} == {
        r["RegistrationId"] for r in toll_free
    }


def test_sender_id_registrations_in_ap_southeast_2_and_none_in_europe(demo: Sandbox) -> None:
    regs = registrations(demo, AP)
    [au] = regs["AU_SENDER_ID_REGISTRATION"]
    [sg] = regs["SG_SENDER_ID_REGISTRATION"]
    assert (au["RegistrationStatus"], sg["RegistrationStatus"]) == ("COMPLETE", "SUBMITTED")
    [juniper] = pages(api(demo, AP), "describe_sender_ids", "SenderIds")
    assert juniper["RegistrationId"] == au["RegistrationId"]
    assert registrations(demo, EU) == {}
    events = demo.registration_events()
    assert set(events["region"]) == {US, AP}
    assert events["time"].max() < NOW
    assert {"CREATED", "SUBMITTED", "REVIEWING", "PROVISIONING", "COMPLETE"} <= set(
        events["currentStatus"]
    )
    assert {"REQUIRES_UPDATES", "REQUIRES_AUTHENTICATION"} <= set(events["currentStatus"])


def test_a_production_pool_holds_a_number_without_deletion_protection(demo: Sandbox) -> None:
    unprotected = []
    for region in (US, EU, AP):
        client = api(demo, region)
        for name, pool in pools_by_name(demo, region).items():
            if tags(client, pool["PoolArn"])["environment"] != "production":
                continue
            unprotected += [
                (name, n["IsoCountryCode"])
                for n in numbers(demo, region)
                if n.get("PoolId") == pool["PoolId"] and not n["DeletionProtectionEnabled"]
            ]
    assert unprotected == [("transactional-eu", "DE")]


def test_a_production_configuration_set_has_no_event_destination(demo: Sandbox) -> None:
    bare = [
        (region, cs["ConfigurationSetName"], tags(client, cs["ConfigurationSetArn"])["environment"])
        for region in (US, EU, AP)
        for client in [api(demo, region)]
        for cs in pages(client, "describe_configuration_sets", "ConfigurationSets")
        if not cs["EventDestinations"]
    ]
    assert bare == [(EU, "transactional-eu", "production")]


def test_an_opt_out_list_nothing_uses(demo: Sandbox) -> None:
    unused = []
    for region in (US, EU, AP):
        client = api(demo, region)
        used = {n["OptOutListName"] for n in numbers(demo, region)}
        used |= {p["OptOutListName"] for p in pages(client, "describe_pools", "Pools")}
        names = [
            o["OptOutListName"] for o in pages(client, "describe_opt_out_lists", "OptOutLists")
        ]
        unused += [(region, name) for name in names if name not in used]
    assert unused == [(US, "legacy-provider-import")]


def test_a_pool_manages_its_opt_outs_itself(demo: Sandbox) -> None:
    self_managed = [
        name
        for region in (US, EU, AP)
        for name, pool in pools_by_name(demo, region).items()
        if pool["SelfManagedOptOutsEnabled"]
    ]
    assert self_managed == ["marketing-uk"]


# -- determinism, anchors, reset, persistence ----------------------------------------------------


def test_same_anchor_same_state(tmp_path: Path, demo: Sandbox) -> None:
    """Built afresh in another process (other hash seed, other hour of the day): same state."""
    other = Sandbox(seed="demo", now=NOW + timedelta(hours=3), state_path=tmp_path / "b.db")
    try:
        for region in (US, EU):
            assert numbers(demo, region) == numbers(other, region)
            assert opted_out(demo, region, "Default") == opted_out(other, region, "Default")
        assert opted_out(demo, US, "us-marketing") == opted_out(other, US, "us-marketing")
        assert demo.secret != other.secret  # each sandbox keeps its own NextToken secret
    finally:
        other.close()
    there = tmp_path / "a.db"
    script = (
        "import sys, datetime as dt\n"
        "from ppv2kit.sandbox import Sandbox\n"
        "now = dt.datetime.fromisoformat(sys.argv[1])\n"
        "Sandbox(seed='demo', now=now, state_path=sys.argv[2]).close()\n"
    )
    env = {
        **os.environ,
        "PYTHONHASHSEED": "12345",
        "PPV2KIT_SANDBOX_STRICT": "0",
        "PPV2KIT_CACHE_DIR": "",  # a real build, not a copy of the disk cache
    }
    subprocess.run([sys.executable, "-c", script, NOW.isoformat(), str(there)], env=env, check=True)
    assert dump(there) == dump(tmp_path / "b.db")


def test_templates_are_kept_on_disk_and_a_damaged_file_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ppv2kit.sandbox.seeds import cache

    monkeypatch.setenv("PPV2KIT_CACHE_DIR", str(tmp_path / "cache"))
    now = NOW + timedelta(days=40)  # an anchor no other test builds
    cache.clear()
    first = Sandbox(seed="demo", now=now, state_path=tmp_path / "first.db")
    first.close()
    files = list((tmp_path / "cache").glob("seed-demo-*.sqlite"))
    assert len(files) == 1 and cache.fingerprint() in files[0].name
    cache.clear()  # as a new process would: nothing in memory, the file on disk
    Sandbox(seed="demo", now=now, state_path=tmp_path / "second.db").close()
    assert dump(tmp_path / "second.db") == dump(tmp_path / "first.db")
    files[0].write_bytes(b"not a database")
    cache.clear()
    Sandbox(seed="demo", now=now, state_path=tmp_path / "third.db").close()
    assert dump(tmp_path / "third.db") == dump(tmp_path / "first.db")
    with sqlite3.connect(files[0]) as db:  # rebuilt and written again
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cache.clear()


def test_another_anchor_gives_a_valid_account_placed_before_it() -> None:
    now = datetime(2027, 3, 1, 7, tzinfo=timezone.utc)  # just after a short month
    anchor = datetime(2027, 3, 1, tzinfo=timezone.utc)
    sb = Sandbox(seed="demo", now=now, strict=True)
    try:
        assert sum(len(numbers(sb, region)) for region in sb.regions()) == 40
        assert len(pools_by_name(sb, US)) == 3
        every = [n for region in sb.regions() for n in numbers(sb, region)]
        assert max(n["CreatedTimestamp"] for n in every) < anchor
        messages = sb.messages()
        assert messages["Timestamp"].between(anchor - 30 * DAY, anchor).all()
        entries = opted_out(sb, US, "na-transactional")
        assert max(e["OptedOutTimestamp"] for e in entries) < anchor
        # The account still works: a new send is accepted now.
        pool = pools_by_name(sb, US)["otp-us"]["PoolId"]
        client = api(sb, US)
        sent = client.send_text_message(
            DestinationPhoneNumber="+12065551234", OriginationIdentity=pool, MessageBody="Hi"
        )
        assert sent["MessageId"]
    finally:
        sb.close()


def test_reset_seeds_again(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine.db"
    Sandbox(seed="demo", now=NOW, state_path=pristine).close()
    path = tmp_path / "used.db"
    sb = Sandbox(seed="demo", now=NOW, state_path=path, strict=True)
    client = api(sb, US)
    client.create_opt_out_list(OptOutListName="scratch")
    client.delete_opted_out_number(
        OptOutListName="legacy-provider-import",
        OptedOutNumber=opted_out(sb, US, "legacy-provider-import")[0]["OptedOutNumber"],
    )
    sb.reset()
    names = [o["OptOutListName"] for o in pages(client, "describe_opt_out_lists", "OptOutLists")]
    assert "scratch" not in names
    assert len(opted_out(sb, US, "legacy-provider-import")) == 650
    sb.close()
    assert [row[1:] for row in dump(path)] == [row[1:] for row in dump(pristine)]
    reopened = Sandbox(state_path=path)
    assert reopened.seed == "demo"
    reopened.close()


def test_a_persisted_demo_is_not_seeded_again(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    sb = Sandbox(seed="demo", now=NOW, state_path=path)
    secret = sb.secret
    api(sb, US).create_opt_out_list(OptOutListName="kept")
    sb.close()
    again = Sandbox(seed="demo", state_path=path)
    try:
        names = [
            o["OptOutListName"]
            for o in pages(api(again, US), "describe_opt_out_lists", "OptOutLists")
        ]
        assert names.count("kept") == 1 and names.count("na-transactional") == 1
        assert sum(len(numbers(again, region)) for region in again.regions()) == 40
        assert again.secret == secret
    finally:
        again.close()


def test_a_file_with_state_is_seeded_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    mine = Sandbox(state_path=path, now=NOW)
    api(mine, "us-west-2").create_opt_out_list(OptOutListName="mine")
    mine.close()
    seeded = Sandbox(seed="demo", state_path=path, now=NOW, strict=False)
    try:
        assert seeded.regions() == [AP, EU, US, "us-west-2"]
        lists = pages(api(seeded, "us-west-2"), "describe_opt_out_lists", "OptOutLists")
        assert [o["OptOutListName"] for o in lists] == ["Default", "mine"]
        assert sum(len(numbers(seeded, region)) for region in (US, EU, AP)) == 40
    finally:
        seeded.close()


def test_changes_to_one_seeded_sandbox_never_reach_another(demo: Sandbox) -> None:
    first = Sandbox(seed="demo", now=NOW, strict=True)
    api(first, US).create_opt_out_list(OptOutListName="only-in-first")
    second = Sandbox(seed="demo", now=NOW, strict=True)
    try:
        names = [
            o["OptOutListName"]
            for o in pages(api(second, US), "describe_opt_out_lists", "OptOutLists")
        ]
        assert "only-in-first" not in names
        assert first.secret != second.secret != demo.secret
    finally:
        first.close()
        second.close()


def test_serve_demo_answers_any_client(demo: Sandbox) -> None:
    import boto3

    server = demo.serve()
    try:
        client = boto3.client(
            "pinpoint-sms-voice-v2",
            region_name=EU,
            endpoint_url=server.url,
            aws_access_key_id="123456789012",
            aws_secret_access_key="x",
        )
        pools = client.describe_pools()["Pools"]
        assert len(pools) == 2
    finally:
        server.stop()


# -- the large seed --------------------------------------------------------------------------------


@pytest.mark.slow
def test_large_seed_scale() -> None:
    sb = Sandbox(seed="large", now=NOW, strict=False)  # the state is the same; built faster
    try:
        assert sb.regions() == [
            "ap-southeast-2",
            "eu-west-1",
            "eu-west-2",
            "us-east-1",
            "us-west-2",
        ]
        client = sb.client(region_name="eu-west-1")
        assert len(pages(client, "describe_phone_numbers", "PhoneNumbers")) == 600
        assert len(pages(client, "describe_pools", "Pools")) == 16
        lists = pages(client, "describe_opt_out_lists", "OptOutLists")
        assert len(lists) == 6  # Default and five more
        name = lists[1]["OptOutListName"]
        assert len(opted_out(sb, "eu-west-1", name)) == 4_200
        total = sum(
            sb.store.region(account, region).count("opted-out-number", None)
            for account, region in sb.store.regions()
        )
        assert total >= 100_000
    finally:
        sb.close()


# -- protect configurations (ADR 18) ---------------------------------------------------------------


def test_protect_configurations_block_a_few_countries_and_monitor_marketing(demo: Sandbox) -> None:
    us, eu = api(demo, US), api(demo, EU)
    [default] = pages(us, "describe_protect_configurations", "ProtectConfigurations")
    assert default["AccountDefault"] and default["DeletionProtectionEnabled"]
    ident = default["ProtectConfigurationId"]
    assert tags(us, default["ProtectConfigurationArn"])["Name"] == "block-high-risk"
    rules = us.get_protect_configuration_country_rule_set(
        ProtectConfigurationId=ident, NumberCapability="SMS"
    )["CountryRuleSet"]
    blocked = sorted(cc for cc, r in rules.items() if r["ProtectStatus"] == "BLOCK")
    assert blocked == ["AZ", "KG", "NG", "PK", "TJ", "UZ"]
    assert [cc for cc, r in rules.items() if r["ProtectStatus"] == "FILTER"] == ["US"]
    overrides = us.list_protect_configuration_rule_set_number_overrides(
        ProtectConfigurationId=ident
    )["RuleSetNumberOverrides"]
    assert [(o["IsoCountryCode"], o["Action"]) for o in overrides] == [
        ("NG", "ALLOW"),
        ("US", "BLOCK"),
    ]
    [monitor] = pages(eu, "describe_protect_configurations", "ProtectConfigurations")
    sets = {
        c["ConfigurationSetName"]: c.get("ProtectConfigurationId")
        for c in pages(eu, "describe_configuration_sets", "ConfigurationSets")
    }
    assert sets["marketing-uk"] == monitor["ProtectConfigurationId"]
    gb = eu.get_protect_configuration_country_rule_set(
        ProtectConfigurationId=monitor["ProtectConfigurationId"], NumberCapability="SMS"
    )["CountryRuleSet"]["GB"]
    assert gb == {"ProtectStatus": "MONITOR"}


def test_a_pumping_incident_sent_then_filtered(demo: Sandbox) -> None:
    """A bot's passcodes to premium-rate numbers: one night's burst sent and charged, protection
    turned on the next morning, a later burst filtered (ADR 18)."""
    us = api(demo, US)
    [default] = pages(us, "describe_protect_configurations", "ProtectConfigurations")
    turned_on = default["CreatedTimestamp"]
    messages = demo.messages()
    premium = messages[messages["DestinationPhoneNumber"].str.startswith("+1900")]
    before = premium[premium["Timestamp"] < turned_on]
    after = premium[premium["Timestamp"] > turned_on]
    assert len(before) == 90 and len(after) == 60
    assert (before["Price"].astype(float) > 0).all()
    assert (after["Price"].astype(float) == 0).all()
    # Each burst is one night, hours long at most, from the sign-up flow's pool.
    for burst in (before, after):
        assert burst["Timestamp"].max() - burst["Timestamp"].min() < timedelta(hours=2)
    events = demo.events()
    kinds = events[events["messageId"].isin(premium["MessageId"])].groupby("eventType").size()
    assert kinds.get("TEXT_PROTECT_BLOCKED") == 60
    assert kinds.get("TEXT_SUCCESSFUL") == 90
    blocked = events[events["eventType"] == "TEXT_PROTECT_BLOCKED"].iloc[0]["Record"]
    assert blocked["protectConfiguration"]["protectStatus"] == "FILTER"
    assert blocked["context"] == {"flow": "sign-up"}
