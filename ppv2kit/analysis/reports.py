"""Headless reports: inject parameters into a notebook, execute it, export HTML.

Parameters follow papermill's convention without depending on papermill: the code cell tagged
``parameters`` holds the defaults; :func:`inject_parameters` adds a cell tagged
``injected-parameters`` right after it (replacing one from an earlier injection) that assigns the
given values, so they win and the defaults stay visible in the report. :func:`run_notebook`
executes with nbclient in the notebook's folder and exports with nbconvert's ``HTMLExporter``
(``lab`` template; code shown unless ``no_input``). ``ppv2kit run`` is a thin shell around it.
"""

from __future__ import annotations

import ast
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
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


def to_html(nb: Any, *, no_input: bool = False, title: str = "") -> str:
    """The notebook as a standalone HTML page (nbconvert ``HTMLExporter``, ``lab`` template).

    Markdown outputs are sanitized first (:func:`sanitize_markdown_outputs`); ``nb`` is not
    changed.
    """
    import copy

    from nbconvert import HTMLExporter

    nb = sanitize_markdown_outputs(copy.deepcopy(nb))

    exporter = HTMLExporter(template_name="lab")
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
