"""Monthly spend limits: DescribeSpendLimits and every Set/Delete*SpendLimitOverride.

The override operations are generated from the model: ``Set<Kind>MessageSpendLimitOverride``
and ``Delete<Kind>MessageSpendLimitOverride`` act on ``<KIND>_MESSAGE_MONTHLY_SPEND_LIMIT``, so a
new kind in the model is emulated without code. An override above MaxLimit is a
``ValidationException`` (``REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT``); deleting restores
EnforcedLimit = MaxLimit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...model import Model
from ..context import Context
from ..errors import invalid_field
from .account import save_settings, settings

_OVERRIDE = re.compile(r"(Set|Delete)(\w+)MessageSpendLimitOverride")


def limit_name(kind: str) -> str:
    """``Text`` -> ``TEXT_MESSAGE_MONTHLY_SPEND_LIMIT``."""
    return f"{kind.upper()}_MESSAGE_MONTHLY_SPEND_LIMIT"


def enforced_limit(ctx: Context, name: str) -> int:
    """The limit sends are held to (override if set, else MaxLimit)."""
    doc = settings(ctx)
    return doc["SpendOverrides"].get(name, doc["SpendMax"][name])


def describe_spend_limits(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = settings(ctx)
    rows = [
        {
            "Name": name,
            "EnforcedLimit": doc["SpendOverrides"].get(name, maximum),
            "MaxLimit": maximum,
            "Overridden": name in doc["SpendOverrides"],
        }
        for name, maximum in doc["SpendMax"].items()
    ]
    return ctx.listing(params, enumerate(rows, 1))


def _setter(name: str) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def handler(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        doc = settings(ctx)
        limit = params["MonthlyLimit"]
        if limit > doc["SpendMax"][name]:
            raise invalid_field(
                "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
                "MonthlyLimit",
                f"{limit} is above the maximum of {doc['SpendMax'][name]} USD for {name}",
            )
        doc["SpendOverrides"][name] = limit
        save_settings(ctx, doc)
        return {"MonthlyLimit": limit}

    return handler


def _deleter(name: str) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
    def handler(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        doc = settings(ctx)
        doc["SpendOverrides"].pop(name, None)
        save_settings(ctx, doc)
        return {"MonthlyLimit": doc["SpendMax"][name]}

    return handler


def generated_handlers(model: Model) -> dict[str, Callable[..., dict[str, Any]]]:
    """A Set and a Delete override handler for every spend-limit kind the model names."""
    known = set(model.shape("SpendLimitName").enum)
    out: dict[str, Callable[..., dict[str, Any]]] = {}
    for op in model.operation_names:
        match = _OVERRIDE.fullmatch(op)
        if match and limit_name(match[2]) in known:
            make = _setter if match[1] == "Set" else _deleter
            out[op] = make(limit_name(match[2]))
            out[op].__name__ = model.operation(op).snake_name
    return out
