"""The shipped notebooks: committed clean, thin and ruff-clean; each runs headless on the demo
sandbox with no error output, and its key results (the ``Summary`` it displays) are checked
against values computed here from plain boto3 reads.

Each execution starts a kernel and builds the demo account (about 10 s per notebook).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from ppv2kit.analysis import run_notebook, summaries

from .analysis_support import NOW_TEXT, REGIONS, Api, demo, price

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COMMON = ("SANDBOX", "PROFILE", "REGIONS", "NOW")


def test_the_five_notebooks_exist() -> None:
    assert [p.stem for p in NOTEBOOKS] == [
        "01_inventory",
        "02_spend_limits",
        "03_opt_out_audit",
        "04_send_and_configure",
        "05_registrations",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean_and_thin(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    first = code[0]
    assert first.metadata.get("tags") == ["parameters"]
    defaults = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(first.source).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert list(defaults)[: len(COMMON)] == list(COMMON)
    assert defaults["SANDBOX"] == "demo" and defaults["PROFILE"] is None
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    for cell in code:  # logic lives in ppv2kit: no functions or classes defined here
        tree = ast.parse(cell.source)
        assert not any(
            isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda)) for n in ast.walk(tree)
        ), cell.source
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_notebooks_pass_ruff() -> None:
    for args in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "notebooks"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def _run(name: str, tmp_path: Path, **params: Any) -> dict[str, Any]:
    """Execute a notebook on the demo sandbox at NOW; its Summary values (no error allowed)."""
    path = ROOT / "notebooks" / f"{name}.ipynb"
    result = run_notebook(
        path,
        tmp_path / f"{name}.html",
        {"SANDBOX": "demo", "NOW": NOW_TEXT, **params},
        cwd=tmp_path,
        timeout=300,
    )
    assert result.error == ""
    assert result.unknown == []
    nb = result.notebook
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None
        for out in cell.outputs:
            assert out.output_type != "error", out
            assert not (out.output_type == "stream" and out.name == "stderr"), out.text
    found = summaries(nb)
    assert len(found) == 1
    return next(iter(found.values()))


def test_inventory_notebook(tmp_path: Path) -> None:
    values = _run("01_inventory", tmp_path)
    api = Api(demo()[0])
    assert values["backend"] == "SANDBOX" and values["errors"] == 0
    assert sorted(values["totals"]) == sorted(REGIONS)
    for region in REGIONS:
        numbers, senders = api.numbers(region), api.sender_ids(region)
        got = values["totals"][region]
        assert got["phone_numbers"] == len(numbers)
        assert got["sender_ids"] == len(senders)
        assert got["pools"] == len(api.pools(region))
        assert got["opted_out_numbers"] == sum(
            len(api.opted_out(region, n)) for n in api.lists(region)
        )
        cost = sum(price(x["MonthlyLeasingPrice"]) for x in numbers + senders)
        assert got["monthly_leasing_usd"] == pytest.approx(float(cost))
    high = [
        f
        for f in values["findings"]
        if f["Severity"] == "high" and not f["Code"].startswith("REGISTRATION_")
    ]
    unprotected_pooled = [
        n["PhoneNumberId"]
        for r in REGIONS
        for n in api.numbers(r)
        if n.get("PoolId") and not n["DeletionProtectionEnabled"]
    ]
    assert [f["ResourceId"] for f in high] == unprotected_pooled
    codes = {f["Code"] for f in values["findings"]}
    assert {
        "CONFIG_SET_WITHOUT_EVENT_DESTINATION",
        "UNUSED_OPT_OUT_LIST",
        "SELF_MANAGED_OPT_OUTS",
        "REGISTRATION_MISSING",
    } <= codes
    html = (tmp_path / "01_inventory.html").read_text()
    assert "Plotly.newPlot" in html and "<table" in html


def test_spend_notebook(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    values = _run("02_spend_limits", tmp_path, HISTORY=str(history))
    sb = demo()[0]
    log = sb.messages()
    as_of = pd.Timestamp(values["as_of"])
    month = log[
        (log["Timestamp"] >= pd.Timestamp("2026-11-01", tz="UTC")) & (log["Timestamp"] <= as_of)
    ]
    elapsed = (as_of - pd.Timestamp("2026-11-01", tz="UTC")) / pd.Timedelta(days=1)
    assert values["month"] == "2026-11" and len(values["status"]) == 6
    for row in values["status"]:
        sent = month[(month["Region"] == row["Region"]) & (month["Channel"] == row["Kind"])]
        if sent.empty:
            assert row["DataStatus"] == "no data yet"
            assert row["MonthToDate"] is None and row["Projected"] is None
        else:
            spent = float(sent["Price"].astype(float).sum())
            assert row["MonthToDate"] == pytest.approx(spent, abs=1e-3)
            assert row["Projected"] == pytest.approx(spent * 30 / elapsed, rel=1e-3)
    assert any(w.startswith("eu-west-2 TEXT") for w in values["warnings"])
    assert values["snapshots"] == 1 and history.exists()


def test_opt_out_notebook_checks_a_contact_list(tmp_path: Path) -> None:
    api = Api(demo()[0])
    pool = api.pool_named("us-east-1", "alerts-us")
    on_list = [e["OptedOutNumber"] for e in api.opted_out("us-east-1", pool["OptOutListName"])]
    other = [e["OptedOutNumber"] for e in api.opted_out("us-east-1", "legacy-provider-import")]
    other = [n for n in other if n not in set(on_list)][:4]
    contacts = pd.DataFrame(
        {
            "customer": range(12),
            "mobile": on_list[:5] + other + ["+12065559990", "+12065559991", "+447400100037"],
        }
    )
    contacts.to_csv(tmp_path / "contacts.csv", index=False)
    values = _run(
        "03_opt_out_audit",
        tmp_path,
        CONTACTS=str(tmp_path / "contacts.csv"),
        CAMPAIGN_IDENTITY="alerts-us",
        EXPORT_DIR=str(tmp_path / "exports"),
    )
    assert values["campaign_identity"] == pool["PoolId"]
    assert values["campaign_list"] == pool["OptOutListName"]
    assert values["contacts"] == 12
    assert sorted(values["blocked"]) == sorted(on_list[:5])
    assert set(values["blocked_reasons"]) == {"OPTED_OUT"}
    total = sum(1 for _ in api.everything_opted_out())
    assert values["opted_out_numbers"] == total
    for region in REGIONS:
        for name in api.lists(region):
            assert values["lists"][f"{region}/{name}"]["numbers"] == len(
                api.opted_out(region, name)
            )
    assert values["lists"]["us-east-1/legacy-provider-import"]["used"] is False
    exported = [Path(p) for p in values["exported"]]
    assert [p.name for p in exported] == ["opted-out-numbers.csv", "opt-out-audit.xlsx"]
    assert len(pd.read_csv(exported[0])) == total


def test_send_and_configure_notebook(tmp_path: Path) -> None:
    values = _run("04_send_and_configure", tmp_path)
    assert values["scripted"] is True
    assert values["encoding_before"].endswith("UCS-2") and values["encoding_after"].endswith(
        "GSM-7"
    )
    assert values["message_id"] and values["message_status"] in ("SUCCESSFUL", "DELIVERED")
    assert values["event_types"] and values["event_types"][0] == "TEXT_SUCCESSFUL"
    assert values["keyword_added"] is True
    assert values["config_set_destinations"] == ["campaign-test-logs"]
    assert (values["refusal_code"], values["refusal_reason"]) == (
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )


def test_registrations_notebook(tmp_path: Path) -> None:
    values = _run("05_registrations", tmp_path)
    api = Api(demo()[0])
    assert values["backend"] == "SANDBOX" and values["errors"] == 0
    expected = {
        r["RegistrationId"]: r["RegistrationStatus"]
        for region in REGIONS
        for r in api.pages(region, "describe_registrations", "Registrations")
    }
    got = {r["RegistrationId"]: r["RegistrationStatus"] for r in values["registrations"]}
    assert got == expected
    as_of = pd.Timestamp(values["as_of"])
    assert as_of >= pd.Timestamp(NOW_TEXT) and as_of - pd.Timestamp(NOW_TEXT) < pd.Timedelta("1h")
    assert all(r["DaysInStatus"] >= 0 for r in values["registrations"])
    unregistered = {
        n["PhoneNumber"]
        for region in REGIONS
        for n in api.numbers(region)
        if n["IsoCountryCode"] == "US"
        and n["NumberType"] in ("TEN_DLC", "TOLL_FREE")
        and not n.get("RegistrationId")
    }
    missing = {b["Resource"] for b in values["blocked"] if b["Problem"] == "missing"}
    assert missing == unregistered
    denied = {k for k, v in expected.items() if v == "REQUIRES_UPDATES"}
    assert {a["RegistrationId"] for a in values["actions"] if a["Action"] == "DENIED"} == denied
    assert "REGISTRATION_DENIED_VERSION" in {f["Code"] for f in values["findings"]}
    html = (tmp_path / "05_registrations.html").read_text()
    assert "Plotly.newPlot" in html and "<table" in html
