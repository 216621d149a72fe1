"""Check values against the model's shapes: requests on the way in, responses on the way out.

The real service enforces every constraint the model states (required members, types, min/max
length, size and value, patterns, enums); botocore checks only some of them client-side, and
other SDKs none. :func:`check_input` finds every violation at once so the ``ValidationException``
can name each failing member in ``Fields``. :func:`prune` and :func:`check_output` keep responses
to exactly what the output shape allows.
"""

from __future__ import annotations

from typing import Any

from ..constraints import Problem, problems  # noqa: F401 - Problem re-exported
from ..model import Shape
from .errors import ServiceError, validation


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_input(params: Any, shape: Shape) -> None:
    """Raise ``ValidationException`` naming every failing member, or return when valid."""
    found = problems(params, shape)
    if not found:
        return
    if all(p.rule == "required" for p in found):
        reason = "MISSING_PARAMETER"
    elif any(p.rule == "type" for p in found):
        reason = "CANNOT_PARSE"
    else:
        reason = "FIELD_VALIDATION_FAILED"
    first = found[0]
    value = _lookup(params, first.path)
    summary = (
        f"{len(found)} validation error{'s' if len(found) > 1 else ''} detected: "
        + "; ".join(
            (
                f"Value {_short(value)} at '{p.path}' failed to satisfy constraint: {p.message}"
                if i == 0 and first.rule != "required"
                else f"Value at '{p.path}' failed to satisfy constraint: {p.message}"
            )
            for i, p in enumerate(found)
        )
    )
    raise validation(reason, summary, [(p.path, p.message) for p in found])


def _lookup(params: Any, path: str) -> Any:
    node = params
    for part in path.replace("[", ".[").split("."):
        if not part:
            continue
        try:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        except (KeyError, IndexError, TypeError, ValueError):
            return None
    return node


def prune(value: Any, shape: Shape) -> Any:
    """``value`` reduced to what ``shape`` models: unknown keys and ``None`` members dropped."""
    kind = shape.type
    if kind == "structure" and isinstance(value, dict):
        return {
            name: prune(value[name], child)
            for name, child in shape.members.items()
            if value.get(name) is not None
        }
    if kind == "list" and isinstance(value, list | tuple) and shape.member is not None:
        return [prune(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict) and shape.value is not None:
        return {k: prune(v, shape.value) for k, v in value.items()}
    return value


def check_output(value: Any, shape: Shape) -> None:
    """Raise ``AssertionError`` when a response breaks its output shape (strict mode)."""
    found = [p for p in problems(value, shape) if p.rule in ("type", "required", "enum")]
    if found:
        raise AssertionError(
            f"response breaks {shape.name}: " + "; ".join(f"{p.path}: {p.message}" for p in found)
        )


def check_error(error: ServiceError, error_shape: Shape | None) -> None:
    """Raise ``AssertionError`` when an error's members break its modelled shape."""
    if error_shape is None:
        return
    body = {k: v for k, v in error.body().items() if k != "__type"}
    check_output(prune(body, error_shape), error_shape)
