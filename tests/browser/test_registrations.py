"""The registrations notebook as a person runs it: Run All, then read what it shows."""

from __future__ import annotations

from .helpers import LabPage, assert_rendered, outputs_typeset_as_math, problems_of

NOTEBOOK = "notebooks/05_registrations.ipynb"


def test_registrations_notebook_runs_all_and_renders(lab_page: LabPage) -> None:
    lab_page.open(NOTEBOOK)
    cells = lab_page.run_all_from_menu()
    assert cells and not problems_of(cells), "\n".join(problems_of(cells))
    assert not [c["index"] for c in cells if c["executionCount"] is None]
    kinds = {r["kind"] for r in assert_rendered(lab_page)}
    assert {"table", "plotly"} <= kinds, sorted(kinds)
    assert not outputs_typeset_as_math(lab_page)
    page = lab_page.page
    for text in ("REQUIRES_UPDATES", "REGISTRATION_MISSING", "Opt-out language missing"):
        assert page.get_by_text(text).first.is_visible(), text
    assert page.locator(".js-plotly-plot").count() >= 2
