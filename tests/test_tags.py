"""Tags on every taggable resource through both transports: overwrite, untag, quota, bad ARNs."""

from __future__ import annotations

import importlib.util

import pytest

from tests.support import aws_error, field_names

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:"


def _needs(sandbox, operation):
    if operation not in sandbox.operations():
        pytest.fail(f"{operation} is not emulated in this build")


def _opt_out_list(client, sandbox):
    return client.create_opt_out_list(OptOutListName="tagged")["OptOutListArn"]


def _configuration_set(client, sandbox):
    return client.create_configuration_set(ConfigurationSetName="tagged")["ConfigurationSetArn"]


def _phone_number(client, sandbox):
    _needs(sandbox, "RequestPhoneNumber")
    return client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumberArn"]


def _pool(client, sandbox):
    _needs(sandbox, "CreatePool")
    phone = _phone_number(client, sandbox)
    return client.create_pool(OriginationIdentity=phone, MessageType="TRANSACTIONAL")["PoolArn"]


def _sender_id(client, sandbox):
    if importlib.util.find_spec("ppv2kit.sandbox.ops.sender_ids") is None:
        pytest.fail("sender IDs are not emulated in this build")
    sandbox.add_sender_id("ACME", "GB")
    return PREFIX + "sender-id/ACME/GB"


MAKERS = {
    "opt-out-list": _opt_out_list,
    "configuration-set": _configuration_set,
    "phone-number": _phone_number,
    "pool": _pool,
    "sender-id": _sender_id,
}


@pytest.fixture(params=sorted(MAKERS))
def resource_arn(request, client, sandbox):
    """The ARN of a fresh resource of each taggable kind (skipped where not emulated yet)."""
    return MAKERS[request.param](client, sandbox)


def _tags(client, arn):
    answer = client.list_tags_for_resource(ResourceArn=arn)
    assert answer["ResourceArn"] == arn
    return {t["Key"]: t["Value"] for t in answer["Tags"]}


def test_tag_overwrites_values_and_untag_ignores_absent_keys(client, resource_arn):
    assert _tags(client, resource_arn) == {}
    client.tag_resource(
        ResourceArn=resource_arn,
        Tags=[{"Key": "team", "Value": "ops"}, {"Key": "cost", "Value": "42"}],
    )
    client.tag_resource(
        ResourceArn=resource_arn,
        Tags=[{"Key": "cost", "Value": "43"}, {"Key": "empty", "Value": ""}],
    )
    assert _tags(client, resource_arn) == {"team": "ops", "cost": "43", "empty": ""}
    client.untag_resource(ResourceArn=resource_arn, TagKeys=["team", "never-set"])
    assert _tags(client, resource_arn) == {"cost": "43", "empty": ""}
    listed = client.list_tags_for_resource(ResourceArn=resource_arn)["Tags"]
    assert listed == [{"Key": "cost", "Value": "43"}, {"Key": "empty", "Value": ""}]


def test_tags_per_resource_quota(client, sandbox, resource_arn):
    sandbox.set_account_limit("TAGS_PER_RESOURCE", 3)
    three = [{"Key": k, "Value": k} for k in "abc"]
    client.tag_resource(ResourceArn=resource_arn, Tags=three)
    aws_error(
        lambda: client.tag_resource(ResourceArn=resource_arn, Tags=[{"Key": "d", "Value": "d"}]),
        "ServiceQuotaExceededException",
        "TAGS_PER_RESOURCE",
    )
    assert _tags(client, resource_arn) == {"a": "a", "b": "b", "c": "c"}
    # overwriting keys it already has does not add tags
    client.tag_resource(ResourceArn=resource_arn, Tags=[{"Key": "a", "Value": "new"}])
    client.untag_resource(ResourceArn=resource_arn, TagKeys=["b"])
    client.tag_resource(ResourceArn=resource_arn, Tags=[{"Key": "d", "Value": "d"}])
    assert _tags(client, resource_arn) == {"a": "new", "c": "c", "d": "d"}


def test_default_tag_quota_is_fifty(client):
    arn = _opt_out_list(client, None)
    fifty = [{"Key": f"k{i}", "Value": str(i)} for i in range(50)]
    client.tag_resource(ResourceArn=arn, Tags=fifty)
    aws_error(
        lambda: client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k50", "Value": "x"}]),
        "ServiceQuotaExceededException",
        "TAGS_PER_RESOURCE",
    )
    assert len(_tags(client, arn)) == 50


@pytest.mark.parametrize(
    "create",
    [
        lambda c, tags: c.create_opt_out_list(OptOutListName="t", Tags=tags),
        lambda c, tags: c.create_configuration_set(ConfigurationSetName="t", Tags=tags),
    ],
    ids=["opt-out-list", "configuration-set"],
)
def test_create_time_tags_count_against_the_quota(client, sandbox, create):
    sandbox.set_account_limit("TAGS_PER_RESOURCE", 2)
    aws_error(
        lambda: create(client, [{"Key": k, "Value": ""} for k in "abc"]),
        "ServiceQuotaExceededException",
        "TAGS_PER_RESOURCE",
    )
    assert client.describe_opt_out_lists()["OptOutLists"][-1]["OptOutListName"] == "Default"
    assert client.describe_configuration_sets()["ConfigurationSets"] == []
    # a key given twice is one tag, the last value wins
    created = create(client, [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}] * 2)
    assert created["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]


def test_tags_go_with_their_resource(client):
    client.create_configuration_set(
        ConfigurationSetName="short-lived", Tags=[{"Key": "k", "Value": "v"}]
    )
    arn = PREFIX + "configuration-set/short-lived"
    assert _tags(client, arn) == {"k": "v"}
    client.delete_configuration_set(ConfigurationSetName="short-lived")
    aws_error(
        lambda: client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId=arn,
    )
    client.create_configuration_set(ConfigurationSetName="short-lived")
    assert _tags(client, arn) == {}


def test_the_default_opt_out_list_is_taggable(client):
    arn = PREFIX + "opt-out-list/Default"
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "compliance"}])
    assert _tags(client, arn) == {"owner": "compliance"}


CALLS = {
    "tag": lambda c, arn: c.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]),
    "untag": lambda c, arn: c.untag_resource(ResourceArn=arn, TagKeys=["k"]),
    "list": lambda c, arn: c.list_tags_for_resource(ResourceArn=arn),
}


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:sns:us-east-1:{ACCOUNT}:topic/sms",
        PREFIX + "nothing/x",
        PREFIX + "opt-out-list",
        PREFIX + "event-destination/x",
        "arn:aws:sms-voice:us-east-1::opt-out-list/Default",
        "arn:aws:sms-voice:opt-out-list/Default",
    ],
    ids=["other-service", "unknown-type", "no-id", "not-taggable", "no-account", "short"],
)
def test_malformed_arns_are_invalid(client, call, arn):
    response = aws_error(lambda: CALLS[call](client, arn), "ValidationException", "INVALID_ARN")
    assert field_names(response) == ["ResourceArn"]


@pytest.mark.parametrize("call", sorted(CALLS))
def test_arns_of_another_region_or_account_are_refused(client, call):
    other_region = f"arn:aws:sms-voice:eu-west-1:{ACCOUNT}:opt-out-list/Default"
    response = aws_error(
        lambda: CALLS[call](client, other_region), "ValidationException", "INVALID_ARN"
    )
    assert field_names(response) == ["ResourceArn"]
    other_account = "arn:aws:sms-voice:us-east-1:111122223333:opt-out-list/Default"
    aws_error(
        lambda: CALLS[call](client, other_account),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId=other_account,
    )
    assert _tags(client, PREFIX + "opt-out-list/Default") == {}


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize(
    ("resource", "resource_type"),
    [
        ("opt-out-list/missing", "opt-out-list"),
        ("configuration-set/missing", "configuration-set"),
        (f"phone-number/phone-{'0' * 32}", "phone-number"),
        (f"pool/pool-{'0' * 32}", "pool"),
        ("sender-id/MISSING/GB", "sender-id"),
        ("registration/registration-0", "registration"),
    ],
)
def test_unknown_arns_are_not_found(client, call, resource, resource_type):
    arn = PREFIX + resource
    aws_error(
        lambda: CALLS[call](client, arn),
        "ResourceNotFoundException",
        ResourceType=resource_type,
        ResourceId=arn,
    )
