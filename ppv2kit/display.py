"""How a DataFrame looks to a person in a notebook or an HTML report.

:func:`table` renders a frame as an HTML table that reads well: money as ``$1,234.56`` (small
amounts with the digits they need), shares as percentages, times to the minute in UTC, blanks
instead of ``<NA>``/``NaT``/``NaN``, lists and maps as text, no index, columns that hold one
value in every row moved to a line above the table, names before IDs, IDs and regions never
wrapped, long text left-aligned and whole, the header and the first column kept in view when a
long or wide table scrolls. :func:`install` makes it the way every DataFrame displays
(``analysis.setup_display()`` calls it); plain ``repr`` and ``to_html`` are unchanged.

Column roles come from the column's type and name (:data:`MONEY`, :data:`SHARE`, :data:`LONG_TEXT`,
:data:`NO_WRAP`), or from ``df.attrs["display"]`` (``{"money": [...], "share": [...]}``) or
:func:`table`'s arguments when a name says nothing.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

MONEY = re.compile(r"(USD|Usd|Price|Cost|Spend|Limit|MonthToDate|Projected|Fee|Amount)$")
SHARE = re.compile(r"(Share|Rate|Percent)$")
LONG_TEXT = re.compile(r"(Message|Fix|Note|Reason|Description|Detail|Text|Warning)s?$")
NO_WRAP = re.compile(r"(Id|Ids|Arn|Region|E164|PhoneNumber|Number|Code|Identity|Account)$")
NAME = re.compile(r"Name$")
IDENTIFIER = re.compile(r"(Id|Arn)$")
MAX_ROWS = 60
MAX_HEIGHT_PX = 560
CLASS = "ppv2kit-table"

_T = f"div.{CLASS}-wrap table.{CLASS}"  # specific enough to win over JupyterLab's table rules
_CSS = f"""<style>
div.{CLASS}-wrap {{max-height:{MAX_HEIGHT_PX}px; overflow:auto; max-width:100%;}}
{_T} {{border-collapse:collapse; font-size:12px; margin:0;}}
{_T} th {{position:sticky; top:0; background:var(--jp-layout-color0, #fff); z-index:2;
  text-align:left; white-space:nowrap; padding:3px 8px; border-bottom:1px solid #999;}}
{_T} td {{padding:3px 8px; vertical-align:top; text-align:left; white-space:normal;
  border-bottom:1px solid #e5e5e5;}}
{_T} td.num {{text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums;}}
{_T} td.nowrap {{white-space:nowrap;}}
{_T} td.long {{min-width:16em; max-width:40em; white-space:normal; word-break:normal;}}
{_T} td:first-child, {_T} th:first-child {{position:sticky; left:0;
  background:var(--jp-layout-color0, #fff); z-index:1;}}
{_T} th:first-child {{z-index:3;}}
div.{CLASS}-note {{font-size:12px; color:#555; margin:2px 0 4px 0;}}
</style>"""


def money(value: Any) -> str:
    """``$1,234.56``; amounts under a dollar keep two significant digits (``$0.0058``)."""
    if _blank(value):
        return ""
    amount = float(value)
    if amount != 0 and abs(amount) < 1:
        digits = max(2, 1 - math.floor(math.log10(abs(amount))))
        return f"-${abs(amount):,.{digits}f}" if amount < 0 else f"${amount:,.{digits}f}"
    return f"-${abs(amount):,.2f}" if amount < 0 else f"${amount:,.2f}"


def share(value: Any) -> str:
    """A fraction as a percentage: ``0.8065`` -> ``80.7%``, ``0.000654`` -> ``0.065%``."""
    if _blank(value):
        return ""
    pct = float(value) * 100
    if pct != 0 and abs(pct) < 1:
        return f"{pct:.2g}%"
    return f"{pct:,.1f}%"


def when(value: Any, tz: str = "UTC") -> str:
    """A time to the minute in ``tz`` (``2026-11-27 15:00``); a bare date stays a date."""
    if _blank(value):
        return ""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    stamp = stamp.tz_convert(tz)
    return f"{stamp:%Y-%m-%d %H:%M}"


def text(value: Any) -> str:
    """Any other value as readable text: lists joined, maps as ``key: value``, NA blank."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(text(v) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        listed = value.tolist()
        if isinstance(listed, list):
            return text(listed)
        value = listed
    if _blank(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.6g}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, pd.Timestamp):
        return when(value)
    return str(value)


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _roles(df: pd.DataFrame, money_cols: Iterable[str], share_cols: Iterable[str]) -> dict:
    hints = df.attrs.get("display", {}) if isinstance(df.attrs.get("display"), Mapping) else {}
    money_set = set(money_cols) | set(hints.get("money", ()))
    share_set = set(share_cols) | set(hints.get("share", ()))
    roles: dict[str, str] = {}
    for col in df.columns:
        name = str(col)
        series = df[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            roles[name] = "time"
        elif name in share_set or (
            name not in money_set and SHARE.search(name) and _numeric(series)
        ):
            roles[name] = "share"
        elif name in money_set or (MONEY.search(name) and _numeric(series)):
            roles[name] = "money"
        elif pd.api.types.is_bool_dtype(series):
            roles[name] = "bool"
        elif _numeric(series):
            roles[name] = "number"
        else:
            roles[name] = "text"
    return roles


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _constant(series: pd.Series) -> Any:
    """The one value every row holds (``None`` if the column varies or is blank)."""
    try:
        values = series.dropna().unique()
    except TypeError:  # unhashable cells (lists, dicts)
        values = series.dropna().map(repr).unique()
        return series.dropna().iloc[0] if len(values) == 1 and series.notna().all() else None
    if len(values) == 1 and series.notna().all():
        return values[0]
    return None


def _ordered(columns: Sequence[str]) -> list[str]:
    """Name columns before the ID/ARN columns they label; otherwise the frame's order."""
    names = [c for c in columns if NAME.search(c)]
    out: list[str] = []
    for col in columns:
        if col in out:
            continue
        if IDENTIFIER.search(col):
            stem = IDENTIFIER.sub("", col)
            out += [n for n in names if n not in out and NAME.sub("", n) == stem]
        out.append(col)
    return out


def table(
    df: pd.DataFrame,
    *,
    money: Iterable[str] = (),
    shares: Iterable[str] = (),
    tz: str = "UTC",
    max_rows: int = MAX_ROWS,
    keep_constant: Iterable[str] = (),
) -> Table:
    """``df`` as a readable HTML table (see the module's docstring for the rules).

    Parameters
    ----------
    df:
        Any frame; its index is not shown (reset it first to show it).
    money, shares:
        Columns to show as dollars or percentages, beyond those the names announce.
    tz:
        Timezone of times (UTC by default).
    max_rows:
        Rows shown: the first ones, then a line saying how many were left out.
    keep_constant:
        Columns shown even when every row holds the same value.
    """
    return Table(
        df,
        money=list(money),
        shares=list(shares),
        tz=tz,
        max_rows=max_rows,
        keep_constant=list(keep_constant),
    )


class Table:
    """A frame and how to show it; displays as HTML (and as the frame's text elsewhere)."""

    def __init__(
        self,
        df: pd.DataFrame,
        *,
        money: list[str],
        shares: list[str],
        tz: str,
        max_rows: int,
        keep_constant: list[str],
    ) -> None:
        self.df = df
        self.money = money
        self.shares = shares
        self.tz = tz
        self.max_rows = max_rows
        self.keep_constant = keep_constant

    def __repr__(self) -> str:
        return repr(self.df)

    def cells(self) -> tuple[list[str], list[list[tuple[str, str]]], list[str]]:
        """Header, rows of ``(text, css class)`` and the notes above the table."""
        df = self.df.reset_index(drop=True)
        df.columns = [str(c) for c in df.columns]
        roles = _roles(df, self.money, self.shares)
        notes: list[str] = []
        columns = _ordered(list(df.columns))
        if len(df) >= 3:
            same, blank = [], []
            for col in list(columns):
                if col in self.keep_constant or len(columns) <= 2:
                    continue
                if df[col].isna().all():
                    blank.append(col)
                    columns.remove(col)
                    continue
                value = _constant(df[col])
                if value is not None:
                    same.append(f"{col}: {self._format(value, roles[col], col)}")
                    columns.remove(col)
            if same:
                notes.append("Every row: " + "; ".join(same))
            if blank:
                notes.append("No value in any row: " + ", ".join(blank))
        shown = df if len(df) <= self.max_rows else df.head(self.max_rows)
        if len(df) > self.max_rows:
            notes.append(f"Showing the first {self.max_rows:,} of {len(df):,} rows.")
        rows = [
            [
                (self._format(record[col], roles[col], col), self._css(roles[col], col))
                for col in columns
            ]
            for record in shown.to_dict("records")
        ]
        return columns, rows, notes

    def _format(self, value: Any, role: str, col: str) -> str:
        if role == "money":
            return money(value)
        if role == "share":
            return share(value)
        if role == "time":
            return when(value, self.tz)
        return text(value)

    @staticmethod
    def _css(role: str, col: str) -> str:
        if role == "money":
            return "num money"
        if role in ("share", "number"):
            return "num"
        if role == "time" or NO_WRAP.search(col):
            return "nowrap"
        if LONG_TEXT.search(col):
            return "long"
        return ""

    def _repr_html_(self) -> str:
        esc = html.escape
        columns, rows, notes = self.cells()
        head = "".join(f"<th>{esc(c)}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td class='{css}'>{esc(value)}</td>" for value, css in row) + "</tr>"
            for row in rows
        )
        note = "".join(f"<div class='{CLASS}-note'>{esc(n)}</div>" for n in notes)
        if not columns:
            return f"{_CSS}<div class='{CLASS}-note'>(no columns)</div>"
        empty = "" if rows else f"<div class='{CLASS}-note'>No rows.</div>"
        return (
            f"{_CSS}<div class='tex2jax_ignore mathjax_ignore'>{note}"
            f"<div class='{CLASS}-wrap'><table class='{CLASS}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>{empty}</div>"
        )


def install() -> bool:
    """Show every DataFrame through :func:`table` in this IPython session (False outside one)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kit
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda df: table(df)._repr_html_())
    return True


SEVERITY_COLOURS = {"high": "#b91c1c", "medium": "#b45309", "low": "#1d4ed8", "info": "#4b5563"}


def findings(df: pd.DataFrame) -> Findings:
    """A findings frame (``analysis.findings_frame``) as people read it: most severe first,
    severity coloured, repeats of one code and fix collapsed into one row with a count, and the
    resources concerned listed on demand (an HTML ``details`` element: no script needed)."""
    return Findings(df)


class Findings:
    """Findings grouped for reading; displays as HTML (and as the frame's text elsewhere)."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df

    def __repr__(self) -> str:
        return repr(self.df)

    def groups(self) -> list[dict[str, Any]]:
        """One dict per (severity, code, fix): count, regions, an example message, resources."""
        out: list[dict[str, Any]] = []
        if self.df.empty:
            return out
        keys = ["Severity", "Code", "Fix"]
        for (severity, code, fix), rows in self.df.groupby(keys, observed=True, sort=False):
            items = rows.to_dict("records")
            out.append(
                {
                    "Severity": str(severity),
                    "Code": str(code),
                    "Count": len(items),
                    "Regions": sorted({text(r.get("Region")) for r in items} - {""}),
                    "Message": text(items[0].get("Message")),
                    "Fix": text(fix),
                    "Resources": [
                        (text(r.get("Region")), text(r.get("Resource")), text(r.get("Message")))
                        for r in items
                    ],
                }
            )
        order = {s: i for i, s in enumerate(SEVERITY_COLOURS)}
        return sorted(out, key=lambda g: (order.get(g["Severity"], 99), -g["Count"]))

    def _repr_html_(self) -> str:
        esc = html.escape
        groups = self.groups()
        if not groups:
            return f"<div class='{CLASS}-note'>No findings.</div>"
        head = "".join(
            f"<th>{h}</th>" for h in ("Severity", "Finding", "How many", "Where", "What", "Fix")
        )
        body = []
        for g in groups:
            colour = SEVERITY_COLOURS.get(g["Severity"], "#4b5563")
            badge = (
                f"<span style='background:{colour};color:#fff;border-radius:3px;"
                f"padding:0 6px;font-weight:bold'>{esc(g['Severity'])}</span>"
            )
            if g["Count"] == 1:
                _region, resource, message = g["Resources"][0]
                what = esc(f"{resource}: {message}" if resource else message)
            else:
                listed = "".join(
                    f"<li>{esc(region)} · {esc(resource)}: {esc(message)}</li>"
                    for region, resource, message in g["Resources"]
                )
                what = (
                    f"<details><summary>{g['Count']} resources, e.g. {esc(g['Message'])}"
                    f"</summary><ul style='margin:2px 0'>{listed}</ul></details>"
                )
            body.append(
                f"<tr><td class='nowrap'>{badge}</td><td class='nowrap'>{esc(g['Code'])}</td>"
                f"<td class='num'>{g['Count']}</td>"
                f"<td class='nowrap'>{esc(', '.join(g['Regions']))}</td>"
                f"<td class='long'>{what}</td><td class='long'>{esc(g['Fix'])}</td></tr>"
            )
        total = sum(g["Count"] for g in groups)
        note = f"{total} findings in {len(groups)} groups, most severe first."
        return (
            f"{_CSS}<div class='tex2jax_ignore mathjax_ignore'>"
            f"<div class='{CLASS}-note'>{esc(note)}</div><div class='{CLASS}-wrap'>"
            f"<table class='{CLASS}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div></div>"
        )
