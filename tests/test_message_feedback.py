"""Message feedback through both transports: PutMessageFeedback, its record and its event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ppv2kit.sandbox.kinds import MESSAGE
from ppv2kit.sandbox.ops.message_feedback import feedback_status
from tests.sending_support import ACCOUNT, SIM_OK, config_set, number
from tests.support import aws_error

pytestmark = pytest.mark.sandbox_clock(datetime(2026, 6, 1, 8, tzinfo=UTC))


def send(client, origination, **params):
    return client.send_text_message(
        DestinationPhoneNumber=SIM_OK, OriginationIdentity=origination, MessageBody="hi", **params
    )["MessageId"]


def stored(sandbox, message_id):
    with sandbox.admin(ACCOUNT, "us-east-1") as ctx:
        return ctx.store.get(MESSAGE, message_id)


def test_feedback_is_recorded_on_the_message_and_emitted_as_an_event(client, sandbox):
    phone = number(client)["PhoneNumberId"]
    cs = config_set(client, "fb", all=["ALL"])
    sent = send(client, phone, ConfigurationSetName=cs, MessageFeedbackEnabled=True)
    sandbox.advance(30)
    answer = client.put_message_feedback(MessageId=sent, MessageFeedbackStatus="RECEIVED")
    assert (answer["MessageId"], answer["MessageFeedbackStatus"]) == (sent, "RECEIVED")
    doc = stored(sandbox, sent)
    assert doc["MessageFeedbackStatus"] == "RECEIVED" and doc["MessageFeedbackTimestamp"]
    events = sandbox.events()
    mine = events[events["messageId"] == sent]
    last = mine.iloc[-1]["Record"]
    assert (last["eventType"], last["messageFeedbackStatus"]) == ("TEXT_DELIVERED", "RECEIVED")
    assert last["isFinal"] is True
    # Feedback can be corrected; each status is one more event.
    client.put_message_feedback(MessageId=sent, MessageFeedbackStatus="FAILED")
    events = sandbox.events()
    last = events[events["messageId"] == sent].iloc[-1]["Record"]
    assert (last["eventType"], last["messageFeedbackStatus"]) == ("TEXT_UNKNOWN", "FAILED")
    assert stored(sandbox, sent)["MessageFeedbackStatus"] == "FAILED"


def test_the_configuration_sets_default_enables_feedback_unless_the_send_says_otherwise(
    client, sandbox
):
    phone = number(client)["PhoneNumberId"]
    cs = config_set(client, "fb")
    client.set_default_message_feedback_enabled(
        ConfigurationSetName=cs, MessageFeedbackEnabled=True
    )
    by_default = send(client, phone, ConfigurationSetName=cs)
    client.put_message_feedback(MessageId=by_default, MessageFeedbackStatus="RECEIVED")
    refused = send(client, phone, ConfigurationSetName=cs, MessageFeedbackEnabled=False)
    aws_error(
        lambda: client.put_message_feedback(MessageId=refused, MessageFeedbackStatus="RECEIVED"),
        "ResourceNotFoundException",
        ResourceType="message",
        ResourceId=refused,
    )


def test_unknown_messages_and_messages_without_feedback_have_no_record(client, make_client):
    phone = number(client)["PhoneNumberId"]
    plain = send(client, phone)
    for message_id in (plain, "00000000-0000-4000-8000-000000000000"):
        aws_error(
            lambda m=message_id: client.put_message_feedback(
                MessageId=m, MessageFeedbackStatus="FAILED"
            ),
            "ResourceNotFoundException",
            ResourceType="message",
        )
    mine = send(client, phone, MessageFeedbackEnabled=True)
    other = make_client(account="210987654321")
    aws_error(
        lambda: other.put_message_feedback(MessageId=mine, MessageFeedbackStatus="RECEIVED"),
        "ResourceNotFoundException",
    )


def test_without_feedback_the_record_is_failed_after_an_hour(client, sandbox):
    phone = number(client)["PhoneNumberId"]
    sent = send(client, phone, MessageFeedbackEnabled=True)
    plain = send(client, phone)
    doc = stored(sandbox, sent)
    assert feedback_status(doc, doc["Timestamp"] + 60) is None
    assert feedback_status(doc, doc["Timestamp"] + 3600) == "FAILED"

    def in_frame():
        frame = sandbox.messages().set_index("MessageId")["MessageFeedbackStatus"]
        return [None if v != v else v for v in (frame[sent], frame[plain])]

    assert in_frame() == [None, None]
    sandbox.advance(3601)
    assert in_frame() == ["FAILED", None]  # the messages frame reads it at the sandbox's now
    # The service still takes feedback after the hour (it recommends setting FAILED).
    client.put_message_feedback(MessageId=sent, MessageFeedbackStatus="FAILED")
    assert feedback_status(stored(sandbox, sent), 0) == "FAILED"
