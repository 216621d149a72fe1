"""Sender-ID self-service: RequestSenderId, UpdateSenderId, ReleaseSenderId.

RequestSenderId provisions at once a sender ID in a country that allows one without registration;
a country whose sender IDs need a registration (``registration_catalog
.SENDER_ID_REGISTRATION_COUNTRIES``) answers ``SENDER_ID_REQUIRES_REGISTRATION`` (the sender ID
comes when its ``<CC>_SENDER_ID_REGISTRATION`` is approved), one without alphanumeric sender IDs
``SENDER_ID_NOT_SUPPORTED``. Release is refused with deletion protection, in a pool, or while its
registration is under review. Choices: ADR 0015.
"""

from __future__ import annotations

from typing import Any

from .. import registration_catalog as catalog
from ..context import Context
from ..errors import conflict, invalid_field
from . import registrations
from .identities import SENDER, resolve_identity, sender_key
from .sender_ids import add_sender_id


def request_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    sender, country = params["SenderId"], params["IsoCountryCode"]
    if country in catalog.SENDER_ID_UNSUPPORTED_COUNTRIES:
        raise invalid_field(
            "SENDER_ID_NOT_SUPPORTED",
            "IsoCountryCode",
            f"{country} does not support alphanumeric sender IDs; use a phone number",
        )
    if country in catalog.SENDER_ID_REGISTRATION_COUNTRIES:
        form = f"{country}_SENDER_ID_REGISTRATION"
        how = (
            f"create a {form} registration; the sender ID is provisioned when it is approved"
            if form in catalog.TYPES
            else "register it with AWS Support"
        )
        raise invalid_field(
            "SENDER_ID_REQUIRES_REGISTRATION",
            "SenderId",
            f"a sender ID in {country} needs a registration: {how}",
        )
    if sender.isdigit():
        raise invalid_field(
            "INVALID_PARAMETER", "SenderId", "must contain at least one letter (alphanumeric)"
        )
    key = sender_key(sender, country)
    if ctx.store.get(SENDER, key) is not None:
        raise conflict(
            "RESOURCE_ALREADY_EXISTS",
            f"The sender ID {sender} already exists in {country}.",
            SENDER,
            sender,
        )
    add_sender_id(
        ctx,
        sender,
        country,
        message_types=params.get("MessageTypes") or ("TRANSACTIONAL", "PROMOTIONAL"),
        deletion_protection_enabled=params.get("DeletionProtectionEnabled", False),
        tags=params.get("Tags"),
    )
    return ctx.store.get(SENDER, key) or {}


def _find(ctx: Context, params: dict[str, Any]):
    return resolve_identity(
        ctx,
        params["SenderId"],
        "SenderId",
        kinds=(SENDER,),
        iso_country_code=params["IsoCountryCode"],
    )


def update_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    found = _find(ctx, params)
    if params.get("DeletionProtectionEnabled") is not None:
        found.doc["DeletionProtectionEnabled"] = params["DeletionProtectionEnabled"]
        ctx.store.put(SENDER, found.key, found.doc)
    return found.doc


def release_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    found = _find(ctx, params)
    doc = found.doc
    if doc.get("DeletionProtectionEnabled"):
        raise conflict(
            "DELETION_PROTECTION_ENABLED",
            f"The sender ID {doc['SenderId']} has deletion protection enabled.",
            SENDER,
            doc["SenderId"],
        )
    if doc.get("_PoolIds"):
        raise conflict(
            "SENDER_ID_ASSOCIATED_TO_POOL",
            f"The sender ID {doc['SenderId']} is in the pool {doc['_PoolIds'][0]}; "
            "disassociate it first.",
            SENDER,
            doc["SenderId"],
        )
    registrations.before_release(ctx, SENDER, found.key, doc)
    ctx.store.delete(SENDER, found.key)
    return doc
