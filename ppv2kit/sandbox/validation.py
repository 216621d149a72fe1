"""Check values against the model's shapes: requests on the way in, responses on the way out.

The real service enforces every constraint the model states (required members, types, min/max
length, size and value, patterns, enums); botocore checks only some of them client-side, and
other SDKs none. :func:`check_input` finds every violation at once so the ``ValidationException``
can name each failing member in ``Fields``. :func:`prune` and :func:`check_output` keep responses
to exactly what the output shape allows.
"""

from __future__ import annotations

from typing import Any

from ..model import Shape
from .errors import ServiceError, validation

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "blob": (str, bytes),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float, str),
    "list": (list,),
    "map": (dict,),
    "structure": (dict,),
}

_TYPE_WORDS = {
    "string": "a string",
    "blob": "a base64 string",
    "boolean": "a boolean",
    "integer": "an integer",
    "long": "an integer",
    "float": "a number",
    "double": "a number",
    "timestamp": "a timestamp",
    "list": "a list",
    "map": "an object",
    "structure": "an object",
}


class Problem(tuple):
    """One violation: ``(path, rule, message)``; ``rule`` names the constraint that failed."""

    __slots__ = ()

    def __new__(cls, path: str, rule: str, message: str) -> Problem:
        return super().__new__(cls, (path, rule, message))

    @property
    def path(self) -> str:
        return self[0]

    @property
    def rule(self) -> str:
        return self[1]

    @property
    def message(self) -> str:
        return self[2]


def _is_type(value: Any, type_name: str) -> bool:
    if isinstance(value, bool) and type_name not in ("boolean",):
        return False
    return isinstance(value, _PY_TYPES.get(type_name, (object,)))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problems(value: Any, shape: Shape, path: str = "") -> list[Problem]:
    """Every way ``value`` breaks ``shape``'s constraints (empty when it is valid)."""
    out: list[Problem] = []
    _check(value, shape, path, out)
    return out


def _check(value: Any, shape: Shape, path: str, out: list[Problem]) -> None:
    kind = shape.type
    where = path or "input"
    if not _is_type(value, kind):
        out.append(Problem(where, "type", f"Member must be {_TYPE_WORDS.get(kind, kind)}"))
        return
    lo, hi = shape.min, shape.max
    if kind == "string":
        if lo is not None and len(value) < lo:
            out.append(
                Problem(where, "min", f"Member must have length greater than or equal to {lo}")
            )
        if hi is not None and len(value) > hi:
            out.append(Problem(where, "max", f"Member must have length less than or equal to {hi}"))
        if shape.enum and value not in shape.enum:
            out.append(
                Problem(
                    where,
                    "enum",
                    "Member must satisfy enum value set: [" + ", ".join(shape.enum) + "]",
                )
            )
        elif shape.regex is not None and not shape.regex.fullmatch(value):
            out.append(
                Problem(
                    where,
                    "pattern",
                    f"Member must satisfy regular expression pattern: {shape.pattern}",
                )
            )
    elif kind in ("integer", "long", "float", "double"):
        if lo is not None and value < lo:
            out.append(
                Problem(where, "min", f"Member must have value greater than or equal to {lo}")
            )
        if hi is not None and value > hi:
            out.append(Problem(where, "max", f"Member must have value less than or equal to {hi}"))
    elif kind in ("list", "map"):
        if lo is not None and len(value) < lo:
            out.append(
                Problem(where, "min", f"Member must have length greater than or equal to {lo}")
            )
        if hi is not None and len(value) > hi:
            out.append(Problem(where, "max", f"Member must have length less than or equal to {hi}"))
        if kind == "list" and shape.member is not None:
            for i, item in enumerate(value):
                _check(item, shape.member, f"{path}[{i}]" if path else f"[{i}]", out)
        elif kind == "map" and shape.key is not None and shape.value is not None:
            for k, v in value.items():
                _check(k, shape.key, f"{where}.key", out)
                _check(v, shape.value, f"{path}.{k}" if path else str(k), out)
    elif kind == "structure":
        for name in sorted(shape.required):
            if value.get(name) is None:
                child = f"{path}.{name}" if path else name
                out.append(Problem(child, "required", "Member must not be null"))
        for name, child_shape in shape.members.items():
            if name in value and value[name] is not None:
                _check(value[name], child_shape, f"{path}.{name}" if path else name, out)


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
