"""Delivery-event records, wherever they are, read in place by DuckDB and answered as DataFrames.

:func:`open` takes a folder of files as a Firehose event destination writes them (JSON lines,
gzip or not, ``YYYY/MM/DD/HH/`` folders), a sandbox, or a kit on the sandbox (whose event log
is exported in that layout first, so both go through the same code). DuckDB reads the files
where they lie (no copy into pandas) through the view ``events``; the questions are
:mod:`ppv2kit.events.queries`. Lines that are not JSON records and records without a message ID
or event type are counted (:attr:`Events.problems`), reported once as a warning, and left out
of the answers: never fatal, never silently dropped. Choices: ADR 0024.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..kit import Kit
from ..sandbox import Sandbox
from . import queries

# The record fields read, with their types (the record format; unknown fields are ignored).
COLUMNS: dict[str, str] = {
    "eventType": "VARCHAR",
    "eventVersion": "VARCHAR",
    "eventTimestamp": "BIGINT",
    "isFinal": "BOOLEAN",
    "originationPhoneNumber": "VARCHAR",
    "destinationPhoneNumber": "VARCHAR",
    "isInternationalSend": "BOOLEAN",
    "isoCountryCode": "VARCHAR",
    "mcc": "VARCHAR",
    "mnc": "VARCHAR",
    "carrierName": "VARCHAR",
    "messageId": "VARCHAR",
    "messageRequestTimestamp": "BIGINT",
    "messageEncoding": "VARCHAR",
    "messageType": "VARCHAR",
    "messageStatus": "VARCHAR",
    "messageStatusDescription": "VARCHAR",
    "totalMessageParts": "BIGINT",
    "totalMessagePrice": "DOUBLE",
    "totalCarrierFee": "DOUBLE",
    "callDurationInSeconds": "BIGINT",
}
# Files a Firehose destination writes, with or without compression.
SUFFIXES = (".gz", ".json", ".jsonl", ".ndjson", "")


@dataclass(frozen=True)
class Problems:
    """What could not be read: lines that are not JSON records, records that are not events."""

    lines: int  # non-blank lines in the files
    records: int  # lines that are JSON records
    malformed: int  # lines that are not (truncated, not JSON)
    foreign: int  # records without a messageId or eventType (another format)

    def __bool__(self) -> bool:
        return bool(self.malformed or self.foreign)


def _files(folder: Path) -> list[str]:
    """Every event file under ``folder`` (hidden files and folders aside), in name order."""
    found = []
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden and path.suffix in SUFFIXES:
            found.append(str(path))
    return found


def _sql_list(files: Sequence[str]) -> str:
    """A SQL list literal of file names."""
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def _epoch_ms(now: datetime | pd.Timestamp | float | None) -> int | None:
    if now is None:
        return None
    if isinstance(now, int | float):
        return round(now * 1000)
    stamp = pd.Timestamp(now)
    if stamp.tzinfo is None:
        raise ValueError(f"now: {now!r} has no time zone; give a UTC time")
    return round(stamp.timestamp() * 1000)


class Events:
    """The delivery events of one source, and the answers to the usual questions about them."""

    def __init__(self, files: Sequence[str], *, now: Any = None, source: str = "") -> None:
        self.files = list(files)
        self.source = source
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        if self.files:
            spec = "{" + ", ".join(f"'{n}': '{k}'" for n, k in COLUMNS.items()) + "}"
            self.con.execute(
                f"CREATE VIEW events AS SELECT * FROM read_json({_sql_list(self.files)}, "
                f"format = 'newline_delimited', columns = {spec}, ignore_errors = true) "
                "WHERE messageId IS NOT NULL AND eventType IS NOT NULL"
            )
        else:
            self.con.execute(f"CREATE TABLE events ({columns})")
        self.problems = self._count_problems()
        if self.problems:
            warnings.warn(
                f"{source or 'events'}: {self.problems.malformed} line(s) are not JSON records "
                f"and {self.problems.foreign} record(s) are not delivery events; they are left "
                "out (Events.problems)",
                stacklevel=3,
            )
        latest = self.con.execute("SELECT max(eventTimestamp) FROM events").fetchone()
        self.now_ms = _epoch_ms(now)
        if self.now_ms is None:  # the newest event: answers don't depend on the day they're asked
            self.now_ms = int(latest[0]) if latest and latest[0] is not None else 0
        self.con.execute(
            "CREATE TEMP VIEW messages AS " + queries.MESSAGES.replace("$now", str(self.now_ms))
        )

    def _count_problems(self) -> Problems:
        """Counted on the raw lines: DuckDB's reader turns a line it can't parse into an empty
        row, which the answers leave out like a record of another format."""
        if not self.files:
            return Problems(0, 0, 0, 0)
        lines, records, foreign = self.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE json_valid(line)), "
            "count(*) FILTER (WHERE CASE WHEN json_valid(line) THEN "
            "line->>'$.messageId' IS NULL OR line->>'$.eventType' IS NULL ELSE false END) "
            f"FROM read_csv({_sql_list(self.files)}, columns = {{'line': 'VARCHAR'}}, "
            "header = false, delim = '\x01', quote = '', escape = '', auto_detect = false) "
            "WHERE trim(line) <> ''"
        ).fetchone()
        return Problems(lines, records, lines - records, foreign)

    def __repr__(self) -> str:
        return f"<Events {self.source or 'in memory'}: {len(self.files)} files, {self.problems}>"

    # -- answers -------------------------------------------------------------------------------
    def sql(self, query: str) -> pd.DataFrame:
        """Any query over the views ``events`` (one row per record) and ``messages``."""
        return self.con.sql(query).df()

    def messages(self) -> pd.DataFrame:
        """One row per message: its latest status (final, pending, or UNKNOWN after 72 hours),
        outcome, parts, price, carrier fee and their sum (``cost``), times in UTC."""
        return self.sql(
            "SELECT * REPLACE ("
            "to_timestamp(messageRequestTimestamp / 1000) AS messageRequestTimestamp, "
            "to_timestamp(lastEventTimestamp / 1000) AS lastEventTimestamp) "
            "FROM messages ORDER BY messageRequestTimestamp, messageId"
        )

    def delivery(self, by: str | Sequence[str] = (), freq: str | None = None) -> pd.DataFrame:
        """Messages sent, delivered, failed, pending and unknown, and the delivery rate (of those
        with an outcome), by record fields and a time bucket (``freq``: h, D, W, M)."""
        return self._grouped(by, freq, queries.DELIVERY)

    def cost(self, by: str | Sequence[str] = (), freq: str | None = None) -> pd.DataFrame:
        """Messages, parts, price, carrier fees and their sum, by record fields and time."""
        return self._grouped(by, freq, queries.COST)

    def latency(self, by: str | Sequence[str] = ()) -> pd.DataFrame:
        """Seconds from the request to the final status: median, 90th percentile, longest."""
        return self._grouped(by, None, queries.LATENCY)

    def failures(self, by: str | Sequence[str] = ()) -> pd.DataFrame:
        """Failed and unknown messages by status and description (and ``by``), most first."""
        fields = [*_fields(by), "status", "messageStatusDescription"]
        frame = self._grouped(fields, None, queries.FAILURES, "outcome IN ('failed', 'unknown')")
        return frame.sort_values("messages", ascending=False, kind="stable", ignore_index=True)

    def _grouped(
        self, by: str | Sequence[str], freq: str | None, measures: str, where: str = "true"
    ) -> pd.DataFrame:
        if freq is not None and freq not in queries.FREQS:
            raise ValueError(f"freq: {freq!r} is not one of {', '.join(queries.FREQS)}")
        return self.sql(queries.grouped(_fields(by), freq, measures, where))


def _fields(by: str | Sequence[str]) -> list[str]:
    fields = [by] if isinstance(by, str) else list(by)
    allowed = (*queries.GROUP_FIELDS, "messageStatusDescription")
    for field in fields:
        if field not in allowed:
            raise ValueError(
                f"by: {field!r} is not a field to group by; one of {', '.join(allowed)}"
            )
    return fields


def open(
    source: str | Path | Sandbox | Kit, *, now: datetime | pd.Timestamp | float | None = None
) -> Events:
    """The delivery events of ``source``: a folder of Firehose files, a sandbox, or a kit on
    the sandbox. ``now`` (UTC) decides what is still pending; by default the sandbox clock, or
    for files the newest event, so an answer doesn't depend on the day it is asked."""
    if isinstance(source, Kit):
        if source.sandbox is None:
            raise ValueError(
                "source: this kit reads AWS; events.open reads a sandbox kit's event log, or the "
                "folder your Firehose event destination writes to (copy it from S3 first)"
            )
        source = source.sandbox
    if isinstance(source, Sandbox):
        folder = Path(tempfile.mkdtemp(prefix="ppv2kit-events-"))
        source.export_events(folder)
        events = Events(_files(folder), now=source.time() if now is None else now, source="sandbox")
        weakref.finalize(events, shutil.rmtree, folder, True)
        return events
    text = str(source)
    if text.startswith("s3://"):
        raise ValueError(
            "source: reading s3:// directly is not supported yet; copy the prefix to a folder "
            "(aws s3 sync s3://bucket/prefix/ events/) and open the folder"
        )
    folder = Path(text)
    if not folder.is_dir():
        raise ValueError(f"source: {text!r} is not a folder")
    return Events(_files(folder), now=now, source=text)
