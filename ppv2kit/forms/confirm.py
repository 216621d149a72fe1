"""What a costly or destructive call will do, in words, before the second confirmation.

Send*, Request*, Release* and Delete* calls need an explicit confirmation (a DryRun send does
not: nothing is sent). :func:`describe` says what will happen: a message is sent to N recipients
(with parts, encoding and an estimated price), a number costs $X a month, this cannot be undone.
Prices come from the sandbox's price list only when the kit's backend is the sandbox; against AWS
the text says where the price is shown instead of guessing it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .. import prices, sms

COSTLY_PREFIXES = ("Send", "Request", "Release", "Delete")

AWS_PRICING = "https://aws.amazon.com/end-user-messaging/pricing/"

# Extra consequences worth saying for some deletions [service-behaviour §2].
NOTES: dict[str, str] = {
    "DeleteOptOutList": "Every opted-out number on the list is deleted with it.",
    "DeletePool": "Its phone numbers and sender IDs stay in the account, outside any pool.",
    "DeleteConfigurationSet": "Its event destinations are deleted with it.",
    "DeleteOptedOutNumber": "The number can receive messages again from identities using the "
    "list (each number can be deleted from a list only once every 30 days).",
    "DeleteKeyword": "Inbound messages with this keyword are no longer answered.",
    "DeleteEventDestination": "Events stop flowing to this destination.",
}

_MESSAGE_KIND: dict[str, str] = {
    "SendTextMessage": "a text message (SMS)",
    "SendVoiceMessage": "a voice call",
    "SendMediaMessage": "a media message (MMS)",
    "SendRcsMessage": "an RCS message",
    "SendNotifyTextMessage": "a notification text message",
    "SendNotifyVoiceMessage": "a notification voice call",
    "SendDestinationNumberVerificationCode": "a verification code",
}


def needs_confirmation(operation: str, params: Mapping[str, Any]) -> bool:
    """True for Send*, Request*, Release*, Delete* calls, unless ``DryRun`` is true."""
    return operation.startswith(COSTLY_PREFIXES) and not params.get("DryRun")


def sandbox_prices(kit: Any) -> ModuleType | None:
    """The sandbox's price list when ``kit`` talks to the sandbox, else ``None``.

    The forms never price AWS calls from it.
    """
    return prices if getattr(kit, "backend", None) == "SANDBOX" else None


@dataclass(frozen=True)
class Estimate:
    """Encoding, parts and (where known) price of one text message to one destination."""

    segments: sms.Segments
    country: str | None
    price: float | None
    per_part: float | None

    @property
    def encoding_name(self) -> str:
        """``GSM-7`` or ``UCS-2``."""
        return "GSM-7" if self.segments.encoding == "GSM" else "UCS-2"

    @property
    def price_text(self) -> str:
        """``≈ $0.0116 (2 parts × $0.00581, US, sandbox price list)`` or why it is unknown."""
        if self.segments.parts == 0:
            return "price: no message yet"
        if self.price is None:
            if self.per_part is None and self.country is not None:
                return (
                    f"price unknown: AWS bills each part at the {self.country} rate ({AWS_PRICING})"
                )
            return "price unknown: enter the destination number"
        return (
            f"≈ ${self.price:.4f} ({self.segments.parts} part"
            f"{'s' if self.segments.parts != 1 else ''} × ${self.per_part:.5f}, "
            f"{self.country}, sandbox price list)"
        )


def estimate(kit: Any, destination: str | None, body: str) -> Estimate:
    """Parts and estimated price of ``body`` sent to ``destination`` through ``kit``."""
    seg = sms.segments(body or "")
    country = sms.country_of(destination) if destination and sms.is_e164(destination) else None
    prices = sandbox_prices(kit)
    per_part = prices.sms_price(country) if prices is not None and country else None
    price = per_part * seg.parts if per_part is not None else None
    return Estimate(seg, country, price, per_part)


def _words(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()
    return words.replace("opt out", "opt-out").replace("opted out", "opted-out")


def _named(params: Mapping[str, Any], labels: Mapping[str, str], names: list[str]) -> str:
    parts = []
    for name in names:
        value = params.get(name)
        if value is None or isinstance(value, bool | dict | list):
            continue
        label = labels.get(name)
        parts.append(f"{label} ({value})" if label and label != value else str(value))
    return ", ".join(parts)


def _send(kit: Any, operation: str, params: Mapping[str, Any]) -> str:
    what = _MESSAGE_KIND.get(operation, f"a message ({operation})")
    to = params.get("DestinationPhoneNumber") or params.get("VerifiedDestinationNumberId") or "?"
    country = sms.country_of(str(to)) if sms.is_e164(str(to)) else None
    where = f"{sms.pretty(str(to)) if country else to}" + (f", {country}" if country else "")
    text = f"{what[0].upper()}{what[1:]} will be sent to 1 recipient ({where})."
    if operation == "SendTextMessage" and params.get("MessageBody"):
        est = estimate(kit, str(to), str(params["MessageBody"]))
        seg = est.segments
        text += (
            f" {seg.parts} part{'s' if seg.parts != 1 else ''}, {est.encoding_name}, "
            f"{est.price_text}."
        )
    return text + " A sent message cannot be recalled."


def _request(kit: Any, operation: str, params: Mapping[str, Any]) -> str:
    if operation == "RequestPhoneNumber":
        country, kind = params.get("IsoCountryCode", "?"), params.get("NumberType", "?")
        caps = "/".join(params.get("NumberCapabilities") or ())
        text = (
            f"A new {kind} phone number in {country} will be leased for "
            f"{params.get('MessageType', '?')} messages" + (f" ({caps})." if caps else ".")
        )
        prices = sandbox_prices(kit)
        if prices is not None:
            monthly = prices.leasing_price(str(country), str(kind))
            return text + f" It costs ${monthly} a month (sandbox price list) until released."
        return text + (
            " It is billed every month until you release it; the monthly price is shown in "
            f"the AWS console and at {AWS_PRICING}."
        )
    thing = _words(operation.removeprefix("Request"))
    named = _named(params, {}, ["SenderId", "IsoCountryCode"])
    return (
        f"A new {thing}{' ' + named if named else ''} will be requested; it may carry a monthly "
        f"fee, shown in the AWS console and at {AWS_PRICING}."
    )


def describe(
    kit: Any, operation: str, params: Mapping[str, Any], labels: Mapping[str, str] | None = None
) -> str:
    """What calling ``operation`` with ``params`` will do, in one or two sentences.

    Parameters
    ----------
    kit:
        The kit (only its ``backend`` is read, to decide whether prices are known).
    operation:
        The operation's model name.
    params:
        The request.
    labels:
        Readable labels of picked resources by member name (``+1 206-555-0100 · ...``).
    """
    labels = labels or {}
    if operation.startswith("Send"):
        return _send(kit, operation, params)
    if operation.startswith("Request"):
        return _request(kit, operation, params)
    identifiers = [k for k, v in params.items() if isinstance(v, str) and k != "ClientToken"]
    named = _named(params, labels, identifiers)
    if operation.startswith("Release"):
        thing = _words(operation.removeprefix("Release"))
        return (
            f"The {thing} {named} will be released. This cannot be undone: a released "
            f"{thing} cannot be obtained again."
        )
    if operation.startswith("Delete"):
        thing = _words(operation.removeprefix("Delete"))
        if thing.endswith("spend limit override"):
            return (
                f"The {thing} will be removed: the monthly limit goes back to the account's "
                "maximum. You can set a new override later."
            )
        note = NOTES.get(operation, "")
        return " ".join(
            s
            for s in (
                f"The {thing} {named} will be deleted.".replace("  ", " "),
                note,
                "This cannot be undone.",
            )
            if s
        )
    return f"{operation} will be called."
