"""The registrations notebook as a person runs it: Run All, then read what it shows."""

from __future__ import annotations

from playwright.sync_api import expect

from .helpers import (
    SANDBOX_SETUP,
    LabPage,
    assert_rendered,
    outputs_typeset_as_math,
    problems_of,
    write_notebook,
)

NOTEBOOK = "notebooks/05_registrations.ipynb"


def test_registrations_notebook_runs_all_and_renders(lab_page: LabPage) -> None:
    lab_page.open(NOTEBOOK)
    cells = lab_page.run_all_from_menu()
    assert cells and not problems_of(cells), "\n".join(problems_of(cells))
    assert not [c["index"] for c in cells if c["executionCount"] is None]
    kinds = {r["kind"] for r in assert_rendered(lab_page)}
    assert {"table", "plotly"} <= kinds, sorted(kinds)
    assert not outputs_typeset_as_math(lab_page)
    page = lab_page.page
    for text in ("REQUIRES_UPDATES", "REGISTRATION_MISSING", "Opt-out language missing"):
        assert page.get_by_text(text).first.is_visible(), text
    assert page.locator(".js-plotly-plot").count() >= 2


FORM_SETUP = """\
regs = kit.registrations(regions=["us-east-1"], progress=False)
[reg_id] = regs[regs["RegistrationStatus"] == "REQUIRES_UPDATES"]["RegistrationId"]
form = kit.registration_form(registration_id=reg_id, region="us-east-1")
form
"""

STATE_CELL = """\
v = kit.call("DescribeRegistrationVersions", "us-east-1", RegistrationId=reg_id)
print(json.dumps({"calls": [c for c in calls if not c.startswith("Describe")],
                  "versions": {x["VersionNumber"]: x["RegistrationVersionStatus"]
                               for x in v["RegistrationVersions"]}}))
"""


def test_a_denied_registration_is_fixed_and_resubmitted_in_the_form(lab_page: LabPage) -> None:
    lp = lab_page
    path = write_notebook(lp.lab, "registration.ipynb", [SANDBOX_SETUP + FORM_SETUP, STATE_CELL])
    lp.open(path)
    lp.run_cell(0)
    assert_rendered(lp)
    form = lp.page.locator(".ppv2kit-registration-form")
    expect(form).to_be_visible()
    sample = form.locator(".ppv2kit-regfield-messageSamples-messageSample1")
    expect(sample).to_contain_text("Opt-out language missing")  # the denial's feedback
    expect(form).to_contain_text("Opt-out language missing")
    assert lp.run_json_cell(1) == {"calls": [], "versions": {"1": "DENIED", "2": "DRAFT"}}
    sample.locator("textarea").fill(
        "Juniper Pay: a $[amount] card payment was made. Reply STOP to opt out."
    )
    form.locator("button.ppv2kit-reg-submit").click()
    expect(form.locator("button.ppv2kit-reg-confirm")).to_be_visible()
    assert lp.run_json_cell(1)["calls"] == []  # asked first, nothing sent
    form.locator("button.ppv2kit-reg-confirm").click()
    expect(form.locator(".ppv2kit-reg-output")).to_contain_text("submitted")
    state = lp.run_json_cell(1)
    assert state["calls"][-1] == "SubmitRegistrationVersion"
    assert "PutRegistrationFieldValue" in state["calls"]
    assert state["versions"] == {"1": "DENIED", "2": "SUBMITTED"}
