"""What a destination number is: valid or not, its line type, and the network that serves it.

One answer per number, shared by CarrierLookup (:mod:`~ppv2kit.sandbox.ops.lookup`) and the
delivery outcomes (:mod:`~ppv2kit.sandbox.outcomes`), so a number the lookup calls a landline is
one that can't receive a text. Validity and type come from the ``phonenumbers`` package. North
American numbers, which it can't tell apart, are mobiles for :data:`MOBILES_IN_TENNANP` in ten
numbers, by a digest of the number. The carrier comes from ``phonenumbers``, else one of the
country's major networks by digest (numbers are portable there), so the answer is stable. MCC
and MNC come from :data:`NETWORKS` (``phonenumbers`` has none), for mobiles only.
Choices: ADR 0015, ADR 0023.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType, carrier

from . import catalog

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
# Line types of the model's PhoneNumberType enum, from the package's number types.
TYPES = {
    PhoneNumberType.MOBILE: "MOBILE",
    PhoneNumberType.FIXED_LINE: "LANDLINE",
    PhoneNumberType.VOIP: "VOIP",
}
# North American numbers (mobile or landline, the package can't say) that are mobiles, in ten.
MOBILES_IN_TENNANP = 8
SIMULATOR_CARRIER = "AWS End User Messaging simulator"


@dataclass(frozen=True)
class Line:
    """What the number plan and the sandbox's network table say about one E.164 number."""

    number: str
    possible: bool  # a length the number plan of its calling code allows
    valid: bool  # an assigned range of its country
    type: str  # MOBILE, LANDLINE, VOIP, OTHER or INVALID (the model's PhoneNumberType)
    carrier: str | None = None
    mcc: str | None = None
    mnc: str | None = None


def _names(network: str, name: str) -> bool:
    """True when the package's carrier ``name`` is ``network`` ("EE" is not in "Three")."""
    return re.search(rf"\b{re.escape(network)}\b", name, re.IGNORECASE) is not None


def digest(number: str, salt: str = "") -> int:
    """A stable 32-bit digest of ``number`` (and ``salt``): the sandbox's per-number draws."""
    return int(hashlib.sha256(f"{salt}{number}".encode()).hexdigest()[:8], 16)


@dataclass(frozen=True)
class _Plan:
    """What the number plan alone says of a number (the package's answers, before any draw)."""

    possible: bool
    kind: int  # phonenumbers.PhoneNumberType; UNKNOWN for a number no range holds
    name: str | None  # the package's carrier name
    region: str | None


def _read_plan(number: str) -> _Plan:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return _Plan(False, PhoneNumberType.UNKNOWN, None, None)
    # number_type is UNKNOWN exactly when is_valid_number is False (the package's own test)
    kind = phonenumbers.number_type(parsed)
    if kind == PhoneNumberType.UNKNOWN:
        return _Plan(phonenumbers.is_possible_number(parsed), kind, None, None)
    name = carrier.name_for_number(parsed, "en") or None
    return _Plan(True, kind, name, phonenumbers.region_code_for_number(parsed))


# +1 NPA NXX XXXX: the North American plan places a number by its area code and exchange (the
# line number never matters to it), so such numbers are read once per first 8 characters.
NANP = re.compile(r"\+1[0-9]{10}")


@functools.lru_cache(maxsize=4096)
def _nanp_plan(prefix: str) -> _Plan:
    return _read_plan(prefix + "0000")


def _plan(number: str) -> _Plan:
    return _nanp_plan(number[:8]) if NANP.fullmatch(number) else _read_plan(number)


@functools.lru_cache(maxsize=8192)
def line(number: str) -> Line:
    """The line behind the E.164 ``number`` (cached: pure, and traffic repeats numbers)."""
    if catalog.is_simulator_destination(number):
        network = NETWORKS["US"][0]
        return Line(number, True, True, "MOBILE", SIMULATOR_CARRIER, network[1], network[2])
    plan = _plan(number)
    if plan.kind == PhoneNumberType.UNKNOWN:
        return Line(number, plan.possible, False, "INVALID")
    kind = plan.kind
    if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE:
        mobile = digest(number) % 10 < MOBILES_IN_TENNANP
        kind = PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
    line_type = TYPES.get(kind, "OTHER")
    name = plan.name
    if line_type != "MOBILE":
        return Line(number, True, True, line_type, name)
    networks = NETWORKS.get(plan.region or "", ())
    known = next((n for n in networks if name and _names(n[0], name)), None)
    if known is None and not name and networks:
        known = networks[digest(number) % len(networks)]
    if known is None:
        return Line(number, True, True, line_type, name)
    return Line(number, True, True, line_type, name or known[0], known[1], known[2])
