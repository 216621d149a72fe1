"""Complete, approvable registration forms and the calls that fill them (registration tests)."""

from __future__ import annotations

from typing import Any

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64

BRAND = {
    "companyInfo.companyName": "Juniper Pay Inc",
    "companyInfo.taxIdIssuingCountry": "US",
    "companyInfo.taxId": "123456789",
    "companyInfo.legalType": ["PRIVATE_PROFIT"],
    "companyInfo.address": "1 Main Street",
    "companyInfo.city": "Seattle",
    "companyInfo.state": "WA",
    "companyInfo.zipCode": "98101",
    "companyInfo.isoCountryCode": "US",
    "contactInfo.dbaName": "Juniper Pay",
    "contactInfo.vertical": ["FINANCIAL"],
    "contactInfo.website": "https://juniperpay.example",
    "contactInfo.supportEmail": "help@juniperpay.example",
    "contactInfo.supportPhoneNumber": "+12065550142",
}

CAMPAIGN = {
    "campaignInfo.campaignName": "Juniper Pay sends card alerts to customers who opted in.",
    "campaignInfo.vertical": ["FINANCIAL"],
    "campaignInfo.optInWorkflow": "Customers tick an SMS alerts box in the app's settings page.",
    "campaignInfo.optInMessage": "Juniper Pay: card alerts on. Reply HELP for help, STOP to end.",
    "campaignInfo.helpMessage": "Juniper Pay alerts: help at juniperpay.example. STOP to end.",
    "campaignInfo.stopMessage": "Juniper Pay: you will get no more card alerts. Reply START.",
    "campaignCapabilities.numberCapabilities": ["SMS"],
    "campaignUseCase.useCase": ["ACCOUNT_NOTIFICATION"],
    "campaignUseCase.subscriberOptIn": ["Yes"],
    "campaignUseCase.subscriberOptOut": ["Yes"],
    "campaignUseCase.subscriberHelp": ["Yes"],
    "campaignUseCase.directLending": ["No"],
    "campaignUseCase.embeddedLink": ["No"],
    "campaignUseCase.embeddedPhone": ["No"],
    "campaignUseCase.ageGated": ["No"],
    "messageSamples.messageSample1": (
        "Juniper Pay: a $[amount] card payment was made. Reply STOP to opt out."
    ),
}

TOLL_FREE = {
    "companyInfo.companyName": "Juniper Pay Inc",
    "companyInfo.website": "https://juniperpay.example",
    "companyInfo.address1": "1 Main Street",
    "companyInfo.city": "Seattle",
    "companyInfo.state": "WA",
    "companyInfo.zipCode": "98101",
    "companyInfo.isoCountryCode": "US",
    "contactInfo.firstName": "Ada",
    "contactInfo.lastName": "Lovelace",
    "contactInfo.supportEmail": "help@juniperpay.example",
    "contactInfo.supportPhoneNumber": "+12065550142",
    "messagingUseCase.monthlyMessageVolume": ["10,000"],
    "messagingUseCase.useCaseCategory": ["TWO_FACTOR_AUTHENTICATION"],
    "messagingUseCase.useCaseDetails": "One-time passcodes at sign-in.",
    "messagingUseCase.optInDescription": "Users enter their number at sign-up and agree to codes.",
    "messageSamples.messageSample1": "Juniper Pay: your code is [code].",
}

SENDER_ID_AU = {
    "companyInfo.companyName": "Juniper Pay Pty Ltd",
    "companyInfo.businessRegistrationNumber": "ABN 51 824 753 556",
    "companyInfo.website": "https://juniperpay.example",
    "companyInfo.address": "1 George Street, Sydney NSW 2000",
    "contactInfo.firstName": "Ada",
    "contactInfo.lastName": "Lovelace",
    "contactInfo.email": "ada@juniperpay.example",
    "contactInfo.phoneNumber": "+61291234567",
    "senderIdInfo.senderId": "JuniperPay",
    "messagingUseCase.useCase": ["OTP"],
    "messagingUseCase.useCaseDescription": "One-time passcodes at sign-in.",
    "messageSamples.messageSample1": "JuniperPay: your code is [code].",
}


def put(client: Any, registration_id: str, path: str, value: Any) -> dict[str, Any]:
    """PutRegistrationFieldValue with the member the value's Python type implies."""
    if isinstance(value, list):
        return client.put_registration_field_value(
            RegistrationId=registration_id, FieldPath=path, SelectChoices=value
        )
    if value.startswith("attachment-"):
        return client.put_registration_field_value(
            RegistrationId=registration_id, FieldPath=path, RegistrationAttachmentId=value
        )
    return client.put_registration_field_value(
        RegistrationId=registration_id, FieldPath=path, TextValue=value
    )


def fill(client: Any, registration_id: str, values: dict[str, Any]) -> None:
    """Put every value of a form."""
    for path, value in values.items():
        put(client, registration_id, path, value)


def create(client: Any, registration_type: str, values: dict[str, Any] | None = None) -> str:
    """Create a registration, fill it with ``values``; its ID."""
    reg_id = client.create_registration(RegistrationType=registration_type)["RegistrationId"]
    if values:
        fill(client, reg_id, values)
    return reg_id


def status(client: Any, registration_id: str) -> str:
    """The registration's status."""
    [reg] = client.describe_registrations(RegistrationIds=[registration_id])["Registrations"]
    return reg["RegistrationStatus"]


def version(client: Any, registration_id: str, number: int) -> dict[str, Any]:
    """One version as DescribeRegistrationVersions shows it."""
    [v] = client.describe_registration_versions(
        RegistrationId=registration_id, VersionNumbers=[number]
    )["RegistrationVersions"]
    return v


def complete_brand(client: Any, sandbox: Any) -> str:
    """A COMPLETE 10DLC brand registration."""
    brand = create(client, "US_TEN_DLC_BRAND_REGISTRATION", BRAND)
    client.submit_registration_version(RegistrationId=brand)
    sandbox.review(brand, "COMPLETE")
    return brand


def toll_free_form(client: Any) -> dict[str, Any]:
    """The toll-free form with an uploaded opt-in image."""
    image = client.create_registration_attachment(AttachmentBody=PNG)
    return {**TOLL_FREE, "messagingUseCase.optInImage": image["RegistrationAttachmentId"]}
