"""``ppv2kit run`` writes HTML reports with tables and plotly figures (plotly.js embedded);
``ppv2kit snapshot`` appends to the history file, so two runs make a two-row trend."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ppv2kit import analysis
from ppv2kit.analysis import reports

from .analysis_support import NOW_TEXT

ROOT = Path(__file__).resolve().parents[1]


def ppv2kit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ppv2kit.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def _text(page: str) -> str:
    """The page's text, tags removed (code cells are syntax-highlighted spans)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _tiny(path: Path, body: str) -> Path:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nb.cells = [
        new_markdown_cell("# Tiny"),
        new_code_cell("X = 1\nLABEL = 'default'", metadata={"tags": ["parameters"]}),
        new_code_cell(body),
    ]
    nbformat.write(nb, path)
    return path


def test_run_writes_a_report_with_tables_and_offline_figures(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "spend.html"
    done = ppv2kit(
        "run",
        str(ROOT / "notebooks" / "02_spend_limits.ipynb"),
        "--sandbox",
        "demo",
        "--now",
        NOW_TEXT,
        "-p",
        "HISTORY",
        str(tmp_path / "h.sqlite"),
        "-p",
        "WARN_AT",
        "0.5",
        "--output",
        str(out),
        "--show-code",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    page = out.read_text(encoding="utf-8")
    # Nothing is fetched when the report is opened: no CDN script of nbconvert or plotly.
    assert not re.search(r"""(src\s*=\s*["']?|import\()["']?(https?:)?//""", page)
    assert "<table" in page and "MonthToDate" in page  # the status table
    assert page.count("Plotly.newPlot") >= 3  # gauges, trend, history
    assert '"name":"projection"' in page  # the figure's data is in the page
    assert "Copyright 2012-" in page  # plotly.js embedded, not fetched:
    assert 'src="https://cdn.plot.ly' not in page
    text = _text(page)
    assert "Parameters injected by ppv2kit run" in text and "WARN_AT = 0.5" in text
    assert "SANDBOX = 'demo'" in text
    assert "Traceback" not in text
    with analysis.History(tmp_path / "h.sqlite") as h:
        assert len(h.spend()) == 6


def test_run_reports_a_failing_cell_and_exits_1(tmp_path: Path) -> None:
    nb = _tiny(tmp_path / "fail.ipynb", "raise ValueError(f'boom {X} {LABEL}')")
    done = ppv2kit(
        "run", str(nb), "-p", "X", "5", "-p", "LABEL", "hello", "-p", "Y", "1", cwd=tmp_path
    )
    assert done.returncode == 1
    assert "FAILED" in done.stderr and "Y is not a parameter" in done.stderr
    page = (tmp_path / "fail.html").read_text()  # default output: NOTEBOOK.html in the cwd
    assert "boom 5 hello" in _text(page)


@pytest.mark.parametrize("flags", [[], ["--no-input"]])
def test_run_hides_code_by_default(tmp_path: Path, flags: list[str]) -> None:
    nb = _tiny(tmp_path / "ok.ipynb", "print('answer', X * 2)")
    out = tmp_path / "ok.html"
    done = ppv2kit("run", str(nb), "-p", "X", "21", *flags, "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = _text(out.read_text())
    assert "answer 42" in text and "X * 2" not in text and "print(" not in text
    assert "Parameters" in text and "X = 21" in text  # what was injected, in the header


def test_show_code_and_no_input_are_exclusive(tmp_path: Path) -> None:
    done = ppv2kit("run", "x.ipynb", "--show-code", "--no-input", cwd=tmp_path)
    assert done.returncode == 2 and "not allowed with" in done.stderr


def test_a_report_opens_with_what_it_read_and_when(tmp_path: Path) -> None:
    out = tmp_path / "inventory.html"
    done = ppv2kit(
        "run",
        str(ROOT / "notebooks" / "01_inventory.ipynb"),
        "--sandbox",
        "demo",
        "--now",
        NOW_TEXT,
        "-o",
        str(out),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    header = page[page.index(reports.HEADER_CLASS) :]
    header = _text(header[: header.index("</table>")])
    assert "Backend" in header and "SANDBOX (simulated data, not AWS)" in header
    assert "Account" in header and "123456789012" in header
    assert "Regions" in header and "us-east-1" in header
    assert "Data as of2026-11-27 15:00 UTC" in header.replace("\n", "")
    assert "Generated" in header and "SANDBOX = 'demo'" in header
    title = re.search(r"<title>(.*?)</title>", page)
    assert title and "inventory" in title.group(1).lower() and title.group(1) != "01_inventory"
    assert "analysis.notebook_kit(" not in _text(page)  # code hidden by default
    assert page.index(reports.HEADER_CLASS) < page.index("<table", page.index("</table>") + 1)


def test_report_header_without_a_kit_and_escaped() -> None:
    nb = new_notebook(cells=[new_markdown_cell("# T")])
    reports.inject_parameters(nb, {"LABEL": "<b>x</b>"})
    when = datetime(2031, 1, 1, 0, 5, tzinfo=timezone.utc)
    header = reports.report_header(nb, generated_at=when)
    assert "2031-01-01 00:05 UTC" in header and "&lt;b&gt;x&lt;/b&gt;" in header
    assert "Backend" not in header and "<b>x" not in header


def test_backend_flags_are_exclusive(tmp_path: Path) -> None:
    done = ppv2kit("run", "x.ipynb", "--sandbox", "demo", "--profile", "p", cwd=tmp_path)
    assert done.returncode == 2 and "not allowed with" in done.stderr


def test_inject_parameters_after_the_parameters_cell(tmp_path: Path) -> None:
    nb = nbformat.read(_tiny(tmp_path / "t.ipynb", "X"), as_version=4)
    assert reports.parameter_names(nb) == ["X", "LABEL"]
    reports.inject_parameters(nb, {"X": [1, 2], "LABEL": None})
    reports.inject_parameters(nb, {"X": 3})  # a second injection replaces the first
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert tags[1] == ["parameters"] and tags[2] == ["injected-parameters"]
    assert nb.cells[2].source.splitlines()[1:] == ["X = 3"]
    assert sum("injected-parameters" in t for t in tags) == 1
    nbformat.validate(nb)
    with pytest.raises(ValueError, match="literal"):
        reports.inject_parameters(nb, {"X": object()})
    with pytest.raises(ValueError, match="Python name"):
        reports.inject_parameters(nb, {"not a name": 1})
    bare = new_notebook(cells=[new_code_cell("print(1)")])
    reports.inject_parameters(bare, {"X": 1})
    assert bare.cells[0].source.endswith("X = 1")
    assert reports.parse_value("0.9") == 0.9 and reports.parse_value("None") is None
    assert reports.parse_value("eu-west-2") == "eu-west-2"
    assert reports.parse_value("['a', 'b']") == ["a", "b"]


def test_snapshot_twice_builds_a_two_row_trend(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    for now in (NOW_TEXT, "2026-11-27T18:00:00Z"):
        done = ppv2kit(
            "snapshot", "--history", str(history), "--sandbox", "demo", "--now", now, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        assert "no data yet" in done.stdout and "eu-west-2" in done.stdout
    with analysis.History(history) as h:
        trend = h.spend(backend="SANDBOX", region="us-east-1", kind="TEXT")
        inventory = h.inventory(backend="SANDBOX", region="us-east-1")
    assert len(trend) == 2 and trend["taken_at"].is_monotonic_increasing
    assert (trend["taken_at"].iloc[1] - trend["taken_at"].iloc[0]).total_seconds() >= 3 * 3600 - 60
    assert trend["month_to_date"].notna().all()
    assert len(inventory) == 2 and inventory["phone_numbers"].iloc[0] > 0


def test_reports_escape_markup_in_markdown_outputs() -> None:
    nb = new_notebook(cells=[new_code_cell("x")])
    hostile = "<img src=x onerror=alert(1)>"
    shown = analysis.markdown("Pool **{name}**: $5 of $25", name=hostile).data
    nb.cells[0].outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": shown, "text/plain": "md"}),
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": f"raw {hostile}", "text/plain": "raw"}
        ),
    ]
    page = reports.to_html(nb)
    body = page.split("<body", 1)[1]
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert '<div class="tex2jax_ignore mathjax_ignore">' in body  # money is not typeset as LaTeX
    assert nb.cells[0].outputs[1].data["text/markdown"] == f"raw {hostile}"  # nb unchanged
    assert shown.startswith('<div class="tex2jax_ignore mathjax_ignore">')
    assert analysis.escape_markdown("a*b_c [x](y)") == r"a\*b\_c &#91;x&#93;&#40;y&#41;"
    # No "\(" or "\[": JupyterLab and MathJax would read them as the start of a formula.
    shown = analysis.escape_markdown("≈ $0.0058 (1 part × $0.00581, US) [GSM-7]")
    assert "\\(" not in shown and "\\[" not in shown


def test_escaped_text_renders_as_written() -> None:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    text = "Confirm: ≈ $0.0058 (1 part) [x](javascript:alert(1)) *not bold*"
    rendered = _text(markdown2html_mistune(analysis.escape_markdown(text)))
    assert rendered.strip() == text and "\\" not in rendered
