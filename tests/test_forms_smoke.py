"""Every non-paginated operation of today's model gets a working form.

For each operation: the form builds, every member of the input has a plan that can be rendered,
required members are marked, a minimal valid value (generated from the model's constraints) set
through ``set_value`` comes back unchanged from ``form.value`` and passes ``validate()``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from ppv2kit import forms
from ppv2kit.constraints import problems
from ppv2kit.forms.fields import css_token
from ppv2kit.forms.groups import FIELD_TYPES
from ppv2kit.model import Shape, load
from ppv2kit.sandbox.coverage import SEED_RELEASE

OPERATIONS = forms.form_operations()

# Candidates for string values, tried in order until one satisfies the shape's constraints.
CANDIDATES = (
    "abc",
    "US",
    "+12065550100",
    "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-0123456789abcdef",
    "https://example.com/a.png",
    "s3://bucket/key",
    "ABC_DEF",
    "0.05",
    "a.b",
    "+1 206 555 0100",
    "bucket-name",
)


def sample(shape: Shape, depth: int = 0, full: bool = False) -> Any:
    """A value that satisfies ``shape``'s constraints: required members only, or all (``full``)."""
    kind = shape.type
    if kind == "structure":
        names = sorted(shape.required) or (list(shape.members)[:1] if depth else [])
        if full:
            names = list(shape.members)
        if shape.botocore.is_tagged_union:
            names = list(shape.members)[:1]
        return {n: sample(shape.members[n], depth + 1, full) for n in names}
    if kind == "list":
        assert shape.member is not None
        item = sample(shape.member, depth + 1, full)
        return (
            [item] * max(shape.min or 1, 1)
            if shape.member.type != "string" or not shape.member.enum
            else list(shape.member.enum[: max(shape.min or 1, 1)])
        )
    if kind == "map":
        assert shape.key is not None and shape.value is not None
        return {sample(shape.key, depth + 1): sample(shape.value, depth + 1, full)}
    if kind == "boolean":
        return True
    if kind in ("integer", "long"):
        return (
            int(max(shape.min or 1, 1))
            if shape.max is None
            else int(min(max(shape.min or 1, 1), shape.max))
        )
    if kind in ("float", "double"):
        return float(shape.min or 0) + 0.5 if shape.max is None or shape.max >= 1 else 0.0
    if kind == "timestamp":
        return datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    if kind == "blob":
        return b"data"
    if shape.enum:
        return shape.enum[0]
    for candidate in CANDIDATES:
        value = candidate
        if shape.min and len(value) < shape.min:
            value = (
                value + "x" * (shape.min - len(value))
                if shape.regex is None or shape.regex.fullmatch(value + "x")
                else value
            )
        if not problems(value, shape):
            return value
    raise AssertionError(f"no sample string for {shape.name} ({shape.pattern})")


def offline_kit() -> SimpleNamespace:
    """A kit that must never be called: building and validating a form calls nothing."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the smoke test must not call the API")

    return SimpleNamespace(
        backend="AWS", account="123456789012", regions=["eu-west-1"], call=refuse, frame=refuse
    )


def test_about_eighty_operations_have_forms() -> None:
    assert 75 <= len(OPERATIONS) <= 100
    assert "SendTextMessage" in OPERATIONS and "DescribePhoneNumbers" not in OPERATIONS


@pytest.mark.parametrize("operation", OPERATIONS)
def test_form_builds_and_round_trips_a_minimal_value(operation: str) -> None:
    op = load().operation(operation)
    form = forms.form(offline_kit(), operation)
    assert form.region == "eu-west-1"
    value = sample(op.input)
    assert not problems(value, op.input), "the sample itself must be valid"
    form.set_value(value)
    expected = dict(value)
    if "DryRun" in op.input.members:
        expected.setdefault("DryRun", True)
    assert form.value == expected
    assert form.validate() == []
    token = op.idempotency_token
    if token:
        assert token not in form.value, "the idempotency token is filled at call time"
        assert token not in op.input.required


@pytest.mark.parametrize("operation", OPERATIONS)
def test_form_round_trips_a_value_with_every_member_set(operation: str) -> None:
    op = load().operation(operation)
    form = forms.form(offline_kit(), operation)
    value = sample(op.input, full=True)
    form.set_value(value)
    assert form.value == value
    assert form.validate() == []
    for path, _ in op.input.walk():
        if "[]" not in path:
            assert form.field(path).path == path, "every set member has its own field"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_member_has_a_renderable_plan_and_required_ones_are_marked(operation: str) -> None:
    op = load().operation(operation)
    form = forms.form(offline_kit(), op.snake_name)
    plan = form.plan()
    paths = set(plan["field"])
    for path, _ in op.input.walk():
        assert path in paths
    assert set(plan["widget"]) <= set(FIELD_TYPES)
    assert all(plan["reason"].str.len() > 0)
    for name in op.input.required:
        classes = form.root.children[name].widget._dom_classes
        assert "ppv2kit-required" in classes
        assert f"ppv2kit-field-{css_token(name)}" in classes
    assert "ppv2kit-form" in form.widget._dom_classes


def test_paginated_listings_have_frames_not_forms() -> None:
    with pytest.raises(ValueError, match=r"kit\.frame"):
        forms.form(offline_kit(), "DescribePools")


def test_the_seed_release_mutating_calls_all_have_forms() -> None:
    # The first release's operations that are not paginated listings: the issue counts 32.
    seed = {op for op in SEED_RELEASE if op not in load().paginators}
    assert len(seed) == 32
    assert seed <= set(OPERATIONS)
