"""Inventory views on the demo account, each checked against plain boto3 reads of the sandbox."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from decimal import Decimal

import pandas as pd
import pytest

import ppv2kit
from ppv2kit import analysis
from ppv2kit.sandbox import Sandbox

from .analysis_support import NOW, REGIONS, Api, demo, price


@pytest.fixture(scope="module")
def api() -> Api:
    return Api(demo()[0])


def test_summary_counts_and_cost_per_region(api: Api) -> None:
    _, kit, inv = demo()
    summary = analysis.inventory_summary(inv, total=True).set_index("Region")
    for region in REGIONS:
        numbers, senders, pools = api.numbers(region), api.sender_ids(region), api.pools(region)
        keywords = sum(
            len(api.keywords(region, ident))
            for ident in [n["PhoneNumberId"] for n in numbers] + [p["PoolId"] for p in pools]
        )
        opted_out = sum(len(api.opted_out(region, name)) for name in api.lists(region))
        cost = sum(price(x["MonthlyLeasingPrice"]) for x in numbers + senders)
        row = summary.loc[region]
        assert row["PhoneNumbers"] == len(numbers)
        assert row["SenderIds"] == len(senders)
        assert row["Pools"] == len(pools)
        assert row["ConfigurationSets"] == len(api.config_sets(region))
        assert row["OptOutLists"] == len(api.lists(region))
        assert row["OptedOutNumbers"] == opted_out
        assert row["Keywords"] == keywords
        assert Decimal(str(row["MonthlyLeasingUSD"])) == cost
    per_region = summary.drop(index="(all)")
    total = summary.loc["(all)"]
    for col in ("PhoneNumbers", "SenderIds", "Pools", "OptedOutNumbers"):
        assert total[col] == per_region[col].sum()
    assert summary["PhoneNumbers"].dtype == "Int64"
    assert inv.backend == "SANDBOX" and inv.errors == []
    # Read by the sandbox clock, which started at NOW.
    assert pd.Timedelta(0) <= inv.taken_at - pd.Timestamp(NOW) < pd.Timedelta(minutes=10)
    assert analysis.kit_now(kit) >= inv.taken_at


def test_leasing_cost_by_country_and_type(api: Api) -> None:
    _, _, inv = demo()
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    counts: Counter[tuple[str, str]] = Counter()
    for region in REGIONS:
        for n in api.numbers(region):
            expected[(n["IsoCountryCode"], n["NumberType"])] += price(n["MonthlyLeasingPrice"])
            counts[(n["IsoCountryCode"], n["NumberType"])] += 1
        for s in api.sender_ids(region):
            expected[(s["IsoCountryCode"], "SENDER_ID")] += price(s["MonthlyLeasingPrice"])
            counts[(s["IsoCountryCode"], "SENDER_ID")] += 1
    cost = analysis.leasing_cost(inv, by=["IsoCountryCode", "NumberType"])
    got = {
        (r["IsoCountryCode"], r["NumberType"]): (
            Decimal(str(r["MonthlyLeasingUSD"])),
            r["Identities"],
        )
        for r in cost.to_dict("records")
    }
    assert got == {k: (v, counts[k]) for k, v in expected.items()}
    assert cost["MonthlyLeasingUSD"].is_monotonic_decreasing


def test_leasing_cost_by_pool_puts_unpooled_identities_apart(api: Api) -> None:
    _, _, inv = demo()
    expected: dict[tuple[str, str], int] = Counter()
    for region in REGIONS:
        names = {p["PoolId"]: api.tags(region, p["PoolArn"])["Name"] for p in api.pools(region)}
        for n in api.numbers(region):
            expected[(region, names.get(n.get("PoolId"), analysis.NO_POOL))] += 1
        member_arns = {
            m["OriginationIdentityArn"]: names[p] for p in names for m in api.members(region, p)
        }
        for s in api.sender_ids(region):
            expected[(region, member_arns.get(s["SenderIdArn"], analysis.NO_POOL))] += 1
    cost = analysis.leasing_cost(inv, by=["Region", "PoolName"])
    assert {
        (r["Region"], r["PoolName"]): r["Identities"] for r in cost.to_dict("records")
    } == expected


def test_pools_with_members_lists_each_member(api: Api) -> None:
    _, _, inv = demo()
    table = analysis.pools_with_members(inv).set_index("PoolId")
    assert len(table) == sum(len(api.pools(r)) for r in REGIONS)
    for region in REGIONS:
        for pool in api.pools(region):
            members = api.members(region, pool["PoolId"])
            row = table.loc[pool["PoolId"]]
            phones = [m["PhoneNumber"] for m in members if m.get("PhoneNumber")]
            senders = [m["OriginationIdentity"] for m in members if not m.get("PhoneNumber")]
            assert row["Name"] == api.tags(region, pool["PoolArn"])["Name"]
            assert row["PhoneNumbers"] == len(phones)
            assert row["SenderIds"] == len(senders)
            assert set(row["Members"].split(", ")) == set(phones + senders)
            assert row["OptOutListName"] == pool["OptOutListName"]
            countries = {m["IsoCountryCode"] for m in members}
            assert row["Countries"] == ", ".join(sorted(countries))
    detail = analysis.pool_members(inv)
    assert len(detail) == table["PhoneNumbers"].sum() + table["SenderIds"].sum()


def test_sender_ids_name_their_pools(api: Api) -> None:
    _, _, inv = demo()
    table = analysis.sender_ids(inv)
    for region in REGIONS:
        pools = {p["PoolArn"]: api.tags(region, p["PoolArn"])["Name"] for p in api.pools(region)}
        for s in api.sender_ids(region):
            owners = sorted(
                name
                for arn, name in pools.items()
                if any(
                    m["OriginationIdentityArn"] == s["SenderIdArn"]
                    for m in api.members(region, arn.rsplit("/", 1)[1])
                )
            )
            row = table[(table["Region"] == region) & (table["SenderIdArn"] == s["SenderIdArn"])]
            assert row["Pools"].tolist() == [", ".join(owners) or analysis.NO_POOL]


def test_event_destinations_one_row_per_destination(api: Api) -> None:
    _, _, inv = demo()
    table = analysis.event_destinations(inv)
    expected_rows = 0
    for region in REGIONS:
        for cs in api.config_sets(region):
            destinations = cs["EventDestinations"]
            expected_rows += max(1, len(destinations))
            rows = table[
                (table["Region"] == region)
                & (table["ConfigurationSetName"] == cs["ConfigurationSetName"])
            ]
            if destinations:
                assert set(rows["EventDestinationName"]) == {
                    d["EventDestinationName"] for d in destinations
                }
                enabled = {d["EventDestinationName"]: d["Enabled"] for d in destinations}
                assert (
                    dict(zip(rows["EventDestinationName"], rows["Enabled"], strict=True)) == enabled
                )
            else:
                assert len(rows) == 1 and rows["EventDestinationName"].isna().all()
    assert len(table) == expected_rows
    assert set(table["DestinationType"].dropna()) <= {"CloudWatchLogs", "KinesisFirehose", "Sns"}


def test_identities_apply_the_pools_opt_out_list(api: Api) -> None:
    _, _, inv = demo()
    ids = analysis.identities(inv).set_index("IdentityId")
    for region in REGIONS:
        pools = {p["PoolId"]: p for p in api.pools(region)}
        for n in api.numbers(region):
            row = ids.loc[n["PhoneNumberId"]]
            pool = pools.get(n.get("PoolId"))
            assert row["OwnOptOutListName"] == n["OptOutListName"]
            assert row["OptOutListName"] == (pool or n)["OptOutListName"]
            assert (
                bool(row["SelfManagedOptOutsEnabled"]) == (pool or n)["SelfManagedOptOutsEnabled"]
            )


def test_find_identity_by_every_name(api: Api) -> None:
    _, _, inv = demo()
    pool = api.pool_named("us-east-1", "otp-us")
    for name in ("otp-us", pool["PoolId"], pool["PoolArn"]):
        found = analysis.find_identity(inv, name)
        assert (found.kind, found.id, found.region) == ("POOL", pool["PoolId"], "us-east-1")
        assert found.opt_out_list == pool["OptOutListName"]
    number = next(n for n in api.numbers("eu-west-2") if n.get("PoolId"))
    for name in (number["PhoneNumber"], number["PhoneNumberId"], number["PhoneNumberArn"]):
        found = analysis.find_identity(inv, name)
        assert (found.kind, found.pool_id) == ("PHONE_NUMBER", number["PoolId"])
    sender = analysis.find_identity(inv, "JUNIPER")
    assert (sender.kind, sender.region, sender.opt_out_list) == (
        "SENDER_ID",
        "ap-southeast-2",
        "Default",
    )
    with pytest.raises(LookupError, match="no phone number"):
        analysis.find_identity(inv, "no-such-pool")
    with pytest.raises(LookupError):
        analysis.find_identity(inv, "otp-us", region="eu-west-2")


def test_find_identity_refuses_a_name_in_two_regions() -> None:
    sb = Sandbox(strict=True)
    for region in ("us-east-1", "us-west-2"):
        client = sb.client(region_name=region)
        number = client.request_phone_number(
            IsoCountryCode="US",
            MessageType="TRANSACTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="SIMULATOR",
        )
        client.create_pool(
            OriginationIdentity=number["PhoneNumberId"],
            IsoCountryCode="US",
            MessageType="TRANSACTIONAL",
            Tags=[{"Key": "Name", "Value": "twin"}],
        )
    inv = analysis.inventory(ppv2kit.connect(sandbox=sb))
    with pytest.raises(LookupError, match="several places"):
        analysis.find_identity(inv, "twin")
    assert analysis.find_identity(inv, "twin", region="us-west-2").region == "us-west-2"


def test_empty_account_keeps_typed_frames() -> None:
    kit = ppv2kit.connect(sandbox=Sandbox(strict=True), regions=["us-east-1"])
    inv = analysis.inventory(kit)
    summary = analysis.inventory_summary(inv)
    assert summary[["PhoneNumbers", "Pools", "OptedOutNumbers"]].sum().sum() == 0
    assert analysis.leasing_cost(inv).empty
    assert analysis.pools_with_members(inv).empty
    assert analysis.inventory_findings(inv) == []
    assert list(analysis.identities(inv).columns)[:3] == ["Account", "Region", "IdentityType"]
    assert analysis.findings_frame([])["Severity"].dtype.ordered


def test_inventory_without_opt_outs_or_keywords_reads_less() -> None:
    _, kit, _ = demo()
    light = analysis.inventory(kit, ["eu-west-2"], opted_out=False, keywords=False)
    assert light.opted_out_numbers.empty and light.keywords.empty
    assert "OptedOutTimestamp" in light.opted_out_numbers.columns
    assert str(light.opted_out_numbers["OptedOutTimestamp"].dtype) == "datetime64[us, UTC]"
    assert set(light.phone_numbers["Region"]) == {"eu-west-2"}
    assert dataclasses.replace(light).regions == ["eu-west-2"]
    assert isinstance(light.taken_at, pd.Timestamp)
