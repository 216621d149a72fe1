"""Month-to-date spend per account, region and channel.

The service meters spend as a month-to-date gauge (CloudWatch ``AWS/SMSVoice``
``TextMessageMonthlySpend`` / ``VoiceMessageMonthlySpend``, statistic Maximum) and holds sends to
the enforced monthly limit. Both read the same numbers here. Sending calls :func:`record` for
every accepted message (a running total per channel and UTC calendar month, so enforcing the limit
costs one read); :func:`history` rebuilds the gauge over time from the message log for CloudWatch.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from .kinds import MESSAGE, SPEND
from .store import RegionStore

# Channel of a message document -> the spend limit it counts against and its CloudWatch metric.
CHANNELS = {
    "TEXT": ("TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", "TextMessageMonthlySpend"),
    "VOICE": ("VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", "VoiceMessageMonthlySpend"),
    "MEDIA": ("MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT", "MediaMessageMonthlySpend"),
}


def month_key(at: float) -> str:
    """``2026-11`` for any instant of November 2026 (UTC)."""
    moment = time.gmtime(at)
    return f"{moment.tm_year:04d}-{moment.tm_mon:02d}"


def month_start(at: float) -> float:
    """Epoch seconds of the first instant of ``at``'s UTC calendar month."""
    moment = datetime.fromtimestamp(at, tz=timezone.utc)
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()


def record(store: RegionStore, channel: str, at: float, price: float) -> float:
    """Add ``price`` USD to ``channel``'s total for ``at``'s month; the new total."""
    key = f"{channel}/{month_key(at)}"
    doc = store.get(SPEND, key) or {"Channel": channel, "Month": month_key(at), "Total": 0.0}
    doc["Total"] = round(doc["Total"] + price, 6)
    store.put(SPEND, key, doc)
    return doc["Total"]


def month_to_date(store: RegionStore, channel: str, at: float) -> float:
    """USD spent on ``channel`` in ``at``'s month so far (the running total)."""
    doc = store.get(SPEND, f"{channel}/{month_key(at)}")
    return doc["Total"] if doc else 0.0


def history(store: RegionStore, channel: str) -> Iterator[tuple[float, float]]:
    """``(Timestamp, month-to-date total after that message)`` for every priced message."""
    month, total = None, 0.0
    for _, doc in store.items(MESSAGE):
        if channel_of(doc) != channel:
            continue
        at = float(doc["Timestamp"])
        if month_key(at) != month:
            month, total = month_key(at), 0.0
        total = round(total + float(doc.get("Price") or 0.0), 6)
        yield at, total


def channel_of(doc: dict[str, Any]) -> str | None:
    """The channel whose spend a logged message counts against.

    Its ``Channel``, unless the message was sent through a family metered apart (a Notify text
    or call is logged as ``TEXT``/``VOICE`` but counts against ``NOTIFY``; ADR 20).
    """
    return doc.get("_SpendChannel") or doc.get("Channel")
