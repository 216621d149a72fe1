"""Pools through both transports: create, update, delete, describe, membership and its rules."""

from __future__ import annotations

import re

import pytest

from tests.support import aws_error, field_names

ACCOUNT = "123456789012"
CHANNEL = "arn:aws:sns:us-east-1:123456789012:inbound"


def number(client, **overrides):
    params = {
        "IsoCountryCode": "US",
        "MessageType": "TRANSACTIONAL",
        "NumberCapabilities": ["SMS"],
        "NumberType": "TOLL_FREE",
        **overrides,
    }
    return client.request_phone_number(**params)


def pool_of(client, identity, message_type="TRANSACTIONAL", **params):
    response = client.create_pool(OriginationIdentity=identity, MessageType=message_type, **params)
    response.pop("ResponseMetadata")
    return response


def member_ids(client, pool_id, **params):
    page = client.list_pool_origination_identities(PoolId=pool_id, **params)
    return [i["OriginationIdentity"] for i in page["OriginationIdentities"]]


def pools(client, **params):
    return client.describe_pools(**params)["Pools"]


def phone(client, phone_id):
    return client.describe_phone_numbers(PhoneNumberIds=[phone_id])["PhoneNumbers"][0]


def test_a_pool_starts_from_a_number_and_copies_its_configuration(client):
    seed = number(client)
    client.update_phone_number(
        PhoneNumberId=seed["PhoneNumberId"],
        TwoWayEnabled=True,
        TwoWayChannelArn=CHANNEL,
        SelfManagedOptOutsEnabled=True,
        DeletionProtectionEnabled=True,
    )
    client.put_keyword(
        OriginationIdentity=seed["PhoneNumberId"], Keyword="info", KeywordMessage="Hours: 9-5"
    )
    created = pool_of(client, seed["PhoneNumberArn"], Tags=[{"Key": "k", "Value": "v"}])
    assert re.fullmatch(r"pool-[0-9a-f]{32}", created["PoolId"])
    assert created["PoolArn"] == f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:pool/{created['PoolId']}"
    assert created["Status"] == "CREATING"
    assert created["MessageType"] == "TRANSACTIONAL"
    assert created["TwoWayEnabled"] is True and created["TwoWayChannelArn"] == CHANNEL
    assert created["SelfManagedOptOutsEnabled"] is True
    assert created["OptOutListName"] == "Default"
    assert created["DeletionProtectionEnabled"] is False  # not inherited
    assert created["SharedRoutesEnabled"] is False
    assert created["Tags"] == [{"Key": "k", "Value": "v"}]
    [described] = pools(client)
    assert described["Status"] == "ACTIVE" and described["PoolId"] == created["PoolId"]
    keywords = client.describe_keywords(OriginationIdentity=created["PoolId"])["Keywords"]
    assert [k["Keyword"] for k in keywords] == ["HELP", "STOP", "INFO"]
    assert phone(client, seed["PhoneNumberId"])["PoolId"] == created["PoolId"]
    assert member_ids(client, created["PoolId"]) == [seed["PhoneNumberId"]]


def test_a_pool_from_a_sender_id_needs_its_country(client, sandbox):
    sandbox.add_sender_id("ACME", "GB")
    arn = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/ACME/GB"
    response = aws_error(
        lambda: pool_of(client, "ACME"), "ValidationException", "MISSING_PARAMETER"
    )
    assert field_names(response) == ["IsoCountryCode"]
    response = aws_error(lambda: pool_of(client, arn), "ValidationException", "INVALID_ARN")
    assert field_names(response) == ["OriginationIdentity"]
    aws_error(
        lambda: pool_of(client, "ACME", IsoCountryCode="FR"),
        "ResourceNotFoundException",
        ResourceType="sender-id",
        ResourceId="ACME",
    )
    assert pools(client) == []
    created = pool_of(client, arn, IsoCountryCode="GB")
    assert created["OptOutListName"] == "Default" and created["TwoWayEnabled"] is False
    keywords = client.describe_keywords(OriginationIdentity=created["PoolId"])["Keywords"]
    assert [k["Keyword"] for k in keywords] == ["HELP", "STOP"]
    listed = client.list_pool_origination_identities(PoolId=created["PoolId"])
    assert listed["OriginationIdentities"] == [
        {
            "OriginationIdentityArn": arn,
            "OriginationIdentity": "ACME",
            "IsoCountryCode": "GB",
            "NumberCapabilities": ["SMS"],
        }
    ]


def test_create_refuses_a_pooled_number_a_wrong_message_type_and_an_unknown_one(client, sandbox):
    seed = number(client)
    first = pool_of(client, seed["PhoneNumberId"])
    aws_error(
        lambda: pool_of(client, seed["PhoneNumberId"]),
        "ConflictException",
        "PHONE_NUMBER_ASSOCIATED_TO_POOL",
        ResourceType="phone-number",
        ResourceId=seed["PhoneNumberId"],
    )
    other = number(client)
    aws_error(
        lambda: pool_of(client, other["PhoneNumberId"], "PROMOTIONAL"),
        "ConflictException",
        "MESSAGE_TYPE_MISMATCH",
    )
    sandbox.add_sender_id("ACME", "GB", message_types=["PROMOTIONAL"])
    aws_error(
        lambda: pool_of(client, "ACME", IsoCountryCode="GB"),
        "ConflictException",
        "MESSAGE_TYPE_MISMATCH",
        ResourceType="sender-id",
    )
    aws_error(
        lambda: pool_of(client, "phone-" + "0" * 32),
        "ResourceNotFoundException",
        ResourceType="phone-number",
    )
    aws_error(
        lambda: pool_of(client, other["PhoneNumberId"], IsoCountryCode="CA"),
        "ValidationException",
        "COUNTRY_CODE_MISMATCH",
    )
    assert [p["PoolId"] for p in pools(client)] == [first["PoolId"]]
    assert "PoolId" not in phone(client, other["PhoneNumberId"])


def test_the_pool_quota(client, sandbox):
    sandbox.set_account_limit("POOLS", 1)
    pool_of(client, number(client)["PhoneNumberId"])
    spare = number(client)
    aws_error(
        lambda: pool_of(client, spare["PhoneNumberId"]),
        "ServiceQuotaExceededException",
        "POOLS_PER_ACCOUNT",
    )
    assert "PoolId" not in phone(client, spare["PhoneNumberId"])
    limits = {x["Name"]: x for x in client.describe_account_limits()["AccountLimits"]}
    assert limits["POOLS"] == {"Name": "POOLS", "Used": 1, "Max": 1}


def test_a_creating_pool_takes_no_members_and_cannot_be_deleted(client, sandbox):
    seed, spare = number(client), number(client)
    sandbox.provisioning_delay = 60
    sandbox.advance(61)  # the numbers are ACTIVE
    created = pool_of(client, seed["PhoneNumberId"])
    assert pools(client)[0]["Status"] == "CREATING"
    aws_error(
        lambda: client.associate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity=spare["PhoneNumberId"]
        ),
        "ConflictException",
        "RESOURCE_NOT_ACTIVE",
        ResourceType="pool",
        ResourceId=created["PoolId"],
    )
    aws_error(
        lambda: client.delete_pool(PoolId=created["PoolId"]),
        "ConflictException",
        "RESOURCE_NOT_ACTIVE",
    )
    sandbox.advance(61)
    assert pools(client)[0]["Status"] == "ACTIVE"
    client.associate_origination_identity(
        PoolId=created["PoolId"], OriginationIdentity=spare["PhoneNumberId"]
    )


def test_a_pending_number_cannot_join_a_pool(client, sandbox):
    sandbox.provisioning_delay = 60
    seed = number(client)
    aws_error(
        lambda: pool_of(client, seed["PhoneNumberId"]),
        "ConflictException",
        "RESOURCE_NOT_ACTIVE",
        ResourceType="phone-number",
    )


def test_associate_numbers_and_sender_ids(client, sandbox):
    seed, second = number(client), number(client)
    created = pool_of(client, seed["PhoneNumberId"])
    answer = client.associate_origination_identity(
        PoolId=created["PoolArn"], OriginationIdentity=second["PhoneNumberArn"]
    )
    assert answer["PoolId"] == created["PoolId"] and answer["PoolArn"] == created["PoolArn"]
    assert answer["OriginationIdentity"] == second["PhoneNumberId"]
    assert answer["OriginationIdentityArn"] == second["PhoneNumberArn"]
    assert answer["IsoCountryCode"] == "US"
    sandbox.add_sender_id("ACME", "GB")
    other = pool_of(client, number(client)["PhoneNumberId"])
    for pool_id in (created["PoolId"], other["PoolId"]):  # a sender ID may sit in many pools
        client.associate_origination_identity(
            PoolId=pool_id, OriginationIdentity="ACME", IsoCountryCode="GB"
        )
    assert member_ids(client, created["PoolId"]) == [
        seed["PhoneNumberId"],
        second["PhoneNumberId"],
        "ACME",
    ]
    aws_error(
        lambda: client.associate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity="ACME", IsoCountryCode="GB"
        ),
        "ConflictException",
        "RESOURCE_ALREADY_ASSOCIATED",
        ResourceType="sender-id",
        ResourceId="ACME",
    )
    aws_error(
        lambda: client.associate_origination_identity(
            PoolId=other["PoolId"], OriginationIdentity=second["PhoneNumberId"]
        ),
        "ConflictException",
        "PHONE_NUMBER_ASSOCIATED_TO_POOL",
    )
    aws_error(
        lambda: client.associate_origination_identity(
            PoolId="pool-" + "0" * 32, OriginationIdentity="ACME", IsoCountryCode="GB"
        ),
        "ResourceNotFoundException",
        ResourceType="pool",
    )


def _mismatching(client, sandbox, reason):
    seed = number(client)
    created = pool_of(client, seed["PhoneNumberId"])
    if reason == "MESSAGE_TYPE_MISMATCH":
        joiner = number(client, MessageType="PROMOTIONAL")
    elif reason == "NUMBER_CAPABILITIES_MISMATCH":
        joiner = number(client, NumberCapabilities=["VOICE"])
    else:
        joiner = number(client)
        updates = {
            "TWO_WAY_CONFIG_MISMATCH": {"TwoWayEnabled": True, "TwoWayChannelArn": CHANNEL},
            "SELF_MANAGED_OPT_OUTS_MISMATCH": {"SelfManagedOptOutsEnabled": True},
        }.get(reason)
        if updates:
            client.update_phone_number(PhoneNumberId=joiner["PhoneNumberId"], **updates)
        elif reason == "KEYWORD_MISMATCH":
            client.put_keyword(
                OriginationIdentity=joiner["PhoneNumberId"], Keyword="JOIN", KeywordMessage="Hi"
            )
        elif reason == "OPT_OUT_LIST_MISMATCH":
            if "CreateOptOutList" not in sandbox.operations():
                pytest.fail("CreateOptOutList is not emulated in this build")
            client.create_opt_out_list(OptOutListName="other")
            client.update_phone_number(
                PhoneNumberId=joiner["PhoneNumberId"], OptOutListName="other"
            )
    return created, joiner


@pytest.mark.parametrize(
    "reason",
    [
        "MESSAGE_TYPE_MISMATCH",
        "OPT_OUT_LIST_MISMATCH",
        "TWO_WAY_CONFIG_MISMATCH",
        "SELF_MANAGED_OPT_OUTS_MISMATCH",
        "KEYWORD_MISMATCH",
        "NUMBER_CAPABILITIES_MISMATCH",
    ],
)
def test_a_number_that_does_not_match_the_pool_is_refused(client, sandbox, reason):
    created, joiner = _mismatching(client, sandbox, reason)
    aws_error(
        lambda: client.associate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity=joiner["PhoneNumberId"]
        ),
        "ConflictException",
        reason,
        ResourceType="phone-number",
        ResourceId=joiner["PhoneNumberId"],
    )
    assert "PoolId" not in phone(client, joiner["PhoneNumberId"])
    assert len(member_ids(client, created["PoolId"])) == 1


def test_a_number_of_another_country_than_the_one_given(client):
    created = pool_of(client, number(client)["PhoneNumberId"])
    joiner = number(client)
    response = aws_error(
        lambda: client.associate_origination_identity(
            PoolId=created["PoolId"],
            OriginationIdentity=joiner["PhoneNumberId"],
            IsoCountryCode="CA",
        ),
        "ValidationException",
        "COUNTRY_CODE_MISMATCH",
    )
    assert field_names(response) == ["IsoCountryCode"]


def test_the_identities_per_pool_quota(client, sandbox):
    sandbox.set_account_limit("ORIGINATION_IDENTITIES_PER_POOL", 2)
    created = pool_of(client, number(client)["PhoneNumberId"])
    client.associate_origination_identity(
        PoolId=created["PoolId"], OriginationIdentity=number(client)["PhoneNumberId"]
    )
    third = number(client)
    aws_error(
        lambda: client.associate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity=third["PhoneNumberId"]
        ),
        "ServiceQuotaExceededException",
        "ORIGINATION_IDENTITIES_PER_POOL",
    )
    aws_error(
        lambda: number(client, PoolId=created["PoolId"]),
        "ServiceQuotaExceededException",
        "ORIGINATION_IDENTITIES_PER_POOL",
    )
    assert len(member_ids(client, created["PoolId"])) == 2
    assert len(client.describe_phone_numbers()["PhoneNumbers"]) == 3


def test_disassociate_rules(client, sandbox):
    seed, second = number(client), number(client)
    created = pool_of(client, seed["PhoneNumberId"])
    aws_error(
        lambda: client.disassociate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity=second["PhoneNumberId"]
        ),
        "ConflictException",
        "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL",
        ResourceType="phone-number",
        ResourceId=second["PhoneNumberId"],
    )
    aws_error(
        lambda: client.disassociate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity=seed["PhoneNumberId"]
        ),
        "ConflictException",
        "LAST_PHONE_NUMBER",
        ResourceId=seed["PhoneNumberId"],
    )
    client.associate_origination_identity(
        PoolId=created["PoolId"], OriginationIdentity=second["PhoneNumberId"]
    )
    answer = client.disassociate_origination_identity(
        PoolId=created["PoolArn"], OriginationIdentity=seed["PhoneNumberArn"]
    )
    assert answer["OriginationIdentity"] == seed["PhoneNumberId"]
    assert answer["PoolId"] == created["PoolId"]
    assert member_ids(client, created["PoolId"]) == [second["PhoneNumberId"]]
    assert "PoolId" not in phone(client, seed["PhoneNumberId"])
    client.release_phone_number(PhoneNumberId=seed["PhoneNumberId"])
    sandbox.add_sender_id("ACME", "GB")
    aws_error(
        lambda: client.disassociate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity="ACME", IsoCountryCode="GB"
        ),
        "ConflictException",
        "PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL",
        ResourceType="sender-id",
    )


def test_update_pool(client):
    created = pool_of(client, number(client)["PhoneNumberId"])
    updated = client.update_pool(
        PoolId=created["PoolArn"],
        TwoWayEnabled=True,
        TwoWayChannelArn=CHANNEL,
        SelfManagedOptOutsEnabled=True,
        SharedRoutesEnabled=True,
        DeletionProtectionEnabled=True,
    )
    assert updated["PoolId"] == created["PoolId"] and updated["Status"] == "ACTIVE"
    assert updated["TwoWayEnabled"] is True and updated["TwoWayChannelArn"] == CHANNEL
    assert updated["SelfManagedOptOutsEnabled"] is True
    assert updated["SharedRoutesEnabled"] is True
    assert updated["DeletionProtectionEnabled"] is True
    assert updated["MessageType"] == "TRANSACTIONAL"
    aws_error(
        lambda: client.update_pool(PoolId=created["PoolId"], OptOutListName="ghost"),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId="ghost",
    )
    aws_error(
        lambda: client.update_pool(PoolId="pool-" + "1" * 32),
        "ResourceNotFoundException",
        ResourceType="pool",
    )


def test_update_pool_two_way_needs_a_channel(client):
    created = pool_of(client, number(client)["PhoneNumberId"])
    aws_error(
        lambda: client.update_pool(
            PoolId=created["PoolId"], TwoWayEnabled=True, DeletionProtectionEnabled=True
        ),
        "ValidationException",
        "TWO_WAY_CHANNEL_NOT_PRESENT",
    )
    [described] = pools(client)
    assert described["TwoWayEnabled"] is False and described["DeletionProtectionEnabled"] is False


def test_delete_pool_respects_deletion_protection_then_frees_its_members(client, sandbox):
    seed = number(client)
    sandbox.add_sender_id("ACME", "GB")
    created = pool_of(client, seed["PhoneNumberId"], DeletionProtectionEnabled=True)
    client.associate_origination_identity(
        PoolId=created["PoolId"], OriginationIdentity="ACME", IsoCountryCode="GB"
    )
    aws_error(
        lambda: client.delete_pool(PoolId=created["PoolId"]),
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
        ResourceType="pool",
        ResourceId=created["PoolId"],
    )
    assert len(pools(client)) == 1
    client.update_pool(PoolId=created["PoolId"], DeletionProtectionEnabled=False)
    deleted = client.delete_pool(PoolId=created["PoolArn"])
    assert deleted["PoolId"] == created["PoolId"] and deleted["Status"] == "DELETING"
    assert pools(client) == []
    assert "PoolId" not in phone(client, seed["PhoneNumberId"])
    aws_error(
        lambda: client.describe_keywords(OriginationIdentity=created["PoolId"]),
        "ResourceNotFoundException",
        ResourceType="pool",
    )
    aws_error(
        lambda: client.list_pool_origination_identities(PoolId=created["PoolId"]),
        "ResourceNotFoundException",
        ResourceType="pool",
        ResourceId=created["PoolId"],
    )
    again = pool_of(client, "ACME", IsoCountryCode="GB")  # the sender ID is free again
    assert member_ids(client, again["PoolId"]) == ["ACME"]
    client.release_phone_number(PhoneNumberId=seed["PhoneNumberId"])  # no longer pooled


def test_describe_pools_by_id_owner_filters_and_pages(client):
    made = [pool_of(client, number(client)["PhoneNumberId"]) for _ in range(3)]
    ids = [p["PoolId"] for p in made]
    client.update_pool(PoolId=ids[1], DeletionProtectionEnabled=True, SharedRoutesEnabled=True)
    got = pools(client, PoolIds=[made[2]["PoolArn"], ids[0]])
    assert [p["PoolId"] for p in got] == [ids[0], ids[2]]
    aws_error(
        lambda: pools(client, PoolIds=[ids[0], "pool-" + "2" * 32]),
        "ResourceNotFoundException",
        ResourceType="pool",
        ResourceId="pool-" + "2" * 32,
    )
    aws_error(
        lambda: pools(client, PoolIds=ids[:1], Owner="SELF"),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert pools(client, Owner="SHARED") == []

    def filtered(name, *values):
        return [
            p["PoolId"] for p in pools(client, Filters=[{"Name": name, "Values": list(values)}])
        ]

    assert filtered("deletion-protection-enabled", "true") == [ids[1]]
    assert filtered("shared-routes-enabled", "false") == [ids[0], ids[2]]
    assert filtered("status", "ACTIVE") == ids
    assert filtered("message-type", "PROMOTIONAL") == []
    assert filtered("opt-out-list-name", "Default") == ids
    assert filtered("two-way-enabled", "false") == ids
    assert filtered("self-managed-opt-outs-enabled", "false") == ids
    aws_error(lambda: filtered("status", "GONE"), "ValidationException", "INVALID_FILTER_VALUES")
    paged = [
        p["PoolId"]
        for page in client.get_paginator("describe_pools").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for p in page["Pools"]
    ]
    assert paged == ids


def test_list_pool_origination_identities_filters_and_pages(client, sandbox):
    seed = number(client, NumberCapabilities=["SMS", "VOICE"])
    created = pool_of(client, seed["PhoneNumberId"])
    extra = [number(client) for _ in range(2)]
    for n in extra:
        client.associate_origination_identity(
            PoolId=created["PoolId"], OriginationIdentity=n["PhoneNumberId"]
        )
    sandbox.add_sender_id("ACME", "GB")
    client.associate_origination_identity(
        PoolId=created["PoolId"], OriginationIdentity="ACME", IsoCountryCode="GB"
    )
    every = [seed["PhoneNumberId"], *(n["PhoneNumberId"] for n in extra), "ACME"]
    assert member_ids(client, created["PoolId"]) == every
    voice = [{"Name": "number-capability", "Values": ["VOICE"]}]
    assert member_ids(client, created["PoolId"], Filters=voice) == [seed["PhoneNumberId"]]
    gb = [{"Name": "iso-country-code", "Values": ["GB"]}]
    assert member_ids(client, created["PoolId"], Filters=gb) == ["ACME"]
    pages = list(
        client.get_paginator("list_pool_origination_identities").paginate(
            PoolId=created["PoolArn"], PaginationConfig={"PageSize": 3}
        )
    )
    assert len(pages) == 2
    assert all(p["PoolId"] == created["PoolId"] for p in pages)
    assert all(p["PoolArn"] == created["PoolArn"] for p in pages)
    assert [i["OriginationIdentity"] for p in pages for i in p["OriginationIdentities"]] == every
    numbers = {
        i["OriginationIdentity"]: i.get("PhoneNumber")
        for p in pages
        for i in p["OriginationIdentities"]
    }
    assert numbers[seed["PhoneNumberId"]] == seed["PhoneNumber"] and numbers["ACME"] is None
