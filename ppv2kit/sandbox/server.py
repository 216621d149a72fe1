"""The HTTP transport: the sandbox served to any client (AWS CLI, other SDKs) on loopback.

Bound to 127.0.0.1 unless told otherwise. Every request is answered in the service's JSON error
shape, including what the standard library refuses by itself (bad request lines, unknown
methods, too many headers); a body cut short is never handed on. With ``credentials`` (access
key ID -> secret) only requests carrying a valid SigV4 signature by one of them are served
(``protocol.verify_signature``, ADR 0012).
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, BinaryIO

from . import protocol
from .errors import ServiceError

if TYPE_CHECKING:
    from .engine import Sandbox

log = logging.getLogger("ppv2kit.sandbox.server")
POLL_INTERVAL = 0.05  # seconds stop() may wait for the serving loop to notice


# HTTP statuses the standard library answers by itself (bad request line, too many headers,
# unknown method...) -> the error code of the service's JSON error shape.
_PLAIN_ERRORS = {
    400: "SerializationException",
    408: "RequestTimeoutException",
    413: "ValidationException",
    414: "ValidationException",
    431: "ValidationException",
    501: "UnknownOperationException",
    505: "SerializationException",
}
# Bytes read and thrown away after refusing a body, so the client can read the refusal.
_DRAIN_LIMIT = 2 * protocol.MAX_BODY
_DRAIN_SECONDS = 2.0


class _Incomplete(Exception):
    """The client closed (or stalled) before the body it announced was complete."""


class _LineRecorder:
    """A read-only view of a stream that remembers the last line ``readline`` returned."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.last = b""

    def readline(self, limit: int = -1) -> bytes:
        self.last = self.raw.readline(limit)
        return self.last

    def __getattr__(self, name: str) -> object:
        return getattr(self.raw, name)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # a slow or silent client does not hold a thread forever
    # Headers and body leave in two writes; with Nagle on, a kept-alive client waits for its
    # delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def parse_request(self) -> bool:
        """The stdlib's parser, but headers cut off by the end of the stream are no request."""
        recorder = _LineRecorder(self.rfile)
        self.rfile = recorder  # type: ignore[assignment]
        try:
            parsed = super().parse_request()
        finally:
            self.rfile = recorder.raw
        if parsed and self.request_version != "HTTP/0.9" and recorder.last not in (b"\r\n", b"\n"):
            log.debug("headers cut short from %s", self.address_string())
            self.close_connection = True
            return False
        return parsed

    def _read_exactly(self, length: int) -> bytes:
        data = self.rfile.read(length) if length else b""
        if len(data) < length:
            raise _Incomplete(f"{len(data)} of {length} bytes")
        return data

    def _read_body(self) -> bytes | ServiceError:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length_header = self.headers.get("Content-Length")
        try:
            length = int(length_header or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            return ServiceError(
                "SerializationException", f"Content-Length {length_header!r} is not a length"
            )
        if length > protocol.MAX_BODY:
            self.close_connection = True
            return _too_large(length)
        return self._read_exactly(length)

    def _read_chunked(self) -> bytes | ServiceError:
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            if not line.endswith(b"\n"):
                raise _Incomplete("chunk size line")
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                return ServiceError("SerializationException", "Malformed chunked request body")
            if size == 0:
                while True:  # trailers, if any, end with an empty line
                    trailer = self.rfile.readline(1024)
                    if trailer in (b"\r\n", b"\n"):
                        return b"".join(chunks)
                    if not trailer.endswith(b"\n"):
                        raise _Incomplete("chunked trailer")
            total += size
            if size < 0 or total > protocol.MAX_BODY:
                self.close_connection = True
                return _too_large(total)
            chunks.append(self._read_exactly(size))
            if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _Incomplete("chunk terminator")

    def _answer(self) -> None:
        try:
            body = self._read_body()
        except (_Incomplete, TimeoutError, ConnectionError) as why:
            # Nothing half-received is ever applied: drop the connection without an answer.
            log.debug("incomplete request from %s: %s", self.address_string(), why)
            self.close_connection = True
            return
        if isinstance(body, ServiceError):
            answer = protocol.error_response(body, str(uuid.uuid4()))
        else:
            answer = protocol.handle(
                self.server.sandbox,
                self.command,
                self.path,
                dict(self.headers.items()),
                body,
                self.server.keys,
            )
        self._send(answer.status, answer.headers, answer.body)
        if self.close_connection and isinstance(body, ServiceError):
            self._drain()

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _drain(self) -> None:
        """Read and discard what the client still sends, so it sees the refusal, not a reset."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(0.2)
            deadline = time.monotonic() + _DRAIN_SECONDS
            drained = 0
            while drained < _DRAIN_LIMIT and time.monotonic() < deadline:
                chunk = self.rfile.read1(65536)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own refusals, in the service's JSON error shape (not HTML)."""
        self.log_error("code %d, message %s", code, message)
        self.close_connection = True
        error = ServiceError(
            _PLAIN_ERRORS.get(code, "SerializationException"),
            message or self.responses.get(code, ("Bad request",))[0],
            status=code,
        )
        answer = protocol.error_response(error, str(uuid.uuid4()))
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # an unreadable request line: answer in HTTP/1.1
        self._send(code, answer.headers, answer.body)

    def log_error(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    # Any other method is refused by send_error (501, UnknownOperationException).
    do_POST = do_GET = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _answer


def _too_large(length: int) -> ServiceError:
    return ServiceError(
        "ValidationException",
        f"Request body of {length} bytes exceeds the {protocol.MAX_BODY} byte limit",
        status=413,
        Reason="MAXIMUM_SIZE_EXCEEDED",
    )


# Connections served at once; a flood of clients (or slow ones, each allowed a read timeout)
# beyond this is refused instead of piling up threads.
MAX_CONNECTIONS = 256


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a burst of clients (each then
    # waits for a retransmit); many clients connecting at once is what a server is for.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        sandbox: Sandbox,
        keys: protocol.SigningKeys | None = None,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.sandbox = sandbox
        self.keys = keys
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve in a thread while a slot is free; otherwise answer 503 and close."""
        if not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse(self, request: Any) -> None:
        err = ServiceError(
            "ThrottlingException",
            f"The sandbox server is already serving {self.max_connections} connections",
            status=503,
        )
        answer = protocol.error_response(err, str(uuid.uuid4()))
        head = ["HTTP/1.1 503 Service Unavailable", "Connection: close"]
        head += [f"{k}: {v}" for k, v in answer.headers.items()]
        try:
            request.settimeout(1.0)
            request.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + answer.body)
        except OSError:
            pass
        finally:
            self.shutdown_request(request)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A client that vanished is routine; anything else is logged, never printed."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("connection from %s ended: %r", client_address, error)
        else:
            log.exception("sandbox server failure serving %s", client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


class SandboxServer:
    """A running HTTP server for one sandbox; ``url`` to reach it, ``stop()`` to end it."""

    def __init__(
        self,
        sandbox: Sandbox,
        host: str = "127.0.0.1",
        port: int = 0,
        credentials: Mapping[str, str] | None = None,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.sandbox = sandbox
        self.keys = protocol.SigningKeys(credentials) if credentials is not None else None
        server_class = _Server6 if ":" in host else _Server
        self._httpd = server_class((host, port), sandbox, self.keys, max_connections)
        self.host, self.port = self._httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        checks = f", verifying signatures of {len(self.keys)} key(s)" if self.keys else ""
        return f"SandboxServer({self.url}{checks})"

    @property
    def verifies_signatures(self) -> bool:
        """True when only requests signed with a configured access key are served."""
        return self.keys is not None

    @property
    def url(self) -> str:
        """The endpoint URL to give clients (``--endpoint-url``, ``endpoint_url=``)."""
        host = f"[{self.host}]" if ":" in str(self.host) else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name="ppv2kit-sandbox-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self._httpd.serve_forever(poll_interval=POLL_INTERVAL)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
