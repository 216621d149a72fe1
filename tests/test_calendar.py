"""The product on the days calendars bite: the first minutes of a month, its last day, 29 February,
New Year; and the picker that moves ``make test``'s clock (``tests/faketime_run.py``).

Every instant here is the sandbox's, set before anything is created; nothing is compared with the
machine's clock, so these pass on any day (``make test`` also runs them under libfaketime).
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ppv2kit
from ppv2kit import analysis, charts
from ppv2kit.analysis import run_notebook, summaries
from ppv2kit.sandbox import Sandbox

from . import faketime_run

ROOT = Path(__file__).resolve().parents[1]
US = "us-east-1"
SIM_TO = "+14254147755"  # a destination simulator number


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def _sender(now: datetime) -> tuple[Sandbox, ppv2kit.Kit, Any, str]:
    """An empty sandbox whose clock starts at ``now``, with a simulator number in us-east-1."""
    sb = Sandbox(strict=True, now=now)
    client = sb.client(region_name=US)
    number = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SIMULATOR",
    )["PhoneNumberId"]
    return sb, ppv2kit.connect(sandbox=sb, regions=[US]), client, number


def _send(client: Any, number: str, count: int = 1) -> None:
    for _ in range(count):
        client.send_text_message(
            DestinationPhoneNumber=SIM_TO, OriginationIdentity=number, MessageBody="hello"
        )


def _finite(report: analysis.SpendReport) -> None:
    """No infinity or NaN hides in a number the report shows (NA is "not applicable")."""
    for col in ("MonthToDate", "Projected", "ProjectedShare", "UsedShare", "Remaining"):
        for value in report.status[col].dropna():
            assert math.isfinite(float(value)), (col, value)


# -- spend on the first minutes of a month -------------------------------------------------------
@pytest.mark.parametrize(
    "start",
    [utc(2028, 3, 1, 0, 0), utc(2028, 3, 1, 0, 5), utc(2031, 1, 1, 0, 9)],
    ids=["00:00", "00:05", "new-year-00:09"],
)
def test_spend_on_the_first_of_the_month_says_no_data_yet(start: datetime) -> None:
    sb, kit, client, number = _sender(start - timedelta(days=3))
    _send(client, number, 3)  # last month's traffic
    sb.advance(timedelta(days=3).total_seconds())
    report = analysis.spend_report(kit, kinds=["TEXT", "VOICE"])
    assert report.month_start == pd.Timestamp(start).normalize().replace(day=1)
    assert (report.as_of - pd.Timestamp(start)) < pd.Timedelta(minutes=1)
    assert set(report.status["DataStatus"]) == {"no data yet"}
    assert report.status["MonthToDate"].isna().all() and report.status["Projected"].isna().all()
    assert report.warnings() == [] and report.trend().empty
    for figure in (
        charts.spend_gauges(report.status),
        charts.spend_trend(report.trend()),
    ):
        assert figure.to_dict()["layout"]  # renders
    sb.close()


def test_a_send_minutes_into_a_month_projects_over_at_least_a_day() -> None:
    sb, kit, client, number = _sender(utc(2028, 3, 1, 0, 4))
    _send(client, number)
    report = analysis.spend_report(kit, kinds=["TEXT"])
    row = report.status.iloc[0]
    price = float(sb.messages()["Price"].astype(float).sum())
    assert row["DataStatus"] == "ok" and row["MonthToDate"] == pytest.approx(price, abs=1e-6)
    # Measured over five minutes the pace would project ~9,000 sends; over a day, 31.
    assert row["Projected"] == pytest.approx(price * 31, rel=1e-6)
    assert row["Status"] == "ok"
    _finite(report)
    sb.close()


@pytest.mark.parametrize(
    ("first_send", "as_of", "month_days"),
    [
        (utc(2028, 2, 3, 9), utc(2028, 2, 29, 23, 30), 29),  # leap day, last half hour
        (utc(2029, 2, 3, 9), utc(2029, 2, 28, 23, 59), 28),  # last minute of a short month
        (utc(2027, 4, 2, 9), utc(2027, 4, 30, 12), 30),
        (utc(2030, 12, 1, 0, 1), utc(2030, 12, 31, 23, 58), 31),  # New Year's Eve
    ],
)
def test_projection_on_the_last_day_uses_the_calendar_month(
    first_send: datetime, as_of: datetime, month_days: int
) -> None:
    sb, kit, client, number = _sender(first_send)
    _send(client, number, 4)
    sb.advance((as_of - first_send).total_seconds())
    report = analysis.spend_report(kit, kinds=["TEXT"])
    start = pd.Timestamp(as_of).normalize().replace(day=1)
    assert report.month_start == start
    assert (report.month_end - start) == pd.Timedelta(days=month_days)
    elapsed = (report.as_of - start) / pd.Timedelta(days=1)
    row = report.status.iloc[0]
    price = float(sb.messages()["Price"].astype(float).sum())
    assert row["MonthToDate"] == pytest.approx(price, abs=1e-6)
    assert row["Projected"] == pytest.approx(price * month_days / elapsed, rel=1e-6)
    _finite(report)
    # A minute later the month turns: nothing is carried into the next one.
    sb.advance((report.month_end - report.as_of).total_seconds() + 60)
    after = analysis.spend_report(kit, kinds=["TEXT"])
    assert after.month_start == report.month_end
    assert after.status.iloc[0]["DataStatus"] == "no data yet"
    sb.close()


# -- the demo seed's month of traffic ------------------------------------------------------------
def test_the_demo_seed_on_new_years_day_has_last_years_month_of_traffic() -> None:
    now = utc(2031, 1, 1, 0, 5)
    sb = Sandbox(seed="demo", now=now, strict=True)
    log = sb.messages()
    stamps = log["Timestamp"]
    assert len(log) > 1000
    assert stamps.max() < pd.Timestamp(utc(2031, 1, 1))
    assert stamps.min() >= pd.Timestamp(utc(2030, 11, 25))
    assert set(stamps.dt.year) == {2030}
    # Every day of the window has traffic (a month of it, not a stub).
    assert stamps.dt.normalize().nunique() >= 28
    kit = ppv2kit.connect(sandbox=sb)
    report = analysis.spend_report(kit)
    assert report.month_start == pd.Timestamp(utc(2031, 1, 1))
    assert set(report.status["DataStatus"]) == {"no data yet"}
    december = analysis.spend_report(kit, now=utc(2030, 12, 31, 23, 59))
    assert (december.status["DataStatus"] == "ok").sum() >= 3
    _finite(december)
    sb.close()


# -- the demo's spend story, whatever the day ------------------------------------------------------
@pytest.mark.parametrize(
    "now",
    [
        utc(2026, 12, 2, 0, 5),  # the first minutes of the 2nd
        utc(2027, 3, 14, 12, 0),
        utc(2028, 2, 29, 23, 50),  # a leap day, the month's last minutes
        utc(2030, 12, 31, 20, 0),
        utc(2031, 1, 2, 23, 55),  # the 2nd's last minutes: the slowest pace of the story
    ],
    ids=str,
)
def test_the_demo_spend_story_holds_on_any_day_from_the_second(now: datetime) -> None:
    sb = Sandbox(seed="demo", now=now, strict=True)
    report = analysis.spend_report(ppv2kit.connect(sandbox=sb), kinds=["TEXT"])
    rows = report.status.set_index("Region")
    eu, ap, us = rows.loc["eu-west-2"], rows.loc["ap-southeast-2"], rows.loc[US]
    # eu-west-2: month-to-date past the 80 % warning, below its $25 cap (sends still go out).
    assert eu["Status"] == "warning"
    assert 0.8 <= eu["MonthToDate"] / eu["EnforcedLimit"] < 1
    # ap-southeast-2: projected to reach its budget before month end, not reached yet, except
    # in the month's last hours, when it stands past the warning itself.
    assert ap["Status"] == "warning" and ap["MonthToDate"] < ap["EnforcedLimit"]
    last_hours = (report.month_end - report.as_of) < pd.Timedelta(hours=12)
    assert ap["Projected"] >= ap["EnforcedLimit"] or (
        last_hours and ap["MonthToDate"] >= 0.8 * ap["EnforcedLimit"]
    )
    assert us["Status"] == "ok"
    _finite(report)
    sb.close()


def test_the_demo_on_the_first_of_a_month_has_no_spend_yet_to_show() -> None:
    sb = Sandbox(seed="demo", now=utc(2027, 6, 1, 8, 0), strict=True)
    report = analysis.spend_report(ppv2kit.connect(sandbox=sb), kinds=["TEXT"])
    assert set(report.status["DataStatus"]) == {"no data yet"}
    sb.close()


# -- history across a month boundary -------------------------------------------------------------
def test_history_snapshots_across_a_month_boundary(tmp_path: Path) -> None:
    sb = Sandbox(seed="demo", now=utc(2029, 1, 31, 23, 50), strict=True)
    kit = ppv2kit.connect(sandbox=sb, regions=[US])
    path = tmp_path / "history.sqlite"
    before = analysis.take_snapshot(kit, path, kinds=["TEXT"])
    sb.advance(20 * 60)  # 1 February, 00:10
    after = analysis.take_snapshot(kit, path, kinds=["TEXT"])
    assert before.taken_at.month == 1 and after.taken_at.month == 2
    with analysis.History(path) as history:
        spend = history.spend(backend="SANDBOX")
    assert list(spend["month"]) == ["2029-01", "2029-02"]
    january, february = spend.iloc[0], spend.iloc[1]
    assert january["data_status"] == "ok" and january["month_to_date"] > 0
    assert february["data_status"] == "no data yet" and pd.isna(february["month_to_date"])
    # The chart breaks the line where February begins instead of drawing a collapse.
    trace = charts.spend_history(spend).data[0]
    assert list(trace.y) == [pytest.approx(float(january["month_to_date"])), None, None]
    assert pd.Timestamp(trace.x[1]) == pd.Timestamp(utc(2029, 2, 1))
    sb.close()


# -- the notebooks' NOW parameter at those dates -------------------------------------------------
def _summary(name: str, tmp_path: Path, **params: Any) -> dict[str, Any]:
    result = run_notebook(
        ROOT / "notebooks" / f"{name}.ipynb",
        None,
        {"SANDBOX": "demo", **params},
        cwd=tmp_path,
        timeout=300,
    )
    assert result.error == "" and result.unknown == []
    for cell in result.notebook.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", out
    (values,) = summaries(result.notebook).values()
    return values


@pytest.mark.parametrize(
    ("now", "month", "data"),
    [
        ("2028-03-01T00:05Z", "2028-03", False),
        ("2028-02-29T23:30Z", "2028-02", True),
        ("2031-01-01T00:05Z", "2031-01", False),
    ],
)
def test_spend_notebook_at_calendar_edges(tmp_path: Path, now: str, month: str, data: bool) -> None:
    values = _summary(
        "02_spend_limits", tmp_path, NOW=now, HISTORY=str(tmp_path / "history.sqlite")
    )
    assert values["month"] == month
    statuses = {row["DataStatus"] for row in values["status"]}
    assert ("ok" in statuses) is data
    if not data:
        assert statuses == {"no data yet"} and values["warnings"] == []
    for row in values["status"]:
        for key in ("MonthToDate", "Projected"):
            assert row[key] is None or math.isfinite(row[key])


def test_inventory_notebook_on_new_years_day(tmp_path: Path) -> None:
    values = _summary("01_inventory", tmp_path, NOW="2031-01-01T00:05Z")
    assert values["backend"] == "SANDBOX" and values["errors"] == 0
    assert sorted(values["totals"]) == ["ap-southeast-2", "eu-west-2", "us-east-1"]
    assert all(t["phone_numbers"] > 0 for t in values["totals"].values())


# -- the picker of make test's faked date --------------------------------------------------------
def test_the_faketime_picker_stays_within_five_years_and_hits_the_edges() -> None:
    now = utc(2026, 12, 5, 9, 1)
    kinds: set[str] = set()
    for seed in range(400):
        when, kind = faketime_run.pick(random.Random(seed), now)
        kinds.add(kind)
        assert now <= when <= now + timedelta(days=5 * 365 + 1), (seed, when)
        if kind == "month end":
            assert (when + timedelta(minutes=15)).day == 1 and when.hour == 23
        elif kind == "first of a month":
            assert when.day == 1 and when.hour == 0 and when.minute < 10
        elif kind == "29 February":
            assert (when.month, when.day) == (2, 29)
        elif kind == "New Year's Eve":
            assert (when.month, when.day, when.hour) == (12, 31, 23)
    assert kinds == {"any moment", *faketime_run.KINDS}
    assert faketime_run.parse("2029-02-28T23:55:00Z") == utc(2029, 2, 28, 23, 55)
    assert faketime_run.parse("2029-02-28 23:55") == utc(2029, 2, 28, 23, 55)
    assert faketime_run.stamp(utc(2029, 2, 28, 23, 55)) == "2029-02-28T23:55:00Z"
