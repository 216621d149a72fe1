"""Driving a notebook in JupyterLab like a person, and reading what it shows.

:class:`LabPage` wraps one Playwright page on the suite's JupyterLab: open a notebook and wait for
its kernel to be really idle (the status bar's ``| Idle``, not the toolbar indicator, which says
idle before a kernel exists), Run All from the menu or run one cell, and read cells back from the
live notebook model (``window.jupyterapp``, exposed by ``--LabApp.expose_app_in_browser``).
:func:`render_report` pairs every rich output of the model with its DOM node and says whether the
table, plotly chart or widget really rendered; :func:`assert_rendered` turns that into one
assertion that marks the first broken node so the failure screenshot shows it.
:func:`write_notebook` builds the scratch notebooks the form scenarios open.
:func:`save_artifacts` is what the failure hook calls: screenshot, notebook JSON, console log.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import traceback
import urllib.error
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from .lab import LabServer

# Generous: two shared cores, maybe running the rest of the suite at the same time.
UI_TIMEOUT_MS = 30_000
KERNEL_TIMEOUT_MS = 90_000
RUN_ALL_TIMEOUT_S = 180.0
# How long the kernel stays idle before a cell whose prompt never updated is judged (wait_ran).
STUCK_PROMPT_S = 15.0

KERNEL_STATUS = '#jp-main-statusbar span.jp-StatusBar-TextItem[title^="Change kernel"]'
CULPRIT = "data-test-culprit"

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

# The live state of the current notebook's code cells, read from its model and DOM.
_CELLS_JS = """
() => {
  const nb = window.jupyterapp.shell.currentWidget;
  if (!nb || !nb.content || !nb.content.widgets) return null;
  const text = (t) => Array.isArray(t) ? t.join('') : (t || '');
  const cells = [];
  nb.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    cells.push({
      index,
      source: cell.model.sharedModel.getSource(),
      executionCount: cell.model.executionCount,
      executionState: cell.model.executionState || null,
      prompt: prompt ? prompt.textContent.trim() : '',
      outputs: cell.model.outputs.toJSON().map((o) => ({
        type: o.output_type,
        name: o.name || null,
        text: text(o.text),
        ename: o.ename || null,
        evalue: o.evalue || null,
        mimes: Object.keys(o.data || {}),
        html: text((o.data || {})['text/html']).slice(0, 20000),
        markdown: text((o.data || {})['text/markdown']).slice(0, 20000),
        plain: text((o.data || {})['text/plain']).slice(0, 20000),
      })),
    });
  });
  const kernel = nb.sessionContext.session && nb.sessionContext.session.kernel;
  return {path: nb.context.path, kernel: kernel ? kernel.status : null, cells};
}
"""

# Pair each output of each code cell with its DOM node and say what rendered.
_RENDER_JS = """
(culprit) => {
  const nb = window.jupyterapp.shell.currentWidget;
  const rows = [];
  nb.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs.toJSON();
    const nodes = cell.node.querySelectorAll(
      '.jp-OutputArea > .jp-OutputArea-child .jp-OutputArea-output');
    outputs.forEach((o, i) => {
      const data = o.data || {};
      const html = Array.isArray(data['text/html']) ? data['text/html'].join('')
                                                    : (data['text/html'] || '');
      let kind = null;
      if (data['application/vnd.jupyter.widget-view+json']) kind = 'widget';
      else if (data['application/vnd.plotly.v1+json']) kind = 'plotly';
      else if (/<table[\\s>]/i.test(html)) kind = 'table';
      if (!kind) return;
      const node = nodes[i];
      const row = {cell: index, output: i, kind, ok: false, why: '', final: false};
      if (!node) { row.why = 'no DOM node for this output'; rows.push(row); return; }
      const box = node.getBoundingClientRect();
      const text = (node.textContent || '').trim();
      const errors = node.querySelectorAll('.jupyter-widgets-error-widget');
      if (kind === 'widget') {
        row.final = errors.length > 0 || /^Error displaying widget/.test(text);
        if (errors.length) row.why = 'widget error view: ' + (errors[0].textContent || '').trim();
        else if (/^Error displaying widget/.test(text)) row.why = text.slice(0, 200);
        else if (/^Loading widget/.test(text)) row.why = 'still "Loading widget..."';
        else if (!node.querySelector('.jupyter-widgets')) row.why = 'no .jupyter-widgets view';
        else row.ok = true;
      } else if (kind === 'plotly') {
        if (!node.querySelector('.js-plotly-plot .main-svg')) row.why = 'no plotly SVG';
        else row.ok = true;
      } else if (!node.querySelector('table')) {
        row.why = 'no <table> element';
      } else {
        row.ok = true;
      }
      if (row.ok && (box.width < 2 || box.height < 2)) {
        row.ok = false; row.why = `rendered with no size (${box.width}x${box.height})`;
      }
      if (!row.ok && culprit && !document.querySelector(`[${culprit}]`)) {
        const target = errors[0] || node;
        target.setAttribute(culprit, row.why || 'broken');
      }
      rows.push(row);
    });
  });
  return rows;
}
"""


@dataclass
class LabPage:
    """One browser page on the suite's JupyterLab, with what it logged along the way."""

    page: Page
    lab: LabServer
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    notebook: str | None = None

    def __post_init__(self) -> None:
        self.page.on("console", lambda m: self.console.append(f"[{m.type}] {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"[pageerror] {e}"))
        self.page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        self.console.append(f"[dialog] {dialog.type}: {dialog.message}")
        dialog.dismiss()

    # -- opening and running ------------------------------------------------------------------
    def open(self, path: str) -> None:
        """Open ``path`` (relative to the server root) and wait until its kernel is idle."""
        self.notebook = path
        self.page.goto(self.lab.lab_url(path))
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=KERNEL_TIMEOUT_MS)
        self.page.wait_for_function(
            "(p) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return !!(w && w.context && w.context.path === p); }",
            arg=path,
            timeout=UI_TIMEOUT_MS,
        )
        self.wait_idle()

    def wait_idle(self, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
        """Wait for the status bar to say ``<kernel> | Idle``: a kernel exists and is idle."""
        expect(self.page.locator(KERNEL_STATUS)).to_have_text(
            re.compile(r"\| Idle$"), timeout=timeout_ms
        )

    def cells(self) -> list[dict[str, Any]]:
        """The current notebook's code cells: source, prompt, execution count, outputs."""
        state = self.page.evaluate(_CELLS_JS)
        assert state is not None, "no notebook is the current widget"
        return list(state["cells"])

    def kernel_status(self) -> str | None:
        """The kernel's status as the page knows it (``idle``, ``busy``...)."""
        state = self.page.evaluate(_CELLS_JS)
        return None if state is None else state["kernel"]

    def run_all_from_menu(self, timeout_s: float = RUN_ALL_TIMEOUT_S) -> list[dict[str, Any]]:
        """Run → Run All Cells, as a person does; wait until every cell ran or one failed."""
        if any(c["executionCount"] is not None for c in self.cells()):
            self.command("notebook:clear-all-cell-outputs")
        self.page.locator('.lm-MenuBar-item:has-text("Run")').first.click()
        self.page.get_by_role("menuitem", name="Run All Cells").first.click()
        return self.wait_ran(timeout_s)

    def wait_ran(self, timeout_s: float = RUN_ALL_TIMEOUT_S) -> list[dict[str, Any]]:
        """Wait until no cell is queued/running, the kernel is idle, and all ran or one erred.

        JupyterLab sometimes never shows a cell's execute reply (its prompt stays ``[*]`` or
        empty: jupyterlab/jupyterlab#13383) although the kernel ran it; once the kernel has been
        idle for :data:`STUCK_PROMPT_S` with every other cell done, such a cell is accepted when
        its neighbours' execution counts leave exactly its place (Run All queues cells in order
        and nothing else runs), with ``inferredCount`` set and a warning naming it.
        """
        deadline = time.monotonic() + timeout_s
        cells: list[dict[str, Any]] = []
        idle_since: float | None = None
        while time.monotonic() < deadline:
            cells = self.cells()
            running = any("*" in c["prompt"] for c in cells)
            done = all(c["executionCount"] is not None for c in cells)
            failed = any(o["type"] == "error" for c in cells for o in c["outputs"])
            idle = self.kernel_status() == "idle"
            if not running and (done or failed) and idle:
                self.wait_idle()
                return cells
            idle_since = (idle_since or time.monotonic()) if idle else None
            if idle_since is not None and time.monotonic() - idle_since > STUCK_PROMPT_S:
                inferred = _infer_counts(cells)
                if inferred is not None:
                    warnings.warn(
                        f"{self.notebook}: JupyterLab never showed the reply of cells "
                        f"{inferred} (kernel idle, neighbours' counts leave their place)",
                        stacklevel=2,
                    )
                    return cells
            time.sleep(0.25)
        pending = [
            f"cell {c['index']} (prompt {c['prompt']!r}, state {c['executionState']}, "
            f"{len(c['outputs'])} outputs)"
            for c in cells
            if c["executionCount"] is None
        ]
        raise AssertionError(
            f"{self.notebook}: cells still not run after {timeout_s:.0f} s "
            f"(kernel {self.kernel_status()}): {', '.join(pending)}"
        )

    def command(
        self, command: str, args: dict[str, Any] | None = None, timeout_ms: int = KERNEL_TIMEOUT_MS
    ) -> Any:
        """Execute a JupyterLab command and wait for its promise (e.g. a cell's execution)."""
        return self.page.evaluate(
            """([c, a, t]) => Promise.race([
                 window.jupyterapp.commands.execute(c, a || {}),
                 new Promise((_, reject) => setTimeout(
                   () => reject(new Error(`${c} did not finish within ${t} ms`)), t)),
               ])""",
            [command, args, timeout_ms],
        )

    def run_cell(self, index: int) -> dict[str, Any]:
        """Run the cell at ``index`` (as Shift+Enter would) and return it when it finished."""
        self.page.evaluate(
            "(i) => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }", index
        )
        self.command("notebook:run-cell")
        self.wait_idle()
        return next(c for c in self.cells() if c["index"] == index)

    def run_json_cell(self, index: int) -> Any:
        """Run a cell that prints one JSON document on stdout; the decoded document."""
        cell = self.run_cell(index)
        errors = [f"{o['ename']}: {o['evalue']}" for o in cell["outputs"] if o["type"] == "error"]
        assert not errors, f"cell {index} failed: {errors}"
        text = "".join(o["text"] for o in cell["outputs"] if o["type"] == "stream")
        return json.loads(text.strip().splitlines()[-1])


def problems_of(cells: Iterable[dict[str, Any]], stderr: bool = True) -> list[str]:
    """Error outputs (and, with ``stderr``, text on stderr) of the cells, one line each."""
    out = []
    for cell in cells:
        for o in cell["outputs"]:
            if o["type"] == "error":
                out.append(f"cell {cell['index']}: {o['ename']}: {o['evalue']}")
            elif stderr and o["type"] == "stream" and o["name"] == "stderr" and o["text"].strip():
                out.append(f"cell {cell['index']} wrote to stderr: {o['text'].strip()[:500]}")
    return out


def render_report(lp: LabPage, mark: bool = True) -> list[dict[str, Any]]:
    """One row per table / plotly chart / widget output: ``cell``, ``kind``, ``ok``, ``why``.

    With ``mark``, the first broken node gets the ``data-test-culprit`` attribute, which the
    failure hook scrolls into view and outlines before the screenshot.
    """
    return list(lp.page.evaluate(_RENDER_JS, CULPRIT if mark else None))


def assert_rendered(lp: LabPage, timeout_s: float = 20.0) -> list[dict[str, Any]]:
    """Every table, plotly chart and widget in the notebook rendered.

    Views still loading get up to ``timeout_s``; an error view (the widget manager gave up) fails
    at once.
    """
    deadline = time.monotonic() + timeout_s
    rows = render_report(lp, mark=False)
    while (
        any(not r["ok"] for r in rows)
        and not any(r["final"] for r in rows)
        and time.monotonic() < deadline
    ):
        time.sleep(0.25)
        rows = render_report(lp, mark=False)
    broken = [r for r in rows if not r["ok"]]
    if broken:
        render_report(lp, mark=True)
        raise AssertionError(
            f"{lp.notebook}: {len(broken)} of {len(rows)} rich outputs did not render: "
            + "; ".join(f"cell {r['cell']} {r['kind']}: {r['why']}" for r in broken)
        )
    return rows


# Two unescaped "$" in one run of text: JupyterLab's Markdown renderer and MathJax (HTML outputs)
# typeset what lies between them as inline LaTeX.
_MATH_PAIR = re.compile(r"(?<!\\)\$(?!\$)[^$\x00]+?(?<!\\)\$")


class _TypesetText(HTMLParser):
    """Text of HTML that MathJax would scan: not scripts or styles, nor inside elements marked
    ``tex2jax_ignore`` / ``mathjax_ignore`` (how pandas and ppv2kit keep money out of math).
    Element boundaries cut runs with NUL, as math cannot span them."""

    IGNORED_CLASSES = frozenset({"tex2jax_ignore", "mathjax_ignore"})
    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "col", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is text below it skipped?

    @classmethod
    def of(cls, markup: str) -> str:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return "".join(parser.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append("\x00")
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = bool(self.stack and self.stack[-1]) or tag in ("script", "style")
        self.stack.append(skipped or bool(classes & self.IGNORED_CLASSES))

    def handle_endtag(self, tag: str) -> None:
        self.parts.append("\x00")
        if self.stack and tag not in self.VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def _typeset_text(output: dict[str, Any]) -> str:
    """The text JupyterLab typesets for an output; runs that math cannot span are cut by NUL."""
    mimes = output["mimes"]
    if WIDGET_MIME in mimes or PLOTLY_MIME in mimes:
        return ""
    if "text/html" in mimes:  # preferred over Markdown by JupyterLab's renderers
        return _TypesetText.of(output["html"])
    if "text/markdown" in mimes:
        markdown = re.sub(r"`[^`]*`", "\x00", output["markdown"])  # code spans stay literal
        markdown = re.sub(r"\n\s*\n", "\x00", markdown)  # math does not cross paragraphs
        return _TypesetText.of(markdown)  # raw HTML in Markdown may mark text to be ignored
    return ""


def outputs_typeset_as_math(lp: LabPage, mark: bool = True) -> list[str]:
    """Outputs whose text JupyterLab would typeset as LaTeX (two unescaped ``$`` in a run).

    ppv2kit never means math: a hit is money (``$12.50 ... $25``) whose ``$`` signs were not
    escaped. Read from the notebook model, so it does not depend on when MathJax has loaded.
    With ``mark``, the first such output is the screenshot's culprit.
    """
    hits = []
    rendered = lp.page.locator(".jp-OutputArea-output mjx-container").count()
    if rendered:
        hits.append((-1, -1, f"{rendered} MathJax formula(s) rendered in outputs"))
    for cell in lp.cells():
        for i, output in enumerate(cell["outputs"]):
            found = _MATH_PAIR.search(_typeset_text(output))
            if found:
                hits.append((cell["index"], i, found.group(0)[:120]))
    if hits and mark and hits[-1][0] >= 0:
        cell, output, _ = hits[-1]
        lp.page.evaluate(
            """([c, o, attr]) => {
                 const cell = window.jupyterapp.shell.currentWidget.content.widgets[c];
                 const nodes = cell.node.querySelectorAll(
                   '.jp-OutputArea > .jp-OutputArea-child .jp-OutputArea-output');
                 if (nodes[o] && !document.querySelector(`[${attr}]`))
                   nodes[o].setAttribute(attr, 'output typeset as LaTeX');
               }""",
            [cell, output, CULPRIT],
        )
    return [f"cell {c} output {o}: {text!r}" for c, o, text in hits]


# What a person should never read in a rendered output: pandas' missing markers, a backslash
# left by escaping, a traceback.
_BAD_TEXT = re.compile(r"(?<![\w<])(?:<NA>|NaT|NaN)(?!\w)|\\[()\[\]_*$#`]|Traceback")
_READ_OUTPUTS_JS = """
() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output'))
  .filter((node) => !node.querySelector('.js-plotly-plot, .jupyter-widgets, .widget-area'))
  .map((node) => ({
    text: node.innerText,
    money: Array.from(node.querySelectorAll('td.money'), (td) => td.innerText.trim()),
  }))
"""


def unreadable_outputs(lp: LabPage) -> list[str]:
    """Rendered outputs (tables, text, Markdown; not charts or widgets) showing ``<NA>``,
    ``NaT``, ``NaN``, a stray backslash escape or a traceback, and money cells without a
    currency sign."""
    found = []
    for i, output in enumerate(lp.page.evaluate(_READ_OUTPUTS_JS)):
        for hit in _BAD_TEXT.finditer(output["text"]):
            context = output["text"][max(0, hit.start() - 40) : hit.end() + 40]
            found.append(f"output {i}: {hit.group(0)!r} in {context!r}")
        for cell in output["money"]:
            if cell and not re.match(r"^[-\u2212]?\$", cell):
                found.append(f"output {i}: money cell {cell!r} has no currency sign")
    return found


def screenshot_first_screen(lp: LabPage, dest: Path) -> Path:
    """Save the notebook's first screen (scrolled to the top) as ``dest``: for a person to look."""
    lp.page.evaluate(
        """() => document.querySelectorAll(
             '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer, '
             + '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook')
           .forEach((node) => node.scrollTo(0, 0))"""
    )
    lp.page.wait_for_timeout(300)
    dest.parent.mkdir(parents=True, exist_ok=True)
    lp.page.screenshot(path=str(dest))
    return dest


def write_notebook(lab: LabServer, name: str, cells: Iterable[str]) -> str:
    """Write a scratch notebook of code cells under the server root; its path for the browser."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = Path("scratch") / name
    target = lab.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return path.as_posix()


# -- failure artifacts ------------------------------------------------------------------------
def _infer_counts(cells: list[dict[str, Any]]) -> list[int] | None:
    """Fill the counts of cells whose reply JupyterLab lost, if their neighbours' counts leave
    exactly their places; the filled cells' indexes, or None when that cannot be shown.

    Only when no output is an error, the first and last code cells have counts, and the counts
    present rise by one per cell except across the gaps, which are as wide as the cells in them.
    """
    if any(o["type"] == "error" for c in cells for o in c["outputs"]):
        return None
    counts = [c["executionCount"] for c in cells]
    if not counts or counts[0] is None or counts[-1] is None:
        return None
    if counts[-1] - counts[0] != len(counts) - 1:
        return None
    known = [(i, n) for i, n in enumerate(counts) if n is not None]
    if any(n - counts[0] != i for i, n in known):
        return None
    filled = []
    for i, cell in enumerate(cells):
        if cell["executionCount"] is None:
            cell["executionCount"] = counts[0] + i
            cell["inferredCount"] = True
            filled.append(cell["index"])
    return filled


def save_artifacts(lp: LabPage, dest: Path, failure: str = "") -> Path:
    """Save what a person needs to see why a test failed, under ``dest``; returns ``dest``.

    ``screenshot.png`` (full page, the first broken node scrolled into view and outlined),
    ``notebook.live.ipynb`` (the browser's model, outputs included), ``notebook.ipynb`` (saved,
    then read back through the contents API), ``console.log`` (browser console, page errors,
    dialogs), ``page.html``, ``jupyterlab.log`` and ``failure.txt``. Each step is independent:
    one that fails is noted in ``artifact-errors.txt`` and the others still run.
    """
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    page = lp.page

    def step(name: str, action: Any) -> None:
        try:
            action()
        except (PlaywrightError, OSError, urllib.error.URLError, ValueError, KeyError) as err:
            problems.append(f"{name}: {type(err).__name__}: {err}")
        except Exception:  # an artifact must never hide the test's own failure
            problems.append(f"{name}: {traceback.format_exc()}")

    def culprit() -> None:
        target = page.locator(f"[{CULPRIT}]").first
        if target.count():
            target.evaluate(
                "(el) => { el.style.outline = '4px solid #ff0066'; el.style.outlineOffset = '2px';"
                " el.scrollIntoView({block: 'center'}); }"
            )
            box = target.bounding_box()
            viewport = page.viewport_size
            (dest / "culprit.json").write_text(
                json.dumps(
                    {"why": target.get_attribute(CULPRIT), "box": box, "viewport": viewport},
                    indent=1,
                )
            )

    def live_notebook() -> None:
        model = page.evaluate(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.context ? w.context.model.toJSON() : null; }"
        )
        if model is not None:
            (dest / "notebook.live.ipynb").write_text(json.dumps(model, indent=1))

    def saved_notebook() -> None:
        if not lp.notebook:
            return
        page.evaluate(
            "() => Promise.race([window.jupyterapp.commands.execute('docmanager:save'),"
            " new Promise((r) => setTimeout(r, 5000))])"
        )
        content = lp.lab.contents(lp.notebook)["content"]
        (dest / "notebook.ipynb").write_text(json.dumps(content, indent=1))

    step("culprit", culprit)
    step("screenshot", lambda: page.screenshot(path=dest / "screenshot.png", full_page=True))
    step("live notebook", live_notebook)
    step("saved notebook", saved_notebook)
    step("page.html", lambda: (dest / "page.html").write_text(page.content()))
    step("console", lambda: (dest / "console.log").write_text("\n".join(lp.console) + "\n"))
    step("jupyterlab.log", lambda: (dest / "jupyterlab.log").write_text(lp.lab.log_tail(400)))
    (dest / "failure.txt").write_text(
        f"notebook: {lp.notebook}\nurl: {page.url}\n\n{failure}\n", errors="replace"
    )
    if problems:
        (dest / "artifact-errors.txt").write_text("\n".join(problems) + "\n")
    return dest


# -- ppv2kit forms ----------------------------------------------------------------------------
SANDBOX_SETUP = """\
import json
import ppv2kit
from ppv2kit.sandbox import Sandbox

sb = Sandbox(seed="demo")
kit = ppv2kit.connect(sandbox=sb)
calls = []  # every API call the forms make, in order
_call = kit.call
kit.call = lambda operation, *a, **kw: (calls.append(operation), _call(operation, *a, **kw))[1]
"""


def form_of(lp: LabPage, operation: str) -> Locator:
    """The rendered ppv2kit form of ``operation`` (``ppv2kit-op-<Operation>``)."""
    return lp.page.locator(f".ppv2kit-form.ppv2kit-op-{operation}")


def field_of(form: Locator, path: str) -> Locator:
    """A field of the form by member path (``ppv2kit-path-<path>``: unique, unlike the name)."""
    return form.locator(f".ppv2kit-path-{path}")


def response_value(form: Locator, member: str) -> Locator:
    """The cell beside ``member`` in the form's response table."""
    return form.locator(
        f".ppv2kit-output .ppv2kit-response tr:has(> th:text-is('{member}')) > td"
    ).first
