"""Malformed HTTP against ``sandbox.serve()``: every request gets the service's error shape (or a
clean close), nothing half-received is applied, and the server keeps serving everyone else.

Requests are written byte by byte on raw sockets: bad JSON, wrong content types, missing and
unknown targets, methods and request lines the service does not speak, oversized and truncated
bodies, chunked bodies good and bad, slow and stalled clients, half-closed connections, and
pipelined requests. After each case a normal boto3 call still succeeds, nothing was logged as a
server failure, and nothing was printed to stderr.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from botocore.exceptions import ClientError

from ppv2kit.sandbox import Sandbox, protocol
from ppv2kit.sandbox import server as server_mod
from ppv2kit.sandbox.server import SandboxServer
from tests import strategies as S

TARGET = "PinpointSMSVoiceV2.DescribeSpendLimits"
SIGNED = {
    "Authorization": S.auth_header(),
    "Content-Type": protocol.JSON_CONTENT_TYPE,
    "X-Amz-Target": TARGET,
}
NUMBER = "+14255550123"
PUT = json.dumps({"OptOutListName": "Default", "OptedOutNumber": NUMBER}).encode()


@dataclass
class Reply:
    """One HTTP response read off a raw socket."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}

    @property
    def code(self) -> str:
        return str(self.json.get("__type", ""))


def request(
    method: str = "POST",
    path: str = "/",
    headers: dict[str, str] | None = None,
    body: bytes = b"{}",
    version: str = "HTTP/1.1",
    length: bool = True,
) -> bytes:
    """The bytes of one HTTP request (``Content-Length`` added unless ``length`` is False)."""
    head = {"Host": "127.0.0.1", **(SIGNED if headers is None else headers)}
    if length:
        head["Content-Length"] = str(len(body))
    lines = [f"{method} {path} {version}", *(f"{k}: {v}" for k, v in head.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


def parse(data: bytes) -> list[Reply]:
    """Every complete response in ``data`` (pipelined responses come back in order)."""
    replies = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        size = int(headers.get("content-length", 0))
        replies.append(Reply(status, headers, rest[:size]))
        data = rest[size:]
    return replies


def exchange(
    server: SandboxServer,
    *chunks: bytes,
    half_close: bool = False,
    pause: float = 0.0,
    timeout: float = 10.0,
) -> tuple[list[Reply], bool]:
    """Send ``chunks`` (pausing between them), read until the server closes; (replies, closed)."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        for chunk in chunks:
            sock.sendall(chunk)
            if pause:
                time.sleep(pause)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        data = b""
        closed = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            data += chunk
            replies = parse(data)
            if (
                not half_close
                and replies
                and "close" not in replies[-1].headers.get("connection", "")
            ):
                sock.settimeout(0.3)  # kept alive: what we wanted has arrived
    return parse(data), closed


@pytest.fixture
def server(sandbox: Sandbox) -> Iterator[SandboxServer]:
    srv = sandbox.serve()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def no_failures_reported(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]):
    """No case may log a server failure or print a traceback."""
    caplog.set_level(logging.DEBUG, logger="ppv2kit")
    yield
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failures, [r.getMessage() for r in failures]
    _, err = capfd.readouterr()
    assert "Traceback" not in err, err


def still_serving(server: SandboxServer) -> None:
    client = S.boto3_client(url=server.url)
    assert client.describe_spend_limits()["SpendLimits"]


def opted_out(sandbox: Sandbox) -> list[str]:
    page = sandbox.invoke("DescribeOptedOutNumbers", {"OptOutListName": "Default"})
    return [n["OptedOutNumber"] for n in page["OptedOutNumbers"]]


DEEP = b"[" * 100_000 + b"]" * 100_000
CASES = {
    "bad-json": (request(body=b"{not json"), 400, "SerializationException"),
    "json-array": (request(body=b"[1, 2]"), 400, "SerializationException"),
    "json-null": (request(body=b"null"), 400, "SerializationException"),
    "deep-nesting": (request(body=DEEP), 400, "SerializationException"),
    "huge-integer": (
        request(body=b'{"MaxResults": 1' + b"0" * 5000 + b"}"),
        400,
        "SerializationException",
    ),
    "nan": (request(body=b'{"MaxResults": NaN}'), 400, "SerializationException"),
    "not-utf8": (request(body=b'{"MaxResults": "\xff\xfe"}'), 400, "SerializationException"),
    "lone-surrogate": (request(body=b'{"NextToken": "\\ud800"}'), 400, "SerializationException"),
    "wrong-type": (request(body=b'{"MaxResults": "ten"}'), 400, "ValidationException"),
    "content-type": (
        request(headers={**SIGNED, "Content-Type": "text/html"}),
        415,
        "UnsupportedMediaTypeException",
    ),
    "no-target": (
        request(headers={k: v for k, v in SIGNED.items() if k != "X-Amz-Target"}),
        400,
        "UnknownOperationException",
    ),
    "unknown-target": (
        request(headers={**SIGNED, "X-Amz-Target": "PinpointSMSVoiceV2.Nope"}),
        400,
        "UnknownOperationException",
    ),
    "other-service-target": (
        request(headers={**SIGNED, "X-Amz-Target": "DynamoDB_20120810.ListTables"}),
        400,
        "UnknownOperationException",
    ),
    "non-ascii-target": (
        request(headers={**SIGNED, "X-Amz-Target": "PinpointSMSVoiceV2.Désolé"}),
        400,
        "UnknownOperationException",
    ),
    "unsigned": (
        request(headers={k: v for k, v in SIGNED.items() if k != "Authorization"}),
        403,
        "MissingAuthenticationTokenException",
    ),
    "not-sigv4": (
        request(headers={**SIGNED, "Authorization": "Basic dXNlcjpwYXNz"}),
        400,
        "IncompleteSignatureException",
    ),
    "get": (request(method="GET", body=b""), 400, "UnknownOperationException"),
    "delete": (request(method="DELETE"), 400, "UnknownOperationException"),
    "other-path": (request(path="/2015-01-01/functions"), 400, "UnknownOperationException"),
    "unknown-method": (request(method="BREW"), 501, "UnknownOperationException"),
    "garbage-request-line": (b"HELLO THERE\r\n\r\n", 400, "SerializationException"),
    "http-2-line": (request(version="HTTP/2.0"), 505, "SerializationException"),
    "uri-too-long": (request(path="/" + "a" * 70_000), 414, "ValidationException"),
    "too-many-headers": (
        request(headers={**SIGNED, **{f"X-Pad-{i}": "x" for i in range(150)}}),
        431,
        "ValidationException",
    ),
    "length-not-a-number": (
        request(headers={**SIGNED, "Content-Length": "ten"}, length=False),
        400,
        "SerializationException",
    ),
    "negative-length": (
        request(headers={**SIGNED, "Content-Length": "-5"}, length=False),
        400,
        "SerializationException",
    ),
    "announced-too-large": (
        request(headers={**SIGNED, "Content-Length": str(protocol.MAX_BODY + 1)}, length=False),
        413,
        "ValidationException",
    ),
    "chunk-size-not-hex": (
        request(headers={**SIGNED, "Transfer-Encoding": "chunked"}, length=False, body=b"zz\r\n"),
        400,
        "SerializationException",
    ),
    "chunks-too-large": (
        request(
            headers={**SIGNED, "Transfer-Encoding": "chunked"}, length=False, body=b"ffffff\r\n"
        ),
        413,
        "ValidationException",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_requests_get_the_service_error_shape(server: SandboxServer, case: str) -> None:
    data, status, code = CASES[case]
    replies, _ = exchange(server, data)
    assert len(replies) == 1, (case, replies)
    reply = replies[0]
    assert reply.status == status, (case, reply)
    assert reply.headers.get("content-type") == protocol.JSON_CONTENT_TYPE, reply.headers
    assert reply.headers.get("x-amzn-requestid"), reply.headers
    assert reply.code == code, (case, reply.body)
    assert reply.json.get("Message"), reply.body
    still_serving(server)


def test_head_gets_the_error_status_without_a_body(server: SandboxServer) -> None:
    replies, _ = exchange(server, request(method="HEAD", body=b""))
    assert [(r.status, r.body) for r in replies] == [(400, b"")]
    assert replies[0].headers["x-amzn-errortype"] == "UnknownOperationException"
    still_serving(server)


def test_a_large_body_is_refused_readably_and_the_connection_closed(server: SandboxServer) -> None:
    body = b'{"NextToken": "' + b"a" * (protocol.MAX_BODY + 10) + b'"}'
    replies, closed = exchange(server, request(body=body))
    assert closed
    assert [(r.status, r.code, r.json.get("Reason")) for r in replies] == [
        (413, "ValidationException", "MAXIMUM_SIZE_EXCEEDED")
    ]
    still_serving(server)


def test_a_chunked_body_is_read_and_answered(server: SandboxServer, sandbox: Sandbox) -> None:
    chunked = {**SIGNED, "X-Amz-Target": "PinpointSMSVoiceV2.PutOptedOutNumber"}
    chunked["Transfer-Encoding"] = "chunked"
    body = (
        b"".join(b"%x;ext=1\r\n%s\r\n" % (len(part), part) for part in (PUT[:10], PUT[10:]))
        + b"0\r\nX-Trailer: yes\r\n\r\n"
    )
    replies, _ = exchange(server, request(headers=chunked, body=body, length=False))
    assert [r.status for r in replies] == [200], replies
    assert replies[0].json["OptedOutNumber"] == NUMBER
    assert opted_out(sandbox) == [NUMBER]


@pytest.mark.parametrize("cut", ["no-last-chunk", "mid-chunk", "short-content-length"])
def test_a_body_cut_short_is_never_applied(server: SandboxServer, sandbox: Sandbox, cut: str):
    """The client half-closes before its announced body is complete: no answer, no change."""
    headers = {**SIGNED, "X-Amz-Target": "PinpointSMSVoiceV2.PutOptedOutNumber"}
    if cut == "short-content-length":
        data = request(
            headers={**headers, "Content-Length": str(len(PUT) + 10)}, body=PUT, length=False
        )
    else:
        headers["Transfer-Encoding"] = "chunked"
        body = b"%x\r\n%s\r\n" % (len(PUT), PUT)  # a whole JSON object, but no 0-chunk
        if cut == "mid-chunk":
            body = b"%x\r\n%s" % (len(PUT) + 5, PUT)
        data = request(headers=headers, body=body, length=False)
    replies, closed = exchange(server, data, half_close=True)
    assert replies == [] and closed
    assert opted_out(sandbox) == []
    still_serving(server)


def test_a_connection_closed_at_once_or_mid_headers_harms_nothing(server: SandboxServer) -> None:
    for data in (b"", b"POST / HTTP/1.1\r\nHost: x", request()[:-3]):
        for _ in range(20):
            replies, closed = exchange(server, data, half_close=True, timeout=3)
            assert replies == [] and closed
    still_serving(server)


def test_kept_alive_connection_survives_errors_and_pipelining(server: SandboxServer) -> None:
    good, bad = request(), request(body=b"{oops")
    replies, _ = exchange(server, good + bad + good + request(body=b'{"MaxResults": 500}'))
    assert [(r.status, r.code or None) for r in replies] == [
        (200, None),
        (400, "SerializationException"),
        (200, None),
        (400, "ValidationException"),
    ]


def test_a_slow_client_is_answered_and_does_not_hold_up_the_others(server: SandboxServer) -> None:
    """20 calls finish while one client is still trickling its request in (over ~4 s)."""
    data = request()
    pieces = [data[i : i + len(data) // 10 + 1] for i in range(0, len(data), len(data) // 10 + 1)]
    client = S.boto3_client(url=server.url)
    client.describe_spend_limits()  # connected and warm before the slow client starts
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(exchange, server, *pieces, pause=0.4, timeout=30)
        for _ in range(20):
            client.describe_spend_limits()
        assert not slow.done(), "the 20 calls waited for the slow client"
        replies, _ = slow.result()
    assert [r.status for r in replies] == [200]


def test_stalled_clients_are_dropped_after_the_timeout(
    server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_mod._Handler, "timeout", 0.5)
    stalled = []
    for _ in range(30):
        sock = socket.create_connection((server.host, server.port), timeout=5)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
        stalled.append(sock)
    try:
        still_serving(server)  # 30 stalled connections do not block a new client
        started = time.monotonic()
        for sock in stalled:
            assert sock.recv(1024) == b""  # closed by the server, without an answer
        assert time.monotonic() - started < 5
    finally:
        for sock in stalled:
            sock.close()
    still_serving(server)


def test_many_abrupt_disconnects_leave_no_threads_behind(server: SandboxServer) -> None:
    before = threading.active_count()
    for _ in range(100):
        sock = socket.create_connection((server.host, server.port))
        sock.sendall(request()[:40])
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # an RST, not a FIN
    still_serving(server)
    deadline = time.monotonic() + 5
    while threading.active_count() > before + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= before + 2


def test_in_process_clients_get_the_same_refusals(make_client) -> None:
    """boto3 itself can send an unpaired surrogate (json escapes it): both transports refuse it."""
    client = make_client()
    arn = "arn:aws:sms-voice:us-east-1:123456789012:opt-out-list/Default"
    with pytest.raises(ClientError) as info:
        client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "\ud800"}])
    assert info.value.response["Error"]["Code"] == "SerializationException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == []


@pytest.mark.parametrize(
    "case", ["bad-json", "deep-nesting", "huge-integer", "nan", "not-utf8", "lone-surrogate"]
)
def test_protocol_handle_refuses_bodies_the_same_way_in_process(
    sandbox: Sandbox, case: str
) -> None:
    data, status, code = CASES[case]
    body = data.partition(b"\r\n\r\n")[2]
    answer = protocol.handle(sandbox, "POST", "/", SIGNED, body)
    assert (answer.status, json.loads(answer.body)["__type"]) == (status, code)


def test_connections_beyond_the_cap_are_refused_with_503_and_the_server_recovers() -> None:
    import socket

    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    from ppv2kit.sandbox import Sandbox

    sandbox = Sandbox()
    server = sandbox.serve(max_connections=2)
    idle = [socket.create_connection((server.host, server.port)) for _ in range(2)]
    try:
        client = boto3.session.Session(
            aws_access_key_id="123456789012", aws_secret_access_key="x", region_name="us-east-1"
        ).client(
            "pinpoint-sms-voice-v2",
            endpoint_url=server.url,
            config=Config(retries={"total_max_attempts": 1}),
        )
        with pytest.raises(ClientError) as info:
            client.describe_account_attributes()
        assert info.value.response["Error"]["Code"] == "ThrottlingException"
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        for sock in idle:
            sock.close()
        idle.clear()
        deadline = time.monotonic() + 10
        while True:  # the two slots come back once their threads see the close
            try:
                attrs = client.describe_account_attributes()["AccountAttributes"]
                break
            except ClientError:
                assert time.monotonic() < deadline, "slots never came back"
                time.sleep(0.05)
        assert attrs[0]["Name"] == "ACCOUNT_TIER"
    finally:
        for sock in idle:
            sock.close()
        server.stop()
