"""The demo's registrations: every form filled, submitted and reviewed through the API in time.

us-east-1:

- the **Juniper Pay Inc** 10DLC brand (COMPLETE since ~21 months) with a brand vetting, and its
  **card-alerts** campaign, COMPLETE, holding the six ``alerts-us`` 10DLC numbers;
- a **promotions** campaign denied ~6 weeks ago (message samples without opt-out wording, with
  the reviewer's reasons and field feedback) and a new version 2 left as an untouched draft since;
- toll-free registrations: two ``otp-us`` numbers verified long ago, a third registration under
  review for nine days, and the fourth toll-free number with no registration at all;
- a second brand, **Juniper Pay Holdings** (a public company), waiting for The Campaign
  Registry's authentication email to be answered.

ap-southeast-2: the Australian sender ID ``JUNIPER`` registered before the launch, and a
Singapore sender-ID registration submitted two hours before the anchor.

eu-west-2 has none: the UK needs no sender-ID registration. Review steps run by the simulated
reviewer on the sandbox clock (:mod:`..review`), so the statuses are what they would be at the
anchor; the toll-free review and the Singapore one move on in the days after it.
"""

from __future__ import annotations

from typing import Any

from .. import review
from .builder import Builder

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
COMPANY = {
    "companyInfo.companyName": "Juniper Pay Inc",
    "companyInfo.taxIdIssuingCountry": "US",
    "companyInfo.taxId": "842761935",
    "companyInfo.legalType": ["PRIVATE_PROFIT"],
    "companyInfo.address": "500 Pine Street",
    "companyInfo.city": "Seattle",
    "companyInfo.state": "WA",
    "companyInfo.zipCode": "98101",
    "companyInfo.isoCountryCode": "US",
    "contactInfo.dbaName": "Juniper Pay",
    "contactInfo.vertical": ["FINANCIAL"],
    "contactInfo.website": "https://www.juniperpay.example",
    "contactInfo.supportEmail": "support@juniperpay.example",
    "contactInfo.supportPhoneNumber": "+12065550142",
}
HOLDINGS = {
    **COMPANY,
    "companyInfo.companyName": "Juniper Pay Holdings Inc",
    "companyInfo.taxId": "917365208",
    "companyInfo.legalType": ["PUBLIC_PROFIT"],
    "companyInfo.stockSymbol": "JNPH",
    "companyInfo.stockExchange": ["NASDAQ"],
    "companyInfo.businessContactEmail": "investors@juniperpay.example",
    "contactInfo.dbaName": "Juniper Pay Holdings",
}
_USE_CASE = {
    "campaignUseCase.subscriberOptIn": ["Yes"],
    "campaignUseCase.subscriberOptOut": ["Yes"],
    "campaignUseCase.subscriberHelp": ["Yes"],
    "campaignUseCase.directLending": ["No"],
    "campaignUseCase.embeddedLink": ["No"],
    "campaignUseCase.embeddedPhone": ["No"],
    "campaignUseCase.ageGated": ["No"],
}
CARD_ALERTS = {
    "campaignInfo.campaignName": (
        "Juniper Pay card alerts: card payments, declines and fraud checks, sent to cardholders "
        "who switched alerts on in the app."
    ),
    "campaignInfo.vertical": ["FINANCIAL"],
    "campaignInfo.privacyPolicyLink": "https://www.juniperpay.example/privacy",
    "campaignInfo.termsAndConditionsLink": "https://www.juniperpay.example/sms-terms",
    "campaignInfo.optInWorkflow": (
        "Cardholders switch on 'Text me card alerts' in the Juniper Pay app's settings, after "
        "entering their mobile number; the screen shows frequency, rates and STOP/HELP."
    ),
    "campaignInfo.optInMessage": (
        "Juniper Pay: card alerts are on. Msg freq varies. Msg&data rates may apply. Reply HELP "
        "for help, STOP to cancel."
    ),
    "campaignInfo.helpMessage": (
        "Juniper Pay alerts: help at juniperpay.example/help or +12065550142. Reply STOP to cancel."
    ),
    "campaignInfo.stopMessage": "Juniper Pay: card alerts are off. You will get no more texts.",
    "campaignCapabilities.numberCapabilities": ["SMS"],
    "campaignCapabilities.messageType": ["Transactional"],
    "campaignUseCase.useCase": ["FRAUD_ALERT"],
    **_USE_CASE,
    "messageSamples.messageSample1": (
        "Juniper Pay: card ending [1234] was used for $[amount] at [merchant]. Not you? Reply NO. "
        "Reply STOP to opt out."
    ),
    "messageSamples.messageSample2": (
        "Juniper Pay: a $[amount] payment on card [1234] was declined. Reply HELP for help."
    ),
}
PROMOTIONS = {
    "campaignInfo.campaignName": (
        "Juniper Pay offers: cashback weeks and partner discounts for customers who asked for "
        "offers by text."
    ),
    "campaignInfo.vertical": ["FINANCIAL"],
    "campaignInfo.optInWorkflow": (
        "Customers tick 'Send me offers by text' at checkout in the Juniper Pay app; the box is "
        "unticked by default."
    ),
    "campaignInfo.optInMessage": (
        "Juniper Pay offers: you're in! Up to 4 msgs/month. Msg&data rates may apply. HELP for "
        "help, STOP to end."
    ),
    "campaignInfo.helpMessage": "Juniper Pay offers: help at juniperpay.example/help.",
    "campaignInfo.stopMessage": "Juniper Pay: you will get no more offers by text.",
    "campaignCapabilities.numberCapabilities": ["SMS and MMS"],
    "campaignCapabilities.messageType": ["Promotional"],
    "campaignUseCase.useCase": ["MARKETING"],
    **_USE_CASE,
    # No opt-out wording in any sample: the carriers deny the first version for it.
    "messageSamples.messageSample1": "Juniper Pay: 5% cashback on groceries all week!",
    "messageSamples.messageSample2": "Juniper Pay: double points at partner cafés this weekend.",
}
TOLL_FREE = {
    "companyInfo.companyName": "Juniper Pay Inc",
    "companyInfo.website": "https://www.juniperpay.example",
    "companyInfo.address1": "500 Pine Street",
    "companyInfo.city": "Seattle",
    "companyInfo.state": "WA",
    "companyInfo.zipCode": "98101",
    "companyInfo.isoCountryCode": "US",
    "contactInfo.firstName": "Maya",
    "contactInfo.lastName": "Okafor",
    "contactInfo.supportEmail": "support@juniperpay.example",
    "contactInfo.supportPhoneNumber": "+12065550142",
    "messagingUseCase.monthlyMessageVolume": ["100,000"],
    "messagingUseCase.useCaseCategory": ["TWO_FACTOR_AUTHENTICATION"],
    "messagingUseCase.useCaseDetails": "One-time passcodes when customers sign in or pay.",
    "messagingUseCase.optInType": ["WEB_FORM"],
    "messagingUseCase.optInDescription": (
        "Customers give their mobile number when they open an account and agree to receive "
        "sign-in codes by text."
    ),
    "messageSamples.messageSample1": "Juniper Pay: your sign-in code is [code]. Valid 10 min.",
}


def _sender_id_form(company: str, sender: str, phone: str) -> dict[str, Any]:
    return {
        "companyInfo.companyName": company,
        "companyInfo.businessRegistrationNumber": "201912345K",
        "companyInfo.website": "https://www.juniperpay.example",
        "companyInfo.address": "1 Raffles Place, Singapore 048616",
        "contactInfo.firstName": "Wei",
        "contactInfo.lastName": "Tan",
        "contactInfo.email": "wei.tan@juniperpay.example",
        "contactInfo.phoneNumber": phone,
        "senderIdInfo.senderId": sender,
        "senderIdInfo.senderIdConnection": f"{sender} is the trading name of {company}.",
        "messagingUseCase.useCase": ["OTP"],
        "messagingUseCase.useCaseDescription": "One-time passcodes at sign-in and payment.",
        "messageSamples.messageSample1": f"{sender}: your code is [code]. Never share it.",
    }


US, AP = "us-east-1", "ap-southeast-2"


def build(b: Builder, otp_us: list[str], alerts_us: list[str]) -> None:
    """Write the registrations (``otp_us``/``alerts_us``: those pools' number IDs)."""
    _ten_dlc(b, alerts_us)
    _toll_free(b, otp_us)
    _sender_ids(b)
    # Every review step due by the anchor is taken now, so what completion provisions (the
    # registered sender ID) is in place whatever is read first.
    for region in (US, AP):
        with b.admin(region, at=b.anchor) as ctx:
            for doc in ctx.store.docs(review.REGISTRATION):
                review.settle(ctx, doc)


def _form(b: Builder, region: str, rtype: str, values: dict[str, Any], at: float) -> str:
    reg = b.call(region, "CreateRegistration", {"RegistrationType": rtype}, at=at)
    _fill(b, region, reg["RegistrationId"], values, at)
    return reg["RegistrationId"]


def _fill(b: Builder, region: str, reg_id: str, values: dict[str, Any], at: float) -> None:
    for path, value in values.items():
        member = "SelectChoices" if isinstance(value, list) else "TextValue"
        if isinstance(value, str) and value.startswith("attachment-"):
            member = "RegistrationAttachmentId"
        b.call(
            region,
            "PutRegistrationFieldValue",
            {"RegistrationId": reg_id, "FieldPath": path, member: value},
            at=at,
        )


def _attachment(b: Builder, region: str, at: float) -> str:
    made = b.call(region, "CreateRegistrationAttachment", {"AttachmentBody": PNG}, at=at)
    return made["RegistrationAttachmentId"]


def _submit(b: Builder, region: str, reg_id: str, at: float) -> None:
    b.call(region, "SubmitRegistrationVersion", {"RegistrationId": reg_id}, at=at)


def _associate(b: Builder, region: str, reg_id: str, resource: str, at: float) -> None:
    b.call(
        region,
        "CreateRegistrationAssociation",
        {"RegistrationId": reg_id, "ResourceId": resource},
        at=at,
    )


def _ten_dlc(b: Builder, alerts_us: list[str]) -> None:
    brand = _form(b, US, "US_TEN_DLC_BRAND_REGISTRATION", COMPANY, b.at(645, 9))
    _submit(b, US, brand, b.at(645, 11))  # COMPLETE two days later
    vetting = b.call(
        US, "CreateRegistration", {"RegistrationType": "US_TEN_DLC_BRAND_VETTING"}, at=b.at(640)
    )["RegistrationId"]
    _associate(b, US, vetting, brand, b.at(640))
    _submit(b, US, vetting, b.at(640, 10.5))

    screenshot = _attachment(b, US, b.at(636, 9))
    alerts = _form(
        b,
        US,
        "US_TEN_DLC_CAMPAIGN_REGISTRATION",
        {**CARD_ALERTS, "campaignInfo.optInScreenshot": screenshot},
        b.at(636, 9.5),
    )
    _associate(b, US, alerts, brand, b.at(636, 9.5))
    _submit(b, US, alerts, b.at(636, 10))  # COMPLETE ~30 days later, before the numbers came
    for number in alerts_us:
        _associate(b, US, alerts, number, b.at(599, 9))

    promotions = _form(b, US, "US_TEN_DLC_CAMPAIGN_REGISTRATION", PROMOTIONS, b.at(76))
    _associate(b, US, promotions, brand, b.at(76))
    _submit(b, US, promotions, b.at(75))  # denied 29 days later
    b.call(US, "CreateRegistrationVersion", {"RegistrationId": promotions}, at=b.at(40, 15))

    holdings = _form(b, US, "US_TEN_DLC_BRAND_REGISTRATION", HOLDINGS, b.at(7, 16))
    _submit(b, US, holdings, b.at(6, 9))  # waits for authentication from ~4 days ago


def _toll_free(b: Builder, otp_us: list[str]) -> None:
    verified, pending = otp_us[:2], otp_us[2]
    for i, number in enumerate(verified):
        image = _attachment(b, US, b.at(679, 9 + i))
        reg = _form(
            b,
            US,
            "US_TOLL_FREE_REGISTRATION",
            {**TOLL_FREE, "messagingUseCase.optInImage": image},
            b.at(679, 9 + i),
        )
        _associate(b, US, reg, number, b.at(679, 9 + i))
        _submit(b, US, reg, b.at(679, 9.5 + i))
    image = _attachment(b, US, b.at(12, 11))
    reg = _form(
        b,
        US,
        "US_TOLL_FREE_REGISTRATION",
        {**TOLL_FREE, "messagingUseCase.monthlyMessageVolume": ["250,000"]},
        b.at(12, 11),
    )
    _fill(b, US, reg, {"messagingUseCase.optInImage": image}, b.at(12, 11))
    _associate(b, US, reg, pending, b.at(12, 11))
    _submit(b, US, reg, b.at(9, 15))  # REVIEWING since eight days before the anchor
    # otp_us[3] has no registration at all.


def _sender_ids(b: Builder) -> None:
    au = _form(
        b,
        AP,
        "AU_SENDER_ID_REGISTRATION",
        {
            **_sender_id_form("Juniper Pay Pty Ltd", "JUNIPER", "+61291234567"),
            "companyInfo.businessRegistrationNumber": "51824753556",
            "companyInfo.address": "1 George Street, Sydney NSW 2000",
        },
        b.at(140),
    )
    _submit(b, AP, au, b.at(139))  # COMPLETE ~3 weeks later; JUNIPER came at 109 days
    letter = _attachment(b, AP, b.at(1, 21))
    sg = _form(
        b,
        AP,
        "SG_SENDER_ID_REGISTRATION",
        {
            **_sender_id_form("Juniper Pay Pte Ltd", "JuniperPay", "+6561234567"),
            "senderIdInfo.letterOfAuthorization": letter,
        },
        b.at(1, 21),
    )
    _submit(b, AP, sg, b.at(1, 22))  # SUBMITTED two hours before the anchor
