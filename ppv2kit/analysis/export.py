"""Export frames to CSV or Excel, as people open them (UTC times, lists as text).

Excel cannot hold time-zone-aware timestamps or Python lists and dicts; :func:`excel_ready`
turns timestamps into naive UTC (the column name says so) and containers into text. Writing
``.xlsx`` needs ``openpyxl``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _text(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str, sort_keys=True)
    return value


def excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` Excel can hold: naive UTC timestamps (``<col> (UTC)``), text for lists
    and dicts, plain objects for nullable extension columns."""
    out = df.copy()
    renames = {}
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[col] = series.dt.tz_convert("UTC").dt.tz_localize(None)
            renames[col] = f"{col} (UTC)"
        elif series.dtype == object:
            out[col] = series.map(_text)
        elif isinstance(series.dtype, pd.CategoricalDtype):
            out[col] = series.astype("string")
    return out.rename(columns=renames)


def _sheet(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:31] or "Sheet"
    sheet, i = base, 2
    while sheet.lower() in taken:
        suffix = f" ({i})"
        sheet, i = base[: 31 - len(suffix)] + suffix, i + 1
    taken.add(sheet.lower())
    return sheet


def export(frames: pd.DataFrame | Mapping[str, pd.DataFrame], path: str | os.PathLike[str]) -> Path:
    """Write one frame to ``.csv``, or one or more frames to ``.xlsx`` (one sheet each).

    Parameters
    ----------
    frames:
        A DataFrame, or ``{sheet name: DataFrame}`` (Excel only; a CSV takes one frame).
    path:
        The file to write; its suffix picks the format. Folders are created.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    named = {"data": frames} if isinstance(frames, pd.DataFrame) else dict(frames)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        if len(named) != 1:
            raise ValueError("a CSV file holds one frame; write several to .xlsx")
        df = next(iter(named.values()))
        out = df.copy()
        for col in out.columns:
            if out[col].dtype == object:
                out[col] = out[col].map(_text)
        out.to_csv(target, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
    elif suffix in (".xlsx", ".xlsm"):
        taken: set[str] = set()
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            for name, df in named.items():
                excel_ready(df).to_excel(writer, sheet_name=_sheet(name, taken), index=False)
    else:
        raise ValueError(f"export to .csv or .xlsx, not {suffix or 'no suffix'!r}")
    return target
