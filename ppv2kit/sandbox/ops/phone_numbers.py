"""Phone numbers: RequestPhoneNumber, DescribePhoneNumbers, UpdatePhoneNumber, ReleasePhoneNumber.

A requested number answers ``PENDING`` and becomes ``ACTIVE`` once ``Sandbox.provisioning_delay``
seconds of sandbox time have passed (at once by default). It starts on the ``Default`` opt-out
list unless another is named, with the mandatory HELP and STOP keywords, deletion protection and
international sending off. A number in a pool can be neither updated nor released
(``PHONE_NUMBER_ASSOCIATED_TO_POOL``), and one with deletion protection is not released
(``DELETION_PROTECTION_ENABLED``); releasing removes the number and its keywords for good.
"""

from __future__ import annotations

from typing import Any

import phonenumbers

from .. import catalog
from ..context import Context
from ..errors import conflict, invalid_field
from . import account, registrations, tags
from .identities import (
    PHONE,
    POOL,
    Identity,
    describe_identities,
    opt_out_list_name,
    resolve_identity,
    update_identity,
)
from .keywords import add_default_keywords
from .pools import check_can_join

_SIMULATOR_MESSAGE_TYPE = "TRANSACTIONAL"
# How many made-up numbers to try before declaring none available.
_ATTEMPTS = 200


# -- RequestPhoneNumber ---------------------------------------------------------------------------


def request_phone_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    country, number_type = params["IsoCountryCode"], params["NumberType"]
    message_type = params["MessageType"]
    offered = catalog.NUMBER_TYPES_BY_COUNTRY.get(country, catalog.NUMBER_TYPES_BY_COUNTRY["*"])
    if number_type not in offered:
        raise invalid_field(
            "INVALID_PARAMETER",
            "NumberType",
            f"{number_type} numbers are not offered in {country}; offered: {', '.join(offered)}",
        )
    if number_type == "SIMULATOR" and message_type != _SIMULATOR_MESSAGE_TYPE:
        raise invalid_field(
            "INVALID_PARAMETER", "MessageType", "must be TRANSACTIONAL for a SIMULATOR number"
        )
    if params.get("NumberPreference") and (number_type, country) != ("TEN_DLC", "US"):
        raise invalid_field(
            "INVALID_PARAMETER", "NumberPreference", "applies only to TEN_DLC numbers in the US"
        )
    registration = None
    if params.get("RegistrationId"):
        registration = registrations.registration_for_new_number(
            ctx, params["RegistrationId"], country, number_type
        )
    pool = None
    if params.get("PoolId"):
        pool = resolve_identity(ctx, params["PoolId"], "PoolId", kinds=(POOL,))
    opt_out = None
    if params.get("OptOutListName"):
        opt_out = opt_out_list_name(ctx, params["OptOutListName"])
    number = _new_number(ctx, params, opt_out, pool)
    if pool is not None:
        # The number will be provisioned straight into the pool: judge it as if ACTIVE.
        ready = Identity(
            PHONE, number.id, number.key, number.arn, {**number.doc, "Status": "ACTIVE"}
        )
        check_can_join(ctx, pool, ready, compare_keywords=False)
        number.doc["PoolId"] = pool.id
    account.check_limit(ctx, "PHONE_NUMBERS")
    number.doc["Tags"] = tags.initial_tags(ctx, params.get("Tags"))
    number.doc["PhoneNumber"] = _make_number(
        ctx, country, number_type, params.get("NumberPreference")
    )
    number.save(ctx)
    add_default_keywords(ctx, number.id)
    if registration is not None:
        registrations.link_new_number(ctx, registration, number.doc)
    return number.doc


def _new_number(
    ctx: Context, params: dict[str, Any], opt_out: str | None, pool: Identity | None
) -> Identity:
    """The document of the number being requested (not stored yet; no E.164 number yet)."""
    country, number_type = params["IsoCountryCode"], params["NumberType"]
    capabilities = list(dict.fromkeys(params["NumberCapabilities"]))
    limits = _rate_limits(country, number_type, capabilities)
    phone_id = ctx.new_id("phone")
    doc: dict[str, Any] = {
        "PhoneNumberArn": ctx.arn(PHONE, phone_id),
        "PhoneNumberId": phone_id,
        "PhoneNumber": "",
        "Status": "PENDING",
        "IsoCountryCode": country,
        "MessageType": params["MessageType"],
        "NumberCapabilities": capabilities,
        "NumberType": number_type,
        "MonthlyLeasingPrice": catalog.leasing_price(country, number_type),
        "TwoWayEnabled": False,
        "SelfManagedOptOutsEnabled": False,
        "OptOutListName": opt_out or "Default",
        "InternationalSendingEnabled": params.get("InternationalSendingEnabled", False),
        "DeletionProtectionEnabled": params.get("DeletionProtectionEnabled", False),
        "MessagingLimits": {"RateLimits": limits} if limits else None,
        "CreatedTimestamp": ctx.now,
        "_ReadyAt": ctx.now + ctx.sandbox.provisioning_delay,
    }
    if pool is not None:
        # A number requested into a pool takes the pool's configuration (an explicit opt-out
        # list must match it).
        for name in _POOL_SETTINGS:
            if pool.doc.get(name) is not None:
                doc[name] = pool.doc[name]
        doc["OptOutListName"] = opt_out or pool.doc["OptOutListName"]
    return Identity(PHONE, phone_id, phone_id, doc["PhoneNumberArn"], doc)


_POOL_SETTINGS = (
    "TwoWayEnabled",
    "TwoWayChannelArn",
    "TwoWayChannelRole",
    "SelfManagedOptOutsEnabled",
)


def _rate_limits(country: str, number_type: str, capabilities: list[str]) -> dict[str, int]:
    mps = catalog.MPS.get((country, number_type)) or catalog.MPS.get(("*", number_type), {})
    return {cap: rate for cap, rate in mps.items() if cap in capabilities}


def _taken(ctx: Context, number: str) -> bool:
    # Numbers are unique across the whole sandbox, so an inbound message finds its account.
    if number in catalog.SIMULATOR_SUCCESS or number in catalog.SIMULATOR_FAILURE:
        return True
    return next(ctx.sandbox.store.find(PHONE, "PhoneNumber", number), None) is not None


def _make_number(
    ctx: Context, country: str, number_type: str, preference: list[dict[str, Any]] | None
) -> str:
    """A made-up E.164 number of ``country`` that no account of the sandbox holds."""
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        raise invalid_field(
            "INVALID_PARAMETER", "IsoCountryCode", f"no phone numbers are offered in {country}"
        )
    full = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    if preference:
        patterns = _preference_patterns(f"+{example.country_code}", len(full), preference)
    else:
        prefix = catalog.TOLL_FREE_PREFIX.get(country) if number_type == "TOLL_FREE" else None
        patterns = [(prefix or catalog.NUMBER_PREFIX.get(country) or full[:-6], "")]
    for _ in range(_ATTEMPTS):
        for head, tail in patterns:
            free = len(full) - len(head) - len(tail)
            middle = "".join(str(ctx.random.randrange(10)) for _ in range(free))
            if not _taken(ctx, head + middle + tail):
                return head + middle + tail
    field = "NumberPreference" if preference else "NumberType"
    raise invalid_field("INVALID_PARAMETER", field, f"no matching number is available in {country}")


def _preference_patterns(
    calling: str, length: int, preference: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """``(head, tail)`` pairs a number must start and end with to meet a NumberPreference."""
    kind = preference[0]["PreferenceType"][0]
    out = []
    for raw in preference[0]["Filter"]:
        value = "+" + raw.lstrip("+")
        national = value[1:] if not value.startswith(calling) else value[len(calling) :]
        if kind == "ExactMatch":
            head, tail = (value, "") if value.startswith(calling) else (calling + national, "")
        elif kind == "StartsWith":
            head, tail = (value if value.startswith(calling) else calling + national), ""
        elif kind == "EndsWith":
            head, tail = calling, raw.lstrip("+")
        else:  # Contains
            head, tail = calling + raw.lstrip("+"), ""
        free = length - len(head) - len(tail)
        if free >= 0 and (kind != "ExactMatch" or free == 0):
            out.append((head, tail))
    if not out:
        raise invalid_field(
            "INVALID_PARAMETER", "NumberPreference", "no available number matches the preference"
        )
    return out


# -- DescribePhoneNumbers -------------------------------------------------------------------------


def describe_phone_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return describe_identities(ctx, params, PHONE, "PhoneNumberIds")


# -- UpdatePhoneNumber ----------------------------------------------------------------------------

_UPDATABLE = (
    "TwoWayEnabled",
    "TwoWayChannelArn",
    "TwoWayChannelRole",
    "SelfManagedOptOutsEnabled",
    "InternationalSendingEnabled",
    "DeletionProtectionEnabled",
)


def update_phone_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    number = resolve_identity(ctx, params["PhoneNumberId"], "PhoneNumberId", kinds=(PHONE,))
    if number.pool_ids:
        raise conflict(
            "PHONE_NUMBER_ASSOCIATED_TO_POOL",
            f"The phone number {number.id} is in the pool {number.pool_ids[0]}; update the pool.",
            PHONE,
            number.id,
        )
    return update_identity(ctx, number, params, _UPDATABLE)


# -- ReleasePhoneNumber ---------------------------------------------------------------------------


def release_phone_number(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    number = resolve_identity(ctx, params["PhoneNumberId"], "PhoneNumberId", kinds=(PHONE,))
    if number.doc.get("DeletionProtectionEnabled"):
        raise conflict(
            "DELETION_PROTECTION_ENABLED",
            f"The phone number {number.id} has deletion protection enabled.",
            PHONE,
            number.id,
        )
    if number.pool_ids:
        raise conflict(
            "PHONE_NUMBER_ASSOCIATED_TO_POOL",
            f"The phone number {number.id} is in the pool {number.pool_ids[0]}; "
            "disassociate it first.",
            PHONE,
            number.id,
        )
    registrations.before_release(ctx, PHONE, number.key, number.doc)
    ctx.store.delete(PHONE, number.key)
    ctx.store.delete_all("keyword", number.id)
    return {**number.doc, "Status": "DELETED"}
