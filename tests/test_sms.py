"""ppv2kit.sms against the documented SMS limits."""

from __future__ import annotations

import pytest

from ppv2kit import sms


@pytest.mark.parametrize(
    ("text", "encoding", "characters", "parts", "per_part"),
    [
        ("", "GSM", 0, 0, 160),
        ("a" * 160, "GSM", 160, 1, 160),
        ("a" * 161, "GSM", 161, 2, 153),
        ("a" * 306, "GSM", 306, 2, 153),
        ("a" * 307, "GSM", 307, 3, 153),
        ("a" * 1530, "GSM", 1530, 10, 153),
        ("€" * 80, "GSM", 160, 1, 160),
        ("€" * 81, "GSM", 162, 2, 153),
        ("ü" * 70, "GSM", 70, 1, 160),
        ("ж" * 70, "UNICODE", 70, 1, 70),
        ("ж" * 71, "UNICODE", 71, 2, 67),
        ("ж" * 134, "UNICODE", 134, 2, 67),
        ("ж" * 135, "UNICODE", 135, 3, 67),
        ("😀" * 35, "UNICODE", 70, 1, 70),
    ],
)
def test_segments_follow_the_documented_limits(text, encoding, characters, parts, per_part):
    seg = sms.segments(text)
    assert (seg.encoding, seg.characters, seg.parts, seg.per_part) == (
        encoding,
        characters,
        parts,
        per_part,
    )


def test_an_extension_character_never_straddles_two_parts():
    # 152 plain + "€" (2 septets) would be 154 > 153: the escape pair moves to part 2,
    # so 306 septets need three parts instead of two.
    assert sms.segments("a" * 152 + "€" + "a" * 151).parts == 2
    assert sms.segments("a" * 152 + "€" + "a" * 152).parts == 3


def test_maximum_message_lengths():
    assert not sms.segments("a" * 1530).too_long
    assert sms.segments("a" * 1531).too_long
    assert not sms.segments("ж" * 630).too_long
    assert sms.segments("ж" * 631).too_long


def test_offending_characters_and_gsm_replacement():
    text = "It\u2019s \u201cdone\u201d \u2014 ok 😀"
    seg = sms.segments(text)
    assert seg.encoding == "UNICODE"
    assert seg.offending == ("\u2019", "\u201c", "\u201d", "\u2014", "😀")
    assert seg.replaceable == ("\u2019", "\u201c", "\u201d", "\u2014")
    fixed = sms.to_gsm(text)
    assert fixed == 'It\'s "done" - ok 😀'
    assert sms.segments(sms.to_gsm("It\u2019s \u201cdone\u201d")).encoding == "GSM"


def test_e164_helpers():
    assert sms.is_e164("+14255550100") and sms.is_e164("14255550100")
    assert not sms.is_e164("+0123") and not sms.is_e164("425-555")
    assert sms.country_of("+14254147755") == "US"
    assert sms.country_of("+447937404990") == "JE"
    assert sms.country_of("+16135550100") == "CA"
    assert sms.pretty("+12065550100") == "+1 206-555-0100"
    assert sms.pretty("72468") == "72468"
