"""Sender IDs through both transports: provisioning, DescribeSenderIds, filters, quota, tags."""

from __future__ import annotations

import pytest

from ppv2kit.sandbox.errors import ServiceError
from tests.support import aws_error, field_names

ACCOUNT = "123456789012"


def sender_ids(client, **params):
    return client.describe_sender_ids(**params)["SenderIds"]


def keys(items):
    return [(s["SenderId"], s["IsoCountryCode"]) for s in items]


def test_a_provisioned_sender_id_is_described_as_the_service_does(client, sandbox):
    added = sandbox.add_sender_id("ACME", "GB", registered=True, registration_id="reg-1")
    [described] = sender_ids(client)
    assert described == added
    assert described == {
        "SenderIdArn": f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/ACME/GB",
        "SenderId": "ACME",
        "IsoCountryCode": "GB",
        "MessageTypes": ["TRANSACTIONAL", "PROMOTIONAL"],
        "MonthlyLeasingPrice": "0.00",
        "DeletionProtectionEnabled": False,
        "Registered": True,
        "RegistrationId": "reg-1",
        "MessagingLimits": {"RateLimits": {"SMS": 10}},
    }


def test_the_same_sender_id_may_exist_in_several_countries(client, sandbox):
    sandbox.add_sender_id("ACME", "GB")
    sandbox.add_sender_id("ACME", "DE", message_types=["TRANSACTIONAL"])
    assert keys(sender_ids(client)) == [("ACME", "GB"), ("ACME", "DE")]
    got = sender_ids(client, SenderIds=[{"SenderId": "ACME", "IsoCountryCode": "DE"}])
    assert keys(got) == [("ACME", "DE")] and got[0]["MessageTypes"] == ["TRANSACTIONAL"]


def test_describe_by_sender_id_or_arn_and_unknown_ones_fail(client, sandbox):
    sandbox.add_sender_id("ACME", "GB")
    sandbox.add_sender_id("NEWS", "FR")
    arn = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/NEWS/FR"
    got = sender_ids(
        client,
        SenderIds=[
            {"SenderId": arn, "IsoCountryCode": "FR"},
            {"SenderId": "ACME", "IsoCountryCode": "GB"},
        ],
    )
    assert keys(got) == [("ACME", "GB"), ("NEWS", "FR")]
    aws_error(
        lambda: sender_ids(client, SenderIds=[{"SenderId": "ACME", "IsoCountryCode": "FR"}]),
        "ResourceNotFoundException",
        ResourceType="sender-id",
        ResourceId="ACME",
    )
    response = aws_error(
        lambda: sender_ids(client, SenderIds=[{"SenderId": arn, "IsoCountryCode": "GB"}]),
        "ValidationException",
        "COUNTRY_CODE_MISMATCH",
    )
    assert field_names(response) == ["SenderIds[0].IsoCountryCode"]


def test_every_sender_id_filter(client, sandbox):
    sandbox.add_sender_id("ACME", "GB", deletion_protection_enabled=True)
    sandbox.add_sender_id("NEWS", "GB", message_types=["PROMOTIONAL"], registered=True)
    sandbox.add_sender_id("ACME", "FR", message_types=[])

    def filtered(name, *values):
        return keys(sender_ids(client, Filters=[{"Name": name, "Values": list(values)}]))

    assert filtered("sender-id", "ACME") == [("ACME", "GB"), ("ACME", "FR")]
    assert filtered("iso-country-code", "FR") == [("ACME", "FR")]
    assert filtered("message-type", "TRANSACTIONAL") == [("ACME", "GB")]
    assert filtered("message-type", "PROMOTIONAL") == [("ACME", "GB"), ("NEWS", "GB")]
    assert filtered("registered", "true") == [("NEWS", "GB")]
    assert filtered("deletion-protection-enabled", "true") == [("ACME", "GB")]
    aws_error(lambda: filtered("registered", "yes"), "ValidationException", "INVALID_FILTER_VALUES")


def test_owner_rules(client, sandbox):
    sandbox.add_sender_id("ACME", "GB")
    aws_error(
        lambda: sender_ids(
            client, Owner="SELF", SenderIds=[{"SenderId": "ACME", "IsoCountryCode": "GB"}]
        ),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert keys(sender_ids(client, Owner="SELF")) == [("ACME", "GB")]
    assert sender_ids(client, Owner="SHARED") == []


def test_describe_pages(client, sandbox):
    for i in range(5):
        sandbox.add_sender_id(f"ID{i}", "GB")
    paged = [
        s["SenderId"]
        for page in client.get_paginator("describe_sender_ids").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for s in page["SenderIds"]
    ]
    assert paged == [f"ID{i}" for i in range(5)]


def test_the_sender_id_quota_counts_in_account_limits(client, sandbox):
    sandbox.set_account_limit("SENDER_IDS", 1)
    sandbox.add_sender_id("ACME", "GB")
    with pytest.raises(ServiceError) as info:
        sandbox.add_sender_id("ACME", "FR")
    assert info.value.code == "ServiceQuotaExceededException"
    assert info.value.members["Reason"] == "SENDER_IDS_PER_ACCOUNT"
    limits = {x["Name"]: x for x in client.describe_account_limits()["AccountLimits"]}
    assert limits["SENDER_IDS"] == {"Name": "SENDER_IDS", "Used": 1, "Max": 1}
    assert keys(sender_ids(client)) == [("ACME", "GB")]


@pytest.mark.parametrize(
    ("args", "kwargs", "words"),
    [
        (("WAY-TOO-LONG-ID", "GB"), {}, "sender_id"),
        (("ACME", "gb"), {}, "iso_country_code"),
        (("ACME", "GB"), {"message_types": ["BULK"]}, "message_types"),
        (("ACME", "GB"), {"registered": "yes"}, "registered"),
        (("ACME", "GB"), {"monthly_leasing_price": 1}, "monthly_leasing_price"),
        (("ACME", "GB"), {"tags": [{"Key": "", "Value": "v"}]}, "tags"),
    ],
)
def test_provisioning_checks_values_against_the_model(client, sandbox, args, kwargs, words):
    with pytest.raises(ValueError, match=words):
        sandbox.add_sender_id(*args, **kwargs)
    assert sender_ids(client) == []


def test_provisioning_refuses_duplicates_and_unknown_options(client, sandbox):
    sandbox.add_sender_id("ACME", "GB")
    with pytest.raises(ValueError, match="already exists"):
        sandbox.add_sender_id("ACME", "GB")
    with pytest.raises(TypeError):
        sandbox.add_sender_id("ACME", "FR", colour="red")
    assert keys(sender_ids(client)) == [("ACME", "GB")]


def test_sender_ids_carry_tags_and_are_taggable(client, sandbox):
    sandbox.add_sender_id("ACME", "GB", tags={"team": "ops"})
    arn = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/ACME/GB"
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "team", "Value": "ops"}
    ]
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "cost", "Value": "1"}])
    tags = client.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "ops"}, {"Key": "cost", "Value": "1"}]


def test_sender_ids_are_kept_per_region(make_client, sandbox):
    sandbox.add_sender_id("ACME", "GB", region="eu-west-2")
    assert keys(sender_ids(make_client(region="eu-west-2"))) == [("ACME", "GB")]
    assert sender_ids(make_client()) == []


def test_a_sender_id_arn_without_its_country_is_invalid(client, sandbox):
    sandbox.add_sender_id("ACME", "GB")
    arn = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/ACME"
    response = aws_error(
        lambda: sender_ids(client, SenderIds=[{"SenderId": arn, "IsoCountryCode": "GB"}]),
        "ValidationException",
        "INVALID_ARN",
    )
    assert field_names(response) == ["SenderIds[0].SenderId"]
