"""The message log and the delivery events of every account and region, as typed DataFrames.

``Sandbox.messages()``: one row per logged message, outbound (sends and keyword answers) and
inbound, in the order they happened. ``Sandbox.events()``: one row per event delivered to an
event destination, in event-time order, with the record's own (camelCase) field names, the
destination that received it and the whole ``Record`` as sent. Every column is present and
typed even when there are no rows: nullable ``string``/``Int64``/``Float64``/``boolean``,
``category`` for enumerations, timestamps tz-aware UTC. A message's ``MessageFeedbackStatus`` is
read at the sandbox clock's now (FAILED an hour after a send that asked for feedback and got
none), and so is a status the service reports only later (UNKNOWN after 72 hours).
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import pandas as pd

from .delivery import EVENT, MESSAGE
from .ops.message_feedback import feedback_status
from .replies import INBOUND

if TYPE_CHECKING:
    from .engine import Sandbox

STRING = pd.StringDtype()
INT = pd.Int64Dtype()
FLOAT = pd.Float64Dtype()
BOOL = pd.BooleanDtype()
CATEGORY = "category"
OBJECT = "object"
SECONDS = "epoch-seconds"  # tz-aware UTC timestamp from epoch seconds
MILLISECONDS = "epoch-ms"  # tz-aware UTC timestamp from epoch milliseconds
TIMESTAMP = pd.DatetimeTZDtype(unit="us", tz="UTC")

MESSAGE_COLUMNS: Mapping[str, Any] = {
    "Account": STRING,
    "Region": STRING,
    "MessageId": STRING,
    "Direction": CATEGORY,
    "Origin": CATEGORY,
    "Channel": CATEGORY,
    "Timestamp": SECONDS,
    "Status": CATEGORY,
    "OriginationIdentity": STRING,
    "OriginationIdentityArn": STRING,
    "OriginationIdentityType": CATEGORY,
    "OriginationPhoneNumber": STRING,
    "DestinationPhoneNumber": STRING,
    "IsoCountryCode": STRING,
    "MessageType": CATEGORY,
    "MessageBody": STRING,
    "Encoding": CATEGORY,
    "Parts": INT,
    "UnitPrice": FLOAT,
    "Price": FLOAT,
    "CarrierFee": FLOAT,
    "ConfigurationSetName": STRING,
    "Context": OBJECT,
    "TimeToLive": INT,
    "OptOutListName": STRING,
    "Keyword": STRING,
    "KeywordAction": CATEGORY,
    "InReplyTo": STRING,
    "TwoWayChannelArn": STRING,
    "VoiceId": CATEGORY,
    "MessageBodyTextType": CATEGORY,
    "DurationSeconds": INT,
    "BilledMinutes": INT,
    "MediaUrls": OBJECT,
    "MessageFeedbackStatus": CATEGORY,
    "MessageFeedbackTimestamp": SECONDS,
}

EVENT_COLUMNS: Mapping[str, Any] = {
    "Account": STRING,
    "Region": STRING,
    "ConfigurationSetName": STRING,
    "EventDestinationName": STRING,
    "DestinationType": CATEGORY,
    "DestinationArn": STRING,
    "eventType": CATEGORY,
    "eventVersion": STRING,
    "eventTimestamp": MILLISECONDS,
    "isFinal": BOOL,
    "originationPhoneNumber": STRING,
    "destinationPhoneNumber": STRING,
    "isInternationalSend": BOOL,
    "isoCountryCode": STRING,
    "messageId": STRING,
    "messageRequestTimestamp": MILLISECONDS,
    "messageEncoding": CATEGORY,
    "messageType": CATEGORY,
    "voiceId": CATEGORY,
    "carrierName": STRING,
    "mcc": STRING,
    "mnc": STRING,
    "messageStatus": CATEGORY,
    "messageStatusDescription": STRING,
    "context": OBJECT,
    "totalMessageParts": INT,
    "totalMessagePrice": FLOAT,
    "totalCarrierFee": FLOAT,
    "callDurationInSeconds": INT,
    "Record": OBJECT,
}


def _rows(sandbox: Sandbox, kinds: Sequence[str]) -> list[tuple[int, dict[str, Any]]]:
    """``(seq, row)`` of every document of ``kinds``, with Account, Region and its parent."""
    rows = []
    with sandbox.store.transaction():
        for account, region in sandbox.store.regions():
            store = sandbox.store.region(account, region)
            for kind in kinds:
                for seq, doc in store.items(kind, parent=None):
                    rows.append((seq, {"Account": account, "Region": region, **doc}))
    return rows


def messages_frame(sandbox: Sandbox) -> pd.DataFrame:
    """Every logged message (outbound and inbound) of the sandbox, in the order they happened."""
    now = sandbox.time()
    rows = sorted(_rows(sandbox, (MESSAGE, INBOUND)), key=lambda row: row[0])
    for _, row in rows:
        if row.get("_ReportedAt") is not None and row["_ReportedAt"] > now:
            row["Status"] = row["_StatusBefore"]  # reported only later (UNKNOWN after 72 h)
        if row.get("Direction") == "OUTBOUND":  # as put, or FAILED an hour after without
            row["MessageFeedbackStatus"] = feedback_status(row, now)
    return frame([row for _, row in rows], MESSAGE_COLUMNS)


def events_frame(sandbox: Sandbox) -> pd.DataFrame:
    """Every event delivered to an event destination, by event time."""
    now_ms = sandbox.time() * 1000
    rows = []
    for seq, doc in _rows(sandbox, (EVENT,)):
        if doc.pop("NotBefore", 0) > now_ms:  # not reported yet on the sandbox clock
            continue
        record = doc.pop("Record")
        rows.append((record["eventTimestamp"], seq, {**doc, **record, "Record": record}))
    rows.sort(key=lambda row: row[:2])
    return frame([row for *_, row in rows], EVENT_COLUMNS)


def frame(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, Any]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with exactly ``columns`` (name -> dtype), typed even when empty."""
    data = {
        name: _column([row.get(name) for row in rows], dtype) for name, dtype in columns.items()
    }
    return pd.DataFrame(data, columns=list(columns), index=pd.RangeIndex(len(rows)))


def _column(values: list[Any], dtype: Any) -> Any:
    if dtype in (SECONDS, MILLISECONDS):
        numbers = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        unit = "s" if dtype == SECONDS else "ms"
        return pd.to_datetime(numbers, unit=unit, utc=True).astype(TIMESTAMP).array
    if dtype == CATEGORY:
        return pd.Categorical(values)
    if dtype == OBJECT:
        out = np.empty(len(values), dtype=object)
        for i, value in enumerate(values):
            out[i] = value
        return out
    return pd.array(values, dtype=dtype)


def export_events(sandbox: Sandbox, folder: str | Path, stream: str = "sms-events") -> list[Path]:
    """Write the delivery events reported so far as Firehose writes them to S3: one record per
    line (JSON), gzip, in ``YYYY/MM/DD/HH/`` folders by event time (UTC), files named
    ``<stream>-1-YYYY-MM-DD-HH-00-00-<digest>.gz``; a record that went to several destinations
    is written once. Returns the files written, in order."""
    events = events_frame(sandbox)
    root = Path(folder)
    hours: dict[str, list[bytes]] = {}
    seen: set[tuple[str, str, int]] = set()
    for record in events["Record"]:
        key = (record["messageId"], record["eventType"], record["eventTimestamp"])
        if key in seen:
            continue
        seen.add(key)
        hour = time.strftime("%Y/%m/%d/%H", time.gmtime(record["eventTimestamp"] / 1000))
        hours.setdefault(hour, []).append(orjson.dumps(record) + b"\n")
    written = []
    for hour, lines in sorted(hours.items()):
        body = b"".join(lines)
        stamp = hour.replace("/", "-")
        name = f"{stream}-1-{stamp}-00-00-{hashlib.sha256(body).hexdigest()[:8]}.gz"
        path = root / hour / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(body, mtime=0))
        written.append(path)
    return written
