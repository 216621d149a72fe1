"""Resource policies through both transports: put/get/delete, their rules, and sharing a pool or
number with a second account of the sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.sending_support import SIM_OK, number
from tests.support import aws_error, field_names

OWNER = "123456789012"
CONSUMER = "210987654321"
STRANGER = "555555555555"
WHEN = datetime(2026, 3, 2, 10, tzinfo=UTC)
pytestmark = pytest.mark.sandbox_clock(WHEN)


def policy(*accounts: str, actions=("sms-voice:SendTextMessage",), effect="Allow", **extra):
    statement = {
        "Effect": effect,
        "Principal": {"AWS": list(accounts)},
        "Action": list(actions),
        **extra,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def consumer(make_client):
    return make_client(account=CONSUMER)


def pool_of(client, phone):
    return client.create_pool(
        OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )


def test_a_policy_is_put_read_replaced_and_deleted_by_its_owner(client):
    phone = number(client)
    arn = phone["PhoneNumberArn"]
    text = policy(CONSUMER)
    put = client.put_resource_policy(ResourceArn=arn, Policy=text)
    assert (put["ResourceArn"], put["Policy"]) == (arn, text)
    assert WHEN <= put["CreatedTimestamp"] < WHEN + timedelta(minutes=5)
    got = client.get_resource_policy(ResourceArn=arn)
    assert (got["ResourceArn"], got["Policy"]) == (arn, text)
    wider = policy(CONSUMER, STRANGER)
    assert client.put_resource_policy(ResourceArn=arn, Policy=wider)["Policy"] == wider
    gone = client.delete_resource_policy(ResourceArn=arn)
    assert gone["Policy"] == wider
    for call in (client.get_resource_policy, client.delete_resource_policy):
        aws_error(
            lambda c=call: c(ResourceArn=arn), "ResourceNotFoundException", ResourceType="policy"
        )


def test_pools_sender_ids_and_opt_out_lists_take_policies_configuration_sets_do_not(
    client, sandbox
):
    pool = pool_of(client, number(client))
    sandbox.add_sender_id("ACME", "GB")
    sender = client.describe_sender_ids()["SenderIds"][0]
    opt_out = client.create_opt_out_list(OptOutListName="shared")
    for arn in (pool["PoolArn"], sender["SenderIdArn"], opt_out["OptOutListArn"]):
        client.put_resource_policy(ResourceArn=arn, Policy=policy(CONSUMER))
        assert client.get_resource_policy(ResourceArn=arn)["ResourceArn"] == arn
    cs = client.create_configuration_set(ConfigurationSetName="cs")
    error = aws_error(
        lambda: client.put_resource_policy(ResourceArn=cs["ConfigurationSetArn"], Policy=policy()),
        "ValidationException",
        "INVALID_ARN",
    )
    assert field_names(error) == ["ResourceArn"]


def test_unknown_resources_and_other_accounts_resources_are_not_found(client, consumer):
    phone = number(client)
    missing = phone["PhoneNumberArn"].replace(phone["PhoneNumberId"], "phone-" + "0" * 32)
    aws_error(
        lambda: client.put_resource_policy(ResourceArn=missing, Policy=policy(CONSUMER)),
        "ResourceNotFoundException",
        ResourceType="phone-number",
        ResourceId=missing,
    )
    client.put_resource_policy(ResourceArn=phone["PhoneNumberArn"], Policy=policy(CONSUMER))
    # The consumer may send through it, never read or change its policy.
    for call in (consumer.get_resource_policy, consumer.delete_resource_policy):
        aws_error(
            lambda c=call: c(ResourceArn=phone["PhoneNumberArn"]), "ResourceNotFoundException"
        )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "CANNOT_PARSE"),
        ("[]", "INVALID_PARAMETER"),
        ('{"Version": "2012-10-17"}', "MISSING_PARAMETER"),
        ('{"Statement": []}', "INVALID_PARAMETER"),
        (
            '{"Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "*"}]}',
            "INVALID_PARAMETER",
        ),
        ('{"Statement": [{"Effect": "Allow", "Action": "*"}]}', "MISSING_PARAMETER"),
        (
            '{"Statement": [{"Effect": "Allow", "Principal": 7, "Action": "*"}]}',
            "INVALID_PARAMETER",
        ),
        ('{"Statement": [{"Effect": "Allow", "Principal": "*"}]}', "MISSING_PARAMETER"),
        (
            '{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": []}}',
            "INVALID_PARAMETER",
        ),
    ],
)
def test_a_policy_must_be_iam_style_json_with_statements(client, text, reason):
    phone = number(client)
    error = aws_error(
        lambda: client.put_resource_policy(ResourceArn=phone["PhoneNumberArn"], Policy=text),
        "ValidationException",
        reason,
    )
    assert field_names(error) == ["Policy"]
    aws_error(
        lambda: client.get_resource_policy(ResourceArn=phone["PhoneNumberArn"]),
        "ResourceNotFoundException",
    )


def send(client, origination, **extra):
    return client.send_text_message(
        DestinationPhoneNumber=SIM_OK, OriginationIdentity=origination, MessageBody="hi", **extra
    )


def test_another_account_sends_through_a_shared_pool_only_while_the_policy_grants_it(
    client, consumer, sandbox
):
    pool = pool_of(client, number(client))
    arn = pool["PoolArn"]
    aws_error(lambda: send(consumer, arn), "ResourceNotFoundException", ResourceId=arn)
    client.put_resource_policy(ResourceArn=arn, Policy=policy(STRANGER))
    aws_error(lambda: send(consumer, arn), "ResourceNotFoundException", ResourceId=arn)
    client.put_resource_policy(ResourceArn=arn, Policy=policy(CONSUMER))
    sent = send(consumer, arn)["MessageId"]
    log = sandbox.messages()
    [row] = log[log["MessageId"] == sent].to_dict("records")
    assert row["Account"] == CONSUMER and row["OriginationIdentityArn"] == arn
    # The bare pool ID names a pool of the caller's own account: none.
    aws_error(lambda: send(consumer, pool["PoolId"]), "ResourceNotFoundException")
    client.delete_resource_policy(ResourceArn=arn)
    aws_error(lambda: send(consumer, arn), "ResourceNotFoundException", ResourceId=arn)


def test_the_policy_grants_actions_by_name_or_pattern_and_a_deny_wins(client, consumer):
    phone = number(client)
    arn = phone["PhoneNumberArn"]
    client.put_resource_policy(
        ResourceArn=arn, Policy=policy(CONSUMER, actions=["sms-voice:SendVoiceMessage"])
    )
    aws_error(lambda: send(consumer, arn), "ResourceNotFoundException")
    client.put_resource_policy(
        ResourceArn=arn,
        Policy=policy(f"arn:aws:iam::{CONSUMER}:root", actions=["sms-voice:Send*"], Resource=arn),
    )
    send(consumer, arn)
    both = json.loads(policy(CONSUMER, actions=["sms-voice:*"]))
    both["Statement"].append(json.loads(policy(CONSUMER, effect="Deny"))["Statement"][0])
    client.put_resource_policy(ResourceArn=arn, Policy=json.dumps(both))
    aws_error(lambda: send(consumer, arn), "AccessDeniedException")


def test_a_shared_pool_applies_its_owners_opt_out_list(client, consumer):
    pool = pool_of(client, number(client))
    client.put_resource_policy(ResourceArn=pool["PoolArn"], Policy=policy(CONSUMER))
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=SIM_OK)
    aws_error(
        lambda: send(consumer, pool["PoolArn"]),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )


def test_a_shared_number_places_calls_only_when_the_policy_grants_voice(client, consumer):
    phone = number(client, "TOLL_FREE", capabilities=("SMS", "VOICE"))
    arn = phone["PhoneNumberArn"]
    client.put_resource_policy(ResourceArn=arn, Policy=policy(CONSUMER))

    def call():
        return consumer.send_voice_message(
            DestinationPhoneNumber=SIM_OK, OriginationIdentity=arn, MessageBody="Your code is 1"
        )

    aws_error(call, "ResourceNotFoundException", ResourceId=arn)
    client.put_resource_policy(
        ResourceArn=arn, Policy=policy(CONSUMER, actions=["sms-voice:SendVoiceMessage"])
    )
    assert call()["MessageId"]
