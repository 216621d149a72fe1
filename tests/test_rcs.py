"""RCS: agents, their country launch status, SendRcsMessage and its fallback to SMS."""

from __future__ import annotations

from typing import Any

import pytest

from ppv2kit.sandbox.ops import rcs
from tests.sending_support import (
    ACCOUNT,
    GB_SIM_OK,
    SIM_FAIL,
    SIM_OK,
    US_PART,
    config_set,
    month_spend,
    number,
)
from tests.support import aws_error, field_names

TEXT = {"Content": {"TextMessage": {"Body": "Hello"}}}
CHANNEL = "arn:aws:sns:us-east-1:123456789012:rcs-inbound"


def agent(client: Any, **params: Any) -> dict[str, Any]:
    made = client.create_rcs_agent(**params)
    made.pop("ResponseMetadata")
    return made


def launch(sandbox: Any, agent_id: str, country: str, status: str = "ACTIVE") -> None:
    with sandbox.admin(ACCOUNT, "us-east-1") as ctx:
        rcs.launch_country(ctx, agent_id, country, status)


def test_agent_lifecycle(client):
    client.create_opt_out_list(OptOutListName="rcs-list")
    made = agent(client, OptOutListName="rcs-list", Tags=[{"Key": "k", "Value": "v"}])
    ident = made["RcsAgentId"]
    assert ident.startswith("rcs-") and made["RcsAgentArn"].endswith(f":rcs-agent/{ident}")
    assert (made["Status"], made["OptOutListName"], made["TwoWayEnabled"]) == (
        "CREATED",
        "rcs-list",
        False,
    )
    assert client.list_tags_for_resource(ResourceArn=made["RcsAgentArn"])["Tags"] == [
        {"Key": "k", "Value": "v"}
    ]
    response = aws_error(
        lambda: client.update_rcs_agent(RcsAgentId=ident, TwoWayEnabled=True),
        "ValidationException",
        "TWO_WAY_CHANNEL_NOT_PRESENT",
    )
    assert field_names(response) == ["TwoWayChannelArn"]
    updated = client.update_rcs_agent(
        RcsAgentId=made["RcsAgentArn"],
        TwoWayEnabled=True,
        TwoWayChannelArn=CHANNEL,
        TwoWayMediaS3BucketName="media-bucket",
        DeletionProtectionEnabled=True,
    )
    assert updated["TwoWayEnabled"] and updated["TwoWayMediaS3BucketName"] == "media-bucket"
    cleared = client.update_rcs_agent(
        RcsAgentId=ident, TwoWayMediaS3BucketName="UNSET_RCS_MEDIA_CONFIGURATION"
    )
    assert "TwoWayMediaS3BucketName" not in cleared
    aws_error(
        lambda: client.delete_rcs_agent(RcsAgentId=ident),
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
        ResourceType="rcs-agent",
        ResourceId=ident,
    )
    client.update_rcs_agent(RcsAgentId=ident, DeletionProtectionEnabled=False)
    assert client.delete_rcs_agent(RcsAgentId=ident)["Status"] == "DELETED"
    aws_error(
        lambda: client.describe_rcs_agents(RcsAgentIds=[ident]),
        "ResourceNotFoundException",
        ResourceType="rcs-agent",
        ResourceId=ident,
    )


def test_agent_errors(client):
    aws_error(
        lambda: agent(client, OptOutListName="missing"),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
    )
    for _ in range(rcs.AGENTS_PER_ACCOUNT):
        agent(client)
    aws_error(lambda: agent(client), "ServiceQuotaExceededException", "RCS_AGENTS_PER_ACCOUNT")
    response = aws_error(
        lambda: client.describe_rcs_agents(Owner="SELF", RcsAgentIds=["rcs-x"]),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert set(field_names(response)) == {"Owner", "RcsAgentIds"}


def test_an_agent_in_a_pool_cannot_be_deleted(client, sandbox):
    ident = agent(client)["RcsAgentId"]
    with sandbox.admin(ACCOUNT, "us-east-1") as ctx:
        doc = ctx.store.get("rcs-agent", ident)
        ctx.store.put("rcs-agent", ident, {**doc, "PoolId": "pool-1"})
    aws_error(
        lambda: client.delete_rcs_agent(RcsAgentId=ident),
        "ConflictException",
        "RCS_AGENT_ASSOCIATED_TO_POOL",
        ResourceType="rcs-agent",
        ResourceId=ident,
    )


def test_describe_agents_filters_and_pages(client):
    first = agent(client, DeletionProtectionEnabled=True)
    agent(client)
    third = agent(client)
    pages = client.get_paginator("describe_rcs_agents").paginate(PaginationConfig={"PageSize": 2})
    assert [len(p["RcsAgents"]) for p in pages] == [2, 1]
    found = client.describe_rcs_agents(
        Filters=[{"Name": "deletion-protection-enabled", "Values": ["true"]}]
    )["RcsAgents"]
    assert [a["RcsAgentId"] for a in found] == [first["RcsAgentId"]]
    found = client.describe_rcs_agents(RcsAgentIds=[third["RcsAgentArn"]])["RcsAgents"]
    assert [a["RcsAgentId"] for a in found] == [third["RcsAgentId"]]
    assert client.describe_rcs_agents(Owner="SHARED")["RcsAgents"] == []


def test_country_launch_status(client, sandbox):
    ident = agent(client)["RcsAgentId"]
    launch(sandbox, ident, "US")
    launch(sandbox, ident, "GB", "PENDING")
    launch(sandbox, ident, "FR", "REJECTED")
    [listed] = client.describe_rcs_agents()["RcsAgents"]
    assert listed["Status"] == "PARTIAL"
    pages = list(
        client.get_paginator("describe_rcs_agent_country_launch_status").paginate(
            RcsAgentId=ident, PaginationConfig={"PageSize": 2}
        )
    )
    assert [c["IsoCountryCode"] for p in pages for c in p["CountryLaunchStatus"]] == [
        "FR",
        "GB",
        "US",
    ]
    assert pages[0]["RcsAgentId"] == ident
    active = client.describe_rcs_agent_country_launch_status(
        RcsAgentId=ident, Filters=[{"Name": "country-launch-status", "Values": ["ACTIVE"]}]
    )["CountryLaunchStatus"]
    assert [(c["IsoCountryCode"], c["CarrierStatus"][0]["Status"]) for c in active] == [
        ("US", "ACTIVE")
    ]
    only = client.describe_rcs_agent_country_launch_status(RcsAgentId=ident, IsoCountryCodes=["GB"])
    assert [c["Status"] for c in only["CountryLaunchStatus"]] == ["PENDING"]
    aws_error(
        lambda: client.describe_rcs_agent_country_launch_status(RcsAgentId="rcs-nope"),
        "ResourceNotFoundException",
        ResourceType="rcs-agent",
    )


@pytest.mark.parametrize(
    ("destination", "final"), [(SIM_OK, "RCS_DELIVERED"), (SIM_FAIL, "RCS_FAILED")]
)
def test_send_rcs_logs_charges_and_emits_events(client, sandbox, destination, final):
    config_set(client, "cs", sns=["RCS_ALL"])
    ident = agent(client)["RcsAgentId"]
    launch(sandbox, ident, "US")
    sent = client.send_rcs_message(
        OriginationIdentity=ident,
        DestinationPhoneNumber=destination,
        RcsMessageContent=TEXT,
        ConfigurationSetName="cs",
    )
    events = sandbox.events()
    mine = events[events["messageId"] == sent["MessageId"]]
    assert list(mine["eventType"]) == ["RCS_SENT", final]
    messages = sandbox.messages()
    [row] = messages[messages["MessageId"] == sent["MessageId"]].to_dict("records")
    assert (row["Channel"], row["MessageBody"]) == ("RCS", "Hello")
    assert month_spend(sandbox, "RCS") == pytest.approx(US_PART)
    assert month_spend(sandbox, "TEXT") == 0.0


def test_send_rcs_rules(client, sandbox):
    ident = agent(client)["RcsAgentId"]
    launch(sandbox, ident, "US")

    def send(**params):
        return lambda: client.send_rcs_message(
            **{
                "OriginationIdentity": ident,
                "DestinationPhoneNumber": SIM_OK,
                "RcsMessageContent": TEXT,
                **params,
            }
        )

    aws_error(
        send(OriginationIdentity="rcs-nope"),
        "ResourceNotFoundException",
        ResourceType="rcs-agent",
        ResourceId="rcs-nope",
    )
    cases = [
        (
            send(DestinationPhoneNumber=GB_SIM_OK),
            "DESTINATION_COUNTRY_BLOCKED",
            "DestinationPhoneNumber",
        ),
        (send(MaxPrice="0.001"), "PRICE_OVER_THRESHOLD", "MaxPrice"),
    ]
    missing = lambda: client.send_rcs_message(  # noqa: E731
        OriginationIdentity=ident, DestinationPhoneNumber=SIM_OK
    )
    cases.append((missing, "MISSING_PARAMETER", "RcsMessageContent"))
    for call, reason, field in cases:
        assert field_names(aws_error(call, "ValidationException", reason)) == [field]
    aws_error(
        send(DestinationPhoneNumber="+12065550100"),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
    )
    assert client.send_rcs_message(
        OriginationIdentity=ident,
        DestinationPhoneNumber=SIM_OK,
        RcsMessageContent=TEXT,
        DryRun=True,
    )["MessageId"]
    client.set_rcs_message_spend_limit_override(MonthlyLimit=0)
    aws_error(send(), "ServiceQuotaExceededException", "MONTHLY_SPEND_LIMIT_REACHED_FOR_RCS")
    assert len(sandbox.messages()) == 0


def test_unlaunched_country_falls_back_to_sms(client, sandbox):
    phone = number(client)
    ident = agent(client)["RcsAgentId"]
    sent = client.send_rcs_message(
        OriginationIdentity=ident,
        DestinationPhoneNumber=SIM_OK,
        RcsMessageContent=TEXT,
        FallbackConfiguration={
            "Channel": "SMS",
            "MessageBody": "Hello by SMS",
            "OriginationIdentity": phone["PhoneNumberId"],
        },
    )
    messages = sandbox.messages()
    [row] = messages[messages["MessageId"] == sent["MessageId"]].to_dict("records")
    assert (row["Channel"], row["MessageBody"]) == ("TEXT", "Hello by SMS")
    response = aws_error(
        lambda: client.send_rcs_message(
            OriginationIdentity=ident,
            DestinationPhoneNumber=SIM_OK,
            RcsMessageContent=TEXT,
            FallbackConfiguration={"Channel": "SMS"},
        ),
        "ValidationException",
        "MISSING_PARAMETER",
    )
    assert field_names(response) == ["FallbackConfiguration.MessageBody"]
