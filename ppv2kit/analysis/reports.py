"""Headless reports: inject parameters into a notebook, execute it, export HTML.

Parameters follow papermill's convention without depending on papermill: the code cell tagged
``parameters`` holds the defaults; :func:`inject_parameters` adds a cell tagged
``injected-parameters`` right after it (replacing one from an earlier injection) that assigns the
given values, so they win and the defaults stay visible in the report. :func:`run_notebook`
executes with nbclient in the notebook's folder and exports with nbconvert's ``HTMLExporter``
(``lab`` template without anything fetched from the network; code shown unless ``no_input``),
under a header saying what the report read: the backend, accounts and regions of the kit the
notebook displayed, its as-of time, the injected parameters and when the report was generated.
``ppv2kit run`` is a thin shell around it (code hidden unless ``--show-code``).
"""

from __future__ import annotations

import ast
import html
import os
import re
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"


def parse_value(text: str) -> Any:
    """A ``-p NAME VALUE`` value: a Python literal (``0.9``, ``None``, ``["a", "b"]``,
    ``True``) when it reads as one, else the text itself."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def parameter_names(nb: Any) -> list[str]:
    """Names assigned in the notebook's ``parameters`` cell, in order (empty without one)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and PARAMETERS_TAG in _tags(cell):
            names = []
            for node in ast.parse(cell.source).body:
                targets = node.targets if isinstance(node, ast.Assign) else []
                if isinstance(node, ast.AnnAssign):
                    targets = [node.target]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return []


def inject_parameters(nb: Any, parameters: Mapping[str, Any]) -> Any:
    """Put ``parameters`` in a cell tagged ``injected-parameters`` after the ``parameters`` cell.

    Parameters
    ----------
    nb:
        An nbformat notebook node (changed in place and returned).
    parameters:
        Name -> Python value (written with ``repr``, so literals only).

    Returns
    -------
    nbformat.NotebookNode
        ``nb``. Without a ``parameters`` cell the injected cell goes first.
    """
    import nbformat

    for name, value in parameters.items():
        if not name.isidentifier():
            raise ValueError(f"{name!r} is not a Python name")
        try:
            same = ast.literal_eval(repr(value)) == value
        except (ValueError, SyntaxError):
            same = False
        if not same:
            raise ValueError(f"{name}: {value!r} is not a Python literal")
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in _tags(c)]
    if not parameters:
        return nb
    lines = ["# Parameters injected by ppv2kit run"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    at = next(
        (i + 1 for i, c in enumerate(nb.cells) if PARAMETERS_TAG in _tags(c)),
        0,
    )
    nb.cells.insert(at, cell)
    return nb


@dataclass
class RunResult:
    """What :func:`run_notebook` did.

    Attributes
    ----------
    notebook:
        The executed notebook (nbformat node), outputs included.
    output:
        The HTML report written.
    seconds:
        Execution time (kernel start to last cell).
    error:
        The failing cell's error text, or ``""``.
    unknown:
        Injected names the ``parameters`` cell does not define (probably typos).
    """

    notebook: Any
    output: Path | None
    seconds: float
    error: str = ""
    unknown: list[str] = field(default_factory=list)


def execute(
    nb: Any, *, cwd: str | os.PathLike[str], timeout: int = 600, kernel_name: str = "python3"
) -> tuple[Any, float, str]:
    """Execute ``nb`` with nbclient in ``cwd``; ``(notebook, seconds, error text or "")``.

    The notebook is kept, with every output up to the failing cell, when a cell fails. On POSIX
    the kernel talks over Unix sockets in a private temporary folder (IPC transport) rather than
    loopback TCP: nothing else on the machine can connect to it.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="ppv2kit-kernel-") as sockets:
        config = Config()
        if os.name == "posix":  # nbclient still owns (starts and stops) the kernel
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(sockets, "kernel")
        client = NotebookClient(
            nb,
            config=config,
            timeout=timeout,
            kernel_name=kernel_name,
            resources={"metadata": {"path": str(cwd)}},
        )
        started = time.perf_counter()
        error = ""
        try:
            client.execute()
        except CellExecutionError as err:
            error = str(err)
        return nb, time.perf_counter() - started, error


# Markup a Markdown *output* may carry into a report (tables, emphasis, the no-LaTeX div);
# anything else (img, script, event handlers...) is escaped, since outputs can quote data
# such as tag values.
MARKDOWN_TAGS = frozenset(
    {"a", "abbr", "b", "br", "code", "div", "em", "i", "li", "ol", "p", "pre", "span", "strong"}
    | {"table", "thead", "tbody", "tr", "th", "td", "ul", "blockquote", "h1", "h2", "h3", "h4"}
)
MARKDOWN_ATTRIBUTES = {"a": ["href", "title"], "div": ["class"], "span": ["class"]}


def sanitize_markdown_outputs(nb: Any) -> Any:
    """Render every ``text/markdown`` output of ``nb`` to sanitized HTML (in place).

    nbconvert renders Markdown outputs, raw HTML included, into the report; JupyterLab
    sanitizes them. Cleaning the *rendered* HTML (not the Markdown source) also removes what
    Markdown syntax itself produces, such as ``[x](javascript:...)`` links. Code-produced
    ``text/html`` (tables, plotly figures) is left alone: pandas escapes cell values and plotly
    escapes its data.
    """
    import bleach
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:
                text = data.pop("text/markdown")
                text = "".join(text) if isinstance(text, list) else text
                data["text/html"] = bleach.clean(
                    markdown2html_mistune(text),
                    tags=MARKDOWN_TAGS,
                    attributes=MARKDOWN_ATTRIBUTES,
                    protocols={"http", "https", "mailto"},
                )
    return nb


# nbconvert's ``lab`` page without what it fetches from CDNs when opened: require.js, MathJax,
# mermaid and the widget renderer (widgets show their text fallback; plotly.js is embedded once
# by the notebooks' offline renderer and needs neither).
_TEMPLATE_NAME = "ppv2kit_report.html.j2"
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""
# A script an output loads from elsewhere (plotly's figures ask for MathJax from a CDN).
_EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script\s*>", re.IGNORECASE
)
HEADER_CLASS = "ppv2kit-report-header"


def remove_external_scripts(nb: Any) -> Any:
    """Drop every ``<script src="http...">`` from ``nb``'s HTML outputs (in place): a report
    fetches nothing when opened (no CDN request, nothing tells a third party who reads it)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                data["text/html"] = _EXTERNAL_SCRIPT.sub("", text)
    return nb


def _kit_facts(nb: Any) -> dict[str, Any]:
    """The first kit the notebook displayed (its :data:`ppv2kit.kit.KIT_MIME` output), or {}."""
    from ..kit import KIT_MIME

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            facts = output.get("data", {}).get(KIT_MIME)
            if isinstance(facts, dict):
                return dict(facts)
    return {}


def _injected(nb: Any) -> list[str]:
    for cell in nb.cells:
        if INJECTED_TAG in _tags(cell):
            return [line for line in cell.source.splitlines()[1:] if line.strip()]
    return []


def report_header(nb: Any, *, generated_at: datetime | None = None) -> str:
    """HTML saying what an executed notebook's report read and when.

    Rows: backend, account(s), regions and "as of" (the backend's clock) from the first kit the
    notebook displayed; the parameters ``ppv2kit run`` injected; the moment the report was
    generated (``generated_at``, default now). Every value is escaped.
    """
    esc = html.escape
    facts = _kit_facts(nb)
    rows: list[tuple[str, str]] = []
    if facts:
        rows.append(("Backend", f"{facts.get('backend', '')} ({facts.get('meaning', '')})"))
        accounts = list(facts.get("accounts") or [])
        rows.append(("Account" if len(accounts) == 1 else "Accounts", ", ".join(accounts)))
        rows.append(("Regions", ", ".join(facts.get("regions") or [])))
        as_of = facts.get("as_of")
        if as_of:
            rows.append(("Data as of", f"{_minute(as_of)} UTC"))
    injected = _injected(nb)
    if injected:
        rows.append(("Parameters", "; ".join(injected)))
    # The real moment the file is written (not the sandbox clock: that is "Data as of").
    when = generated_at or datetime.now(timezone.utc)
    rows.append(("Generated", f"{when.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"))
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{esc(k)}</th>"
        f"<td style='text-align:left'>{esc(v)}</td></tr>"
        for k, v in rows
    )
    return f"<div class='{HEADER_CLASS}'><table>{body}</table></div>"


def _minute(text: str) -> str:
    try:
        return f"{datetime.fromisoformat(text).astimezone(timezone.utc):%Y-%m-%d %H:%M}"
    except ValueError:
        return text


def _with_header(nb: Any, header: str) -> Any:
    """``nb`` with ``header`` in a Markdown cell after its title cell (or first)."""
    import nbformat

    cell = nbformat.v4.new_markdown_cell(header)
    first = nb.cells[0] if nb.cells else None
    titled = first is not None and first.cell_type == "markdown" and first.source.startswith("#")
    nb.cells.insert(1 if titled else 0, cell)
    return nb


def report_title(nb: Any, default: str = "") -> str:
    """The notebook's first Markdown heading, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return default


def to_html(
    nb: Any, *, no_input: bool = False, title: str = "", generated_at: datetime | None = None
) -> str:
    """The notebook as a standalone HTML page that fetches nothing when opened (nbconvert
    ``HTMLExporter``, ``lab`` template without CDN scripts), under :func:`report_header`.

    Markdown outputs are sanitized first (:func:`sanitize_markdown_outputs`); ``nb`` is not
    changed. The page title is the notebook's first heading, else ``title``.
    """
    import copy

    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = remove_external_scripts(sanitize_markdown_outputs(copy.deepcopy(nb)))
    header = report_header(nb, generated_at=generated_at)
    title = report_title(nb, title)
    nb = _with_header(nb, header)
    nb.metadata.pop("widgets", None)  # its renderer comes from a CDN: widgets show their text

    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})]
    )
    exporter.template_file = _TEMPLATE_NAME
    if no_input:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    resources = {"metadata": {"name": title}} if title else None
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def run_notebook(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str] | None,
    parameters: Mapping[str, Any] | None = None,
    *,
    timeout: int = 600,
    no_input: bool = False,
    cwd: str | os.PathLike[str] | None = None,
    notebook_output: str | os.PathLike[str] | None = None,
) -> RunResult:
    """Inject ``parameters``, execute the notebook headless and write an HTML report.

    Parameters
    ----------
    path:
        The ``.ipynb`` file (not changed).
    output:
        The HTML report to write (also on failure: the report then shows the error), or None.
    parameters:
        Values for the ``parameters`` cell's names.
    timeout:
        Seconds one cell may run.
    no_input:
        Hide the code in the report.
    cwd:
        Folder the kernel runs in (default: the notebook's).
    notebook_output:
        Also write the executed notebook here.

    Returns
    -------
    RunResult
    """
    import nbformat

    source = Path(path)
    nb = nbformat.read(source, as_version=4)
    known = set(parameter_names(nb))
    unknown = [n for n in parameters or {} if known and n not in known]
    inject_parameters(nb, dict(parameters or {}))
    nb, seconds, error = execute(nb, cwd=cwd or source.parent.resolve(), timeout=timeout)
    written = None
    if output is not None:
        written = Path(output)
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_text(to_html(nb, no_input=no_input, title=source.stem), encoding="utf-8")
    if notebook_output is not None:
        nbformat.write(nb, notebook_output)
    return RunResult(nb, written, seconds, error, unknown)
