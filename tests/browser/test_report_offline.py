"""An HTML report from ``ppv2kit run`` opened in Chromium with the network blocked: it asks for
nothing outside the file, every plotly figure draws, the header says what the report read, and a
screenshot of its first screen is kept in ``test-artifacts/`` for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from ppv2kit.analysis import reports

from ..analysis_support import NOW_TEXT
from .conftest import ARTIFACTS, VIEWPORT

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("notebook", ["01_inventory", "02_spend_limits"])
def test_a_report_renders_completely_offline(
    browser: Browser, tmp_path: Path, notebook: str
) -> None:
    out = tmp_path / f"{notebook}.html"
    result = reports.run_notebook(
        ROOT / "notebooks" / f"{notebook}.ipynb",
        out,
        {"SANDBOX": "demo", "PROFILE": None, "NOW": NOW_TEXT, "HISTORY": str(tmp_path / "h.db")},
        no_input=True,
        cwd=tmp_path,
    )
    assert not result.error, result.error
    figures = out.read_text(encoding="utf-8").count("Plotly.newPlot(")
    assert figures >= 1

    asked: list[str] = []

    def refuse(route: Route) -> None:
        asked.append(route.request.url)
        route.abort()

    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    errors: list[str] = []
    try:
        context.route("http://**/*", refuse)
        context.route("https://**/*", refuse)
        page = context.new_page()
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(out.as_uri(), wait_until="load")
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {figures}",
            timeout=60_000,
        )
        header = page.locator(f".{reports.HEADER_CLASS}").inner_text()
        shot = ARTIFACTS / "reports" / f"{notebook}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot))
        text = page.locator("body").inner_text()
    finally:
        context.close()
    assert asked == [], f"the report asked the network for {asked}"
    assert errors == []
    assert "SANDBOX" in header and "2026-11-27 15:00 UTC" in header
    assert "Traceback" not in text
