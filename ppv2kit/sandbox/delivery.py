"""What becomes of an accepted message: its outcome, its place in the log, its delivery events.

How a message ends is drawn per destination by :mod:`~ppv2kit.sandbox.outcomes` (the simulator
numbers keep their documented behaviour). A text's or MMS's outcome is a sequence of steps in the
service's event types: ``*_SUCCESSFUL`` then the final ``*_DELIVERED`` (``TEXT_SUCCESSFUL`` alone
from a short code); ``*_PENDING`` first when the carrier queues it, ``*_TTL_EXPIRED`` when the
queue outlasts ``TimeToLive``; failures the carrier reports at once (``INVALID``,
``CARRIER_UNREACHABLE``, ``CARRIER_BLOCKED``, ``SPAM``) or after accepting it (``UNREACHABLE``,
``BLOCKED``, and ``UNKNOWN`` 72 hours later). A call is ``VOICE_INITIATED``, ``VOICE_RINGING``,
``VOICE_ANSWERED``, ``VOICE_COMPLETED``, or ends ``VOICE_BUSY``, ``VOICE_NO_ANSWER``,
``VOICE_FAILED``, ``VOICE_TTL_EXPIRED``. :func:`deliver` writes the ``message`` document with the
final status, adds its price to the month's spend, and writes one ``event`` document per step and
per enabled event destination of the configuration set that takes the step's event type.
Choices: ADR 0010, ADR 0023.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from . import carriers, catalog, outcomes, spend
from .context import Context
from .kinds import EVENT, MESSAGE
from .ops.configuration_sets import TARGETS, destinations_for

EVENT_VERSION = "1.0"
# The member of each destination block that names where events go.
TARGET_ARNS = dict(zip(TARGETS, ("LogGroupArn", "DeliveryStreamArn", "TopicArn"), strict=True))
_SSML_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Step:
    """One delivery event of a message: its type, status, and when it happens."""

    event_type: str
    status: str
    description: str
    delay: float  # seconds after the request
    final: bool


# messageStatusDescription of each status. SUCCESSFUL and DELIVERED are the user guide's; the
# failures reuse Amazon SNS's delivery failure reasons (as v2 consumers match them); the rest are
# the sandbox's words. ADR 0023.
DESCRIPTIONS: dict[str, str] = {
    "SUCCESSFUL": "Message has been accepted by phone carrier",
    "DELIVERED": "Message has been accepted by phone",
    "PENDING": "Message is queued by the phone carrier for delivery",
    "INVALID": "Invalid phone number",
    "UNREACHABLE": "Phone is currently unreachable/unavailable",
    "CARRIER_UNREACHABLE": "Phone carrier is currently unreachable/unavailable",
    "BLOCKED": "Phone has blocked SMS",
    "CARRIER_BLOCKED": "Phone carrier has blocked this message",
    "SPAM": "Blocked as spam by phone carrier",
    "UNKNOWN": "Unknown error attempting to reach phone",
    "TTL_EXPIRED": "Message was not delivered before its time to live expired",
    "INITIATED": "Call has been initiated",
    "RINGING": "Call is ringing",
    "ANSWERED": "Call has been answered",
    "COMPLETED": "Call has completed",
    "BUSY": "The recipient's phone line is busy",
    "NO_ANSWER": "Neither the recipient nor their voicemail answered the call",
    "FAILED": "Call has failed",
    "INVALID_MESSAGE": "Message body is invalid",
    "FILE_INACCESSIBLE": "AWS End User Messaging SMS doesn't have permissions to access the file",
    "FILE_TYPE_UNSUPPORTED": "The media file is not in a supported format",
    "FILE_SIZE_EXCEEDED": "The media file is larger than its type allows",
}
# Characters no carrier delivers: C0 controls but tab, line feed and carriage return; DEL; the
# Unicode noncharacters U+FFFE and U+FFFF.
_UNDELIVERABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def invalid_body(body: str | None) -> bool:
    """True when a message body holds a character no carrier delivers (``*_INVALID_MESSAGE``)."""
    return body is not None and _UNDELIVERABLE.search(body) is not None


# Failures the carrier reports without accepting the message first.
_REFUSED_BY_CARRIER = frozenset({"INVALID", "CARRIER_UNREACHABLE", "CARRIER_BLOCKED", "SPAM"})
RING_SECONDS = 30.0  # how long a call rings before NO_ANSWER


def _step(prefix: str, status: str, delay: float, final: bool) -> Step:
    return Step(f"{prefix}_{status}", status, DESCRIPTIONS[status], delay, final)


def message_steps(
    channel: str,
    destination: str,
    country: str | None,
    number_type: str | None = None,
    time_to_live: float = outcomes.NO_RECEIPT_SECONDS,
    refused: str | None = None,
) -> tuple[Step, ...]:
    """The events of a text or media (``channel`` TEXT or MEDIA) message to ``destination`` in
    ``country`` sent from a ``number_type`` number, with its ``TimeToLive`` in seconds.

    ``refused`` is a status the service finds in the content before any carrier sees it
    (``INVALID_MESSAGE``, ``FILE_INACCESSIBLE``...): the message ends there, whoever it was for.
    """
    if refused is not None:
        return (_step(channel, refused, 1.0, True),)
    found = outcomes.outcome(channel, destination, country)
    if catalog.is_simulator_destination(destination):  # the documented behaviour, exactly
        if found.status != "DELIVERED":
            return (_step(channel, found.status, 3.0, True),)
        if number_type == "SHORT_CODE" and channel == "TEXT":
            return (_step(channel, "SUCCESSFUL", 1.0, True),)
        return (_step(channel, "SUCCESSFUL", 1.0, False), _step(channel, "DELIVERED", 3.0, True))
    wait = found.wait
    first: tuple[Step, ...] = ()
    if found.queued:
        first = (_step(channel, "PENDING", 1.0, False),)
        if time_to_live < wait + 1.0:
            return (*first, _step(channel, "TTL_EXPIRED", float(time_to_live), True))
    if found.status in _REFUSED_BY_CARRIER:
        return (*first, _step(channel, found.status, wait + 1.0, True))
    accepted = _step(channel, "SUCCESSFUL", wait + 1.0, False)
    if found.status == "DELIVERED":
        if number_type == "SHORT_CODE" and channel == "TEXT":
            return (*first, replace(accepted, final=True))
        return (*first, accepted, _step(channel, "DELIVERED", wait + 3.0, True))
    if found.status == "UNKNOWN":
        return (*first, accepted, _step(channel, "UNKNOWN", outcomes.NO_RECEIPT_SECONDS, True))
    return (*first, accepted, _step(channel, found.status, wait + 3.0, True))


def text_steps(
    destination: str,
    number_type: str | None,
    country: str | None = None,
    time_to_live: float = outcomes.NO_RECEIPT_SECONDS,
    body: str | None = None,
) -> tuple[Step, ...]:
    """The events of a text message with ``body`` to ``destination`` sent from a
    ``number_type`` number."""
    refused = "INVALID_MESSAGE" if invalid_body(body) else None
    return message_steps("TEXT", destination, country, number_type, time_to_live, refused)


def reply_steps(number_type: str | None) -> tuple[Step, ...]:
    """The events of a keyword's answer: it goes to a phone that has just texted, so it arrives."""
    if number_type == "SHORT_CODE":
        return (_step("TEXT", "SUCCESSFUL", 1.0, True),)
    return (_step("TEXT", "SUCCESSFUL", 1.0, False), _step("TEXT", "DELIVERED", 3.0, True))


def voice_steps(
    destination: str,
    seconds: int,
    country: str | None = None,
    time_to_live: float = outcomes.NO_RECEIPT_SECONDS,
) -> tuple[Step, ...]:
    """The events of a call to ``destination`` whose message lasts ``seconds``."""
    found = outcomes.outcome("VOICE", destination, country)
    wait = found.wait
    if found.queued and time_to_live < wait + 1.0:
        return (_step("VOICE", "TTL_EXPIRED", float(time_to_live), True),)
    initiated = _step("VOICE", "INITIATED", wait + 1.0, False)
    if found.status in ("FAILED", "BUSY"):
        return (initiated, _step("VOICE", found.status, wait + 3.0, True))
    ringing = _step("VOICE", "RINGING", wait + 3.0, False)
    if found.status == "NO_ANSWER":
        return (initiated, ringing, _step("VOICE", "NO_ANSWER", wait + 3.0 + RING_SECONDS, True))
    answered = _step("VOICE", "ANSWERED", wait + 6.0, False)
    return (initiated, ringing, answered, _step("VOICE", "COMPLETED", wait + 6.0 + seconds, True))


def voice_seconds(body: str, text_type: str) -> int:
    """Estimated length in seconds of a spoken message (SSML tags are not spoken)."""
    text = _SSML_TAG.sub(" ", body) if text_type == "SSML" else body
    words = len(text.split())
    return max(1, math.ceil(words * 60 / catalog.VOICE_WORDS_PER_MINUTE))


def deliver(
    ctx: Context, doc: dict[str, Any], steps: tuple[Step, ...], config_set: dict[str, Any] | None
) -> None:
    """Log an accepted message with its final status, charge it, and emit its events.

    A final step due only after :data:`~ppv2kit.sandbox.outcomes.NO_RECEIPT_SECONDS` (UNKNOWN)
    is not reported before its time on the sandbox clock: the message keeps the status of the
    step before it (``_StatusBefore``) until ``_ReportedAt``, and its event carries ``NotBefore``.
    """
    doc["Status"] = steps[-1].status
    if late(steps[-1]):
        doc["_ReportedAt"] = doc["Timestamp"] + steps[-1].delay
        doc["_StatusBefore"] = steps[-2].status if len(steps) > 1 else "PENDING"
    ctx.store.put(MESSAGE, doc["MessageId"], doc)
    spend.record(ctx.store, spend.channel_of(doc), doc["Timestamp"], doc["Price"])
    if config_set is None:
        return
    events = []
    for number, step in enumerate(steps):
        for target in destinations_for(ctx, config_set, step.event_type):
            kind = next(name for name in TARGETS if target.get(name) is not None)
            name = target["EventDestinationName"]
            event = {
                "ConfigurationSetName": config_set["ConfigurationSetName"],
                "EventDestinationName": name,
                "DestinationType": kind,
                "DestinationArn": target[kind][TARGET_ARNS[kind]],
                "Record": event_record(doc, step),
            }
            if late(step):
                event["NotBefore"] = _ms(doc["Timestamp"] + step.delay)
            events.append((f"{number:02d}/{name}", event))
    ctx.store.put_many(EVENT, events, parent=doc["MessageId"])


def late(step: Step) -> bool:
    """True for a step the service reports only days later (no receipt: UNKNOWN after 72 h)."""
    return step.delay >= outcomes.NO_RECEIPT_SECONDS


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def event_record(doc: dict[str, Any], step: Step) -> dict[str, Any]:
    """The JSON an event destination receives for ``step`` of the logged message ``doc``."""
    record: dict[str, Any] = {
        "eventType": step.event_type,
        "eventVersion": EVENT_VERSION,
        "eventTimestamp": _ms(doc["Timestamp"] + step.delay),
        "isFinal": step.final,
        "originationPhoneNumber": doc["OriginationPhoneNumber"],
        "destinationPhoneNumber": doc["DestinationPhoneNumber"],
        "isInternationalSend": doc.get("_International", False),
        "isoCountryCode": doc["IsoCountryCode"],
        "messageId": doc["MessageId"],
        "messageRequestTimestamp": _ms(doc["Timestamp"]),
    }
    if doc["Channel"] == "TEXT":
        record["messageEncoding"] = doc["Encoding"]
        record["messageType"] = doc["MessageType"]
    elif doc["Channel"] == "VOICE":
        record["voiceId"] = doc["VoiceId"]
    line = carriers.line(doc["DestinationPhoneNumber"])
    simulator = catalog.is_simulator_destination(line.number)
    if line.carrier and not simulator and step.status not in ("PENDING", "INITIATED"):
        record["carrierName"] = line.carrier
        if line.mcc:
            record.update(mcc=line.mcc, mnc=line.mnc)
    record["messageStatus"] = step.status
    record["messageStatusDescription"] = step.description
    record["context"] = dict(doc.get("Context") or {})
    if doc["Channel"] in ("TEXT", "MEDIA"):
        record["totalMessageParts"] = doc["Parts"]
        record["totalMessagePrice"] = doc["Price"]
        record["totalCarrierFee"] = doc["CarrierFee"]
    elif doc["Channel"] == "VOICE":
        record["callDurationInSeconds"] = doc["DurationSeconds"]
        record["totalMessagePrice"] = doc["Price"]
    else:  # RCS (ops/rcs.py, ADR 20)
        record["totalMessagePrice"] = doc["Price"]
    if doc.get("_Protect"):  # the protect configuration that applied (ADR 18)
        record["protectConfiguration"] = dict(doc["_Protect"])
    return record
