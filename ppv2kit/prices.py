"""The sandbox's price list: what it charges for numbers and messages, in USD.

Shared by the sandbox (which charges from it) and the forms (which estimate from it, only when the
kit's backend is the sandbox). Real AWS prices differ by country, carrier and date; sources and
choices: ``shared/reference/service-behaviour.md`` §2.1, §4 and ADR 0003.
"""

from __future__ import annotations

# Monthly leasing price in USD by (IsoCountryCode, NumberType); "*" is any country.
LEASING_PRICE: dict[tuple[str, str], str] = {
    ("CA", "LONG_CODE"): "1.00",  # documented example [UG phone-numbers-request]
    ("US", "TOLL_FREE"): "2.00",
    ("CA", "TOLL_FREE"): "2.00",
    ("US", "TEN_DLC"): "2.00",
    ("US", "SHORT_CODE"): "995.00",
    ("CA", "SHORT_CODE"): "1000.00",
    ("US", "SIMULATOR"): "1.00",
    ("GB", "LONG_CODE"): "1.25",
    ("AU", "LONG_CODE"): "2.75",
    ("DE", "LONG_CODE"): "1.50",
    ("FR", "LONG_CODE"): "1.50",
    ("JP", "LONG_CODE"): "5.00",
    ("*", "LONG_CODE"): "1.00",
    ("*", "TOLL_FREE"): "2.00",
    ("*", "SHORT_CODE"): "1000.00",
}


# USD per SMS part by destination country; "*" for countries not listed.
SMS_PRICE_PER_PART: dict[str, float] = {
    "US": 0.00581,
    "CA": 0.00750,
    "GB": 0.03990,
    "DE": 0.09750,
    "FR": 0.07660,
    "AU": 0.04100,
    "JP": 0.07450,
    "IN": 0.00220,
    "BR": 0.02000,
    "MX": 0.03000,
    "ES": 0.07740,
    "IT": 0.08030,
    "NL": 0.10050,
    "*": 0.05000,
}
# Carrier fee per part for US destinations (10DLC / toll-free pass-through), USD.
SMS_CARRIER_FEE_PER_PART: dict[str, float] = {"US": 0.00302}
# USD per started minute of voice by destination country.
VOICE_PRICE_PER_MINUTE: dict[str, float] = {"US": 0.013, "CA": 0.013, "GB": 0.020, "*": 0.050}


def sms_price(country: str | None) -> float:
    """USD per part to ``country`` (the catalogue's fallback for unknown countries)."""
    return SMS_PRICE_PER_PART.get(country or "*", SMS_PRICE_PER_PART["*"])


def leasing_price(country: str, number_type: str) -> str:
    """Monthly leasing price string (two decimals) for a number type in a country."""
    return LEASING_PRICE.get((country, number_type)) or LEASING_PRICE.get(
        ("*", number_type), "1.00"
    )


def carrier_fee(country: str | None) -> float:
    """USD carrier fee per SMS part to ``country`` (0 where none is passed through)."""
    return SMS_CARRIER_FEE_PER_PART.get(country or "", 0.0)


def voice_price(country: str | None) -> float:
    """USD per started minute of voice to ``country``."""
    return VOICE_PRICE_PER_MINUTE.get(country or "*", VOICE_PRICE_PER_MINUTE["*"])
