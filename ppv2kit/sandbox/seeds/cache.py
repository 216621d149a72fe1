"""Seeded state built once per process and anchor, then copied into each sandbox that asks.

Building a seed runs hundreds to thousands of real API calls; copying the finished SQLite
database (SQLite's online backup) takes milliseconds. A template is built in a private, empty
sandbox of its own and never handed out or written to afterwards; a sandbox receives a copy of
its documents and keeps its own ``meta`` entries (the NextToken secret, the seed name), so
nothing one sandbox does reaches the template or another sandbox. The template is keyed by the
seed's name and anchor (the start of the UTC day, :func:`builder.anchor_of`); the few most
recently used are kept. A sandbox that already holds documents (a persisted file seeded later)
is built in place instead, so its state is not replaced.

Templates are also kept on disk (``$PPV2KIT_CACHE_DIR``, default ``~/.cache/ppv2kit``; empty to
turn off), named by seed, anchor and a fingerprint of the code that builds them (the sandbox's
sources and botocore's version), so a new process, such as each notebook kernel, copies instead
of building. A stale or unreadable file is rebuilt; a cache that can't be written is skipped.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import botocore

from ..store import Store
from .builder import anchor_of

if TYPE_CHECKING:
    from ..engine import Sandbox

Build = Callable[["Sandbox", float], None]

# Meta entries that belong to the sandbox being seeded, never to the template.
_OWN_META = ("secret", "seed")

# How many templates (seed name, anchor) are kept, the least recently used dropped first.
KEEP = 3

log = logging.getLogger("ppv2kit.sandbox.seeds")

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
        _template(name, anchor, build, sandbox).copy_to(sandbox.store)
    for key, value in own.items():
        if value is not None:
            sandbox.store.set_meta(key, value)


def clear() -> None:
    """Forget every template (the next seeded sandbox builds afresh)."""
    with _lock:
        for store in _templates.values():
            store.close()
        _templates.clear()


def _template(name: str, anchor: float, build: Build, asking: Sandbox) -> Store:
    """The template of ``name`` at ``anchor``, built now if not held (call under ``_lock``).

    Built in a scratch sandbox of ``asking``'s class with its strictness.
    """
    key = (name, anchor)
    held = _templates.get(key)
    if held is not None:
        _templates.move_to_end(key)
        return held
    stored = _disk_path(name, anchor)
    template = _read(stored) if stored else None
    if template is None:
        scratch = type(asking)(now=anchor, strict=asking.strict)
        scratch.random = random.Random(f"ppv2kit-seed-{name}")
        with scratch.store.transaction():
            build(scratch, anchor)
        template = scratch.store
        if stored:
            _write(template, stored, name)
    _templates[key] = template
    while len(_templates) > KEEP:
        _templates.popitem(last=False)[1].close()
    return template


def _build_in_place(sandbox: Sandbox, build: Build, anchor: float) -> None:
    latency, limiter = sandbox.latency, sandbox.limiter
    sandbox.latency, sandbox.limiter = 0.0, None  # history is written, not requested
    try:
        with sandbox.store.transaction():
            build(sandbox, anchor)
    finally:
        sandbox.latency, sandbox.limiter = latency, limiter


@cache
def fingerprint() -> str:
    """A digest of what a seed's state depends on: the sandbox's code and botocore's version."""
    root = Path(__file__).resolve().parents[2]  # the ppv2kit package
    digest = hashlib.sha256(botocore.__version__.encode())
    for path in sorted([*root.joinpath("sandbox").rglob("*.py"), *root.glob("*.py")]):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path | None:
    """Where templates are kept on disk, or None when ``PPV2KIT_CACHE_DIR`` is set empty."""
    configured = os.environ.get("PPV2KIT_CACHE_DIR")
    if configured is None:
        return Path.home() / ".cache" / "ppv2kit"
    return Path(configured) if configured else None


def _disk_path(name: str, anchor: float) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"seed-{name}-{anchor:.0f}-{fingerprint()}.sqlite"


def _read(path: Path) -> Store | None:
    if not path.is_file():
        return None
    try:
        on_disk = Store(str(path))
        try:
            if on_disk.integrity_check() != "ok":
                return None
            template = Store()
            on_disk.copy_to(template)
        finally:
            on_disk.close()
    except Exception as err:  # a damaged or foreign file is rebuilt
        log.debug("seed cache %s unreadable: %r", path, err)
        return None
    return template


def _write(template: Store, path: Path, name: str) -> None:
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        template.copy_to_file(str(temp))
        for stale in path.parent.glob(f"seed-{name}-*.sqlite"):
            stale.unlink(missing_ok=True)
        os.replace(temp, path)
    except OSError as err:  # a read-only home: the in-memory template still serves
        log.debug("seed cache %s not written: %r", path, err)
    finally:
        for leftover in path.parent.glob(f"{path.stem}.{os.getpid()}.tmp*"):
            leftover.unlink(missing_ok=True)
