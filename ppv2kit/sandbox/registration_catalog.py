"""The registration types the sandbox offers: their sections, fields, associations and review.

What ``DescribeRegistrationTypeDefinitions``, ``DescribeRegistrationSectionDefinitions`` and
``DescribeRegistrationFieldDefinitions`` answer, and what the simulated review reads. Type names,
section and field paths, field types, requirements, select options and text lengths come from
public sources (ADR 0015 lists them): the AWS sample ``sample-sms-10dlc-registration-automation``
(its programmatic registration guide has the full 10DLC field table), the user guide's toll-free
and sender-ID registration pages, and public toll-free automation scripts. Patterns, display texts
not quoted there, and the sender-ID forms' exact fields are the sandbox's reading (UNCONFIRMED).

Each type also says how long its review typically takes (seconds of sandbox time from SUBMITTED
to REVIEWING, from REVIEWING to the decision, and from APPROVED to COMPLETE) and which content
rules the simulated reviewer applies (``ppv2kit.sandbox.review``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY

GUIDE = "https://docs.aws.amazon.com/sms-voice/latest/userguide"

YES = ["Yes"]
YES_NO = ["Yes", "No"]
VERTICALS = [
    "AGRICULTURE",
    "COMMUNICATION",
    "CONSTRUCTION",
    "EDUCATION",
    "ENERGY",
    "ENTERTAINMENT",
    "FINANCIAL",
    "GAMBLING",
    "GOVERNMENT",
    "HEALTHCARE",
    "HOSPITALITY",
    "INSURANCE",
    "MANUFACTURING",
    "NGO",
    "REAL_ESTATE",
    "RETAIL",
    "TECHNOLOGY",
]
STOCK_EXCHANGES = [
    "NONE",
    "NASDAQ",
    "NYSE",
    "AMEX",
    "AMX",
    "ASX",
    "B3",
    "BME",
    "BSE",
    "FRA",
    "ICEX",
    "JPX",
    "JSE",
    "KRX",
    "LON",
    "NSE",
    "OMX",
    "SEHK",
    "SGX",
    "SSE",
    "STO",
    "SWX",
    "SZSE",
    "TSX",
    "TWSE",
    "VSE",
    "OTHER",
]
USE_CASES = [
    "ACCOUNT_NOTIFICATION",
    "CHARITY",
    "CUSTOMER_CARE",
    "DELIVERY_NOTIFICATION",
    "FRAUD_ALERT",
    "HIGHER_EDUCATION",
    "LOW_VOLUME",
    "MARKETING",
    "MIXED",
    "POLLING_VOTING",
    "PUBLIC_SERVICE_ANNOUNCEMENT",
    "SECURITY_ALERT",
    "TWO_FACTOR_AUTHENTICATION",
]
SUB_USE_CASES = [u for u in USE_CASES if u not in ("CHARITY", "LOW_VOLUME", "MIXED")]
TFN_USE_CASES = [
    "TWO_FACTOR_AUTHENTICATION",
    "ACCOUNT_NOTIFICATIONS",
    "CUSTOMER_CARE",
    "DELIVERY_NOTIFICATIONS",
    "FRAUD_ALERT_MESSAGING",
    "MARKETING",
    "POLLING_AND_VOTING",
    "PUBLIC_SERVICE_ANNOUNCEMENT",
    "SECURITY_ALERT",
    "NON_PROFIT",
]
MONTHLY_VOLUMES = [
    "10",
    "100",
    "1,000",
    "10,000",
    "100,000",
    "250,000",
    "500,000",
    "750,000",
    "1,000,000",
    "5,000,000",
    "10,000,000+",
]
OPT_IN_TYPES = ["VERBAL", "WEB_FORM", "PAPER_FORM", "VIA_TEXT", "MOBILE_QR_CODE", "DIGITAL_FORM"]

EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
E164 = r"\+[1-9][0-9]{6,14}"
URL = r"https?://\S+"
ISO2 = r"[A-Z]{2}"


@dataclass(frozen=True)
class Field:
    """One field of a registration form, as DescribeRegistrationFieldDefinitions shows it."""

    section: str
    name: str
    kind: str  # SELECT, TEXT or ATTACHMENT
    requirement: str  # REQUIRED, CONDITIONAL or OPTIONAL
    title: str
    description: str
    options: tuple[str, ...] = ()
    choices: tuple[int, int] = (1, 1)
    length: tuple[int, int] = (1, 2048)
    pattern: str = ".*"
    pattern_text: str = ""
    example: str = ""
    required_when: tuple[str, tuple[str, ...]] | None = None  # (field path, values)

    @property
    def path(self) -> str:
        """``section.name``."""
        return f"{self.section}.{self.name}"

    def definition(self, section_path: str) -> dict[str, Any]:
        """The RegistrationFieldDefinition of this field."""
        hints: dict[str, Any] = {"Title": self.title, "ShortDescription": self.description}
        out: dict[str, Any] = {
            "SectionPath": section_path,
            "FieldPath": self.path,
            "FieldType": self.kind,
            "FieldRequirement": self.requirement,
            "DisplayHints": hints,
        }
        if self.kind == "SELECT":
            out["SelectValidation"] = {
                "MinChoices": self.choices[0],
                "MaxChoices": self.choices[1],
                "Options": list(self.options),
            }
            hints["SelectOptionDescriptions"] = [{"Option": o, "Title": o} for o in self.options]
        elif self.kind == "TEXT":
            out["TextValidation"] = {
                "MinLength": self.length[0],
                "MaxLength": self.length[1],
                "Pattern": self.pattern,
            }
            if self.pattern_text:
                hints["TextValidationDescription"] = self.pattern_text
            if self.example:
                hints["ExampleTextValue"] = self.example
        if self.required_when is not None:
            depends, values = self.required_when
            out["ConditionalBehavior"] = {
                "Rules": [
                    {
                        "Conditions": [
                            {
                                "DependsOnFieldPath": depends,
                                "Operator": "EQUALS",
                                "Values": list(values),
                            }
                        ],
                        "RuleBehavior": "REQUIRED",
                    }
                ],
                "DefaultBehavior": "OPTIONAL",
            }
        return out


@dataclass(frozen=True)
class Association:
    """One SupportedAssociation of a type (plus what the sandbox checks beyond the model)."""

    resource_type: str  # phone-number, sender-id or registration
    behavior: str
    disassociation: str
    iso_country_code: str | None = None
    number_types: tuple[str, ...] = ()  # for phone numbers
    registration_types: tuple[str, ...] = ()  # for registrations
    maximum: int = 0  # 0: no limit

    def definition(self) -> dict[str, Any]:
        """The SupportedAssociation as the model shapes it."""
        out = {
            "ResourceType": self.resource_type,
            "AssociationBehavior": self.behavior,
            "DisassociationBehavior": self.disassociation,
        }
        if self.iso_country_code:
            out["IsoCountryCode"] = self.iso_country_code
        return out


@dataclass(frozen=True)
class RegistrationType:
    """A registration type: its form, associations, review times and the reviewer's rules."""

    name: str
    title: str
    description: str
    link: str
    sections: tuple[tuple[str, str, str], ...]  # (path, title, description)
    fields: tuple[Field, ...]
    associations: tuple[Association, ...] = ()
    to_reviewing: float = DAY
    to_decision: float = 7 * DAY
    to_complete: float = HOUR
    rules: tuple[str, ...] = ()  # names of content rules in ppv2kit.sandbox.review
    authentication: bool = False  # PUBLIC_PROFIT brands wait for an email 2FA
    authority: str = "the mobile carriers"
    sender_id_field: str | None = None  # ASSOCIATE_ON_APPROVAL sender IDs: the field naming it

    def definition(self) -> dict[str, Any]:
        """The RegistrationTypeDefinition."""
        return {
            "RegistrationType": self.name,
            "SupportedAssociations": [a.definition() for a in self.associations],
            "DisplayHints": {
                "Title": self.title,
                "ShortDescription": self.description,
                "DocumentationTitle": self.title,
                "DocumentationLink": self.link,
            },
        }

    def section_definitions(self) -> list[dict[str, Any]]:
        """The RegistrationSectionDefinitions, in form order."""
        return [
            {"SectionPath": path, "DisplayHints": {"Title": title, "ShortDescription": text}}
            for path, title, text in self.sections
        ]

    def field(self, path: str) -> Field | None:
        """The field at ``path``, if the form has one."""
        return next((f for f in self.fields if f.path == path), None)

    def association(self, resource_type: str) -> Association | None:
        """The supported association for ``resource_type``, if any."""
        return next((a for a in self.associations if a.resource_type == resource_type), None)


def _text(section: str, name: str, title: str, lo: int, hi: int, req: str = "REQUIRED", **kw: Any):
    return Field(
        section, name, "TEXT", req, title, kw.pop("description", title), length=(lo, hi), **kw
    )


def _select(section: str, name: str, title: str, options: list[str], req: str = "REQUIRED", **kw):
    return Field(
        section,
        name,
        "SELECT",
        req,
        title,
        kw.pop("description", title),
        options=tuple(options),
        **kw,
    )


def _attachment(section: str, name: str, title: str, req: str = "OPTIONAL", **kw: Any) -> Field:
    return Field(section, name, "ATTACHMENT", req, title, kw.pop("description", title), **kw)


_PUBLIC = ("companyInfo.legalType", ("PUBLIC_PROFIT",))

TEN_DLC_BRAND = RegistrationType(
    name="US_TEN_DLC_BRAND_REGISTRATION",
    title="US 10DLC brand registration",
    description="Register your company with The Campaign Registry before registering campaigns.",
    link=f"{GUIDE}/registrations-10dlc-company.html",
    sections=(
        (
            "companyInfo",
            "Company info",
            "The company's legal identity, as the tax authority has it.",
        ),
        ("contactInfo", "Contact info", "How carriers and recipients reach the brand."),
    ),
    fields=(
        _text("companyInfo", "companyName", "Legal company name", 1, 100),
        _text(
            "companyInfo", "taxIdIssuingCountry", "Country of tax registration", 2, 2, pattern=ISO2
        ),
        _text("companyInfo", "taxId", "Tax ID or business registration number", 1, 21),
        _select(
            "companyInfo",
            "legalType",
            "Legal form of organization",
            ["PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT"],
        ),
        _text(
            "companyInfo",
            "stockSymbol",
            "Stock symbol",
            1,
            10,
            "CONDITIONAL",
            required_when=_PUBLIC,
        ),
        _select(
            "companyInfo",
            "stockExchange",
            "Stock exchange",
            STOCK_EXCHANGES,
            "CONDITIONAL",
            required_when=_PUBLIC,
        ),
        _text(
            "companyInfo",
            "businessContactEmail",
            "Brand verification email",
            1,
            100,
            "CONDITIONAL",
            pattern=EMAIL,
            pattern_text="An email address at the company's own domain.",
            required_when=_PUBLIC,
        ),
        _text("companyInfo", "address", "Street address", 1, 100),
        _text("companyInfo", "city", "City", 1, 100),
        _text("companyInfo", "state", "State or region", 1, 50),
        _text("companyInfo", "zipCode", "Zip or postal code", 1, 20),
        _text("companyInfo", "isoCountryCode", "Country", 2, 2, pattern=ISO2),
        _text("contactInfo", "dbaName", "DBA or brand name", 1, 100),
        _select("contactInfo", "vertical", "Vertical", VERTICALS),
        _text(
            "contactInfo",
            "website",
            "Company website",
            1,
            100,
            pattern=URL,
            pattern_text="A public http(s) URL.",
            example="https://www.example.com",
        ),
        _text("contactInfo", "supportEmail", "Support email", 1, 100, pattern=EMAIL),
        _text(
            "contactInfo",
            "supportPhoneNumber",
            "Support phone number",
            1,
            30,
            pattern=E164,
            pattern_text="E.164, for example +12065550142.",
        ),
    ),
    to_reviewing=4 * HOUR,
    to_decision=2 * DAY,
    to_complete=HOUR,
    rules=("website_is_url", "support_email_matches_website"),
    authentication=True,
    authority="The Campaign Registry",
)

TEN_DLC_VETTING = RegistrationType(
    name="US_TEN_DLC_BRAND_VETTING",
    title="US 10DLC brand vetting",
    description="Third-party vetting of a registered brand, for higher 10DLC throughput.",
    link=f"{GUIDE}/registrations-10dlc-vetting.html",
    sections=(),
    fields=(),
    associations=(
        Association(
            "registration",
            "ASSOCIATE_BEFORE_SUBMIT",
            "DELETE_REGISTRATION_DISASSOCIATES",
            registration_types=("US_TEN_DLC_BRAND_REGISTRATION",),
            maximum=1,
        ),
    ),
    to_reviewing=HOUR,
    to_decision=3 * DAY,
    to_complete=HOUR,
    authority="The Campaign Registry's vetting partner",
)

_MIXED = ("campaignUseCase.useCase", ("MIXED", "LOW_VOLUME"))
_LINK = ("campaignUseCase.embeddedLink", ("Yes",))
_SAMPLE = dict(pattern_text="20 to 1024 characters; mark variable parts with [brackets].")

TEN_DLC_CAMPAIGN = RegistrationType(
    name="US_TEN_DLC_CAMPAIGN_REGISTRATION",
    title="US 10DLC campaign registration",
    description="Register what a brand sends from 10DLC numbers; numbers join after approval.",
    link=f"{GUIDE}/registrations-10dlc-campaign.html",
    sections=(
        ("campaignInfo", "Campaign info", "What the campaign is and how recipients opt in."),
        ("campaignCapabilities", "Campaign capabilities", "Channels and message type."),
        ("campaignUseCase", "Campaign use case", "The use case and its attributes."),
        ("messageSamples", "Message samples", "Messages exactly as recipients will see them."),
        ("mmsFileSamples", "MMS file samples", "Media samples, for MMS campaigns."),
    ),
    fields=(
        _text("campaignInfo", "campaignName", "Campaign description", 40, 4096),
        _select("campaignInfo", "vertical", "Vertical", VERTICALS),
        _text(
            "campaignInfo",
            "termsAndConditionsLink",
            "Terms and conditions URL",
            1,
            255,
            "OPTIONAL",
            pattern=URL,
        ),
        _attachment("campaignInfo", "termsAndConditionsFile", "Terms and conditions file"),
        _text(
            "campaignInfo",
            "privacyPolicyLink",
            "Privacy policy URL",
            1,
            255,
            "OPTIONAL",
            pattern=URL,
        ),
        _attachment("campaignInfo", "privacyPolicyFile", "Privacy policy file"),
        _text("campaignInfo", "optInWorkflow", "Opt-in workflow", 40, 2048),
        _attachment("campaignInfo", "optInScreenshot", "Opt-in screenshot"),
        _text("campaignInfo", "optInKeyword", "Opt-in keyword", 1, 255, "OPTIONAL"),
        _text("campaignInfo", "optInMessage", "Opt-in confirmation message", 20, 255),
        _text("campaignInfo", "helpMessage", "HELP message", 20, 255),
        _text("campaignInfo", "stopMessage", "STOP message", 20, 255),
        _select(
            "campaignCapabilities",
            "numberCapabilities",
            "Number capabilities",
            ["SMS", "SMS and MMS", "SMS and VOICE", "SMS and MMS and VOICE"],
        ),
        _select(
            "campaignCapabilities",
            "messageType",
            "Message type",
            ["Transactional", "Promotional"],
            "OPTIONAL",
        ),
        _select("campaignUseCase", "useCase", "Use case", USE_CASES),
        _select(
            "campaignUseCase",
            "subUseCases",
            "Sub use cases",
            SUB_USE_CASES,
            "CONDITIONAL",
            choices=(1, 5),
            required_when=_MIXED,
        ),
        _select("campaignUseCase", "subscriberOptIn", "Subscriber opt-in", YES),
        _select("campaignUseCase", "subscriberOptOut", "Subscriber opt-out", YES),
        _select("campaignUseCase", "subscriberHelp", "Subscriber help", YES),
        _select("campaignUseCase", "directLending", "Direct lending or loan arrangement", YES_NO),
        _select("campaignUseCase", "embeddedLink", "Embedded link", YES_NO),
        _text(
            "campaignUseCase",
            "embeddedLinkSample",
            "Embedded link sample",
            1,
            255,
            "CONDITIONAL",
            pattern=URL,
            required_when=_LINK,
        ),
        _select("campaignUseCase", "embeddedPhone", "Embedded phone number", YES_NO),
        _select("campaignUseCase", "ageGated", "Age-gated content", YES_NO),
        _text("messageSamples", "messageSample1", "Message sample 1", 20, 1024, **_SAMPLE),
        *(
            _text(
                "messageSamples",
                f"messageSample{i}",
                f"Message sample {i}",
                20,
                1024,
                "OPTIONAL",
                **_SAMPLE,
            )
            for i in range(2, 6)
        ),
        *(
            _attachment("mmsFileSamples", f"mmsFileSample{i}", f"MMS file sample {i}")
            for i in range(1, 6)
        ),
    ),
    associations=(
        Association(
            "registration",
            "ASSOCIATE_BEFORE_SUBMIT",
            "DISASSOCIATE_ALL_ALLOWS_DELETE_REGISTRATION",
            registration_types=("US_TEN_DLC_BRAND_REGISTRATION",),
            maximum=1,
        ),
        Association(
            "phone-number",
            "ASSOCIATE_AFTER_COMPLETE",
            "DISASSOCIATE_ALL_ALLOWS_DELETE_REGISTRATION",
            iso_country_code="US",
            number_types=("TEN_DLC",),
            maximum=49,
        ),
    ),
    to_reviewing=DAY,
    to_decision=4 * WEEK,
    to_complete=DAY,
    rules=("samples_have_opt_out", "links_declared", "no_public_shorteners"),
    authority="the US carriers",
)

TOLL_FREE = RegistrationType(
    name="US_TOLL_FREE_REGISTRATION",
    title="US toll-free number registration",
    description="Verify a US toll-free number before it may send to US recipients.",
    link=f"{GUIDE}/registrations-tfn-register.html",
    sections=(
        ("companyInfo", "Company info", "The company that sends."),
        ("contactInfo", "Contact info", "The business's point of contact."),
        ("messagingUseCase", "Messaging use case", "Volume, use case and how recipients opt in."),
        ("messageSamples", "Message samples", "Messages exactly as recipients will see them."),
    ),
    fields=(
        _text("companyInfo", "companyName", "Company name", 1, 100),
        _text("companyInfo", "website", "Company website", 1, 100, pattern=URL),
        _text("companyInfo", "address1", "Address 1", 1, 100),
        _text("companyInfo", "address2", "Address 2", 1, 100, "OPTIONAL"),
        _text("companyInfo", "city", "City", 1, 100),
        _text("companyInfo", "state", "State or province", 1, 50),
        _text("companyInfo", "zipCode", "Zip or postal code", 1, 20),
        _text("companyInfo", "isoCountryCode", "Country", 2, 2, pattern=ISO2),
        _text("contactInfo", "firstName", "First name", 1, 100),
        _text("contactInfo", "lastName", "Last name", 1, 100),
        _text("contactInfo", "supportEmail", "Support email", 1, 100, pattern=EMAIL),
        _text("contactInfo", "supportPhoneNumber", "Support phone number", 1, 30, pattern=E164),
        _select(
            "messagingUseCase", "monthlyMessageVolume", "Monthly message volume", MONTHLY_VOLUMES
        ),
        _select("messagingUseCase", "useCaseCategory", "Use case category", TFN_USE_CASES),
        _text("messagingUseCase", "useCaseDetails", "Use case details", 1, 500),
        _select("messagingUseCase", "optInType", "Opt-in type", OPT_IN_TYPES, "OPTIONAL"),
        _text("messagingUseCase", "optInDescription", "Opt-in description", 1, 500),
        _attachment("messagingUseCase", "optInImage", "Opt-in image", "REQUIRED"),
        _text("messageSamples", "messageSample1", "Message sample 1", 1, 1024),
        _text("messageSamples", "messageSample2", "Message sample 2", 1, 1024, "OPTIONAL"),
        _text("messageSamples", "messageSample3", "Message sample 3", 1, 1024, "OPTIONAL"),
    ),
    associations=(
        Association(
            "phone-number",
            "ASSOCIATE_BEFORE_SUBMIT",
            "DISASSOCIATE_ALL_CLOSES_REGISTRATION",
            iso_country_code="US",
            number_types=("TOLL_FREE",),
            maximum=1,
        ),
    ),
    to_reviewing=DAY,
    to_decision=10 * DAY,
    to_complete=HOUR,
    rules=("samples_name_company",),
    authority="the toll-free messaging verification provider",
)

SHORT_CODE = RegistrationType(
    name="US_SHORT_CODE_REGISTRATION",
    title="US short code registration",
    description="Lease a dedicated US short code; it is provisioned when the carriers approve.",
    link=f"{GUIDE}/registrations-us-short-code.html",
    sections=(
        ("companyInfo", "Company info", "The company that sends."),
        ("programInfo", "Program info", "The short code programme."),
        ("messageSamples", "Message samples", "Messages exactly as recipients will see them."),
    ),
    fields=(
        _text("companyInfo", "companyName", "Company name", 1, 100),
        _text("companyInfo", "website", "Company website", 1, 100, pattern=URL),
        _text("companyInfo", "supportEmail", "Support email", 1, 100, pattern=EMAIL),
        _text("programInfo", "programName", "Program name", 1, 100),
        _text("programInfo", "programDescription", "Program description", 40, 2048),
        _select("programInfo", "messageType", "Message type", ["Transactional", "Promotional"]),
        _select("programInfo", "monthlyMessageVolume", "Monthly message volume", MONTHLY_VOLUMES),
        _text("programInfo", "helpMessage", "HELP message", 20, 160),
        _text("programInfo", "stopMessage", "STOP message", 20, 160),
        _text("messageSamples", "messageSample1", "Message sample 1", 20, 1024),
        _text("messageSamples", "messageSample2", "Message sample 2", 20, 1024, "OPTIONAL"),
    ),
    associations=(
        Association(
            "phone-number",
            "ASSOCIATE_ON_APPROVAL",
            "DISASSOCIATE_ALL_CLOSES_REGISTRATION",
            iso_country_code="US",
            number_types=("SHORT_CODE",),
        ),
    ),
    to_reviewing=DAY,
    to_decision=10 * WEEK,
    to_complete=WEEK,
    rules=("samples_have_opt_out",),
)


def _sender_id_type(country: str, name: str, weeks: float, loa: bool) -> RegistrationType:
    fields = [
        _text("companyInfo", "companyName", "Company name", 1, 100),
        _text("companyInfo", "businessRegistrationNumber", "Business registration number", 1, 50),
        _text("companyInfo", "website", "Company website", 1, 100, pattern=URL),
        _text("companyInfo", "address", "Address", 1, 200),
        _text("contactInfo", "firstName", "First name", 1, 100),
        _text("contactInfo", "lastName", "Last name", 1, 100),
        _text("contactInfo", "email", "Email", 1, 100, pattern=EMAIL),
        _text("contactInfo", "phoneNumber", "Phone number", 1, 30, pattern=E164),
        _text(
            "senderIdInfo",
            "senderId",
            "Sender ID",
            1,
            11,
            pattern="[A-Za-z0-9 ._-]{1,11}",
            pattern_text="Up to 11 letters, digits, spaces, dots, dashes or underscores.",
        ),
        _text("senderIdInfo", "senderIdConnection", "Sender ID connection", 1, 500, "OPTIONAL"),
        _select("messagingUseCase", "useCase", "Use case", ["TRANSACTIONAL", "PROMOTIONAL", "OTP"]),
        _text("messagingUseCase", "useCaseDescription", "Use case description", 1, 500),
        _text("messageSamples", "messageSample1", "Message sample 1", 1, 1024),
    ]
    if loa:
        fields.insert(
            9,
            _attachment(
                "senderIdInfo", "letterOfAuthorization", "Letter of authorization", "REQUIRED"
            ),
        )
    return RegistrationType(
        name=f"{country}_SENDER_ID_REGISTRATION",
        title=f"{name} sender ID registration",
        description=f"Register an alphanumeric sender ID for sending to {name}.",
        link=f"{GUIDE}/registrations-{name.lower().replace(' ', '-')}.html",
        sections=(
            ("companyInfo", "Company info", "The company that owns the sender ID."),
            ("contactInfo", "Contact info", "Who the regulator or carriers contact."),
            ("senderIdInfo", "Sender ID info", "The sender ID and why the company may use it."),
            ("messagingUseCase", "Messaging use case", "What is sent under the sender ID."),
            ("messageSamples", "Message samples", "Messages exactly as recipients will see them."),
        ),
        fields=tuple(fields),
        associations=(
            Association(
                "sender-id",
                "ASSOCIATE_ON_APPROVAL",
                "DISASSOCIATE_ALL_CLOSES_REGISTRATION",
                iso_country_code=country,
            ),
        ),
        to_reviewing=DAY,
        to_decision=weeks * WEEK,
        to_complete=DAY,
        rules=("sender_id_not_generic",),
        sender_id_field="senderIdInfo.senderId",
    )


TYPES: dict[str, RegistrationType] = {
    t.name: t
    for t in (
        TEN_DLC_BRAND,
        TEN_DLC_VETTING,
        TEN_DLC_CAMPAIGN,
        TOLL_FREE,
        SHORT_CODE,
        _sender_id_type("AU", "Australia", 3, False),
        _sender_id_type("SG", "Singapore", 4, True),
        _sender_id_type("AE", "United Arab Emirates", 3, True),
        _sender_id_type("IN", "India", 2, True),
    )
}

# Countries where a sender ID needs a registration (those with a form above, and others the
# user guide lists as requiring one): RequestSenderId refuses them
# (SENDER_ID_REQUIRES_REGISTRATION).
SENDER_ID_REGISTRATION_COUNTRIES = frozenset(
    {"AU", "SG", "AE", "IN", "AT", "BY", "EG", "FI", "ES", "PH", "QA", "SA", "TH", "VN", "KW", "JO"}
)
# Countries where the service offers no alphanumeric sender ID at all (SENDER_ID_NOT_SUPPORTED).
SENDER_ID_UNSUPPORTED_COUNTRIES = frozenset({"US", "CA", "CN", "BR", "AR", "PR"})


def registration_type(name: str) -> RegistrationType | None:
    """The type called ``name``, if the sandbox offers it."""
    return TYPES.get(name)


@dataclass
class Denial:
    """What a content rule found: the reason, and feedback per field."""

    reason: str
    short: str
    long: str
    fields: dict[str, str] = field(default_factory=dict)
