"""Phone numbers through both transports: request, describe, update, release, and their rules."""

from __future__ import annotations

import re

import pytest

from ppv2kit.sandbox.errors import ServiceError
from ppv2kit.sandbox.ops.identities import resolve_identity
from tests.support import aws_error, field_names

ACCOUNT = "123456789012"


def request(client, **overrides):
    """Request a number (US toll-free SMS by default) and return the response."""
    params = {
        "IsoCountryCode": "US",
        "MessageType": "TRANSACTIONAL",
        "NumberCapabilities": ["SMS"],
        "NumberType": "TOLL_FREE",
        **overrides,
    }
    response = client.request_phone_number(**params)
    response.pop("ResponseMetadata")
    return response


def numbers(client, **params):
    return client.describe_phone_numbers(**params)["PhoneNumbers"]


def opt_out_list(client, sandbox, name):
    """Create an opt-out list through the API (skips when that family is not built yet)."""
    if "CreateOptOutList" not in sandbox.operations():
        pytest.fail("CreateOptOutList is not emulated in this build")
    client.create_opt_out_list(OptOutListName=name)
    return name


def test_a_requested_number_is_pending_with_the_documented_defaults(client):
    number = request(client, Tags=[{"Key": "team", "Value": "ops"}])
    assert re.fullmatch(r"phone-[0-9a-f]{32}", number["PhoneNumberId"])
    assert number["PhoneNumberArn"] == (
        f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:phone-number/{number['PhoneNumberId']}"
    )
    assert number["PhoneNumber"].startswith("+1888555") and len(number["PhoneNumber"]) == 12
    assert number["Status"] == "PENDING"
    assert number["OptOutListName"] == "Default"
    assert number["MonthlyLeasingPrice"] == "2.00"
    assert number["TwoWayEnabled"] is False
    assert number["SelfManagedOptOutsEnabled"] is False
    assert number["DeletionProtectionEnabled"] is False
    assert number["InternationalSendingEnabled"] is False
    assert number["NumberType"] == "TOLL_FREE" and number["NumberCapabilities"] == ["SMS"]
    assert number["Tags"] == [{"Key": "team", "Value": "ops"}]
    assert "PoolId" not in number


def test_the_next_describe_shows_it_active_with_help_and_stop(client):
    number = request(client, NumberCapabilities=["SMS", "VOICE", "SMS"])
    [described] = numbers(client)
    assert described["Status"] == "ACTIVE"
    assert described["NumberCapabilities"] == ["SMS", "VOICE"]
    assert described["MessagingLimits"]["RateLimits"] == {"SMS": 3}
    keywords = client.describe_keywords(OriginationIdentity=number["PhoneNumberId"])["Keywords"]
    assert [(k["Keyword"], k["KeywordAction"]) for k in keywords] == [
        ("HELP", "AUTOMATIC_RESPONSE"),
        ("STOP", "OPT_OUT"),
    ]


def test_provisioning_delay_keeps_a_number_pending_on_the_sandbox_clock(client, sandbox):
    sandbox.provisioning_delay = 120
    request(client)
    assert numbers(client)[0]["Status"] == "PENDING"
    assert numbers(client, Filters=[{"Name": "status", "Values": ["PENDING"]}])
    sandbox.advance(121)
    assert numbers(client)[0]["Status"] == "ACTIVE"


def test_the_documented_canadian_long_code_costs_one_dollar(client):
    number = request(client, IsoCountryCode="CA", NumberType="LONG_CODE")
    assert number["MonthlyLeasingPrice"] == "1.00"
    assert number["PhoneNumber"].startswith("+1613555")
    assert number["IsoCountryCode"] == "CA"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"IsoCountryCode": "GB", "NumberType": "SIMULATOR"}, "NumberType"),
        ({"NumberType": "SIMULATOR", "MessageType": "PROMOTIONAL"}, "MessageType"),
        ({"NumberType": "LONG_CODE"}, "NumberType"),
        ({"IsoCountryCode": "CA", "NumberType": "TEN_DLC"}, "NumberType"),
        (
            {"NumberPreference": [{"PreferenceType": ["StartsWith"], "Filter": ["+1206"]}]},
            "NumberPreference",
        ),
    ],
    ids=["simulator-outside-us", "promotional-simulator", "us-long-code", "ca-10dlc", "pref"],
)
def test_requests_the_service_cannot_fill_are_refused_and_change_nothing(client, overrides, field):
    response = aws_error(
        lambda: request(client, **overrides), "ValidationException", "INVALID_PARAMETER"
    )
    assert field_names(response) == [field]
    assert numbers(client) == []


def test_a_us_simulator_number_is_transactional(client):
    number = request(client, NumberType="SIMULATOR", NumberCapabilities=["SMS", "VOICE"])
    assert number["NumberType"] == "SIMULATOR" and number["MonthlyLeasingPrice"] == "1.00"


def test_numbers_are_unique_across_accounts(make_client):
    home, other = make_client(), make_client(account="111122223333")
    made = [request(home, NumberType="TEN_DLC")["PhoneNumber"] for _ in range(4)]
    made += [request(other, NumberType="TEN_DLC")["PhoneNumber"] for _ in range(4)]
    assert len(set(made)) == 8
    assert all(re.fullmatch(r"\+1206555\d{4}", n) for n in made)


@pytest.mark.parametrize(
    ("kind", "value", "check"),
    [
        ("EndsWith", "4242", lambda n: n.endswith("4242")),
        ("StartsWith", "+1510", lambda n: n.startswith("+1510")),
        ("StartsWith", "415", lambda n: n.startswith("+1415")),
        ("Contains", "777", lambda n: "777" in n),
        ("ExactMatch", "+15035550199", lambda n: n == "+15035550199"),
    ],
)
def test_a_10dlc_number_preference_is_honoured(client, kind, value, check):
    number = request(
        client,
        NumberType="TEN_DLC",
        NumberPreference=[{"PreferenceType": [kind], "Filter": [value]}],
    )
    assert check(number["PhoneNumber"]) and len(number["PhoneNumber"]) == 12


def test_an_exact_number_already_taken_is_not_available(client):
    preference = [{"PreferenceType": ["ExactMatch"], "Filter": ["+15035550199"]}]
    request(client, NumberType="TEN_DLC", NumberPreference=preference)
    response = aws_error(
        lambda: request(client, NumberType="TEN_DLC", NumberPreference=preference),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    assert field_names(response) == ["NumberPreference"]
    assert len(numbers(client)) == 1


def test_unknown_opt_out_list_pool_and_registration_are_not_found(client):
    aws_error(
        lambda: request(client, OptOutListName="nope"),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId="nope",
    )
    aws_error(
        lambda: request(client, PoolId="pool-" + "0" * 32),
        "ResourceNotFoundException",
        ResourceType="pool",
        ResourceId="pool-" + "0" * 32,
    )
    aws_error(
        lambda: request(client, RegistrationId="registration-123"),
        "ResourceNotFoundException",
        ResourceType="registration",
    )
    assert numbers(client) == []


def test_a_named_opt_out_list_by_name_or_arn(client, sandbox):
    opt_out_list(client, sandbox, "marketing")
    arn = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:opt-out-list/marketing"
    assert request(client, OptOutListName="marketing")["OptOutListName"] == "marketing"
    assert request(client, OptOutListName=arn)["OptOutListName"] == "marketing"


def test_the_phone_number_quota_counts_what_describe_shows(client, sandbox):
    sandbox.set_account_limit("PHONE_NUMBERS", 2)
    first = request(client)
    request(client)
    aws_error(lambda: request(client), "ServiceQuotaExceededException", "PHONE_NUMBERS_PER_ACCOUNT")
    assert len(numbers(client)) == 2
    client.release_phone_number(PhoneNumberId=first["PhoneNumberId"])
    limits = {x["Name"]: x for x in client.describe_account_limits()["AccountLimits"]}
    assert limits["PHONE_NUMBERS"] == {"Name": "PHONE_NUMBERS", "Used": 1, "Max": 2}
    assert len(numbers(client)) == 1
    request(client)


def test_a_client_token_replay_returns_the_same_number(client):
    first = request(client, ClientToken="once")
    again = request(client, ClientToken="once")
    assert again == first
    assert len(numbers(client)) == 1


def test_describe_by_id_or_arn_in_creation_order_and_unknown_ids_fail(client):
    a, b, c = (request(client) for _ in range(3))
    got = numbers(client, PhoneNumberIds=[c["PhoneNumberArn"], a["PhoneNumberId"]])
    assert [n["PhoneNumberId"] for n in got] == [a["PhoneNumberId"], c["PhoneNumberId"]]
    missing = "phone-" + "f" * 32
    aws_error(
        lambda: numbers(client, PhoneNumberIds=[b["PhoneNumberId"], missing]),
        "ResourceNotFoundException",
        ResourceType="phone-number",
        ResourceId=missing,
    )


def test_arns_of_another_region_or_account(client):
    number = request(client)
    other_region = number["PhoneNumberArn"].replace("us-east-1", "eu-west-1")
    other_account = number["PhoneNumberArn"].replace(ACCOUNT, "111122223333")
    response = aws_error(
        lambda: numbers(client, PhoneNumberIds=[other_region]), "ValidationException", "INVALID_ARN"
    )
    assert field_names(response) == ["PhoneNumberIds"]
    aws_error(
        lambda: client.release_phone_number(PhoneNumberId=other_account),
        "ResourceNotFoundException",
        ResourceType="phone-number",
        ResourceId=other_account,
    )


def test_owner_and_ids_cannot_be_used_together(client):
    number = request(client)
    response = aws_error(
        lambda: numbers(client, Owner="SELF", PhoneNumberIds=[number["PhoneNumberId"]]),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert set(field_names(response)) == {"Owner", "PhoneNumberIds"}
    assert [n["PhoneNumberId"] for n in numbers(client, Owner="SELF")] == [number["PhoneNumberId"]]
    assert numbers(client, Owner="SHARED") == []


def test_every_filter_the_model_names(client):
    tf = request(client, NumberCapabilities=["SMS", "VOICE"], DeletionProtectionEnabled=True)
    ca = request(client, IsoCountryCode="CA", NumberType="LONG_CODE", MessageType="PROMOTIONAL")
    channel = "arn:aws:sns:us-east-1:123456789012:inbound"
    client.update_phone_number(
        PhoneNumberId=ca["PhoneNumberId"],
        TwoWayEnabled=True,
        TwoWayChannelArn=channel,
        SelfManagedOptOutsEnabled=True,
    )

    def ids(*filters):
        return [n["PhoneNumberId"] for n in numbers(client, Filters=list(filters))]

    both = [tf["PhoneNumberId"], ca["PhoneNumberId"]]
    assert ids({"Name": "iso-country-code", "Values": ["CA"]}) == [ca["PhoneNumberId"]]
    assert ids({"Name": "iso-country-code", "Values": ["CA", "US"]}) == both
    assert ids({"Name": "number-capability", "Values": ["VOICE"]}) == [tf["PhoneNumberId"]]
    assert ids({"Name": "number-type", "Values": ["LONG_CODE"]}) == [ca["PhoneNumberId"]]
    assert ids({"Name": "message-type", "Values": ["PROMOTIONAL"]}) == [ca["PhoneNumberId"]]
    assert ids({"Name": "status", "Values": ["ACTIVE"]}) == both
    assert ids({"Name": "two-way-enabled", "Values": ["true"]}) == [ca["PhoneNumberId"]]
    assert ids({"Name": "two-way-channel-arn", "Values": [channel]}) == [ca["PhoneNumberId"]]
    assert ids({"Name": "self-managed-opt-outs-enabled", "Values": ["false"]}) == [
        tf["PhoneNumberId"]
    ]
    assert ids({"Name": "deletion-protection-enabled", "Values": ["true"]}) == [tf["PhoneNumberId"]]
    assert ids({"Name": "opt-out-list-name", "Values": ["Default"]}) == both
    assert (
        ids(
            {"Name": "iso-country-code", "Values": ["US"]},
            {"Name": "number-type", "Values": ["LONG_CODE"]},
        )
        == []
    )
    response = aws_error(
        lambda: ids({"Name": "number-capability", "Values": ["FAX"]}),
        "ValidationException",
        "INVALID_FILTER_VALUES",
    )
    assert field_names(response) == ["Filters[0].Values"]


def test_describe_pages_through_every_number(client):
    made = [request(client)["PhoneNumberId"] for _ in range(5)]
    first = client.describe_phone_numbers(MaxResults=2)
    assert len(first["PhoneNumbers"]) == 2 and first["NextToken"]
    paged = [
        n["PhoneNumberId"]
        for page in client.get_paginator("describe_phone_numbers").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for n in page["PhoneNumbers"]
    ]
    assert paged == made


def test_update_changes_only_what_is_given(client, sandbox):
    number = request(client)
    channel = "arn:aws:sns:us-east-1:123456789012:inbound"
    role = "arn:aws:iam::123456789012:role/inbound"
    updated = client.update_phone_number(
        PhoneNumberId=number["PhoneNumberArn"],
        TwoWayEnabled=True,
        TwoWayChannelArn=channel,
        TwoWayChannelRole=role,
        InternationalSendingEnabled=True,
        DeletionProtectionEnabled=True,
    )
    assert updated["PhoneNumberId"] == number["PhoneNumberId"]
    assert updated["TwoWayEnabled"] is True and updated["TwoWayChannelArn"] == channel
    assert updated["TwoWayChannelRole"] == role
    assert updated["InternationalSendingEnabled"] is True
    assert updated["DeletionProtectionEnabled"] is True
    assert updated["SelfManagedOptOutsEnabled"] is False
    assert updated["Status"] == "ACTIVE"
    [described] = numbers(client)
    assert described["TwoWayChannelArn"] == channel and described["OptOutListName"] == "Default"
    client.update_phone_number(PhoneNumberId=number["PhoneNumberId"], TwoWayEnabled=False)
    assert numbers(client)[0]["TwoWayEnabled"] is False


def test_two_way_needs_a_channel(client):
    number = request(client)
    response = aws_error(
        lambda: client.update_phone_number(
            PhoneNumberId=number["PhoneNumberId"], TwoWayEnabled=True
        ),
        "ValidationException",
        "TWO_WAY_CHANNEL_NOT_PRESENT",
    )
    assert field_names(response) == ["TwoWayChannelArn"]
    assert numbers(client)[0]["TwoWayEnabled"] is False


def test_update_to_an_unknown_opt_out_list_changes_nothing(client, sandbox):
    number = request(client)
    aws_error(
        lambda: client.update_phone_number(
            PhoneNumberId=number["PhoneNumberId"],
            OptOutListName="ghost",
            DeletionProtectionEnabled=True,
        ),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId="ghost",
    )
    [described] = numbers(client)
    assert described["OptOutListName"] == "Default"
    assert described["DeletionProtectionEnabled"] is False
    opt_out_list(client, sandbox, "alerts")
    updated = client.update_phone_number(
        PhoneNumberId=number["PhoneNumberId"], OptOutListName="alerts"
    )
    assert updated["OptOutListName"] == "alerts"


def test_release_respects_deletion_protection(client):
    number = request(client, DeletionProtectionEnabled=True)
    phone_id = number["PhoneNumberId"]
    aws_error(
        lambda: client.release_phone_number(PhoneNumberId=phone_id),
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
        ResourceType="phone-number",
        ResourceId=phone_id,
    )
    assert numbers(client)[0]["PhoneNumberId"] == phone_id
    client.update_phone_number(PhoneNumberId=phone_id, DeletionProtectionEnabled=False)
    released = client.release_phone_number(PhoneNumberId=number["PhoneNumberArn"])
    assert released["Status"] == "DELETED"
    assert released["PhoneNumber"] == number["PhoneNumber"]
    assert numbers(client) == []
    aws_error(
        lambda: numbers(client, PhoneNumberIds=[phone_id]),
        "ResourceNotFoundException",
        ResourceType="phone-number",
    )
    aws_error(
        lambda: client.describe_keywords(OriginationIdentity=phone_id),
        "ResourceNotFoundException",
        ResourceType="phone-number",
    )
    aws_error(
        lambda: client.release_phone_number(PhoneNumberId=phone_id),
        "ResourceNotFoundException",
        ResourceType="phone-number",
        ResourceId=phone_id,
    )


def test_a_pooled_number_can_be_neither_updated_nor_released(client):
    number = request(client)
    pool = client.create_pool(
        OriginationIdentity=number["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    for call in (
        lambda: client.update_phone_number(
            PhoneNumberId=number["PhoneNumberId"], DeletionProtectionEnabled=True
        ),
        lambda: client.release_phone_number(PhoneNumberId=number["PhoneNumberId"]),
    ):
        aws_error(
            call,
            "ConflictException",
            "PHONE_NUMBER_ASSOCIATED_TO_POOL",
            ResourceType="phone-number",
            ResourceId=number["PhoneNumberId"],
        )
    [described] = numbers(client)
    assert described["PoolId"] == pool["PoolId"]
    assert described["DeletionProtectionEnabled"] is False


def test_a_number_requested_into_a_pool_joins_it(client):
    seed = request(client)
    pool = client.create_pool(
        OriginationIdentity=seed["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    joined = request(client, PoolId=pool["PoolArn"])
    assert joined["PoolId"] == pool["PoolId"]
    listed = client.list_pool_origination_identities(PoolId=pool["PoolId"])
    assert [i["OriginationIdentity"] for i in listed["OriginationIdentities"]] == [
        seed["PhoneNumberId"],
        joined["PhoneNumberId"],
    ]
    aws_error(
        lambda: request(client, PoolId=pool["PoolId"], MessageType="PROMOTIONAL"),
        "ConflictException",
        "MESSAGE_TYPE_MISMATCH",
    )
    assert len(numbers(client)) == 2


def test_numbers_are_taggable_by_arn(client):
    number = request(client)
    client.tag_resource(ResourceArn=number["PhoneNumberArn"], Tags=[{"Key": "k", "Value": "v"}])
    tags = client.list_tags_for_resource(ResourceArn=number["PhoneNumberArn"])["Tags"]
    assert tags == [{"Key": "k", "Value": "v"}]


def test_the_shared_resolver_finds_a_number_by_e164_id_or_arn(client, sandbox):
    number = request(client)
    sandbox.add_sender_id("ACME", "GB")
    with sandbox.admin() as ctx:
        for value in (number["PhoneNumber"], number["PhoneNumber"][1:], number["PhoneNumberArn"]):
            found = resolve_identity(ctx, value, "OriginationIdentity", allow_phone_number=True)
            assert (found.kind, found.id, found.status) == (
                "phone-number",
                number["PhoneNumberId"],
                "ACTIVE",
            )
            assert found.phone_number == number["PhoneNumber"] and found.opt_out_list == "Default"
        sender = resolve_identity(ctx, "ACME", "OriginationIdentity", iso_country_code="GB")
        assert (sender.kind, sender.key, sender.capabilities) == ("sender-id", "ACME/GB", ["SMS"])
        with pytest.raises(ServiceError) as info:
            resolve_identity(ctx, "+15550000000", "OriginationIdentity", allow_phone_number=True)
        assert info.value.members["ResourceType"] == "phone-number"
