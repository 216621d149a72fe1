"""Seeded state built once per process and anchor, then copied into each sandbox that asks.

Building a seed runs hundreds to thousands of real API calls; copying the finished SQLite
database (SQLite's online backup) takes milliseconds. A template is built in a private, empty
sandbox of its own and never handed out or written to afterwards; a sandbox receives a copy of
its documents and keeps its own ``meta`` entries (the NextToken secret, the seed name), so
nothing one sandbox does reaches the template or another sandbox. The template is keyed by the
seed's name and anchor (the start of the UTC day, :func:`builder.anchor_of`); the few most
recently used are kept. A sandbox that already holds documents (a persisted file seeded later)
is built in place instead, so its state is not replaced.
"""

from __future__ import annotations

import random
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from .builder import anchor_of

if TYPE_CHECKING:
    from ..engine import Sandbox
    from ..store import Store

Build = Callable[["Sandbox", float], None]

# Meta entries that belong to the sandbox being seeded, never to the template.
_OWN_META = ("secret", "seed")

# How many templates (seed name, anchor) are kept, the least recently used dropped first.
KEEP = 3

_lock = threading.Lock()
_templates: OrderedDict[tuple[str, float], Store] = OrderedDict()


def install(sandbox: Sandbox, name: str, build: Build) -> None:
    """Give ``sandbox`` the state ``build(sandbox, anchor)`` makes, from the template if any."""
    anchor = anchor_of(sandbox)
    if sandbox.store.regions():
        _build_in_place(sandbox, build, anchor)
        return
    own = {key: sandbox.store.get_meta(key) for key in _OWN_META}
    with _lock:  # a template is never closed while it is being copied
        _template(name, anchor, build, sandbox.strict).copy_to(sandbox.store)
    for key, value in own.items():
        if value is not None:
            sandbox.store.set_meta(key, value)


def clear() -> None:
    """Forget every template (the next seeded sandbox builds afresh)."""
    with _lock:
        for store in _templates.values():
            store.close()
        _templates.clear()


def _template(name: str, anchor: float, build: Build, strict: bool) -> Store:
    """The template of ``name`` at ``anchor``, built now if not held (call under ``_lock``)."""
    key = (name, anchor)
    held = _templates.get(key)
    if held is not None:
        _templates.move_to_end(key)
        return held
    from ..engine import Sandbox

    scratch = Sandbox(now=anchor, strict=strict)
    scratch.random = random.Random(f"ppv2kit-seed-{name}")
    with scratch.store.transaction():
        build(scratch, anchor)
    _templates[key] = scratch.store
    while len(_templates) > KEEP:
        _templates.popitem(last=False)[1].close()
    return scratch.store


def _build_in_place(sandbox: Sandbox, build: Build, anchor: float) -> None:
    latency, limiter = sandbox.latency, sandbox.limiter
    sandbox.latency, sandbox.limiter = 0.0, None  # history is written, not requested
    try:
        with sandbox.store.transaction():
            build(sandbox, anchor)
    finally:
        sandbox.latency, sandbox.limiter = latency, limiter
