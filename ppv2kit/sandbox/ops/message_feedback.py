"""Message feedback: PutMessageFeedback records RECEIVED or FAILED on a sent message.

A message takes feedback when its send asked for it (``MessageFeedbackEnabled``) or, without
that member, when its configuration set's ``DefaultMessageFeedbackEnabled`` was on at send time
(``_MessageFeedbackEnabled`` of the ``message`` document). Feedback is recorded on the message
(``MessageFeedbackStatus``, ``MessageFeedbackTimestamp``) and emitted as one more delivery event
to the configuration set's event destinations, carrying ``messageFeedbackStatus``. A message
without feedback enabled, an unknown one, or another account's is ``ResourceNotFoundException``
(ResourceType ``message``). The service sets a record with no feedback to FAILED after an hour;
:func:`feedback_status` answers that without writing. Choices: ADR 0019.
"""

from __future__ import annotations

from typing import Any

from .. import delivery
from ..context import Context
from ..errors import not_found
from ..kinds import CONFIGURATION_SET, EVENT, MESSAGE
from .configuration_sets import TARGETS, destinations_for

RESOURCE_TYPE = "message"  # the model's ResourceType
# Without feedback, the record is FAILED this long after the send [PutMessageFeedback doc].
FEEDBACK_WINDOW = 3600.0
# The event a feedback status emits, by channel: (event type, messageStatus, final).
_EVENTS = {
    ("TEXT", "RECEIVED"): ("TEXT_DELIVERED", "DELIVERED"),
    ("TEXT", "FAILED"): ("TEXT_UNKNOWN", "UNKNOWN"),
    ("MEDIA", "RECEIVED"): ("MEDIA_DELIVERED", "DELIVERED"),
    ("MEDIA", "FAILED"): ("MEDIA_UNKNOWN", "UNKNOWN"),
    ("VOICE", "RECEIVED"): ("VOICE_COMPLETED", "COMPLETED"),
    ("VOICE", "FAILED"): ("VOICE_FAILED", "FAILED"),
}
_DESCRIPTIONS = {
    "RECEIVED": "Message feedback: the recipient received the message",
    "FAILED": "Message feedback: the recipient did not receive the message",
}
# Event keys of feedback events start here (delivery steps use 00, 01...).
_FIRST_FEEDBACK_STEP = 50


def feedback_status(doc: dict[str, Any], now: float) -> str | None:
    """The message's feedback status: as put, FAILED an hour after the send without one, or
    None (no feedback enabled, or still waiting)."""
    if not doc.get("_MessageFeedbackEnabled"):
        return None
    if doc.get("MessageFeedbackStatus"):
        return doc["MessageFeedbackStatus"]
    return "FAILED" if now - doc["Timestamp"] >= FEEDBACK_WINDOW else None


def put_message_feedback(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    message_id = params["MessageId"]
    status = params["MessageFeedbackStatus"]
    doc = ctx.store.get(MESSAGE, message_id)
    if doc is None or doc.get("Direction") != "OUTBOUND":
        raise not_found(RESOURCE_TYPE, message_id)
    if not doc.get("_MessageFeedbackEnabled"):
        raise not_found(
            RESOURCE_TYPE,
            message_id,
            f"The message {message_id!r} was sent without message feedback enabled; it has no "
            "feedback record.",
        )
    count = doc.get("_FeedbackEvents", 0)
    doc.update(
        MessageFeedbackStatus=status,
        MessageFeedbackTimestamp=ctx.now,
        _FeedbackEvents=count + 1,
    )
    ctx.store.put(MESSAGE, message_id, doc)
    _emit(ctx, doc, status, _FIRST_FEEDBACK_STEP + count)
    return {"MessageId": message_id, "MessageFeedbackStatus": status}


def _emit(ctx: Context, doc: dict[str, Any], status: str, number: int) -> None:
    name = doc.get("ConfigurationSetName")
    config_set = ctx.store.get(CONFIGURATION_SET, name) if name else None
    if config_set is None:
        return
    event_type, message_status = _EVENTS[(doc["Channel"], status)]
    step = delivery.Step(
        event_type,
        message_status,
        _DESCRIPTIONS[status],
        max(0.0, ctx.now - doc["Timestamp"]),
        True,
    )
    events = []
    for target in destinations_for(ctx, config_set, event_type):
        kind = next(k for k in TARGETS if target.get(k) is not None)
        record = delivery.event_record(doc, step)
        record["messageFeedbackStatus"] = status
        events.append(
            (
                f"{number:02d}/{target['EventDestinationName']}",
                {
                    "ConfigurationSetName": name,
                    "EventDestinationName": target["EventDestinationName"],
                    "DestinationType": kind,
                    "DestinationArn": target[kind][delivery.TARGET_ARNS[kind]],
                    "Record": record,
                },
            )
        )
    ctx.store.put_many(EVENT, events, parent=doc["MessageId"])
