"""Spend against limits: month-to-date from CloudWatch, "no data yet", projection, warnings."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

import ppv2kit
from ppv2kit import analysis
from ppv2kit.analysis import spend as spend_mod
from ppv2kit.sandbox import Sandbox, ServiceError

from .analysis_support import NOW, REGIONS, Api, demo

MONTH_START = pd.Timestamp("2026-11-01", tz="UTC")
MONTH_END = pd.Timestamp("2026-12-01", tz="UTC")


@pytest.fixture(scope="module")
def report() -> analysis.SpendReport:
    return analysis.spend_report(demo()[1], kinds=["TEXT", "VOICE"], warn_at=0.8)


def _spent(sb: Sandbox, region: str, channel: str, until: pd.Timestamp) -> tuple[float, int]:
    """USD charged and messages priced on ``channel`` this month, from the message log."""
    log = sb.messages()
    rows = log[
        (log["Region"] == region)
        & (log["Channel"] == channel)
        & (log["Timestamp"] >= MONTH_START)
        & (log["Timestamp"] <= until)
        & log["Price"].notna()
    ]
    return float(rows["Price"].astype(float).sum()), len(rows)


def test_month_to_date_matches_the_message_log(report: analysis.SpendReport) -> None:
    sb = demo()[0]
    assert report.month_start == MONTH_START and report.month_end == MONTH_END
    assert pd.Timedelta(0) <= report.as_of - pd.Timestamp(NOW) < pd.Timedelta(minutes=10)
    status = report.status.set_index(["Region", "Kind"])
    assert len(status) == len(REGIONS) * 2
    for region in REGIONS:
        for kind in ("TEXT", "VOICE"):
            usd, count = _spent(sb, region, kind, report.as_of)
            row = status.loc[(region, kind)]
            if count == 0:
                assert row["DataStatus"] == "no data yet" and row["Status"] == "no data yet"
                assert pd.isna(row["MonthToDate"]) and pd.isna(row["Projected"])  # not $0
            else:
                assert row["DataStatus"] == "ok"
                assert row["MonthToDate"] == pytest.approx(usd, abs=1e-3)
    # The demo has no voice traffic in eu-west-2: the one "no data yet" of the report.
    assert (status["DataStatus"] == "no data yet").sum() == 1
    assert status.loc[("eu-west-2", "VOICE"), "DataStatus"] == "no data yet"


def test_projection_is_linear_on_the_month_to_date_pace(report: analysis.SpendReport) -> None:
    elapsed = (report.as_of - MONTH_START) / pd.Timedelta(days=1)
    for r in report.status[report.status["DataStatus"] == "ok"].to_dict("records"):
        assert r["Projected"] == pytest.approx(r["MonthToDate"] * 30 / elapsed, rel=1e-3)
        assert r["ProjectedShare"] == pytest.approx(r["Projected"] / r["EnforcedLimit"], rel=1e-3)
    trend = report.trend()
    for (region, kind), part in trend.groupby(["Region", "Kind"]):
        row = report.status.set_index(["Region", "Kind"]).loc[(region, kind)]
        projection = part[part["Series"] == "projection"].sort_values("Timestamp")
        assert projection["Timestamp"].tolist() == [report.as_of, MONTH_END]
        assert projection["MonthToDate"].tolist() == pytest.approx(
            [row["MonthToDate"], row["Projected"]], abs=1e-3
        )
        actual = part[part["Series"] == "actual"].sort_values("Timestamp")
        assert actual["Timestamp"].iloc[0] == MONTH_START and actual["MonthToDate"].iloc[0] == 0
        assert actual["MonthToDate"].is_monotonic_increasing
        assert actual["Timestamp"].max() <= report.as_of
    assert ("eu-west-2", "VOICE") not in set(zip(trend["Region"], trend["Kind"], strict=True))


def test_limits_and_overrides_come_from_describe_spend_limits(
    report: analysis.SpendReport,
) -> None:
    api = Api(demo()[0])
    status = report.status.set_index(["Region", "Kind"])
    for region in REGIONS:
        limits = api.client(region).describe_spend_limits()["SpendLimits"]
        by_name = {x["Name"]: x for x in limits}
        for kind, name in (
            ("TEXT", "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"),
            ("VOICE", "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT"),
        ):
            row = status.loc[(region, kind)]
            assert (row["EnforcedLimit"], row["MaxLimit"], row["Overridden"]) == (
                by_name[name]["EnforcedLimit"],
                by_name[name]["MaxLimit"],
                by_name[name]["Overridden"],
            )
    limits = analysis.spend_limits(report)
    overridden = limits[limits["Overridden"]]
    assert overridden[["Region", "Name", "EnforcedLimit"]].values.tolist() == [
        ["ap-southeast-2", "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", 15],
        ["eu-west-2", "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", 25],
    ]
    headroom = overridden["MaxLimit"] - overridden["EnforcedLimit"]
    assert overridden["Headroom"].tolist() == headroom.tolist()


def test_status_follows_the_warning_threshold(report: analysis.SpendReport) -> None:
    for warn_at in (0.8, 0.95):
        status = spend_mod.spend_status(demo()[1], warn_at=warn_at).set_index(["Region", "Kind"])
        for key, row in status.iterrows():
            if row["DataStatus"] != "ok":
                continue
            used = row["MonthToDate"] / row["EnforcedLimit"]
            projected = row["Projected"] / row["EnforcedLimit"]
            expected = "warning" if max(used, projected) >= warn_at else "ok"
            assert row["Status"] == expected, (key, warn_at, used, projected)
    # The demo's story: the capped marketing region and the launch's budget need watching.
    warned = report.warnings()
    assert sorted(w.split(":")[0] for w in warned) == ["ap-southeast-2 TEXT", "eu-west-2 TEXT"]
    with pytest.raises(ValueError, match="warn_at"):
        analysis.spend_report(demo()[1], warn_at=80)


def _sending_sandbox(now: datetime) -> tuple[Sandbox, ppv2kit.Kit]:
    sb = Sandbox(strict=True, now=now)
    client = sb.client(region_name="us-east-1")
    number = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SIMULATOR",
    )
    for _ in range(3):
        client.send_text_message(
            DestinationPhoneNumber="+14254147755",
            OriginationIdentity=number["PhoneNumberId"],
            MessageBody="hello",
        )
    return sb, ppv2kit.connect(sandbox=sb, regions=["us-east-1"])


def test_limit_reached_and_no_data_on_a_fresh_account() -> None:
    sb, kit = _sending_sandbox(datetime(2027, 3, 10, 12, tzinfo=timezone.utc))
    fresh = analysis.spend_report(kit, kinds=["TEXT", "VOICE", "MEDIA"])
    status = fresh.status.set_index("Kind")
    log = sb.messages()
    assert status.loc["TEXT", "DataStatus"] == "ok"
    assert status.loc["TEXT", "MonthToDate"] == pytest.approx(log["Price"].astype(float).sum())
    assert status.loc["VOICE", "Status"] == status.loc["MEDIA", "Status"] == "no data yet"
    assert fresh.month_start == pd.Timestamp("2027-03-01", tz="UTC")
    sb.client(region_name="us-east-1").set_text_message_spend_limit_override(MonthlyLimit=0)
    capped = analysis.spend_status(kit).set_index("Kind")
    assert capped.loc["TEXT", "Status"] == "limit reached"
    assert capped.loc["TEXT", "EnforcedLimit"] == 0 and capped.loc["TEXT", "Overridden"]


def test_next_month_starts_with_no_data() -> None:
    sb, kit = _sending_sandbox(datetime(2027, 3, 31, 23, 0, tzinfo=timezone.utc))
    sb.advance(2 * 3600)  # April 1st, 01:00
    report = analysis.spend_report(kit)
    assert report.month_start == pd.Timestamp("2027-04-01", tz="UTC")
    assert report.status.set_index("Kind").loc["TEXT", "DataStatus"] == "no data yet"
    assert report.trend().empty


def test_unreadable_metrics_are_reported_not_zeroed() -> None:
    sb, kit = _sending_sandbox(datetime(2027, 3, 10, 12, tzinfo=timezone.utc))
    served = sb.invoke

    def invoke(operation, params=None, **kw):  # CloudWatch refuses this caller
        if kw.get("service") == "cloudwatch":
            raise ServiceError("AccessDenied", "not authorized to call GetMetricData", status=403)
        return served(operation, params, **kw)

    sb.invoke = invoke  # type: ignore[method-assign]
    report = analysis.spend_report(kit)
    assert report.errors[0]["code"] == "AccessDenied"
    assert set(report.status["DataStatus"]) == {"unavailable: AccessDenied"}
    assert report.status["MonthToDate"].isna().all()
    assert set(report.status["EnforcedLimit"]) == {1}  # the limits were still read


def test_month_window_and_clock() -> None:
    start, end = analysis.month_window(pd.Timestamp("2026-12-31T23:59:59Z"))
    assert (start, end) == (
        pd.Timestamp("2026-12-01", tz="UTC"),
        pd.Timestamp("2027-01-01", tz="UTC"),
    )
    kit = demo()[1]
    assert abs(analysis.kit_now(kit) - pd.Timestamp(NOW)) < pd.Timedelta(minutes=10)
