"""The browser layer checks itself: its render check sees tables, charts and widgets, and a broken
widget makes a run fail with a screenshot that shows it.

``test_render_check_sees_tables_charts_and_widgets`` is the positive control of
:func:`~tests.browser.helpers.assert_rendered` (used by every scenario).
``test_a_broken_widget_fails_the_run_with_a_screenshot_of_it`` runs a small pytest session in a
subprocess, with this layer's own fixtures and failure hook, on a composer whose preview widget
cannot be rendered (its view name does not exist in the widget's JS module, the way a widget breaks
when its front-end and kernel sides disagree). That session must fail, print where its artifacts
are, and leave a screenshot in which the broken widget is outlined inside the viewport.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .helpers import LabPage, _infer_counts, assert_rendered, write_notebook

pytestmark = pytest.mark.browser

RICH_CELL = """\
import ipywidgets as widgets
import pandas as pd
import plotly.express as px
from IPython.display import display

df = pd.DataFrame({"region": ["us-east-1", "eu-west-2"], "numbers": [25, 9]})
display(df)
display(px.bar(df, x="region", y="numbers"))
widgets.IntSlider(value=3, description="parts")
"""


def test_render_check_sees_tables_charts_and_widgets(lab_page: LabPage) -> None:
    path = write_notebook(lab_page.lab, "rich.ipynb", [RICH_CELL])
    lab_page.open(path)
    cells = lab_page.run_all_from_menu()
    assert [c["executionCount"] for c in cells] == [1]
    rows = assert_rendered(lab_page)
    assert [(r["kind"], r["ok"]) for r in rows] == [
        ("table", True),
        ("plotly", True),
        ("widget", True),
    ]


INNER_CONFTEST = """\
# The browser layer's fixtures and hooks, unchanged.
from tests.browser.conftest import *  # noqa: F403
"""

INNER_TEST = '''\
"""A scenario whose composer has a widget that cannot render: it must fail."""
from playwright.sync_api import expect

from tests.browser.helpers import assert_rendered, form_of, write_notebook

BROKEN = """\\
import ppv2kit
from ppv2kit.sandbox import Sandbox

kit = ppv2kit.connect(sandbox=Sandbox(), regions=["us-east-1"])
c = kit.composer(region="us-east-1")
c.preview._view_name = "NoSuchView"  # the front end has no such view: it cannot render
c.body.set("It\u2019s broken \U0001f600")
c
"""


def test_broken_composer(lab_page):
    path = write_notebook(lab_page.lab, "broken.ipynb", [BROKEN])
    lab_page.open(path)
    lab_page.run_cell(0)
    expect(form_of(lab_page, "SendTextMessage")).to_be_visible()
    assert_rendered(lab_page)
'''


def test_a_broken_widget_fails_the_run_with_a_screenshot_of_it(
    chromium: str, tmp_path: Path
) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "conftest.py").write_text(INNER_CONFTEST)
    (inner / "test_broken_widget.py").write_text(INNER_TEST)
    (inner / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    browser: drives JupyterLab in headless Chromium\n"
    )
    artifacts = tmp_path / "artifacts"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "JUPYTER"))}
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        PPV2KIT_BROWSER_ARTIFACTS=str(artifacts),
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            f"--basetemp={tmp_path / 'inner-tmp'}",
            "test_broken_widget.py",
        ],
        cwd=inner,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out  # 1: tests failed (not an internal or usage error)
    assert "1 failed" in out, out
    assert "rich outputs did not render" in out, out
    assert "widget error view" in out, out

    dest = artifacts / "test_broken_widget-test_broken_composer"
    assert f"saved in {dest}" in out, out  # the failure report prints where to look
    screenshot = dest / "screenshot.png"
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000
    # The broken widget was outlined and scrolled into view before the screenshot.
    culprit = json.loads((dest / "culprit.json").read_text())
    assert culprit["why"].startswith("widget error view"), culprit
    box, viewport = culprit["box"], culprit["viewport"]
    assert box["width"] > 0 and box["height"] > 0, culprit
    assert box["y"] >= 0 and box["y"] + min(box["height"], 40) <= viewport["height"], culprit
    assert 0 <= box["x"] < viewport["width"], culprit
    # The notebook's state and the browser's console came along.
    live = json.loads((dest / "notebook.live.ipynb").read_text())
    assert "NoSuchView" in "".join(live["cells"][0]["source"])
    assert json.loads((dest / "notebook.ipynb").read_text())["cells"]
    assert "NoSuchView not found" in (dest / "console.log").read_text()
    assert "did not render" in (dest / "failure.txt").read_text()


@pytest.mark.parametrize(
    ("output", "typeset"),
    [
        ({"mimes": ["text/markdown"], "markdown": "costs $1.20 of the $25 limit"}, True),
        (
            {
                "mimes": ["text/markdown"],
                "markdown": '<div class="tex2jax_ignore">\n\n$1 of $2\n\n</div>',
            },
            False,
        ),
        ({"mimes": ["text/markdown"], "markdown": "`$1` and `$2`"}, False),
        ({"mimes": ["text/html"], "html": "<p>costs $1.20 of the $25 limit</p>"}, True),
        (
            {
                "mimes": ["text/html"],
                "html": '<table class="dataframe tex2jax_ignore"><td>$1</td><td>$2</td></table>',
            },
            False,
        ),
    ],
    ids=["markdown", "markdown-ignored", "code-spans", "html", "html-ignored"],
)
def test_money_detector_knows_what_mathjax_skips(output: dict, typeset: bool) -> None:
    from .helpers import _MATH_PAIR, _typeset_text

    assert bool(_MATH_PAIR.search(_typeset_text(output))) is typeset


def _cells(*counts: int | None, error_at: int | None = None) -> list[dict]:
    return [
        {
            "index": 2 * i,
            "executionCount": n,
            "outputs": [{"type": "error"}] if i == error_at else [],
        }
        for i, n in enumerate(counts)
    ]


def test_a_lost_reply_is_inferred_only_where_the_counts_leave_its_place() -> None:
    cells = _cells(1, 2, None, 4, None, None, 7)
    assert _infer_counts(cells) == [4, 8, 10]
    assert [c["executionCount"] for c in cells] == [1, 2, 3, 4, 5, 6, 7]
    assert [c.get("inferredCount", False) for c in cells][2]
    # a cell that never ran leaves no room (the count after it is one more than before it),
    # and neither do an error, a missing first or last count, or counts out of order
    assert _infer_counts(_cells(1, 2, None, 3)) is None
    assert _infer_counts(_cells(1, None, 3, error_at=0)) is None
    assert _infer_counts(_cells(None, 2, 3)) is None
    assert _infer_counts(_cells(1, 2, None)) is None
    assert _infer_counts(_cells(1, 3, None, 4)) is None
