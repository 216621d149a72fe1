"""Fixtures of the browser layer: one JupyterLab and one headless Chromium per test session.

``lab`` starts JupyterLab (see :mod:`tests.browser.lab`) in a temporary directory holding copies of
``notebooks/`` and the scratch notebooks the scenarios write; ``browser`` launches Debian's
Chromium through Playwright (browser downloads are not possible here); ``lab_page`` gives each test
a fresh browser context and shuts every kernel down afterwards. Under pytest-xdist each worker that
draws a browser test gets its own server and browser.

When a test fails, :func:`pytest_runtest_makereport` saves a screenshot, the notebook's JSON and
the browser console under ``test-artifacts/browser/<test>/`` (or ``$PPV2KIT_BROWSER_ARTIFACTS``)
and adds that absolute path to the failure report.

Chromium missing is a failure, so CI cannot skip the layer silently; set
``PPV2KIT_SKIP_BROWSER=1`` to skip on a machine without it (``make browser-deps`` installs it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect, sync_playwright

from .helpers import UI_TIMEOUT_MS, LabPage, save_artifacts
from .lab import LabServer, start_lab

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CHROMIUM = os.environ.get("PPV2KIT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PPV2KIT_BROWSER_ARTIFACTS", REPO / "test-artifacts" / "browser"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}

expect.set_options(timeout=UI_TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a ``browser`` test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium; a failure when missing (a skip only with PPV2KIT_SKIP_BROWSER=1)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("PPV2KIT_SKIP_BROWSER") == "1":
        pytest.skip(f"{CHROMIUM} is not installed and PPV2KIT_SKIP_BROWSER=1")
    pytest.fail(
        f"{CHROMIUM} is not installed: run `make browser-deps` (apt-get install chromium), "
        "or set PPV2KIT_SKIP_BROWSER=1 to skip the browser tests on purpose"
    )


@pytest.fixture(scope="session")
def lab(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab on 127.0.0.1, serving copies of the notebooks and a scratch folder."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "root"
    root.mkdir()
    if NOTEBOOKS.is_dir():
        shutil.copytree(
            NOTEBOOKS,
            root / "notebooks",
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
    (root / "scratch").mkdir()
    server = start_lab(base, root)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def playwright_instance(chromium: str) -> Iterator[Playwright]:
    """Playwright's driver (sync API), stopped at the end of the session."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, chromium: str) -> Iterator[Browser]:
    """Headless Debian Chromium, reused by every test of the session."""
    browser = playwright_instance.chromium.launch(
        executable_path=chromium, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def lab_page(request: pytest.FixtureRequest, browser: Browser, lab: LabServer) -> Iterator[LabPage]:
    """A fresh browser context and page on the server; kernels are shut down afterwards."""
    shutil.rmtree(artifacts_dir(request.node.nodeid), ignore_errors=True)  # a previous run's
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(UI_TIMEOUT_MS)
    lp = LabPage(context.new_page(), lab)
    try:
        yield lp
    finally:
        try:
            context.close()
        finally:
            if lab.alive():
                lab.shutdown_kernels()


def artifacts_dir(nodeid: str) -> Path:
    """``test-artifacts/browser/<module>-<test>[param]`` for a test id (file-system safe)."""
    name = nodeid.split("tests/browser/", 1)[-1].replace(".py::", "-").replace("::", "-")
    return ARTIFACTS / re.sub(r"[^A-Za-z0-9_.=-]+", "_", name).strip("_")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """On a failed test (or fixture), save its artifacts and print where they are."""
    report: pytest.TestReport = yield
    lp = getattr(item, "funcargs", {}).get("lab_page")
    if report.failed and report.when in ("setup", "call") and isinstance(lp, LabPage):
        dest = save_artifacts(lp, artifacts_dir(item.nodeid), report.longreprtext)
        report.sections.append(("browser artifacts", f"saved in {dest}"))
        item.user_properties.append(("browser_artifacts", str(dest)))
    return report
