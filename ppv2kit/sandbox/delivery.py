"""What becomes of an accepted message: its outcome, its place in the log, its delivery events.

Messages never reach a carrier: every destination succeeds except the failure simulator
numbers. A text's outcome is a sequence of steps in the service's event types (reference §4.5):
``TEXT_SUCCESSFUL`` then the final ``TEXT_DELIVERED``, or ``TEXT_SUCCESSFUL`` alone (final) from
a short code; the failure simulator numbers end in ``TEXT_UNREACHABLE``. A call is
``VOICE_INITIATED``, ``VOICE_RINGING``, ``VOICE_ANSWERED``, ``VOICE_COMPLETED``, or
``VOICE_INITIATED`` then ``VOICE_FAILED``. :func:`deliver` writes the ``message`` document with
the final status, adds its price to the month's spend, and writes one ``event`` document per
step and per enabled event destination of the configuration set that takes the step's event
type. Choices: ADR 0010.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from . import catalog, spend
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


_ACCEPTED = Step(
    "TEXT_SUCCESSFUL", "SUCCESSFUL", "Message has been accepted by phone carrier", 1.0, False
)
_DELIVERED = Step("TEXT_DELIVERED", "DELIVERED", "Message has been accepted by phone", 3.0, True)
_UNREACHABLE = Step(
    "TEXT_UNREACHABLE", "UNREACHABLE", "The recipient's phone is unreachable", 3.0, True
)
_INITIATED = Step("VOICE_INITIATED", "INITIATED", "Call has been initiated", 1.0, False)
_RINGING = Step("VOICE_RINGING", "RINGING", "Call is ringing", 3.0, False)
_ANSWERED = Step("VOICE_ANSWERED", "ANSWERED", "Call has been answered", 6.0, False)
_CALL_FAILED = Step("VOICE_FAILED", "FAILED", "Call has failed", 3.0, True)


def text_steps(destination: str, number_type: str | None) -> tuple[Step, ...]:
    """The events of a text message to ``destination`` sent from a ``number_type`` number."""
    if destination in catalog.SIMULATOR_FAILURE:
        return (_UNREACHABLE,)
    if number_type == "SHORT_CODE":
        return (replace(_ACCEPTED, final=True),)
    return (_ACCEPTED, _DELIVERED)


def voice_steps(destination: str, seconds: int) -> tuple[Step, ...]:
    """The events of a call to ``destination`` whose message lasts ``seconds``."""
    if destination in catalog.SIMULATOR_FAILURE:
        return (_INITIATED, _CALL_FAILED)
    completed = Step(
        "VOICE_COMPLETED", "COMPLETED", "Call has completed", _ANSWERED.delay + seconds, True
    )
    return (_INITIATED, _RINGING, _ANSWERED, completed)


def voice_seconds(body: str, text_type: str) -> int:
    """Estimated length in seconds of a spoken message (SSML tags are not spoken)."""
    text = _SSML_TAG.sub(" ", body) if text_type == "SSML" else body
    words = len(text.split())
    return max(1, math.ceil(words * 60 / catalog.VOICE_WORDS_PER_MINUTE))


def deliver(
    ctx: Context, doc: dict[str, Any], steps: tuple[Step, ...], config_set: dict[str, Any] | None
) -> None:
    """Log an accepted message with its final status, charge it, and emit its events."""
    doc["Status"] = steps[-1].status
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
            events.append((f"{number:02d}/{name}", event))
    ctx.store.put_many(EVENT, events, parent=doc["MessageId"])


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
