"""Pools of origination identities: create, update, delete, describe, (dis)associate, list members.

A pool starts from one phone number or sender ID and copies its keywords, opt-out list, two-way
and self-managed opt-out settings; it is ``CREATING`` until ``Sandbox.provisioning_delay`` seconds
of sandbox time have passed. Membership is kept on the identities: a phone number's ``PoolId``
(one pool at most), a sender ID's private ``_PoolIds`` (any number of pools). Every identity that
joins must match the pool (``*_MISMATCH`` conflicts, see :func:`check_can_join`); the last
identity can't leave (``LAST_PHONE_NUMBER``). Deleting a pool frees its members at once.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from .. import arns
from ..context import Context
from ..errors import ServiceError, conflict, invalid_field, quota
from ..kinds import NOTIFY_CONFIGURATION
from . import account, tags
from .identities import (
    PHONE,
    POOL,
    SENDER,
    Identity,
    describe_identities,
    identity_from_doc,
    resolve_identity,
    update_identity,
)
from .keywords import KIND as KEYWORD
from .keywords import add_default_keywords, copy_keywords, keyword_map

# Settings a pool copies from the identity it starts with (a phone number).
_COPIED = (
    "OptOutListName",
    "TwoWayEnabled",
    "TwoWayChannelArn",
    "TwoWayChannelRole",
    "SelfManagedOptOutsEnabled",
)
_UPDATABLE = (
    "TwoWayEnabled",
    "TwoWayChannelArn",
    "TwoWayChannelRole",
    "SelfManagedOptOutsEnabled",
    "SharedRoutesEnabled",
    "DeletionProtectionEnabled",
)


# -- membership ----------------------------------------------------------------------------------


def member_rows(ctx: Context, pool_id: str, after: int = 0) -> Iterator[tuple[int, Identity]]:
    """``(seq, identity)`` of a pool's phone numbers and sender IDs, in creation order."""
    phones = (
        (seq, PHONE, doc) for seq, doc in ctx.store.find(PHONE, "PoolId", pool_id) if seq > after
    )
    senders = (
        (seq, SENDER, doc)
        for seq, doc in ctx.store.find(SENDER, "_PoolIds", pool_id)
        if seq > after
    )
    for seq, kind, doc in heapq.merge(phones, senders, key=lambda row: row[0]):
        yield seq, identity_from_doc(ctx, kind, doc)


def members(ctx: Context, pool_id: str) -> list[Identity]:
    """The origination identities of a pool, in creation order."""
    return [identity for _, identity in member_rows(ctx, pool_id)]


def _join(identity: Identity, pool_id: str) -> None:
    if identity.kind == PHONE:
        identity.doc["PoolId"] = pool_id
    else:
        identity.doc["_PoolIds"] = [*identity.doc.get("_PoolIds", []), pool_id]


def _leave(identity: Identity, pool_id: str) -> None:
    if identity.kind == PHONE:
        identity.doc.pop("PoolId", None)
    else:
        identity.doc["_PoolIds"] = [p for p in identity.doc.get("_PoolIds", []) if p != pool_id]


def _mismatch(reason: str, what: str, identity: Identity, pool: Identity) -> ServiceError:
    return conflict(
        reason,
        f"The {what} of {identity.id} does not match the pool {pool.id}.",
        identity.kind,
        identity.id,
    )


def check_can_join(
    ctx: Context, pool: Identity, identity: Identity, *, compare_keywords: bool = True
) -> None:
    """Raise unless ``identity`` may join ``pool`` now.

    The pool must be ACTIVE and not full; a phone number must be ACTIVE, in no pool yet, and
    share the pool's message type, opt-out list, two-way and self-managed opt-out settings,
    keywords (words and actions) and at least one capability; a sender ID must allow the
    pool's message type and not be in the pool already.
    """
    if pool.status != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE", f"The pool {pool.id} is {pool.status}.", POOL, pool.id
        )
    if pool.id in identity.pool_ids:
        raise conflict(
            "RESOURCE_ALREADY_ASSOCIATED",
            f"{identity.id} is already in the pool {pool.id}.",
            identity.kind,
            identity.id,
        )
    if identity.kind == PHONE:
        _check_phone_can_join(ctx, pool, identity, compare_keywords)
    else:
        types = identity.doc.get("MessageTypes") or []
        if types and pool.doc["MessageType"] not in types:
            raise _mismatch("MESSAGE_TYPE_MISMATCH", "message types", identity, pool)
    if not set(identity.capabilities) & set(pool.capabilities):
        raise _mismatch("NUMBER_CAPABILITIES_MISMATCH", "capabilities", identity, pool)
    limit = account.quota_value(ctx, "ORIGINATION_IDENTITIES_PER_POOL")
    if len(members(ctx, pool.id)) + 1 > limit:
        raise quota(
            "ORIGINATION_IDENTITIES_PER_POOL",
            f"The pool {pool.id} already has the maximum of {limit} origination identities.",
        )


def _check_phone_can_join(
    ctx: Context, pool: Identity, number: Identity, compare_keywords: bool
) -> None:
    if number.pool_ids:
        raise conflict(
            "PHONE_NUMBER_ASSOCIATED_TO_POOL",
            f"The phone number {number.id} is already in the pool {number.pool_ids[0]}.",
            PHONE,
            number.id,
        )
    if number.status != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE",
            f"The phone number {number.id} is {number.status}.",
            PHONE,
            number.id,
        )
    doc, pool_doc = number.doc, pool.doc
    if doc["MessageType"] != pool_doc["MessageType"]:
        raise _mismatch("MESSAGE_TYPE_MISMATCH", "message type", number, pool)
    if doc["OptOutListName"] != pool_doc["OptOutListName"]:
        raise _mismatch("OPT_OUT_LIST_MISMATCH", "opt-out list", number, pool)
    if bool(doc.get("TwoWayEnabled")) != bool(pool_doc.get("TwoWayEnabled")) or (
        pool_doc.get("TwoWayEnabled")
        and doc.get("TwoWayChannelArn") != pool_doc.get("TwoWayChannelArn")
    ):
        raise _mismatch("TWO_WAY_CONFIG_MISMATCH", "two-way configuration", number, pool)
    if bool(doc.get("SelfManagedOptOutsEnabled")) != bool(
        pool_doc.get("SelfManagedOptOutsEnabled")
    ):
        raise _mismatch("SELF_MANAGED_OPT_OUTS_MISMATCH", "self-managed opt-outs", number, pool)
    if compare_keywords and keyword_map(ctx, number.id) != keyword_map(ctx, pool.id):
        raise _mismatch("KEYWORD_MISMATCH", "keywords", number, pool)


def _identity_param(ctx: Context, params: dict[str, Any]) -> Identity:
    value, country = params["OriginationIdentity"], params.get("IsoCountryCode")
    if arns.kind_of(value) == SENDER and not country:
        raise invalid_field(
            "INVALID_ARN",
            "OriginationIdentity",
            f"{value!r} is a sender ID; IsoCountryCode is required with it",
        )
    identity = resolve_identity(
        ctx, value, "OriginationIdentity", kinds=(PHONE, SENDER), iso_country_code=country
    )
    if identity.kind == PHONE and country and country != identity.iso_country_code:
        raise invalid_field(
            "COUNTRY_CODE_MISMATCH",
            "IsoCountryCode",
            f"{country} does not match the country {identity.iso_country_code} of {identity.id}",
        )
    return identity


def _pool_param(ctx: Context, params: dict[str, Any]) -> Identity:
    return resolve_identity(ctx, params["PoolId"], "PoolId", kinds=(POOL,))


# -- operations ----------------------------------------------------------------------------------


def create_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    identity = _identity_param(ctx, params)
    message_type = params["MessageType"]
    pool_id = ctx.new_id("pool")
    doc: dict[str, Any] = {
        "PoolArn": ctx.arn(POOL, pool_id),
        "PoolId": pool_id,
        "Status": "CREATING",
        "MessageType": message_type,
        "TwoWayEnabled": False,
        "SelfManagedOptOutsEnabled": False,
        "OptOutListName": "Default",
        "SharedRoutesEnabled": False,
        "DeletionProtectionEnabled": params.get("DeletionProtectionEnabled", False),
        "CreatedTimestamp": ctx.now,
        "_ReadyAt": ctx.now + ctx.sandbox.provisioning_delay,
        "_NumberCapabilities": identity.capabilities,
    }
    if identity.kind == PHONE:
        doc.update({name: identity.doc[name] for name in _COPIED if name in identity.doc})
    # The seed identity joins a pool that already has its configuration: check it as ACTIVE.
    seed_view = Identity(POOL, pool_id, pool_id, doc["PoolArn"], {**doc, "Status": "ACTIVE"})
    check_can_join(ctx, seed_view, identity, compare_keywords=False)
    account.check_limit(ctx, "POOLS")
    doc["Tags"] = tags.initial_tags(ctx, params.get("Tags"))

    ctx.store.put(POOL, pool_id, doc)
    if identity.kind == PHONE:
        copy_keywords(ctx, identity.id, pool_id)
    else:
        add_default_keywords(ctx, pool_id)
    _join(identity, pool_id)
    identity.save(ctx)
    return doc


def update_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return update_identity(ctx, _pool_param(ctx, params), params, _UPDATABLE)


def delete_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_param(ctx, params)
    if pool.doc.get("DeletionProtectionEnabled"):
        raise conflict(
            "DELETION_PROTECTION_ENABLED",
            f"The pool {pool.id} has deletion protection enabled.",
            POOL,
            pool.id,
        )
    if pool.status != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE", f"The pool {pool.id} is {pool.status}.", POOL, pool.id
        )
    _check_not_in_use(ctx, pool)
    for member in members(ctx, pool.id):
        _leave(member, pool.id)
        member.save(ctx)
    ctx.store.delete_all(KEYWORD, pool.id)
    ctx.store.delete(POOL, pool.key)
    return {**pool.doc, "Status": "DELETING"}


def _check_not_in_use(ctx: Context, pool: Identity) -> None:
    """A pool a notify configuration sends from, or an RCS agent's, can't be deleted (ADR 20)."""
    for doc in ctx.store.docs(NOTIFY_CONFIGURATION):
        if doc.get("PoolId") == pool.id:
            raise conflict(
                "POOL_ASSOCIATED_TO_NOTIFY_CONFIGURATION",
                f"The pool {pool.id} is the pool of the notify configuration "
                f"{doc['NotifyConfigurationId']}.",
                POOL,
                pool.id,
            )


def describe_pools(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return describe_identities(ctx, params, POOL, "PoolIds")


def _association(pool: Identity, identity: Identity) -> dict[str, Any]:
    return {
        "PoolArn": pool.arn,
        "PoolId": pool.id,
        "OriginationIdentityArn": identity.arn,
        "OriginationIdentity": identity.id,
        "IsoCountryCode": identity.iso_country_code,
    }


def associate_origination_identity(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_param(ctx, params)
    identity = _identity_param(ctx, params)
    check_can_join(ctx, pool, identity)
    _join(identity, pool.id)
    identity.save(ctx)
    return _association(pool, identity)


def disassociate_origination_identity(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_param(ctx, params)
    identity = _identity_param(ctx, params)
    if pool.id not in identity.pool_ids:
        raise conflict(
            "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL",
            f"{identity.id} is not in the pool {pool.id}.",
            identity.kind,
            identity.id,
        )
    if len(members(ctx, pool.id)) == 1:
        raise conflict(
            "LAST_PHONE_NUMBER",
            f"{identity.id} is the last origination identity of the pool {pool.id}.",
            identity.kind,
            identity.id,
        )
    _leave(identity, pool.id)
    identity.save(ctx)
    return _association(pool, identity)


def list_pool_origination_identities(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_param(ctx, params)
    rows = (
        (
            seq,
            {
                "OriginationIdentityArn": m.arn,
                "OriginationIdentity": m.id,
                "IsoCountryCode": m.iso_country_code,
                "NumberCapabilities": m.capabilities,
                "PhoneNumber": m.phone_number,
            },
        )
        for seq, m in member_rows(ctx, pool.id, after=ctx.position(params))
    )
    return ctx.listing(params, rows, PoolArn=pool.arn, PoolId=pool.id)
