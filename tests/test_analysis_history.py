"""The SQLite history file: snapshots append, "no data yet" stays NA, backends stay apart."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from ppv2kit import analysis
from ppv2kit.analysis import history as history_mod

from .analysis_support import demo


@pytest.fixture(scope="module")
def report() -> analysis.SpendReport:
    return analysis.spend_report(demo()[1])


def test_two_snapshots_build_a_trend(tmp_path, report: analysis.SpendReport) -> None:
    path = tmp_path / "sub" / "history.sqlite"
    later = report.as_of + pd.Timedelta(days=1)
    with analysis.History(path) as h:
        assert h.record_spend(report.status, backend="SANDBOX", taken_at=report.as_of) == 6
        h.record_spend(report.status, backend="SANDBOX", taken_at=later)
        h.record_spend(report.status, backend="AWS", taken_at=later)
    with analysis.History(path) as h:  # reopened: it is a file
        rows = h.spend(backend="SANDBOX", region="eu-west-2", kind="TEXT")
        everything = h.spend()
    assert rows["taken_at"].tolist() == [report.as_of, later]
    expected = report.status.set_index(["Region", "Kind"]).loc[("eu-west-2", "TEXT")]
    assert rows["month_to_date"].tolist() == [expected["MonthToDate"]] * 2
    assert rows["enforced_limit"].tolist() == [25, 25] and rows["overridden"].all()
    assert rows["month"].tolist() == ["2026-11"] * 2
    assert len(everything) == 18 and set(everything["backend"]) == {"SANDBOX", "AWS"}
    assert str(rows["taken_at"].dtype) == "datetime64[us, UTC]"
    assert rows["month_to_date"].dtype == "Float64"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == history_mod.SCHEMA_VERSION


def test_no_data_yet_is_stored_as_null_not_zero(report: analysis.SpendReport) -> None:
    with analysis.History(":memory:") as h:
        h.record_spend(report.status, backend="SANDBOX", taken_at=report.as_of)
        row = h.spend(region="eu-west-2", kind="VOICE").iloc[0]
        raw = h._db.execute(
            "SELECT month_to_date, data_status FROM spend WHERE region='eu-west-2' AND kind='VOICE'"
        ).fetchone()
    assert pd.isna(row["month_to_date"]) and row["data_status"] == "no data yet"
    assert raw == (None, "no data yet")


def test_inventory_snapshot_rows(tmp_path) -> None:
    _, kit, inv = demo()
    summary = analysis.inventory_summary(inv, total=True)
    found = analysis.findings_frame(analysis.inventory_findings(inv))
    with analysis.History(tmp_path / "h.sqlite") as h:
        assert (
            h.record_inventory(summary, backend=kit.backend, taken_at=inv.taken_at, findings=found)
            == 3
        )
        rows = h.inventory(backend="SANDBOX").set_index("region")
    per_region = summary.set_index("Region")
    for region in ("us-east-1", "eu-west-2", "ap-southeast-2"):
        assert rows.loc[region, "phone_numbers"] == per_region.loc[region, "PhoneNumbers"]
        assert rows.loc[region, "opted_out_numbers"] == per_region.loc[region, "OptedOutNumbers"]
        assert rows.loc[region, "findings"] == (found["Region"] == region).sum()
    assert rows.loc["eu-west-2", "findings_high"] == 1


def test_default_path_follows_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PPV2KIT_HISTORY", str(tmp_path / "x.sqlite"))
    assert history_mod.default_path() == tmp_path / "x.sqlite"
    with analysis.History() as h:
        assert h.path == tmp_path / "x.sqlite"
    monkeypatch.delenv("PPV2KIT_HISTORY")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert history_mod.default_path() == tmp_path / ".ppv2kit" / "history.sqlite"


def test_take_snapshot_records_spend_and_inventory(tmp_path) -> None:
    _, kit, _ = demo()
    snap = analysis.take_snapshot(kit, tmp_path / "h.sqlite")
    with analysis.History(tmp_path / "h.sqlite") as h:
        assert len(h.spend()) == len(snap.spend) == 6
        assert len(h.inventory()) == 3
    text = "\n".join(snap.lines())
    assert "no data yet" in text and "eu-west-2" in text and str(tmp_path) in text


def test_a_sandbox_run_keeps_its_history_in_memory_unless_asked(tmp_path, monkeypatch) -> None:
    class Aws:
        backend = "AWS"

    monkeypatch.delenv(history_mod.ENV_HISTORY, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    sandbox_kit = demo()[1]
    assert analysis.history_path(sandbox_kit) == ":memory:"
    assert analysis.history_path(Aws()) == tmp_path / ".ppv2kit" / "history.sqlite"
    assert analysis.history_path(sandbox_kit, tmp_path / "h.db") == tmp_path / "h.db"
    monkeypatch.setenv(history_mod.ENV_HISTORY, str(tmp_path / "env.db"))
    assert analysis.history_path(sandbox_kit) == tmp_path / "env.db"  # Binder asks for one
    with analysis.History(":memory:") as h:
        assert h.spend().empty
    assert not (tmp_path / ".ppv2kit").exists()
