"""The one table from a botocore shape (type and traits) to a widget plan.

:func:`plan_for` walks :data:`TABLE` top to bottom and returns the first rule that matches as a
:class:`Plan`: the widget's name, its options and the reason it was chosen. It is a pure function
of the model (plus the hand-written picker table), so tests check it without a browser and
``form.plan()`` can show every field's plan. Traits the model states (``idempotencyToken``,
``sensitive``, ``enum``) win over types; nothing is guessed from a member's name except which
resource it names (:mod:`.pickers`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..model import Operation, Shape
from .pickers import kinds_for

NOT_SET_LABEL = "not set"

# Strings that may be longer than this and may contain line breaks get a Textarea.
LONG_TEXT = 256


@dataclass(frozen=True)
class Spec:
    """What the table looks at: a shape, and where it sits in an operation's input."""

    shape: Shape
    member: str = ""
    operation: str = ""
    required: bool = False


@dataclass(frozen=True)
class Plan:
    """Which widget a field gets, with which options, and why.

    Attributes
    ----------
    widget:
        An ipywidgets class name (``Dropdown``, ``IntText``, ``TagsInput``...), or ``Rows``
        (add/remove rows) or ``Group`` (a collapsible group of member fields).
    rule:
        The name of the :data:`TABLE` rule that matched.
    reason:
        Why, in words.
    options:
        Keyword options for the widget and for the field's own checks.
    resources:
        For ``Combobox`` pickers, the resource kinds offered (see :mod:`.pickers`).
    """

    widget: str
    rule: str
    reason: str
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    resources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One row of the table: when it applies, the widget, its options and the reason."""

    name: str
    when: Callable[[Spec], bool]
    widget: str
    reason: str
    options: Callable[[Spec], dict[str, Any]] = lambda spec: {}


def _bounds(spec: Spec) -> dict[str, Any]:
    s = spec.shape
    return {k: v for k, v in (("min", s.min), ("max", s.max)) if v is not None}


def _text_options(spec: Spec) -> dict[str, Any]:
    s = spec.shape
    out = _bounds(spec)
    if s.pattern:
        out["pattern"] = s.pattern
    return out


def _int_options(spec: Spec) -> dict[str, Any]:
    return {**_bounds(spec), "step": 1}


def _enum_options(spec: Spec) -> dict[str, Any]:
    return {"options": spec.shape.enum, "not_set": not spec.required}


def _bool_options(spec: Spec) -> dict[str, Any]:
    return {"options": ("true", "false"), "not_set": not spec.required}


def _tags_options(spec: Spec) -> dict[str, Any]:
    member = spec.shape.member
    out = _bounds(spec)
    out["allow_duplicates"] = False
    if member is not None and member.enum:
        out["allowed_tags"] = member.enum
    elif member is not None and member.pattern:
        out["pattern"] = member.pattern
    return out


def _picker_options(spec: Spec) -> dict[str, Any]:
    return {**_text_options(spec), "ensure_option": False}


def _is_string(spec: Spec) -> bool:
    return spec.shape.type == "string"


def _is_long_text(spec: Spec) -> bool:
    s = spec.shape
    if not _is_string(spec) or (s.max or 0) <= LONG_TEXT:
        return False
    return s.regex is None or bool(s.regex.fullmatch("a\nb"))


def _is_string_list(spec: Spec) -> bool:
    member = spec.shape.member
    return spec.shape.type == "list" and member is not None and member.type == "string"


def _picks(spec: Spec) -> bool:
    return bool(kinds_for(spec.operation, spec.member, spec.shape))


TABLE: tuple[Rule, ...] = (
    Rule(
        "idempotency token",
        lambda s: s.shape.idempotency_token,
        "Text",
        "idempotency token: filled with a fresh token per submission attempt, never required",
        lambda s: {**_text_options(s), "placeholder": "filled automatically"},
    ),
    Rule(
        "resource picker",
        _picks,
        "Combobox",
        "names an existing resource: offers the account's resources, accepts a typed ID or ARN",
        _picker_options,
    ),
    Rule(
        "sensitive",
        lambda s: s.shape.sensitive and _is_string(s),
        "Password",
        "marked sensitive in the model: never shown in clear",
        _text_options,
    ),
    Rule(
        "enum",
        lambda s: bool(s.shape.enum),
        "Dropdown",
        "enum: one of the model's values",
        _enum_options,
    ),
    Rule(
        "boolean",
        lambda s: s.shape.type == "boolean",
        "ToggleButtons",
        "boolean: true, false or not set (not set is not false)",
        _bool_options,
    ),
    Rule(
        "integer",
        lambda s: s.shape.type in ("integer", "long"),
        "IntText",
        "integer: the model's min/max checked as you type",
        _int_options,
    ),
    Rule(
        "number",
        lambda s: s.shape.type in ("float", "double"),
        "FloatText",
        "number: the model's min/max checked as you type",
        _bounds,
    ),
    Rule(
        "timestamp",
        lambda s: s.shape.type == "timestamp",
        "DatetimePicker",
        "timestamp: a date and time (UTC)",
    ),
    Rule("blob", lambda s: s.shape.type == "blob", "FileUpload", "binary data: a file upload"),
    Rule(
        "long text",
        _is_long_text,
        "Textarea",
        "string that may be long and span lines: length and pattern checked as you type",
        _text_options,
    ),
    Rule(
        "string",
        _is_string,
        "Text",
        "string: length and pattern checked as you type",
        _text_options,
    ),
    Rule(
        "list of strings",
        _is_string_list,
        "TagsInput",
        "list of strings: one tag per item (enum values offered)",
        _tags_options,
    ),
    Rule(
        "list",
        lambda s: s.shape.type == "list",
        "Rows",
        "list: add and remove one row per item",
        _bounds,
    ),
    Rule(
        "map",
        lambda s: s.shape.type == "map",
        "Rows",
        "map: add and remove key/value rows",
        lambda s: {**_bounds(s), "map": True},
    ),
    Rule(
        "structure",
        lambda s: s.shape.type == "structure",
        "Group",
        "structure: a collapsible group of its members",
    ),
)

FALLBACK = Rule("fallback", lambda s: True, "Text", "no rule for this type: edited as text")


def plan_for(
    shape: Shape, *, member: str = "", operation: str = "", required: bool = False
) -> Plan:
    """The widget plan for ``shape`` as member ``member`` of ``operation``'s input.

    Parameters
    ----------
    shape:
        The member's shape (a :class:`ppv2kit.model.Shape`).
    member:
        The member's name in its structure (used only by the resource-picker table).
    operation:
        The operation's model name (used only by the resource-picker table).
    required:
        Whether the structure requires the member (no "not set" choice for enums/booleans).

    Returns
    -------
    Plan
        The first matching rule of :data:`TABLE` (or :data:`FALLBACK`), with its options.
    """
    spec = Spec(shape, member, operation, required)
    rule = next((r for r in TABLE if r.when(spec)), FALLBACK)
    resources = kinds_for(operation, member, shape) if rule.name == "resource picker" else ()
    return Plan(
        widget=rule.widget,
        rule=rule.name,
        reason=rule.reason,
        options=MappingProxyType(rule.options(spec)),
        resources=resources,
    )


PLAN_COLUMNS = (
    "field",
    "shape",
    "type",
    "widget",
    "rule",
    "required",
    "options",
    "default",
    "reason",
)


def operation_plan(operation: Operation) -> list[dict[str, Any]]:
    """One row per member path of ``operation``'s input: the plan of its field and why.

    List items appear as ``Tags[]``, map keys and values as ``Context{key}``/``Context{value}``.
    ``DryRun`` shows its default (on).
    """
    return list(_plan_rows(operation.name, operation.input, "", ""))


def _plan_rows(
    operation: str, shape: Shape, path: str, member: str, required: bool = False
) -> Iterator[dict[str, Any]]:
    if path:
        plan = plan_for(shape, member=member, operation=operation, required=required)
        options = dict(plan.options)
        if plan.resources:
            options["resources"] = plan.resources
        yield {
            "field": path,
            "shape": shape.name,
            "type": shape.type,
            "widget": plan.widget,
            "rule": plan.rule,
            "required": required,
            "options": options,
            "default": True if path == "DryRun" and shape.type == "boolean" else None,
            "reason": plan.reason,
        }
    if shape.type == "structure":
        for name, child in shape.members.items():
            child_path = f"{path}.{name}" if path else name
            yield from _plan_rows(operation, child, child_path, name, name in shape.required)
    elif shape.type == "list" and shape.member is not None and shape.member.type != "string":
        yield from _plan_rows(operation, shape.member, f"{path}[]", member, True)
    elif shape.type == "map" and shape.key is not None and shape.value is not None:
        yield from _plan_rows(operation, shape.key, f"{path}{{key}}", "key", True)
        yield from _plan_rows(operation, shape.value, f"{path}{{value}}", member, True)
