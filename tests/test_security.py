"""Security of the sandbox server: loopback by default, unsigned requests refused, an optional
strict SigV4 mode, and no credential in any repr, log or console output.

Strict mode (``sandbox.serve(credentials={...})``, ``ppv2kit sandbox serve --verify-signatures
--credentials FILE``) recomputes each signature with botocore's own signer; the refusals are
the AWS ones (ADR 0012). Escaping in what the kit renders is in ``test_security_rendering.py``.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import botocore
import cbor2
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from ppv2kit import cli
from ppv2kit.sandbox import Sandbox, protocol
from ppv2kit.sandbox.server import SandboxServer
from tests import strategies as S

KEY, SECRET = "AKIAPPV2KITEXAMPLE01", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
ACCOUNT_KEY, ACCOUNT_SECRET = "210987654321", "another-Secret/Value+123"
TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
KEYS = {KEY: SECRET, ACCOUNT_KEY: ACCOUNT_SECRET}
SECRETS = (SECRET, ACCOUNT_SECRET, TOKEN)
AWS_CLI = Path(sys.executable).parent / "aws"


def client(url: str, key: str = KEY, secret: str = SECRET, **session: str):
    return boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name="eu-west-2", **session
    ).client(
        "pinpoint-sms-voice-v2",
        endpoint_url=url,
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )


def refused(call, code: str, status: int = 403) -> dict:
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    assert response["Error"]["Code"] == code, response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"]["RetryAttempts"] == 0  # botocore does not retry these
    return response


@pytest.fixture
def strict(sandbox: Sandbox) -> Iterator[SandboxServer]:
    server = sandbox.serve(credentials=KEYS)
    yield server
    server.stop()


def signed(
    url: str,
    body: bytes = b"{}",
    target: str = "PinpointSMSVoiceV2.DescribeSpendLimits",
    key: str = KEY,
    secret: str = SECRET,
    service: str = "sms-voice",
    when: datetime | None = None,
    content_type: str = protocol.JSON_CONTENT_TYPE,
) -> AWSRequest:
    """A request signed by botocore's signer (optionally at another time)."""
    request = AWSRequest(
        method="POST",
        url=url + "/",
        data=body,
        headers={"Content-Type": content_type, "X-Amz-Target": target},
    )
    signer = SigV4Auth(Credentials(key, secret), service, "eu-west-2")
    with pytest.MonkeyPatch.context() as patch:
        if when is not None:  # botocore signs "now": make now another time
            naive = when.astimezone(timezone.utc).replace(tzinfo=None)
            patch.setattr(botocore.auth, "get_current_datetime", lambda *a, **k: naive)
        signer.add_auth(request)
    return request


def send(server: SandboxServer, request: AWSRequest, body: bytes | None = None) -> S.Answer:
    """Send a prepared request as is (optionally with another body after signing)."""
    headers = {k: v for k, v in request.headers.items()}
    wire = S.RawWire(server.url)
    try:
        return wire.post(request.body if body is None else body, headers)
    finally:
        wire.close()


# -- binding ---------------------------------------------------------------------------------------


def test_the_server_binds_to_loopback_unless_told_otherwise(sandbox: Sandbox) -> None:
    server = sandbox.serve()
    try:
        assert server.host == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
        assert server._httpd.socket.getsockname()[0] == "127.0.0.1"
        other = _non_loopback_address()
        if other is not None:
            with pytest.raises(OSError):
                socket.create_connection((other, server.port), timeout=2).close()
    finally:
        server.stop()
    args = cli.build_parser().parse_args(["sandbox", "serve"])
    assert args.host == "127.0.0.1" and args.verify_signatures is False


def test_ipv6_loopback_is_served_too(sandbox: Sandbox) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        server = sandbox.serve(host="::1")
    except OSError:
        pytest.skip("IPv6 loopback unavailable")
    try:
        assert server.url.startswith("http://[::1]:")
        assert client(server.url).describe_spend_limits()["SpendLimits"]
    finally:
        server.stop()


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


# -- unsigned requests -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["lenient", "strict"])
def test_unsigned_requests_are_refused_as_aws_refuses_them(
    sandbox: Sandbox, make_client, mode: str
) -> None:
    """No Authorization header: 403 MissingAuthenticationTokenException, nothing applied."""
    server = sandbox.serve(credentials=KEYS if mode == "strict" else None)
    try:
        unsigned_config = {
            "signature_version": botocore.UNSIGNED,
            "retries": {"total_max_attempts": 1},
        }
        for anonymous in (
            make_client(**unsigned_config),
            boto3.session.Session(region_name="us-east-1").client(
                "pinpoint-sms-voice-v2", endpoint_url=server.url, config=Config(**unsigned_config)
            ),
        ):
            response = refused(
                lambda c=anonymous: c.put_opted_out_number(
                    OptOutListName="Default", OptedOutNumber="+14255550100"
                ),
                "MissingAuthenticationTokenException",
            )
            assert response["Error"]["Message"] == "Request is missing Authentication Token"
        assert sandbox.regions() == []  # not even a region was created
    finally:
        server.stop()


# -- strict SigV4 ----------------------------------------------------------------------------------


def test_strict_mode_serves_requests_signed_with_a_configured_key(
    strict: SandboxServer, sandbox: Sandbox
) -> None:
    assert client(strict.url).describe_spend_limits()["SpendLimits"]
    with_token = client(strict.url, ACCOUNT_KEY, ACCOUNT_SECRET, aws_session_token=TOKEN)
    with_token.put_opted_out_number(OptOutListName="Default", OptedOutNumber="+14255550100")
    assert ("210987654321", "eu-west-2") in sandbox.store.regions()  # 12-digit key = account
    cloudwatch = boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="eu-west-2"
    ).client("cloudwatch", endpoint_url=strict.url)
    assert cloudwatch.list_metrics()["Metrics"] == []
    assert strict.verifies_signatures


def test_strict_mode_refuses_what_aws_refuses(strict: SandboxServer, sandbox: Sandbox) -> None:
    put = {"OptOutListName": "Default", "OptedOutNumber": "+14255550100"}
    refused(
        lambda: client(strict.url, KEY, "wrong" + SECRET).put_opted_out_number(**put),
        "InvalidSignatureException",
    )
    refused(
        lambda: client(strict.url, "AKIAUNKNOWNKEY000000", SECRET).put_opted_out_number(**put),
        "UnrecognizedClientException",
    )
    refused(
        lambda: client(strict.url, ACCOUNT_KEY, SECRET).put_opted_out_number(**put),
        "InvalidSignatureException",
    )  # a known key with another key's secret
    assert sandbox.regions() == []  # no refused request reached the engine


def test_strict_mode_catches_tampering_replay_and_clock_skew(strict: SandboxServer) -> None:
    body = json.dumps({"OptOutListName": "Default", "OptedOutNumber": "+14255550100"}).encode()
    put = "PinpointSMSVoiceV2.PutOptedOutNumber"
    good = signed(strict.url, body, put)
    assert send(strict, good).status == 200
    cases: dict[str, tuple[AWSRequest, bytes | None, int, str]] = {}
    cases["body changed"] = (good, body.replace(b"0100", b"0199"), 403, "InvalidSignatureException")
    retarget = copy.deepcopy(good)
    retarget.headers.replace_header("X-Amz-Target", "PinpointSMSVoiceV2.DeleteOptedOutNumber")
    cases["target changed"] = (retarget, None, 403, "InvalidSignatureException")
    now = datetime.now(timezone.utc)
    cases["20 minutes old"] = (
        signed(strict.url, body, put, when=now - timedelta(minutes=20)),
        None,
        403,
        "InvalidSignatureException",
    )
    cases["20 minutes ahead"] = (
        signed(strict.url, body, put, when=now + timedelta(minutes=20)),
        None,
        403,
        "InvalidSignatureException",
    )
    cases["other service"] = (
        signed(strict.url, body, put, service="s3"),
        None,
        403,
        "InvalidSignatureException",
    )
    no_date = copy.deepcopy(good)
    del no_date.headers["X-Amz-Date"]
    cases["no date"] = (no_date, None, 400, "IncompleteSignatureException")
    other_day = copy.deepcopy(good)
    day = other_day.headers["X-Amz-Date"]
    other_day.headers.replace_header("X-Amz-Date", "20200101" + day[8:])
    cases["scope of another day"] = (other_day, None, 403, "InvalidSignatureException")
    declared = copy.deepcopy(good)
    declared.headers["X-Amz-Content-SHA256"] = "0" * 64
    cases["declared hash wrong"] = (declared, None, 403, "InvalidSignatureException")
    not_v4 = copy.deepcopy(good)
    not_v4.headers.replace_header("Authorization", "AWS AKIAPPV2KITEXAMPLE01:c2lnbmF0dXJl")
    cases["SigV2 header"] = (not_v4, None, 400, "IncompleteSignatureException")
    reasons = {
        "20 minutes old": "Signature expired",
        "20 minutes ahead": "Signature not yet current",
        "other service": "scoped to correct service",
        "scope of another day": "Date in Credential scope",
        "declared hash wrong": "x-amz-content-sha256",
        "body changed": "does not match the signature you provided",
        "target changed": "does not match the signature you provided",
    }
    for name, (request, new_body, status, code) in cases.items():
        answer = send(strict, request, new_body)
        assert (answer.status, answer.code) == (status, code), (name, answer.body)
        assert reasons.get(name, "") in answer.body["Message"], (name, answer.body)
        assert SECRET not in json.dumps(answer.body)
    assert send(strict, good).status == 200  # a replay of a fresh request: idempotent put


def test_strict_mode_answers_cbor_clients_in_cbor(strict: SandboxServer) -> None:
    request = AWSRequest(
        method="POST",
        url=strict.url + "/service/GraniteServiceVersion20100801/operation/ListMetrics",
        data=cbor2.dumps({}),
        headers={"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"},
    )
    SigV4Auth(Credentials(KEY, "not-the-secret"), "monitoring", "eu-west-2").add_auth(request)
    with socket.create_connection((strict.host, strict.port), timeout=10) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
        path = "/service/GraniteServiceVersion20100801/operation/ListMetrics"
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {strict.host}:{strict.port}\r\n{head}"
            f"Content-Length: {len(request.body)}\r\nConnection: close\r\n\r\n".encode()
            + request.body
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403")
    assert cbor2.loads(body)["__type"] == "InvalidSignatureException"


def test_lenient_mode_still_takes_any_signature(sandbox: Sandbox) -> None:
    server = sandbox.serve()
    try:
        assert not server.verifies_signatures
        assert client(server.url, "anything", "at all").describe_spend_limits()["SpendLimits"]
    finally:
        server.stop()


# -- the command line ------------------------------------------------------------------------------


def _serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    script = Path(sys.executable).with_name("ppv2kit")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ppv2kit.cli"]
    process = subprocess.Popen(
        [*command, "sandbox", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    match = re.search(r"listening on (http://\S+)", line)
    if match is None:
        process.kill()
        out, err = process.communicate(timeout=10)
        raise AssertionError(f"no URL: {line!r} {out!r} {err!r}")
    return process, match[1]


@pytest.mark.parametrize("form", ["ini", "json"])
def test_cli_verify_signatures_with_a_credentials_file(tmp_path: Path, form: str) -> None:
    path = tmp_path / "keys"
    if form == "ini":
        path.write_text(
            f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n\n"
            f"[other]\naws_access_key_id={ACCOUNT_KEY}\naws_secret_access_key={ACCOUNT_SECRET}\n"
        )
    else:
        path.write_text(json.dumps(KEYS))
    assert cli.load_credentials(str(path)) == KEYS
    process, url = _serve("--verify-signatures", "--credentials", str(path))
    try:
        assert client(url).describe_spend_limits()["SpendLimits"]
        refused(
            lambda: client(url, KEY, "wrong").describe_spend_limits(), "InvalidSignatureException"
        )
        if AWS_CLI.exists():
            env = {
                **os.environ,
                "AWS_ACCESS_KEY_ID": ACCOUNT_KEY,
                "AWS_SECRET_ACCESS_KEY": ACCOUNT_SECRET,
            }
            ran = subprocess.run(
                [str(AWS_CLI), "pinpoint-sms-voice-v2", "describe-account-attributes", "--region",
                 "us-east-1", "--endpoint-url", url, "--output", "json"],
                capture_output=True, text=True, env=env, timeout=120,
            )  # fmt: skip
            assert ran.returncode == 0, ran.stderr
            assert json.loads(ran.stdout)["AccountAttributes"][0]["Value"] == "SANDBOX"
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()  # the buffered rest of the output
    assert "Signatures verified: 2 access key(s)" in out
    for secret in SECRETS:
        assert secret not in out + err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--verify-signatures"], "needs --credentials"),
        (["--credentials", "keys.json"], "only used with --verify-signatures"),
        (["--verify-signatures", "--credentials", "missing.json"], "cannot read access keys"),
        (["--verify-signatures", "--credentials", "empty.json"], "holds no access keys"),
    ],
)
def test_cli_refuses_incomplete_signature_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (tmp_path / "empty.json").write_text("{}")
    (tmp_path / "keys.json").write_text(json.dumps(KEYS))
    args = [str(tmp_path / a) if a.endswith(".json") else a for a in args]
    assert cli.main(["sandbox", "serve", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and SECRET not in err


# -- no credential in reprs, logs or messages ------------------------------------------------------


def test_no_secret_in_reprs_logs_or_error_messages(
    strict: SandboxServer, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with_token = client(strict.url, ACCOUNT_KEY, ACCOUNT_SECRET, aws_session_token=TOKEN)
    with_token.describe_spend_limits()
    messages = []
    for key, secret in ((KEY, "wrong"), ("AKIAUNKNOWNKEY000000", SECRET)):
        with pytest.raises(ClientError) as refused:
            client(strict.url, key, secret).describe_spend_limits()
        messages.append(str(refused.value))
    shown = " ".join(
        [repr(strict), str(strict), repr(strict.keys), repr(sandbox), *messages]
        + [r.getMessage() for r in caplog.records if r.name.startswith("ppv2kit")]
    )
    for secret in SECRETS:
        assert secret not in shown
    assert KEY not in repr(strict) + repr(strict.keys)


def test_signing_keys_never_show_their_contents() -> None:
    keys = protocol.SigningKeys(KEYS)
    assert repr(keys) == "SigningKeys(<2 access keys>)" == str(keys)
    assert dict(keys) == KEYS
    with pytest.raises(ValueError):
        protocol.SigningKeys({})


def test_time_skew_is_measured_against_the_real_clock_not_the_sandbox_clock() -> None:
    """A sandbox whose clock is set to 2025 still takes fresh signatures, and refuses stale ones."""
    sandbox = Sandbox(strict=True, now=datetime(2025, 1, 1, tzinfo=timezone.utc))
    server = sandbox.serve(credentials=KEYS)
    try:
        assert client(server.url).describe_spend_limits()["SpendLimits"]
        stale = signed(server.url, when=datetime.now(timezone.utc) - timedelta(hours=1))
        assert send(server, stale).code == "InvalidSignatureException"
    finally:
        server.stop()
        sandbox.close()
