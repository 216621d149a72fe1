"""ppv2kit.model: a small, faithful view of botocore's model."""

from __future__ import annotations

import botocore.session

from ppv2kit import model


def test_model_covers_every_operation_botocore_knows():
    m = model.load()
    raw = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")
    assert set(m.operation_names) == set(raw.operation_names)
    assert len(m.paginators) == 28
    assert m.target_prefix == "PinpointSMSVoiceV2"


def test_operation_names_resolve_from_model_or_snake_case():
    m = model.load()
    assert m.operation("describe_phone_numbers").name == "DescribePhoneNumbers"
    assert m.operation("DescribePhoneNumbers").snake_name == "describe_phone_numbers"


def test_members_expose_constraints_and_traits():
    op = model.load().operation("CreatePool")
    token = op.input.members["ClientToken"]
    assert token.idempotency_token and token.min == 1 and token.max == 64
    assert op.idempotency_token == "ClientToken"
    assert op.input.required == {"OriginationIdentity", "MessageType"}
    assert op.input.members["MessageType"].enum == ("TRANSACTIONAL", "PROMOTIONAL")
    assert "ConflictException" in op.errors
    send = model.load().operation("SendTextMessage").input
    assert send.members["DestinationPhoneNumber"].regex.fullmatch("+14255550100")
    assert send.members["MessageBody"].documentation.startswith("The body")


def test_paginators_carry_result_and_context_keys():
    p = model.load().operation("DescribeOptedOutNumbers").paginator
    assert p.result_key == "OptedOutNumbers"
    assert p.non_aggregate_keys == ("OptOutListArn", "OptOutListName")
    assert model.load().operation("SendTextMessage").paginator is None


def test_error_shapes_and_enums():
    m = model.load()
    assert "DESTINATION_PHONE_NUMBER_OPTED_OUT" in m.enums["ConflictExceptionReason"]
    assert set(m.error_shapes) >= {"ConflictException", "ValidationException"}
    assert m.error_shapes["ValidationException"].members["Fields"].member.required == {
        "Name",
        "Message",
    }


def test_walk_visits_nested_members_once():
    shape = model.load().operation("CreateEventDestination").output
    paths = [p for p, _ in shape.walk()]
    assert "EventDestination.SnsDestination.TopicArn" in paths
    assert len(paths) == len(set(paths))


def test_plain_text_strips_markup():
    assert model.plain_text("<p>A <code>b</code> &amp; c.</p><p>Next</p>") == "A b & c.\nNext"
