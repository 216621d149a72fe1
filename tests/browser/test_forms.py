"""Forms in the browser: a destructive call that waits for confirmation, an AWS error in words,
and a validation error beside its field before any call.

The scratch notebooks count every API call the forms make (``calls``), so "nothing happened" is
asserted on the kernel's side, not inferred from the page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, expect

from .helpers import (
    SANDBOX_SETUP,
    LabPage,
    assert_rendered,
    field_of,
    form_of,
    response_value,
    write_notebook,
)

pytestmark = pytest.mark.browser

RELEASE_SETUP = """\
def new_number(protected):
    n = _call("RequestPhoneNumber", region="us-east-1", IsoCountryCode="US",
              MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"], NumberType="TOLL_FREE",
              DeletionProtectionEnabled=protected)
    return {"id": n["PhoneNumberId"], "number": n["PhoneNumber"]}

numbers = {"free": new_number(False), "locked": new_number(True)}
print(json.dumps(numbers))
form = kit.form("ReleasePhoneNumber", region="us-east-1")
form
"""

STATE_CELL = """\
df = kit.phone_numbers(regions=["us-east-1"], progress=False)
status = dict(zip(df["PhoneNumberId"], df["Status"].astype(str)))
print(json.dumps({"calls": calls, "status": {k: status.get(v["id"], "GONE")
                                              for k, v in numbers.items()}}))
"""


def _open_release_form(lp: LabPage, name: str) -> tuple[Locator, dict[str, Any]]:
    path = write_notebook(lp.lab, name, [SANDBOX_SETUP + RELEASE_SETUP, STATE_CELL])
    lp.open(path)
    numbers = lp.run_json_cell(0)
    assert_rendered(lp)
    state = lp.run_json_cell(1)
    assert state == {"calls": [], "status": {"free": "ACTIVE", "locked": "ACTIVE"}}
    return form_of(lp, "ReleasePhoneNumber"), numbers


def _pick_number(form: Locator, number: str) -> str:
    """Choose the option whose label shows ``number`` (``+1 888-555-0100 · TOLL_FREE · US``)."""
    picker = field_of(form, "PhoneNumberId")
    expect(picker).to_have_class(re.compile(r"\bppv2kit-picker\b"))
    labels = picker.locator("datalist option").evaluate_all("els => els.map(e => e.value)")
    digits = re.sub(r"\D", "", number)
    label = next((x for x in labels if re.sub(r"\D", "", x.split(" · ")[0]) == digits), None)
    assert label, f"{number} is not among the picker's options: {labels}"
    picker.locator("input[type=text]").fill(label)
    expect(picker.locator(".ppv2kit-picker-resolved")).to_contain_text("→ phone-")
    return label


def test_release_asks_first_and_does_nothing_until_confirmed(lab_page: LabPage) -> None:
    lp = lab_page
    form, numbers = _open_release_form(lp, "release.ipynb")
    free = numbers["free"]
    label = _pick_number(form, free["number"])
    call = form.locator("button.ppv2kit-call")
    confirmation = form.locator(".ppv2kit-confirmation")
    expect(call).to_have_text("Call")  # ReleasePhoneNumber has no DryRun
    expect(confirmation).to_be_hidden()

    # First click: a question, no call.
    call.click()
    expect(confirmation).to_be_visible()
    expect(confirmation).to_contain_text("Please confirm.")
    expect(confirmation).to_contain_text(f"{label} ({free['id']}) will be released")
    expect(confirmation).to_contain_text("This cannot be undone")
    assert lp.run_json_cell(1) == {"calls": [], "status": {"free": "ACTIVE", "locked": "ACTIVE"}}

    # Cancel: still nothing.
    form.locator("button.ppv2kit-cancel").click()
    expect(confirmation).to_be_hidden()
    expect(form.locator(".ppv2kit-output")).to_have_text("Cancelled: nothing was sent.")
    assert lp.run_json_cell(1)["calls"] == []

    # Ask again and confirm: released once.
    call.click()
    expect(confirmation).to_be_visible()
    assert lp.run_json_cell(1)["calls"] == []
    form.locator("button.ppv2kit-confirm").click()
    expect(confirmation).to_be_hidden()
    expect(form.locator(".ppv2kit-output .ppv2kit-response")).to_contain_text(
        "ReleasePhoneNumber succeeded"
    )
    expect(response_value(form, "PhoneNumberId")).to_have_text(free["id"])
    expect(response_value(form, "Status")).to_have_text("DELETED")
    state = lp.run_json_cell(1)
    assert state["calls"] == ["ReleasePhoneNumber"]
    assert state["status"]["free"] in {"DELETED", "GONE"}
    assert state["status"]["locked"] == "ACTIVE"


def test_release_with_deletion_protection_shows_the_reason_in_the_form(
    lab_page: LabPage,
) -> None:
    lp = lab_page
    form, numbers = _open_release_form(lp, "release_protected.ipynb")
    locked = numbers["locked"]
    _pick_number(form, locked["number"])
    form.locator("button.ppv2kit-call").click()
    form.locator("button.ppv2kit-confirm").click()

    error = form.locator(".ppv2kit-output .ppv2kit-error")
    expect(error).to_be_visible()
    expect(error.locator(".ppv2kit-error-code")).to_have_text("ConflictException")
    expect(error.locator(".ppv2kit-error-reason")).to_have_text("DELETION_PROTECTION_ENABLED")
    expect(error).to_contain_text("Deletion protection is on")
    expect(error.locator(".ppv2kit-error-message")).to_contain_text(locked["id"])
    # The field that named the protected number is marked, with the reason beside it.
    field = field_of(form, "PhoneNumberId")
    expect(field).to_have_class(re.compile(r"\bppv2kit-invalid\b"))
    expect(field.locator(".ppv2kit-problems")).to_contain_text("ConflictException")
    state = lp.run_json_cell(1)
    assert state == {
        "calls": ["ReleasePhoneNumber"],
        "status": {"free": "ACTIVE", "locked": "ACTIVE"},
    }


def test_bad_e164_number_is_shown_beside_the_field_before_any_call(lab_page: LabPage) -> None:
    lp = lab_page
    path = write_notebook(
        lp.lab,
        "validation.ipynb",
        [
            SANDBOX_SETUP + 'form = kit.form("SendTextMessage", region="us-east-1")\nform',
            'print(json.dumps({"calls": calls}))',
        ],
    )
    lp.open(path)
    lp.run_cell(0)
    assert_rendered(lp)
    form = form_of(lp, "SendTextMessage")
    destination = field_of(form, "DestinationPhoneNumber")
    problems = destination.locator(".ppv2kit-problems")

    # The form says what the tick box means; an unticked member looks unset (grey, italic)
    # whatever its input shows, and stops looking so once ticked.
    expect(form.locator(".ppv2kit-legend")).to_contain_text("ticked box")
    ttl = field_of(form, "TimeToLive")
    ttl_input = ttl.locator(".ppv2kit-input input")
    style = "n => getComputedStyle(n).fontStyle"
    assert ttl_input.evaluate(style) == "italic"
    ttl.locator(".ppv2kit-set input[type=checkbox]").check()
    expect(ttl).not_to_have_class(re.compile(r"\bppv2kit-unset\b"))
    assert ttl_input.evaluate(style) == "normal"
    ttl.locator(".ppv2kit-set input[type=checkbox]").uncheck()
    expect(ttl).to_have_class(re.compile(r"\bppv2kit-unset\b"))
    expect(destination).not_to_have_class(re.compile(r"\bppv2kit-invalid\b"))

    # As you type: the pattern problem appears beside the field.
    destination.locator("input[type=text]").fill("+1 (206) 555-0100")
    field_of(form, "MessageBody").locator("textarea").fill("Your code is 123456")
    expect(destination).to_have_class(re.compile(r"\bppv2kit-invalid\b"))
    expect(problems).to_contain_text("must satisfy regular expression pattern")
    expect(field_of(form, "MessageBody")).not_to_have_class(re.compile(r"\bppv2kit-invalid\b"))

    # Call (DryRun): refused before any call, the field named in the form's output.
    form.locator("button.ppv2kit-call").click()
    output = form.locator(".ppv2kit-output .ppv2kit-error")
    expect(output).to_contain_text("Fix these values; nothing was sent.")
    expect(output.locator("li")).to_have_text([re.compile(r"^DestinationPhoneNumber: must")])
    assert lp.run_json_cell(1) == {"calls": []}

    # Fixed: the problem goes away, and the DryRun call goes through.
    destination.locator("input[type=text]").fill("+14254147755")  # a success simulator
    expect(destination).not_to_have_class(re.compile(r"\bppv2kit-invalid\b"))
    expect(problems).to_have_text("")
    form.locator("button.ppv2kit-call").click()
    expect(response_value(form, "MessageId")).to_have_text(re.compile(r"^[0-9a-f-]{36}$"))
    assert lp.run_json_cell(1) == {"calls": ["SendTextMessage"]}
