"""Sender-ID self-service, ListAvailablePhoneNumbers and CarrierLookup through both transports."""

from __future__ import annotations

from tests.registration_support import SENDER_ID_AU, create
from tests.support import aws_error, field_names

# -- RequestSenderId / UpdateSenderId / ReleaseSenderId ----------------------------------------


def test_a_sender_id_without_registration_is_provisioned_at_once(client):
    made = client.request_sender_id(
        SenderId="JuniperPay",
        IsoCountryCode="GB",
        MessageTypes=["TRANSACTIONAL"],
        Tags=[{"Key": "team", "Value": "growth"}],
    )
    assert made["SenderIdArn"].endswith(":sender-id/JuniperPay/GB")
    assert (made["Registered"], made["DeletionProtectionEnabled"]) == (False, False)
    assert made["MessageTypes"] == ["TRANSACTIONAL"] and made["MonthlyLeasingPrice"]
    assert made["Tags"] == [{"Key": "team", "Value": "growth"}]
    [listed] = client.describe_sender_ids()["SenderIds"]
    assert listed["SenderId"] == "JuniperPay"
    both = client.request_sender_id(SenderId="JuniperPay", IsoCountryCode="DE")
    assert both["MessageTypes"] == ["TRANSACTIONAL", "PROMOTIONAL"]
    aws_error(
        lambda: client.request_sender_id(SenderId="JuniperPay", IsoCountryCode="GB"),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        ResourceType="sender-id",
    )


def test_countries_that_need_a_registration_or_allow_none_refuse(client):
    r = aws_error(
        lambda: client.request_sender_id(SenderId="JuniperPay", IsoCountryCode="AU"),
        "ValidationException",
        "SENDER_ID_REQUIRES_REGISTRATION",
    )
    assert field_names(r) == ["SenderId"] and "AU_SENDER_ID_REGISTRATION" in r["Error"]["Message"]
    r = aws_error(
        lambda: client.request_sender_id(SenderId="JuniperPay", IsoCountryCode="US"),
        "ValidationException",
        "SENDER_ID_NOT_SUPPORTED",
    )
    assert field_names(r) == ["IsoCountryCode"]
    aws_error(
        lambda: client.request_sender_id(SenderId="12345", IsoCountryCode="GB"),
        "ValidationException",
        "INVALID_PARAMETER",
    )


def test_update_and_release_with_their_refusals(client, sandbox):
    client.request_sender_id(SenderId="ACME", IsoCountryCode="GB")
    updated = client.update_sender_id(
        SenderId="ACME", IsoCountryCode="GB", DeletionProtectionEnabled=True
    )
    assert updated["DeletionProtectionEnabled"] is True
    aws_error(
        lambda: client.release_sender_id(SenderId="ACME", IsoCountryCode="GB"),
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
    )
    client.update_sender_id(SenderId="ACME", IsoCountryCode="GB", DeletionProtectionEnabled=False)
    pool = client.create_pool(
        OriginationIdentity="ACME", IsoCountryCode="GB", MessageType="TRANSACTIONAL"
    )
    aws_error(
        lambda: client.release_sender_id(SenderId="ACME", IsoCountryCode="GB"),
        "ConflictException",
        "SENDER_ID_ASSOCIATED_TO_POOL",
    )
    client.delete_pool(PoolId=pool["PoolId"])
    released = client.release_sender_id(
        SenderId="arn:aws:sms-voice:us-east-1:123456789012:sender-id/ACME/GB", IsoCountryCode="GB"
    )
    assert released["SenderId"] == "ACME" and released["Registered"] is False
    assert client.describe_sender_ids()["SenderIds"] == []
    aws_error(
        lambda: client.update_sender_id(SenderId="ACME", IsoCountryCode="GB"),
        "ResourceNotFoundException",
        ResourceType="sender-id",
    )


def test_releasing_a_registered_sender_id_closes_its_registration(client, sandbox):
    reg = create(client, "AU_SENDER_ID_REGISTRATION", SENDER_ID_AU)
    client.submit_registration_version(RegistrationId=reg)
    sandbox.review(reg, "COMPLETE")
    client.release_sender_id(SenderId="JuniperPay", IsoCountryCode="AU")
    [found] = client.describe_registrations(RegistrationIds=[reg])["Registrations"]
    assert found["RegistrationStatus"] == "CLOSED"


# -- ListAvailablePhoneNumbers -----------------------------------------------------------------


def test_available_ten_dlc_numbers_page_filter_and_can_be_requested(client):
    params = {"IsoCountryCode": "US", "NumberCapabilities": ["SMS"], "NumberType": "TEN_DLC"}
    pages = list(
        client.get_paginator("list_available_phone_numbers").paginate(
            **params, PaginationConfig={"PageSize": 10}
        )
    )
    numbers = [n for p in pages for n in p["AvailablePhoneNumbers"]]
    assert len(pages) == 25 and len(numbers) == len(set(numbers)) == 250
    assert all(n.startswith("+1") and len(n) == 12 for n in numbers)
    again = client.list_available_phone_numbers(**params, MaxResults=5)["AvailablePhoneNumbers"]
    assert again == numbers[:5]  # the same inventory on every call
    seattle = client.list_available_phone_numbers(
        **params, NumberPreference=[{"PreferenceType": ["StartsWith"], "Filter": ["+1206"]}]
    )["AvailablePhoneNumbers"]
    assert seattle and all(n.startswith("+1206") for n in seattle)
    chosen = seattle[0]
    got = client.request_phone_number(
        **params,
        MessageType="TRANSACTIONAL",
        NumberPreference=[{"PreferenceType": ["ExactMatch"], "Filter": [chosen]}],
    )
    assert got["PhoneNumber"] == chosen
    after = client.list_available_phone_numbers(
        **params, NumberPreference=[{"PreferenceType": ["StartsWith"], "Filter": ["+1206"]}]
    )["AvailablePhoneNumbers"]
    assert chosen not in after
    aws_error(
        lambda: client.list_available_phone_numbers(
            **params, RegistrationId="registration-00000000000000000000000000000000"
        ),
        "ResourceNotFoundException",
        ResourceType="registration",
    )
    assert (
        client.list_available_phone_numbers(**{**params, "IsoCountryCode": "CA"})[
            "AvailablePhoneNumbers"
        ]
        == []
    )


# -- CarrierLookup -----------------------------------------------------------------------------


def test_carrier_lookup_answers_validity_type_country_and_network(client):
    gb = client.carrier_lookup(PhoneNumber="+44 (7400) 123-456")
    assert gb["E164PhoneNumber"] == "+447400123456"
    assert gb["OriginalPhoneNumber"] == "+44 (7400) 123-456"
    assert (gb["IsoCountryCode"], gb["DialingCountryCode"]) == ("GB", "44")
    assert gb["Country"] == "United Kingdom"
    assert gb["PhoneNumberType"] == "MOBILE" and gb["MCC"] == "234" and gb["MNC"]
    landline = client.carrier_lookup(PhoneNumber="+442079460000")
    assert landline["PhoneNumberType"] == "LANDLINE" and "MCC" not in landline
    invalid = client.carrier_lookup(PhoneNumber="+44 7700 900123")  # Ofcom's drama range
    assert (invalid["PhoneNumberType"], invalid["IsoCountryCode"]) == ("INVALID", "GB")
    assert "MCC" not in invalid and "Carrier" not in invalid
    us = client.carrier_lookup(PhoneNumber="+1 206 555 0100")
    assert us["IsoCountryCode"] == "US" and us["PhoneNumberType"] in ("MOBILE", "LANDLINE")
    again = client.carrier_lookup(PhoneNumber="+(1) 206-555-0100")
    stable = ("E164PhoneNumber", "PhoneNumberType", "Carrier", "MCC", "MNC")
    assert [again.get(k) for k in stable] == [us.get(k) for k in stable]
    aws_error(
        lambda: client.carrier_lookup(PhoneNumber="+1[]"),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    simulator = client.carrier_lookup(PhoneNumber="+14254147755")
    assert simulator["PhoneNumberType"] == "MOBILE" and "simulator" in simulator["Carrier"]
