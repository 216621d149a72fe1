"""Sender IDs: DescribeSenderIds, and provisioning them (the 2022 API had no call for it).

A sender ID is kept per country under the key ``SenderId/IsoCountryCode`` (its ARN's resource ID).
``Sandbox.add_sender_id`` provisions one as AWS would after a request outside the API; it counts
against the ``SENDER_IDS`` account limit. Pools a sender ID belongs to are listed in its private
``_PoolIds``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...model import load
from .. import review
from ..context import Context
from ..validation import problems, prune
from . import account
from .identities import (
    SENDER,
    Identity,
    describe_identities,
    resolve_identity,
    sender_key,
)
from .tags import initial_tags

# Sender IDs are free in most countries; a registered one may carry a fee (set it explicitly).
DEFAULT_LEASING_PRICE = "0.00"
# Messages per second of a sender ID [UG sms-limitations-mps].
SENDER_ID_MPS = 10


def add_sender_id(
    ctx: Context,
    sender_id: str,
    iso_country_code: str,
    *,
    message_types: Iterable[str] = ("TRANSACTIONAL", "PROMOTIONAL"),
    registered: bool = False,
    registration_id: str | None = None,
    deletion_protection_enabled: bool = False,
    monthly_leasing_price: str = DEFAULT_LEASING_PRICE,
    tags: list[dict[str, str]] | dict[str, str] | None = None,
) -> dict[str, Any]:
    """Provision ``sender_id`` for ``iso_country_code``; return it as DescribeSenderIds shows it.

    Parameters
    ----------
    message_types:
        The message types it may send (``TRANSACTIONAL``, ``PROMOTIONAL``); both by default.
    registered, registration_id:
        Whether (and under which registration) the sender ID is registered.
    deletion_protection_enabled:
        Deletion protection, off by default.
    monthly_leasing_price:
        USD per month as the service writes it (``"0.00"`` by default).
    tags:
        A list of ``{"Key", "Value"}`` or a plain mapping.

    Raises ``ValueError`` for values the model's shapes refuse or a sender ID that exists, and
    ``ServiceError`` (``SENDER_IDS_PER_ACCOUNT``, ``TAGS_PER_RESOURCE``) past a quota.
    """
    if isinstance(tags, dict):
        tags = [{"Key": k, "Value": v} for k, v in tags.items()]
    key = sender_key(sender_id, iso_country_code)
    doc: dict[str, Any] = {
        "SenderIdArn": ctx.arn(SENDER, key),
        "SenderId": sender_id,
        "IsoCountryCode": iso_country_code,
        "MessageTypes": [message_types]
        if isinstance(message_types, str)
        else list(dict.fromkeys(message_types)),
        "MonthlyLeasingPrice": monthly_leasing_price,
        "DeletionProtectionEnabled": deletion_protection_enabled,
        "Registered": registered,
        "RegistrationId": registration_id,
        "MessagingLimits": {"RateLimits": {"SMS": SENDER_ID_MPS}},
        "Tags": tags or [],
    }
    shape = load().shape("SenderIdInformation")
    found = [
        f"{_ARGUMENTS.get(p.path.split('[')[0], p.path)}: {p.message}"
        for p in problems(prune(doc, shape), shape)
    ] + [f"tags{p.path}: {p.message}" for p in problems(doc["Tags"], load().shape("TagList"))]
    if found:
        raise ValueError("invalid sender ID: " + "; ".join(found))
    if ctx.store.get(SENDER, key) is not None:
        raise ValueError(f"the sender ID {sender_id} already exists in {iso_country_code}")
    account.check_limit(ctx, "SENDER_IDS")
    doc["Tags"] = initial_tags(ctx, doc["Tags"])
    doc["CreatedTimestamp"] = ctx.now
    doc["_PoolIds"] = []
    ctx.store.put(SENDER, key, doc)
    return prune(doc, shape)


# Member of SenderIdInformation -> the add_sender_id argument that sets it.
_ARGUMENTS = {
    "SenderId": "sender_id",
    "IsoCountryCode": "iso_country_code",
    "MessageTypes": "message_types",
    "DeletionProtectionEnabled": "deletion_protection_enabled",
    "Registered": "registered",
    "RegistrationId": "registration_id",
    "MonthlyLeasingPrice": "monthly_leasing_price",
}


def describe_sender_ids(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    def resolve(i: int, item: dict[str, Any]) -> Identity:
        return resolve_identity(
            ctx,
            item["SenderId"],
            f"SenderIds[{i}].SenderId",
            kinds=(SENDER,),
            iso_country_code=item["IsoCountryCode"],
            country_field=f"SenderIds[{i}].IsoCountryCode",
        )

    settle_registrations(ctx)  # an approved sender-ID registration provisions its sender ID
    return describe_identities(ctx, params, SENDER, "SenderIds", resolve)


def settle_registrations(ctx: Context) -> None:
    """Take the due review steps of the region's registrations (sender IDs come on approval)."""
    for doc in ctx.store.docs(review.REGISTRATION):
        review.settle(ctx, doc)
