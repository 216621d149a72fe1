"""The registrations notebook as a person runs it: Run All, then read what it shows."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.registration_support import BRAND

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


NEW_BRAND = """\
form = kit.registration_form("US_TEN_DLC_BRAND_REGISTRATION", region="us-east-1")
reg_id = None
form
"""

NEW_STATE = """\
reg_id = form.registration_id
status = None
if reg_id:
    sb.advance(5 * 3600)  # past the sandbox brand's 4 hours to REVIEWING, before its decision
    [r] = kit.call("DescribeRegistrations", "us-east-1", RegistrationIds=[reg_id])["Registrations"]
    status = r["RegistrationStatus"]
print(json.dumps({"calls": [c for c in calls if not c.startswith("Describe")], "status": status}))
"""


def test_a_new_brand_is_filled_saved_and_submitted_in_the_form(lab_page: LabPage) -> None:
    lp = lab_page
    path = write_notebook(lp.lab, "new_brand.ipynb", [SANDBOX_SETUP + NEW_BRAND, NEW_STATE])
    lp.open(path)
    lp.run_cell(0)
    assert_rendered(lp)
    form = lp.page.locator(".ppv2kit-registration-form")
    expect(form).to_be_visible()
    for field, value in BRAND.items():
        row = form.locator(f".ppv2kit-regfield-{field.replace('.', '-')}")
        if isinstance(value, list):
            row.locator("select").select_option(value)
        else:
            row.locator("input, textarea").first.fill(value)
    form.locator("button.ppv2kit-reg-save").click()
    expect(form.locator(".ppv2kit-reg-output")).to_contain_text(f"saved {len(BRAND)} field(s)")
    form.locator("button.ppv2kit-reg-submit").click()
    expect(form.locator("button.ppv2kit-reg-confirm")).to_be_visible()
    form.locator("button.ppv2kit-reg-confirm").click()
    expect(form.locator(".ppv2kit-reg-output")).to_contain_text("submitted")
    state = lp.run_json_cell(1)
    assert state["calls"][0] == "CreateRegistration"
    assert state["calls"][-1] == "SubmitRegistrationVersion"
    assert state["status"] == "REVIEWING"
