"""Keywords through both transports: PutKeyword, DeleteKeyword, DescribeKeywords and their rules."""

from __future__ import annotations

import pytest

from tests.support import aws_error, field_names


@pytest.fixture
def phone(client):
    return client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )


@pytest.fixture
def pool(client, phone):
    return client.create_pool(
        OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )


def keywords(client, identity, **params):
    return client.describe_keywords(OriginationIdentity=identity, **params)["Keywords"]


def words(client, identity, **params):
    return [k["Keyword"] for k in keywords(client, identity, **params)]


def test_put_keyword_upper_cases_and_answers_with_the_bare_id(client, phone):
    answer = client.put_keyword(
        OriginationIdentity=phone["PhoneNumberArn"], Keyword="Info", KeywordMessage="Open 9-5"
    )
    assert answer["OriginationIdentity"] == phone["PhoneNumberId"]
    assert answer["OriginationIdentityArn"] == phone["PhoneNumberArn"]
    assert answer["Keyword"] == "INFO"
    assert answer["KeywordMessage"] == "Open 9-5"
    assert answer["KeywordAction"] == "AUTOMATIC_RESPONSE"
    assert keywords(client, phone["PhoneNumberId"])[-1] == {
        "Keyword": "INFO",
        "KeywordMessage": "Open 9-5",
        "KeywordAction": "AUTOMATIC_RESPONSE",
    }


def test_put_keyword_is_an_upsert_matched_case_insensitively(client, phone):
    phone_id = phone["PhoneNumberId"]
    client.put_keyword(OriginationIdentity=phone_id, Keyword="join", KeywordMessage="Welcome")
    client.put_keyword(
        OriginationIdentity=phone_id, Keyword="JOIN", KeywordMessage="Hi!", KeywordAction="OPT_IN"
    )
    assert words(client, phone_id) == ["HELP", "STOP", "JOIN"]
    assert keywords(client, phone_id, Keywords=["Join"]) == [
        {"Keyword": "JOIN", "KeywordMessage": "Hi!", "KeywordAction": "OPT_IN"}
    ]


def test_help_and_stop_messages_change_but_not_their_actions(client, phone):
    phone_id = phone["PhoneNumberId"]
    changed = client.put_keyword(
        OriginationIdentity=phone_id, Keyword="help", KeywordMessage="Call us"
    )
    assert changed["KeywordAction"] == "AUTOMATIC_RESPONSE"
    client.put_keyword(
        OriginationIdentity=phone_id, Keyword="STOP", KeywordMessage="Bye", KeywordAction="OPT_OUT"
    )
    aws_error(
        lambda: client.put_keyword(
            OriginationIdentity=phone_id,
            Keyword="Stop",
            KeywordMessage="Nope",
            KeywordAction="AUTOMATIC_RESPONSE",
        ),
        "ConflictException",
        "RESOURCE_MODIFICATION_NOT_ALLOWED",
        ResourceType="keyword",
        ResourceId="STOP",
    )
    assert keywords(client, phone_id) == [
        {"Keyword": "HELP", "KeywordMessage": "Call us", "KeywordAction": "AUTOMATIC_RESPONSE"},
        {"Keyword": "STOP", "KeywordMessage": "Bye", "KeywordAction": "OPT_OUT"},
    ]


@pytest.mark.parametrize("word", ["HELP", "stop"])
def test_help_and_stop_cannot_be_deleted(client, phone, word):
    aws_error(
        lambda: client.delete_keyword(OriginationIdentity=phone["PhoneNumberId"], Keyword=word),
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
        ResourceType="keyword",
        ResourceId=word.upper(),
    )
    assert words(client, phone["PhoneNumberId"]) == ["HELP", "STOP"]


def test_delete_keyword(client, phone):
    phone_id = phone["PhoneNumberId"]
    client.put_keyword(OriginationIdentity=phone_id, Keyword="DEALS", KeywordMessage="10% off")
    deleted = client.delete_keyword(OriginationIdentity=phone["PhoneNumberArn"], Keyword="deals")
    assert deleted["Keyword"] == "DEALS" and deleted["KeywordMessage"] == "10% off"
    assert deleted["OriginationIdentity"] == phone_id
    assert words(client, phone_id) == ["HELP", "STOP"]
    aws_error(
        lambda: client.delete_keyword(OriginationIdentity=phone_id, Keyword="deals"),
        "ResourceNotFoundException",
        ResourceType="keyword",
        ResourceId="deals",
    )


def test_keywords_of_a_pool_are_its_own(client, phone, pool):
    client.put_keyword(OriginationIdentity=pool["PoolArn"], Keyword="POOLED", KeywordMessage="x")
    assert words(client, pool["PoolId"]) == ["HELP", "STOP", "POOLED"]
    assert words(client, phone["PhoneNumberId"]) == ["HELP", "STOP"]
    page = client.describe_keywords(OriginationIdentity=pool["PoolArn"])
    assert page["OriginationIdentity"] == pool["PoolId"]
    assert page["OriginationIdentityArn"] == pool["PoolArn"]


def test_the_keyword_quota_counts_help_and_stop(client, sandbox, phone, pool):
    sandbox.set_account_limit("KEYWORDS_PER_IDENTITY", 3)
    for identity, reason in (
        (phone["PhoneNumberId"], "KEYWORDS_PER_PHONE_NUMBER"),
        (pool["PoolId"], "KEYWORDS_PER_POOL"),
    ):
        client.put_keyword(OriginationIdentity=identity, Keyword="ONE", KeywordMessage="1")
        aws_error(
            lambda identity=identity: client.put_keyword(
                OriginationIdentity=identity, Keyword="TWO", KeywordMessage="2"
            ),
            "ServiceQuotaExceededException",
            reason,
        )
        # Changing a keyword that exists is no new keyword.
        client.put_keyword(OriginationIdentity=identity, Keyword="one", KeywordMessage="uno")
        assert words(client, identity) == ["HELP", "STOP", "ONE"]


def test_a_keyword_may_not_start_or_end_with_a_space(client, phone):
    response = aws_error(
        lambda: client.put_keyword(
            OriginationIdentity=phone["PhoneNumberId"], Keyword=" HI", KeywordMessage="x"
        ),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    assert field_names(response) == ["Keyword"]
    client.put_keyword(
        OriginationIdentity=phone["PhoneNumberId"], Keyword="HI THERE", KeywordMessage="x"
    )
    assert words(client, phone["PhoneNumberId"])[-1] == "HI THERE"


def test_unknown_and_wrong_kinds_of_identity(client, sandbox):
    missing_phone, missing_pool = "phone-" + "0" * 32, "pool-" + "0" * 32
    aws_error(
        lambda: keywords(client, missing_phone),
        "ResourceNotFoundException",
        ResourceType="phone-number",
        ResourceId=missing_phone,
    )
    aws_error(
        lambda: client.put_keyword(
            OriginationIdentity=missing_pool, Keyword="A", KeywordMessage="a"
        ),
        "ResourceNotFoundException",
        ResourceType="pool",
        ResourceId=missing_pool,
    )
    sandbox.add_sender_id("ACME", "GB")
    arn = "arn:aws:sms-voice:us-east-1:123456789012:sender-id/ACME/GB"
    response = aws_error(
        lambda: client.put_keyword(OriginationIdentity=arn, Keyword="A", KeywordMessage="a"),
        "ValidationException",
        "INVALID_ARN",
    )
    assert field_names(response) == ["OriginationIdentity"]


def test_describe_keywords_by_name_filter_and_pages(client, phone):
    phone_id = phone["PhoneNumberId"]
    for word, action in (("JOIN", "OPT_IN"), ("QUIT", "OPT_OUT"), ("INFO", "AUTOMATIC_RESPONSE")):
        client.put_keyword(
            OriginationIdentity=phone_id, Keyword=word, KeywordMessage=word, KeywordAction=action
        )
    assert words(client, phone_id, Keywords=["info", "help"]) == ["HELP", "INFO"]
    aws_error(
        lambda: keywords(client, phone_id, Keywords=["HELP", "nothing"]),
        "ResourceNotFoundException",
        ResourceType="keyword",
        ResourceId="nothing",
    )
    opt_out = [{"Name": "keyword-action", "Values": ["OPT_OUT"]}]
    assert words(client, phone_id, Filters=opt_out) == ["STOP", "QUIT"]
    aws_error(
        lambda: keywords(client, phone_id, Filters=[{"Name": "keyword-action", "Values": ["X"]}]),
        "ValidationException",
        "INVALID_FILTER_VALUES",
    )
    pages = list(
        client.get_paginator("describe_keywords").paginate(
            OriginationIdentity=phone["PhoneNumberArn"], PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["Keywords"]) for p in pages] == [2, 2, 1]
    assert all(p["OriginationIdentity"] == phone_id for p in pages)
    assert all(p["OriginationIdentityArn"] == phone["PhoneNumberArn"] for p in pages)
    assert [k["Keyword"] for p in pages for k in p["Keywords"]] == [
        "HELP",
        "STOP",
        "JOIN",
        "QUIT",
        "INFO",
    ]
