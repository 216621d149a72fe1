"""The SMS composer as a person uses it: type, watch the counters, fix the encoding, send.

A body with a smart quote and an emoji switches the composer from GSM-7 to UCS-2 and from one
part to two; "Replace with GSM-7" fixes the quote (the emoji stays, and keeps UCS-2); deleting the
emoji brings GSM-7 and one part back. An origination identity is picked from the account's numbers,
a DryRun call shows a MessageId without logging a message, and a real call asks for confirmation,
sends only after it, and lands in the sandbox's message log with the encoding and parts shown.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import SANDBOX_SETUP, LabPage, field_of, form_of, response_value, write_notebook

pytestmark = pytest.mark.browser

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DESTINATION = "+14254147755"  # the service's US success simulator number
BASE = (
    "Your Juniper Pay card ending 4242 was used for $12.50 at Corner Cafe. "
    "Not you? Reply HELP."
)  # 90 GSM-7 characters: one part
TYPED = " It’s ok 😀"  # a smart quote (replaceable) and an emoji (not)

LOG_CELL = """\
log = sb.messages()
last = log.iloc[-1] if len(log) else None
print(json.dumps({
    "count": len(log),
    "calls": calls,
    "last": None if last is None else {k: str(last[k]) for k in (
        "MessageId", "MessageBody", "Encoding", "Parts", "OriginationIdentity",
        "DestinationPhoneNumber", "Status")},
}))
"""


def test_compose_fix_encoding_pick_identity_dry_run_then_send(lab_page: LabPage) -> None:
    lp = lab_page
    path = write_notebook(
        lp.lab,
        "composer.ipynb",
        [SANDBOX_SETUP + 'c = kit.composer(region="us-east-1")\nc', LOG_CELL],
    )
    lp.open(path)
    lp.run_cell(0)
    before = lp.run_json_cell(1)
    composer = form_of(lp, "SendTextMessage")
    expect(composer).to_have_class(re.compile(r"\bppv2kit-composer\b"))

    body = field_of(composer, "MessageBody").locator("textarea")
    encoding = composer.locator(".ppv2kit-composer-encoding")
    characters = composer.locator(".ppv2kit-composer-characters")
    parts = composer.locator(".ppv2kit-composer-parts")
    replace = composer.locator("button.ppv2kit-composer-replace")

    # GSM-7 text: one part.
    body.fill(BASE)
    expect(encoding).to_have_text("Encoding: GSM-7")
    expect(characters).to_have_text("Characters: 90 / 1530")
    expect(parts).to_have_text("Parts: 1 (160 per part)")
    expect(replace).to_be_disabled()

    # A smart quote and an emoji, typed key by key: UCS-2, two parts, both marked.
    body.press("End")
    body.press_sequentially(TYPED)
    expect(encoding).to_have_text("Encoding: UCS-2")
    expect(characters).to_have_text("Characters: 101 / 630")  # the emoji counts two
    expect(parts).to_have_text("Parts: 2 (67 per part)")
    marked = composer.locator(".ppv2kit-composer-preview mark.ppv2kit-ucs2")
    expect(marked).to_have_text(["’", "😀"])
    expect(composer.locator("mark.ppv2kit-replaceable")).to_have_text(["’"])

    # The GSM-7 replacement fixes the quote; the emoji still forces UCS-2.
    expect(replace).to_be_enabled()
    expect(replace).to_have_text(re.compile(r"Replace 1 with GSM-7"))
    assert replace.evaluate("b => b.scrollWidth <= b.clientWidth"), "the label is clipped"
    replace.click()
    expect(body).to_have_value(BASE + " It's ok 😀")
    expect(marked).to_have_text(["😀"])
    expect(encoding).to_have_text("Encoding: UCS-2")
    expect(replace).to_be_disabled()

    # Deleting the emoji: back to GSM-7 and one part.
    body.press("End")
    body.press("Backspace")
    text = BASE + " It's ok "
    expect(body).to_have_value(text)
    expect(encoding).to_have_text("Encoding: GSM-7")
    expect(parts).to_have_text("Parts: 1 (160 per part)")
    expect(marked).to_have_count(0)

    # Pick a simulator number from the account's origination identities.
    picker = field_of(composer, "OriginationIdentity")
    expect(picker).to_have_class(re.compile(r"\bppv2kit-picker\b"))
    labels = picker.locator("datalist option").evaluate_all("els => els.map(e => e.value)")
    simulator = next((x for x in labels if "SIMULATOR" in x and x.endswith("· US")), None)
    assert simulator, f"no US simulator number among the picker's options: {labels}"
    picker.locator("input[type=text]").fill(simulator)
    resolved = picker.locator(".ppv2kit-picker-resolved")
    expect(resolved).to_have_text(re.compile(r"→ phone-[0-9a-f]{32}$"))
    phone_id = resolved.inner_text().split("→", 1)[1].strip()

    destination = field_of(composer, "DestinationPhoneNumber")
    destination.locator("input[type=text]").fill(DESTINATION)
    expect(composer.locator(".ppv2kit-composer-price")).to_contain_text(
        "(1 part × $", use_inner_text=True
    )
    expect(composer.locator(".ppv2kit-composer-price")).to_contain_text("US, sandbox price list")

    # DryRun (on by default): a MessageId, no confirmation, nothing in the log.
    call = composer.locator("button.ppv2kit-call")
    expect(call).to_have_text("Call (DryRun)")
    call.click()
    message_id = response_value(composer, "MessageId")
    expect(message_id).to_have_text(UUID)
    dry_run_id = message_id.inner_text()
    expect(composer.locator(".ppv2kit-confirmation")).to_be_hidden()
    after_dry_run = lp.run_json_cell(1)
    assert after_dry_run["count"] == before["count"]
    assert after_dry_run["calls"] == ["SendTextMessage"]

    # For real: the first click only asks; nothing is sent until Confirm.
    field_of(composer, "DryRun").locator("button", has_text=re.compile(r"^false$")).click()
    expect(call).to_have_text("Call")
    call.click()
    confirmation = composer.locator(".ppv2kit-confirmation")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_contain_text("Please confirm.")
    expect(confirmation).to_contain_text("will be sent to 1 recipient (+1 425-414-7755, US)")
    expect(confirmation).to_contain_text("1 part, GSM-7")
    waiting = lp.run_json_cell(1)
    assert waiting["count"] == before["count"]
    assert waiting["calls"] == ["SendTextMessage"], "the first click must not call AWS"

    composer.locator("button.ppv2kit-confirm").click()
    expect(confirmation).to_be_hidden()
    expect(message_id).not_to_have_text(dry_run_id)
    expect(message_id).to_have_text(UUID)
    sent_id = message_id.inner_text()

    log = lp.run_json_cell(1)
    assert log["count"] == before["count"] + 1
    assert log["calls"] == ["SendTextMessage", "SendTextMessage"]
    last = log["last"]
    assert last.pop("Status") == "DELIVERED"  # the success simulator number
    assert last == {
        "MessageId": sent_id,
        "MessageBody": text,
        "Encoding": "GSM",  # what the composer said, billed as such
        "Parts": "1",
        "OriginationIdentity": phone_id,
        "DestinationPhoneNumber": DESTINATION,
    }
