"""The country of a destination number equals what the number plan (phonenumbers) says.

The sandbox takes shortcuts (NANP numbers by area code and exchange, single-country calling
codes by code); these tests hold them to the full answer.
"""

from __future__ import annotations

import random

import phonenumbers
import pytest

from ppv2kit.sandbox.routing import destination_country


def _by_number_plan(number: str) -> str | None:
    """What phonenumbers says of the whole number, else the calling code's main country."""
    parsed = phonenumbers.parse(number, None)
    region = phonenumbers.region_code_for_number(parsed)
    return region or phonenumbers.region_code_for_country_code(parsed.country_code)


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("+12065550100", "US"),
        ("+14165550100", "CA"),
        ("+18765550100", "JM"),
        ("+17875550100", "PR"),
        ("+447700900123", "GB"),
        ("+447797123456", "JE"),
        ("+4915112345678", "DE"),
    ],
)
def test_known_numbers_have_their_country(number: str, country: str) -> None:
    assert destination_country(number) == country


def test_every_nanp_number_gets_what_the_number_plan_says() -> None:
    rng = random.Random(20261205)
    for _ in range(3000):
        number = f"+1{rng.randrange(200, 1000)}{rng.randrange(1000):03d}{rng.randrange(10000):04d}"
        assert destination_country(number) == _by_number_plan(number), number


def test_every_calling_code_gets_what_the_number_plan_says() -> None:
    rng = random.Random(20261206)
    for code in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        for length in range(1, 19 - len(str(code))):
            number = f"+{code}" + "".join(str(rng.randrange(10)) for _ in range(length))
            try:
                expected = _by_number_plan(number)
            except phonenumbers.NumberParseException:
                expected = None
            assert destination_country(number) == (None if expected == "ZZ" else expected), number
