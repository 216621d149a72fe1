"""Every prebuilt notebook, as a person runs it: open, Run → Run All Cells, read the result.

Parametrised over ``notebooks/*.ipynb`` at collection time, so a new notebook is tested without
touching this file. Each must run top to bottom on the demo sandbox (its parameters cell's
defaults) with no error output and nothing on stderr, and every table, plotly chart and widget it
produces must really render in the page; no output may be typeset as LaTeX by accident, show
``<NA>``/``NaT``/``NaN``, a stray backslash escape or a traceback, or a money cell without its
currency sign. The first screen of each is saved in ``test-artifacts/browser/notebooks/`` for a
person to look at.
"""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, NOTEBOOKS
from .helpers import (
    LabPage,
    assert_rendered,
    outputs_typeset_as_math,
    problems_of,
    screenshot_first_screen,
    unreadable_outputs,
)

pytestmark = pytest.mark.browser

PREBUILT = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) if NOTEBOOKS.is_dir() else []

# What each notebook shows at least (a notebook not listed must show one of the three).
SHOWS: dict[str, set[str]] = {
    "01_inventory.ipynb": {"table", "plotly"},
    "02_spend_limits.ipynb": {"table", "plotly"},
    "03_opt_out_audit.ipynb": {"table", "plotly", "widget"},
    "04_send_and_configure.ipynb": {"table", "widget"},
    "05_registrations.ipynb": {"table", "plotly"},
}


@pytest.mark.parametrize("name", PREBUILT)
def test_notebook_runs_all_and_renders(lab_page: LabPage, name: str) -> None:
    lab_page.open(f"notebooks/{name}")
    cells = lab_page.run_all_from_menu()
    assert cells, f"{name} has no code cells"
    assert not problems_of(cells), "\n".join(problems_of(cells))
    not_run = [c["index"] for c in cells if c["executionCount"] is None]
    assert not not_run, f"cells not run: {not_run}"
    rows = assert_rendered(lab_page)
    kinds = {r["kind"] for r in rows}
    if name in SHOWS:
        assert SHOWS[name] <= kinds, f"{name} shows {sorted(kinds)}, expected {sorted(SHOWS[name])}"
    else:
        assert kinds, f"{name} shows no table, chart or widget"
    math = outputs_typeset_as_math(lab_page)
    assert not math, f"{name}: outputs typeset as LaTeX (unescaped '$'?): {math}"
    unreadable = unreadable_outputs(lab_page)
    assert not unreadable, f"{name}: " + "\n".join(unreadable)
    screenshot_first_screen(
        lab_page, ARTIFACTS / "notebooks" / f"{name.removesuffix('.ipynb')}.png"
    )
