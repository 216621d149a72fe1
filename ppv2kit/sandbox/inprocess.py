"""The in-process transport: a boto3 client's ``before-send`` event answered by the sandbox.

botocore still builds, validates, serialises and signs every request and parses every response;
only the socket is replaced. Nothing is registered at import time: :func:`attach` wires one
client, :func:`detach` unwires it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config

from . import catalog, protocol

if TYPE_CHECKING:
    from botocore.client import BaseClient

    from .engine import Sandbox

# A host that cannot resolve: a sandbox client that lost its hook fails instead of reaching AWS.
SANDBOX_ENDPOINT = "https://sandbox.ppv2kit.invalid"
SANDBOX_SECRET = "ppv2kit-sandbox-secret"


class _Raw:
    """The minimal urllib3-like body botocore reads a response from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any):
        yield self._body

    def read(self, *_: Any) -> bytes:
        return self._body


def _body_bytes(request: AWSPreparedRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    data = body.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _unique_id(sandbox: Sandbox) -> str:
    return f"ppv2kit-sandbox-{id(sandbox)}"


def attach(sandbox: Sandbox, client: BaseClient) -> None:
    """Answer every request of ``client`` from ``sandbox``."""

    def before_send(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        answer = protocol.handle(
            sandbox,
            request.method,
            urlsplit(request.url).path,
            request.headers,
            _body_bytes(request),
        )
        return AWSResponse(request.url, answer.status, answer.headers, _Raw(answer.body))

    client.meta.events.register("before-send", before_send, unique_id=_unique_id(sandbox))


def detach(sandbox: Sandbox, client: BaseClient) -> None:
    """Stop answering ``client``'s requests."""
    client.meta.events.unregister("before-send", unique_id=_unique_id(sandbox))


def make_client(
    sandbox: Sandbox,
    region_name: str,
    account_id: str | None,
    service_name: str,
    **config: Any,
) -> BaseClient:
    """A new boto3 client with sandbox credentials, wired to ``sandbox``."""
    session = boto3.session.Session(
        aws_access_key_id=account_id or catalog.DEFAULT_ACCOUNT,
        aws_secret_access_key=SANDBOX_SECRET,
        region_name=region_name,
    )
    retries = config.pop("retries", {"mode": "standard"})
    client = session.client(
        service_name,
        endpoint_url=SANDBOX_ENDPOINT,
        config=Config(retries=retries, **config),
    )
    attach(sandbox, client)
    return client
