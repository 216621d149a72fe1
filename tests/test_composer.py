"""The SMS composer: counters that match the documented SMS limits, marks, replacement, price.

Limits [AWS user guide, sms-limitations-character]: GSM-7 160 characters in one part or 153 per
part, UCS-2 70 or 67; GSM extension characters count two; at most 1530 GSM-7 / 630 UCS-2.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ppv2kit import forms
from ppv2kit.sandbox import catalog

US_SIMULATOR = "+14254147755"


class RecordingKit(SimpleNamespace):
    """A kit that records calls and answers like SendTextMessage."""

    def __init__(self, backend: str = "SANDBOX") -> None:
        super().__init__(backend=backend, account="123456789012", regions=["us-east-1"])
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def call(self, operation: str, region: str | None = None, **params: Any) -> dict[str, Any]:
        self.calls.append((operation, params))
        return {"MessageId": f"m-{len(self.calls)}", "ResponseMetadata": {"RequestId": "r"}}

    def frame(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no listings here")


@pytest.fixture
def composer() -> forms.Composer:
    return forms.composer(RecordingKit())


def type_body(c: forms.Composer, text: str) -> None:
    """What typing in the browser does: the Textarea's value changes."""
    c.body.input.value = text


LIMITS = [
    ("", "GSM", 0, 0, 160),
    ("a" * 160, "GSM", 160, 1, 160),
    ("a" * 161, "GSM", 161, 2, 153),
    ("a" * 306, "GSM", 306, 2, 153),
    ("a" * 307, "GSM", 307, 3, 153),
    ("a" * 1530, "GSM", 1530, 10, 153),
    ("€" * 80, "GSM", 160, 1, 160),
    ("€" * 81, "GSM", 162, 2, 153),
    ("Ж" * 70, "UNICODE", 70, 1, 70),
    ("Ж" * 71, "UNICODE", 71, 2, 67),
    ("Ж" * 134, "UNICODE", 134, 2, 67),
    ("Ж" * 135, "UNICODE", 135, 3, 67),
    ("Ж" * 630, "UNICODE", 630, 10, 67),
    ("👍" * 35, "UNICODE", 70, 1, 70),
]


@pytest.mark.parametrize(
    ("text", "encoding", "characters", "parts", "per_part"),
    LIMITS,
    ids=[f"{t[:1] or 'empty'}x{len(t)}" for t, *_ in LIMITS],
)
def test_counters_match_the_documented_limits(
    composer: forms.Composer,
    text: str,
    encoding: str,
    characters: int,
    parts: int,
    per_part: int,
) -> None:
    type_body(composer, text)
    seg = composer.segments
    assert (seg.encoding, seg.characters, seg.parts, seg.per_part) == (
        encoding,
        characters,
        parts,
        per_part,
    )
    shown = composer.counters()
    assert shown["encoding"] == f"Encoding: {'GSM-7' if encoding == 'GSM' else 'UCS-2'}"
    assert shown["characters"].startswith(f"Characters: {characters} / ")
    assert shown["parts"].startswith(f"Parts: {parts}")
    assert "too long" not in shown["characters"]


@pytest.mark.parametrize(("text", "limit"), [("a" * 1531, 1530), ("Ж" * 631, 630)])
def test_too_long_messages_are_flagged(composer: forms.Composer, text: str, limit: int) -> None:
    type_body(composer, text)
    assert composer.segments.too_long
    assert composer.counters()["characters"].endswith(f"/ {limit} — too long")


def test_characters_that_force_ucs2_are_marked_and_replaceable(composer: forms.Composer) -> None:
    type_body(composer, "It’s “great” – really…")
    assert composer.counters()["encoding"] == "Encoding: UCS-2"
    preview = composer.preview.value
    assert preview.count("<mark") == 5
    assert 'class="ppv2kit-ucs2 ppv2kit-replaceable"' in preview
    assert not composer.replace_button.disabled
    assert composer.replace_button.description == "Replace 5 with GSM-7"
    composer.replace_button.click()
    assert composer.text == 'It\'s "great" - really...'
    assert composer.counters()["encoding"] == "Encoding: GSM-7"
    assert composer.preview.value == ""
    assert composer.replace_button.disabled


def test_characters_without_a_gsm_spelling_stay_marked(composer: forms.Composer) -> None:
    type_body(composer, "Привет 👋 “hi”")
    composer.replace()
    assert composer.text == 'Привет 👋 "hi"'
    assert composer.segments.encoding == "UNICODE"
    assert "ppv2kit-replaceable" not in composer.preview.value
    assert composer.preview.value.count("<mark") == len(set("Привет👋"))
    assert composer.replace_button.disabled


def test_the_body_is_escaped_in_the_preview(composer: forms.Composer) -> None:
    type_body(composer, "<script>alert(“x”)</script>")
    assert "<script>" not in composer.preview.value
    assert "&lt;script&gt;" in composer.preview.value


def test_price_on_the_sandbox_comes_from_its_price_list(composer: forms.Composer) -> None:
    type_body(composer, "a" * 200)
    assert composer.price is None
    assert "enter the destination" in composer.counters()["price"]
    composer.set_value({"DestinationPhoneNumber": US_SIMULATOR})
    assert composer.price == pytest.approx(2 * catalog.sms_price("US"))
    assert "2 parts" in composer.counters()["price"] and "US" in composer.counters()["price"]
    composer.set_value({"DestinationPhoneNumber": "+447860019066"})
    assert composer.price == pytest.approx(2 * catalog.sms_price("GB"))


def test_price_against_aws_is_unknown() -> None:
    c = forms.composer(RecordingKit(backend="AWS"))
    c.set_value({"DestinationPhoneNumber": US_SIMULATOR, "MessageBody": "hello"})
    assert c.price is None
    assert c.counters()["price"].startswith("price unknown")


def test_composer_dry_run_needs_no_confirmation_but_a_real_send_does() -> None:
    kit = RecordingKit()
    c = forms.composer(kit)
    c.set_value({"DestinationPhoneNumber": US_SIMULATOR, "MessageBody": "Code: 1234 “ok”"})
    assert c.submit() == {"MessageId": "m-1", "ResponseMetadata": {"RequestId": "r"}}
    assert kit.calls[-1][1]["DryRun"] is True
    c.set_value({"DryRun": False})
    assert c.call_button.description == "Call"
    assert c.submit() is None and c.error.kind == "confirmation"
    assert "1 part, UCS-2" in c.error.message
    assert f"${catalog.sms_price('US'):.4f}" in c.error.message
    assert len(kit.calls) == 1
    assert c.submit(confirm=True) is not None
    assert kit.calls[-1] == (
        "SendTextMessage",
        {"DestinationPhoneNumber": US_SIMULATOR, "MessageBody": "Code: 1234 “ok”", "DryRun": False},
    )


def test_composer_carries_its_css_classes(composer: forms.Composer) -> None:
    assert "ppv2kit-composer" in composer.widget._dom_classes
    for name in ("encoding", "characters", "parts", "price"):
        assert f"ppv2kit-composer-{name}" in composer._counters[name]._dom_classes
    assert "ppv2kit-composer-replace" in composer.replace_button._dom_classes
    assert "ppv2kit-composer-preview" in composer.preview._dom_classes
    assert composer.body.plan.widget == "Textarea"


def test_kit_composer_delegates_to_the_forms_package(sandbox: Any) -> None:
    import ppv2kit

    kit = ppv2kit.connect(sandbox=sandbox)
    c = kit.composer()
    assert isinstance(c, forms.Composer)
    c.set_value({"DestinationPhoneNumber": US_SIMULATOR, "MessageBody": "hi"})
    assert c.price == pytest.approx(catalog.sms_price("US"))


def test_the_estimate_is_what_the_sandbox_charges(sandbox: Any) -> None:
    import ppv2kit

    kit = ppv2kit.connect(sandbox=sandbox)
    missing = {"RequestPhoneNumber", "SendTextMessage"} - set(sandbox.operations())
    if missing:
        pytest.fail(f"the sandbox does not emulate {', '.join(sorted(missing))} yet")
    number = kit.call(
        "RequestPhoneNumber",
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SIMULATOR",
    )
    c = kit.composer()
    c.load_pickers()
    c.set_value(
        {
            "DestinationPhoneNumber": US_SIMULATOR,
            "DryRun": False,
            "OriginationIdentity": number["PhoneNumberId"],
            "MessageBody": "Ünïcödé “quotes” and 👍 " * 4,
        }
    )
    assert c.segments.encoding == "UNICODE" and c.segments.parts == 2
    assert c.submit(confirm=True) is not None, c.error
    row = sandbox.messages().iloc[-1]
    assert row["Encoding"] == "UNICODE" and row["Parts"] == c.segments.parts
    assert row["Price"] == pytest.approx(c.price)
