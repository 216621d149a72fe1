"""The demo's protect configurations.

us-east-1: ``block-high-risk``, made the morning after an SMS pumping incident (a bot sending
sign-up passcodes to premium-rate numbers, :meth:`.demo_traffic._Month.pumping`) and set as the
account default: it blocks SMS to a handful of countries the account never serves and FILTERs
US SMS (the sandbox's pumping heuristic, ADR 18), with two number overrides: a partner's Nigerian
number allowed through, and the premium-rate number the bot hit most blocked for 30 days. A
second burst days later is filtered. eu-west-2: ``marketing-monitor`` watches SMS to the UK and
Ireland in MONITOR mode on the ``marketing-uk`` configuration set, made at the anchor (after the
month of traffic, so no earlier draw changes).
"""

from __future__ import annotations

from .builder import DAY, Builder, Tags, tag_list

# Countries the demo account never sends to, blocked for SMS by the account default.
BLOCKED_SMS = ("AZ", "KG", "NG", "PK", "TJ", "UZ")
# Countries whose SMS the account default filters with the pumping heuristic.
FILTERED_SMS = ("US",)
PARTNER_NG = "+2348031234567"  # a delivery partner in a blocked country, allowed through
PREMIUM_US = "+19002345678"  # the premium-rate number the pumping bot hit most


def block_high_risk(b: Builder, us: str, risk: Tags, at: float) -> None:
    """The account default of ``us``, made at ``at`` (the morning after the pumping burst)."""
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
            "CountryRuleSetUpdates": {
                **{cc: {"ProtectStatus": "BLOCK"} for cc in BLOCKED_SMS},
                **{cc: {"ProtectStatus": "FILTER"} for cc in FILTERED_SMS},
            },
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


def monitor_marketing(b: Builder, eu: str, growth: Tags) -> None:
    """``marketing-monitor`` on ``marketing-uk`` in ``eu``, made at the anchor."""
    at = b.anchor
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
