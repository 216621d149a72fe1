"""Notify: configurations, the template and country catalog, templated sends, the pool rule."""

from __future__ import annotations

from typing import Any

import pytest

from ppv2kit.sandbox import notify_catalog
from tests.sending_support import (
    GB_SIM_OK,
    SIM_FAIL,
    SIM_OK,
    US_PART,
    config_set,
    month_spend,
    number,
)
from tests.support import aws_error, field_names


def configuration(client: Any, **params: Any) -> dict[str, Any]:
    made = client.create_notify_configuration(
        **{
            "DisplayName": "Example",
            "UseCase": "CODE_VERIFICATION",
            "EnabledChannels": ["SMS", "VOICE"],
            **params,
        }
    )
    made.pop("ResponseMetadata")
    return made


def test_configuration_lifecycle(client):
    made = configuration(
        client,
        DefaultTemplateId="otp-basic-en",
        EnabledCountries=["US"],
        Tags=[{"Key": "a", "Value": "1"}],
    )
    ident = made["NotifyConfigurationId"]
    assert ident.startswith("nc-")
    assert made["NotifyConfigurationArn"].endswith(f":notify-configuration/{ident}")
    assert (made["Status"], made["Tier"], made["TierUpgradeStatus"]) == ("ACTIVE", "BASIC", "BASIC")
    assert made["DeletionProtectionEnabled"] is False
    tags = client.list_tags_for_resource(ResourceArn=made["NotifyConfigurationArn"])["Tags"]
    assert tags == [{"Key": "a", "Value": "1"}]
    updated = client.update_notify_configuration(
        NotifyConfigurationId=made["NotifyConfigurationArn"],
        DefaultTemplateId="UNSET_DEFAULT_TEMPLATE",
        EnabledCountries=["US", "GB"],
        EnabledChannels=["SMS"],
        DeletionProtectionEnabled=True,
    )
    assert "DefaultTemplateId" not in updated
    assert updated["EnabledCountries"] == ["US", "GB"] and updated["EnabledChannels"] == ["SMS"]
    aws_error(
        lambda: client.delete_notify_configuration(NotifyConfigurationId=ident),
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
        ResourceType="notify-configuration",
        ResourceId=ident,
    )
    client.update_notify_configuration(NotifyConfigurationId=ident, DeletionProtectionEnabled=False)
    gone = client.delete_notify_configuration(NotifyConfigurationId=ident)
    assert gone["NotifyConfigurationId"] == ident
    aws_error(
        lambda: client.describe_notify_configurations(NotifyConfigurationIds=[ident]),
        "ResourceNotFoundException",
        ResourceType="notify-configuration",
        ResourceId=ident,
    )


def test_a_configuration_is_pending_until_provisioned(client, sandbox):
    sandbox.provisioning_delay = 60
    made = configuration(client, DefaultTemplateId="otp-basic-en")
    assert made["Status"] == "PENDING"
    aws_error(
        lambda: client.send_notify_text_message(
            NotifyConfigurationId=made["NotifyConfigurationId"],
            DestinationPhoneNumber=SIM_OK,
            TemplateVariables={"code": "123456"},
        ),
        "ConflictException",
        "NOTIFY_CONFIGURATION_NOT_ACTIVE",
        ResourceType="notify-configuration",
    )
    sandbox.advance(61)
    [listed] = client.describe_notify_configurations()["NotifyConfigurations"]
    assert listed["Status"] == "ACTIVE"


def test_configuration_errors_name_the_field(client):
    aws_error(
        lambda: configuration(client, DefaultTemplateId="no-such-template"),
        "ResourceNotFoundException",
        ResourceType="notify-template",
        ResourceId="no-such-template",
    )
    aws_error(
        lambda: configuration(client, PoolId="pool-00000000000000000000000000000000"),
        "ResourceNotFoundException",
        ResourceType="pool",
    )
    response = aws_error(
        lambda: configuration(client, EnabledCountries=["US", "JP"]),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    assert field_names(response) == ["EnabledCountries[1]"]
    response = aws_error(
        lambda: configuration(client, EnabledChannels=["MMS"]),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    assert field_names(response) == ["EnabledChannels[0]"]


def test_configuration_quota(client):
    for i in range(10):
        configuration(client, DisplayName=f"c{i}")
    aws_error(
        lambda: configuration(client),
        "ServiceQuotaExceededException",
        "NOTIFY_CONFIGURATIONS_PER_ACCOUNT",
    )


def test_describe_configurations_filters_and_pages(client):
    first = configuration(client, DisplayName="one", DefaultTemplateId="otp-basic-en")
    configuration(client, DisplayName="two", EnabledCountries=["GB"])
    third = configuration(client, DisplayName="three", DefaultTemplateId="otp-basic-en")
    pages = client.get_paginator("describe_notify_configurations").paginate(
        PaginationConfig={"PageSize": 2}
    )
    sizes = [len(p["NotifyConfigurations"]) for p in pages]
    assert sizes == [2, 1]
    found = client.describe_notify_configurations(
        Filters=[{"Name": "default-template", "Values": ["otp-basic-en"]}]
    )["NotifyConfigurations"]
    assert [c["DisplayName"] for c in found] == ["one", "three"]
    found = client.describe_notify_configurations(
        Filters=[{"Name": "enabled-countries", "Values": ["GB"]}]
    )["NotifyConfigurations"]
    assert [c["DisplayName"] for c in found] == ["two"]
    found = client.describe_notify_configurations(
        NotifyConfigurationIds=[first["NotifyConfigurationArn"], third["NotifyConfigurationId"]]
    )["NotifyConfigurations"]
    assert [c["DisplayName"] for c in found] == ["one", "three"]


def test_templates_catalog_filters_and_pages(client):
    every = [
        t
        for page in client.get_paginator("describe_notify_templates").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for t in page["NotifyTemplates"]
    ]
    assert [t["TemplateId"] for t in every] == list(notify_catalog.TEMPLATES)
    assert all(t["TemplateType"] == "OTP_VERIFICATION" and t["Version"] == 1 for t in every)
    voice = client.describe_notify_templates(Filters=[{"Name": "channels", "Values": ["VOICE"]}])
    assert [t["TemplateId"] for t in voice["NotifyTemplates"]] == ["otp-basic-en", "otp-basic-es"]
    [one] = client.describe_notify_templates(TemplateIds=["otp-expiry-en"])["NotifyTemplates"]
    assert one["Variables"]["expiryMinutes"]["Type"] == "INTEGER"
    aws_error(
        lambda: client.describe_notify_templates(TemplateIds=["nope"]),
        "ResourceNotFoundException",
        ResourceType="notify-template",
        ResourceId="nope",
    )


def test_countries_catalog_filters_and_pages(client):
    pages = list(
        client.get_paginator("list_notify_countries").paginate(PaginationConfig={"PageSize": 5})
    )
    codes = [c["IsoCountryCode"] for p in pages for c in p["NotifyCountries"]]
    assert codes == sorted(notify_catalog.COUNTRIES) and len(pages) == 3
    voice_basic = client.list_notify_countries(Channels=["VOICE"], Tier="BASIC")["NotifyCountries"]
    assert [c["IsoCountryCode"] for c in voice_basic] == ["AU", "CA", "GB", "US"]
    [us] = [c for c in voice_basic if c["IsoCountryCode"] == "US"]
    assert us["CountryName"] == "United States" and us["SupportedUseCases"] == ["CODE_VERIFICATION"]


def test_send_text_renders_charges_and_emits_events(client, sandbox):
    config_set(client, "cs", sns=["ALL"])
    made = configuration(client, DefaultTemplateId="otp-expiry-en")
    sent = client.send_notify_text_message(
        NotifyConfigurationId=made["NotifyConfigurationId"],
        DestinationPhoneNumber=SIM_OK,
        TemplateVariables={"code": "4321", "appName": "Shop"},
        ConfigurationSetName="cs",
        Context={"k": "v"},
    )
    assert sent["TemplateId"] == "otp-expiry-en"
    assert (
        sent["ResolvedMessageBody"]
        == "4321 is your Shop verification code. It expires in 10 minutes."
    )
    messages = sandbox.messages()
    [row] = messages[messages["MessageId"] == sent["MessageId"]].to_dict("records")
    assert row["Channel"] == "TEXT" and row["OriginationIdentityType"] == "NOTIFY_CONFIGURATION"
    assert month_spend(sandbox, "NOTIFY") == pytest.approx(US_PART)
    assert month_spend(sandbox, "TEXT") == 0.0
    events = sandbox.events()
    types = list(events[events["messageId"] == sent["MessageId"]]["eventType"])
    assert types == ["TEXT_SUCCESSFUL", "TEXT_DELIVERED"]
    dry = client.send_notify_text_message(
        NotifyConfigurationId=made["NotifyConfigurationId"],
        DestinationPhoneNumber=SIM_OK,
        TemplateVariables={"code": "4321"},
        DryRun=True,
    )
    assert dry["ResolvedMessageBody"] == (
        "4321 is your account verification code. It expires in 10 minutes."
    )
    assert len(sandbox.messages()) == 1


def test_send_voice_uses_the_templates_voice(client, sandbox):
    made = configuration(client, DefaultTemplateId="otp-basic-en")
    sent = client.send_notify_voice_message(
        NotifyConfigurationId=made["NotifyConfigurationId"],
        DestinationPhoneNumber=SIM_FAIL,
        TemplateVariables={"code": "123456"},
    )
    assert sent["ResolvedMessageBody"] == "Your verification code is 123456."
    messages = sandbox.messages()
    [row] = messages[messages["MessageId"] == sent["MessageId"]].to_dict("records")
    assert (row["Channel"], row["VoiceId"], row["Status"]) == ("VOICE", "MATTHEW", "FAILED")
    aws_error(
        lambda: client.send_notify_voice_message(
            NotifyConfigurationId=made["NotifyConfigurationId"],
            DestinationPhoneNumber=SIM_OK,
            TemplateVariables={"code": "123456"},
            VoiceId="LUCIA",
        ),
        "ValidationException",
        "INVALID_PARAMETER",
    )


@pytest.mark.parametrize(
    ("variables", "reason", "field"),
    [
        ({}, "MISSING_PARAMETER", "TemplateVariables.code"),
        ({"code": "12"}, "INVALID_PARAMETER", "TemplateVariables.code"),
        ({"code": "12345678901"}, "INVALID_PARAMETER", "TemplateVariables.code"),
        (
            {"code": "1234", "expiryMinutes": "soon"},
            "INVALID_PARAMETER",
            "TemplateVariables.expiryMinutes",
        ),
        (
            {"code": "1234", "expiryMinutes": "61"},
            "INVALID_PARAMETER",
            "TemplateVariables.expiryMinutes",
        ),
        ({"code": "1234", "other": "x"}, "INVALID_PARAMETER", "TemplateVariables.other"),
    ],
)
def test_template_variables_are_checked(client, sandbox, variables, reason, field):
    made = configuration(client)
    response = aws_error(
        lambda: client.send_notify_text_message(
            NotifyConfigurationId=made["NotifyConfigurationId"],
            DestinationPhoneNumber=SIM_OK,
            TemplateId="otp-expiry-en",
            TemplateVariables=variables,
        ),
        "ValidationException",
        reason,
    )
    assert field_names(response) == [field]
    assert len(sandbox.messages()) == 0


def test_send_rules(client, sandbox):
    made = configuration(client, EnabledChannels=["SMS"], EnabledCountries=["US"])
    ident = made["NotifyConfigurationId"]

    def send(op="send_notify_text_message", **params):
        return lambda: getattr(client, op)(
            **{
                "NotifyConfigurationId": ident,
                "DestinationPhoneNumber": SIM_OK,
                "TemplateVariables": {"code": "1234"},
                **params,
            }
        )

    cases = [
        (send(), "MISSING_PARAMETER", "TemplateId"),
        (send(TemplateId="otp-legacy-en"), "INVALID_PARAMETER", "TemplateId"),
        (send(TemplateId="otp-basic-es"), "INVALID_PARAMETER", "TemplateId"),
        (
            send(TemplateId="otp-basic-fr", DestinationPhoneNumber=GB_SIM_OK),
            "DESTINATION_COUNTRY_BLOCKED",
            "DestinationPhoneNumber",
        ),
        (send(TemplateId="otp-basic-fr"), "DESTINATION_COUNTRY_BLOCKED", "DestinationPhoneNumber"),
        (
            send("send_notify_voice_message", TemplateId="otp-basic-en"),
            "INVALID_PARAMETER",
            "NotifyConfigurationId",
        ),
    ]
    for call, reason, field in cases:
        assert field_names(aws_error(call, "ValidationException", reason)) == [field]
    aws_error(
        send(TemplateId="otp-basic-en", DestinationPhoneNumber="+12065550100"),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
    )
    aws_error(
        lambda: client.send_notify_text_message(
            NotifyConfigurationId="nc-missing", DestinationPhoneNumber=SIM_OK, TemplateVariables={}
        ),
        "ResourceNotFoundException",
        ResourceType="notify-configuration",
        ResourceId="nc-missing",
    )
    client.set_notify_message_spend_limit_override(MonthlyLimit=0)
    aws_error(
        send(TemplateId="otp-basic-en"),
        "ServiceQuotaExceededException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_NOTIFY",
    )
    assert len(sandbox.messages()) == 0


def test_a_pool_of_a_configuration_sends_and_cannot_be_deleted(client, sandbox):
    phone = number(client)
    pool = client.create_pool(
        OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    made = configuration(client, PoolId=pool["PoolArn"], DefaultTemplateId="otp-basic-en")
    assert made["PoolId"] == pool["PoolId"]
    sent = client.send_notify_text_message(
        NotifyConfigurationId=made["NotifyConfigurationId"],
        DestinationPhoneNumber=SIM_OK,
        TemplateVariables={"code": "1234"},
    )
    messages = sandbox.messages()
    [row] = messages[messages["MessageId"] == sent["MessageId"]].to_dict("records")
    assert row["OriginationIdentity"] == pool["PoolId"]
    assert row["OriginationPhoneNumber"] == phone["PhoneNumber"]
    aws_error(
        lambda: client.delete_pool(PoolId=pool["PoolId"]),
        "ConflictException",
        "POOL_ASSOCIATED_TO_NOTIFY_CONFIGURATION",
        ResourceType="pool",
        ResourceId=pool["PoolId"],
    )
    client.update_notify_configuration(
        NotifyConfigurationId=made["NotifyConfigurationId"], PoolId="UNSET_DEFAULT_POOL_FOR_NOTIFY"
    )
    client.delete_pool(PoolId=pool["PoolId"])
