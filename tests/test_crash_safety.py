"""Crash safety: a persisted server killed with SIGKILL in the middle of a write load.

Each trial starts ``ppv2kit sandbox serve --state FILE`` on the same file, runs writer threads
that record every acknowledged write (an HTTP 200 read back by the client), kills the server
with SIGKILL at a random moment while requests are in flight, and then checks the file:
SQLite's integrity check passes, every acknowledged write is there (unless a later acknowledged
write undid it), and nothing is half-applied (a phone number exists exactly when its HELP and
STOP keywords do, no keyword, entry or membership outlives its owner; ``strategies.invariants``).
The next trial restarts the server on the same file and goes on. Trials:
``PPV2KIT_CRASH_TRIALS`` (CI 4, ``make reliability`` 40).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ppv2kit.sandbox import Sandbox
from tests import strategies as S
from tests.support import serve_persisted

TRIALS = S.size("crash_trials", ci=4, long=40)
WRITERS = 4
LIST = "crash"
FIGURES: dict[str, int] = {"trials": 0, "acknowledged": 0, "in_flight_at_kill": 0}


@dataclass
class Ledger:
    """What the writers saw acknowledged, in order, and what was in flight."""

    acked: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    in_flight: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def writer(url: str, account: str, worker: int, ledger: Ledger, stop: threading.Event) -> None:
    """Write until the server dies; log each acknowledged (HTTP 200) write with its answer."""
    wire = S.RawWire(url, account)
    owned: list[str] = []
    k = 0
    while not stop.is_set():
        k += 1
        step = k % 6
        if step == 0:
            op, params = (
                "PutOptedOutNumber",
                {
                    "OptOutListName": LIST,
                    "OptedOutNumber": f"+1206{worker}{k:06d}",
                },
            )
        elif step == 1 or not owned:
            op, params = (
                "RequestPhoneNumber",
                {
                    "IsoCountryCode": "US",
                    "MessageType": "TRANSACTIONAL",
                    "NumberCapabilities": ["SMS"],
                    "NumberType": "TOLL_FREE",
                    "Tags": [{"Key": "writer", "Value": f"{worker}-{k}"}],
                },
            )
        elif step == 2:
            op, params = (
                "PutKeyword",
                {
                    "OriginationIdentity": owned[-1],
                    "Keyword": f"K{worker}X{k}",
                    "KeywordMessage": "hello",
                },
            )
        elif step == 3:
            op, params = (
                "TagResource",
                {
                    "ResourceArn": f"arn:aws:sms-voice:{S.REGION}:{account}:opt-out-list/{LIST}",
                    "Tags": [{"Key": f"t{worker}-{k}", "Value": str(k)}],
                },
            )
        elif step == 4:
            op, params = "ReleasePhoneNumber", {"PhoneNumberId": owned.pop(0)}
        else:
            op, params = (
                "CreateOptOutList",
                {
                    "OptOutListName": f"l{worker}x{k}",
                    "Tags": [{"Key": "k", "Value": "v"}],
                },
            )
        with ledger.lock:
            ledger.in_flight[worker] = (op, params)
        try:
            answer = wire.send(op, params)
        except (OSError, http.client.HTTPException):
            return  # the server died with this request in flight: it may or may not be applied
        with ledger.lock:
            del ledger.in_flight[worker]
            if answer.status == 200:
                ledger.acked.append((op, params, answer.body))
        if answer.status == 200 and op == "RequestPhoneNumber":
            owned.append(answer.body["PhoneNumberId"])


def verify(state: Path, account: str, ledger: Ledger) -> None:
    """Every acknowledged write is in the file; nothing is half-applied."""
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    sandbox = Sandbox(strict=True, state_path=state)
    try:
        # A release acknowledged, or in flight at the kill (it may have been applied).
        maybe_released = {
            p["PhoneNumberId"]
            for op, p in [*((op, p) for op, p, _ in ledger.acked), *ledger.in_flight.values()]
            if op == "ReleasePhoneNumber"
        }

        def call(operation: str, **params: Any) -> dict[str, Any]:
            return sandbox.invoke(operation, params, account=account, region=S.REGION)

        numbers = {
            n["OptedOutNumber"]
            for n in S.listing(
                sandbox, "DescribeOptedOutNumbers", account, S.REGION, OptOutListName=LIST
            )
        }
        phones = {
            p["PhoneNumberId"]
            for p in S.listing(sandbox, "DescribePhoneNumbers", account, S.REGION)
        }
        lists = {
            o["OptOutListName"]
            for o in S.listing(sandbox, "DescribeOptOutLists", account, S.REGION)
        }
        tags = {
            t["Key"]
            for t in call(
                "ListTagsForResource",
                ResourceArn=f"arn:aws:sms-voice:{S.REGION}:{account}:opt-out-list/{LIST}",
            )["Tags"]
        }
        for op, params, answer in ledger.acked:
            if op == "PutOptedOutNumber":
                assert params["OptedOutNumber"] in numbers, (op, params)
            elif op == "RequestPhoneNumber" and answer["PhoneNumberId"] not in maybe_released:
                assert answer["PhoneNumberId"] in phones, (op, answer["PhoneNumberId"])
            elif op == "ReleasePhoneNumber":
                assert params["PhoneNumberId"] not in phones, (op, params)
            elif op == "PutKeyword" and params["OriginationIdentity"] not in maybe_released:
                words = {
                    k["Keyword"]
                    for k in S.listing(
                        sandbox,
                        "DescribeKeywords",
                        account,
                        S.REGION,
                        OriginationIdentity=params["OriginationIdentity"],
                    )
                }
                assert params["Keyword"] in words, (op, params)
            elif op == "TagResource":
                assert params["Tags"][0]["Key"] in tags, (op, params)
            elif op == "CreateOptOutList":
                assert params["OptOutListName"] in lists, (op, params)
        S.invariants(sandbox)  # no half-applied request anywhere in the file
    finally:
        sandbox.close()


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "crash.db"


def test_sigkill_during_writes_keeps_every_acknowledged_write(state: Path) -> None:
    rng = random.Random(int(os.environ.get("PPV2KIT_CRASH_SEED", "20261127")))
    for trial in range(TRIALS):
        account = f"{100_000_000_000 + trial:012d}"
        process, url = serve_persisted(state)
        ledger, stop = Ledger(), threading.Event()
        try:
            S.RawWire(url, account).send("CreateOptOutList", {"OptOutListName": LIST})
            threads = [
                threading.Thread(target=writer, args=(url, account, w, ledger, stop), daemon=True)
                for w in range(WRITERS)
            ]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.2, 1.5))
            with ledger.lock:  # freeze the ledger at the kill: later answers can't be read
                process.send_signal(signal.SIGKILL)
                assert process.wait(timeout=10) == -signal.SIGKILL
                acked = list(ledger.acked)
                in_flight = dict(ledger.in_flight)
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
        finally:
            process.kill()
            process.communicate(timeout=10)
        ledger.acked, ledger.in_flight = acked, in_flight
        assert len(acked) > 10, f"trial {trial}: only {len(acked)} writes before the kill"
        verify(state, account, ledger)
        FIGURES["trials"] += 1
        FIGURES["acknowledged"] += len(acked)
        FIGURES["in_flight_at_kill"] += len(in_flight)
    # The file still serves after the last crash.
    process, url = serve_persisted(state)
    try:
        answer = S.RawWire(url, account).send("DescribeOptedOutNumbers", {"OptOutListName": LIST})
        assert answer.status == 200 and answer.body["OptedOutNumbers"]
    finally:
        process.terminate()
        process.communicate(timeout=10)
    S.record("crash", writers=WRITERS, **FIGURES)
    print(json.dumps(FIGURES))
