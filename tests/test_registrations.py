"""Registrations through both transports: forms, attachments, associations, review, events."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ppv2kit.sandbox import registration_catalog as catalog
from tests.registration_support import (
    BRAND,
    CAMPAIGN,
    PDF,
    PNG,
    SENDER_ID_AU,
    complete_brand,
    create,
    fill,
    put,
    status,
    toll_free_form,
    version,
)
from tests.support import aws_error, field_names

DAY = 86400
BRAND_TYPE = "US_TEN_DLC_BRAND_REGISTRATION"
CAMPAIGN_TYPE = "US_TEN_DLC_CAMPAIGN_REGISTRATION"
TFN_TYPE = "US_TOLL_FREE_REGISTRATION"


def ten_dlc_number(client):
    return client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TEN_DLC",
    )


def toll_free_number(client):
    return client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )


# -- definitions -------------------------------------------------------------------------------


def test_the_type_definitions_list_the_catalog_with_their_associations(client):
    types = client.describe_registration_type_definitions()["RegistrationTypeDefinitions"]
    names = [t["RegistrationType"] for t in types]
    assert {BRAND_TYPE, "US_TEN_DLC_BRAND_VETTING", CAMPAIGN_TYPE, TFN_TYPE} <= set(names)
    assert "US_SHORT_CODE_REGISTRATION" in names
    assert len([n for n in names if n.endswith("_SENDER_ID_REGISTRATION")]) >= 3
    campaign = next(t for t in types if t["RegistrationType"] == CAMPAIGN_TYPE)
    assert {
        "ResourceType": "phone-number",
        "IsoCountryCode": "US",
        "AssociationBehavior": "ASSOCIATE_AFTER_COMPLETE",
        "DisassociationBehavior": "DISASSOCIATE_ALL_ALLOWS_DELETE_REGISTRATION",
    } in campaign["SupportedAssociations"]
    assert campaign["DisplayHints"]["Title"]
    senders = client.describe_registration_type_definitions(
        Filters=[{"Name": "supported-association-resource-type", "Values": ["sender-id"]}]
    )["RegistrationTypeDefinitions"]
    assert senders and all(
        t["SupportedAssociations"][0]["AssociationBehavior"] == "ASSOCIATE_ON_APPROVAL"
        for t in senders
    )
    au = client.describe_registration_type_definitions(
        Filters=[{"Name": "supported-association-iso-country-code", "Values": ["AU"]}]
    )["RegistrationTypeDefinitions"]
    assert [t["RegistrationType"] for t in au] == ["AU_SENDER_ID_REGISTRATION"]


def test_section_and_field_definitions_come_from_the_catalog(client):
    sections = client.describe_registration_section_definitions(RegistrationType=CAMPAIGN_TYPE)
    assert sections["RegistrationType"] == CAMPAIGN_TYPE
    assert [s["SectionPath"] for s in sections["RegistrationSectionDefinitions"]] == [
        "campaignInfo",
        "campaignCapabilities",
        "campaignUseCase",
        "messageSamples",
        "mmsFileSamples",
    ]
    fields = client.describe_registration_field_definitions(
        RegistrationType=BRAND_TYPE, SectionPath="companyInfo"
    )["RegistrationFieldDefinitions"]
    by_path = {f["FieldPath"]: f for f in fields}
    assert by_path["companyInfo.companyName"]["TextValidation"]["MaxLength"] == 100
    legal = by_path["companyInfo.legalType"]
    assert (
        legal["FieldType"] == "SELECT" and "PUBLIC_PROFIT" in legal["SelectValidation"]["Options"]
    )
    symbol = by_path["companyInfo.stockSymbol"]
    assert symbol["FieldRequirement"] == "CONDITIONAL"
    [rule] = symbol["ConditionalBehavior"]["Rules"]
    assert rule["Conditions"][0]["DependsOnFieldPath"] == "companyInfo.legalType"
    assert all(f["SectionPath"] == "companyInfo" for f in fields)
    one = client.describe_registration_field_definitions(
        RegistrationType=CAMPAIGN_TYPE, FieldPaths=["campaignInfo.optInScreenshot"]
    )["RegistrationFieldDefinitions"]
    assert [(f["FieldPath"], f["FieldType"]) for f in one] == [
        ("campaignInfo.optInScreenshot", "ATTACHMENT")
    ]


def test_unknown_types_sections_and_fields_are_named(client):
    r = aws_error(
        lambda: client.describe_registration_field_definitions(RegistrationType="US_NOPE"),
        "ValidationException",
        "UNKNOWN_REGISTRATION_TYPE",
    )
    assert field_names(r) == ["RegistrationType"]
    aws_error(
        lambda: client.create_registration(RegistrationType="US_NOPE"),
        "ValidationException",
        "UNKNOWN_REGISTRATION_TYPE",
    )
    aws_error(
        lambda: client.describe_registration_section_definitions(
            RegistrationType=BRAND_TYPE, SectionPaths=["campaignInfo"]
        ),
        "ValidationException",
        "UNKNOWN_REGISTRATION_SECTION",
    )
    reg = create(client, BRAND_TYPE)
    r = aws_error(
        lambda: put(client, reg, "companyInfo.shoeSize", "42"),
        "ValidationException",
        "UNKNOWN_REGISTRATION_FIELD",
    )
    assert field_names(r) == ["FieldPath"] and "companyInfo.shoeSize" in r["Error"]["Message"]
    aws_error(
        lambda: put(client, reg, "campaignInfo.vertical", ["RETAIL"]),
        "ValidationException",
        "UNKNOWN_REGISTRATION_SECTION",
    )


# -- field values ------------------------------------------------------------------------------


def test_field_values_are_checked_against_their_definitions(client):
    reg = create(client, BRAND_TYPE)
    cases = [
        ("companyInfo.legalType", ["PRIVATE"], "not an option"),
        ("companyInfo.legalType", ["PRIVATE_PROFIT", "NON_PROFIT"], "1 to 1 choices"),
        ("companyInfo.companyName", "x" * 101, "1 to 100 characters"),
        ("contactInfo.supportPhoneNumber", "206-555-0142", "pattern"),
        ("contactInfo.supportEmail", "not-an-email", "pattern"),
        ("companyInfo.companyName", ["Juniper"], "is a TEXT field"),
    ]
    for path, value, words in cases:
        r = aws_error(
            lambda path=path, value=value: put(client, reg, path, value),
            "ValidationException",
            "FIELD_VALIDATION_FAILED",
        )
        assert field_names(r) == [path], r
        assert words in r["Error"]["Message"], r
    aws_error(
        lambda: client.put_registration_field_value(
            RegistrationId=reg, FieldPath="companyInfo.city"
        ),
        "ValidationException",
        "MISSING_PARAMETER",
    )
    aws_error(
        lambda: client.put_registration_field_value(
            RegistrationId=reg, FieldPath="companyInfo.city", TextValue="X", SelectChoices=["Y"]
        ),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert (
        client.describe_registration_field_values(RegistrationId=reg)["RegistrationFieldValues"]
        == []
    )


def test_values_are_put_listed_in_form_order_and_deleted(client):
    reg = create(client, BRAND_TYPE)
    answer = put(client, reg, "contactInfo.vertical", ["FINANCIAL"])
    assert answer["VersionNumber"] == 1 and answer["SelectChoices"] == ["FINANCIAL"]
    put(client, reg, "companyInfo.companyName", "Juniper Pay Inc")
    listed = client.describe_registration_field_values(RegistrationId=reg)
    assert listed["VersionNumber"] == 1 and listed["RegistrationId"] == reg
    assert [v["FieldPath"] for v in listed["RegistrationFieldValues"]] == [
        "companyInfo.companyName",
        "contactInfo.vertical",
    ]
    only = client.describe_registration_field_values(RegistrationId=reg, SectionPath="contactInfo")
    assert [v["FieldPath"] for v in only["RegistrationFieldValues"]] == ["contactInfo.vertical"]
    gone = client.delete_registration_field_value(
        RegistrationId=reg, FieldPath="contactInfo.vertical"
    )
    assert gone["SelectChoices"] == ["FINANCIAL"]
    listed = client.describe_registration_field_values(RegistrationId=reg)
    assert [v["FieldPath"] for v in listed["RegistrationFieldValues"]] == [
        "companyInfo.companyName"
    ]
    aws_error(
        lambda: client.describe_registration_field_values(RegistrationId=reg, VersionNumber=7),
        "ValidationException",
        "UNKNOWN_REGISTRATION_VERSION",
    )


# -- the 10DLC story ---------------------------------------------------------------------------


def test_a_brand_and_a_campaign_go_from_draft_to_complete_on_the_sandbox_clock(client, sandbox):
    start = sandbox.time()
    brand = create(client, BRAND_TYPE)
    created = client.describe_registrations(RegistrationIds=[brand])["Registrations"][0]
    assert re.fullmatch(r"registration-[0-9a-f]{32}", brand)
    assert created["RegistrationArn"].endswith(f":registration/{brand}")
    assert (created["RegistrationStatus"], created["CurrentVersionNumber"]) == ("CREATED", 1)
    r = aws_error(
        lambda: client.submit_registration_version(RegistrationId=brand),
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
        ResourceId=brand,
    )
    assert "companyInfo.companyName" in r["Error"]["Message"]
    fill(client, brand, BRAND)
    submitted = client.submit_registration_version(RegistrationId=brand)
    assert submitted["RegistrationVersionStatus"] == "SUBMITTED" and submitted["AwsReview"] is False
    aws_error(
        lambda: put(client, brand, "companyInfo.city", "Tacoma"),
        "ConflictException",
        "EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED",
    )
    aws_error(
        lambda: client.submit_registration_version(RegistrationId=brand),
        "ConflictException",
        "REGISTRATION_ALREADY_SUBMITTED",
    )
    aws_error(
        lambda: client.create_registration_version(RegistrationId=brand),
        "ConflictException",
        "CREATE_REGISTRATION_VERSION_NOT_ALLOWED",
    )
    sandbox.advance(catalog.TEN_DLC_BRAND.to_reviewing + 1)
    assert status(client, brand) == "REVIEWING"
    aws_error(
        lambda: client.delete_registration(RegistrationId=brand),
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
    )
    sandbox.advance(catalog.TEN_DLC_BRAND.to_decision)
    assert status(client, brand) == "PROVISIONING"
    sandbox.advance(catalog.TEN_DLC_BRAND.to_complete)
    [reg] = client.describe_registrations(RegistrationIds=[brand])["Registrations"]
    assert reg["RegistrationStatus"] == "COMPLETE" and reg["ApprovedVersionNumber"] == 1
    assert reg["AdditionalAttributes"]["TCR_BRAND_ID"].startswith("B")
    history = version(client, brand, 1)["RegistrationVersionStatusHistory"]
    reviewing = history["ReviewingTimestamp"].timestamp()
    approved = history["ApprovedTimestamp"].timestamp()
    assert reviewing - history["SubmittedTimestamp"].timestamp() == pytest.approx(
        catalog.TEN_DLC_BRAND.to_reviewing, abs=1
    )
    assert approved - reviewing == pytest.approx(catalog.TEN_DLC_BRAND.to_decision, abs=1)
    assert start <= history["DraftTimestamp"].timestamp() <= start + 60

    campaign = create(client, CAMPAIGN_TYPE, CAMPAIGN)
    r = aws_error(
        lambda: client.submit_registration_version(RegistrationId=campaign),
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
    )
    assert "registration" in r["Error"]["Message"]
    number = ten_dlc_number(client)
    aws_error(
        lambda: client.create_registration_association(
            RegistrationId=campaign, ResourceId=number["PhoneNumberId"]
        ),
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
    )
    linked = client.create_registration_association(RegistrationId=campaign, ResourceId=brand)
    assert (linked["ResourceType"], linked["ResourceId"]) == ("registration", brand)
    aws_error(
        lambda: client.create_registration_association(RegistrationId=campaign, ResourceId=brand),
        "ConflictException",
        "RESOURCE_ALREADY_ASSOCIATED",
    )
    client.submit_registration_version(RegistrationId=campaign)
    sandbox.advance(catalog.TEN_DLC_CAMPAIGN.to_reviewing + catalog.TEN_DLC_CAMPAIGN.to_decision)
    assert status(client, campaign) == "PROVISIONING"
    sandbox.advance(catalog.TEN_DLC_CAMPAIGN.to_complete)
    assert status(client, campaign) == "COMPLETE"
    assoc = client.create_registration_association(
        RegistrationId=campaign, ResourceId=number["PhoneNumberArn"]
    )
    assert assoc["PhoneNumber"] == number["PhoneNumber"] and assoc["IsoCountryCode"] == "US"
    listed = client.list_registration_associations(RegistrationId=campaign)
    assert listed["RegistrationType"] == CAMPAIGN_TYPE
    assert [a["ResourceType"] for a in listed["RegistrationAssociations"]] == [
        "registration",
        "phone-number",
    ]
    phones = client.list_registration_associations(
        RegistrationId=campaign, Filters=[{"Name": "resource-type", "Values": ["phone-number"]}]
    )["RegistrationAssociations"]
    assert [a["ResourceId"] for a in phones] == [number["PhoneNumberId"]]
    described = client.describe_phone_numbers(PhoneNumberIds=[number["PhoneNumberId"]])
    assert described["PhoneNumbers"][0]["RegistrationId"] == campaign
    aws_error(
        lambda: client.delete_registration(RegistrationId=brand),
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
    )

    events = sandbox.registration_events()
    assert list(events.loc[events.registrationId == brand, "currentStatus"]) == [
        "CREATED",
        "SUBMITTED",
        "REVIEWING",
        "PROVISIONING",
        "COMPLETE",
    ]
    assert str(events["time"].dtype) == "datetime64[ns, UTC]"
    assert events["time"].is_monotonic_increasing
    record = events.iloc[-1]["event"]
    assert record["detail-type"] == "Registration Status Change"
    assert record["source"] == "aws.sms-voice"
    details = record["detail"]["registrationDetails"]
    assert details["registrationType"] == CAMPAIGN_TYPE
    assert details["currentStatus"] == "COMPLETE" and details["previousStatus"] == "PROVISIONING"
    assert record["resources"] == [record["detail"]["registrationArn"]]


def test_a_campaign_without_opt_out_wording_is_denied_with_feedback_and_fixed(client, sandbox):
    brand = complete_brand(client, sandbox)
    campaign = create(
        client,
        CAMPAIGN_TYPE,
        {**CAMPAIGN, "messageSamples.messageSample1": "Juniper Pay: a $[amount] payment was made."},
    )
    client.create_registration_association(RegistrationId=campaign, ResourceId=brand)
    client.submit_registration_version(RegistrationId=campaign)
    sandbox.advance(catalog.TEN_DLC_CAMPAIGN.to_reviewing + catalog.TEN_DLC_CAMPAIGN.to_decision)
    [reg] = client.describe_registrations(RegistrationIds=[campaign])["Registrations"]
    assert reg["RegistrationStatus"] == "REQUIRES_UPDATES"
    assert reg["LatestDeniedVersionNumber"] == 1
    denied = version(client, campaign, 1)
    assert denied["RegistrationVersionStatus"] == "DENIED"
    assert [d["Reason"] for d in denied["DeniedReasons"]] == ["Opt-out language missing"]
    assert denied["DeniedReasons"][0]["DocumentationLink"].startswith("https://")
    values = client.describe_registration_field_values(RegistrationId=campaign, VersionNumber=1)
    sample = next(
        v
        for v in values["RegistrationFieldValues"]
        if v["FieldPath"] == "messageSamples.messageSample1"
    )
    assert sample["DeniedReason"] == "Opt-out language missing" and "STOP" in sample["Feedback"]
    aws_error(
        lambda: put(client, campaign, "messageSamples.messageSample1", "x" * 30),
        "ConflictException",
        "EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED",
    )
    aws_error(
        lambda: client.submit_registration_version(RegistrationId=campaign),
        "ConflictException",
        "SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED",
    )

    second = client.create_registration_version(RegistrationId=campaign)
    assert (second["VersionNumber"], second["RegistrationVersionStatus"]) == (2, "DRAFT")
    blank = client.describe_registration_field_values(RegistrationId=campaign)
    assert blank["VersionNumber"] == 2 and blank["RegistrationFieldValues"] == []
    fill(client, campaign, CAMPAIGN)
    client.submit_registration_version(RegistrationId=campaign)
    sandbox.review(campaign, "COMPLETE")
    [reg] = client.describe_registrations(RegistrationIds=[campaign])["Registrations"]
    assert (reg["RegistrationStatus"], reg["ApprovedVersionNumber"]) == ("COMPLETE", 2)
    assert reg["LatestDeniedVersionNumber"] == 1
    statuses = client.describe_registration_versions(
        RegistrationId=campaign,
        Filters=[{"Name": "registration-version-status", "Values": ["DENIED"]}],
    )["RegistrationVersions"]
    assert [v["VersionNumber"] for v in statuses] == [1]


def test_a_newer_approved_version_archives_the_older_and_revocation(client, sandbox):
    brand = complete_brand(client, sandbox)
    client.create_registration_version(RegistrationId=brand)
    fill(client, brand, {**BRAND, "companyInfo.address": "2 Main Street"})
    client.submit_registration_version(RegistrationId=brand)
    assert status(client, brand) == "SUBMITTED"
    sandbox.review(brand, "APPROVED")
    assert version(client, brand, 1)["RegistrationVersionStatus"] == "ARCHIVED"
    assert "ArchivedTimestamp" in version(client, brand, 1)["RegistrationVersionStatusHistory"]
    assert version(client, brand, 2)["RegistrationVersionStatus"] == "APPROVED"
    assert status(client, brand) == "COMPLETE"  # the registration stayed in force
    sandbox.review(brand, "REVOKED")
    assert version(client, brand, 2)["RegistrationVersionStatus"] == "REVOKED"
    assert status(client, brand) == "REQUIRES_UPDATES"
    with pytest.raises(ValueError, match="not under review"):
        sandbox.review(brand, "APPROVED")
    with pytest.raises(ValueError, match="outcome must be one of"):
        sandbox.review(brand, "MAYBE")


def test_a_public_company_waits_for_authentication(client, sandbox):
    brand = create(
        client,
        BRAND_TYPE,
        {**BRAND, "companyInfo.legalType": ["PUBLIC_PROFIT"]},
    )
    r = aws_error(
        lambda: client.submit_registration_version(RegistrationId=brand),
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
    )
    assert "companyInfo.stockSymbol (required when companyInfo.legalType" in r["Error"]["Message"]
    fill(
        client,
        brand,
        {
            "companyInfo.stockSymbol": "JNPR",
            "companyInfo.stockExchange": ["NASDAQ"],
            "companyInfo.businessContactEmail": "ir@juniperpay.example",
        },
    )
    client.submit_registration_version(RegistrationId=brand)
    sandbox.advance(catalog.TEN_DLC_BRAND.to_reviewing + catalog.TEN_DLC_BRAND.to_decision + 1)
    assert status(client, brand) == "REQUIRES_AUTHENTICATION"
    sandbox.advance(30 * DAY)  # nobody answered the email: it waits
    assert version(client, brand, 1)["RegistrationVersionStatus"] == "REQUIRES_AUTHENTICATION"
    sandbox.review(brand, "COMPLETE")
    assert status(client, brand) == "COMPLETE"


def test_aws_review_hands_back_a_draft_with_feedback(client, sandbox):
    brand = complete_brand(client, sandbox)
    campaign = create(
        client,
        CAMPAIGN_TYPE,
        {**CAMPAIGN, "messageSamples.messageSample1": "Juniper Pay: see https://bit.ly/x now."},
    )
    client.create_registration_association(RegistrationId=campaign, ResourceId=brand)
    sent = client.submit_registration_version(RegistrationId=campaign, AwsReview=True)
    assert (sent["RegistrationVersionStatus"], sent["AwsReview"]) == ("AWS_REVIEWING", True)
    assert status(client, campaign) == "AWS_REVIEWING"
    sandbox.advance(3600)
    v = version(client, campaign, 1)
    assert v["RegistrationVersionStatus"] == "DRAFT"
    assert "AwsReviewingTimestamp" in v["RegistrationVersionStatusHistory"]
    assert "link" in v["Feedback"].lower() or "shortener" in v["Feedback"].lower()
    assert status(client, campaign) == "CREATED"
    put(
        client, campaign, "messageSamples.messageSample1", CAMPAIGN["messageSamples.messageSample1"]
    )
    client.submit_registration_version(RegistrationId=campaign, AwsReview=True)
    sandbox.advance(3600)
    assert status(client, campaign) == "SUBMITTED"


def test_discard_only_while_submitted(client, sandbox):
    brand = create(client, BRAND_TYPE, BRAND)
    aws_error(
        lambda: client.discard_registration_version(RegistrationId=brand),
        "ConflictException",
        "DISCARD_REGISTRATION_VERSION_NOT_ALLOWED",
    )
    client.submit_registration_version(RegistrationId=brand)
    discarded = client.discard_registration_version(RegistrationId=brand)
    assert discarded["RegistrationVersionStatus"] == "DISCARDED"
    assert "DiscardedTimestamp" in discarded["RegistrationVersionStatusHistory"]
    assert status(client, brand) == "CREATED"
    sandbox.advance(60 * DAY)  # a discarded version is not reviewed
    assert status(client, brand) == "CREATED"
    assert client.create_registration_version(RegistrationId=brand)["VersionNumber"] == 2


def test_offline_review_keeps_the_registration_reviewing(client, sandbox):
    brand = create(client, BRAND_TYPE, BRAND)
    client.submit_registration_version(RegistrationId=brand)
    sandbox.review(brand, "REQUIRES_OFFLINE_REVIEW")
    assert version(client, brand, 1)["RegistrationVersionStatus"] == "REQUIRES_OFFLINE_REVIEW"
    assert status(client, brand) == "REVIEWING"
    sandbox.review(brand, "DENIED", ["Tax ID not found"], feedback={"companyInfo.taxId": "Check"})
    v = version(client, brand, 1)
    assert v["DeniedReasons"][0]["Reason"] == "Tax ID not found"
    values = client.describe_registration_field_values(
        RegistrationId=brand, FieldPaths=["companyInfo.taxId"]
    )["RegistrationFieldValues"]
    assert values[0]["Feedback"] == "Check"


# -- toll-free, sender IDs, associations -------------------------------------------------------


def test_a_toll_free_registration_needs_its_number_before_submit(client, sandbox):
    form = toll_free_form(client)
    reg = create(client, TFN_TYPE, form)
    r = aws_error(
        lambda: client.submit_registration_version(RegistrationId=reg),
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
    )
    assert "phone-number" in r["Error"]["Message"]
    ten_dlc = ten_dlc_number(client)
    r = aws_error(
        lambda: client.create_registration_association(
            RegistrationId=reg, ResourceId=ten_dlc["PhoneNumberId"]
        ),
        "ValidationException",
        "INVALID_REGISTRATION_ASSOCIATION",
    )
    assert field_names(r) == ["ResourceId"]
    number = toll_free_number(client)
    client.create_registration_association(RegistrationId=reg, ResourceId=number["PhoneNumberId"])
    aws_error(
        lambda: client.create_registration_association(
            RegistrationId=reg, ResourceId=toll_free_number(client)["PhoneNumberId"]
        ),
        "ServiceQuotaExceededException",
        "PHONE_NUMBERS_PER_REGISTRATION",
    )
    other = create(client, TFN_TYPE)
    aws_error(
        lambda: client.create_registration_association(
            RegistrationId=other, ResourceId=number["PhoneNumberId"]
        ),
        "ConflictException",
        "RESOURCE_ALREADY_ASSOCIATED",
    )
    client.submit_registration_version(RegistrationId=reg)
    aws_error(
        lambda: client.delete_registration_attachment(
            RegistrationAttachmentId=form["messagingUseCase.optInImage"]
        ),
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
    )
    sandbox.advance(catalog.TOLL_FREE.to_reviewing + 1)
    assert status(client, reg) == "REVIEWING"
    sandbox.advance(catalog.TOLL_FREE.to_decision + catalog.TOLL_FREE.to_complete)
    assert status(client, reg) == "COMPLETE"


def test_an_approved_sender_id_registration_provisions_the_sender_id(client, sandbox):
    reg = create(client, "AU_SENDER_ID_REGISTRATION", SENDER_ID_AU)
    aws_error(
        lambda: client.create_registration_association(
            RegistrationId=reg,
            ResourceId="arn:aws:sms-voice:us-east-1:123456789012:sender-id/JuniperPay/AU",
        ),
        "ValidationException",
        "INVALID_REGISTRATION_ASSOCIATION",
    )
    client.submit_registration_version(RegistrationId=reg)
    sandbox.review(reg, "COMPLETE")
    [sender] = client.describe_sender_ids()["SenderIds"]
    assert (sender["SenderId"], sender["IsoCountryCode"]) == ("JuniperPay", "AU")
    assert sender["Registered"] is True and sender["RegistrationId"] == reg
    [assoc] = client.list_registration_associations(RegistrationId=reg)["RegistrationAssociations"]
    assert (assoc["ResourceType"], assoc["ResourceId"]) == ("sender-id", "JuniperPay")


def test_a_generic_sender_id_is_denied(client, sandbox):
    reg = create(
        client, "AU_SENDER_ID_REGISTRATION", {**SENDER_ID_AU, "senderIdInfo.senderId": "INFO"}
    )
    client.submit_registration_version(RegistrationId=reg)
    sandbox.advance(10 * 7 * DAY)
    assert status(client, reg) == "REQUIRES_UPDATES"
    assert version(client, reg, 1)["DeniedReasons"][0]["Reason"] == "Generic sender ID"


def test_a_vetting_takes_exactly_one_complete_brand(client, sandbox):
    vetting = create(client, "US_TEN_DLC_BRAND_VETTING")
    draft_brand = create(client, BRAND_TYPE)
    aws_error(
        lambda: client.create_registration_association(
            RegistrationId=vetting, ResourceId=draft_brand
        ),
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
        ResourceId=draft_brand,
    )
    tfn = create(client, TFN_TYPE)
    aws_error(
        lambda: client.create_registration_association(RegistrationId=vetting, ResourceId=tfn),
        "ValidationException",
        "INVALID_REGISTRATION_ASSOCIATION",
    )
    aws_error(
        lambda: client.create_registration_association(
            RegistrationId=vetting, ResourceId="registration-00000000000000000000000000000000"
        ),
        "ResourceNotFoundException",
        ResourceType="registration",
    )
    brand = complete_brand(client, sandbox)
    client.create_registration_association(RegistrationId=vetting, ResourceId=brand)
    client.submit_registration_version(RegistrationId=vetting)
    sandbox.review(vetting, "COMPLETE")
    deleted = client.delete_registration(RegistrationId=vetting)  # disassociates the brand
    assert deleted["RegistrationStatus"] == "DELETED"
    aws_error(
        lambda: client.describe_registrations(RegistrationIds=[vetting]),
        "ResourceNotFoundException",
        ResourceType="registration",
        ResourceId=vetting,
    )
    events = sandbox.registration_events()
    assert events.loc[events.registrationId == vetting, "currentStatus"].iloc[-1] == "DELETED"


# -- attachments -------------------------------------------------------------------------------


def test_attachments_by_body_or_url_with_types_sizes_and_statuses(client, sandbox):
    png = client.create_registration_attachment(
        AttachmentBody=PNG, Tags=[{"Key": "k", "Value": "v"}]
    )
    assert png["AttachmentStatus"] == "UPLOAD_COMPLETE"
    assert re.fullmatch(r"attachment-[0-9a-f]{32}", png["RegistrationAttachmentId"])
    assert png["Tags"] == [{"Key": "k", "Value": "v"}]
    client.create_registration_attachment(AttachmentBody=PDF)
    url = client.create_registration_attachment(AttachmentUrl="s3://juniper-docs/opt-in.png")
    assert url["AttachmentStatus"] == "UPLOAD_IN_PROGRESS"
    bad = client.create_registration_attachment(AttachmentUrl="s3://juniper-docs/opt-in.gif")
    reg = create(client, CAMPAIGN_TYPE)
    aws_error(
        lambda: put(client, reg, "campaignInfo.optInScreenshot", url["RegistrationAttachmentId"]),
        "ConflictException",
        "RESOURCE_NOT_ACTIVE",
    )
    sandbox.advance(60)
    listed = client.describe_registration_attachments(
        RegistrationAttachmentIds=[url["RegistrationAttachmentId"], bad["RegistrationAttachmentId"]]
    )["RegistrationAttachments"]
    assert [(a["AttachmentStatus"], a.get("AttachmentUploadErrorReason")) for a in listed] == [
        ("UPLOAD_COMPLETE", None),
        ("UPLOAD_FAILED", "INTERNAL_ERROR"),
    ]
    put(client, reg, "campaignInfo.optInScreenshot", url["RegistrationAttachmentId"])
    failed = client.describe_registration_attachments(
        Filters=[{"Name": "attachment-status", "Values": ["UPLOAD_FAILED"]}]
    )["RegistrationAttachments"]
    assert [a["RegistrationAttachmentId"] for a in failed] == [bad["RegistrationAttachmentId"]]
    for kwargs, reason in [
        ({"AttachmentBody": b"GIF89a" + b"0" * 10}, "ATTACHMENT_TYPE_NOT_SUPPORTED"),
        ({"AttachmentBody": PNG + b"0" * (5 * 1024 * 1024)}, "MAXIMUM_SIZE_EXCEEDED"),
        ({"AttachmentUrl": "https://example.com/a.png"}, "INVALID_PARAMETER"),
        ({}, "MISSING_PARAMETER"),
        (
            {"AttachmentBody": PNG, "AttachmentUrl": "s3://b/k.png"},
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
        ),
    ]:
        aws_error(
            lambda kwargs=kwargs: client.create_registration_attachment(**kwargs),
            "ValidationException",
            reason,
        )
    deleted = client.delete_registration_attachment(
        RegistrationAttachmentId=png["RegistrationAttachmentArn"]
    )
    assert deleted["AttachmentStatus"] == "DELETED"
    aws_error(
        lambda: client.describe_registration_attachments(
            RegistrationAttachmentIds=[png["RegistrationAttachmentId"]]
        ),
        "ResourceNotFoundException",
        ResourceType="registration-attachment",
    )


# -- paging, filters, ClientToken, quotas ------------------------------------------------------


def test_listings_page_and_filter(client):
    ids = [create(client, BRAND_TYPE) for _ in range(3)] + [create(client, TFN_TYPE)]
    paginator = client.get_paginator("describe_registrations")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 1}))
    assert len(pages) == 4
    assert [r["RegistrationId"] for p in pages for r in p["Registrations"]] == ids
    brands = client.describe_registrations(
        Filters=[{"Name": "registration-type", "Values": [BRAND_TYPE]}]
    )["Registrations"]
    assert [r["RegistrationId"] for r in brands] == ids[:3]
    aws_error(
        lambda: client.describe_registrations(
            Filters=[{"Name": "registration-status", "Values": ["HAPPY"]}]
        ),
        "ValidationException",
        "INVALID_FILTER_VALUES",
    )
    fields = client.get_paginator("describe_registration_field_definitions").paginate(
        RegistrationType=CAMPAIGN_TYPE, PaginationConfig={"PageSize": 7}
    )
    paths = [f["FieldPath"] for page in fields for f in page["RegistrationFieldDefinitions"]]
    assert paths == [f.path for f in catalog.TEN_DLC_CAMPAIGN.fields]
    first = client.describe_registration_type_definitions(MaxResults=2)
    second = client.describe_registration_type_definitions(NextToken=first["NextToken"])
    names = [
        t["RegistrationType"]
        for t in first["RegistrationTypeDefinitions"] + second["RegistrationTypeDefinitions"]
    ]
    assert names == list(catalog.TYPES)


def test_client_token_replays_create_registration_and_attachment(client):
    first = client.create_registration(RegistrationType=BRAND_TYPE, ClientToken="reg-1")
    again = client.create_registration(RegistrationType=BRAND_TYPE, ClientToken="reg-1")
    assert again["RegistrationId"] == first["RegistrationId"]
    assert len(client.describe_registrations()["Registrations"]) == 1
    aws_error(
        lambda: client.create_registration(RegistrationType=TFN_TYPE, ClientToken="reg-1"),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    a = client.create_registration_attachment(AttachmentBody=PNG, ClientToken="att-1")
    b = client.create_registration_attachment(AttachmentBody=PNG, ClientToken="att-1")
    assert a["RegistrationAttachmentId"] == b["RegistrationAttachmentId"]


def test_registrations_count_against_the_account_limit(client, sandbox):
    sandbox.set_account_limit("REGISTRATIONS", 1)
    create(client, BRAND_TYPE)
    aws_error(
        lambda: client.create_registration(RegistrationType=BRAND_TYPE),
        "ServiceQuotaExceededException",
        "REGISTRATIONS_PER_ACCOUNT",
    )
    limits = {
        limit["Name"]: limit["Used"] for limit in client.describe_account_limits()["AccountLimits"]
    }
    assert limits["REGISTRATIONS"] == 1


def test_events_frame_is_typed_when_empty(sandbox):
    events = sandbox.registration_events()
    assert events.empty and "currentStatus" in events.columns
    assert isinstance(events["time"].dtype, pd.DatetimeTZDtype)


# -- consequences for numbers ------------------------------------------------------------------


def test_request_phone_number_joins_the_registration_it_names(client, sandbox):
    brand = complete_brand(client, sandbox)
    campaign = create(client, CAMPAIGN_TYPE, CAMPAIGN)
    client.create_registration_association(RegistrationId=campaign, ResourceId=brand)
    request = {
        "IsoCountryCode": "US",
        "MessageType": "TRANSACTIONAL",
        "NumberCapabilities": ["SMS"],
        "NumberType": "TEN_DLC",
        "RegistrationId": campaign,
    }
    aws_error(
        lambda: client.request_phone_number(**request),
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
        ResourceId=campaign,
    )
    r = aws_error(
        lambda: client.request_phone_number(**{**request, "NumberType": "TOLL_FREE"}),
        "ValidationException",
        "INVALID_REGISTRATION_ASSOCIATION",
    )
    assert field_names(r) == ["RegistrationId"]
    client.submit_registration_version(RegistrationId=campaign)
    sandbox.review(campaign, "COMPLETE")
    number = client.request_phone_number(**request)
    assert number["RegistrationId"] == campaign
    [assoc] = client.list_registration_associations(
        RegistrationId=campaign, Filters=[{"Name": "resource-type", "Values": ["phone-number"]}]
    )["RegistrationAssociations"]
    assert assoc["ResourceId"] == number["PhoneNumberId"]
    # Campaign numbers may go: the campaign stays (its disassociation allows deleting it).
    client.release_phone_number(PhoneNumberId=number["PhoneNumberId"])
    assert status(client, campaign) == "COMPLETE"
    assert (
        client.list_registration_associations(
            RegistrationId=campaign, Filters=[{"Name": "resource-type", "Values": ["phone-number"]}]
        )["RegistrationAssociations"]
        == []
    )


def test_a_number_under_review_stays_and_a_released_toll_free_number_closes_its_form(
    client, sandbox
):
    form = toll_free_form(client)
    reg = create(client, TFN_TYPE, form)
    number = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
        RegistrationId=reg,
    )
    assert number["RegistrationId"] == reg
    client.submit_registration_version(RegistrationId=reg)
    aws_error(
        lambda: client.release_phone_number(PhoneNumberId=number["PhoneNumberId"]),
        "ConflictException",
        "PHONE_NUMBER_ASSOCIATED_TO_REGISTRATION",
        ResourceType="phone-number",
        ResourceId=number["PhoneNumberId"],
    )
    sandbox.review(reg, "COMPLETE")
    client.release_phone_number(PhoneNumberId=number["PhoneNumberId"])
    assert status(client, reg) == "CLOSED"
    aws_error(
        lambda: client.create_registration_version(RegistrationId=reg),
        "ConflictException",
        "CREATE_REGISTRATION_VERSION_NOT_ALLOWED",
    )
    assert client.delete_registration(RegistrationId=reg)["RegistrationStatus"] == "DELETED"
    events = sandbox.registration_events()
    assert list(events.loc[events.registrationId == reg, "currentStatus"])[-2:] == [
        "CLOSED",
        "DELETED",
    ]
