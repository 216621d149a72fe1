"""Protect configurations through both transports: the 13 operations, and their effect on sends."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.sending_support import SIM_FAIL, SIM_OK, config_set, logged, number
from tests.support import aws_error

START = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
pytestmark = pytest.mark.sandbox_clock(START)
PREMIUM_US = "+19002345678"  # the number plan's example US premium-rate number


def _create(client, **params):
    return client.create_protect_configuration(**params)["ProtectConfigurationId"]


def _rules(client, ident, capability="SMS", **updates):
    return client.update_protect_configuration_country_rule_set(
        ProtectConfigurationId=ident,
        NumberCapability=capability,
        CountryRuleSetUpdates={cc: {"ProtectStatus": s} for cc, s in updates.items()},
    )["CountryRuleSet"]


def _send(client, origination, to=SIM_OK, **params):
    return client.send_text_message(
        OriginationIdentity=origination, DestinationPhoneNumber=to, MessageBody="hi", **params
    )


def _records(sandbox, message_id):
    events = sandbox.events()
    return list(events[events["messageId"] == message_id]["Record"])


# -- the configurations ---------------------------------------------------------------------


def test_create_describe_update_tag_and_delete(client):
    made = client.create_protect_configuration(
        DeletionProtectionEnabled=True, Tags=[{"Key": "Name", "Value": "strict"}]
    )
    ident, arn = made["ProtectConfigurationId"], made["ProtectConfigurationArn"]
    assert ident.startswith("protect-") and len(ident) == len("protect-") + 32
    assert arn == f"arn:aws:sms-voice:us-east-1:123456789012:protect-configuration/{ident}"
    assert made["AccountDefault"] is False and made["DeletionProtectionEnabled"] is True
    assert made["Tags"] == [{"Key": "Name", "Value": "strict"}]
    other = _create(client)
    listed = client.describe_protect_configurations()["ProtectConfigurations"]
    assert [p["ProtectConfigurationId"] for p in listed] == [ident, other]
    page = client.describe_protect_configurations(MaxResults=1)
    assert len(page["ProtectConfigurations"]) == 1 and page["NextToken"]
    rest = client.describe_protect_configurations(MaxResults=1, NextToken=page["NextToken"])
    assert [p["ProtectConfigurationId"] for p in rest["ProtectConfigurations"]] == [other]
    by_arn = client.describe_protect_configurations(ProtectConfigurationIds=[arn])
    assert [p["ProtectConfigurationId"] for p in by_arn["ProtectConfigurations"]] == [ident]
    protected = client.describe_protect_configurations(
        Filters=[{"Name": "deletion-protection-enabled", "Values": ["true"]}]
    )["ProtectConfigurations"]
    assert [p["ProtectConfigurationId"] for p in protected] == [ident]
    aws_error(
        lambda: client.describe_protect_configurations(ProtectConfigurationIds=["protect-nope"]),
        "ResourceNotFoundException",
        ResourceType="protect-configuration",
        ResourceId="protect-nope",
    )
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "risk"}])
    tags = client.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert {t["Key"] for t in tags} == {"Name", "team"}
    aws_error(
        lambda: client.delete_protect_configuration(ProtectConfigurationId=ident),
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
        ResourceId=ident,
    )
    updated = client.update_protect_configuration(
        ProtectConfigurationId=ident, DeletionProtectionEnabled=False
    )
    assert updated["DeletionProtectionEnabled"] is False
    gone = client.delete_protect_configuration(ProtectConfigurationId=arn)
    assert gone["ProtectConfigurationId"] == ident
    aws_error(
        lambda: client.update_protect_configuration(ProtectConfigurationId=ident),
        "ResourceNotFoundException",
        ResourceType="protect-configuration",
    )


def test_the_per_account_quota(client):
    for _ in range(5):
        _create(client)
    aws_error(
        lambda: client.create_protect_configuration(),
        "ServiceQuotaExceededException",
        "PROTECT_CONFIGURATIONS_PER_ACCOUNT",
    )


def test_country_rule_sets_start_allow_and_are_per_capability(client):
    ident = _create(client)
    got = client.get_protect_configuration_country_rule_set(
        ProtectConfigurationId=ident, NumberCapability="SMS"
    )
    rules = got["CountryRuleSet"]
    assert len(rules) > 200 and {r["ProtectStatus"] for r in rules.values()} == {"ALLOW"}
    assert got["NumberCapability"] == "SMS" and got["ProtectConfigurationId"] == ident
    after = _rules(client, ident, US="BLOCK", GB="MONITOR", FR="FILTER")
    assert (after["US"], after["GB"], after["FR"], after["DE"]) == (
        {"ProtectStatus": "BLOCK"},
        {"ProtectStatus": "MONITOR"},
        {"ProtectStatus": "FILTER"},
        {"ProtectStatus": "ALLOW"},
    )
    voice = client.get_protect_configuration_country_rule_set(
        ProtectConfigurationId=ident, NumberCapability="VOICE"
    )["CountryRuleSet"]
    assert voice["US"] == {"ProtectStatus": "ALLOW"}
    assert _rules(client, ident, US="ALLOW")["US"] == {"ProtectStatus": "ALLOW"}
    aws_error(lambda: _rules(client, ident, ZZ="BLOCK"), "ValidationException", "INVALID_PARAMETER")


def test_associations_and_the_account_default(client):
    ident = _create(client)
    config_set(client, "marketing")
    done = client.associate_protect_configuration(
        ProtectConfigurationId=ident, ConfigurationSetName="marketing"
    )
    assert done["ConfigurationSetName"] == "marketing" and done["ProtectConfigurationId"] == ident
    [cs] = client.describe_configuration_sets()["ConfigurationSets"]
    assert cs["ProtectConfigurationId"] == ident
    aws_error(
        lambda: client.delete_protect_configuration(ProtectConfigurationId=ident),
        "ConflictException",
        "PROTECT_CONFIGURATION_ASSOCIATED_WITH_CONFIGURATION_SET",
    )
    client.disassociate_protect_configuration(
        ProtectConfigurationId=ident, ConfigurationSetName="marketing"
    )
    assert (
        "ProtectConfigurationId" not in client.describe_configuration_sets()["ConfigurationSets"][0]
    )
    aws_error(
        lambda: client.disassociate_protect_configuration(
            ProtectConfigurationId=ident, ConfigurationSetName="marketing"
        ),
        "ConflictException",
        "PROTECT_CONFIGURATION_NOT_ASSOCIATED_WITH_CONFIGURATION_SET",
    )
    default = client.set_account_default_protect_configuration(ProtectConfigurationId=ident)
    assert default["DefaultProtectConfigurationId"] == ident
    attrs = client.describe_account_attributes()["AccountAttributes"]
    assert {"Name": "DEFAULT_PROTECT_CONFIGURATION_ID", "Value": ident} in attrs
    listed = client.describe_protect_configurations(
        Filters=[{"Name": "account-default", "Values": ["true"]}]
    )["ProtectConfigurations"]
    assert [p["ProtectConfigurationId"] for p in listed] == [ident]
    aws_error(
        lambda: client.delete_protect_configuration(ProtectConfigurationId=ident),
        "ConflictException",
        "PROTECT_CONFIGURATION_IS_ACCOUNT_DEFAULT",
    )
    removed = client.delete_account_default_protect_configuration()
    assert removed["DefaultProtectConfigurationId"] == ident
    names = [a["Name"] for a in client.describe_account_attributes()["AccountAttributes"]]
    assert names == ["ACCOUNT_TIER"]
    aws_error(
        lambda: client.delete_account_default_protect_configuration(),
        "ResourceNotFoundException",
    )
    client.delete_protect_configuration(ProtectConfigurationId=ident)


def test_number_overrides_list_filter_and_expire_on_the_sandbox_clock(client, sandbox):
    ident = _create(client)
    put = client.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=ident,
        DestinationPhoneNumber=SIM_OK,
        Action="ALLOW",
        ExpirationTimestamp=START + timedelta(hours=1),
    )
    assert (put["Action"], put["IsoCountryCode"]) == ("ALLOW", "US")
    client.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=ident, DestinationPhoneNumber="+447860019066", Action="BLOCK"
    )
    listed = client.list_protect_configuration_rule_set_number_overrides(
        ProtectConfigurationId=ident
    )["RuleSetNumberOverrides"]
    assert [o["DestinationPhoneNumber"] for o in listed] == [SIM_OK, "+447860019066"]

    def only(name, *values):
        return [
            o["DestinationPhoneNumber"]
            for o in client.list_protect_configuration_rule_set_number_overrides(
                ProtectConfigurationId=ident, Filters=[{"Name": name, "Values": list(values)}]
            )["RuleSetNumberOverrides"]
        ]

    assert only("action", "BLOCK") == ["+447860019066"]
    assert only("iso-country-code", "US") == [SIM_OK]
    assert only("destination-phone-number-begins-with", "+44") == ["+447860019066"]
    assert only("expires-before", str((START + timedelta(hours=2)).timestamp())) == [SIM_OK]
    aws_error(
        lambda: client.put_protect_configuration_rule_set_number_override(
            ProtectConfigurationId=ident,
            DestinationPhoneNumber=SIM_FAIL,
            Action="BLOCK",
            ExpirationTimestamp=START - timedelta(hours=1),
        ),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    sandbox.advance(2 * 3600)
    left = client.list_protect_configuration_rule_set_number_overrides(
        ProtectConfigurationId=ident
    )["RuleSetNumberOverrides"]
    assert [o["DestinationPhoneNumber"] for o in left] == ["+447860019066"]
    aws_error(
        lambda: client.delete_protect_configuration_rule_set_number_override(
            ProtectConfigurationId=ident, DestinationPhoneNumber=SIM_OK
        ),
        "ResourceNotFoundException",
    )
    deleted = client.delete_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=ident, DestinationPhoneNumber="+447860019066"
    )
    assert deleted["Action"] == "BLOCK"


# -- enforcement when sending ---------------------------------------------------------------


def test_a_blocked_country_refuses_text_and_the_override_wins(client, sandbox):
    sim = number(client)["PhoneNumberId"]
    ident = _create(client)
    _rules(client, ident, US="BLOCK")
    _send(client, sim)  # no configuration applies yet
    before = logged(sandbox)
    aws_error(
        lambda: _send(client, sim, ProtectConfigurationId=ident),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )
    aws_error(
        lambda: _send(client, sim, ProtectConfigurationId=ident, DryRun=True),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )
    assert logged(sandbox) == before
    client.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=ident,
        DestinationPhoneNumber=SIM_OK,
        Action="ALLOW",
        ExpirationTimestamp=START + timedelta(hours=1),
    )
    _send(client, sim, ProtectConfigurationId=ident)  # let through the blocked country
    aws_error(
        lambda: _send(client, sim, to=SIM_FAIL, ProtectConfigurationId=ident),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )
    client.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=ident, DestinationPhoneNumber=SIM_FAIL, Action="BLOCK"
    )
    _rules(client, ident, US="ALLOW")
    aws_error(
        lambda: _send(client, sim, to=SIM_FAIL, ProtectConfigurationId=ident),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE",
    )
    _rules(client, ident, US="BLOCK")
    sandbox.advance(2 * 3600)  # the ALLOW override expires
    aws_error(
        lambda: _send(client, sim, ProtectConfigurationId=ident),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )
    aws_error(
        lambda: _send(client, sim, ProtectConfigurationId="protect-missing"),
        "ResourceNotFoundException",
        ResourceType="protect-configuration",
        ResourceId="protect-missing",
    )


def test_precedence_request_then_configuration_set_then_account_default(client):
    sim = number(client)["PhoneNumberId"]
    blocking, allowing = _create(client), _create(client)
    _rules(client, blocking, US="BLOCK")
    config_set(client, "cs")
    client.set_account_default_protect_configuration(ProtectConfigurationId=blocking)
    aws_error(
        lambda: _send(client, sim),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
        ResourceId=blocking,
    )
    _send(client, sim, ProtectConfigurationId=allowing)  # the request's wins over the default
    client.associate_protect_configuration(
        ProtectConfigurationId=allowing, ConfigurationSetName="cs"
    )
    _send(client, sim, ConfigurationSetName="cs")  # the set's wins over the default
    aws_error(  # the request's wins over the set's
        lambda: _send(client, sim, ConfigurationSetName="cs", ProtectConfigurationId=blocking),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )
    client.delete_account_default_protect_configuration()
    _send(client, sim)  # none applies


def test_monitor_sends_and_the_events_carry_the_configuration(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    sim = number(client)["PhoneNumberId"]
    toll_free = number(client, "TOLL_FREE")["PhoneNumberId"]
    ident = _create(client)
    _rules(client, ident, US="MONITOR")
    config_set(client, "cs", sink=["ALL"])
    client.associate_protect_configuration(ProtectConfigurationId=ident, ConfigurationSetName="cs")
    sent = _send(client, sim, ConfigurationSetName="cs")["MessageId"]
    records = _records(sandbox, sent)
    assert [r["eventType"] for r in records] == ["TEXT_SUCCESSFUL", "TEXT_DELIVERED"]
    assert records[-1]["protectConfiguration"] == {
        "protectConfigurationId": ident,
        "protectStatus": "MONITOR",
    }
    premium = _send(client, toll_free, to=PREMIUM_US, ConfigurationSetName="cs")["MessageId"]
    records = _records(sandbox, premium)
    assert records[-1]["eventType"] == "TEXT_DELIVERED"
    assert records[-1]["protectConfiguration"]["wouldBlock"] is True


def test_filter_blocks_what_the_pumping_heuristic_flags(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    toll_free = number(client, "TOLL_FREE", capabilities=("SMS", "VOICE"))["PhoneNumberId"]
    ident = _create(client)
    _rules(client, ident, US="FILTER")
    _rules(client, ident, "VOICE", US="FILTER")
    config_set(client, "cs", sink=["ALL"])
    client.set_account_default_protect_configuration(ProtectConfigurationId=ident)
    ordinary = _send(client, toll_free, to="+12065550199", ConfigurationSetName="cs")
    assert _records(sandbox, ordinary["MessageId"])[-1]["eventType"] == "TEXT_DELIVERED"
    _, _, spent = logged(sandbox)
    blocked = _send(client, toll_free, to=PREMIUM_US, ConfigurationSetName="cs")["MessageId"]
    [record] = _records(sandbox, blocked)
    assert (record["eventType"], record["messageStatus"]) == (
        "TEXT_PROTECT_BLOCKED",
        "PROTECT_BLOCKED",
    )
    assert record["isFinal"] is True and record["totalMessagePrice"] == 0.0
    assert record["protectConfiguration"]["protectStatus"] == "FILTER"
    assert logged(sandbox)[2] == spent  # nothing charged
    client.put_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=ident, DestinationPhoneNumber=PREMIUM_US, Action="ALLOW"
    )
    allowed = _send(client, toll_free, to=PREMIUM_US, ConfigurationSetName="cs")["MessageId"]
    assert _records(sandbox, allowed)[-1]["eventType"] == "TEXT_DELIVERED"
    client.delete_protect_configuration_rule_set_number_override(
        ProtectConfigurationId=ident, DestinationPhoneNumber=PREMIUM_US
    )
    aws_error(  # voice has no *_PROTECT_BLOCKED event: the call is refused
        lambda: client.send_voice_message(
            OriginationIdentity=toll_free, DestinationPhoneNumber=PREMIUM_US, MessageBody="hi"
        ),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )


def test_voice_follows_the_voice_rule_set(client):
    sim = number(client, capabilities=("SMS", "VOICE"))["PhoneNumberId"]
    ident = _create(client)
    _rules(client, ident, US="BLOCK")  # SMS only
    client.set_account_default_protect_configuration(ProtectConfigurationId=ident)

    def call():
        return client.send_voice_message(
            OriginationIdentity=sim, DestinationPhoneNumber=SIM_OK, MessageBody="hello"
        )

    call()
    _rules(client, ident, "VOICE", US="BLOCK")
    aws_error(call, "ConflictException", "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION")
