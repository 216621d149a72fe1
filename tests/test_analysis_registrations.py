"""Registrations analysis on the demo account at a fixed clock, checked against plain boto3."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ppv2kit import analysis

from .analysis_support import NOW, REGIONS, Api, demo


@pytest.fixture(scope="module")
def api() -> Api:
    return Api(demo()[0])


@pytest.fixture(scope="module")
def reg() -> analysis.Registrations:
    return analysis.registrations(demo()[1])


def _registrations(api: Api) -> list[dict[str, Any]]:
    return [
        dict(r, Region=region)
        for region in REGIONS
        for r in api.pages(region, "describe_registrations", "Registrations")
    ]


def _versions(api: Api, region: str, registration_id: str) -> list[dict[str, Any]]:
    return api.pages(
        region,
        "describe_registration_versions",
        "RegistrationVersions",
        RegistrationId=registration_id,
    )


def test_taken_at_is_the_sandbox_clock(reg: analysis.Registrations) -> None:
    assert reg.taken_at is not None
    assert pd.Timestamp(NOW) <= reg.taken_at < pd.Timestamp(NOW) + pd.Timedelta(minutes=5)


def test_table_has_every_registration_with_days_in_status(
    api: Api, reg: analysis.Registrations
) -> None:
    table = analysis.registration_table(reg)
    expected = _registrations(api)
    assert sorted(table["RegistrationId"]) == sorted(r["RegistrationId"] for r in expected)
    rows = {r["RegistrationId"]: r for r in table.to_dict("records")}
    for r in expected:
        row = rows[r["RegistrationId"]]
        assert row["RegistrationStatus"] == r["RegistrationStatus"]
        assert row["RegistrationType"] == r["RegistrationType"]
        assert row["CurrentVersionNumber"] == r["CurrentVersionNumber"]
        versions = {v["VersionNumber"]: v for v in _versions(api, r["Region"], r["RegistrationId"])}
        history = versions[r["CurrentVersionNumber"]]["RegistrationVersionStatusHistory"]
        if r["RegistrationStatus"] == "COMPLETE":
            since = versions[r["ApprovedVersionNumber"]]["RegistrationVersionStatusHistory"][
                "ApprovedTimestamp"
            ]
        elif r["RegistrationStatus"] == "REQUIRES_UPDATES":
            since = versions[r["LatestDeniedVersionNumber"]]["RegistrationVersionStatusHistory"][
                "DeniedTimestamp"
            ]
        else:
            since = max(history.values())
        since = pd.Timestamp(since)
        assert row["StatusSince"] == since
        days = (reg.taken_at - since) / pd.Timedelta(days=1)
        assert row["DaysInStatus"] == pytest.approx(days, abs=0.06)
        if "SubmittedTimestamp" in history:
            assert row["SubmittedAt"] == pd.Timestamp(history["SubmittedTimestamp"])
        else:
            assert pd.isna(row["SubmittedAt"])


def test_table_says_what_each_registration_covers(api: Api, reg: analysis.Registrations) -> None:
    table = analysis.registration_table(reg).set_index("RegistrationId")
    for r in _registrations(api):
        assoc = api.pages(
            r["Region"],
            "list_registration_associations",
            "RegistrationAssociations",
            RegistrationId=r["RegistrationId"],
        )
        row = table.loc[r["RegistrationId"]]
        assert sorted(row["PhoneNumbers"]) == sorted(
            a["PhoneNumber"] for a in assoc if a["ResourceType"] == "phone-number"
        )
        assert sorted(row["SenderIds"]) == sorted(
            a["ResourceId"] for a in assoc if a["ResourceType"] == "sender-id"
        )
        brands = [a["ResourceId"] for a in assoc if a["ResourceType"] == "registration"]
        if brands:
            assert brands[0] in row["Brand"] and "Juniper Pay" in row["Brand"]
        else:
            assert pd.isna(row["Brand"])


def test_blocked_senders_are_the_unregistered_us_numbers(
    api: Api, reg: analysis.Registrations
) -> None:
    blocked = analysis.blocked_senders(reg)
    statuses = {r["RegistrationId"]: r["RegistrationStatus"] for r in _registrations(api)}
    expected = {}
    for region in REGIONS:
        for n in api.numbers(region):
            if n["IsoCountryCode"] != "US" or n["NumberType"] not in ("TEN_DLC", "TOLL_FREE"):
                continue
            status = statuses.get(n.get("RegistrationId", ""))
            if status is None:
                expected[n["PhoneNumber"]] = "missing"
            elif status != "COMPLETE":
                expected[n["PhoneNumber"]] = "pending"
    got = dict(zip(blocked["Resource"], blocked["Problem"], strict=True))
    assert got == expected
    assert "missing" in got.values() and "pending" in got.values()
    assert blocked["Meaning"].str.contains("blocked").all()


def test_needs_action_lists_the_demo_story(reg: analysis.Registrations) -> None:
    actions = analysis.needs_action(reg)
    table = analysis.registration_table(reg).set_index("RegistrationId")
    by_action = {a: set(g["RegistrationId"]) for a, g in actions.groupby("Action")}
    denied = set(table.index[table["RegistrationStatus"] == "REQUIRES_UPDATES"])
    assert by_action["DENIED"] == denied
    detail = actions[actions["Action"] == "DENIED"]["Detail"].iloc[0]
    assert "Opt-out language missing" in detail
    assert by_action["AUTHENTICATE"] == set(
        table.index[table["RegistrationStatus"] == "REQUIRES_AUTHENTICATION"]
    )
    drafts = set(table.index[table["CurrentVersionStatus"] == "DRAFT"])
    assert by_action["DRAFT"] == drafts
    assert "SLOW_REVIEW" not in by_action
    # A shorter usual time makes the toll-free review late.
    late = analysis.needs_action(reg, review_days={"US_TOLL_FREE_REGISTRATION": 2})
    slow = late[late["Action"] == "SLOW_REVIEW"]
    assert set(slow["RegistrationType"]) == {"US_TOLL_FREE_REGISTRATION"}
    assert (slow["Days"] > 2).all()
    assert analysis.needs_action(reg, draft_days=1000)["Action"].ne("DRAFT").all()


def test_status_counts_add_up(api: Api, reg: analysis.Registrations) -> None:
    counts = analysis.status_counts(reg).set_index("RegistrationType")
    expected = pd.Series([r["RegistrationType"] for r in _registrations(api)]).value_counts()
    assert counts.sum(axis=1).to_dict() == expected.to_dict()


def test_timeline_follows_each_version_history(reg: analysis.Registrations) -> None:
    timeline = analysis.version_timeline(reg)
    assert (timeline["End"] >= timeline["Start"]).all()
    per_version = timeline.groupby(["RegistrationId", "VersionNumber"])
    assert per_version.ngroups == len(reg.versions)
    assert (per_version["Current"].sum() == 1).all()
    current = timeline[timeline["Current"]]
    assert (current["End"] == reg.taken_at).all()
    denied = timeline[timeline["Status"] == "DENIED"]
    assert len(denied) == 1


def test_findings_use_the_inventory_format(reg: analysis.Registrations) -> None:
    found = analysis.registration_findings(reg)
    assert all(isinstance(f, analysis.Finding) for f in found)
    frame = analysis.findings_frame(found)
    codes = set(frame["Code"])
    assert {
        "REGISTRATION_MISSING",
        "REGISTRATION_PENDING",
        "REGISTRATION_DENIED_VERSION",
        "REGISTRATION_AUTHENTICATION",
        "REGISTRATION_STALE_DRAFT",
    } <= codes
    missing = frame[frame["Code"] == "REGISTRATION_MISSING"]
    assert set(missing["ResourceId"]) == set(
        analysis.blocked_senders(reg).query("Problem == 'missing'")["ResourceId"]
    )
    assert missing["ResourceArn"].str.startswith("arn:").all()
    _, _, inv = demo()
    merged = analysis.findings_frame(analysis.inventory_findings(inv) + found)
    assert len(merged) == len(analysis.inventory_findings(inv)) + len(found)
