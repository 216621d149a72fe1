"""Opt-out lists and opted-out numbers through both transports: rules, errors, paging, helpers."""

from __future__ import annotations

import pytest

from ppv2kit.sandbox.ops.opt_outs import is_opted_out, opt_in, opt_out
from tests.support import aws_error, field_names

ACCOUNT = "123456789012"
ARN = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:opt-out-list/"
DAY = 24 * 3600


def _lists(client, **params):
    return [o["OptOutListName"] for o in client.describe_opt_out_lists(**params)["OptOutLists"]]


def _numbers(client, name, **params):
    page = client.describe_opted_out_numbers(OptOutListName=name, **params)
    return [n["OptedOutNumber"] for n in page["OptedOutNumbers"]]


def _limit(client, name):
    limits = client.describe_account_limits()["AccountLimits"]
    return next((x["Used"], x["Max"]) for x in limits if x["Name"] == name)


# -- opt-out lists ------------------------------------------------------------------------------


def test_default_list_exists_and_a_new_list_is_described_with_its_arn(client, sandbox):
    assert _lists(client) == ["Default"]
    created = client.create_opt_out_list(
        OptOutListName="marketing", Tags=[{"Key": "team", "Value": "growth"}]
    )
    assert created["OptOutListName"] == "marketing"
    assert created["OptOutListArn"] == ARN + "marketing"
    assert created["Tags"] == [{"Key": "team", "Value": "growth"}]
    assert created["CreatedTimestamp"].timestamp() == pytest.approx(sandbox.time(), abs=60)
    listed = client.describe_opt_out_lists()["OptOutLists"]
    assert [o["OptOutListName"] for o in listed] == ["Default", "marketing"]
    assert listed[1]["OptOutListArn"] == created["OptOutListArn"]
    assert listed[1]["CreatedTimestamp"] == created["CreatedTimestamp"]
    assert "Tags" not in listed[1]
    assert _limit(client, "OPT_OUT_LISTS") == (2, 25)


def test_duplicate_name_is_a_conflict_and_keeps_the_original(client):
    client.create_opt_out_list(OptOutListName="alerts", Tags=[{"Key": "v", "Value": "1"}])
    aws_error(
        lambda: client.create_opt_out_list(OptOutListName="alerts"),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        ResourceType="opt-out-list",
        ResourceId="alerts",
    )
    aws_error(
        lambda: client.create_opt_out_list(OptOutListName="Default"),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        ResourceId="Default",
    )
    assert _lists(client) == ["Default", "alerts"]
    tags = client.list_tags_for_resource(ResourceArn=ARN + "alerts")["Tags"]
    assert tags == [{"Key": "v", "Value": "1"}]


def test_opt_out_list_quota_counts_the_default_list(client, sandbox):
    sandbox.set_account_limit("OPT_OUT_LISTS", 3)
    client.create_opt_out_list(OptOutListName="one")
    client.create_opt_out_list(OptOutListName="two")
    aws_error(
        lambda: client.create_opt_out_list(OptOutListName="three"),
        "ServiceQuotaExceededException",
        "OPT_OUT_LISTS_PER_ACCOUNT",
    )
    assert _lists(client) == ["Default", "one", "two"]
    assert _limit(client, "OPT_OUT_LISTS") == (3, 3)
    client.delete_opt_out_list(OptOutListName="one")
    assert client.create_opt_out_list(OptOutListName="three")["OptOutListName"] == "three"


def test_delete_returns_the_list_and_removes_its_entries(client):
    created = client.create_opt_out_list(OptOutListName="gone")
    client.put_opted_out_number(OptOutListName="gone", OptedOutNumber="+14255550100")
    deleted = client.delete_opt_out_list(OptOutListName=ARN + "gone")
    assert deleted == {
        "OptOutListArn": created["OptOutListArn"],
        "OptOutListName": "gone",
        "CreatedTimestamp": created["CreatedTimestamp"],
        "ResponseMetadata": deleted["ResponseMetadata"],
    }
    assert _lists(client) == ["Default"]
    aws_error(
        lambda: client.describe_opted_out_numbers(OptOutListName="gone"),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId="gone",
    )
    client.create_opt_out_list(OptOutListName="gone")
    assert _numbers(client, "gone") == []


def test_default_list_cannot_be_deleted(client):
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber="+14255550100")
    aws_error(
        lambda: client.delete_opt_out_list(OptOutListName="Default"),
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
        ResourceType="opt-out-list",
        ResourceId="Default",
    )
    assert _lists(client) == ["Default"]
    assert _numbers(client, "Default") == ["+14255550100"]


@pytest.mark.parametrize("kind", ["phone-number", "pool"])
def test_a_list_in_use_by_a_number_or_pool_cannot_be_deleted(client, sandbox, kind):
    client.create_opt_out_list(OptOutListName="used")
    client.put_opted_out_number(OptOutListName="used", OptedOutNumber="+14255550100")
    user = f"{'phone' if kind == 'phone-number' else 'pool'}-{'a' * 32}"
    with sandbox.admin() as ctx:  # the document shape docs/ARCHITECTURE.md fixes for both kinds
        ctx.store.put(kind, user, {"Status": "ACTIVE", "OptOutListName": "used"})
    response = aws_error(
        lambda: client.delete_opt_out_list(OptOutListName="used"),
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
        ResourceType="opt-out-list",
        ResourceId="used",
    )
    assert user in response["Error"]["Message"]
    assert _numbers(client, "used") == ["+14255550100"]
    with sandbox.admin() as ctx:
        ctx.store.put(kind, user, {"Status": "ACTIVE", "OptOutListName": "Default"})
    assert client.delete_opt_out_list(OptOutListName="used")["OptOutListName"] == "used"


def test_a_list_used_by_a_requested_phone_number_cannot_be_deleted(client, sandbox):
    if "RequestPhoneNumber" not in sandbox.operations():
        pytest.fail("phone numbers are not emulated in this build")
    client.create_opt_out_list(OptOutListName="numbers")
    phone = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SIMULATOR",
        OptOutListName="numbers",
    )["PhoneNumberId"]
    aws_error(
        lambda: client.delete_opt_out_list(OptOutListName="numbers"),
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
        ResourceId="numbers",
    )
    assert "numbers" in _lists(client)
    client.update_phone_number(PhoneNumberId=phone, OptOutListName="Default")
    assert client.delete_opt_out_list(OptOutListName="numbers")["OptOutListName"] == "numbers"


def test_unknown_list_is_not_found_by_name_or_arn(client):
    for value in ("nope", ARN + "nope"):
        aws_error(
            lambda value=value: client.delete_opt_out_list(OptOutListName=value),
            "ResourceNotFoundException",
            ResourceType="opt-out-list",
            ResourceId=value,
        )


def test_arns_of_another_region_account_or_kind_are_refused(client):
    other_region = "arn:aws:sms-voice:eu-west-1:123456789012:opt-out-list/Default"
    response = aws_error(
        lambda: client.describe_opted_out_numbers(OptOutListName=other_region),
        "ValidationException",
        "INVALID_ARN",
    )
    assert field_names(response) == ["OptOutListName"]
    other_account = "arn:aws:sms-voice:us-east-1:111122223333:opt-out-list/Default"
    aws_error(
        lambda: client.put_opted_out_number(
            OptOutListName=other_account, OptedOutNumber="+14255550100"
        ),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId=other_account,
    )
    wrong_kind = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:configuration-set/Default"
    aws_error(
        lambda: client.delete_opt_out_list(OptOutListName=wrong_kind),
        "ValidationException",
        "INVALID_ARN",
    )
    assert _numbers(client, "Default") == []


def test_describe_by_names_and_arns_in_creation_order(client):
    for name in ("a", "b", "c"):
        client.create_opt_out_list(OptOutListName=name)
    assert _lists(client, OptOutListNames=["c", ARN + "a", "c"]) == ["a", "c"]
    aws_error(
        lambda: client.describe_opt_out_lists(OptOutListNames=["a", "missing"]),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId="missing",
    )
    response = aws_error(
        lambda: client.describe_opt_out_lists(OptOutListNames=["a"] * 6),
        "ValidationException",
        "FIELD_VALIDATION_FAILED",
    )
    assert field_names(response) == ["OptOutListNames"]


def test_owner_filter_and_its_exclusion_with_names(client):
    client.create_opt_out_list(OptOutListName="mine")
    assert _lists(client, Owner="SELF") == ["Default", "mine"]
    assert _lists(client, Owner="SHARED") == []
    response = aws_error(
        lambda: client.describe_opt_out_lists(OptOutListNames=["mine"], Owner="SELF"),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert set(field_names(response)) == {"Owner", "OptOutListNames"}


def test_lists_page_with_max_results_and_the_paginator(client):
    names = [f"list-{i}" for i in range(6)]
    for name in names:
        client.create_opt_out_list(OptOutListName=name)
    first = client.describe_opt_out_lists(MaxResults=4)
    assert [o["OptOutListName"] for o in first["OptOutLists"]] == ["Default", *names[:3]]
    rest = client.describe_opt_out_lists(MaxResults=4, NextToken=first["NextToken"])
    assert [o["OptOutListName"] for o in rest["OptOutLists"]] == names[3:]
    assert "NextToken" not in rest
    pages = list(
        client.get_paginator("describe_opt_out_lists").paginate(PaginationConfig={"PageSize": 2})
    )
    assert [len(p["OptOutLists"]) for p in pages] == [2, 2, 2, 1]
    assert [o["OptOutListName"] for p in pages for o in p["OptOutLists"]] == ["Default", *names]


# -- opted-out numbers ----------------------------------------------------------------------


def test_put_normalises_the_number_and_marks_it_not_end_user(client, sandbox):
    client.create_opt_out_list(OptOutListName="promo")
    put = client.put_opted_out_number(OptOutListName=ARN + "promo", OptedOutNumber="14255550100")
    assert put["OptOutListName"] == "promo"
    assert put["OptOutListArn"] == ARN + "promo"
    assert put["OptedOutNumber"] == "+14255550100"
    assert put["EndUserOptedOut"] is False
    sandbox.advance(3600)
    again = client.put_opted_out_number(OptOutListName="promo", OptedOutNumber="+14255550100")
    assert again["OptedOutTimestamp"] == put["OptedOutTimestamp"]
    listed = client.describe_opted_out_numbers(OptOutListName="promo")["OptedOutNumbers"]
    assert listed == [
        {
            "OptedOutNumber": "+14255550100",
            "OptedOutTimestamp": put["OptedOutTimestamp"],
            "EndUserOptedOut": False,
        }
    ]


def test_put_refuses_unknown_lists_and_malformed_numbers(client):
    aws_error(
        lambda: client.put_opted_out_number(OptOutListName="nope", OptedOutNumber="+14255550100"),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId="nope",
    )
    response = aws_error(
        lambda: client.put_opted_out_number(OptOutListName="Default", OptedOutNumber="+0123"),
        "ValidationException",
        "FIELD_VALIDATION_FAILED",
    )
    assert field_names(response) == ["OptedOutNumber"]
    assert _numbers(client, "Default") == []


def test_delete_opted_out_number_returns_the_entry(client):
    put = client.put_opted_out_number(OptOutListName="Default", OptedOutNumber="+447700900123")
    deleted = client.delete_opted_out_number(
        OptOutListName=ARN + "Default", OptedOutNumber="447700900123"
    )
    assert deleted["OptedOutNumber"] == "+447700900123"
    assert deleted["OptOutListName"] == "Default"
    assert deleted["OptOutListArn"] == ARN + "Default"
    assert deleted["OptedOutTimestamp"] == put["OptedOutTimestamp"]
    assert deleted["EndUserOptedOut"] is False
    assert _numbers(client, "Default") == []


def test_delete_of_an_unknown_number_or_list_is_not_found(client):
    aws_error(
        lambda: client.delete_opted_out_number(
            OptOutListName="Default", OptedOutNumber="14255550100"
        ),
        "ResourceNotFoundException",
        ResourceType="opted-out-number",
        ResourceId="+14255550100",
    )
    aws_error(
        lambda: client.delete_opted_out_number(OptOutListName="nope", OptedOutNumber="14255550100"),
        "ResourceNotFoundException",
        ResourceType="opt-out-list",
        ResourceId="nope",
    )


def test_a_number_can_be_deleted_from_a_list_only_once_every_30_days(client, sandbox):
    number = "+14255550111"
    client.create_opt_out_list(OptOutListName="other")
    for name in ("Default", "other"):
        client.put_opted_out_number(OptOutListName=name, OptedOutNumber=number)
    client.delete_opted_out_number(OptOutListName="Default", OptedOutNumber=number)
    sandbox.advance(10 * DAY)
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=number)
    response = aws_error(
        lambda: client.delete_opted_out_number(OptOutListName="Default", OptedOutNumber=number),
        "ValidationException",
        "PHONE_NUMBER_CANNOT_BE_OPTED_IN",
    )
    assert field_names(response) == ["OptedOutNumber"]
    assert _numbers(client, "Default") == [number]
    # the rule is per list
    assert client.delete_opted_out_number(OptOutListName="other", OptedOutNumber=number)
    sandbox.advance(20 * DAY - 60)
    aws_error(
        lambda: client.delete_opted_out_number(OptOutListName="Default", OptedOutNumber=number),
        "ValidationException",
        "PHONE_NUMBER_CANNOT_BE_OPTED_IN",
    )
    sandbox.advance(120)
    client.delete_opted_out_number(OptOutListName="Default", OptedOutNumber=number)
    assert _numbers(client, "Default") == []


def test_describe_named_numbers_with_or_without_plus(client):
    for n in ("+14255550101", "+14255550102", "+14255550103"):
        client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=n)
    named = _numbers(client, "Default", OptedOutNumbers=["14255550103", "+14255550101"])
    assert named == ["+14255550101", "+14255550103"]
    aws_error(
        lambda: client.describe_opted_out_numbers(
            OptOutListName="Default", OptedOutNumbers=["+14255550101", "+14255550199"]
        ),
        "ResourceNotFoundException",
        ResourceType="opted-out-number",
        ResourceId="+14255550199",
    )


def test_end_user_filter_and_list_context_on_every_page(client, sandbox):
    numbers = [f"+1425555{i:04d}" for i in range(5)]
    with sandbox.admin() as ctx:
        for i, n in enumerate(numbers):
            opt_out(ctx, "Default", n, end_user=i % 2 == 0)
    by_user = _numbers(
        client, "Default", Filters=[{"Name": "end-user-opted-out", "Values": ["true"]}]
    )
    assert by_user == numbers[0::2]
    by_api = _numbers(
        client, "Default", Filters=[{"Name": "end-user-opted-out", "Values": ["false"]}]
    )
    assert by_api == numbers[1::2]
    aws_error(
        lambda: client.describe_opted_out_numbers(
            OptOutListName="Default", Filters=[{"Name": "end-user-opted-out", "Values": ["yes"]}]
        ),
        "ValidationException",
        "INVALID_FILTER_VALUES",
    )
    pages = list(
        client.get_paginator("describe_opted_out_numbers").paginate(
            OptOutListName=ARN + "Default", PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["OptedOutNumbers"]) for p in pages] == [2, 2, 1]
    assert all(p["OptOutListName"] == "Default" for p in pages)
    assert all(p["OptOutListArn"] == ARN + "Default" for p in pages)
    assert [n["OptedOutNumber"] for p in pages for n in p["OptedOutNumbers"]] == numbers


# -- helpers sending and replies use ----------------------------------------------------------


def test_helpers_record_end_user_opt_outs_and_opt_ins(client, sandbox):
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber="+14255550100")
    with sandbox.admin() as ctx:
        assert is_opted_out(ctx, "Default", "14255550100")
        assert not is_opted_out(ctx, "Default", "+14255550101")
        entry = opt_out(ctx, "Default", "14255550100", end_user=True)
        assert entry["EndUserOptedOut"] is True
        opt_out(ctx, "Default", "+14255550101", end_user=True)
    listed = client.describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"]
    assert [(n["OptedOutNumber"], n["EndUserOptedOut"]) for n in listed] == [
        ("+14255550100", True),
        ("+14255550101", True),
    ]
    # an API put never downgrades an end user's own opt-out
    again = client.put_opted_out_number(OptOutListName="Default", OptedOutNumber="+14255550101")
    assert again["EndUserOptedOut"] is True
    # the end user's own opt-in is not bound by the API's 30-day rule
    client.delete_opted_out_number(OptOutListName="Default", OptedOutNumber="+14255550100")
    with sandbox.admin() as ctx:
        opt_out(ctx, "Default", "+14255550100", end_user=True)
        assert opt_in(ctx, "Default", "+14255550100") is True
        assert opt_in(ctx, "Default", "+14255550100") is False
        assert not is_opted_out(ctx, "Default", "+14255550100")
    assert _numbers(client, "Default") == ["+14255550101"]


def test_opt_out_helper_refuses_an_unknown_list(sandbox):
    from ppv2kit.sandbox.errors import ServiceError

    with pytest.raises(ServiceError) as info, sandbox.admin() as ctx:
        opt_out(ctx, "nope", "+14255550100", end_user=True)
    assert info.value.members == {"ResourceType": "opt-out-list", "ResourceId": "nope"}
