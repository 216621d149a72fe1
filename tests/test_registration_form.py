"""Registration forms built from the service's definitions, through boto3 on the sandbox."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import ipywidgets as widgets
import pytest

import ppv2kit
from ppv2kit.forms.registration import RegistrationForm
from ppv2kit.sandbox import registration_catalog as catalog
from tests.registration_support import BRAND, CAMPAIGN, PNG, TOLL_FREE, complete_brand, create

pytestmark = pytest.mark.sandbox_clock(datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc))

BRAND_TYPE = "US_TEN_DLC_BRAND_REGISTRATION"
CAMPAIGN_TYPE = "US_TEN_DLC_CAMPAIGN_REGISTRATION"


@pytest.fixture
def kit(sandbox: Any) -> Any:
    return ppv2kit.connect(sandbox=sandbox, regions=["us-east-1"])


def _registrations(client: Any) -> list[dict[str, Any]]:
    return client.describe_registrations()["Registrations"]


def test_a_new_form_follows_the_definitions(kit: Any, client: Any) -> None:
    form = kit.registration_form(BRAND_TYPE, region="us-east-1")
    assert isinstance(form, RegistrationForm)
    sections = client.describe_registration_section_definitions(RegistrationType=BRAND_TYPE)
    fields = client.describe_registration_field_definitions(RegistrationType=BRAND_TYPE)
    assert [s["SectionPath"] for s in form.sections] == [
        s["SectionPath"] for s in sections["RegistrationSectionDefinitions"]
    ]
    definitions = fields["RegistrationFieldDefinitions"]
    assert list(form.definitions) == [f["FieldPath"] for f in definitions]
    for d in definitions:
        box = form._inputs[d["FieldPath"]]
        expected = {"SELECT": (widgets.Dropdown, widgets.SelectMultiple)}.get(
            d["FieldType"], (widgets.FileUpload,) if d["FieldType"] == "ATTACHMENT" else None
        )
        if expected:
            assert isinstance(box, expected), d["FieldPath"]
        else:
            assert isinstance(box, (widgets.Text, widgets.Textarea)), d["FieldPath"]
        label = form._rows[d["FieldPath"]].children[0].children[0].value
        assert label.endswith(" *") == (d["FieldRequirement"] == "REQUIRED"), d["FieldPath"]
    # CONDITIONAL fields appear only while their condition holds.
    conditional = [d for d in definitions if d["FieldRequirement"] == "CONDITIONAL"]
    assert conditional
    path = conditional[0]["FieldPath"]
    condition = conditional[0]["ConditionalBehavior"]["Rules"][0]["Conditions"][0]
    assert not form.visible(path) and form._rows[path].layout.display == "none"
    form.set_value({condition["DependsOnFieldPath"]: [condition["Values"][0]]})
    assert form.visible(path) and form._rows[path].layout.display == ""
    assert form.required(path)
    with pytest.raises(KeyError):
        form.set_value({"companyInfo.nope": "x"})


def test_validate_names_each_problem_before_any_call(kit: Any, client: Any) -> None:
    form = kit.registration_form(BRAND_TYPE)
    problems = form.validate()
    required = {
        f["FieldPath"]
        for f in client.describe_registration_field_definitions(RegistrationType=BRAND_TYPE)[
            "RegistrationFieldDefinitions"
        ]
        if f["FieldRequirement"] == "REQUIRED"
    }
    assert set(problems) == required
    assert form.error is not None and form.error.kind == "validation"
    form.set_value({**BRAND, "contactInfo.supportEmail": "not an email"})
    form.set_value({"contactInfo.vertical": ["NOT_A_VERTICAL"]})
    problems = form.validate()
    assert set(problems) == {"contactInfo.supportEmail", "contactInfo.vertical"}
    assert "not an option" in problems["contactInfo.vertical"][0]
    assert form._problem_widgets["contactInfo.supportEmail"].value
    # typing in the box checks it at once
    form._inputs["contactInfo.supportEmail"].value = "still wrong"
    assert form._problem_widgets["contactInfo.supportEmail"].value
    form._inputs["contactInfo.supportEmail"].value = "help@juniperpay.example"
    assert form._problem_widgets["contactInfo.supportEmail"].value == ""
    assert _registrations(client) == []  # nothing was called


def test_save_puts_and_deletes_then_submit_asks_first(kit: Any, client: Any, sandbox: Any) -> None:
    form = kit.registration_form(BRAND_TYPE)
    form.set_value({**BRAND, "companyInfo.stockSymbol": "JPAY"})
    assert form.save() == len(BRAND) + 1
    reg_id = form.registration_id
    stored = {
        v["FieldPath"]: v.get("TextValue", v.get("SelectChoices"))
        for v in client.describe_registration_field_values(RegistrationId=reg_id)[
            "RegistrationFieldValues"
        ]
    }
    assert stored == {**BRAND, "companyInfo.stockSymbol": "JPAY"}
    form.set_value({"companyInfo.stockSymbol": None})
    assert form.save() == 1
    paths = {
        v["FieldPath"]
        for v in client.describe_registration_field_values(RegistrationId=reg_id)[
            "RegistrationFieldValues"
        ]
    }
    assert "companyInfo.stockSymbol" not in paths
    assert form.save() == 0
    assert form.submit() is None  # asks in the widget first
    assert form.confirm_box.layout.display == "" and "Submit" in form.confirm_text.value
    [reg] = client.describe_registrations(RegistrationIds=[reg_id])["Registrations"]
    assert reg["RegistrationStatus"] == "CREATED"
    form.confirm_button.click()
    assert form.error is None, form.error
    assert form.confirm_box.layout.display == "none"
    sandbox.advance(catalog.TEN_DLC_BRAND.to_reviewing + 1)
    [reg] = client.describe_registrations(RegistrationIds=[reg_id])["Registrations"]
    assert reg["RegistrationStatus"] == "REVIEWING"


def test_an_attachment_uploads_and_an_aws_error_is_kept(kit: Any, client: Any) -> None:
    form = kit.registration_form("US_TOLL_FREE_REGISTRATION")
    attachment = form.attach("messagingUseCase.optInImage", PNG)
    assert attachment and form.value["messagingUseCase.optInImage"] == attachment
    listed = client.describe_registration_attachments()["RegistrationAttachments"]
    assert [a["RegistrationAttachmentId"] for a in listed] == [attachment]
    form.set_value(TOLL_FREE)
    form.save()
    # no toll-free number associated yet: the service refuses and the form says why
    assert form.submit(confirm=True) is None
    assert form.error is not None and form.error.kind == "aws"
    assert form.error.code == "ConflictException"
    assert "error" in form.output.value.lower() or form.error.reason in form.output.value


def test_a_denied_registration_opens_with_feedback_and_starts_a_new_version(
    kit: Any, client: Any, sandbox: Any
) -> None:
    brand = complete_brand(client, sandbox)
    sample = "messageSamples.messageSample1"
    campaign = create(
        client, CAMPAIGN_TYPE, {**CAMPAIGN, sample: "Juniper Pay: a $[amount] payment was made."}
    )
    client.create_registration_association(RegistrationId=campaign, ResourceId=brand)
    client.submit_registration_version(RegistrationId=campaign)
    sandbox.advance(catalog.TEN_DLC_CAMPAIGN.to_reviewing + catalog.TEN_DLC_CAMPAIGN.to_decision)
    form = kit.registration_form(registration_id=campaign, region="us-east-1")
    assert form.registration_type == CAMPAIGN_TYPE
    assert [r["Reason"] for r in form.denied_reasons] == ["Opt-out language missing"]
    assert "STOP" in form.feedback[sample]
    assert "STOP" in form._rows[sample].children[1].value
    assert "Opt-out language missing" in form.denial.value
    assert form.new_version_button.layout.display == ""
    assert form.new_version()["VersionNumber"] == 2
    assert form.value[sample].startswith("Juniper Pay: a $[amount]")  # kept from version 1
    form.set_value({sample: CAMPAIGN[sample]})
    assert form.submit(confirm=True) is not None, form.error
    sandbox.review(campaign, "COMPLETE")
    [reg] = client.describe_registrations(RegistrationIds=[campaign])["Registrations"]
    assert (reg["RegistrationStatus"], reg["ApprovedVersionNumber"]) == ("COMPLETE", 2)


def test_associations_are_picked_from_the_accounts_resources(kit: Any, client: Any) -> None:
    number = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )
    client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TEN_DLC",
    )
    form = kit.registration_form("US_TOLL_FREE_REGISTRATION")
    picker = form.pickers["phone-number"]
    assert [v for _, v in picker.options] == [number["PhoneNumberId"]]
    form.set_value(
        {
            **TOLL_FREE,
            "messagingUseCase.optInImage": form.attach("messagingUseCase.optInImage", PNG),
        }
    )
    assert form.associate(picker.value) is not None, form.error
    assoc = client.list_registration_associations(RegistrationId=form.registration_id)
    assert [a["ResourceId"] for a in assoc["RegistrationAssociations"]] == [number["PhoneNumberId"]]
    assert form.submit(confirm=True) is not None, form.error


def test_a_blank_draft_after_a_denial_offers_the_denied_values() -> None:
    from ppv2kit.sandbox import Sandbox

    sb = Sandbox(seed="demo", now=datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc), strict=True)
    try:
        kit = ppv2kit.connect(sandbox=sb, regions=["us-east-1"])
        regs = kit.registrations()
        [reg_id] = regs[regs["RegistrationStatus"] == "REQUIRES_UPDATES"]["RegistrationId"]
        form = kit.registration_form(registration_id=reg_id)
        client = sb.client(region_name="us-east-1")
        denied = client.describe_registration_field_values(RegistrationId=reg_id, VersionNumber=1)
        assert set(form.value) == {v["FieldPath"] for v in denied["RegistrationFieldValues"]}
        sample = "messageSamples.messageSample1"
        assert "STOP" in form.feedback[sample]
        form.set_value({sample: CAMPAIGN[sample]})
        done = form.submit(confirm=True)
        assert done is not None and done["VersionNumber"] == 2, form.error
    finally:
        sb.close()


def test_the_form_is_part_of_the_forms_package(kit: Any) -> None:
    import ppv2kit.forms as forms

    assert forms.RegistrationForm is RegistrationForm
    built = forms.registration_form(kit, "US_TOLL_FREE_REGISTRATION", region="us-east-1")
    assert isinstance(built, RegistrationForm)
    assert type(kit.registration_form("US_TOLL_FREE_REGISTRATION", region="us-east-1")) is type(
        built
    )
