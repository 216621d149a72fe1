"""Number discovery and lookup: ListAvailablePhoneNumbers and CarrierLookup.

ListAvailablePhoneNumbers offers US TEN_DLC numbers (the model's only ``SearchableNumberType``)
from a deterministic inventory per account and region: the same request pages through the same
numbers, minus any number some account of the sandbox holds. CarrierLookup reads number type,
country and carrier from the ``phonenumbers`` package; where that data has no carrier (the US and
Canada, where numbers are portable) a carrier of the country is chosen from the number's digits,
so the answer is stable. MCC and MNC come from :data:`NETWORKS` (``phonenumbers`` has none).
Choices: ADR 0015.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType, carrier, geocoder

from .. import catalog
from ..context import Context
from ..errors import invalid_field
from . import registrations
from .phone_numbers import _preference_patterns, _taken

# How many numbers the inventory of one country and type holds.
INVENTORY_SIZE = 250
PAGE_SIZE = 10
# Area codes the US 10DLC inventory draws from.
TEN_DLC_AREAS = ("206", "212", "312", "415", "512", "617", "646", "702", "720", "786", "929")

# Major networks by country: (carrier name, MCC, MNC). Public MCC/MNC assignments (ITU E.212).
NETWORKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "US": (
        ("T-Mobile USA", "310", "260"),
        ("AT&T Wireless", "310", "410"),
        ("Verizon Wireless", "311", "480"),
    ),
    "CA": (
        ("Rogers Wireless", "302", "720"),
        ("Bell Mobility", "302", "610"),
        ("Telus", "302", "220"),
    ),
    "GB": (
        ("EE", "234", "30"),
        ("Vodafone", "234", "15"),
        ("O2", "234", "10"),
        ("Three", "234", "20"),
    ),
    "DE": (("Telekom", "262", "01"), ("Vodafone", "262", "02"), ("O2", "262", "03")),
    "FR": (("Orange", "208", "01"), ("SFR", "208", "10"), ("Bouygues Telecom", "208", "20")),
    "ES": (("Movistar", "214", "07"), ("Vodafone", "214", "01"), ("Orange", "214", "03")),
    "IE": (("Vodafone", "272", "01"), ("Three", "272", "05")),
    "AU": (("Telstra", "505", "01"), ("Optus", "505", "02"), ("Vodafone", "505", "03")),
    "NZ": (("One NZ", "530", "01"), ("Spark", "530", "05")),
    "IN": (("Airtel", "404", "10"), ("Vodafone Idea", "404", "20")),
    "SG": (("Singtel", "525", "01"), ("StarHub", "525", "05"), ("M1", "525", "03")),
}
_TYPES = {
    PhoneNumberType.MOBILE: "MOBILE",
    PhoneNumberType.FIXED_LINE: "LANDLINE",
    PhoneNumberType.VOIP: "VOIP",
    PhoneNumberType.PAGER: "OTHER",
    PhoneNumberType.TOLL_FREE: "OTHER",
    PhoneNumberType.PREMIUM_RATE: "OTHER",
    PhoneNumberType.SHARED_COST: "OTHER",
    PhoneNumberType.PERSONAL_NUMBER: "OTHER",
    PhoneNumberType.UAN: "OTHER",
    PhoneNumberType.VOICEMAIL: "OTHER",
}
SIMULATOR_CARRIER = "AWS End User Messaging simulator"


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
    if catalog.is_simulator_destination(e164):
        network = NETWORKS["US"][0]
        return {
            **answer,
            "PhoneNumberType": "MOBILE",
            "Carrier": SIMULATOR_CARRIER,
            "MCC": network[1],
            "MNC": network[2],
        }
    if not phonenumbers.is_valid_number(parsed):
        return {**answer, "PhoneNumberType": "INVALID"}
    kind = phonenumbers.number_type(parsed)
    if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE:
        # North American numbers don't say; most numbers texted are mobile.
        kind = PhoneNumberType.MOBILE if _digit_hash(e164) % 10 < 8 else PhoneNumberType.FIXED_LINE
    number_type = _TYPES.get(kind, "OTHER")
    answer["PhoneNumberType"] = number_type
    if number_type != "MOBILE":
        name = carrier.name_for_number(parsed, "en")
        return {**answer, "Carrier": name} if name else answer
    return {**answer, **_network(parsed, region, e164)}


def _digit_hash(e164: str) -> int:
    return int(hashlib.sha256(e164.encode()).hexdigest()[:8], 16)


def _network(parsed: phonenumbers.PhoneNumber, region: str, e164: str) -> dict[str, str]:
    name = carrier.name_for_number(parsed, "en")
    networks = NETWORKS.get(region, ())
    known = next((n for n in networks if name and n[0].lower() in name.lower()), None)
    if known is None and not name and networks:
        known = networks[_digit_hash(e164) % len(networks)]
    if known is None:
        return {"Carrier": name} if name else {}
    return {"Carrier": name or known[0], "MCC": known[1], "MNC": known[2]}
