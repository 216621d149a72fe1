"""What the model cannot say: prices, default quotas and limits, simulator numbers, default texts.

Every value is sourced in ``shared/reference/service-behaviour.md`` (sections named beside each
table) or recorded as a choice in ``docs/adr/0003-unconfirmed-service-behaviour.md``. Nothing here
repeats the model: enum values, lengths and patterns come from :mod:`ppv2kit.model`.
"""

from __future__ import annotations

from ..prices import (  # noqa: F401 - the sandbox charges from the shared price list
    LEASING_PRICE,
    SMS_CARRIER_FEE_PER_PART,
    SMS_PRICE_PER_PART,
    VOICE_PRICE_PER_MINUTE,
    carrier_fee,
    leasing_price,
    sms_price,
    voice_price,
)

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

# -- account tier and limits (§2.10, §3.1) ---------------------------------------------------
TIERS = ("SANDBOX", "PRODUCTION")

# AccountLimitName -> default Max [UG quotas].
DEFAULT_ACCOUNT_LIMITS: dict[str, int] = {
    "PHONE_NUMBERS": 25,
    "POOLS": 25,
    "CONFIGURATION_SETS": 25,
    "OPT_OUT_LISTS": 25,
    "SENDER_IDS": 200,
    "REGISTRATIONS": 25,
    "REGISTRATION_ATTACHMENTS": 25,
    "VERIFIED_DESTINATION_NUMBERS": 10,
}

# Quotas that are not account limits [UG quotas].
ORIGINATION_IDENTITIES_PER_POOL = 100
KEYWORDS_PER_IDENTITY = 30
EVENT_DESTINATIONS_PER_CONFIGURATION_SET = 5
TAGS_PER_RESOURCE = 50

# SpendLimitName -> MaxLimit (whole USD) by tier. A new account is in the sandbox with $1 for
# every kind [UG sandbox; UG awssupport-spend-threshold]; production values are our choice.
SPEND_MAX_LIMIT: dict[str, dict[str, int]] = {
    "SANDBOX": {
        "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT": 1,
        "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT": 1,
        "MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT": 1,
        "NOTIFY_MESSAGE_MONTHLY_SPEND_LIMIT": 1,
        "RCS_MESSAGE_MONTHLY_SPEND_LIMIT": 1,
    },
    "PRODUCTION": {
        "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT": 10_000,
        "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT": 10_000,
        "MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT": 10_000,
        "NOTIFY_MESSAGE_MONTHLY_SPEND_LIMIT": 10_000,
        "RCS_MESSAGE_MONTHLY_SPEND_LIMIT": 10_000,
    },
}

# -- phone numbers (§2.1) ----------------------------------------------------------------------
# Which number types each country offers (RequestPhoneNumber refuses the others).
NUMBER_TYPES_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "US": ("TOLL_FREE", "TEN_DLC", "SHORT_CODE", "SIMULATOR"),
    "CA": ("LONG_CODE", "TOLL_FREE", "SHORT_CODE"),
    "*": ("LONG_CODE",),
}

# Messages per second per capability by (country, type) [UG sms-limitations-mps].
MPS: dict[tuple[str, str], dict[str, int]] = {
    ("US", "SHORT_CODE"): {"SMS": 100, "MMS": 40},
    ("CA", "SHORT_CODE"): {"SMS": 100, "MMS": 40},
    ("US", "TEN_DLC"): {"SMS": 1, "MMS": 1},
    ("CA", "LONG_CODE"): {"SMS": 1, "MMS": 1},
    ("US", "TOLL_FREE"): {"SMS": 3, "MMS": 3},
    ("US", "SIMULATOR"): {"SMS": 1},
    ("*", "LONG_CODE"): {"SMS": 10},
    ("*", "TOLL_FREE"): {"SMS": 3},
}

# How the sandbox makes up a new number: a calling-code prefix per country (digits follow).
NUMBER_PREFIX: dict[str, str] = {
    "US": "+1206555",
    "CA": "+1613555",
    "GB": "+447700",
    "AU": "+614",
    "DE": "+49151",
    "FR": "+336",
    "JP": "+8180",
    "IN": "+9198",
    "BR": "+55119",
    "MX": "+5255",
}
TOLL_FREE_PREFIX = {"US": "+1888555", "CA": "+1877555"}

# -- simulator destination numbers (§4.4) --------------------------------------------------------
SIMULATOR_DESTINATIONS: dict[str, tuple[str, str]] = {
    "AU": ("+61455944038", "+61455944039"),
    "AT": ("+43676800442031", "+43676800442032"),
    "BE": ("+32460213922", "+32460213923"),
    "CL": ("+56229140630", "+56229140631"),
    "CZ": ("+420790542286", "+420790542287"),
    "DK": ("+4525919410", "+4525919215"),
    "EE": ("+37282720792", "+37282720793"),
    "FI": ("+3584573979110", "+3584573979111"),
    "FR": ("+33755512501", "+33755512502"),
    "HK": ("+85257048426", "+85257048854"),
    "HU": ("+36707178770", "+36707178772"),
    "IT": ("+394390009172", "+394390009174"),
    "JE": ("+447937404990", "+447937404992"),
    "LU": ("+352691385880", "+352691385882"),
    "NL": ("+3197008100148", "+3197008100150"),
    "NO": ("+4759449384", "+4759449387"),
    "PL": ("+48732141440", "+48732141442"),
    "PT": ("+351927946948", "+351927946950"),
    "RO": ("+40783900330", "+40783900332"),
    "ES": ("+34683783440", "+34683783442"),
    "SE": ("+46790645100", "+46790645102"),
    "CH": ("+41798075872", "+41798075874"),
    "TW": ("+886903444630", "+886903444632"),
    "GB": ("+447860019066", "+447860019067"),
    "US": ("+14254147755", "+14254147167"),
}
SIMULATOR_SUCCESS = frozenset(ok for ok, _ in SIMULATOR_DESTINATIONS.values())
SIMULATOR_FAILURE = frozenset(bad for _, bad in SIMULATOR_DESTINATIONS.values())


def is_simulator_destination(number: str) -> bool:
    """True for the documented success and failure simulator destination numbers."""
    return number in SIMULATOR_SUCCESS or number in SIMULATOR_FAILURE


# -- keywords (§2.6) ---------------------------------------------------------------------------
DEFAULT_KEYWORDS: dict[str, tuple[str, str]] = {
    "HELP": ("AUTOMATIC_RESPONSE", "Reply STOP to unsubscribe. Msg&data rates may apply."),
    "STOP": ("OPT_OUT", "You have been unsubscribed and will receive no further messages."),
}
MANDATORY_KEYWORDS = frozenset(DEFAULT_KEYWORDS)
# Words that opt a recipient out where opt-out is required (US/CA) [UG opt-out-list-keywords].
BUILTIN_OPT_OUT_WORDS = frozenset(
    {"ARRET", "CANCEL", "END", "OPT-OUT", "OPTOUT", "QUIT", "REMOVE", "STOP", "TD", "UNSUBSCRIBE"}
)

# -- request rates (§6) ------------------------------------------------------------------------
RATE_LIMIT_DEFAULT = 1.0
RATE_LIMITS: dict[str, float] = {
    "DeleteOptedOutNumber": 10.0,
    "PutOptedOutNumber": 10.0,
    "ListTagsForResource": 10.0,
    "PutMessageFeedback": 20.0,
}

# -- sending (§3.1, §4; choices in docs/adr/0010-sending-and-delivery.md) -------------------------
# Countries where sender IDs can't be used (NANP numbers need a dedicated number).
SENDER_ID_UNSUPPORTED_COUNTRIES = frozenset({"US", "CA", "PR"})
# Text-to-speech pace used to estimate how long a voice message lasts.
VOICE_WORDS_PER_MINUTE = 150
# Longest voice message, in seconds, by account tier [UG sandbox; UG quotas].
VOICE_MAX_SECONDS = {"SANDBOX": 30, "PRODUCTION": 300}
# A SANDBOX-tier account's voice limits [UG sandbox]: destination countries, messages a day
# (rolling 24 hours) and messages per recipient in 24 hours.
VOICE_SANDBOX_COUNTRIES = frozenset(
    {"AU", "CA", "DE", "HK", "IL", "JP", "MX", "SG", "SE", "US", "GB"}
)
VOICE_SANDBOX_PER_DAY = 20
VOICE_SANDBOX_PER_RECIPIENT_PER_DAY = 5


_SIMULATOR_COUNTRY = {
    number: country for country, pair in SIMULATOR_DESTINATIONS.items() for number in pair
}


def simulator_country(number: str) -> str | None:
    """The country of a simulator destination number, or None for any other number."""
    return _SIMULATOR_COUNTRY.get(number)
