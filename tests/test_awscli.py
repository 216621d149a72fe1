"""Interop: the real AWS CLI talks to ``sandbox.serve()`` over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AWS = Path(sys.executable).parent / "aws"


@pytest.fixture
def aws(sandbox):
    """Run ``aws pinpoint-sms-voice-v2 <args>`` against the served sandbox."""
    server = sandbox.serve()
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "123456789012",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    env.pop("AWS_PROFILE", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [
            str(AWS),
            "pinpoint-sms-voice-v2",
            *args,
            "--endpoint-url",
            server.url,
            "--region",
            "us-east-1",
            "--output",
            "json",
        ]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    yield run
    server.stop()


def test_the_cli_requests_and_describes_a_number(aws, sandbox):
    requested = aws(
        "request-phone-number",
        "--iso-country-code",
        "US",
        "--message-type",
        "TRANSACTIONAL",
        "--number-capabilities",
        "SMS",
        "VOICE",
        "--number-type",
        "SIMULATOR",
    )
    assert requested.returncode == 0, requested.stderr
    number = json.loads(requested.stdout)
    assert number["Status"] == "PENDING" and number["NumberType"] == "SIMULATOR"
    assert number["PhoneNumberArn"].startswith("arn:aws:sms-voice:us-east-1:123456789012:")

    described = aws("describe-phone-numbers", "--phone-number-ids", number["PhoneNumberId"])
    assert described.returncode == 0, described.stderr
    [found] = json.loads(described.stdout)["PhoneNumbers"]
    assert found["PhoneNumber"] == number["PhoneNumber"]
    assert found["Status"] == "ACTIVE"
    assert found["NumberCapabilities"] == ["SMS", "VOICE"]
    assert sandbox.accounts() == ["123456789012"]


def test_the_cli_reports_a_refused_release(aws):
    requested = aws(
        "request-phone-number",
        "--iso-country-code",
        "US",
        "--message-type",
        "TRANSACTIONAL",
        "--number-capabilities",
        "SMS",
        "--number-type",
        "TOLL_FREE",
        "--deletion-protection-enabled",
    )
    assert requested.returncode == 0, requested.stderr
    phone_id = json.loads(requested.stdout)["PhoneNumberId"]

    released = aws("release-phone-number", "--phone-number-id", phone_id)
    assert released.returncode != 0
    assert "ConflictException" in released.stderr
    assert "ReleasePhoneNumber" in released.stderr
    assert "deletion protection" in released.stderr
    assert released.stdout == ""

    still_there = aws("describe-phone-numbers")
    assert [n["PhoneNumberId"] for n in json.loads(still_there.stdout)["PhoneNumbers"]] == [
        phone_id
    ]
