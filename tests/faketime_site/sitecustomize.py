"""Loaded by every Python process of ``make test-faketime`` (``tests/faketime_run.py`` puts this
folder on ``PYTHONPATH``): ``time.sleep`` waits with ``select`` on the real monotonic clock.

Why: libfaketime 0.9.10 (Debian's) moves the *deadline* of ``clock_nanosleep(CLOCK_MONOTONIC,
TIMER_ABSTIME)`` by the fake offset even when the monotonic clock is not faked, so CPython's
``time.sleep`` (which sleeps that way since 3.11) fails with ``OSError: [Errno 22]``. Faking the
monotonic clock as well is worse: lock and queue time-outs (``sem_clockwait``) then wait for the
whole offset. With the monotonic clock real and this ``sleep``, every wait keeps its meaning and
only the dates move. Nothing else is changed.
"""

from __future__ import annotations

import os
import select
import time

if os.environ.get("FAKETIME"):
    _monotonic = time.monotonic

    def _sleep(seconds: float) -> None:
        """``time.sleep`` that waits on ``select`` (libfaketime leaves its time-out alone)."""
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = _monotonic() + seconds
        while (left := deadline - _monotonic()) > 0:
            select.select([], [], [], left)

    time.sleep = _sleep
