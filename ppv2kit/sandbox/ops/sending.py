"""Sending: SendTextMessage and SendVoiceMessage, inbound replies, and the logs as DataFrames.

A send is checked completely before anything is written, in this order: the body (present,
not too long), the destination's country, the configuration set and protect configuration
(:func:`~ppv2kit.sandbox.protect_rules.protect_verdict`), the
origination identity (:mod:`~ppv2kit.sandbox.routing`), the account tier (a SANDBOX account
reaches only simulator and verified numbers; voice limits), the opt-out list of the identity
(the pool's when it sends through a pool), ``MaxPrice`` / ``MaxPricePerMinute`` and the monthly
spend limit. ``DryRun`` stops there with a MessageId. Otherwise the message is logged as a
``message`` document and charged, and its delivery events go to the configuration set's event
destinations (:mod:`~ppv2kit.sandbox.delivery`). ``Sandbox.receive`` (inbound messages, keyword
actions) lives in :mod:`~ppv2kit.sandbox.replies`, the frames in :mod:`~ppv2kit.sandbox.logs`.
Choices the reference leaves open: ADR 0010.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ... import sms
from .. import catalog, delivery, routing, spend
from ..context import Context
from ..errors import conflict, invalid_field, quota
from ..kinds import OPTED_OUT_NUMBER, VERIFIED_DESTINATION
from ..protect_rules import protect_blocked_steps, protect_verdict
from .account import settings
from .configuration_sets import find_configuration_set
from .opt_outs import is_opted_out
from .spend_limits import enforced_limit
from .verified_destinations import is_verified

if TYPE_CHECKING:
    pass

DEFAULT_MESSAGE_TYPE = "TRANSACTIONAL"
DEFAULT_TIME_TO_LIVE = 72 * 3600  # seconds [M TimeToLive]
DEFAULT_VOICE_ID = "MATTHEW"  # [M VoiceId]
DEFAULT_TEXT_TYPE = "TEXT"
# Longest plain-text voice body; SSML may use the model's whole 6000 [M MessageBodyTextType].
VOICE_TEXT_MAX = 3000
_DAY = 24 * 3600


# -- checks shared by both channels ---------------------------------------------------------------


def _body(params: dict[str, Any], what: str) -> str:
    body = params.get("MessageBody")
    if body is None:
        raise invalid_field("MISSING_PARAMETER", "MessageBody", f"is required to send {what}")
    return body


def _config_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
    if params.get("ConfigurationSetName") is None:
        return None
    return find_configuration_set(ctx, params["ConfigurationSetName"])


def _check_recipient(ctx: Context, route: routing.Route, dest: routing.Destination) -> None:
    tier = settings(ctx)["AccountTier"]
    if tier == "SANDBOX" and not dest.simulator and not is_verified(ctx, dest.number):
        raise conflict(
            "DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
            f"DESTINATION_PHONE_NUMBER_NOT_VERIFIED: {dest.number} is not a verified destination "
            "number; an account in the sandbox sends only to verified and simulator numbers.",
            VERIFIED_DESTINATION,
            dest.number,
        )
    if is_opted_out(route.shared_from or ctx, route.opt_out_list, dest.number):
        raise conflict(
            "DESTINATION_PHONE_NUMBER_OPTED_OUT",
            f"DESTINATION_PHONE_NUMBER_OPTED_OUT: {dest.number} is on the opt-out list "
            f"{route.opt_out_list!r} that applies to {route.identity_id}.",
            OPTED_OUT_NUMBER,
            dest.number,
        )


def _check_max_price(params: dict[str, Any], member: str, price: float, what: str) -> None:
    if params.get(member) is not None and price > float(params[member]):
        raise invalid_field(
            "PRICE_OVER_THRESHOLD",
            member,
            f"the {what} is {price:.5f} USD, above the maximum of {params[member]} USD",
        )


def _check_spend(ctx: Context, channel: str, price: float) -> None:
    limit_name, _ = spend.CHANNELS[channel]
    limit = enforced_limit(ctx, limit_name)
    spent = spend.month_to_date(ctx.store, channel, ctx.now)
    if round(spent + price, 6) > limit:
        reason = f"MONTHLY_SPEND_LIMIT_REACHED_FOR_{channel}"
        raise quota(
            reason,
            f"{reason}: this message ({price:.5f} USD) would take this month's "
            f"{channel.lower()} spend ({spent:.5f} USD) past the limit of {limit} USD.",
        )


def _message(
    ctx: Context,
    channel: str,
    route: routing.Route,
    dest: routing.Destination,
    params: dict[str, Any],
    config_set: dict[str, Any] | None,
    message_id: str | None = None,
) -> dict[str, Any]:
    """The fields every logged outbound message has (the ``message`` document schema), for
    every channel's send (text, voice, media, Notify, RCS)."""
    return {
        "MessageId": message_id or ctx.new_uuid(),
        "Direction": "OUTBOUND",
        "Origin": "API",
        "Channel": channel,
        "Timestamp": ctx.now,
        "OriginationIdentity": route.identity_id,
        "OriginationIdentityArn": route.identity_arn,
        "OriginationIdentityType": route.identity_type,
        "OriginationPhoneNumber": route.origination,
        "DestinationPhoneNumber": dest.number,
        "IsoCountryCode": dest.country,
        "ConfigurationSetName": config_set["ConfigurationSetName"] if config_set else None,
        "Context": params.get("Context"),
        "TimeToLive": params.get("TimeToLive", DEFAULT_TIME_TO_LIVE),
        "OptOutListName": route.opt_out_list,
        "_International": route.international(dest),
        "_MessageFeedbackEnabled": params.get(
            "MessageFeedbackEnabled", (config_set or {}).get("DefaultMessageFeedbackEnabled")
        ),
    }


# -- SendTextMessage ----------------------------------------------------------------------------


def send_text_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    body = _body(params, "a text message")
    segments = sms.segments(body)
    if segments.too_long:
        raise invalid_field(
            "MAXIMUM_SIZE_EXCEEDED",
            "MessageBody",
            f"{segments.characters} {segments.encoding} characters; at most "
            f"{segments.max_characters} fit in a message",
        )
    dest = routing.destination(params["DestinationPhoneNumber"])
    config_set = _config_set(ctx, params)
    verdict = protect_verdict(ctx, params, dest, "SMS", config_set)
    message_type = (
        params.get("MessageType")
        or (config_set or {}).get("DefaultMessageType")
        or DEFAULT_MESSAGE_TYPE
    )
    route = routing.route(
        ctx, params.get("OriginationIdentity"), dest, "TEXT", message_type, config_set
    )
    _check_recipient(ctx, route, dest)
    per_part = catalog.sms_price(dest.country)
    price = round(segments.parts * per_part, 5)
    fee = 0.0 if dest.simulator else round(segments.parts * catalog.carrier_fee(dest.country), 5)
    if verdict.filtered:  # blocked by FILTER: never reaches a carrier, nothing charged (ADR 18)
        price = fee = 0.0
    _check_max_price(params, "MaxPrice", price, "price of the message")
    _check_spend(ctx, "TEXT", price)
    doc = _message(ctx, "TEXT", route, dest, params, config_set)
    if params.get("DryRun"):
        return {"MessageId": doc["MessageId"]}
    doc.update(
        MessageType=message_type,
        MessageBody=body,
        Encoding=segments.encoding,
        Parts=segments.parts,
        UnitPrice=per_part,
        Price=price,
        CarrierFee=fee,
        Keyword=params.get("Keyword"),
        _DestinationCountryParameters=params.get("DestinationCountryParameters"),
    )
    if verdict.configuration_id:
        doc["_Protect"] = verdict.record()
    steps = (
        protect_blocked_steps("SMS")
        if verdict.filtered
        else delivery.text_steps(
            dest.number, route.number_type, dest.country, doc["TimeToLive"], body
        )
    )
    delivery.deliver(ctx, doc, steps, config_set)
    return {"MessageId": doc["MessageId"]}


# -- SendVoiceMessage ---------------------------------------------------------------------------


def send_voice_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    body = _body(params, "a voice message")
    text_type = params.get("MessageBodyTextType") or DEFAULT_TEXT_TYPE
    if text_type == "TEXT" and len(body) > VOICE_TEXT_MAX:
        raise invalid_field(
            "MAXIMUM_SIZE_EXCEEDED",
            "MessageBody",
            f"{len(body)} characters; a TEXT voice message has at most {VOICE_TEXT_MAX}",
        )
    tier = settings(ctx)["AccountTier"]
    seconds = delivery.voice_seconds(body, text_type)
    longest = catalog.VOICE_MAX_SECONDS[tier]
    if seconds > longest:
        raise invalid_field(
            "MAXIMUM_SIZE_EXCEEDED",
            "MessageBody",
            f"about {seconds} seconds spoken; a {tier} account's calls last at most {longest}",
        )
    dest = routing.destination(params["DestinationPhoneNumber"])
    config_set = _config_set(ctx, params)
    verdict = protect_verdict(ctx, params, dest, "VOICE", config_set)
    route = routing.route(ctx, params["OriginationIdentity"], dest, "VOICE", None, config_set)
    if tier == "SANDBOX" and dest.country not in catalog.VOICE_SANDBOX_COUNTRIES:
        raise invalid_field(
            "DESTINATION_COUNTRY_BLOCKED",
            "DestinationPhoneNumber",
            f"an account in the sandbox can't call {dest.country} numbers",
        )
    _check_recipient(ctx, route, dest)
    if tier == "SANDBOX":
        _check_sandbox_calls(ctx, dest)
    minutes = math.ceil(seconds / 60)
    per_minute = catalog.voice_price(dest.country)
    price = round(minutes * per_minute, 5)
    _check_max_price(params, "MaxPricePerMinute", per_minute, "price per minute")
    _check_spend(ctx, "VOICE", price)
    doc = _message(ctx, "VOICE", route, dest, params, config_set)
    if params.get("DryRun"):
        return {"MessageId": doc["MessageId"]}
    doc.update(
        MessageType=None,
        MessageBody=body,
        MessageBodyTextType=text_type,
        VoiceId=params.get("VoiceId") or DEFAULT_VOICE_ID,
        DurationSeconds=seconds,
        BilledMinutes=minutes,
        UnitPrice=per_minute,
        Price=price,
    )
    if verdict.configuration_id:
        doc["_Protect"] = verdict.record()
    steps = delivery.voice_steps(dest.number, seconds, dest.country, doc["TimeToLive"])
    delivery.deliver(ctx, doc, steps, config_set)
    return {"MessageId": doc["MessageId"]}


def _check_sandbox_calls(ctx: Context, dest: routing.Destination) -> None:
    """A SANDBOX account makes a limited number of calls a day, and to one recipient."""
    since = ctx.now - _DAY
    calls = [
        doc["DestinationPhoneNumber"]
        for _, doc in ctx.store.items(delivery.MESSAGE)
        if doc["Channel"] == "VOICE" and doc["Timestamp"] > since
    ]
    if len(calls) >= catalog.VOICE_SANDBOX_PER_DAY:
        raise quota(
            "DAILY_DESTINATION_CALL_LIMIT",
            f"An account in the sandbox makes at most {catalog.VOICE_SANDBOX_PER_DAY} voice "
            "calls in 24 hours.",
        )
    if calls.count(dest.number) >= catalog.VOICE_SANDBOX_PER_RECIPIENT_PER_DAY:
        raise quota(
            "DAILY_DESTINATION_CALL_LIMIT",
            f"An account in the sandbox calls {dest.number} at most "
            f"{catalog.VOICE_SANDBOX_PER_RECIPIENT_PER_DAY} times in 24 hours.",
        )
