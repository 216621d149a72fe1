"""Checks before a call: botocore's own validator plus the model rules botocore leaves out.

botocore's ``ParamValidator`` checks required members, Python types, ``min`` and unions; the
service also enforces ``max``, ``pattern`` and ``enum`` (service-behaviour §1.1), which
:func:`ppv2kit.constraints.problems` checks. :func:`check` runs both and returns one list of
:class:`~ppv2kit.constraints.Problem` with member paths (``Tags[0].Key``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.validate import ParamValidator

from .. import model as model_mod
from ..constraints import Problem
from ..constraints import problems as constraint_problems
from .fields import plain_problem

# Rules botocore's ParamValidator does not check client-side [service-behaviour §1.1].
MODEL_ONLY_RULES = frozenset({"max", "pattern", "enum"})


def join_path(parent: str, child: str) -> str:
    """``("A", "B")`` -> ``"A.B"``; ``("", "B")`` -> ``"B"``."""
    return f"{parent}.{child}" if parent else child


def _type_names(kw: Mapping[str, Any]) -> str:
    names = [str(t).replace("<class '", "").replace("'>", "") for t in kw.get("valid_types", ())]
    return " or ".join(names) or "another type"


def botocore_problems(params: Mapping[str, Any], shape: model_mod.Shape) -> list[Problem]:
    """What botocore's own ``ParamValidator`` finds (required, types, min, unions)."""
    report = ParamValidator().validate(dict(params), shape.botocore)
    out = []
    for error_type, name, kw in getattr(report, "_errors", ()):
        path = name.lstrip(".")
        key = ""
        if " (key: " in path:
            path, key = path.split(" (key: ", 1)
            key = f"key {key.rstrip(')')!r}: "
        if error_type == "missing required field":
            out.append(
                Problem(join_path(path, kw["required_name"]), "required", "required: set a value")
            )
        elif error_type == "unknown field":
            out.append(Problem(join_path(path, kw["unknown_param"]), "unknown", "not a member"))
        elif error_type == "invalid type":
            out.append(Problem(path, "type", f"{key}must be {_type_names(kw)}"))
        elif error_type == "invalid length":
            out.append(
                Problem(
                    path,
                    "min",
                    f"{key}must have length greater than or equal to {kw['min_allowed']}",
                )
            )
        elif error_type == "invalid range":
            out.append(
                Problem(path, "min", f"must be greater than or equal to {kw['min_allowed']}")
            )
        elif error_type in ("more than one input", "empty input"):
            out.append(Problem(path, "union", "set exactly one of: " + ", ".join(kw["members"])))
        else:
            out.append(Problem(path, error_type, error_type))
    if report.has_errors() and not out:  # a botocore without the private list
        out.append(Problem("", "botocore", report.generate_report()))
    return out


def check(params: Mapping[str, Any], shape: model_mod.Shape) -> list[Problem]:
    """botocore's validator plus the model's max/pattern/enum rules, without duplicates."""
    found = botocore_problems(params, shape)
    found += [
        Problem(p.path, p.rule, plain_problem(p.message))
        for p in constraint_problems(dict(params), shape)
        if p.rule in MODEL_ONLY_RULES
    ]
    return list(dict.fromkeys(found))
