"""The Notify catalog: the templates and countries the sandbox offers (ADR 20).

The service publishes its managed templates and Notify countries only through
DescribeNotifyTemplates and ListNotifyCountries; no public list exists. The shapes, enums and
filter names come from botocore's model (``NotifyTemplateInformation``,
``NotifyCountryInformation``); the entries below are the sandbox's own, small and UNCONFIRMED:
one-time passcode templates (``OTP_VERIFICATION``, the model's only template type) in a few
languages, and a handful of countries. Placeholders are written ``{{name}}`` (UNCONFIRMED).
"""

from __future__ import annotations

import re
from typing import Any

# When the catalog's templates were published (epoch seconds, 2026-03-31: the SDK release that
# added Notify, ../shared/reference/today-api.md §1).
PUBLISHED = 1774915200.0

PLACEHOLDER = re.compile(r"\{\{([A-Za-z0-9_]+)\}\}")

_CODE = {
    "Type": "STRING",
    "Required": True,
    "Description": "The one-time passcode",
    "MaxLength": 10,
    "Pattern": "[0-9]{4,10}",
    "Sample": "123456",
    "Source": "CUSTOMER",
}
_APP = {
    "Type": "STRING",
    "Required": False,
    "Description": "The name of the application asking for the code",
    "MaxLength": 30,
    "DefaultValue": "account",
    "Sample": "ExampleCorp",
    "Source": "CUSTOMER",
}
_MINUTES = {
    "Type": "INTEGER",
    "Required": False,
    "Description": "Minutes until the code expires",
    "MinValue": 1,
    "MaxValue": 60,
    "DefaultValue": "10",
    "Sample": "10",
    "Source": "CUSTOMER",
}

_EN_COUNTRIES = ["US", "CA", "GB", "AU", "IE", "IN", "NZ", "ZA"]

# TemplateId -> NotifyTemplateInformation (Version, CreatedTimestamp added by :func:`templates`).
TEMPLATES: dict[str, dict[str, Any]] = {
    "otp-basic-en": {
        "TemplateType": "OTP_VERIFICATION",
        "Channels": ["SMS", "VOICE"],
        "TierAccess": ["BASIC", "ADVANCED"],
        "Status": "ACTIVE",
        "SupportedCountries": _EN_COUNTRIES,
        "LanguageCode": "en-US",
        "Content": "Your verification code is {{code}}.",
        "Variables": {"code": _CODE},
        "SupportedVoiceIds": ["JOANNA", "MATTHEW", "AMY", "BRIAN"],
    },
    "otp-expiry-en": {
        "TemplateType": "OTP_VERIFICATION",
        "Channels": ["SMS"],
        "TierAccess": ["BASIC", "ADVANCED"],
        "Status": "ACTIVE",
        "SupportedCountries": _EN_COUNTRIES,
        "LanguageCode": "en-US",
        "Content": (
            "{{code}} is your {{appName}} verification code. It expires in {{expiryMinutes}} "
            "minutes."
        ),
        "Variables": {"code": _CODE, "appName": _APP, "expiryMinutes": _MINUTES},
        "SupportedVoiceIds": [],
    },
    "otp-basic-es": {
        "TemplateType": "OTP_VERIFICATION",
        "Channels": ["SMS", "VOICE"],
        "TierAccess": ["ADVANCED"],
        "Status": "ACTIVE",
        "SupportedCountries": ["ES", "MX", "US"],
        "LanguageCode": "es-ES",
        "Content": "Su código de verificación es {{code}}.",
        "Variables": {"code": _CODE},
        "SupportedVoiceIds": ["LUCIA", "MIGUEL", "PENELOPE"],
    },
    "otp-basic-fr": {
        "TemplateType": "OTP_VERIFICATION",
        "Channels": ["SMS"],
        "TierAccess": ["BASIC", "ADVANCED"],
        "Status": "ACTIVE",
        "SupportedCountries": ["FR", "CA", "BE"],
        "LanguageCode": "fr-FR",
        "Content": "Votre code de vérification est {{code}}.",
        "Variables": {"code": _CODE},
        "SupportedVoiceIds": [],
    },
    "otp-legacy-en": {
        "TemplateType": "OTP_VERIFICATION",
        "Channels": ["SMS"],
        "TierAccess": ["BASIC", "ADVANCED"],
        "Status": "INACTIVE",
        "SupportedCountries": _EN_COUNTRIES,
        "LanguageCode": "en-US",
        "Content": "Code: {{code}}",
        "Variables": {"code": _CODE},
        "SupportedVoiceIds": [],
    },
}

# IsoCountryCode -> (CountryName, SupportedChannels, SupportedTiers, CustomerOwnedIdentityRequired)
COUNTRIES: dict[str, tuple[str, list[str], list[str], bool]] = {
    "AU": ("Australia", ["SMS", "VOICE"], ["BASIC", "ADVANCED"], False),
    "BE": ("Belgium", ["SMS"], ["BASIC", "ADVANCED"], False),
    "CA": ("Canada", ["SMS", "VOICE"], ["BASIC", "ADVANCED"], False),
    "ES": ("Spain", ["SMS", "VOICE"], ["ADVANCED"], False),
    "FR": ("France", ["SMS"], ["BASIC", "ADVANCED"], False),
    "GB": ("United Kingdom", ["SMS", "VOICE"], ["BASIC", "ADVANCED"], False),
    "IE": ("Ireland", ["SMS"], ["BASIC", "ADVANCED"], False),
    "IN": ("India", ["SMS"], ["ADVANCED"], True),
    "MX": ("Mexico", ["SMS", "VOICE"], ["ADVANCED"], False),
    "NZ": ("New Zealand", ["SMS"], ["BASIC", "ADVANCED"], False),
    "US": ("United States", ["SMS", "VOICE"], ["BASIC", "ADVANCED"], True),
    "ZA": ("South Africa", ["SMS"], ["BASIC", "ADVANCED"], False),
}

USE_CASES = ["CODE_VERIFICATION"]


def templates() -> list[dict[str, Any]]:
    """Every template as NotifyTemplateInformation, in catalog order."""
    return [
        {"TemplateId": ident, "Version": 1, **entry, "CreatedTimestamp": PUBLISHED}
        for ident, entry in TEMPLATES.items()
    ]


def countries() -> list[dict[str, Any]]:
    """Every Notify country as NotifyCountryInformation, by country code."""
    return [
        {
            "IsoCountryCode": code,
            "CountryName": name,
            "SupportedChannels": channels,
            "SupportedUseCases": USE_CASES,
            "SupportedTiers": tiers,
            "CustomerOwnedIdentityRequired": owned,
        }
        for code, (name, channels, tiers, owned) in sorted(COUNTRIES.items())
    ]
