"""Delivery events as answers: delivery, cost, latency and failures, read in place by DuckDB.

``events.open(source)`` takes the folder a Firehose event destination writes to, a sandbox, or a
kit on the sandbox; the :class:`Events` it returns answers as DataFrames. See
:mod:`ppv2kit.events.reader` and ADR 0024.
"""

from __future__ import annotations

from .reader import Events, Problems, open

__all__ = ["Events", "Problems", "open"]
