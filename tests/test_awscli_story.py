"""The send / STOP / blocked send / spend limit story, end to end: AWS CLI and boto3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sending_support import GB_SIM_OK, SIM_OK, US_PART, month_spend
from tests.support import aws_error

AWS = Path(sys.executable).parent / "aws"
LONGEST = "Statement ready. " * 90  # 1530 GSM characters: 10 parts
GB_LONGEST = round(10 * 0.0399, 5)  # catalog price of those 10 parts to the UK


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
        command = [str(AWS), "pinpoint-sms-voice-v2", *args, "--endpoint-url", server.url]
        command += ["--region", "us-east-1", "--output", "json"]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    yield run
    server.stop()


def ok(done: subprocess.CompletedProcess[str]) -> dict:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else {}


def test_the_aws_cli_sends_is_stopped_and_hits_the_spend_limit(aws, sandbox):
    number = ok(
        aws(
            "request-phone-number",
            *("--iso-country-code", "US", "--message-type", "TRANSACTIONAL"),
            *("--number-capabilities", "SMS", "--number-type", "SIMULATOR"),
        )
    )
    send = ("send-text-message", "--origination-identity", number["PhoneNumberId"])
    sent = ok(aws(*send, "--destination-phone-number", SIM_OK, "--message-body", "Code 123456"))
    assert list(sandbox.messages()["MessageId"]) == [sent["MessageId"]]

    stopped = sandbox.receive(to=number["PhoneNumber"], from_=SIM_OK, body="STOP")
    assert (stopped["Action"], stopped["OptedOut"]) == ("OPT_OUT", True)
    listed = ok(aws("describe-opted-out-numbers", "--opt-out-list-name", "Default"))
    [entry] = listed["OptedOutNumbers"]
    assert (entry["OptedOutNumber"], entry["EndUserOptedOut"]) == (SIM_OK, True)

    blocked = aws(*send, "--destination-phone-number", SIM_OK, "--message-body", "Code 654321")
    assert blocked.returncode != 0 and blocked.stdout == ""
    assert "ConflictException" in blocked.stderr
    assert "DESTINATION_PHONE_NUMBER_OPTED_OUT" in blocked.stderr

    # the UK team sends statements by sender ID until the $1 sandbox limit holds them
    sandbox.add_sender_id("JUNIPER", "GB")
    by_sender = ("send-text-message", "--origination-identity", "JUNIPER")
    statement = (*by_sender, "--destination-phone-number", GB_SIM_OK, "--message-body", LONGEST)
    for _ in range(2):
        ok(aws(*statement))
    held = aws(*statement)
    assert held.returncode != 0
    assert "ServiceQuotaExceededException" in held.stderr
    assert "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT" in held.stderr
    log = sandbox.messages()
    assert list(log["Direction"]) == ["OUTBOUND", "INBOUND", "OUTBOUND", "OUTBOUND", "OUTBOUND"]
    assert month_spend(sandbox) == pytest.approx(2 * US_PART + 2 * GB_LONGEST)
    assert log["Price"].sum() == pytest.approx(month_spend(sandbox))


def test_the_same_story_through_boto3(client, sandbox):
    number = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SIMULATOR",
    )
    client.create_configuration_set(ConfigurationSetName="story")
    client.create_event_destination(
        ConfigurationSetName="story",
        EventDestinationName="receipts",
        MatchingEventTypes=["TEXT_DELIVERED"],
        SnsDestination={"TopicArn": "arn:aws:sns:us-east-1:123456789012:receipts"},
    )
    params = {
        "OriginationIdentity": number["PhoneNumber"],
        "DestinationPhoneNumber": SIM_OK,
        "ConfigurationSetName": "story",
    }
    sent = client.send_text_message(MessageBody="Code 123456", **params)
    assert list(sandbox.events()["messageId"]) == [sent["MessageId"]]

    sandbox.receive(to=number["PhoneNumber"], from_=SIM_OK, body="Stop")
    [entry] = client.describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"]
    assert (entry["OptedOutNumber"], entry["EndUserOptedOut"]) == (SIM_OK, True)
    aws_error(
        lambda: client.send_text_message(MessageBody="Code 654321", **params),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )

    # the failure simulator number still takes messages, until the monthly limit holds them
    params["DestinationPhoneNumber"] = "+14254147167"
    sends = 0
    while month_spend(sandbox) + 10 * US_PART <= 1.0:
        client.send_text_message(MessageBody=LONGEST, **params)
        sends += 1
    assert sends == 17  # 0.01162 USD before, then 0.0581 USD a message: 0.99932
    spent = month_spend(sandbox)
    aws_error(
        lambda: client.send_text_message(MessageBody=LONGEST, **params),
        "ServiceQuotaExceededException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
    )
    assert month_spend(sandbox) == spent == pytest.approx(2 * US_PART + 17 * 10 * US_PART)
    log = sandbox.messages()
    assert len(log) == 3 + 17 and log["Price"].sum() == pytest.approx(spent)
    assert list(log["Status"].value_counts().sort_index().items()) == [
        ("DELIVERED", 2),
        ("RECEIVED", 1),
        ("UNREACHABLE", 17),
    ]
    assert sandbox.events()["eventType"].value_counts().to_dict() == {"TEXT_DELIVERED": 1}
