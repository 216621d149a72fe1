"""docs/sandbox-coverage.md is generated and must stay current."""

from __future__ import annotations

from pathlib import Path

from ppv2kit.sandbox import coverage, ops

DOC = Path(__file__).resolve().parents[1] / "docs" / "sandbox-coverage.md"


def test_coverage_doc_is_current():
    assert DOC.read_text() == coverage.render(), "run `make coverage-doc` and commit the result"


def test_every_public_function_in_a_family_module_is_a_handler_or_documented_helper():
    from ppv2kit.model import load

    names = {load().operation(op).snake_name for op in load().operation_names}
    for module in ops.modules():
        for name in dir(module):
            fn = getattr(module, name)
            if (
                callable(fn)
                and not name.startswith("_")
                and getattr(fn, "__module__", "") == module.__name__
            ):
                if name in names:
                    continue
                assert fn.__doc__, f"{module.__name__}.{name} is neither a handler nor documented"
