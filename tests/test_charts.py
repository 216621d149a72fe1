"""Charts: each figure carries the analysis values it shows; empty inputs say so."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ppv2kit import analysis, charts

from .analysis_support import demo


@pytest.fixture(scope="module")
def report() -> analysis.SpendReport:
    return analysis.spend_report(demo()[1])


def test_offline_renderer_embeds_plotly() -> None:
    previous = charts.use_offline_renderer()
    try:
        assert pio.renderers.default == "plotly_mimetype+notebook"
        assert "connected" not in pio.renderers.default
    finally:
        pio.renderers.default = previous


def test_cost_chart_stacks_each_type_per_country() -> None:
    _, _, inv = demo()
    cost = analysis.leasing_cost(inv, by=["IsoCountryCode", "NumberType"])
    fig = charts.cost_by_country_and_type(cost)
    bars = [t for t in fig.data if t.type == "bar"]
    assert {t.name for t in bars} == set(cost["NumberType"])
    per_country = cost.groupby("IsoCountryCode")["MonthlyLeasingUSD"].sum()
    stacked = pd.Series(0.0, index=list(bars[0].x))
    for t in bars:
        stacked += pd.Series(list(t.y), index=list(t.x))
    assert stacked.to_dict() == pytest.approx(per_country.to_dict())
    assert bars[0].x[0] == per_country.idxmax()
    assert charts.cost_by_country_and_type(cost, log_scale=True).layout.yaxis.type == "log"


def test_gauges_show_spend_and_no_data(report: analysis.SpendReport) -> None:
    fig = charts.spend_gauges(report.status)
    gauges = [t for t in fig.data if t.type == "indicator"]
    assert len(gauges) == len(report.status)
    with_data = report.status[report.status["DataStatus"] == "ok"]
    values = sorted(t.value for t in gauges if "number" in t.mode)
    assert values == pytest.approx(sorted(with_data["MonthToDate"].astype(float)))
    assert sum("no data yet" in t.title.text for t in gauges) == 1


def test_trend_has_actual_and_projection(report: analysis.SpendReport) -> None:
    fig = charts.spend_trend(report.trend())
    names = [t.name for t in fig.data]
    series = report.status[report.status["DataStatus"] == "ok"]
    assert names.count("actual") == names.count("projection") == len(series)
    projected_ends = sorted(t.y[-1] for t in fig.data if t.name == "projection")
    assert projected_ends == pytest.approx(sorted(series["Projected"].astype(float)))
    # The $15 and $25 limits near their spend are lines; the others are noted off scale.
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [15, 25]
    off_scale = [a.text for a in fig.layout.annotations if "off scale" in (a.text or "")]
    assert len(off_scale) == len(series) - 2


def test_opt_out_charts_carry_the_counts() -> None:
    _, _, inv = demo()
    numbers = analysis.opted_out(inv)
    timeline = analysis.opt_out_timeline(numbers, "M", by="Source")
    fig = charts.opt_out_timeline(timeline)
    assert sum(sum(t.y) for t in fig.data) == len(numbers)
    assert {t.name for t in fig.data} == {"end user", "manual"}
    lists = analysis.opt_out_lists(inv)
    usage = charts.list_usage(lists)
    assert sum(sum(t.x) for t in usage.data) == lists["Numbers"].sum()
    unused = next(t for t in usage.data if t.name == "unused")
    assert list(unused.y) == ["us-east-1 / legacy-provider-import"]


def test_findings_chart_and_history_chart() -> None:
    _, _, inv = demo()
    table = analysis.findings_frame(analysis.inventory_findings(inv))
    fig = charts.findings_by_severity(table)
    assert sum(sum(t.x) for t in fig.data) == len(table)
    assert {t.name for t in fig.data} == set(table["Severity"].astype(str))
    with analysis.History(":memory:") as h:
        report = analysis.spend_report(demo()[1])
        h.record_spend(report.status, backend="SANDBOX", taken_at=report.as_of)
        hist = charts.spend_history(h.spend())
    gap = next(t for t in hist.data if t.name == "eu-west-2 · VOICE")
    assert list(gap.y) == [None]  # no data yet is a gap, not 0


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.cost_by_country_and_type(
            pd.DataFrame(
                columns=["IsoCountryCode", "NumberType", "Identities", "MonthlyLeasingUSD"]
            )
        ),
        lambda: charts.spend_gauges(pd.DataFrame(columns=["Region", "Kind"])),
        lambda: charts.spend_trend(pd.DataFrame()),
        lambda: charts.spend_history(pd.DataFrame()),
        lambda: charts.opt_out_timeline(pd.DataFrame()),
        lambda: charts.list_usage(pd.DataFrame()),
        lambda: charts.findings_by_severity(analysis.findings_frame([])),
    ],
)
def test_empty_inputs_give_a_titled_message(make) -> None:
    fig = make()
    assert isinstance(fig, go.Figure) and fig.layout.title.text
    assert len(fig.layout.annotations) == 1 and not fig.data


def test_spend_bars_put_every_row_on_one_share_axis(report: analysis.SpendReport) -> None:
    fig = charts.spend_bars(report.status, warn_at=0.8)
    bar = next(t for t in fig.data if t.type == "bar")
    assert len(bar.y) == len(report.status) and len(set(bar.y)) == len(bar.y)
    rows = report.status.to_dict("records")
    for row, share, text, label in zip(rows, bar.x, bar.customdata, bar.y, strict=True):
        assert label.startswith(f"<b>{row['Region']} · {row['Kind']}</b>") and text in label
        if pd.isna(row["MonthToDate"]):
            assert share == 0 and text == "no data yet"
        else:
            assert share == pytest.approx(row["MonthToDate"] / row["EnforcedLimit"])
            assert text.startswith(f"${row['MonthToDate']:,.2f} of ${row['EnforcedLimit']:,.0f}")
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.height < 500


def test_skewed_costs_switch_to_a_log_axis() -> None:
    cost = pd.DataFrame(
        {
            "IsoCountryCode": ["US", "GB", "AU"],
            "NumberType": ["SHORT_CODE", "LONG_CODE", "LONG_CODE"],
            "Identities": [1, 2, 3],
            "MonthlyLeasingUSD": [995.0, 2.0, 6.0],
        }
    )
    assert charts.cost_by_country_and_type(cost).layout.yaxis.type == "log"
    even = cost.assign(MonthlyLeasingUSD=[10.0, 2.0, 6.0])
    assert charts.cost_by_country_and_type(even).layout.yaxis.type != "log"
    assert charts.cost_by_country_and_type(cost, log_scale=False).layout.yaxis.type != "log"


def test_the_running_period_is_marked_and_a_bulk_import_does_not_flatten_the_rest() -> None:
    periods = pd.to_datetime(["2026-09-01", "2026-10-01", "2026-11-01"])
    timeline = pd.DataFrame({"Period": periods, "OptOuts": [650, 12, 3]})
    fig = charts.opt_out_timeline(timeline, now=pd.Timestamp("2026-11-05", tz="UTC"))
    assert list(fig.data[0].marker.pattern.shape) == ["", "", "/"]
    assert [a.text for a in fig.layout.annotations] == ["so far", "650 ↑"]
    assert fig.layout.yaxis.range[1] < 650 / 10  # the import does not flatten the rest
    done = charts.opt_out_timeline(timeline, now=pd.Timestamp("2026-12-05", tz="UTC"))
    assert [a.text for a in done.layout.annotations] == ["650 ↑"]  # no "so far": November ended
    assert "/" not in list(done.data[0].marker.pattern.shape)


def test_registration_timeline_has_a_bar_per_version_status() -> None:
    reg = analysis.registrations(demo()[1])
    timeline = analysis.version_timeline(reg)
    fig = charts.registration_timeline(timeline)
    bars = [t for t in fig.data if t.type == "bar"]
    assert {t.name for t in bars} == set(timeline["Status"])
    assert sum(len(t.y) for t in bars) == len(timeline)
    assert len({y for t in bars for y in t.y}) == len(reg.versions)
    denied = next(t for t in bars if t.name == "DENIED")
    span = timeline[timeline["Status"] == "DENIED"].iloc[0]
    assert denied.x[0] == pytest.approx(
        (span["End"] - span["Start"]) / pd.Timedelta(milliseconds=1)
    )
    empty = charts.registration_timeline(timeline.iloc[0:0])
    assert empty.layout.annotations[0].text == "no registrations"


def test_registration_status_counts_stack_to_each_type_total() -> None:
    reg = analysis.registrations(demo()[1])
    counts = analysis.status_counts(reg)
    fig = charts.registration_status_counts(counts)
    totals: dict[str, int] = {}
    for t in fig.data:
        for y, x in zip(t.y, t.x, strict=True):
            totals[y] = totals.get(y, 0) + x
    assert totals == reg.registrations["RegistrationType"].astype(str).value_counts().to_dict()
