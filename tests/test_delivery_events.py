"""Delivery events through both transports: sequences, record format, destinations, frames."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from ppv2kit.sandbox.logs import EVENT_COLUMNS, MESSAGE_COLUMNS
from tests.sending_support import (
    LOG_GROUP,
    ROLE,
    SIM_FAIL,
    SIM_OK,
    STREAM,
    TOPIC,
    US_FEE,
    US_PART,
    config_set,
    number,
    row,
    short_code,
)

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
NOW_MS = int(NOW.timestamp() * 1000)
# The sandbox starts an hour before NOW: numbers and sets made first are in place when a test
# stops the clock at NOW to send.
pytestmark = pytest.mark.sandbox_clock(NOW - timedelta(hours=1))
ACCEPTED = "Message has been accepted by phone"
GB_MOBILE = "+447300123456"  # an EE mobile that delivers (ppv2kit.sandbox.outcomes)


def sequence(sandbox, message_id):
    events = sandbox.events()
    mine = events[events["messageId"] == message_id]
    return list(zip(mine["eventType"], mine["isFinal"], mine["messageStatus"], strict=True))


def send(client, origination, to=SIM_OK, body="Your code is 123456", **params):
    return client.send_text_message(
        DestinationPhoneNumber=to, OriginationIdentity=origination, MessageBody=body, **params
    )["MessageId"]


def test_a_long_code_message_emits_the_documented_record_format(client, sandbox):
    sim = number(client)
    cs = config_set(client, sns=["ALL"])
    with sandbox.clock_at(NOW):
        message_id = send(
            client, sim["PhoneNumberId"], ConfigurationSetName=cs, Context={"order": "A-17"}
        )
    events = sandbox.events()
    assert list(events["Record"]) == [
        {
            "eventType": event_type,
            "eventVersion": "1.0",
            "eventTimestamp": NOW_MS + delay,
            "isFinal": final,
            "originationPhoneNumber": sim["PhoneNumber"],
            "destinationPhoneNumber": SIM_OK,
            "isInternationalSend": False,
            "isoCountryCode": "US",
            "messageId": message_id,
            "messageRequestTimestamp": NOW_MS,
            "messageEncoding": "GSM",
            "messageType": "TRANSACTIONAL",
            "messageStatus": status,
            "messageStatusDescription": description,
            "context": {"order": "A-17"},
            "totalMessageParts": 1,
            "totalMessagePrice": US_PART,
            "totalCarrierFee": 0.0,
        }
        for event_type, delay, final, status, description in (
            ("TEXT_SUCCESSFUL", 1000, False, "SUCCESSFUL", f"{ACCEPTED} carrier"),
            ("TEXT_DELIVERED", 3000, True, "DELIVERED", ACCEPTED),
        )
    ]  # fmt: skip
    first = events.iloc[0]
    assert first["eventTimestamp"] == pd.Timestamp(NOW_MS + 1000, unit="ms", tz="UTC")
    assert first["messageRequestTimestamp"] == pd.Timestamp(NOW)
    assert (first["ConfigurationSetName"], first["EventDestinationName"]) == (cs, "sns")
    assert (first["DestinationType"], first["DestinationArn"]) == ("SnsDestination", TOPIC)
    assert row(sandbox, message_id)["Timestamp"] == pd.Timestamp(NOW)


def test_short_codes_end_with_successful_and_failure_numbers_with_unreachable(client, sandbox):
    short = short_code(client, sandbox)
    sim = number(client)
    cs = config_set(client, sns=["ALL"])
    by_short = send(client, short["PhoneNumberId"], ConfigurationSetName=cs)
    failed = send(client, sim["PhoneNumberId"], to=SIM_FAIL, ConfigurationSetName=cs)
    assert sequence(sandbox, by_short) == [("TEXT_SUCCESSFUL", True, "SUCCESSFUL")]
    assert sequence(sandbox, failed) == [("TEXT_UNREACHABLE", True, "UNREACHABLE")]
    assert row(sandbox, by_short)["Status"] == "SUCCESSFUL"
    assert row(sandbox, failed)["Status"] == "UNREACHABLE"
    assert sandbox.events().iloc[0]["originationPhoneNumber"] == "72468"


def test_each_enabled_destination_gets_the_event_types_it_matches(client, sandbox):
    sim = number(client, capabilities=("SMS", "VOICE"))
    cs = config_set(client, delivered=["TEXT_DELIVERED"], texts=["TEXT_ALL"], everything=["ALL"])
    client.create_event_destination(
        ConfigurationSetName=cs,
        EventDestinationName="calls",
        MatchingEventTypes=["VOICE_ALL"],
        CloudWatchLogsDestination={"IamRoleArn": ROLE, "LogGroupArn": LOG_GROUP},
    )
    client.create_event_destination(
        ConfigurationSetName=cs,
        EventDestinationName="lake",
        MatchingEventTypes=["TEXT_SUCCESSFUL", "VOICE_COMPLETED"],
        KinesisFirehoseDestination={"IamRoleArn": ROLE, "DeliveryStreamArn": STREAM},
    )
    client.update_event_destination(
        ConfigurationSetName=cs, EventDestinationName="everything", Enabled=False
    )
    with sandbox.clock_at(NOW):
        text = send(client, sim["PhoneNumberId"], ConfigurationSetName=cs)
        voice = client.send_voice_message(
            DestinationPhoneNumber=SIM_OK,
            OriginationIdentity=sim["PhoneNumberId"],
            MessageBody="Your code is 1 2 3",
            ConfigurationSetName=cs,
        )["MessageId"]
    events = sandbox.events()
    got = list(
        zip(events["messageId"], events["eventType"], events["EventDestinationName"], strict=True)
    )
    assert got == [
        (text, "TEXT_SUCCESSFUL", "texts"),
        (text, "TEXT_SUCCESSFUL", "lake"),
        (voice, "VOICE_INITIATED", "calls"),
        (text, "TEXT_DELIVERED", "delivered"),
        (text, "TEXT_DELIVERED", "texts"),
        (voice, "VOICE_RINGING", "calls"),
        (voice, "VOICE_ANSWERED", "calls"),
        (voice, "VOICE_COMPLETED", "calls"),
        (voice, "VOICE_COMPLETED", "lake"),
    ]  # fmt: skip
    kinds = dict(zip(events["EventDestinationName"], events["DestinationType"], strict=True))
    assert kinds == {
        "texts": "SnsDestination",
        "delivered": "SnsDestination",
        "lake": "KinesisFirehoseDestination",
        "calls": "CloudWatchLogsDestination",
    }
    arns = dict(zip(events["EventDestinationName"], events["DestinationArn"], strict=True))
    assert (arns["lake"], arns["calls"]) == (STREAM, LOG_GROUP)
    completed = events[events["eventType"] == "VOICE_COMPLETED"].iloc[0]["Record"]
    assert completed["eventTimestamp"] == NOW_MS + 6000 + 3000  # answered, then 6 words
    assert (completed["callDurationInSeconds"], completed["voiceId"]) == (3, "MATTHEW")
    assert (completed["messageStatus"], completed["totalMessagePrice"]) == ("COMPLETED", 0.013)
    assert "messageEncoding" not in completed


def test_messages_keep_their_outcome_without_events(client, sandbox):
    sim = number(client)
    quiet = config_set(client, "quiet")
    voice_only = config_set(client, "voice-only", calls=["VOICE_ALL"])
    ids = [
        send(client, sim["PhoneNumberId"]),
        send(client, sim["PhoneNumberId"], ConfigurationSetName=quiet),
        send(client, sim["PhoneNumberId"], to=SIM_FAIL, ConfigurationSetName=voice_only),
    ]
    assert sandbox.events().empty
    assert [row(sandbox, i)["Status"] for i in ids] == ["DELIVERED", "DELIVERED", "UNREACHABLE"]


def test_carrier_fees_and_international_sends_show_in_the_records(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    toll_free = number(client, "TOLL_FREE")
    client.update_phone_number(
        PhoneNumberId=toll_free["PhoneNumberId"], InternationalSendingEnabled=True
    )
    cs = config_set(client, final=["TEXT_DELIVERED"])
    home = send(
        client, toll_free["PhoneNumberId"], "+12065550100", "a" * 161, ConfigurationSetName=cs
    )
    abroad = send(client, toll_free["PhoneNumberId"], GB_MOBILE, ConfigurationSetName=cs)
    events = sandbox.events().set_index("messageId")
    assert events.loc[home, "totalMessageParts"] == 2
    assert events.loc[home, "totalCarrierFee"] == round(2 * US_FEE, 5)
    assert events.loc[home, "totalMessagePrice"] == round(2 * US_PART, 5)
    assert not events.loc[home, "isInternationalSend"]
    assert events.loc[abroad, "isInternationalSend"]
    assert (events.loc[abroad, "isoCountryCode"], events.loc[abroad, "totalCarrierFee"]) == (
        "GB",
        0.0,
    )
    assert events.loc[abroad, "totalMessagePrice"] == 0.0399


def test_the_frames_are_typed_even_when_empty(sandbox):
    for frame, columns in (
        (sandbox.messages(), MESSAGE_COLUMNS),
        (sandbox.events(), EVENT_COLUMNS),
    ):
        assert list(frame.columns) == list(columns) and frame.empty
    messages, events = sandbox.messages(), sandbox.events()
    assert str(messages["Timestamp"].dtype) == "datetime64[us, UTC]"
    assert str(events["eventTimestamp"].dtype) == "datetime64[us, UTC]"
    assert (messages["Parts"].dtype, messages["Price"].dtype) == ("Int64", "Float64")
    assert (messages["MessageId"].dtype, messages["Status"].dtype) == ("string", "category")
    assert (events["isFinal"].dtype, events["totalMessageParts"].dtype) == ("boolean", "Int64")


def test_the_frames_name_account_and_region_and_keep_their_types(make_client, sandbox):
    home, away = make_client(), make_client(region="eu-west-2", account="210987654321")
    for client in (home, away):
        sim = number(client)
        send(client, sim["PhoneNumberId"], ConfigurationSetName=config_set(client, sns=["ALL"]))
    messages, events = sandbox.messages(), sandbox.events()
    places = {("123456789012", "us-east-1"), ("210987654321", "eu-west-2")}
    assert set(zip(messages["Account"], messages["Region"], strict=True)) == places
    assert set(zip(events["Account"], events["Region"], strict=True)) == places
    assert len(events) == 4
    assert str(messages["Timestamp"].dtype) == "datetime64[us, UTC]"
    assert (messages["Parts"].dtype, messages["Price"].dtype) == ("Int64", "Float64")
    assert (events["isFinal"].dtype, events["eventType"].dtype) == ("boolean", "category")
    assert str(events["messageRequestTimestamp"].dtype) == "datetime64[us, UTC]"
