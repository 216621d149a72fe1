"""Seeded accounts: ``demo`` (a realistic SMS programme) and ``large`` (benchmark scale).

Each seed module has ``load(sandbox)``; :mod:`.builder` holds what they build with (API calls at
past times, the steps AWS does outside the API, bulk writes), :mod:`.traffic` replays sends and
replies in time order, and :mod:`.cache` builds each seed once per process and anchor and copies
it into every sandbox that asks (ADR 0011).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine import Sandbox

SEEDS = ("demo", "large")


def load_seed(sandbox: Sandbox, name: str) -> None:
    """Fill ``sandbox`` with the seed called ``name``."""
    if name not in SEEDS:
        raise ValueError(f"unknown sandbox seed {name!r}; choose one of {', '.join(SEEDS)}")
    import_module(f"{__name__}.{name}").load(sandbox)
