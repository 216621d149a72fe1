"""Verified destination numbers: the numbers a SANDBOX-tier account may send to.

Create (status PENDING), SendDestinationNumberVerificationCode (a code "sent" to the number; the
sandbox keeps it where :func:`verification_code` and ``Sandbox.verification_code`` can read it,
since nobody holds the phone), VerifyDestinationNumber (VERIFIED on the right code; a wrong code
is ``VERIFICATION_CODE_MISMATCH``, a code older than 24 hours ``VERIFICATION_CODE_EXPIRED``, a
verified number ``VERIFICATION_ALREADY_COMPLETE``), Describe and Delete.
``Sandbox.verify_destination`` provisions an already verified number in one step (tests, seeds).
"""

from __future__ import annotations

from typing import Any

from ... import sms
from ..context import Context
from ..errors import conflict, invalid_field, quota
from ..kinds import VERIFIED_DESTINATION as KIND
from .account import check_limit
from .tags import initial_tags

CODE_LIFETIME = 24 * 3600
CODES_PER_DAY = 5


def _find(ctx: Context, value: str, field: str = "VerifiedDestinationNumberId") -> dict[str, Any]:
    return ctx.find(KIND, value, field)


def _new(
    ctx: Context, number: str, status: str, tags: list[dict[str, str]] | None
) -> dict[str, Any]:
    number = sms.normalize_e164(number)
    for doc in ctx.store.docs(KIND):
        if doc["DestinationPhoneNumber"] == number:
            raise conflict(
                "RESOURCE_ALREADY_EXISTS",
                f"{number} is already a verified destination number.",
                KIND,
                doc["VerifiedDestinationNumberId"],
            )
    check_limit(ctx, "VERIFIED_DESTINATION_NUMBERS")
    ident = ctx.new_id("vdn")
    doc = {
        "VerifiedDestinationNumberArn": ctx.arn(KIND, ident),
        "VerifiedDestinationNumberId": ident,
        "DestinationPhoneNumber": number,
        "Status": status,
        "CreatedTimestamp": ctx.now,
        "Tags": initial_tags(ctx, tags),
        "_Codes": [],
    }
    ctx.store.put(KIND, ident, doc)
    return doc


def is_verified(ctx: Context, number: str) -> bool:
    """True when ``number`` is a VERIFIED destination of this account and region."""
    number = sms.normalize_e164(number)
    return any(
        d["DestinationPhoneNumber"] == number and d["Status"] == "VERIFIED"
        for d in ctx.store.docs(KIND)
    )


def add_verified_destination(ctx: Context, phone_number: str) -> dict[str, Any]:
    """Provision ``phone_number`` as already VERIFIED (what a person with the phone would do)."""
    number = sms.normalize_e164(phone_number)
    for doc in ctx.store.docs(KIND):
        if doc["DestinationPhoneNumber"] == number:
            doc["Status"] = "VERIFIED"
            ctx.store.put(KIND, doc["VerifiedDestinationNumberId"], doc)
            return doc
    return _new(ctx, number, "VERIFIED", None)


def verification_code(ctx: Context, verified_destination_number_id: str) -> str | None:
    """The latest code sent to a verified destination number, or None."""
    doc = _find(ctx, verified_destination_number_id)
    return doc["_Codes"][-1]["Code"] if doc["_Codes"] else None


def create_verified_destination_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _new(ctx, params["DestinationPhoneNumber"], "PENDING", params.get("Tags"))


def delete_verified_destination_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = _find(ctx, params["VerifiedDestinationNumberId"])
    ctx.store.delete(KIND, doc["VerifiedDestinationNumberId"])
    return doc


def describe_verified_destination_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ids = params.get("VerifiedDestinationNumberIds") or []
    numbers = {sms.normalize_e164(n) for n in params.get("DestinationPhoneNumbers") or []}
    wanted = {_find(ctx, i)["VerifiedDestinationNumberId"] for i in ids}
    rows = (
        (seq, doc)
        for seq, doc in ctx.rows(params, KIND)
        if (not wanted or doc["VerifiedDestinationNumberId"] in wanted)
        and (not numbers or doc["DestinationPhoneNumber"] in numbers)
    )
    return ctx.listing(params, rows)


def send_destination_number_verification_code(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    doc = _find(ctx, params["VerifiedDestinationNumberId"])
    if doc["Status"] == "VERIFIED":
        raise conflict(
            "VERIFICATION_ALREADY_COMPLETE",
            f"{doc['DestinationPhoneNumber']} is already verified.",
            KIND,
            doc["VerifiedDestinationNumberId"],
        )
    recent = [c for c in doc["_Codes"] if ctx.now - c["At"] < 24 * 3600]
    if len(recent) >= CODES_PER_DAY:
        raise quota(
            "VERIFICATION_ATTEMPTS_PER_DAY",
            f"At most {CODES_PER_DAY} verification codes a day may be sent to a number.",
        )
    code = f"{ctx.random.randrange(10**6):06d}"
    doc["_Codes"] = [*recent, {"Code": code, "At": ctx.now}]
    ctx.store.put(KIND, doc["VerifiedDestinationNumberId"], doc)
    return {"MessageId": ctx.new_uuid()}


def verify_destination_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = _find(ctx, params["VerifiedDestinationNumberId"])
    ident = doc["VerifiedDestinationNumberId"]
    if doc["Status"] == "VERIFIED":
        raise conflict(
            "VERIFICATION_ALREADY_COMPLETE", "The number is already verified.", KIND, ident
        )
    codes = doc["_Codes"]
    if not codes or codes[-1]["Code"] != params["VerificationCode"]:
        raise invalid_field(
            "VERIFICATION_CODE_MISMATCH", "VerificationCode", "does not match the code sent"
        )
    if ctx.now - codes[-1]["At"] > CODE_LIFETIME:
        raise conflict("VERIFICATION_CODE_EXPIRED", "The verification code expired.", KIND, ident)
    doc["Status"] = "VERIFIED"
    ctx.store.put(KIND, ident, doc)
    return doc
