"""Sandbox: what the emulator adds to botocore's own work, in process and over HTTP.

(a) Requests per second of a simple Describe (DescribeAccountAttributes) through
    - the in-process sandbox client (``sandbox.client()``: before-send -> protocol -> engine),
    - the same kind of boto3 client answered by a before-send hook returning a canned body
      (baseline: botocore's own cost of building, signing, and parsing),
    - HTTP: ``sandbox.serve()`` and a boto3 client with ``endpoint_url``,
    - HTTP baseline: the same client against a trivial HTTP server returning the canned body.
    Ratios are time per request, sandbox / baseline.
(b) A 10,000-row DescribePhoneNumbers pull with botocore's paginator through the in-process
    sandbox, divided by the same pull replayed from canned pages (the sandbox's raw JSON bodies
    recorded once, answered from a before-send hook). Target: the sandbox adds little (<= 2x).

Run with ``python -m benchmarks sandbox`` (or ``make bench``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.config import Config

from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.seeds.builder import Builder, anchor_of

SERVICE = "pinpoint-sms-voice-v2"
REGION = "us-east-1"
ACCOUNT = "123456789012"
IN_PROCESS_CALLS = 2_000
HTTP_CALLS = 500
ROWS = 10_000
ROUNDS = 3


class _Raw:
    """The urllib3-like body botocore reads a canned response from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *_: Any) -> bytes:
        return self._body


def _client(endpoint_url: str) -> BaseClient:
    session = boto3.session.Session(
        aws_access_key_id=ACCOUNT, aws_secret_access_key="sandbox", region_name=REGION
    )
    return session.client(
        SERVICE, endpoint_url=endpoint_url, config=Config(retries={"mode": "standard"})
    )


def _canned(bodies: list[bytes]) -> BaseClient:
    """A client whose every request is answered by the next of ``bodies`` (cycling)."""
    client = _client("https://canned.ppv2kit.invalid")
    position = {"next": 0}

    def before_send(request: Any, **_: Any) -> AWSResponse:
        body = bodies[position["next"] % len(bodies)]
        position["next"] += 1
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "canned"}
        return AWSResponse(request.url, 200, headers, _Raw(body))

    client.meta.events.register("before-send", before_send)
    return client


def _recorder(client: BaseClient) -> list[bytes]:
    """Keep the raw body of every response ``client`` receives, in order."""
    bodies: list[bytes] = []

    def received(response_dict: dict[str, Any] | None = None, **_: Any) -> None:
        if response_dict is not None:
            bodies.append(response_dict["body"])

    client.meta.events.register("response-received", received)
    return bodies


def _best(fn: Callable[[], Any], rounds: int = ROUNDS) -> float:
    """Best wall time of ``rounds`` runs of ``fn``."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _calls(client: BaseClient, n: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(n):
            client.describe_account_attributes()

    return run


class _CannedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    body = b"{}"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("x-amzn-RequestId", "canned")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_: Any) -> None:
        pass


def bench_describe() -> None:
    sandbox = Sandbox()
    client = sandbox.client()
    body = _recorder(client)
    client.describe_account_attributes()  # creates the region, records one real body
    canned = _canned(body[-1:])
    calls = {"sandbox": IN_PROCESS_CALLS, "http": HTTP_CALLS}
    base_s = _best(_calls(canned, IN_PROCESS_CALLS))
    sand_s = _best(_calls(client, IN_PROCESS_CALLS))

    server = sandbox.serve()
    _CannedHandler.body = body[-1]
    canned_server = ThreadingHTTPServer(("127.0.0.1", 0), _CannedHandler)
    Thread(target=canned_server.serve_forever, daemon=True).start()
    try:
        http_client = _client(server.url)
        http_base = _client(f"http://127.0.0.1:{canned_server.server_address[1]}")
        http_client.describe_account_attributes()
        http_base.describe_account_attributes()
        http_base_s = _best(_calls(http_base, HTTP_CALLS))
        http_s = _best(_calls(http_client, HTTP_CALLS))
    finally:
        server.stop()
        canned_server.shutdown()
        canned_server.server_close()
    print("(a) DescribeAccountAttributes, requests per second (best of 3)")
    rows = [
        ("in process: canned before-send (botocore)", base_s, calls["sandbox"], None),
        ("in process: sandbox", sand_s, calls["sandbox"], sand_s / base_s),
        ("HTTP: trivial canned server", http_base_s, calls["http"], None),
        ("HTTP: sandbox serve()", http_s, calls["http"], http_s / http_base_s),
    ]
    for label, seconds, n, ratio in rows:
        rate = n / seconds
        extra = f"   x{ratio:.2f} of its baseline per request" if ratio else ""
        print(f"    {label:<42}: {rate:8,.0f} req/s  ({seconds * 1e6 / n:6.0f} us){extra}")
    own = (sand_s - base_s) / calls["sandbox"] * 1e6
    print(f"    the sandbox's own work per request        : {own:8.0f} us")
    sandbox.close()


def _ten_thousand_numbers() -> Sandbox:
    """A sandbox holding 10,000 phone numbers in one region: one requested, the rest copies."""
    sandbox = Sandbox()
    b = Builder(sandbox, anchor_of(sandbox), "bench-sandbox")
    b.production(REGION, at=b.anchor, limits={"PHONE_NUMBERS": ROWS})
    first = b.call(
        REGION,
        "RequestPhoneNumber",
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS", "VOICE"],
            "NumberType": "TOLL_FREE",
        },
        at=b.anchor,
    )["PhoneNumberId"]
    copies = [f"+1833{n:07d}" for n in range(ROWS - 1)]
    b.copies_of_number(REGION, first, copies, at=b.anchor)
    return sandbox


def _pull(client: BaseClient) -> Callable[[], int]:
    def run() -> int:
        paginator = client.get_paginator("describe_phone_numbers")
        return sum(len(page["PhoneNumbers"]) for page in paginator.paginate())

    return run


def bench_pull() -> None:
    started = time.perf_counter()
    sandbox = _ten_thousand_numbers()
    made_s = time.perf_counter() - started
    client = sandbox.client()
    bodies = _recorder(client)
    assert _pull(client)() == ROWS
    pages = list(bodies)  # one pull's pages
    canned = _canned(pages)
    assert _pull(canned)() == ROWS
    base_s = _best(_pull(canned))
    sand_s = _best(_pull(client))
    ratio = sand_s / base_s
    verdict = "OK" if ratio <= 2.0 else "MISSED"
    print(f"(b) DescribePhoneNumbers paginator, {ROWS:,} rows in {len(pages)} pages")
    print(f"    10,000 numbers made in                    : {made_s:7.2f} s")
    print(f"    canned pages (botocore parsing)           : {base_s:7.2f} s")
    print(f"    in-process sandbox                        : {sand_s:7.2f} s")
    print(f"    ratio sandbox / canned                    : {ratio:7.2f}   (target <= 2) {verdict}")
    sandbox.close()


def main() -> None:
    bench_describe()
    bench_pull()


if __name__ == "__main__":
    main()
