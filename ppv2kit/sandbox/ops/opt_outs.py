"""Opt-out lists and the numbers on them: the six opt-out operations and the opt-out helpers.

An ``opt-out-list`` document (key: its name) carries ``OptOutListName``, ``OptOutListArn``,
``CreatedTimestamp`` and ``Tags``; each opted-out number is an ``opted-out-number`` document
(key: the E.164 number, parent: the list name) with ``OptedOutNumber``, ``OptedOutTimestamp``
and ``EndUserOptedOut``. The ``Default`` list exists from a region's first request
(:func:`ppv2kit.sandbox.ops.account.init_region`) and can't be deleted; a list used by a phone
number or pool can't be deleted either. The API may delete a given number from a list only once
every 30 days of the sandbox clock. Sending and inbound replies use :func:`is_opted_out`,
:func:`opt_out` and :func:`opt_in`. Choices the reference leaves open: ADR 0006.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...sms import normalize_e164
from ..context import Context
from ..errors import conflict, invalid_field, not_found, validation
from ..kinds import OPT_OUT_LIST as KIND
from ..kinds import OPTED_OUT_NUMBER as ENTRY
from ..kinds import PHONE, POOL
from .named import create_named

DEFAULT_LIST = "Default"
# The API deletes a given number from a list at most once in this many seconds [M].
OPT_IN_INTERVAL = 30 * 24 * 3600
# Document kinds whose ``OptOutListName`` keeps a list in use.
USERS = (PHONE, POOL)
# Private member of a list document: number -> when the API last deleted it from the list.
_DELETED = "_ApiDeletedAt"


# -- helpers other families use ---------------------------------------------------------------


def find_opt_out_list(
    ctx: Context, name_or_arn: str, field: str = "OptOutListName"
) -> dict[str, Any]:
    """The opt-out list a name or ARN input designates; ``ResourceNotFoundException`` if none."""
    return ctx.find(KIND, name_or_arn, field)


def is_opted_out(ctx: Context, list_name: str, number: str) -> bool:
    """True when ``number`` (E.164, ``+`` optional) is on the opt-out list ``list_name``."""
    return ctx.store.exists(ENTRY, normalize_e164(number), parent=list_name)


def opt_out(ctx: Context, list_name: str, number: str, end_user: bool) -> dict[str, Any]:
    """Put ``number`` on the list ``list_name`` and return its entry.

    ``end_user`` is True when the recipient asked (a STOP reply), False for an API call. A number
    already on the list keeps its one entry and its first opt-out time; ``EndUserOptedOut``
    becomes True once the end user has asked. Raises ``ResourceNotFoundException`` when the list
    does not exist.
    """
    if ctx.store.get(KIND, list_name) is None:
        raise not_found(KIND, list_name)
    key = normalize_e164(number)
    entry = ctx.store.get(ENTRY, key, parent=list_name)
    if entry is None:
        entry = {"OptedOutNumber": key, "OptedOutTimestamp": ctx.now, "EndUserOptedOut": end_user}
    elif end_user and not entry["EndUserOptedOut"]:
        entry["EndUserOptedOut"] = True
    else:
        return entry
    ctx.store.put(ENTRY, key, entry, parent=list_name)
    return entry


def opt_in(ctx: Context, list_name: str, number: str) -> bool:
    """Take ``number`` off the list ``list_name`` at the recipient's request (an OPT_IN keyword).

    Not bound by the API's once-in-30-days rule. Returns whether the number was on the list.
    """
    return ctx.store.delete(ENTRY, normalize_e164(number), parent=list_name)


def _users(ctx: Context, list_name: str) -> list[str]:
    """IDs of the phone numbers and pools whose opt-out list is ``list_name``."""
    return [
        key
        for kind in USERS
        for key, doc in zip(ctx.store.keys(kind), ctx.store.docs(kind), strict=True)
        if doc.get("OptOutListName") == list_name and doc.get("Status") != "DELETED"
    ]


def _entry_response(doc: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    return {"OptOutListArn": doc["OptOutListArn"], "OptOutListName": doc["OptOutListName"], **entry}


def _in_order(
    ctx: Context, kind: str, keys: Iterable[str], parent: str = ""
) -> list[tuple[int, dict[str, Any]]]:
    """The documents of ``keys`` as ``(seq, doc)`` in creation order, each once."""
    rows: dict[int, dict[str, Any]] = {}
    for key in keys:
        seq = ctx.store.seq(kind, key, parent)
        doc = ctx.store.get(kind, key, parent)
        if seq is not None and doc is not None:
            rows[seq] = doc
    return sorted(rows.items())


# -- opt-out lists ----------------------------------------------------------------------------


def create_opt_out_list(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return create_named(ctx, params, KIND, "opt-out list", "OPT_OUT_LISTS")


def delete_opt_out_list(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_opt_out_list(ctx, params["OptOutListName"])
    name = doc["OptOutListName"]
    if name == DEFAULT_LIST:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            f"The {DEFAULT_LIST} opt-out list can't be deleted.",
            KIND,
            name,
        )
    users = _users(ctx, name)
    if users:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            f"The opt-out list {name!r} is in use by {', '.join(users)}; "
            "associate them with another list first.",
            KIND,
            name,
        )
    ctx.store.delete_all(ENTRY, name)
    ctx.store.delete(KIND, name)
    return doc


def describe_opt_out_lists(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = params.get("OptOutListNames")
    if names and params.get("Owner"):
        raise validation(
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            "The Owner and OptOutListNames parameters can't be used at the same time.",
            [
                ("Owner", "can't be used with OptOutListNames"),
                ("OptOutListNames", "can't be used with Owner"),
            ],
        )
    if names:
        keys = [
            find_opt_out_list(ctx, value, f"OptOutListNames[{i}]")["OptOutListName"]
            for i, value in enumerate(names)
        ]
        rows: Iterable[tuple[int, Any]] = _in_order(ctx, KIND, keys)
    elif params.get("Owner") == "SHARED":
        rows = []  # nothing is shared with a sandbox account
    else:
        rows = ctx.rows(params, KIND)
    return ctx.listing(params, rows)


# -- opted-out numbers ------------------------------------------------------------------------


def put_opted_out_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_opt_out_list(ctx, params["OptOutListName"])
    entry = opt_out(ctx, doc["OptOutListName"], params["OptedOutNumber"], end_user=False)
    return _entry_response(doc, entry)


def delete_opted_out_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_opt_out_list(ctx, params["OptOutListName"])
    name = doc["OptOutListName"]
    number = normalize_e164(params["OptedOutNumber"])
    entry = ctx.store.get(ENTRY, number, parent=name)
    if entry is None:
        raise not_found(ENTRY, number)
    deleted = {n: t for n, t in doc.get(_DELETED, {}).items() if ctx.now - t < OPT_IN_INTERVAL}
    if number in deleted:
        days = (deleted[number] + OPT_IN_INTERVAL - ctx.now) / 86400
        raise invalid_field(
            "PHONE_NUMBER_CANNOT_BE_OPTED_IN",
            "OptedOutNumber",
            f"{number} was already deleted from {name!r} in the last 30 days; "
            f"it can be deleted again in {days:.1f} days",
        )
    ctx.store.delete(ENTRY, number, parent=name)
    doc[_DELETED] = {**deleted, number: ctx.now}
    ctx.store.put(KIND, name, doc)
    return _entry_response(doc, entry)


def describe_opted_out_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_opt_out_list(ctx, params["OptOutListName"])
    name = doc["OptOutListName"]
    numbers = params.get("OptedOutNumbers")
    if numbers:
        keys = [normalize_e164(n) for n in numbers]
        for key in keys:
            if ctx.store.get(ENTRY, key, parent=name) is None:
                raise not_found(ENTRY, key)
        rows: Iterable[tuple[int, Any]] = _in_order(ctx, ENTRY, keys, parent=name)
    else:
        rows = ctx.rows(params, ENTRY, parent=name)
    return ctx.listing(
        params, rows, OptOutListArn=doc["OptOutListArn"], OptOutListName=doc["OptOutListName"]
    )
