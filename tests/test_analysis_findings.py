"""Findings: the demo's deliberate problems are found exactly; each check on synthetic frames."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from ppv2kit import analysis
from ppv2kit.analysis import findings as checks

from .analysis_support import REGIONS, Api, demo


@pytest.fixture(scope="module")
def api() -> Api:
    return Api(demo()[0])


def _by_code(items: list[analysis.Finding]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in items:
        out.setdefault(f.code, set()).add(f.resource_id)
    return out


def test_demo_problems_are_found_exactly(api: Api) -> None:
    _, _, inv = demo()
    found = analysis.inventory_findings(inv)
    codes = _by_code(found)
    numbers = [n for r in REGIONS for n in api.numbers(r)]
    pools = [p for r in REGIONS for p in api.pools(r)]
    config_sets = [c for r in REGIONS for c in api.config_sets(r)]
    used_lists = {(r, x["OptOutListName"]) for r in REGIONS for x in api.numbers(r) + api.pools(r)}
    all_lists = {(r, name) for r in REGIONS for name in api.lists(r)}

    assert codes["NUMBER_OUTSIDE_POOL"] == {
        n["PhoneNumberId"] for n in numbers if not n.get("PoolId")
    }
    assert codes["DELETION_PROTECTION_OFF"] == {
        n["PhoneNumberId"] for n in numbers if not n["DeletionProtectionEnabled"]
    }
    assert codes["SELF_MANAGED_OPT_OUTS"] == {
        p["PoolId"] for p in pools if p["SelfManagedOptOutsEnabled"]
    } | {
        n["PhoneNumberId"]
        for n in numbers
        if n["SelfManagedOptOutsEnabled"] and not n.get("PoolId")
    }
    assert codes["CONFIG_SET_WITHOUT_EVENT_DESTINATION"] == {
        c["ConfigurationSetName"] for c in config_sets if not c["EventDestinations"]
    }
    assert codes["CONFIG_SET_DESTINATIONS_DISABLED"] == {
        c["ConfigurationSetName"]
        for c in config_sets
        if c["EventDestinations"] and not any(d["Enabled"] for d in c["EventDestinations"])
    }
    assert codes["UNUSED_OPT_OUT_LIST"] == {
        name for r, name in all_lists - used_lists if name != "Default"
    }
    assert "TWO_WAY_WITHOUT_CHANNEL" not in codes  # the service refuses that state
    # The seeded story: the number added to transactional-eu during an incident is the one
    # high-severity finding; the unused list is legacy-provider-import.
    high = [f for f in found if f.severity == "high"]
    pool = api.pool_named("eu-west-2", "transactional-eu")
    assert [(f.code, f.region) for f in high] == [("DELETION_PROTECTION_OFF", "eu-west-2")]
    hurried = next(n for n in numbers if n["PhoneNumberId"] == high[0].resource_id)
    assert hurried["PoolId"] == pool["PoolId"] and not hurried["DeletionProtectionEnabled"]
    assert codes["UNUSED_OPT_OUT_LIST"] == {"legacy-provider-import"}


def test_severity_follows_environment_tags() -> None:
    _, _, inv = demo()
    tags = dict(zip(inv.phone_numbers["PhoneNumberId"], inv.phone_numbers["Tags"], strict=True))
    for f in analysis.inventory_findings(inv):
        if f.code == "DELETION_PROTECTION_OFF" and f.severity == "low":
            assert tags[f.resource_id]["environment"] in ("test", "staging")
    assert checks.environment({"Environment": "Production"}) is True
    assert checks.environment({"env": "dev"}) is False
    assert checks.environment({"team": "x"}) is None


def _with_number(inv: analysis.Inventory, **changes: object) -> analysis.Inventory:
    """The inventory with its first unpooled phone number changed."""
    numbers = inv.phone_numbers.copy()
    i = numbers.index[numbers["PoolId"].isna()][0]
    for column, value in changes.items():
        numbers.loc[i, column] = value
    return dataclasses.replace(inv, phone_numbers=numbers)


def test_two_way_without_a_channel_is_high() -> None:
    _, _, inv = demo()
    broken = _with_number(inv, TwoWayEnabled=True, TwoWayChannelArn=pd.NA)
    target = broken.phone_numbers.loc[broken.phone_numbers["TwoWayEnabled"] == True]  # noqa: E712
    found = [f for f in checks.check_two_way_channels(broken)]
    assert {f.resource_id for f in found} == set(target["PhoneNumberId"]) - set(
        inv.phone_numbers.loc[inv.phone_numbers["TwoWayChannelArn"].notna(), "PhoneNumberId"]
    )
    assert all(f.severity == "high" and "TwoWayChannelArn" in f.fix for f in found)
    assert list(checks.check_two_way_channels(inv)) == []


def test_simulator_in_a_production_pool_is_high(api: Api) -> None:
    _, _, inv = demo()
    pool = api.pool_named("us-east-1", "otp-us")
    numbers = inv.phone_numbers.copy()
    sim = numbers.index[numbers["NumberType"] == "SIMULATOR"][0]
    numbers.loc[sim, "PoolId"] = pool["PoolId"]
    found = list(
        checks.check_simulators_in_production(dataclasses.replace(inv, phone_numbers=numbers))
    )
    assert [(f.code, f.resource_id, f.severity) for f in found] == [
        ("SIMULATOR_IN_PRODUCTION_POOL", numbers.loc[sim, "PhoneNumberId"], "high")
    ]
    assert "otp-us" in found[0].message
    assert list(checks.check_simulators_in_production(inv)) == []


def test_findings_frame_orders_by_severity() -> None:
    _, _, inv = demo()
    found = analysis.inventory_findings(inv)
    table = analysis.findings_frame(found)
    assert len(table) == len(found)
    assert table["Severity"].is_monotonic_increasing  # ordered category: high < ... < info
    assert list(table["Severity"].cat.categories) == list(analysis.SEVERITIES)
    assert (table["Resource"] != "").all()
    counts = analysis.findings_counts(found)
    assert counts["Findings"].sum() == len(found)
    with pytest.raises(ValueError, match="severity"):
        analysis.Finding(
            severity="urgent",
            code="X",
            resource_type="pool",
            resource_id="p",
            resource_arn="",
            region="r",
            account="a",
            message="m",
            fix="f",
        )
