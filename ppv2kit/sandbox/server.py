"""The HTTP transport: the sandbox served to any client (AWS CLI, other SDKs) on loopback."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from . import protocol
from .errors import ServiceError

if TYPE_CHECKING:
    from .engine import Sandbox

log = logging.getLogger("ppv2kit.sandbox.server")
POLL_INTERVAL = 0.05  # seconds stop() may wait for the serving loop to notice


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # a slow or silent client does not hold a thread forever

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _read_body(self) -> bytes | ServiceError:
        length_header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        try:
            length = int(length_header or 0)
        except ValueError:
            return ServiceError("SerializationException", "Content-Length is not a number")
        if length < 0 or length > protocol.MAX_BODY:
            self.close_connection = True
            return ServiceError(
                "ValidationException",
                f"Request body of {length} bytes exceeds the {protocol.MAX_BODY} byte limit",
                status=413,
                Reason="MAXIMUM_SIZE_EXCEEDED",
            )
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | ServiceError:
        chunks = []
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return b"".join(chunks)
            total += size
            if total > protocol.MAX_BODY:
                self.close_connection = True
                return ServiceError(
                    "ValidationException",
                    "Request body too large",
                    status=413,
                    Reason="MAXIMUM_SIZE_EXCEEDED",
                )
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _answer(self) -> None:
        body = self._read_body()
        if isinstance(body, ServiceError):
            answer = protocol.error_response(body, "")
        else:
            answer = protocol.handle(
                self.server.sandbox, self.command, self.path, dict(self.headers.items()), body
            )
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in answer.headers:
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    do_POST = _answer
    do_GET = _answer
    do_PUT = _answer
    do_DELETE = _answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        super().__init__(address, _Handler)


class SandboxServer:
    """A running HTTP server for one sandbox; ``url`` to reach it, ``stop()`` to end it."""

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sandbox = sandbox
        self._httpd = _Server((host, port), sandbox)
        self.host, self.port = self._httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"SandboxServer({self.url})"

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
