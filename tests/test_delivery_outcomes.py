"""Delivery outcomes as real traffic has them (ADR 23), through both transports.

Each outcome is reached with the first number :func:`ppv2kit.sandbox.outcomes.find_number` gives
for it, so the tests say which outcome they need, not which digits produce it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from ppv2kit.sandbox import carriers, outcomes
from ppv2kit.sandbox.delivery import DESCRIPTIONS
from tests.sending_support import SIM_FAIL, SIM_OK, config_set, number

NOW = datetime(2027, 3, 31, 23, 58, tzinfo=timezone.utc)
NOW_MS = int(NOW.timestamp() * 1000)
pytestmark = pytest.mark.sandbox_clock(NOW - timedelta(hours=1))
# The shared fields of every SMS record [configuration-sets-event-format].
TEXT_FIELDS = {
    "eventType",
    "eventVersion",
    "eventTimestamp",
    "isFinal",
    "originationPhoneNumber",
    "destinationPhoneNumber",
    "isInternationalSend",
    "isoCountryCode",
    "messageId",
    "messageRequestTimestamp",
    "messageEncoding",
    "messageType",
    "messageStatus",
    "messageStatusDescription",
    "context",
    "totalMessageParts",
    "totalMessagePrice",
    "totalCarrierFee",
}
CARRIER_FIELDS = {"carrierName", "mcc", "mnc"}


def us(channel: str, status: str, *, queued: bool = False) -> str:
    return outcomes.find_number(channel, status, "+1206555", 4, "US", queued=queued)


@pytest.fixture
def sender(client, sandbox):
    """A US toll-free number with SMS, MMS and voice in a PRODUCTION account, and a
    configuration set whose destination takes every event."""
    sandbox.set_account_tier("PRODUCTION")
    phone = number(client, "TOLL_FREE", capabilities=("SMS", "MMS", "VOICE"))
    client.update_phone_number(
        PhoneNumberId=phone["PhoneNumberId"], InternationalSendingEnabled=True
    )
    return phone["PhoneNumberId"], config_set(client, sns=["ALL"])


def records(sandbox, message_id):
    events = sandbox.events()
    return list(events[events["messageId"] == message_id]["Record"])


def sequence(sandbox, message_id):
    return [(r["eventType"], r["isFinal"]) for r in records(sandbox, message_id)]


def text(client, sandbox, sender, to, body="Your code is 123456", **params):
    origination, cs = sender
    with sandbox.clock_at(NOW):
        return client.send_text_message(
            DestinationPhoneNumber=to,
            OriginationIdentity=origination,
            MessageBody=body,
            ConfigurationSetName=cs,
            **params,
        )["MessageId"]


def status(sandbox, message_id):
    messages = sandbox.messages()
    return messages.set_index("MessageId").loc[message_id, "Status"]


def test_a_number_of_an_impossible_length_is_refused_at_the_call(client, sandbox, sender):
    with pytest.raises(ClientError) as caught:
        text(client, sandbox, sender, "+1206555")
    error = caught.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert error["Reason"] == "INVALID_PARAMETER"
    assert [f["Name"] for f in error["Fields"]] == ["DestinationPhoneNumber"]
    assert "+1206555" in error["Fields"][0]["Message"]
    assert sandbox.messages().empty  # nothing logged, nothing charged


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        pytest.param("+447700900123", "INVALID", id="unassigned-range"),
        pytest.param(
            next(
                f"+1206555{n:04d}"
                for n in range(10_000)
                if carriers.line(f"+1206555{n:04d}").type == "LANDLINE"
            ),
            "INVALID",
            id="landline",
        ),
    ],
)
def test_an_unassigned_number_or_a_landline_is_accepted_then_invalid(
    client, sandbox, sender, to, expected
):
    message_id = text(client, sandbox, sender, to)
    (record,) = records(sandbox, message_id)
    assert (record["eventType"], record["isFinal"]) == ("TEXT_INVALID", True)
    assert record["messageStatus"] == expected
    assert record["messageStatusDescription"] == "Invalid phone number"
    assert record["eventTimestamp"] == NOW_MS + 1000
    assert set(record) >= TEXT_FIELDS
    assert status(sandbox, message_id) == "INVALID"


@pytest.mark.parametrize(
    ("outcome", "events"),
    [
        ("DELIVERED", [("TEXT_SUCCESSFUL", False), ("TEXT_DELIVERED", True)]),
        ("UNREACHABLE", [("TEXT_SUCCESSFUL", False), ("TEXT_UNREACHABLE", True)]),
        ("BLOCKED", [("TEXT_SUCCESSFUL", False), ("TEXT_BLOCKED", True)]),
        ("CARRIER_UNREACHABLE", [("TEXT_CARRIER_UNREACHABLE", True)]),
        ("CARRIER_BLOCKED", [("TEXT_CARRIER_BLOCKED", True)]),
        ("SPAM", [("TEXT_SPAM", True)]),
    ],
)
def test_each_text_outcome_has_its_events_and_record(client, sandbox, sender, outcome, events):
    to = us("TEXT", outcome)
    message_id = text(client, sandbox, sender, to)
    assert sequence(sandbox, message_id) == events
    final = records(sandbox, message_id)[-1]
    assert final["messageStatus"] == outcome
    assert final["messageStatusDescription"] == DESCRIPTIONS[outcome]
    assert set(final) >= TEXT_FIELDS
    line = carriers.line(to)
    assert (final["carrierName"], final["mcc"], final["mnc"]) == (line.carrier, line.mcc, line.mnc)
    assert all(isinstance(final[f], str) for f in CARRIER_FIELDS)
    assert status(sandbox, message_id) == outcome
    # the same number ends the same way every time
    again = text(client, sandbox, sender, to)
    assert sequence(sandbox, again) == events


def test_the_simulator_numbers_keep_their_documented_outcomes(client, sandbox, sender):
    ok, failed = (text(client, sandbox, sender, to) for to in (SIM_OK, SIM_FAIL))
    assert sequence(sandbox, ok) == [("TEXT_SUCCESSFUL", False), ("TEXT_DELIVERED", True)]
    assert sequence(sandbox, failed) == [("TEXT_UNREACHABLE", True)]
    assert not CARRIER_FIELDS & {k for r in records(sandbox, ok) for k in r}


def test_no_receipt_turns_unknown_after_72_hours_on_the_sandbox_clock(client, sandbox, sender):
    message_id = text(client, sandbox, sender, us("TEXT", "UNKNOWN"))
    assert sequence(sandbox, message_id) == [("TEXT_SUCCESSFUL", False)]
    assert status(sandbox, message_id) == "SUCCESSFUL"
    with sandbox.clock_at(NOW + timedelta(hours=72) - timedelta(seconds=1)):
        assert status(sandbox, message_id) == "SUCCESSFUL"
    with sandbox.clock_at(NOW + timedelta(hours=72)):
        assert sequence(sandbox, message_id) == [
            ("TEXT_SUCCESSFUL", False),
            ("TEXT_UNKNOWN", True),
        ]
        assert status(sandbox, message_id) == "UNKNOWN"
        final = records(sandbox, message_id)[-1]
        assert final["eventTimestamp"] == NOW_MS + 72 * 3600 * 1000
        assert final["messageStatusDescription"] == "Unknown error attempting to reach phone"


def test_a_queued_message_is_pending_first_and_expires_when_its_ttl_is_shorter(
    client, sandbox, sender
):
    to = us("TEXT", "DELIVERED", queued=True)
    wait = outcomes.outcome("TEXT", to, "US").wait
    assert outcomes.SLOW_SECONDS[0] <= wait <= outcomes.SLOW_SECONDS[1]
    kept = text(client, sandbox, sender, to)
    assert sequence(sandbox, kept) == [
        ("TEXT_PENDING", False),
        ("TEXT_SUCCESSFUL", False),
        ("TEXT_DELIVERED", True),
    ]
    assert records(sandbox, kept)[-1]["eventTimestamp"] == NOW_MS + round((wait + 3) * 1000)
    assert "carrierName" not in records(sandbox, kept)[0]  # the carrier hasn't got it yet
    expired = text(client, sandbox, sender, to, TimeToLive=5)
    assert sequence(sandbox, expired) == [("TEXT_PENDING", False), ("TEXT_TTL_EXPIRED", True)]
    assert records(sandbox, expired)[-1]["eventTimestamp"] == NOW_MS + 5000
    assert status(sandbox, expired) == "TTL_EXPIRED"
    # a destination the carrier doesn't queue never expires, whatever the TTL
    prompt = text(client, sandbox, sender, us("TEXT", "DELIVERED"), TimeToLive=5)
    assert sequence(sandbox, prompt)[-1] == ("TEXT_DELIVERED", True)


@pytest.mark.parametrize(
    ("outcome", "events"),
    [
        (
            "COMPLETED",
            ["VOICE_INITIATED", "VOICE_RINGING", "VOICE_ANSWERED", "VOICE_COMPLETED"],
        ),
        ("BUSY", ["VOICE_INITIATED", "VOICE_BUSY"]),
        ("NO_ANSWER", ["VOICE_INITIATED", "VOICE_RINGING", "VOICE_NO_ANSWER"]),
        ("FAILED", ["VOICE_INITIATED", "VOICE_FAILED"]),
    ],
)
def test_each_call_outcome_has_its_events(client, sandbox, sender, outcome, events):
    origination, cs = sender
    with sandbox.clock_at(NOW):
        message_id = client.send_voice_message(
            DestinationPhoneNumber=us("VOICE", outcome),
            OriginationIdentity=origination,
            MessageBody="Your code is 1 2 3 4 5 6",
            ConfigurationSetName=cs,
        )["MessageId"]
    assert [e for e, _ in sequence(sandbox, message_id)] == events
    assert [f for _, f in sequence(sandbox, message_id)] == [False] * (len(events) - 1) + [True]
    assert status(sandbox, message_id) == outcome


def test_a_landline_answers_a_call_but_not_a_text_or_an_mms(client, sandbox, sender):
    origination, cs = sender
    landline = next(
        f"+1206555{n:04d}"
        for n in range(10_000)
        if carriers.line(f"+1206555{n:04d}").type == "LANDLINE"
        and outcomes.outcome("VOICE", f"+1206555{n:04d}", "US").status == "COMPLETED"
    )
    with sandbox.clock_at(NOW):
        call = client.send_voice_message(
            DestinationPhoneNumber=landline,
            OriginationIdentity=origination,
            MessageBody="Your code is 1 2 3",
            ConfigurationSetName=cs,
        )["MessageId"]
        mms = client.send_media_message(
            DestinationPhoneNumber=landline,
            OriginationIdentity=origination,
            MediaUrls=["s3://juniper-media/receipt.png"],
            ConfigurationSetName=cs,
        )["MessageId"]
    assert status(sandbox, call) == "COMPLETED"
    assert sequence(sandbox, mms) == [("MEDIA_INVALID", True)]
    assert records(sandbox, mms)[0]["messageStatusDescription"] == "Invalid phone number"


def test_media_outcomes_follow_the_text_draw(client, sandbox, sender):
    origination, cs = sender
    with sandbox.clock_at(NOW):
        message_id = client.send_media_message(
            DestinationPhoneNumber=us("MEDIA", "CARRIER_BLOCKED"),
            OriginationIdentity=origination,
            MediaUrls=["s3://juniper-media/receipt.png"],
            ConfigurationSetName=cs,
        )["MessageId"]
    assert sequence(sandbox, message_id) == [("MEDIA_CARRIER_BLOCKED", True)]


def test_a_body_no_carrier_delivers_ends_invalid_message(client, sandbox, sender):
    message_id = text(client, sandbox, sender, SIM_OK, "Your code is\x00 123456")
    assert sequence(sandbox, message_id) == [("TEXT_INVALID_MESSAGE", True)]
    assert records(sandbox, message_id)[0]["messageStatusDescription"] == "Message body is invalid"
    assert status(sandbox, message_id) == "INVALID_MESSAGE"


def mms(client, sandbox, sender, url):
    origination, cs = sender
    with sandbox.clock_at(NOW):
        return client.send_media_message(
            DestinationPhoneNumber=SIM_OK,
            OriginationIdentity=origination,
            MediaUrls=[url],
            ConfigurationSetName=cs,
        )["MessageId"]


@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        ({"size": 500_000}, "MEDIA_DELIVERED"),
        ({"size": 2 * 1024 * 1024 + 1}, "MEDIA_FILE_SIZE_EXCEEDED"),  # images: 2 MB
        ({"size": 1000, "accessible": False}, "MEDIA_FILE_INACCESSIBLE"),
        ({"size": 1000, "content_type": "application/zip"}, "MEDIA_FILE_TYPE_UNSUPPORTED"),
    ],
)
def test_the_media_file_a_send_names_decides_its_outcome(client, sandbox, sender, placed, expected):
    url = "s3://juniper-media/cards/welcome.png"
    sandbox.put_media_file(url, **placed)
    message_id = mms(client, sandbox, sender, url)
    assert sequence(sandbox, message_id)[-1] == (expected, True)
    # a file the sandbox doesn't hold is taken as readable and small enough
    other = mms(client, sandbox, sender, "s3://juniper-media/cards/other.png")
    assert sequence(sandbox, other)[-1] == ("MEDIA_DELIVERED", True)


def test_a_pdf_over_600_kb_is_too_large(client, sandbox, sender):
    url = "s3://juniper-media/statements/march.pdf"
    sandbox.put_media_file(url, 600 * 1024 + 1)
    assert sequence(sandbox, mms(client, sandbox, sender, url)) == [
        ("MEDIA_FILE_SIZE_EXCEEDED", True)
    ]


@pytest.mark.parametrize(
    ("url", "size", "field"),
    [
        ("https://example.com/a.png", 10, "url"),
        ("s3://juniper-media/a.png", -1, "size"),
        ("s3://juniper-media/a.png", "10", "size"),
    ],
)
def test_placing_a_media_file_names_what_is_wrong(sandbox, url, size, field):
    with pytest.raises(ValueError, match=f"^{field}: "):
        sandbox.put_media_file(url, size)


def _failed(numbers: list[str], country: str) -> tuple[float, Counter]:
    counts = Counter(outcomes.outcome("TEXT", n, country).status for n in numbers)
    return 1 - counts["DELIVERED"] / sum(counts.values()), counts


def test_the_rates_give_a_few_percent_of_failures_of_several_kinds():
    us_mobiles = [
        n
        for n in (f"+1206{n:07d}" for n in range(2_000_000, 2_020_000))
        if carriers.line(n).type == "MOBILE"
    ]
    failed, counts = _failed(us_mobiles, "US")
    assert 0.02 < failed < 0.06
    kinds = {"UNREACHABLE", "CARRIER_UNREACHABLE", "BLOCKED", "CARRIER_BLOCKED", "SPAM", "UNKNOWN"}
    assert kinds <= set(counts)


def test_one_gb_network_fails_more_than_the_others():
    by_network: dict[str, list[str]] = {}
    for prefix in range(73, 80):
        for n in range(0, 10**8, 52363):
            line = carriers.line(f"+44{prefix}{n:08d}")
            if line.type == "MOBILE" and line.carrier:
                by_network.setdefault(line.carrier, []).append(line.number)
    three = _failed(by_network.pop("Three"), "GB")[0]
    others = {
        name: _failed(numbers, "GB")[0]
        for name, numbers in by_network.items()
        if len(numbers) > 1000
    }
    assert {"EE", "O2", "Vodafone"} <= set(others)
    assert all(three > 2 * other for other in others.values()), (three, others)
