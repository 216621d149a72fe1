"""Keywords on phone numbers and pools: PutKeyword, DeleteKeyword, DescribeKeywords.

A keyword is stored upper-case (the service matches them case-insensitively) under its phone
number or pool. Every number and pool has the mandatory HELP and STOP keywords: their messages
may change, their actions may not (``RESOURCE_MODIFICATION_NOT_ALLOWED``) and they can't be
deleted (``RESOURCE_DELETION_NOT_ALLOWED``). An identity holds at most the
``KEYWORDS_PER_IDENTITY`` quota of keywords, HELP and STOP included.
"""

from __future__ import annotations

from typing import Any

from ...model import load
from .. import catalog
from ..context import Context
from ..errors import conflict, invalid_field, not_found, quota
from ..kinds import KEYWORD as KIND
from .account import quota_value
from .identities import PHONE, POOL, Identity, resolve_identity

_DEFAULT_ACTION = "AUTOMATIC_RESPONSE"


def add_default_keywords(ctx: Context, identity_id: str) -> None:
    """Give a new phone number or pool the mandatory HELP and STOP keywords."""
    ctx.store.put_many(
        KIND,
        (
            (word, {"Keyword": word, "KeywordMessage": message, "KeywordAction": action})
            for word, (action, message) in catalog.DEFAULT_KEYWORDS.items()
        ),
        parent=identity_id,
    )


def copy_keywords(ctx: Context, source_id: str, target_id: str) -> None:
    """Give ``target_id`` (a new pool) every keyword of ``source_id``, in the same order."""
    ctx.store.put_many(
        KIND, ((doc["Keyword"], doc) for doc in ctx.store.docs(KIND, source_id)), parent=target_id
    )


def keyword_map(ctx: Context, identity_id: str) -> dict[str, str]:
    """Keyword -> action of a phone number or pool (what pool membership compares)."""
    return {doc["Keyword"]: doc["KeywordAction"] for doc in ctx.store.docs(KIND, identity_id)}


def _identity(ctx: Context, params: dict[str, Any]) -> Identity:
    return resolve_identity(
        ctx, params["OriginationIdentity"], "OriginationIdentity", kinds=(PHONE, POOL)
    )


def _answer(identity: Identity, doc: dict[str, Any]) -> dict[str, Any]:
    return {"OriginationIdentityArn": identity.arn, "OriginationIdentity": identity.id, **doc}


def put_keyword(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    identity = _identity(ctx, params)
    raw = params["Keyword"]
    if raw != raw.strip():
        raise invalid_field("INVALID_PARAMETER", "Keyword", "may not start or end with a space")
    word = raw.upper()
    longest = load().shape("Keyword").max
    if longest is not None and len(word) > longest:  # "ß".upper() == "SS": stored words fit
        raise invalid_field(
            "INVALID_PARAMETER", "Keyword", f"is longer than {longest} characters in upper case"
        )
    existing = ctx.store.get(KIND, word, parent=identity.id)
    action = params.get("KeywordAction")
    if word in catalog.MANDATORY_KEYWORDS:
        fixed = catalog.DEFAULT_KEYWORDS[word][0]
        if action is not None and action != fixed:
            raise conflict(
                "RESOURCE_MODIFICATION_NOT_ALLOWED",
                f"The action of the {word} keyword is {fixed} and can't be changed.",
                KIND,
                word,
            )
        action = fixed
    if existing is None:
        limit = quota_value(ctx, "KEYWORDS_PER_IDENTITY")
        if ctx.store.count(KIND, identity.id) + 1 > limit:
            reason = "KEYWORDS_PER_POOL" if identity.kind == POOL else "KEYWORDS_PER_PHONE_NUMBER"
            raise quota(reason, f"{identity.id} already has the maximum of {limit} keywords.")
    doc = {
        "Keyword": word,
        "KeywordMessage": params["KeywordMessage"],
        "KeywordAction": action or _DEFAULT_ACTION,
    }
    ctx.store.put(KIND, word, doc, parent=identity.id)
    return _answer(identity, doc)


def delete_keyword(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    identity = _identity(ctx, params)
    word = params["Keyword"].upper()
    if word in catalog.MANDATORY_KEYWORDS:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            f"The {word} keyword is mandatory and can't be deleted.",
            KIND,
            word,
        )
    doc = ctx.store.get(KIND, word, parent=identity.id)
    if doc is None:
        raise not_found(KIND, params["Keyword"])
    ctx.store.delete(KIND, word, parent=identity.id)
    return _answer(identity, doc)


def describe_keywords(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    identity = _identity(ctx, params)
    rows = ctx.rows(params, KIND, identity.id)
    if params.get("Keywords"):
        wanted = set()
        for raw in params["Keywords"]:
            word = raw.upper()
            if ctx.store.get(KIND, word, parent=identity.id) is None:
                raise not_found(KIND, raw)
            wanted.add(word)
        rows = ((seq, doc) for seq, doc in rows if doc["Keyword"] in wanted)
    return ctx.listing(
        params, rows, OriginationIdentity=identity.id, OriginationIdentityArn=identity.arn
    )
