"""Number discovery and lookup: ListAvailablePhoneNumbers and CarrierLookup.

ListAvailablePhoneNumbers offers US TEN_DLC numbers (the model's only ``SearchableNumberType``)
from a deterministic inventory per account and region: the same request pages through the same
numbers, minus any number some account of the sandbox holds. CarrierLookup answers with the
country of the ``phonenumbers`` package and the line :mod:`~ppv2kit.sandbox.carriers` describes
(type, carrier, MCC and MNC), the one delivery outcomes read too.
Choices: ADR 0015.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

import phonenumbers
from phonenumbers import geocoder

from .. import carriers
from ..context import Context
from ..errors import invalid_field
from . import registrations
from .phone_numbers import _preference_patterns, _taken

# How many numbers the inventory of one country and type holds.
INVENTORY_SIZE = 250
PAGE_SIZE = 10
# Area codes the US 10DLC inventory draws from.
TEN_DLC_AREAS = ("206", "212", "312", "415", "512", "617", "646", "702", "720", "786", "929")


# -- ListAvailablePhoneNumbers -----------------------------------------------------------------


def list_available_phone_numbers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    country, number_type = params["IsoCountryCode"], params["NumberType"]
    if params.get("RegistrationId"):
        registrations.registration_for_new_number(
            ctx, params["RegistrationId"], country, number_type
        )
    numbers = _inventory(ctx, country, number_type) if country == "US" else []
    if params.get("NumberPreference"):
        patterns = _preference_patterns("+1", 12, params["NumberPreference"])
        kind = params["NumberPreference"][0]["PreferenceType"][0]
        numbers = [n for n in numbers if _matches(n, patterns, kind)]
    # The model caps a page at 10 numbers, below the sandbox's default page size.
    paged = {**params, "MaxResults": params.get("MaxResults") or PAGE_SIZE}
    return ctx.listing(paged, enumerate(numbers, 1))


def _inventory(ctx: Context, country: str, number_type: str) -> list[str]:
    """The numbers on offer: deterministic per account, region, country and type."""
    seed = f"{ctx.account}/{ctx.region}/{country}/{number_type}"
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    out: list[str] = []
    while len(out) < INVENTORY_SIZE:
        number = f"+1{rng.choice(TEN_DLC_AREAS)}{rng.randrange(2, 10)}{rng.randrange(10**6):06d}"
        if number not in out and not _taken(ctx, number):
            out.append(number)
    return sorted(out)


def _matches(number: str, patterns: list[tuple[str, str]], kind: str) -> bool:
    if kind == "Contains":
        return any(head[2:] in number[2:] for head, _ in patterns)
    return any(number.startswith(head) and number.endswith(tail) for head, tail in patterns)


# -- CarrierLookup -----------------------------------------------------------------------------


def carrier_lookup(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    original = params["PhoneNumber"]
    digits = re.sub(r"\D", "", original).lstrip("0")
    if not 2 <= len(digits) <= 19:
        raise invalid_field(
            "INVALID_PARAMETER", "PhoneNumber", f"has {len(digits)} digits; not a phone number"
        )
    e164 = "+" + digits
    answer: dict[str, Any] = {"E164PhoneNumber": e164, "OriginalPhoneNumber": original}
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return {**answer, "PhoneNumberType": "INVALID"}
    # An invalid number still names the country its calling code belongs to.
    region = phonenumbers.region_code_for_number(
        parsed
    ) or phonenumbers.region_code_for_country_code(parsed.country_code)
    answer.update(
        DialingCountryCode=str(parsed.country_code),
        Country=geocoder.country_name_for_number(
            phonenumbers.example_number(region) or parsed, "en"
        )
        or None,
    )
    if region and region != "001":
        answer["IsoCountryCode"] = region
    found = carriers.line(e164)
    answer["PhoneNumberType"] = found.type
    if found.type == "INVALID":
        return answer
    networks = {"Carrier": found.carrier, "MCC": found.mcc, "MNC": found.mnc}
    return {**answer, **{k: v for k, v in networks.items() if v is not None}}
