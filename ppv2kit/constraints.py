"""Check a value against a model shape: required, type, min/max, pattern, enum.

One pure function, :func:`problems`, shared by the sandbox (which answers violations with a
``ValidationException``) and the forms (which show each problem beside its field). It reads the
model only through :class:`ppv2kit.model.Shape`. Patterns must match the whole value
(``docs/adr/0003-unconfirmed-service-behaviour.md``).
"""

from __future__ import annotations

from typing import Any

from .model import Shape

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
