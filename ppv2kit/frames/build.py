"""Rows -> a typed DataFrame: flattened item columns, provenance and context columns, tags.

Values are read column by column from the listed items (botocore's parsed dicts) along each
plan column's path and converted once per column by :mod:`.dtypes`, so an empty result and a
full one go through the same code and carry the same typed columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import dtypes
from .plan import ACCOUNT, REGION, TAGS, FramePlan

# Provenance column -> the chunk attribute that fills it.
_PROVENANCE = {ACCOUNT: "account", REGION: "region"}


@dataclass(frozen=True)
class Chunk:
    """The items one listing returned in one account and region, with its context keys."""

    account: str
    region: str
    context: Mapping[str, Any]
    items: Sequence[Any]
    order: tuple[int, ...] = ()


def _dig(item: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(item, Mapping):
            return None
        item = item.get(key)
    return item


def _values(items: Sequence[Any], path: tuple[str, ...]) -> list[Any]:
    if not path:
        return list(items)
    if len(path) == 1:
        key = path[0]
        return [item.get(key) for item in items]
    return [_dig(item, path) for item in items]


def _repeat(chunks: Sequence[Chunk], value_of: Any) -> list[Any]:
    out: list[Any] = []
    for chunk in chunks:
        out.extend([value_of(chunk)] * len(chunk.items))
    return out


def build(
    plan: FramePlan,
    chunks: Sequence[Chunk],
    tags: Mapping[str, Mapping[str, str] | None] | None = None,
) -> pd.DataFrame:
    """The frame of ``plan`` holding every item of ``chunks``, in the chunks' order.

    With ``tags`` (ARN -> ``{key: value}``), a ``Tags`` column holds each row's tags (``None``
    where they could not be read).
    """
    chunks = sorted(chunks, key=lambda c: c.order)
    items: list[Any] = [item for chunk in chunks for item in chunk.items]
    data: dict[str, Any] = {}
    for column in plan.columns:
        if column.origin == "provenance":
            values = _repeat(chunks, lambda c, a=_PROVENANCE[column.name]: getattr(c, a))
        elif column.origin == "context":
            values = _repeat(chunks, lambda c, n=column.name: c.context.get(n))
        else:
            values = _values(items, column.path)
        if column.origin == "money":
            data[column.name] = dtypes.money(values)
        else:
            data[column.name] = dtypes.convert(values, column.dtype)
    if tags is not None:
        arns = _values(items, (plan.arn_column,)) if plan.arn_column else [None] * len(items)
        data[TAGS] = dtypes.convert([tags.get(arn) if arn else None for arn in arns], dtypes.OBJECT)
    return pd.DataFrame(data)
