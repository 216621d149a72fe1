"""The mapping table on tiny synthetic shapes: shape -> plan, and the field each plan builds.

Each fixture is a member shape, the plan it must get, values that must pass and values that must
fail with a named rule. No browser: plans are data, fields are plain widget objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.model import ShapeResolver

from ppv2kit.forms import NOT_SET, plan_for
from ppv2kit.forms.checks import check
from ppv2kit.forms.groups import FIELD_TYPES, build_field
from ppv2kit.forms.mapping import TABLE
from ppv2kit.model import Shape

NAME = "[A-Za-z0-9_-]+"


def shapes(
    member: dict[str, Any],
    extra: dict[str, Any] | None = None,
    *,
    name: str = "S",
    member_name: str = "X",
    required: bool = False,
) -> tuple[Shape, Shape]:
    """(input structure, member shape) with the member's shape named ``name``."""
    definitions = {
        name: member,
        "Input": {
            "type": "structure",
            "required": [member_name] if required else [],
            "members": {member_name: {"shape": name, "documentation": "<p>Help text.</p>"}},
        },
        **(extra or {}),
    }
    root = Shape(ShapeResolver(definitions).get_shape_by_name("Input"))
    return root, root.members[member_name]


@dataclass
class Case:
    id: str
    member: dict[str, Any]
    widget: str
    rule: str
    options: dict[str, Any] = field(default_factory=dict)
    valid: list[Any] = field(default_factory=list)
    invalid: list[tuple[Any, str]] = field(default_factory=list)
    extra: dict[str, Any] | None = None
    required: bool = False


STR = {"Str": {"type": "string", "min": 1, "max": 8}}
TAG = {
    "Tag": {
        "type": "structure",
        "required": ["Key"],
        "members": {"Key": {"shape": "Key"}, "Value": {"shape": "Value"}},
    },
    "Key": {"type": "string", "min": 1, "max": 128},
    "Value": {"type": "string", "min": 0, "max": 256},
}
CAP = {"Cap": {"type": "string", "enum": ["SMS", "VOICE"]}}

CASES = [
    Case(
        "enum",
        {"type": "string", "enum": ["A", "B"]},
        "Dropdown",
        "enum",
        {"options": ("A", "B"), "not_set": True},
        ["A", "B"],
        [("C", "enum")],
    ),
    Case(
        "required-enum",
        {"type": "string", "enum": ["A", "B"]},
        "Dropdown",
        "enum",
        {"not_set": False},
        ["B"],
        [("Z", "enum")],
        required=True,
    ),
    Case(
        "boolean", {"type": "boolean"}, "ToggleButtons", "boolean", {"not_set": True}, [True, False]
    ),
    Case(
        "integer",
        {"type": "integer", "min": 5, "max": 10},
        "IntText",
        "integer",
        {"min": 5, "max": 10, "step": 1},
        [5, 10],
        [(11, "max"), (4, "min")],
    ),
    Case(
        "long",
        {"type": "long", "min": 0, "max": 1_000_000_000},
        "IntText",
        "integer",
        {"max": 1_000_000_000},
        [0, 1_000_000_000],
        [(1_000_000_001, "max")],
    ),
    Case(
        "double",
        {"type": "double", "min": -90, "max": 90},
        "FloatText",
        "number",
        {"min": -90, "max": 90},
        [1.5],
        [(90.5, "max")],
    ),
    Case(
        "string",
        {"type": "string", "min": 1, "max": 64, "pattern": NAME},
        "Text",
        "string",
        {"min": 1, "max": 64, "pattern": NAME},
        ["my_list"],
        [("bad name", "pattern"), ("x" * 65, "max"), ("", "min")],
    ),
    Case(
        "long-text",
        {"type": "string", "min": 1, "max": 1600, "pattern": "(?!\\s*$)[\\s\\S]+"},
        "Textarea",
        "long text",
        {"max": 1600},
        ["Hello\nworld"],
        [("   ", "pattern")],
    ),
    Case(
        "long-no-newline",
        {"type": "string", "min": 20, "max": 2048, "pattern": "arn:\\S+"},
        "Text",
        "string",
        {},
        ["arn:aws:iam::123456789012:role/r"],
        [("arn:x y", "pattern")],
    ),
    Case(
        "sensitive",
        {"type": "string", "sensitive": True, "max": 20},
        "Password",
        "sensitive",
        {"max": 20},
        ["s3cret"],
        [("x" * 21, "max")],
    ),
    Case(
        "token",
        {"type": "string", "idempotencyToken": True, "min": 1, "max": 64, "pattern": "[!-~]+"},
        "Text",
        "idempotency token",
        {"placeholder": "filled automatically"},
        ["abc-123"],
        [("has space", "pattern")],
    ),
    Case(
        "timestamp",
        {"type": "timestamp"},
        "DatetimePicker",
        "timestamp",
        {},
        [datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)],
    ),
    Case("blob", {"type": "blob"}, "FileUpload", "blob", {}, [b"%PDF-1.4"]),
    Case(
        "string-list",
        {"type": "list", "member": {"shape": "Str"}, "min": 1, "max": 3},
        "TagsInput",
        "list of strings",
        {"min": 1, "max": 3, "allow_duplicates": False},
        [["a", "b"]],
        [(["a", "b", "c", "d"], "max"), (["toolongvalue"], "max"), ([], "min")],
        STR,
    ),
    Case(
        "enum-list",
        {"type": "list", "member": {"shape": "Cap"}, "min": 1, "max": 2},
        "TagsInput",
        "list of strings",
        {"allowed_tags": ("SMS", "VOICE")},
        [["SMS"]],
        [(["FAX"], "enum")],
        CAP,
    ),
    Case(
        "structure-list",
        {"type": "list", "member": {"shape": "Tag"}, "max": 2},
        "Rows",
        "list",
        {"max": 2},
        [[{"Key": "team", "Value": "<b>ops</b>"}], [{"Key": "k"}]],
        [([{"Value": "v"}], "required"), ([{"Key": "a"}] * 3, "max")],
        TAG,
    ),
    Case(
        "map",
        {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}, "max": 2},
        "Rows",
        "map",
        {"map": True, "max": 2},
        [{"k": "v"}],
        [({"k": ""}, "min"), ({"k": "far too long"}, "max")],
        STR,
    ),
    Case(
        "structure",
        {
            "type": "structure",
            "required": ["Key"],
            "members": {"Key": {"shape": "Key"}, "Value": {"shape": "Value"}},
        },
        "Group",
        "structure",
        {},
        [{"Key": "a"}, {"Key": "a", "Value": ""}],
        [({"Value": "v"}, "required")],
        TAG,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_plan_of_each_shape_kind(case: Case) -> None:
    _, member = shapes(case.member, case.extra, required=case.required)
    plan = plan_for(member, member="X", operation="Op", required=case.required)
    assert (plan.widget, plan.rule) == (case.widget, case.rule)
    for key, value in case.options.items():
        assert plan.options[key] == value, (key, dict(plan.options))
    assert plan.reason


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_valid_values_round_trip_and_pass_the_checks(case: Case) -> None:
    root, member = shapes(case.member, case.extra, required=case.required)
    f = build_field(member, name="X", path="X", required=case.required)
    assert f.get() is NOT_SET
    for value in case.valid:
        f.set(value)
        assert f.get() == value
        assert f.is_set
        assert f.live_problems() == []
        assert check({"X": value}, root) == []
    f.set(None)
    assert f.get() is NOT_SET


@pytest.mark.parametrize("case", [c for c in CASES if c.invalid], ids=lambda c: c.id)
def test_invalid_values_are_kept_and_named_by_rule(case: Case) -> None:
    root, member = shapes(case.member, case.extra, required=case.required)
    f = build_field(member, name="X", path="X", required=case.required)
    for value, rule in case.invalid:
        f.set(value)
        assert f.get() == value, "an invalid value must stay visible, not vanish"
        rules = {p.rule for p in check({"X": value}, root)}
        assert rule in rules, (value, rules)


def test_every_plan_can_be_rendered() -> None:
    assert {r.widget for r in TABLE} <= set(FIELD_TYPES)


def test_traits_win_over_types() -> None:
    _, token = shapes({"type": "string", "idempotencyToken": True, "sensitive": True})
    assert plan_for(token).rule == "idempotency token"
    _, secret_enum = shapes({"type": "string", "sensitive": True, "enum": ["A"]})
    assert plan_for(secret_enum).widget == "Password"


def test_pickers_come_from_the_shape_name_or_the_member_name() -> None:
    _, pool = shapes(
        {"type": "string", "pattern": "[A-Za-z0-9_:/-]*"}, name="PoolIdOrArn", member_name="PoolId"
    )
    plan = plan_for(pool, member="PoolId", operation="DeletePool")
    assert (plan.widget, plan.resources) == ("Combobox", ("pool",))
    assert plan.options["ensure_option"] is False
    _, dest = shapes(
        {"type": "string", "pattern": NAME},
        name="EventDestinationName",
        member_name="EventDestinationName",
    )
    delete = plan_for(dest, member="EventDestinationName", operation="DeleteEventDestination")
    assert delete.resources == ("event-destination",)
    create = plan_for(dest, member="EventDestinationName", operation="CreateEventDestination")
    assert create.widget == "Text", "a name being created is not picked from existing ones"
    _, arn = shapes({"type": "string"}, name="AmazonResourceName", member_name="ResourceArn")
    assert set(plan_for(arn, member="ResourceArn").resources) >= {"pool", "phone-number"}


def test_not_set_is_kept_apart_from_false_zero_and_empty() -> None:
    _, flag = shapes({"type": "boolean"})
    b = build_field(flag, name="X", path="X")
    assert b.get() is NOT_SET
    b.set(False)
    assert b.get() is False and b.is_set
    b.clear()
    assert b.get() is NOT_SET
    _, text = shapes({"type": "string", "max": 5})
    t = build_field(text, name="X", path="X")
    t.set("")
    assert t.get() == "" and t.is_set
    _, number = shapes({"type": "integer"})
    n = build_field(number, name="X", path="X")
    assert n.get() is NOT_SET
    n.set(0)
    assert n.get() == 0
    _, strings = shapes({"type": "list", "member": {"shape": "Str"}}, STR)
    s = build_field(strings, name="X", path="X")
    assert s.get() is NOT_SET
    s.set([])
    assert s.get() == []


def test_typing_ticks_the_set_box_and_clearing_unticks_it() -> None:
    _, text = shapes({"type": "string", "min": 1, "max": 64, "pattern": NAME})
    f = build_field(text, name="X", path="X")
    f.input.value = "abc"
    assert f.set_box.value is True and f.get() == "abc"
    f.input.value = ""
    assert f.set_box.value is False and f.get() is NOT_SET
    f.set_box.value = True  # an empty string sent on purpose
    assert f.get() == ""


def test_problems_show_beside_the_field_as_you_type() -> None:
    _, text = shapes({"type": "string", "min": 1, "max": 64, "pattern": NAME})
    f = build_field(text, name="X", path="X")
    f.input.value = "bad name!"
    assert f.problems and "pattern" in f.problems[0]
    assert "ppv2kit-invalid" in f.widget._dom_classes
    f.input.value = "good_name"
    assert f.problems == []
    assert "ppv2kit-invalid" not in f.widget._dom_classes


def test_an_unknown_enum_value_is_shown_as_not_allowed() -> None:
    _, enum = shapes({"type": "string", "enum": ["A", "B"]})
    f = build_field(enum, name="X", path="X")
    f.set("C")
    assert f.input.label == "C (not allowed)"
    assert f.problems and "enum" in f.problems[0]


def test_wrong_python_types_are_refused_at_once() -> None:
    _, flag = shapes({"type": "boolean"})
    with pytest.raises(TypeError):
        build_field(flag, name="X", path="X").set("yes")
    _, number = shapes({"type": "integer"})
    with pytest.raises(TypeError):
        build_field(number, name="X", path="X").set("12")


def test_rows_are_added_and_removed_by_their_buttons() -> None:
    _, tags = shapes({"type": "list", "member": {"shape": "Tag"}}, TAG)
    f = build_field(tags, name="Tags", path="Tags")
    f.add_button.click()
    f.add_button.click()
    assert len(f.rows) == 2
    assert f.get() == [{}, {}], "an unfilled row is sent so its required Key is reported"
    f.rows[0].item.children["Key"].set("team")
    f.rows[1].remove.click()
    assert f.get() == [{"Key": "team"}]
    assert f.find(["[0]", "Key"]) is f.rows[0].item.children["Key"]


def test_map_rows_have_a_key_and_a_value() -> None:
    _, context = shapes({"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}}, STR)
    f = build_field(context, name="Context", path="Context")
    f.set({"a": "1", "b": "2"})
    assert [r.key.get() for r in f.rows] == ["a", "b"]
    assert f.get() == {"a": "1", "b": "2"}
    assert f.find(["b"]) is f.rows[1].item


def test_fields_carry_stable_css_classes_and_the_model_documentation() -> None:
    _, text = shapes({"type": "string"}, required=True)
    f = build_field(text, name="X", path="X", required=True)
    classes = set(f.widget._dom_classes)
    assert {"ppv2kit-field", "ppv2kit-field-X", "ppv2kit-path-X", "ppv2kit-required"} <= classes
    assert "Help text." in f.help.value
    assert "ppv2kit-required-mark" in f.label.value
