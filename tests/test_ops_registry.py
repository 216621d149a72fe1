"""Adding an operation is one checked step: what a forgotten step looks like fails here.

An ops module that exists but is not registered, a registered family that does not import or
handles nothing, a shared module that grew a handler, a placeholder check for an unemulated
resource that goes around :func:`ppv2kit.sandbox.kinds.reject_unemulated` or names a kind not
listed in ``kinds.NOT_EMULATED``.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from ppv2kit.model import load
from ppv2kit.sandbox import coverage, kinds, ops

OPS_DIR = Path(ops.__file__).parent
SANDBOX_DIR = OPS_DIR.parent
SNAKE_NAMES = {load().operation(op).snake_name for op in load().operation_names}


def test_every_ops_module_is_a_family_or_shared():
    present = {p.stem for p in OPS_DIR.glob("*.py") if p.stem != "__init__"}
    assert present == set(ops.FAMILIES) | set(ops.SHARED)
    assert not set(ops.FAMILIES) & set(ops.SHARED)


def test_every_family_imports_and_handles_an_operation():
    by_module: dict[str, int] = {}
    for handler in ops.handlers().values():
        by_module[handler.__module__] = by_module.get(handler.__module__, 0) + 1
    for name in ops.FAMILIES:
        assert by_module.get(f"{ops.__name__}.{name}"), f"family {name} handles no operation"


def test_shared_modules_hold_no_handler():
    for name in ops.SHARED:
        module = importlib.import_module(f"{ops.__name__}.{name}")
        assert not [n for n in vars(module) if n in SNAKE_NAMES], name


def test_a_family_that_fails_to_import_fails_the_table(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ops, "FAMILIES", (*ops.FAMILIES, "no_such_family"))
    with pytest.raises(ModuleNotFoundError):
        ops.modules()


def _calls(name: str):
    for path in sorted(SANDBOX_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                fn = node.func
                called = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", None)
                if called == name:
                    yield path, node


def _constant(node: ast.expr) -> str | None:
    """The value of a string literal or of a ``kinds`` constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    value = getattr(kinds, name or "", None)
    return value if isinstance(value, str) else None


def test_placeholder_checks_name_listed_kinds_and_appear_in_the_coverage_doc():
    found = list(_calls("reject_unemulated"))
    # none may remain once every kind is emulated; the helper itself must stay
    assert callable(kinds.reject_unemulated)
    listed = {(p.member, p.kind) for p in coverage.placeholders()}
    for path, call in found:
        kind = _constant(call.args[2])
        assert kind in kinds.NOT_EMULATED, f"{path.name}:{call.lineno} names {kind!r}"
        assert (_constant(call.args[1]), kind) in listed, f"{path.name}:{call.lineno}"


def test_unemulated_kinds_are_only_rejected_through_the_helper():
    for path, call in _calls("not_found"):
        if path.name == "kinds.py" or not call.args:
            continue
        kind = _constant(call.args[0])
        assert kind not in kinds.NOT_EMULATED, f"{path.name}:{call.lineno} bypasses the helper"


def test_reject_unemulated_refuses_an_unlisted_kind():
    with pytest.raises(ValueError, match="NOT_EMULATED"):
        kinds.reject_unemulated({}, "PoolId", kinds.POOL)
