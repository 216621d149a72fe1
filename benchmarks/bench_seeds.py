"""Seeds: how long ``Sandbox(seed=...)`` takes, built afresh and copied from the process's template.

The demo is built once per process and anchor (real API calls, a month of traffic), then copied
into every new sandbox (ADR 0011). Baseline in the same run: an empty ``Sandbox()``. Target: a
demo sandbox after the first in well under a second (<= 0.1 s here).

Run with ``python -m benchmarks seeds`` (or ``make bench``).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable

from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.seeds import cache

COPIES = 20


def _timed(make: Callable[[], Sandbox]) -> float:
    started = time.perf_counter()
    sandbox = make()
    took = time.perf_counter() - started
    sandbox.close()
    return took


def _rows(sandbox: Sandbox) -> str:
    counts = {
        kind: sum(
            sandbox.store.region(account, region).count(kind, None)
            for account, region in sandbox.store.regions()
        )
        for kind in ("phone-number", "pool", "opted-out-number", "message", "event")
    }
    return ", ".join(f"{n:,} {kind}s" for kind, n in counts.items())


def bench(seed: str, copies: int) -> None:
    empty = statistics.median(_timed(Sandbox) for _ in range(copies))
    cache.clear()
    first = _timed(lambda: Sandbox(seed=seed))
    again = [_timed(lambda: Sandbox(seed=seed)) for _ in range(copies)]
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "state.sqlite")
        persisted = _timed(lambda: Sandbox(seed=seed, state_path=path))
        reopened = _timed(lambda: Sandbox(seed=seed, state_path=path))
    sample = Sandbox(seed=seed)
    print(f"{seed}: {len(sample.regions())} regions, {_rows(sample)}")
    sample.close()
    copy = statistics.median(again)
    verdict = "OK" if copy <= 0.1 else "MISSED"
    rows = [
        ("empty Sandbox() (baseline)", empty, ""),
        (f"first Sandbox(seed={seed!r}): builds", first, ""),
        (
            f"next ones: copied (median of {copies})",
            copy,
            f"  x{copy / empty:,.0f} of empty  (target <= 100 ms) {verdict}",
        ),
        ("copied into a new SQLite file", persisted, ""),
        ("that file reopened (not seeded again)", reopened, ""),
    ]
    for label, seconds, note in rows:
        print(f"    {label:<40}: {seconds * 1000:8.1f} ms{note}")


def main() -> None:
    Sandbox().close()  # model and imports loaded once, outside the figures
    bench("demo", COPIES)
    bench("large", 3)
    cache.clear()


if __name__ == "__main__":
    main()
