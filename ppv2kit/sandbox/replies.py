"""Inbound messages: what the service does when a recipient texts one of our numbers.

There is no inbound API; ``Sandbox.receive(to, from_, body)`` stands in for the recipient's
phone. The number ``to`` is found in whichever account and region holds it (numbers are unique
across the sandbox). The keywords, opt-out list and settings that apply are the pool's when the
number is in a pool, else the number's. The message (its whole text, else its first word) is
matched case-insensitively against those keywords, and in the US and Canada against the
built-in opt-out words too. ``OPT_OUT`` puts the sender on the opt-out list (EndUserOptedOut
true) and ``OPT_IN`` takes them off, unless self-managed opt-outs are on (then neither happens
and nothing is answered); every keyword that acts is answered with its message, logged and
charged as an outbound ``KEYWORD_RESPONSE``. The inbound message is logged as an ``inbound``
document, noting the two-way channel it went to. Choices: ADR 0010.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import sms
from . import catalog, delivery, routing
from .context import Context
from .kinds import INBOUND
from .ops.identities import PHONE, POOL, Identity, identity_of
from .ops.keywords import KIND as KEYWORD
from .ops.opt_outs import DEFAULT_LIST, opt_in, opt_out

if TYPE_CHECKING:
    from .engine import Sandbox

# Countries where the built-in opt-out words work even when not configured [UG opt-out keywords].
_BUILTIN_OPT_OUT_COUNTRIES = frozenset({"US", "CA"})


def receive(
    sandbox: Sandbox,
    to: str,
    from_: str,
    body: str,
    *,
    account: str | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    """Simulate the message ``body`` from ``from_`` to our number ``to``; return what happened.

    The answer names the inbound ``MessageId``, the ``Keyword`` matched and its ``Action``
    (None when nothing matched), the ``OptOutListName`` concerned, whether the sender was
    ``OptedOut`` or ``OptedIn``, the ``TwoWayChannelArn`` the message went to (if two-way is on),
    and the ``ReplyMessageId`` / ``ReplyBody`` of the keyword's answer (if any).

    Raises ``ValueError`` when ``to`` is no number of the sandbox (in ``account``/``region``
    when given), ``from_`` is not an E.164 number, or ``body`` is blank.
    """
    sender = sms.normalize_e164(from_)
    if not sms.is_e164(sender):
        raise ValueError(f"from_ must be an E.164 phone number, not {from_!r}")
    if not body or not body.strip():
        raise ValueError("body must contain text")
    account, region, phone_id = _owner(sandbox, to, account, region)
    with sandbox.admin(account, region) as ctx:
        phone = identity_of(ctx, PHONE, phone_id)
        assert phone is not None
        return _handle(ctx, phone, sender, body)


def _owner(
    sandbox: Sandbox, to: str, account: str | None, region: str | None
) -> tuple[str, str, str]:
    """The account, region and PhoneNumberId of our number ``to`` (E.164 or a short code)."""
    for spelling in dict.fromkeys((to.strip(), sms.normalize_e164(to))):
        for acct, reg, _, key, _ in sandbox.store.find(PHONE, "PhoneNumber", spelling):
            if account in (None, acct) and region in (None, reg):
                return acct, reg, key
    where = f" in account {account or 'any'}, region {region or 'any'}" if account or region else ""
    raise ValueError(f"{to} is not a phone number of the sandbox{where}")


def _handle(ctx: Context, phone: Identity, sender: str, body: str) -> dict[str, Any]:
    pool = identity_of(ctx, POOL, phone.pool_ids[0]) if phone.pool_ids else None
    owner = pool or phone
    list_name = owner.opt_out_list or DEFAULT_LIST
    self_managed = bool(owner.doc.get("SelfManagedOptOutsEnabled"))
    word, action, answer = _match(ctx, owner, phone.iso_country_code, body)
    opted_out = opted_in = False
    if action == "OPT_OUT" and not self_managed:
        opt_out(ctx, list_name, sender, end_user=True)
        opted_out = True
    elif action == "OPT_IN" and not self_managed:
        opted_in = opt_in(ctx, list_name, sender)
    elif action != "AUTOMATIC_RESPONSE":
        answer = None  # no keyword, or an opt-out keyword the owner manages itself
    channel = owner.doc.get("TwoWayChannelArn") if owner.doc.get("TwoWayEnabled") else None
    inbound = {
        "MessageId": ctx.new_uuid(),
        "Direction": "INBOUND",
        "Channel": "TEXT",
        "Timestamp": ctx.now,
        "OriginationPhoneNumber": sender,
        "DestinationPhoneNumber": phone.phone_number,
        "IsoCountryCode": routing.destination_country(sender),
        "MessageBody": body,
        "Keyword": word,
        "KeywordAction": action,
        "OptOutListName": list_name,
        "TwoWayChannelArn": channel,
        "Status": "RECEIVED",
    }
    ctx.store.put(INBOUND, inbound["MessageId"], inbound)
    reply = _reply(ctx, phone, sender, answer, inbound["MessageId"]) if answer else None
    return {
        "Account": ctx.account,
        "Region": ctx.region,
        "MessageId": inbound["MessageId"],
        "To": phone.phone_number,
        "From": sender,
        "OriginationIdentity": owner.id,
        "Keyword": word,
        "Action": action,
        "OptOutListName": list_name,
        "OptedOut": opted_out,
        "OptedIn": opted_in,
        "SelfManagedOptOutsEnabled": self_managed,
        "TwoWayChannelArn": channel,
        "ReplyMessageId": reply["MessageId"] if reply else None,
        "ReplyBody": answer if reply else None,
    }


def _match(
    ctx: Context, owner: Identity, country: str | None, body: str
) -> tuple[str | None, str | None, str | None]:
    """``(keyword, action, message)`` the body triggers on ``owner``, or three Nones."""
    keywords = {doc["Keyword"]: doc for doc in ctx.store.docs(KEYWORD, owner.id)}
    text = body.strip().upper()
    first = text.split()[0]
    for candidate in (text, first):
        if candidate in keywords:
            doc = keywords[candidate]
            return candidate, doc["KeywordAction"], doc["KeywordMessage"]
    if country in _BUILTIN_OPT_OUT_COUNTRIES and first in catalog.BUILTIN_OPT_OUT_WORDS:
        stop = keywords.get("STOP") or {"KeywordMessage": catalog.DEFAULT_KEYWORDS["STOP"][1]}
        return first, "OPT_OUT", stop["KeywordMessage"]
    return None, None, None


def _reply(
    ctx: Context, phone: Identity, recipient: str, text: str, in_reply_to: str
) -> dict[str, Any]:
    """Send (log and charge) a keyword's answer from ``phone`` to ``recipient``."""
    dest = routing.Destination(recipient, routing.destination_country(recipient))
    segments = sms.segments(text)
    per_part = catalog.sms_price(dest.country)
    fee = 0.0 if dest.simulator else catalog.carrier_fee(dest.country)
    doc = {
        "MessageId": ctx.new_uuid(),
        "Direction": "OUTBOUND",
        "Origin": "KEYWORD_RESPONSE",
        "Channel": "TEXT",
        "Timestamp": ctx.now,
        "OriginationIdentity": phone.id,
        "OriginationIdentityArn": phone.arn,
        "OriginationIdentityType": routing.IDENTITY_TYPES[phone.kind],
        "OriginationPhoneNumber": phone.phone_number,
        "DestinationPhoneNumber": recipient,
        "IsoCountryCode": dest.country,
        "MessageType": phone.doc.get("MessageType"),
        "MessageBody": text,
        "Encoding": segments.encoding,
        "Parts": segments.parts,
        "UnitPrice": per_part,
        "Price": round(segments.parts * per_part, 5),
        "CarrierFee": round(segments.parts * fee, 5),
        "ConfigurationSetName": None,
        "Context": None,
        "TimeToLive": None,
        "InReplyTo": in_reply_to,
        "_International": phone.iso_country_code != dest.country,
    }
    steps = delivery.reply_steps(phone.doc.get("NumberType"))
    delivery.deliver(ctx, doc, steps, None)
    return doc
