"""The sandbox engine through both transports: wire format, validation, errors, paging, scoping."""

from __future__ import annotations

import json
import urllib.request

import boto3
import pytest

from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.errors import ServiceError
from tests.support import aws_error, field_names


def test_a_new_account_starts_in_the_sandbox_tier_with_one_dollar_limits(client):
    attrs = client.describe_account_attributes()["AccountAttributes"]
    assert attrs == [{"Name": "ACCOUNT_TIER", "Value": "SANDBOX"}]
    limits = {s["Name"]: s for s in client.describe_spend_limits()["SpendLimits"]}
    assert limits["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"] == {
        "Name": "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT",
        "EnforcedLimit": 1,
        "MaxLimit": 1,
        "Overridden": False,
    }
    assert set(limits) == set(client.meta.service_model.shape_for("SpendLimitName").enum)


def test_validation_names_every_failing_member_with_its_rule(client):
    response = aws_error(
        lambda: client.describe_phone_numbers(
            PhoneNumberIds=["has space", "x" * 300], MaxResults=100, Owner="NOBODY"
        ),
        "ValidationException",
        "FIELD_VALIDATION_FAILED",
    )
    names = field_names(response)
    assert names == ["PhoneNumberIds[0]", "PhoneNumberIds[1]", "Owner"]
    messages = " ".join(f["Message"] for f in response["Fields"])
    assert "regular expression" in messages and "less than or equal to 256" in messages
    assert "enum value set" in messages


def test_maximum_value_is_enforced_server_side(client):
    # botocore checks min but never max: the server must.
    response = aws_error(
        lambda: client.describe_spend_limits(MaxResults=101),
        "ValidationException",
        "FIELD_VALIDATION_FAILED",
    )
    assert field_names(response) == ["MaxResults"]


def test_every_sms_operation_is_emulated(client, sandbox):
    assert set(client.meta.service_model.operation_names) == set(sandbox.operations())


def test_not_emulated_operation_names_itself(make_client, sandbox):
    # Every SMS operation is emulated; CloudWatch's are not all (ADR 9): the path is the same.
    client = make_client(service="cloudwatch")
    missing = next(
        op
        for op in client.meta.service_model.operation_names
        if op not in sandbox.operations("cloudwatch")
        and not getattr(
            client.meta.service_model.operation_model(op).input_shape, "required_members", []
        )
    )
    method = getattr(client, boto3.session.botocore.xform_name(missing))
    shape = client.meta.service_model.operation_model(missing).input_shape
    required = {
        name: _minimal(shape.members[name]) for name in (shape.required_members if shape else [])
    }
    response = aws_error(lambda: method(**required), "NotImplementedException")
    assert missing in response["Error"]["Message"]


def _minimal(shape):
    if shape.type_name == "string":
        return shape.enum[0] if shape.enum else "a" * max(shape.metadata.get("min", 1), 1)
    if shape.type_name in ("integer", "long"):
        return shape.metadata.get("min", 1)
    if shape.type_name == "boolean":
        return True
    if shape.type_name == "list":
        return [_minimal(shape.member)]
    if shape.type_name == "map":
        return {}
    return {n: _minimal(shape.members[n]) for n in shape.required_members}


def test_next_token_is_opaque_signed_and_bound_to_its_request(client):
    first = client.describe_spend_limits(MaxResults=2)
    token = first["NextToken"]
    second = client.describe_spend_limits(MaxResults=2, NextToken=token)
    assert [s["Name"] for s in second["SpendLimits"]] != [s["Name"] for s in first["SpendLimits"]]
    forged = token[:-2] + ("00" if token[-2:] != "00" else "11")
    aws_error(
        lambda: client.describe_spend_limits(NextToken=forged),
        "ValidationException",
        "INVALID_NEXT_TOKEN",
    )
    aws_error(
        lambda: client.describe_account_limits(NextToken=token),
        "ValidationException",
        "INVALID_NEXT_TOKEN",
    )


def test_paginator_walks_every_page_in_stable_order(client):
    names = [
        s["Name"]
        for page in client.get_paginator("describe_spend_limits").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for s in page["SpendLimits"]
    ]
    assert names == list(client.meta.service_model.shape_for("SpendLimitName").enum)


def test_state_is_kept_per_account_and_region(make_client, sandbox):
    home = make_client()
    other_region = make_client(region="eu-west-1")
    other_account = make_client(account="111122223333")
    home.set_text_message_spend_limit_override(MonthlyLimit=0)
    assert _text_limit(home) == 0
    assert _text_limit(other_region) == 1
    assert _text_limit(other_account) == 1
    assert ("111122223333", "us-east-1") in sandbox.store.regions()
    assert sandbox.regions("123456789012") == ["eu-west-1", "us-east-1"]


def _text_limit(client):
    limits = client.describe_spend_limits()["SpendLimits"]
    return next(s["EnforcedLimit"] for s in limits if s["Name"].startswith("TEXT"))


def test_override_above_max_is_refused_and_delete_restores_max(client, sandbox):
    aws_error(
        lambda: client.set_text_message_spend_limit_override(MonthlyLimit=2),
        "ValidationException",
        "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
    )
    assert client.set_voice_message_spend_limit_override(MonthlyLimit=0)["MonthlyLimit"] == 0
    assert client.delete_voice_message_spend_limit_override()["MonthlyLimit"] == 1
    limits = {s["Name"]: s for s in client.describe_spend_limits()["SpendLimits"]}
    assert limits["VOICE_MESSAGE_MONTHLY_SPEND_LIMIT"]["EnforcedLimit"] == 1
    assert limits["VOICE_MESSAGE_MONTHLY_SPEND_LIMIT"]["Overridden"] is False


def test_every_spend_limit_kind_in_the_model_has_its_override_operations(sandbox):
    ops = sandbox.operations()
    for kind in ("Text", "Voice", "Media", "Notify", "Rcs"):
        assert f"Set{kind}MessageSpendLimitOverride" in ops
        assert f"Delete{kind}MessageSpendLimitOverride" in ops


def test_a_failed_request_changes_nothing(client, sandbox):
    aws_error(
        lambda: client.set_text_message_spend_limit_override(MonthlyLimit=5),
        "ValidationException",
    )
    # Not even the region's lazily created settings survive the refused request.
    assert sandbox.store.regions() == []
    assert _text_limit(client) == 1


def test_a_handler_bug_becomes_internal_server_exception_with_request_id(monkeypatch, client):
    from ppv2kit.sandbox.ops import account

    def broken(ctx, params):
        raise KeyError("boom")

    monkeypatch.setattr(account, "settings", broken)
    response = aws_error(lambda: client.describe_account_attributes(), "InternalServerException")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "Traceback" not in response["Error"]["Message"]


def _post(url, body: bytes, headers: dict[str, str]) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read())


SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=210987654321/20260101/ap-south-1/sms-voice/"
    "aws4_request, SignedHeaders=host, Signature=abc",
    "Content-Type": "application/x-amz-json-1.0",
}


@pytest.fixture
def server(sandbox):
    srv = sandbox.serve()
    yield srv
    srv.stop()


def test_http_error_body_carries_type_members_and_request_id(server):
    status, headers, body = _post(
        server.url,
        b'{"MonthlyLimit": 7}',
        {**SIGNED, "X-Amz-Target": "PinpointSMSVoiceV2.SetTextMessageSpendLimitOverride"},
    )
    assert status == 400
    assert body["__type"] == "ValidationException"
    assert body["Reason"] == "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT"
    assert body["Fields"][0]["Name"] == "MonthlyLimit"
    assert headers["x-amzn-RequestId"]


def test_http_caller_account_and_region_come_from_sigv4(server, sandbox):
    status, _, body = _post(
        server.url,
        b"{}",
        {**SIGNED, "X-Amz-Target": "PinpointSMSVoiceV2.DescribeAccountAttributes"},
    )
    assert status == 200 and body["AccountAttributes"][0]["Value"] == "SANDBOX"
    assert sandbox.store.regions() == [("210987654321", "ap-south-1")]


def test_direct_invoke_raises_service_errors():
    sb = Sandbox()
    with pytest.raises(ServiceError) as info:
        sb.invoke("SetTextMessageSpendLimitOverride", {"MonthlyLimit": 9})
    assert info.value.members["Reason"] == "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT"
    assert sb.invoke("DescribeAccountAttributes")["AccountAttributes"]
