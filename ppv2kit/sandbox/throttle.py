"""Per-operation request rates: a token bucket per (account, region, operation)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from . import catalog


class RateLimiter:
    """Answers whether one more request fits the operation's requests-per-second rate.

    ``rates`` maps operation names to requests per second; ``scale`` multiplies every rate
    (benchmarks scale the documented rates up so a run fits in a minute). Operations missing from
    ``rates`` use ``default``. A bucket holds ``max(1, rate)`` tokens, so a burst of that many
    requests passes at once. ``clock`` (seconds, monotonic) can be replaced, e.g. by tests.
    """

    def __init__(
        self,
        rates: Mapping[str, float] | None = None,
        default: float = catalog.RATE_LIMIT_DEFAULT,
        scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rates = dict(catalog.RATE_LIMITS if rates is None else rates)
        self.default = default
        self.scale = scale
        self.clock = clock
        self._buckets: dict[tuple[str, str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def rate(self, operation: str) -> float:
        """Requests per second allowed for ``operation``."""
        return self.rates.get(operation, self.default) * self.scale

    def allow(self, account: str, region: str, operation: str) -> bool:
        """Take a token from the bucket; False when the caller is over the rate."""
        rate = self.rate(operation)
        burst = max(1.0, rate)
        key = (account, region, operation)
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True
