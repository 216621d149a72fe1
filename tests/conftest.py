"""Shared fixtures: a strict sandbox and boto3 clients reaching it through either transport.

Every engine test takes ``client`` (or ``make_client``) and runs twice: once through the
in-process ``before-send`` transport and once through the HTTP server, with one test body.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator

import boto3
import pytest
from botocore.client import BaseClient
from botocore.config import Config

from ppv2kit.sandbox import Sandbox

# Every sandbox in the suite checks its responses and errors against the model.
os.environ.setdefault("PPV2KIT_SANDBOX_STRICT", "1")
# Never reach AWS by accident: no real credentials or config reach the tests.
for _var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
    os.environ.pop(_var, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
# Seed templates are cached on disk for the suite's processes (kernels too), not in ~/.cache.
os.environ.setdefault(
    "PPV2KIT_CACHE_DIR", os.path.join(tempfile.gettempdir(), f"ppv2kit-test-cache-{os.getuid()}")
)

TRANSPORTS = ("inprocess", "http")

MakeClient = Callable[..., BaseClient]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sandbox_clock(when): the ``sandbox`` fixture's clock starts at ``when`` (a UTC datetime), "
        "before anything is created, and runs from there",
    )


@pytest.fixture
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh, empty, strict sandbox.

    Its clock is the machine's unless the test (or its module, ``pytestmark``) carries
    ``@pytest.mark.sandbox_clock(when)``: then it starts at ``when`` before anything exists, so a
    test that writes a date down never mixes it with the real clock.
    """
    mark = request.node.get_closest_marker("sandbox_clock")
    sb = Sandbox(strict=True, now=mark.args[0] if mark else None)
    yield sb
    sb.close()


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    """``inprocess`` or ``http``."""
    return request.param


def _client_factory(sb: Sandbox, transport: str) -> Iterator[MakeClient]:
    server = sb.serve() if transport == "http" else None

    def make(
        region: str = "us-east-1",
        account: str | None = None,
        service: str = "pinpoint-sms-voice-v2",
        **config: object,
    ) -> BaseClient:
        if server is None:
            return sb.client(region_name=region, account_id=account, service_name=service, **config)
        retries = config.pop("retries", {"mode": "standard"})
        return boto3.session.Session(
            aws_access_key_id=account or "123456789012",
            aws_secret_access_key="sandbox",
            region_name=region,
        ).client(service, endpoint_url=server.url, config=Config(retries=retries, **config))

    make.server = server  # type: ignore[attr-defined]
    try:
        yield make
    finally:
        if server is not None:
            server.stop()


@pytest.fixture
def make_client(sandbox: Sandbox, transport: str) -> Iterator[MakeClient]:
    """``make_client(region=..., account=..., service=...)`` through the parametrised transport."""
    yield from _client_factory(sandbox, transport)


@pytest.fixture
def client(make_client: MakeClient) -> BaseClient:
    """A pinpoint-sms-voice-v2 client of the default account in us-east-1."""
    return make_client()
