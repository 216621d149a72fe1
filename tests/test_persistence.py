"""State kept in a SQLite file: it survives restarts and crashes, and never holds half a request.

``Sandbox(state_path=...)`` and ``ppv2kit sandbox serve --state FILE`` (ADR 0002). The tests in
the first part run through both transports; the last one kills a real ``ppv2kit sandbox serve``
process with SIGKILL.
"""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.client import BaseClient
from botocore.config import Config

from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.ops import spend_limits
from tests.support import aws_error, serve_persisted

ACCOUNT = "123456789012"
TEXT_LIMIT = "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"
VOICE_LIMIT = "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT"


def default_list(region: str) -> str:
    return f"arn:aws:sms-voice:{region}:{ACCOUNT}:opt-out-list/Default"


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "sandbox.db"


@pytest.fixture
def sandbox(state_path: Path) -> Iterator[Sandbox]:
    """A strict sandbox persisted to ``state_path``."""
    sb = Sandbox(strict=True, state_path=state_path)
    yield sb
    sb.close()


@pytest.fixture
def reopen(state_path: Path, transport: str) -> Iterator:
    """``reopen()`` -> (sandbox, client) on the same file, through the same transport."""
    opened: list[tuple[Sandbox, object]] = []

    def open_again(region: str = "us-east-1") -> tuple[Sandbox, BaseClient]:
        sb = Sandbox(strict=True, state_path=state_path)
        server = sb.serve() if transport == "http" else None
        opened.append((sb, server))
        if server is None:
            return sb, sb.client(region_name=region)
        client = boto3.session.Session(
            aws_access_key_id=ACCOUNT, aws_secret_access_key="sandbox", region_name=region
        ).client("pinpoint-sms-voice-v2", endpoint_url=server.url, config=Config())
        return sb, client

    yield open_again
    for sb, server in opened:
        if server is not None:
            server.stop()
        sb.close()


def limits(client: BaseClient) -> dict[str, tuple[int, bool]]:
    return {
        s["Name"]: (s["EnforcedLimit"], s["Overridden"])
        for s in client.describe_spend_limits()["SpendLimits"]
    }


def tags(client: BaseClient, region: str = "us-east-1") -> dict[str, str]:
    found = client.list_tags_for_resource(ResourceArn=default_list(region))["Tags"]
    return {t["Key"]: t["Value"] for t in found}


def test_state_survives_close_and_reopen(make_client, sandbox, reopen):
    home, abroad = make_client(), make_client(region="eu-west-1")
    home.set_text_message_spend_limit_override(MonthlyLimit=0)
    abroad.set_voice_message_spend_limit_override(MonthlyLimit=0)
    home.tag_resource(ResourceArn=default_list("us-east-1"), Tags=[{"Key": "team", "Value": "ops"}])
    secret = sandbox.secret
    sandbox.close()

    again, client = reopen()
    assert limits(client)[TEXT_LIMIT] == (0, True)
    assert limits(client)[VOICE_LIMIT] == (1, False)
    assert tags(client) == {"team": "ops"}
    assert again.regions(ACCOUNT) == ["eu-west-1", "us-east-1"]
    assert again.secret == secret
    assert again.store.integrity_check() == "ok"


def test_a_refused_request_leaves_nothing_in_the_file(make_client, sandbox, reopen):
    client = make_client()
    aws_error(
        lambda: client.set_text_message_spend_limit_override(MonthlyLimit=5),
        "ValidationException",
        "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
    )
    sandbox.close()
    _, again = reopen()
    assert limits(again)[TEXT_LIMIT] == (1, False)


def test_a_request_that_fails_after_writing_is_rolled_back(
    monkeypatch, make_client, sandbox, reopen
):
    client = make_client()
    client.tag_resource(ResourceArn=default_list("us-east-1"), Tags=[{"Key": "k", "Value": "v"}])
    real_save = spend_limits.save_settings

    def save_then_fail(ctx, doc):
        real_save(ctx, doc)  # first write: the override
        ctx.store.put("pool", "pool-half-written", {"PoolId": "pool-half-written"})  # second
        ctx.store.delete("opt-out-list", "Default")  # third
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(spend_limits, "save_settings", save_then_fail)
    aws_error(
        lambda: client.set_text_message_spend_limit_override(MonthlyLimit=0),
        "InternalServerException",
    )
    monkeypatch.undo()
    assert limits(client)[TEXT_LIMIT] == (1, False)
    sandbox.close()

    again, client = reopen()
    assert limits(client)[TEXT_LIMIT] == (1, False)
    assert tags(client) == {"k": "v"}  # the deleted list is back, with its tags
    with again.admin() as ctx:
        assert ctx.store.get("pool", "pool-half-written") is None


def test_next_tokens_stay_valid_across_a_restart(make_client, sandbox, reopen, tmp_path):
    client = make_client()
    first = client.describe_spend_limits(MaxResults=2)
    expected = client.describe_spend_limits(MaxResults=2, NextToken=first["NextToken"])
    sandbox.close()

    _, again = reopen()
    second = again.describe_spend_limits(MaxResults=2, NextToken=first["NextToken"])
    assert second["SpendLimits"] == expected["SpendLimits"]
    assert second["NextToken"] == expected["NextToken"]

    elsewhere = Sandbox(state_path=tmp_path / "other.db")  # another file, another secret
    aws_error(
        lambda: elsewhere.client().describe_spend_limits(NextToken=first["NextToken"]),
        "ValidationException",
        "INVALID_NEXT_TOKEN",
    )
    elsewhere.close()


# -- a real server process, killed ----------------------------------------------------------------
def _client(url: str, region: str) -> BaseClient:
    return boto3.session.Session(
        aws_access_key_id=ACCOUNT, aws_secret_access_key="sandbox", region_name=region
    ).client(
        "pinpoint-sms-voice-v2",
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1}),
    )


REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1")


def test_sigkill_after_acknowledged_writes_loses_none_of_them(tmp_path):
    state = tmp_path / "served.db"
    process, url = serve_persisted(state)
    try:
        for i, region in enumerate(REGIONS):
            client = _client(url, region)
            client.tag_resource(
                ResourceArn=default_list(region),
                Tags=[{"Key": f"k{j}", "Value": f"{region}-{j}"} for j in range(i + 1)],
            )
            if i % 2 == 0:
                client.set_text_message_spend_limit_override(MonthlyLimit=0)
        process.send_signal(signal.SIGKILL)  # right after the last acknowledged write
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        process.kill()
        process.communicate(timeout=10)

    process, url = serve_persisted(state)
    try:
        for i, region in enumerate(REGIONS):
            client = _client(url, region)
            assert tags(client, region) == {f"k{j}": f"{region}-{j}" for j in range(i + 1)}
            assert limits(client)[TEXT_LIMIT] == ((0, True) if i % 2 == 0 else (1, False))
    finally:
        process.terminate()
        process.communicate(timeout=10)
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        accounts_regions = db.execute("SELECT DISTINCT account, region FROM docs").fetchall()
    assert sorted(accounts_regions) == sorted((ACCOUNT, r) for r in REGIONS)
