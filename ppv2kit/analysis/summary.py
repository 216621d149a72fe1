"""A notebook's key results, shown to people and readable by machines.

``display(Summary("inventory", regions=3, numbers=40))`` renders a small Markdown table in
JupyterLab and in HTML reports, and carries the same values as JSON under the
``application/vnd.ppv2kit.summary+json`` MIME type, which tests and schedulers read from the
executed notebook (:func:`summaries`) without scraping HTML.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

MIME = "application/vnd.ppv2kit.summary+json"
NO_MATH = "tex2jax_ignore mathjax_ignore"  # the classes MathJax 2 and 3 leave alone
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}#+!|~>-])")
# Brackets and parentheses as entities, not backslashed: JupyterLab and MathJax read ``\(``/``\[``
# as the start of a formula (a stray "\(" in the text), and ``](`` must never form a link.
_MARKDOWN_ENTITIES = str.maketrans({"[": "&#91;", "]": "&#93;", "(": "&#40;", ")": "&#41;"})


def _plain(value: Any) -> Any:
    """JSON-safe: NA -> None, numpy scalars -> Python, timestamps -> ISO, frames -> records."""
    if isinstance(value, pd.DataFrame):
        return [_plain(r) for r in value.to_dict("records")]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def setup_display(max_columns: int = 40) -> None:
    """Make notebook output read well: plotly figures that render offline in JupyterLab and in
    HTML reports (:func:`ppv2kit.charts.use_offline_renderer`), every DataFrame shown through
    :func:`ppv2kit.display.table` (money, shares, times, blanks formatted; no index), tables
    whose ``$`` amounts are not typeset as LaTeX, and up to ``max_columns`` columns."""
    from .. import charts, display

    charts.use_offline_renderer()
    display.install()
    pd.set_option("display.html.use_mathjax", False)
    pd.set_option("display.max_columns", max_columns)


def escape_markdown(value: Any) -> str:
    """``value`` as literal Markdown text: HTML escaped, Markdown punctuation backslashed.

    For names that come from the account (tags, identities), which may hold markup.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))
    return escaped.translate(_MARKDOWN_ENTITIES)


def markdown(text: str, /, **values: Any) -> Any:
    """``IPython.display.Markdown`` of ``text``, shielded from LaTeX, with ``values`` escaped.

    Parameters
    ----------
    text:
        Markdown written by the notebook; ``{name}`` fields are filled from ``values``.
    **values:
        Data (names, tags, messages) shown literally: see :func:`escape_markdown`.

    JupyterLab and nbconvert hand ``$...$`` to MathJax, so "$20.58 of the $25 limit" would
    become a formula; money in these notebooks is always meant literally. The text goes in a
    ``div`` with the classes MathJax 2 and 3 skip (as pandas does for tables with
    ``display.html.use_mathjax = False``).
    """
    from IPython.display import Markdown

    if values:
        text = text.format(**{k: escape_markdown(v) for k, v in values.items()})
    return Markdown(f'<div class="{NO_MATH}">\n\n{text}\n\n</div>')


class Summary:
    """Key results of a notebook run.

    Parameters
    ----------
    name:
        What the notebook reports (``inventory``, ``spend``...).
    **values:
        JSON-able values (numbers, text, lists, dicts, small DataFrames).
    """

    def __init__(self, name: str, **values: Any) -> None:
        self.name = name
        self.values = {k: _plain(v) for k, v in values.items()}

    def __repr__(self) -> str:
        return f"Summary({self.name!r}, {self.values!r})"

    def _cell(self, value: Any) -> str:
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return f"{len(value)} rows"
        if isinstance(value, (list, dict)):
            text = json.dumps(value, default=str)
            return text if len(text) < 120 else text[:117] + "..."
        return "—" if value is None else str(value)

    def _repr_mimebundle_(self, **_: Any) -> dict[str, Any]:
        rows = "".join(
            f"| {html.escape(k)} | {html.escape(self._cell(v)).replace('|', '&#124;')} |\n"
            for k, v in self.values.items()
        )
        markdown = (
            f'<div class="{NO_MATH}">\n\n**Key results: {html.escape(self.name)}**\n\n'
            f"| | |\n|---|---|\n{rows}\n</div>"
        )
        return {
            "text/markdown": markdown,
            "text/plain": repr(self),
            MIME: {"name": self.name, "values": self.values},
        }


def summaries(notebook: Any) -> dict[str, dict[str, Any]]:
    """Every :class:`Summary` output of an executed notebook (nbformat node), by name."""
    found: dict[str, dict[str, Any]] = {}
    cells: Iterable[Any] = notebook["cells"]
    for cell in cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                payload = data[MIME]
                found[payload["name"]] = payload["values"]
    return found
