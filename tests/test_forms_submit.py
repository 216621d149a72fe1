"""Forms end to end against the sandbox, through the kit and unmodified boto3.

Each test needs some operations in the sandbox; while one is not emulated yet the test skips
and says which (they light up as the handlers land). The seed release's 32 non-paginated calls
each succeed and fail through their forms with a clear message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import botocore.exceptions
import pandas as pd
import pytest

import ppv2kit
from ppv2kit import forms, model
from ppv2kit.forms.results import CODE_WORDS
from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.coverage import SEED_RELEASE

SIMULATOR_OK = "+14254147755"
TOPIC = "arn:aws:sns:us-east-1:123456789012:events"


def make_kit(sandbox: Sandbox) -> Any:
    """A kit on the sandbox."""
    return ppv2kit.connect(sandbox=sandbox)


def form_of(kit: Any, operation: str) -> forms.Form:
    """``kit.form(operation)``."""
    return kit.form(operation)


def needs(kit: Any, *operations: str) -> None:
    """Fail (saying which) when the sandbox does not emulate one of ``operations``."""
    missing = [o for o in operations if o not in kit.sandbox.operations()]
    if missing:
        pytest.fail(f"the sandbox does not emulate {', '.join(missing)} yet")


def message_log(kit: Any) -> pd.DataFrame:
    """The sandbox's message log."""
    return kit.sandbox.messages()


class Spy:
    """Wraps ``kit.call`` to count calls (and optionally fail after the call went through)."""

    def __init__(self, kit: Any, lose_first_answer: bool = False) -> None:
        self.kit, self.calls, self.lose = kit, [], lose_first_answer
        self.real = kit.call
        kit.call = self

    def __call__(self, operation: str, region: str | None = None, **params: Any) -> Any:
        self.calls.append((operation, params))
        response = self.real(operation, region=region, **params)
        if self.lose:
            self.lose = False
            raise botocore.exceptions.ReadTimeoutError(endpoint_url="https://sandbox")
        return response


@pytest.fixture
def kit(sandbox: Sandbox) -> Any:
    return make_kit(sandbox)


def request_number(kit: Any, **extra: Any) -> dict[str, Any]:
    params = {
        "IsoCountryCode": "US",
        "MessageType": "TRANSACTIONAL",
        "NumberCapabilities": ["SMS"],
        "NumberType": "SIMULATOR",
        **extra,
    }
    return kit.call("RequestPhoneNumber", **params)


@pytest.fixture
def world(kit: Any) -> dict[str, Any]:
    """Numbers a (in a pool), b and c, configuration set cs1 with destination ed1, list1..."""
    needs(
        kit,
        "RequestPhoneNumber",
        "CreatePool",
        "CreateConfigurationSet",
        "CreateEventDestination",
        "CreateOptOutList",
        "PutOptedOutNumber",
        "PutKeyword",
    )
    w: dict[str, Any] = {"kit": kit}
    for name in ("a", "b", "c"):
        number = request_number(kit)
        w[name], w[f"{name}_arn"] = number["PhoneNumberId"], number["PhoneNumberArn"]
        w[f"{name}_e164"] = number["PhoneNumber"]
    w["pool"] = kit.call("CreatePool", OriginationIdentity=w["a"], MessageType="TRANSACTIONAL")[
        "PoolId"
    ]
    kit.call("CreateConfigurationSet", ConfigurationSetName="cs1")
    kit.call(
        "CreateEventDestination",
        ConfigurationSetName="cs1",
        EventDestinationName="ed1",
        MatchingEventTypes=["ALL"],
        SnsDestination={"TopicArn": TOPIC},
    )
    kit.call("CreateOptOutList", OptOutListName="list1")
    kit.call("PutOptedOutNumber", OptOutListName="list1", OptedOutNumber="+12065550111")
    kit.call("PutKeyword", OriginationIdentity=w["b"], Keyword="INFO", KeywordMessage="Info")
    kit.sandbox.add_sender_id("MYBRAND", "GB")
    return w


# -- the seed release's 32 non-paginated calls -------------------------------------------------

Values = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Scenario:
    ok: Values
    bad: Values | None = None
    code: str = ""
    reason: str | None = None
    field: str | None = None


NOPE_POOL = "pool-00000000000000000000000000000000"
NOPE_PHONE = "phone-00000000000000000000000000000000"


def _voice_number(w: dict[str, Any]) -> str:
    return request_number(w["kit"], NumberType="TOLL_FREE", NumberCapabilities=["SMS", "VOICE"])[
        "PhoneNumberId"
    ]


SEED: dict[str, Scenario] = {
    "AssociateOriginationIdentity": Scenario(
        lambda w: {"PoolId": w["pool"], "OriginationIdentity": w["c"]},
        lambda w: {"PoolId": NOPE_POOL, "OriginationIdentity": w["c"]},
        "ResourceNotFoundException",
        field="PoolId",
    ),
    "CreateConfigurationSet": Scenario(
        lambda w: {"ConfigurationSetName": "cs2", "Tags": [{"Key": "team", "Value": "ops"}]},
        lambda w: {"ConfigurationSetName": "cs1"},
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        "ConfigurationSetName",
    ),
    "CreateEventDestination": Scenario(
        lambda w: {
            "ConfigurationSetName": "cs1",
            "EventDestinationName": "ed2",
            "MatchingEventTypes": ["TEXT_DELIVERED"],
            "SnsDestination": {"TopicArn": TOPIC},
        },
        lambda w: {
            "ConfigurationSetName": "nope",
            "EventDestinationName": "ed2",
            "MatchingEventTypes": ["ALL"],
            "SnsDestination": {"TopicArn": TOPIC},
        },
        "ResourceNotFoundException",
        field="ConfigurationSetName",
    ),
    "CreateOptOutList": Scenario(
        lambda w: {"OptOutListName": "list2"},
        lambda w: {"OptOutListName": "list1"},
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        "OptOutListName",
    ),
    "CreatePool": Scenario(
        lambda w: {
            "OriginationIdentity": w["c"],
            "MessageType": "TRANSACTIONAL",
            "DeletionProtectionEnabled": False,
        },
        lambda w: {"OriginationIdentity": NOPE_PHONE, "MessageType": "TRANSACTIONAL"},
        "ResourceNotFoundException",
        field="OriginationIdentity",
    ),
    "DeleteConfigurationSet": Scenario(
        lambda w: {"ConfigurationSetName": "cs1"},
        lambda w: {"ConfigurationSetName": "nope"},
        "ResourceNotFoundException",
        field="ConfigurationSetName",
    ),
    "DeleteDefaultMessageType": Scenario(
        lambda w: {"ConfigurationSetName": "cs1"},
        lambda w: {"ConfigurationSetName": "nope"},
        "ResourceNotFoundException",
        field="ConfigurationSetName",
    ),
    "DeleteDefaultSenderId": Scenario(
        lambda w: {"ConfigurationSetName": "cs1"},
        lambda w: {"ConfigurationSetName": "nope"},
        "ResourceNotFoundException",
        field="ConfigurationSetName",
    ),
    "DeleteEventDestination": Scenario(
        lambda w: {"ConfigurationSetName": "cs1", "EventDestinationName": "ed1"},
        lambda w: {"ConfigurationSetName": "cs1", "EventDestinationName": "nope"},
        "ResourceNotFoundException",
        field="EventDestinationName",
    ),
    "DeleteKeyword": Scenario(
        lambda w: {"OriginationIdentity": w["b"], "Keyword": "INFO"},
        lambda w: {"OriginationIdentity": w["b"], "Keyword": "HELP"},
        "ConflictException",
        "RESOURCE_DELETION_NOT_ALLOWED",
    ),
    "DeleteOptOutList": Scenario(
        lambda w: {"OptOutListName": "list1"},
        lambda w: {"OptOutListName": "nope"},
        "ResourceNotFoundException",
        field="OptOutListName",
    ),
    "DeleteOptedOutNumber": Scenario(
        lambda w: {"OptOutListName": "list1", "OptedOutNumber": "+12065550111"},
        lambda w: {"OptOutListName": "list1", "OptedOutNumber": "+12065550199"},
        "ResourceNotFoundException",
        field="OptedOutNumber",
    ),
    "DeletePool": Scenario(
        lambda w: {"PoolId": w["pool"]},
        lambda w: {"PoolId": NOPE_POOL},
        "ResourceNotFoundException",
        field="PoolId",
    ),
    "DeleteTextMessageSpendLimitOverride": Scenario(lambda w: {}),
    "DeleteVoiceMessageSpendLimitOverride": Scenario(lambda w: {}),
    "DisassociateOriginationIdentity": Scenario(
        lambda w: (
            w["kit"].call(
                "AssociateOriginationIdentity", PoolId=w["pool"], OriginationIdentity=w["c"]
            )
            and {"PoolId": w["pool"], "OriginationIdentity": w["c"]}
        ),
        lambda w: {"PoolId": w["pool"], "OriginationIdentity": w["a"]},
        "ConflictException",
        "LAST_PHONE_NUMBER",
        "OriginationIdentity",
    ),
    "ListTagsForResource": Scenario(
        lambda w: {"ResourceArn": w["b_arn"]},
        lambda w: {"ResourceArn": w["b_arn"].replace(w["b"], NOPE_PHONE)},
        "ResourceNotFoundException",
        field="ResourceArn",
    ),
    "PutKeyword": Scenario(
        lambda w: {
            "OriginationIdentity": w["pool"],
            "Keyword": "JOIN",
            "KeywordMessage": "Welcome!",
            "KeywordAction": "OPT_IN",
        },
        lambda w: {
            "OriginationIdentity": NOPE_PHONE,
            "Keyword": "JOIN",
            "KeywordMessage": "Welcome!",
        },
        "ResourceNotFoundException",
        field="OriginationIdentity",
    ),
    "PutOptedOutNumber": Scenario(
        lambda w: {"OptOutListName": "list1", "OptedOutNumber": "+12065550123"},
        lambda w: {"OptOutListName": "nope", "OptedOutNumber": "+12065550123"},
        "ResourceNotFoundException",
        field="OptOutListName",
    ),
    "ReleasePhoneNumber": Scenario(
        lambda w: {"PhoneNumberId": w["b"]},
        lambda w: {"PhoneNumberId": w["a"]},
        "ConflictException",
        "PHONE_NUMBER_ASSOCIATED_TO_POOL",
        "PhoneNumberId",
    ),
    "RequestPhoneNumber": Scenario(
        lambda w: {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "SIMULATOR",
            "OptOutListName": "list1",
        },
        lambda w: {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "SIMULATOR",
            "PoolId": NOPE_POOL,
        },
        "ResourceNotFoundException",
        field="PoolId",
    ),
    "SendTextMessage": Scenario(
        lambda w: {
            "DestinationPhoneNumber": SIMULATOR_OK,
            "OriginationIdentity": w["b"],
            "MessageBody": "Your code is 123456",
            "DryRun": False,
        },
        lambda w: {
            "DestinationPhoneNumber": SIMULATOR_OK,
            "OriginationIdentity": NOPE_PHONE,
            "MessageBody": "Your code is 123456",
            "DryRun": False,
        },
        "ResourceNotFoundException",
        field="OriginationIdentity",
    ),
    "SendVoiceMessage": Scenario(
        lambda w: {
            "DestinationPhoneNumber": SIMULATOR_OK,
            "OriginationIdentity": _voice_number(w),
            "MessageBody": "Hello",
            "DryRun": False,
        },
        lambda w: {
            "DestinationPhoneNumber": SIMULATOR_OK,
            "OriginationIdentity": NOPE_PHONE,
            "MessageBody": "Hello",
            "DryRun": False,
        },
        "ResourceNotFoundException",
        field="OriginationIdentity",
    ),
    "SetDefaultMessageType": Scenario(
        lambda w: {"ConfigurationSetName": "cs1", "MessageType": "PROMOTIONAL"},
        lambda w: {"ConfigurationSetName": "nope", "MessageType": "PROMOTIONAL"},
        "ResourceNotFoundException",
        field="ConfigurationSetName",
    ),
    "SetDefaultSenderId": Scenario(
        lambda w: {"ConfigurationSetName": "cs1", "SenderId": "MYBRAND"},
        lambda w: {"ConfigurationSetName": "nope", "SenderId": "MYBRAND"},
        "ResourceNotFoundException",
        field="ConfigurationSetName",
    ),
    "SetTextMessageSpendLimitOverride": Scenario(
        lambda w: {"MonthlyLimit": 1},
        lambda w: {"MonthlyLimit": 5},
        "ValidationException",
        "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
        "MonthlyLimit",
    ),
    "SetVoiceMessageSpendLimitOverride": Scenario(
        lambda w: {"MonthlyLimit": 0},
        lambda w: {"MonthlyLimit": 50},
        "ValidationException",
        "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
        "MonthlyLimit",
    ),
    "TagResource": Scenario(
        lambda w: {"ResourceArn": w["b_arn"], "Tags": [{"Key": "env", "Value": "test"}]},
        lambda w: {
            "ResourceArn": w["b_arn"].replace(w["b"], NOPE_PHONE),
            "Tags": [{"Key": "env", "Value": "test"}],
        },
        "ResourceNotFoundException",
        field="ResourceArn",
    ),
    "UntagResource": Scenario(
        lambda w: {"ResourceArn": w["b_arn"], "TagKeys": ["env"]},
        lambda w: {"ResourceArn": w["b_arn"].replace(w["b"], NOPE_PHONE), "TagKeys": ["env"]},
        "ResourceNotFoundException",
        field="ResourceArn",
    ),
    "UpdateEventDestination": Scenario(
        lambda w: {"ConfigurationSetName": "cs1", "EventDestinationName": "ed1", "Enabled": False},
        lambda w: {"ConfigurationSetName": "cs1", "EventDestinationName": "nope", "Enabled": False},
        "ResourceNotFoundException",
        field="EventDestinationName",
    ),
    "UpdatePhoneNumber": Scenario(
        lambda w: {
            "PhoneNumberId": w["b"],
            "DeletionProtectionEnabled": True,
            "OptOutListName": "list1",
        },
        lambda w: {"PhoneNumberId": NOPE_PHONE, "DeletionProtectionEnabled": True},
        "ResourceNotFoundException",
        field="PhoneNumberId",
    ),
    "UpdatePool": Scenario(
        lambda w: {"PoolId": w["pool"], "DeletionProtectionEnabled": True},
        lambda w: {"PoolId": NOPE_POOL, "DeletionProtectionEnabled": True},
        "ResourceNotFoundException",
        field="PoolId",
    ),
}


def test_the_scenarios_cover_the_seed_release() -> None:
    # Every first-release operation that is not a paginated listing has a scenario.
    expected = {op for op in SEED_RELEASE if op not in model.load().paginators}
    assert set(SEED) == expected
    assert set(SEED) <= set(forms.form_operations())


@pytest.mark.parametrize("operation", sorted(SEED))
def test_seed_call_succeeds_through_its_form(operation: str, world: dict[str, Any]) -> None:
    kit = world["kit"]
    needs(kit, operation)
    form = form_of(kit, operation)
    form.load_pickers()
    form.set_value(SEED[operation].ok(world))
    response = form.submit(confirm=True)
    assert response is not None, form.error and form.error.text
    assert form.error is None
    assert "ppv2kit-response" in form.output.value
    assert f"{operation} succeeded" in form.output.value


@pytest.mark.parametrize("operation", sorted(o for o, s in SEED.items() if s.bad is not None))
def test_seed_call_fails_through_its_form_with_a_clear_message(
    operation: str, world: dict[str, Any]
) -> None:
    kit = world["kit"]
    needs(kit, operation)
    scenario = SEED[operation]
    assert scenario.bad is not None
    form = form_of(kit, operation)
    form.set_value(scenario.bad(world))
    assert form.submit(confirm=True) is None
    error = form.error
    assert error is not None and error.kind == "aws"
    assert error.code == scenario.code
    if scenario.reason:
        assert error.reason == scenario.reason
        assert scenario.reason in form.output.value
    assert CODE_WORDS[scenario.code] in error.text
    assert error.message and error.message in error.text
    assert "ppv2kit-error" in form.output.value
    if scenario.field:
        assert scenario.field in error.fields
        field = form.field(scenario.field)
        assert field.problems and "ppv2kit-invalid" in field.widget._dom_classes


# -- the scenarios of the issue ----------------------------------------------------------------


def test_create_a_pool_by_picking_a_number_by_its_readable_label(kit: Any) -> None:
    needs(kit, "RequestPhoneNumber", "CreatePool", "DescribePhoneNumbers", "DescribePools")
    number = request_number(kit)
    form = form_of(kit, "create_pool")
    form.load_pickers()
    picker = form.field("OriginationIdentity")
    label = f"{ppv2kit.sms.pretty(number['PhoneNumber'])} · SIMULATOR · US"
    assert label in picker.input.options
    picker.input.value = label  # what picking the option in the browser does
    form.set_value({"MessageType": "TRANSACTIONAL"})
    assert form.value["OriginationIdentity"] == number["PhoneNumberId"]
    response = form.submit()
    assert response is not None, form.error
    assert form.client_token, "CreatePool has an idempotency token: the form filled it"
    pools = kit.call("DescribePools")["Pools"]
    assert [p["PoolId"] for p in pools] == [response["PoolId"]]


def test_a_pool_is_offered_and_shown_by_its_name_tag(kit: Any) -> None:
    needs(kit, "RequestPhoneNumber", "CreatePool", "DescribePools", "ListTagsForResource")
    number = request_number(kit)
    pool = kit.call(
        "CreatePool",
        OriginationIdentity=number["PhoneNumberId"],
        MessageType="TRANSACTIONAL",
        Tags=[{"Key": "Name", "Value": "otp-test"}],
    )
    form = form_of(kit, "send_text_message")
    form.load_pickers()
    picker = form.field("OriginationIdentity")
    label = f"otp-test ({pool['PoolId']}) · TRANSACTIONAL · ACTIVE · pool"
    assert label in picker.input.options
    # Set from code by ID, the field shows the name; the request still carries the ID.
    form.set_value({"OriginationIdentity": pool["PoolId"]})
    assert picker.input.value == label
    assert form.value["OriginationIdentity"] == pool["PoolId"]
    # Also when the ID is set before the options are read (a form filled, then displayed).
    early = form_of(kit, "send_text_message")
    early.set_value({"OriginationIdentity": pool["PoolId"]})
    early.load_pickers()
    assert early.field("OriginationIdentity").input.value == label
    assert early.value["OriginationIdentity"] == pool["PoolId"]


def test_put_a_keyword_on_a_pool_or_a_number(world: dict[str, Any]) -> None:
    kit = world["kit"]
    needs(kit, "DescribeKeywords")
    form = form_of(kit, "PutKeyword")
    form.load_pickers()
    kinds = {o.kind for o in form.field("OriginationIdentity").options}
    assert kinds == {"phone-number", "pool"}
    form.set_value(
        {
            "OriginationIdentity": world["pool"],
            "Keyword": "PROMO",
            "KeywordMessage": "Reply YES for offers",
            "KeywordAction": "AUTOMATIC_RESPONSE",
        }
    )
    assert form.submit() is not None, form.error
    keywords = kit.call("DescribeKeywords", OriginationIdentity=world["pool"])["Keywords"]
    assert "PROMO" in {k["Keyword"] for k in keywords}


def test_send_a_text_with_dry_run_then_for_real(world: dict[str, Any]) -> None:
    kit = world["kit"]
    needs(kit, "SendTextMessage")
    form = form_of(kit, "SendTextMessage")
    assert form.value == {"DryRun": True}, "DryRun is on by default"
    assert form.call_button.description == "Call (DryRun)"
    form.set_value(
        {
            "DestinationPhoneNumber": SIMULATOR_OK,
            "OriginationIdentity": world["b"],
            "MessageBody": "Dry run <b>test</b>",
        }
    )
    assert form.confirmation() is None, "a dry run sends nothing: no confirmation"
    assert form.submit() is not None, form.error
    assert len(message_log(kit)) == 0
    form.set_value({"DryRun": False, "MessageBody": "Hello for real"})
    assert form.submit() is None and form.error.kind == "confirmation"
    assert "1 recipient" in form.error.message
    assert len(message_log(kit)) == 0
    response = form.submit(confirm=True)
    assert response is not None, form.error
    log = message_log(kit)
    assert list(log["MessageId"]) == [response["MessageId"]]
    assert list(log["MessageBody"]) == ["Hello for real"]


def test_request_and_release_a_number_only_when_confirmed(kit: Any) -> None:
    needs(kit, "RequestPhoneNumber", "ReleasePhoneNumber", "DescribePhoneNumbers")
    request = form_of(kit, "RequestPhoneNumber")
    request.set_value(
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "SIMULATOR",
        }
    )
    assert request.submit() is None
    assert request.error.kind == "confirmation"
    assert "$1.00 a month" in request.error.message  # the sandbox's price list
    assert kit.call("DescribePhoneNumbers")["PhoneNumbers"] == []
    number = request.submit(confirm=True)
    assert number is not None and number["NumberType"] == "SIMULATOR"
    release = form_of(kit, "ReleasePhoneNumber")
    release.load_pickers()
    release.set_value({"PhoneNumberId": number["PhoneNumberId"]})
    text = release.confirmation()
    assert text is not None and "cannot be undone" in text
    assert ppv2kit.sms.pretty(number["PhoneNumber"]) in text, "the number is named readably"
    assert release.submit() is None and release.error.kind == "confirmation"
    assert release.submit(confirm=True) is not None, release.error
    listed = kit.call("DescribePhoneNumbers")["PhoneNumbers"]
    assert all(n["Status"] == "DELETED" for n in listed)


def test_spend_override_above_the_maximum_shows_the_reason(kit: Any) -> None:
    needs(kit, "SetTextMessageSpendLimitOverride")
    form = form_of(kit, "SetTextMessageSpendLimitOverride")
    form.set_value({"MonthlyLimit": 100})
    assert form.validate() == [], "within the model's range: only AWS knows the account maximum"
    assert form.submit() is None
    assert (form.error.code, form.error.reason) == (
        "ValidationException",
        "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
    )
    assert "above the account's maximum" in form.error.text
    assert form.field("MonthlyLimit").problems
    assert "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT" in form.output.value


def test_a_pattern_violation_is_caught_before_any_call(kit: Any) -> None:
    spy = Spy(kit)
    form = form_of(kit, "CreateOptOutList")
    form.set_value({"OptOutListName": "bad name!", "Tags": [{"Key": "", "Value": "v"}]})
    problems = {(p.path, p.rule) for p in form.validate()}
    assert ("OptOutListName", "pattern") in problems
    assert ("Tags[0].Key", "min") in problems
    assert form.submit() is None
    assert form.error.kind == "validation"
    assert spy.calls == []
    assert form.field("OptOutListName").problems
    assert form.field("Tags[0].Key").problems
    assert "nothing was sent" in form.output.value


def test_model_max_and_enum_rules_that_botocore_skips_are_checked(kit: Any) -> None:
    spy = Spy(kit)
    form = form_of(kit, "SetTextMessageSpendLimitOverride")
    form.set_value({"MonthlyLimit": 1_000_000_001})
    assert [(p.path, p.rule) for p in form.validate()] == [("MonthlyLimit", "max")]
    pool = form_of(kit, "CreatePool")
    pool.set_value({"OriginationIdentity": "phone-1", "MessageType": "LOUD"})
    assert [(p.path, p.rule) for p in pool.validate()] == [("MessageType", "enum")]
    assert pool.submit() is None and spy.calls == []


def test_a_double_click_on_call_sends_once(kit: Any) -> None:
    needs(kit, "CreateOptOutList")
    spy = Spy(kit)
    form = form_of(kit, "CreateOptOutList")
    form.set_value({"OptOutListName": "once"})
    form.call_button.click()
    form.call_button.click()
    assert len(spy.calls) == 1
    assert form.error is None and form.response is not None


def test_a_double_click_on_confirm_sends_once(kit: Any) -> None:
    needs(kit, "RequestPhoneNumber")
    spy = Spy(kit)
    form = form_of(kit, "RequestPhoneNumber")
    form.set_value(
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "SIMULATOR",
        }
    )
    form.call_button.click()
    assert spy.calls == [], "a costly call waits for the second confirmation"
    assert form.confirm_box.layout.display != "none"
    assert "a month" in form.confirm_text.value
    form.call_button.click()
    form.confirm_button.click()
    form.confirm_button.click()
    assert len(spy.calls) == 1
    assert form.confirm_box.layout.display == "none"


def test_cancel_sends_nothing(kit: Any) -> None:
    spy = Spy(kit)
    form = form_of(kit, "DeleteOptOutList")
    form.set_value({"OptOutListName": "list1"})
    form.call_button.click()
    assert "cannot be undone" in form.confirm_text.value
    form.cancel_button.click()
    form.confirm_button.click()
    assert spy.calls == []
    assert "Cancelled" in form.output.value


def test_a_retry_after_a_network_failure_reuses_the_client_token(kit: Any) -> None:
    needs(kit, "RequestPhoneNumber", "CreatePool")
    number = request_number(kit)
    spy = Spy(kit, lose_first_answer=True)  # the pool is created, the answer is lost
    form = form_of(kit, "CreatePool")
    form.set_value({"OriginationIdentity": number["PhoneNumberId"], "MessageType": "TRANSACTIONAL"})
    assert form.submit() is None
    assert form.error.kind == "network" and form.client_token in form.error.message
    first = form.client_token
    response = form.submit()
    assert response is not None, form.error
    assert [c[1]["ClientToken"] for c in spy.calls] == [first, first]
    assert len(kit.call("DescribePools")["Pools"]) == 1, "the retry did not create a second pool"
    form.submit()
    assert spy.calls[-1][1]["ClientToken"] != first, "a new submission gets a new token"


def test_event_destinations_are_offered_for_the_chosen_configuration_set(
    world: dict[str, Any],
) -> None:
    kit = world["kit"]
    kit.call("CreateConfigurationSet", ConfigurationSetName="other")
    form = form_of(kit, "DeleteEventDestination")
    form.load_pickers()
    form.set_value({"ConfigurationSetName": "other"})
    assert form.field("EventDestinationName").options == []
    form.set_value({"ConfigurationSetName": "cs1"})
    assert [o.value for o in form.field("EventDestinationName").options] == ["ed1"]


def test_picking_a_sender_id_fills_its_country(world: dict[str, Any]) -> None:
    kit = world["kit"]
    form = form_of(kit, "AssociateOriginationIdentity")
    form.load_pickers()
    picker = form.field("OriginationIdentity")
    label = next(o.label for o in picker.options if o.kind == "sender-id")
    picker.input.value = label
    assert form.value["OriginationIdentity"] == "MYBRAND"
    assert form.value["IsoCountryCode"] == "GB"


def test_resource_arn_pickers_offer_arns(world: dict[str, Any]) -> None:
    form = form_of(world["kit"], "TagResource")
    form.load_pickers()
    values = {o.value for o in form.field("ResourceArn").options}
    assert world["b_arn"] in values
    assert all(v.startswith("arn:") for v in values)


def test_pickers_tolerate_listing_errors_and_accept_a_typed_id(kit: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise botocore.exceptions.EndpointConnectionError(endpoint_url="https://x")

    kit.frame = broken
    form = form_of(kit, "DeletePool")
    assert form.load_pickers() == {"PoolId": 0}
    assert "could not list" in form.field("PoolId").help.value
    form.set_value({"PoolId": NOPE_POOL})
    assert form.value == {"PoolId": NOPE_POOL}


def test_a_listing_the_backend_does_not_offer_is_not_reported_as_an_error(kit: Any) -> None:
    # The sandbox does not emulate DescribeProtectConfigurations: the picker just offers typing.
    form = form_of(kit, "SendTextMessage")
    counts = form.load_pickers()
    assert counts["ProtectConfigurationId"] == 0
    assert "could not list" not in form.field("ProtectConfigurationId").help.value
    assert "could not list" not in form.field("OriginationIdentity").help.value


def test_values_and_aws_messages_are_escaped(world: dict[str, Any]) -> None:
    kit = world["kit"]
    needs(kit, "TagResource", "ListTagsForResource")
    markup = "<img src=x onerror=alert(1)>"
    kit.call("TagResource", ResourceArn=world["b_arn"], Tags=[{"Key": "note", "Value": markup}])
    form = form_of(kit, "ListTagsForResource")
    form.set_value({"ResourceArn": world["b_arn"]})
    assert form.submit() is not None
    assert markup not in form.output.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in form.output.value


def test_the_form_carries_stable_css_classes(kit: Any) -> None:
    form = form_of(kit, "SendTextMessage")
    assert {"ppv2kit-form", "ppv2kit-op-SendTextMessage"} <= set(form.widget._dom_classes)
    for button, cls in (
        (form.validate_button, "ppv2kit-validate"),
        (form.call_button, "ppv2kit-call"),
        (form.confirm_button, "ppv2kit-confirm"),
        (form.cancel_button, "ppv2kit-cancel"),
        (form.output, "ppv2kit-output"),
    ):
        assert cls in button._dom_classes
    assert (
        "ppv2kit-field-DestinationPhoneNumber"
        in form.field("DestinationPhoneNumber").widget._dom_classes
    )


def test_validate_button_reports_in_the_output(kit: Any) -> None:
    form = form_of(kit, "CreateOptOutList")
    form.validate_button.click()
    assert "OptOutListName" in form.output.value and "required" in form.output.value
    form.set_value({"OptOutListName": "good"})
    form.validate_button.click()
    assert "Valid" in form.output.value


def test_the_plan_explains_each_widget(kit: Any) -> None:
    plan = form_of(kit, "SendTextMessage").plan().set_index("field")
    assert plan.loc["DestinationPhoneNumber", "widget"] == "Text"
    assert plan.loc["OriginationIdentity", "widget"] == "Combobox"
    assert plan.loc["MessageType", "widget"] == "Dropdown"
    assert plan.loc["DryRun", "default"] is True
    assert plan.loc["Context{value}", "widget"] == "Textarea"  # up to 800 chars, lines
    assert "not set" in plan.loc["DryRun", "reason"]


def test_displaying_a_form_loads_its_pickers_and_renders_the_widget(world: dict[str, Any]) -> None:
    form = form_of(world["kit"], "DeletePool")
    assert form.field("PoolId").options == []
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert [o.value for o in form.field("PoolId").options] == [world["pool"]]


def test_forms_work_over_http_against_an_endpoint_without_sandbox_prices(
    sandbox: Sandbox,
) -> None:
    import boto3

    server = sandbox.serve()
    try:
        session = boto3.session.Session(
            aws_access_key_id="123456789012", aws_secret_access_key="x", region_name="us-east-1"
        )
        kit = ppv2kit.connect(session, endpoint_url=server.url)
        assert kit.backend == "ENDPOINT"
        needs(make_kit(sandbox), "RequestPhoneNumber", "SetTextMessageSpendLimitOverride")
        request = form_of(kit, "RequestPhoneNumber")
        request.set_value(
            {
                "IsoCountryCode": "US",
                "MessageType": "TRANSACTIONAL",
                "NumberCapabilities": ["SMS"],
                "NumberType": "SIMULATOR",
            }
        )
        text = request.confirmation()
        assert text is not None and "AWS console" in text and "$" not in text
        assert request.submit(confirm=True) is not None, request.error
        spend = form_of(kit, "SetTextMessageSpendLimitOverride").set_value({"MonthlyLimit": 7})
        assert spend.submit() is None
        assert spend.error.reason == "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT"
    finally:
        server.stop()
