"""The demo's protect configurations, made after everything else so no earlier draw changes.

us-east-1: ``block-high-risk``, the account default, blocks SMS to a handful of countries the
account never serves (pumping destinations; ADR 18), with two number overrides: a partner's
Nigerian number allowed through, and a US premium-rate number blocked for 30 days after a
suspicious burst. eu-west-2: ``marketing-monitor`` watches SMS to the UK and Ireland in MONITOR
mode on the ``marketing-uk`` configuration set.
"""

from __future__ import annotations

from .builder import DAY, Builder, Tags, tag_list

# Countries the demo account never sends to, blocked for SMS by the account default.
BLOCKED_SMS = ("AZ", "KG", "NG", "PK", "TJ", "UZ")
PARTNER_NG = "+2348031234567"  # a delivery partner in a blocked country, allowed through
PREMIUM_US = "+19002345678"  # a premium-rate number a burst of sign-ups targeted


def build(b: Builder, us: str, eu: str, risk: Tags, growth: Tags) -> None:
    """Create the demo's protect configurations at the anchor (after the month of traffic)."""
    at = b.anchor
    default = b.call(
        us,
        "CreateProtectConfiguration",
        {"DeletionProtectionEnabled": True, "Tags": [*tag_list(risk), _name("block-high-risk")]},
        at=at,
    )["ProtectConfigurationId"]
    b.call(
        us,
        "UpdateProtectConfigurationCountryRuleSet",
        {
            "ProtectConfigurationId": default,
            "NumberCapability": "SMS",
            "CountryRuleSetUpdates": {cc: {"ProtectStatus": "BLOCK"} for cc in BLOCKED_SMS},
        },
        at=at,
    )
    b.call(us, "SetAccountDefaultProtectConfiguration", {"ProtectConfigurationId": default}, at=at)
    b.call(
        us,
        "PutProtectConfigurationRuleSetNumberOverride",
        {
            "ProtectConfigurationId": default,
            "DestinationPhoneNumber": PARTNER_NG,
            "Action": "ALLOW",
        },
        at=at,
    )
    b.call(
        us,
        "PutProtectConfigurationRuleSetNumberOverride",
        {
            "ProtectConfigurationId": default,
            "DestinationPhoneNumber": PREMIUM_US,
            "Action": "BLOCK",
            "ExpirationTimestamp": at + 30 * DAY,
        },
        at=at,
    )
    monitor = b.call(
        eu,
        "CreateProtectConfiguration",
        {"Tags": [*tag_list(growth), _name("marketing-monitor")]},
        at=at,
    )["ProtectConfigurationId"]
    b.call(
        eu,
        "UpdateProtectConfigurationCountryRuleSet",
        {
            "ProtectConfigurationId": monitor,
            "NumberCapability": "SMS",
            "CountryRuleSetUpdates": {cc: {"ProtectStatus": "MONITOR"} for cc in ("GB", "IE")},
        },
        at=at,
    )
    b.call(
        eu,
        "AssociateProtectConfiguration",
        {"ProtectConfigurationId": monitor, "ConfigurationSetName": "marketing-uk"},
        at=at,
    )


def _name(name: str) -> dict[str, str]:
    return {"Key": "Name", "Value": name}
