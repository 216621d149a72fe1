"""Handlers for pinpoint-sms-voice-v2, one module per resource family.

A handler is a function named after its operation in snake_case (``describe_phone_numbers``)
taking ``(ctx, params)`` and returning the response dict; the engine has already validated
``params`` against the input shape and will prune the response to the output shape. A module may
also offer ``generated_handlers(model)`` for families of operations the model names by pattern
(the spend-limit overrides).

Adding an operation is one handler in one family module; adding a family is one more name in
:data:`FAMILIES`. Every module of this package is either a family or listed in :data:`SHARED`
(code families share, no handlers), a family that fails to import fails the handler table, and
``tests/test_ops_registry.py`` checks all three (docs/ARCHITECTURE.md, "Adding an operation").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from importlib import import_module
from types import ModuleType
from typing import Any

from ...model import Model, load

# The families, in the order they were built. Each module owns its resource kinds.
FAMILIES = (
    "account",
    "spend_limits",
    "opt_outs",
    "phone_numbers",
    "sender_ids",
    "tags",
    "pools",
    "keywords",
    "configuration_sets",
    "sending",
    "verified_destinations",
    "registrations",
    "sender_id_requests",
    "lookup",
    "protect",
    "resource_policies",
    "message_feedback",
    "media",
    "notify",
    "rcs",
)

# Modules of this package that hold code the families share and no handler.
SHARED = ("identities", "named")

Handler = Callable[..., dict[str, Any]]


def modules() -> list[ModuleType]:
    """The family modules, in :data:`FAMILIES` order (an import error propagates)."""
    return [import_module(f"{__name__}.{name}") for name in FAMILIES]


@functools.cache
def handlers(model: Model | None = None) -> Mapping[str, Handler]:
    """Operation name -> handler, for every operation some family emulates."""
    model = model or load()
    table: dict[str, Handler] = {}
    for module in modules():
        found: dict[str, Handler] = {}
        for op in model.operation_names:
            fn = getattr(module, model.operation(op).snake_name, None)
            if callable(fn):
                found[op] = fn
        generated = getattr(module, "generated_handlers", None)
        if generated is not None:
            found.update(generated(model))
        for op, fn in found.items():
            if op in table:
                raise RuntimeError(f"{op} is handled twice ({module.__name__})")
            table[op] = fn
    return table
