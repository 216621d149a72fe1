"""SMS arithmetic: encoding (GSM-7 or UCS-2), message parts, replacements, E.164 checks.

The numbers follow the AWS End User Messaging SMS user guide: a part is 140 bytes; GSM-7 text
fits 160 characters in a single part or 153 per part when split; anything outside GSM 03.38
switches the whole message to UCS-2 with 70 / 67; the GSM extension characters ``^ { } \\ [ ] ~
| €`` take two septets; a message may be at most 1530 GSM-7 or 630 UCS-2 characters.
The encoding names are the ones the service writes into event records: ``GSM`` and ``UNICODE``.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import phonenumbers

# GSM 03.38 basic character set (one septet each) and its extension table (two septets each).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[]~|€\f")

SINGLE_PART = {"GSM": 160, "UNICODE": 70}
PER_PART = {"GSM": 153, "UNICODE": 67}
MAX_CHARACTERS = {"GSM": 1530, "UNICODE": 630}

# Characters that force UCS-2 but have a faithful GSM-7 spelling.
GSM_REPLACEMENTS: dict[str, str] = {
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u2032": "'",  # ′
    "\u00b4": "'",  # ´
    "`": "'",
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u2033": '"',  # ″
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u2010": "-",  # ‐
    "\u2011": "-",  # ‑
    "\u2012": "-",  # ‒
    "\u2013": "-",  # –
    "\u2014": "-",  # —
    "\u2015": "-",  # ―
    "\u2212": "-",  # −
    "\u2026": "...",  # …
    "\u00a0": " ",  # no-break space
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": "",  # zero-width space
    "\u2022": "*",  # •
    "\u00b7": ".",  # ·
    "\t": " ",
    "\u00e1": "a",
    "\u00ed": "i",
    "\u00f3": "o",
    "\u00fa": "u",
    "\u00e7": "\u00c7",  # ç -> Ç, the only cedilla GSM-7 has
    "\u00ea": "e",
    "\u00e2": "a",
    "\u00ee": "i",
    "\u00f4": "o",
    "\u00fb": "u",
    "\u00eb": "e",
    "\u00ef": "i",
}


def _septets(ch: str) -> int | None:
    if ch in GSM_BASIC:
        return 1
    if ch in GSM_EXTENSION:
        return 2
    return None


@dataclass(frozen=True)
class Segments:
    """How the service will encode and split one text message.

    Attributes
    ----------
    encoding:
        ``"GSM"`` (GSM-7) or ``"UNICODE"`` (UCS-2), as event records name them.
    characters:
        Characters as the service counts them against the part and message limits: GSM-7
        septets (extension characters count two) or UCS-2 code units (an emoji counts two).
    parts:
        Number of message parts billed (0 for an empty message).
    per_part:
        Characters per part for this message: 160 or 153 (GSM), 70 or 67 (UNICODE).
    offending:
        The distinct characters that force UNICODE, in order of first appearance.
    length:
        ``len(text)``: the characters a person sees.
    max_characters:
        The longest message the service accepts in this encoding (1530 or 630).
    """

    encoding: str
    characters: int
    parts: int
    per_part: int
    offending: tuple[str, ...]
    length: int
    max_characters: int

    @property
    def too_long(self) -> bool:
        """True when the service would refuse the message as too long."""
        return self.characters > self.max_characters

    @property
    def replaceable(self) -> tuple[str, ...]:
        """The offending characters :func:`to_gsm` can replace."""
        return tuple(c for c in self.offending if c in GSM_REPLACEMENTS)


def _units(text: str, encoding: str) -> list[int]:
    if encoding == "GSM":
        return [_septets(ch) or 0 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _pack(units: list[int], capacity: int) -> int:
    """Parts needed when a character's units may not straddle two parts."""
    parts, used = 1, 0
    for u in units:
        if used + u > capacity:
            parts += 1
            used = 0
        used += u
    return parts


@functools.lru_cache(maxsize=2048)
def segments(text: str) -> Segments:
    """Return the encoding, character count and parts of ``text`` as the service bills it."""
    if GSM_BASIC.issuperset(text):  # the common case: one septet per character, no straddling
        return _segments("GSM", len(text), None)
    offending = tuple(dict.fromkeys(ch for ch in text if _septets(ch) is None))
    encoding = "UNICODE" if offending else "GSM"
    units = _units(text, encoding)
    return _segments(encoding, sum(units), units, offending, len(text))


def _segments(
    encoding: str,
    characters: int,
    units: list[int] | None,
    offending: tuple[str, ...] = (),
    length: int | None = None,
) -> Segments:
    """``units=None``: every character is one unit, so parts never leave a gap."""
    if characters == 0:
        parts, per_part = 0, SINGLE_PART[encoding]
    elif characters <= SINGLE_PART[encoding]:
        parts, per_part = 1, SINGLE_PART[encoding]
    else:
        per_part = PER_PART[encoding]
        packed = _pack(units, per_part) if units is not None else 0
        parts = max(packed, math.ceil(characters / per_part))
    return Segments(
        encoding=encoding,
        characters=characters,
        parts=parts,
        per_part=per_part,
        offending=offending,
        length=characters if length is None else length,
        max_characters=MAX_CHARACTERS[encoding],
    )


def to_gsm(text: str) -> str:
    """Replace the characters that have a GSM-7 equivalent; leave the others as they are."""
    return "".join(GSM_REPLACEMENTS.get(ch, ch) for ch in text)


# -- E.164 -------------------------------------------------------------------------------

E164 = re.compile(r"\+[1-9][0-9]{1,18}")


def normalize_e164(number: str) -> str:
    """``14255550100`` or ``+14255550100`` -> ``+14255550100`` (the model allows both)."""
    number = number.strip()
    return number if number.startswith("+") else "+" + number


def is_e164(number: str) -> bool:
    """True for ``+`` followed by 2-19 digits, the first not zero (the model's pattern)."""
    return bool(E164.fullmatch(normalize_e164(number)))


def country_of(number: str) -> str | None:
    """ISO 3166 alpha-2 country of an E.164 number (``+12065550100`` -> ``US``), or None."""
    try:
        parsed = phonenumbers.parse(normalize_e164(number), None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(parsed)


def pretty(number: str) -> str:
    """An E.164 number written for people: ``+1 206-555-0100`` (a short code stays ``72468``)."""
    if number.isdigit() and len(number) <= 8:  # short codes have no country prefix
        return number
    try:
        parsed = phonenumbers.parse(normalize_e164(number), None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
