"""ClientToken idempotency (ADR 0004) on the create operations, through both transports."""

from __future__ import annotations

import json

import pytest

from tests.support import aws_error, field_names

SNS = {"TopicArn": "arn:aws:sns:us-east-1:123456789012:sms-events"}


def _strip(response):
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _opt_out_lists(client):
    return [o["OptOutListName"] for o in client.describe_opt_out_lists()["OptOutLists"]]


def _configuration_sets(client):
    sets = client.describe_configuration_sets()["ConfigurationSets"]
    return {c["ConfigurationSetName"]: c["EventDestinations"] for c in sets}


def test_create_opt_out_list_replays_the_first_response(client, sandbox):
    first = client.create_opt_out_list(
        OptOutListName="promo", Tags=[{"Key": "a", "Value": "1"}], ClientToken="token-1"
    )
    sandbox.advance(60)
    again = client.create_opt_out_list(
        OptOutListName="promo", Tags=[{"Key": "a", "Value": "1"}], ClientToken="token-1"
    )
    assert _strip(again) == _strip(first)
    assert _opt_out_lists(client) == ["Default", "promo"]
    # without the token the same call is a new request, and the name is taken
    aws_error(
        lambda: client.create_opt_out_list(
            OptOutListName="promo", Tags=[{"Key": "a", "Value": "1"}]
        ),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
    )


def test_create_configuration_set_replays_the_first_response(client):
    first = client.create_configuration_set(ConfigurationSetName="main", ClientToken="cs-token")
    again = client.create_configuration_set(ConfigurationSetName="main", ClientToken="cs-token")
    assert _strip(again) == _strip(first)
    assert _configuration_sets(client) == {"main": []}
    limits = client.describe_account_limits()["AccountLimits"]
    assert next(x["Used"] for x in limits if x["Name"] == "CONFIGURATION_SETS") == 1


def test_create_event_destination_replays_without_adding_a_second(client):
    client.create_configuration_set(ConfigurationSetName="main")
    params = dict(
        ConfigurationSetName="main",
        EventDestinationName="sns",
        MatchingEventTypes=["ALL"],
        SnsDestination=SNS,
        ClientToken="dest-token",
    )
    first = client.create_event_destination(**params)
    client.update_event_destination(
        ConfigurationSetName="main", EventDestinationName="sns", Enabled=False
    )
    again = client.create_event_destination(**params)
    assert _strip(again) == _strip(first)
    assert again["EventDestination"]["Enabled"] is True  # the original answer, not today's state
    destinations = _configuration_sets(client)["main"]
    assert [(d["EventDestinationName"], d["Enabled"]) for d in destinations] == [("sns", False)]


@pytest.mark.parametrize(
    ("create", "other"),
    [
        (
            lambda c, t: c.create_opt_out_list(OptOutListName="a", ClientToken=t),
            lambda c, t: c.create_opt_out_list(OptOutListName="b", ClientToken=t),
        ),
        (
            lambda c, t: c.create_configuration_set(ConfigurationSetName="a", ClientToken=t),
            lambda c, t: c.create_configuration_set(
                ConfigurationSetName="a", Tags=[{"Key": "k", "Value": "v"}], ClientToken=t
            ),
        ),
        (
            lambda c, t: c.create_event_destination(
                ConfigurationSetName="base",
                EventDestinationName="d",
                MatchingEventTypes=["ALL"],
                SnsDestination=SNS,
                ClientToken=t,
            ),
            lambda c, t: c.create_event_destination(
                ConfigurationSetName="base",
                EventDestinationName="d",
                MatchingEventTypes=["TEXT_ALL"],
                SnsDestination=SNS,
                ClientToken=t,
            ),
        ),
    ],
    ids=["opt-out-list", "configuration-set", "event-destination"],
)
def test_the_same_token_with_other_parameters_is_refused(client, create, other):
    client.create_configuration_set(ConfigurationSetName="base")
    create(client, "shared-token")
    lists, sets = _opt_out_lists(client), _configuration_sets(client)
    response = aws_error(
        lambda: other(client, "shared-token"), "ValidationException", "INVALID_PARAMETER"
    )
    assert field_names(response) == ["ClientToken"]
    assert (_opt_out_lists(client), _configuration_sets(client)) == (lists, sets)


def test_a_failed_request_with_a_token_can_be_retried(client):
    params = dict(
        ConfigurationSetName="later",
        EventDestinationName="sns",
        MatchingEventTypes=["ALL"],
        SnsDestination=SNS,
        ClientToken="retry-me",
    )
    aws_error(
        lambda: client.create_event_destination(**params),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
    )
    client.create_configuration_set(ConfigurationSetName="later")
    created = client.create_event_destination(**params)
    assert created["EventDestination"]["EventDestinationName"] == "sns"
    assert [d["EventDestinationName"] for d in _configuration_sets(client)["later"]] == ["sns"]


def test_a_token_refused_by_a_quota_can_be_retried(client, sandbox):
    sandbox.set_account_limit("OPT_OUT_LISTS", 1)

    def call():
        return client.create_opt_out_list(OptOutListName="more", ClientToken="quota")

    aws_error(call, "ServiceQuotaExceededException", "OPT_OUT_LISTS_PER_ACCOUNT")
    sandbox.set_account_limit("OPT_OUT_LISTS", 2)
    assert call()["OptOutListName"] == "more"
    assert call()["OptOutListName"] == "more"
    assert _opt_out_lists(client) == ["Default", "more"]


def test_a_replay_after_delete_answers_the_original_and_creates_nothing(client):
    first = client.create_opt_out_list(OptOutListName="once", ClientToken="once-token")
    client.delete_opt_out_list(OptOutListName="once")
    again = client.create_opt_out_list(OptOutListName="once", ClientToken="once-token")
    assert _strip(again) == _strip(first)
    assert _opt_out_lists(client) == ["Default"]


def test_tokens_are_scoped_to_operation_account_and_region(make_client):
    home = make_client()
    elsewhere = make_client(region="eu-west-1")
    other_account = make_client(account="111122223333")
    home.create_opt_out_list(OptOutListName="x", ClientToken="same")
    home.create_configuration_set(ConfigurationSetName="x", ClientToken="same")
    elsewhere.create_opt_out_list(OptOutListName="y", ClientToken="same")
    other_account.create_opt_out_list(OptOutListName="z", ClientToken="same")
    assert _opt_out_lists(home) == ["Default", "x"]
    assert _opt_out_lists(elsewhere) == ["Default", "y"]
    assert _opt_out_lists(other_account) == ["Default", "z"]
    assert list(_configuration_sets(home)) == ["x"]


def test_botocore_fills_a_fresh_token_so_plain_retries_are_new_requests(client):
    tokens = []
    client.meta.events.register(
        "before-call.*.CreateConfigurationSet",
        lambda params, **_: tokens.append(json.loads(params["body"]).get("ClientToken")),
    )
    client.create_configuration_set(ConfigurationSetName="auto")
    aws_error(
        lambda: client.create_configuration_set(ConfigurationSetName="auto"),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        ResourceId="auto",
    )
    # botocore put a token in each request, a different one each time.
    assert len(tokens) == 2 and all(tokens) and tokens[0] != tokens[1]
