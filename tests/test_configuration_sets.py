"""Configuration sets, defaults and event destinations through both transports."""

from __future__ import annotations

import pytest

from ppv2kit.sandbox.errors import ServiceError
from ppv2kit.sandbox.ops.configuration_sets import destinations_for, find_configuration_set
from tests.support import aws_error, field_names

ACCOUNT = "123456789012"
ARN = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:configuration-set/"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/sms-events"
LOGS = {"IamRoleArn": ROLE, "LogGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:sms"}
FIREHOSE = {
    "IamRoleArn": ROLE,
    "DeliveryStreamArn": f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/sms",
}
SNS = {"TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:sms-events"}


def _sets(client, **params):
    page = client.describe_configuration_sets(**params)
    return [c["ConfigurationSetName"] for c in page["ConfigurationSets"]]


def _describe(client, name):
    return client.describe_configuration_sets(ConfigurationSetNames=[name])["ConfigurationSets"][0]


def _add(client, config_set, name, types=("ALL",), **target):
    target = target or {"SnsDestination": SNS}
    return client.create_event_destination(
        ConfigurationSetName=config_set,
        EventDestinationName=name,
        MatchingEventTypes=list(types),
        **target,
    )["EventDestination"]


def _used(client):
    limits = client.describe_account_limits()["AccountLimits"]
    return next(x["Used"] for x in limits if x["Name"] == "CONFIGURATION_SETS")


# -- configuration sets -----------------------------------------------------------------------


def test_a_new_set_has_no_defaults_and_no_destinations(client, sandbox):
    created = client.create_configuration_set(
        ConfigurationSetName="main", Tags=[{"Key": "env", "Value": "prod"}]
    )
    assert created["ConfigurationSetName"] == "main"
    assert created["ConfigurationSetArn"] == ARN + "main"
    assert created["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert created["CreatedTimestamp"].timestamp() == pytest.approx(sandbox.time(), abs=60)
    described = _describe(client, "main")
    assert described == {
        "ConfigurationSetArn": ARN + "main",
        "ConfigurationSetName": "main",
        "EventDestinations": [],
        "CreatedTimestamp": created["CreatedTimestamp"],
    }
    assert _used(client) == 1


def test_duplicate_name_is_a_conflict(client):
    client.create_configuration_set(ConfigurationSetName="main")
    aws_error(
        lambda: client.create_configuration_set(ConfigurationSetName="main"),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        ResourceType="configuration-set",
        ResourceId="main",
    )
    assert _sets(client) == ["main"]


def test_configuration_set_quota(client, sandbox):
    sandbox.set_account_limit("CONFIGURATION_SETS", 2)
    client.create_configuration_set(ConfigurationSetName="a")
    client.create_configuration_set(ConfigurationSetName="b")
    aws_error(
        lambda: client.create_configuration_set(ConfigurationSetName="c"),
        "ServiceQuotaExceededException",
        "CONFIGURATION_SETS_PER_ACCOUNT",
    )
    assert _sets(client) == ["a", "b"]
    client.delete_configuration_set(ConfigurationSetName="a")
    client.create_configuration_set(ConfigurationSetName="c")
    assert _sets(client) == ["b", "c"]


def test_delete_returns_the_set_with_its_destinations_and_defaults(client):
    created = client.create_configuration_set(ConfigurationSetName="old")
    client.set_default_message_type(ConfigurationSetName="old", MessageType="PROMOTIONAL")
    client.set_default_sender_id(ConfigurationSetName="old", SenderId="ACME")
    dest = _add(client, "old", "events", ["TEXT_DELIVERED"])
    deleted = client.delete_configuration_set(ConfigurationSetName=ARN + "old")
    deleted.pop("ResponseMetadata")
    assert deleted == {
        "ConfigurationSetArn": ARN + "old",
        "ConfigurationSetName": "old",
        "EventDestinations": [dest],
        "DefaultMessageType": "PROMOTIONAL",
        "DefaultSenderId": "ACME",
        "CreatedTimestamp": created["CreatedTimestamp"],
    }
    assert _sets(client) == []
    assert _used(client) == 0
    aws_error(
        lambda: client.delete_configuration_set(ConfigurationSetName="old"),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId="old",
    )
    client.create_configuration_set(ConfigurationSetName="old")
    assert _describe(client, "old")["EventDestinations"] == []


def test_describe_by_names_and_arns_and_unknown_names(client):
    for name in ("a", "b", "c"):
        client.create_configuration_set(ConfigurationSetName=name)
    assert _sets(client, ConfigurationSetNames=["c", ARN + "a"]) == ["a", "c"]
    aws_error(
        lambda: client.describe_configuration_sets(ConfigurationSetNames=["a", "zz"]),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId="zz",
    )
    other_region = f"arn:aws:sms-voice:eu-west-1:{ACCOUNT}:configuration-set/a"
    response = aws_error(
        lambda: client.describe_configuration_sets(ConfigurationSetNames=[other_region]),
        "ValidationException",
        "INVALID_ARN",
    )
    assert field_names(response) == ["ConfigurationSetNames[0]"]
    other_account = "arn:aws:sms-voice:us-east-1:111122223333:configuration-set/a"
    aws_error(
        lambda: client.delete_configuration_set(ConfigurationSetName=other_account),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId=other_account,
    )
    assert _sets(client) == ["a", "b", "c"]


def test_sets_page_with_max_results_and_the_paginator(client):
    names = [f"set-{i}" for i in range(5)]
    for name in names:
        client.create_configuration_set(ConfigurationSetName=name)
    first = client.describe_configuration_sets(MaxResults=3)
    assert [c["ConfigurationSetName"] for c in first["ConfigurationSets"]] == names[:3]
    rest = client.describe_configuration_sets(MaxResults=3, NextToken=first["NextToken"])
    assert [c["ConfigurationSetName"] for c in rest["ConfigurationSets"]] == names[3:]
    assert "NextToken" not in rest
    pages = list(
        client.get_paginator("describe_configuration_sets").paginate(
            PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["ConfigurationSets"]) for p in pages] == [2, 2, 1]


@pytest.fixture
def three_sets(client, sandbox):
    """``a``: SNS ALL, TRANSACTIONAL, sender ACME, feedback on; ``b``: logs for delivered and
    failed, PROMOTIONAL; ``c``: nothing but a protect configuration."""
    for name in ("a", "b", "c"):
        client.create_configuration_set(ConfigurationSetName=name)
    _add(client, "a", "sns", ["ALL"])
    _add(client, "b", "logs", ["TEXT_DELIVERED", "TEXT_BLOCKED"], CloudWatchLogsDestination=LOGS)
    client.set_default_message_type(ConfigurationSetName="a", MessageType="TRANSACTIONAL")
    client.set_default_message_type(ConfigurationSetName="b", MessageType="PROMOTIONAL")
    client.set_default_sender_id(ConfigurationSetName="a", SenderId="ACME")
    client.set_default_message_feedback_enabled(
        ConfigurationSetName="a", MessageFeedbackEnabled=True
    )
    with sandbox.admin() as ctx:  # no emulated call associates a protect configuration yet
        doc = ctx.store.get("configuration-set", "c")
        doc["ProtectConfigurationId"] = "protect-" + "0" * 32
        ctx.store.put("configuration-set", "c", doc)


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("event-destination-name", ["sns"], ["a"]),
        ("event-destination-name", ["sns", "logs"], ["a", "b"]),
        ("matching-event-types", ["TEXT_BLOCKED"], ["b"]),
        ("matching-event-types", ["ALL", "TEXT_DELIVERED"], ["a", "b"]),
        ("default-message-type", ["PROMOTIONAL"], ["b"]),
        ("default-sender-id", ["ACME"], ["a"]),
        ("default-message-feedback-enabled", ["true"], ["a"]),
        ("default-message-feedback-enabled", ["false"], ["b", "c"]),
        ("protect-configuration-id", ["protect-" + "0" * 32], ["c"]),
    ],
)
def test_every_configuration_set_filter(client, three_sets, name, values, expected):
    assert _sets(client, Filters=[{"Name": name, "Values": values}]) == expected


def test_filters_and_together_and_refuse_impossible_values(client, three_sets):
    both = [
        {"Name": "matching-event-types", "Values": ["ALL", "TEXT_DELIVERED"]},
        {"Name": "default-message-type", "Values": ["PROMOTIONAL"]},
    ]
    assert _sets(client, Filters=both) == ["b"]
    for name, value in [
        ("matching-event-types", "TEXT_NOPE"),
        ("default-message-type", "URGENT"),
        ("default-message-feedback-enabled", "maybe"),
    ]:
        response = aws_error(
            lambda name=name, value=value: client.describe_configuration_sets(
                Filters=[{"Name": name, "Values": [value]}]
            ),
            "ValidationException",
            "INVALID_FILTER_VALUES",
        )
        assert field_names(response) == ["Filters[0].Values"]


# -- defaults ---------------------------------------------------------------------------------


def test_default_message_type_set_and_delete(client):
    client.create_configuration_set(ConfigurationSetName="main")
    answer = client.set_default_message_type(ConfigurationSetName="main", MessageType="PROMOTIONAL")
    assert (answer["ConfigurationSetArn"], answer["MessageType"]) == (ARN + "main", "PROMOTIONAL")
    assert _describe(client, "main")["DefaultMessageType"] == "PROMOTIONAL"
    removed = client.delete_default_message_type(ConfigurationSetName=ARN + "main")
    assert removed["MessageType"] == "PROMOTIONAL"
    assert removed["ConfigurationSetName"] == "main"
    assert "DefaultMessageType" not in _describe(client, "main")
    assert "MessageType" not in client.delete_default_message_type(ConfigurationSetName="main")


def test_default_sender_id_set_and_delete_returns_the_removed_id(client):
    client.create_configuration_set(ConfigurationSetName="main")
    answer = client.set_default_sender_id(ConfigurationSetName="main", SenderId="MyBrand")
    assert (answer["ConfigurationSetName"], answer["SenderId"]) == ("main", "MyBrand")
    client.set_default_sender_id(ConfigurationSetName="main", SenderId="Other")
    assert _describe(client, "main")["DefaultSenderId"] == "Other"
    removed = client.delete_default_sender_id(ConfigurationSetName="main")
    assert removed["SenderId"] == "Other"
    assert "DefaultSenderId" not in _describe(client, "main")
    aws_error(
        lambda: client.set_default_sender_id(
            ConfigurationSetName="main", SenderId="TOO-LONG-SENDER"
        ),
        "ValidationException",
        "FIELD_VALIDATION_FAILED",
    )


def test_default_message_feedback_enabled(client):
    client.create_configuration_set(ConfigurationSetName="main")
    answer = client.set_default_message_feedback_enabled(
        ConfigurationSetName="main", MessageFeedbackEnabled=True
    )
    assert answer["MessageFeedbackEnabled"] is True
    assert _describe(client, "main")["DefaultMessageFeedbackEnabled"] is True


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("set_default_message_type", {"MessageType": "TRANSACTIONAL"}),
        ("delete_default_message_type", {}),
        ("set_default_sender_id", {"SenderId": "ACME"}),
        ("delete_default_sender_id", {}),
        ("set_default_message_feedback_enabled", {"MessageFeedbackEnabled": False}),
    ],
)
def test_defaults_of_an_unknown_set_are_not_found(client, method, extra):
    aws_error(
        lambda: getattr(client, method)(ConfigurationSetName="ghost", **extra),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId="ghost",
    )


# -- event destinations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "block"),
    [
        ("CloudWatchLogsDestination", LOGS),
        ("KinesisFirehoseDestination", FIREHOSE),
        ("SnsDestination", SNS),
    ],
)
def test_create_event_destination_of_each_kind_starts_enabled(client, target, block):
    client.create_configuration_set(ConfigurationSetName="main")
    answer = client.create_event_destination(
        ConfigurationSetName=ARN + "main",
        EventDestinationName="dest",
        MatchingEventTypes=["TEXT_DELIVERED", "TEXT_BLOCKED"],
        **{target: block},
    )
    expected = {
        "EventDestinationName": "dest",
        "Enabled": True,
        "MatchingEventTypes": ["TEXT_DELIVERED", "TEXT_BLOCKED"],
        target: block,
    }
    assert answer["ConfigurationSetName"] == "main"
    assert answer["ConfigurationSetArn"] == ARN + "main"
    assert answer["EventDestination"] == expected
    assert _describe(client, "main")["EventDestinations"] == [expected]


def test_exactly_one_destination_block_is_required(client):
    client.create_configuration_set(ConfigurationSetName="main")
    response = aws_error(
        lambda: client.create_event_destination(
            ConfigurationSetName="main", EventDestinationName="d", MatchingEventTypes=["ALL"]
        ),
        "ValidationException",
        "MISSING_PARAMETER",
    )
    assert set(field_names(response)) == {
        "CloudWatchLogsDestination",
        "KinesisFirehoseDestination",
        "SnsDestination",
    }
    response = aws_error(
        lambda: client.create_event_destination(
            ConfigurationSetName="main",
            EventDestinationName="d",
            MatchingEventTypes=["ALL"],
            SnsDestination=SNS,
            CloudWatchLogsDestination=LOGS,
        ),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert set(field_names(response)) == {"CloudWatchLogsDestination", "SnsDestination"}
    assert _describe(client, "main")["EventDestinations"] == []


def test_event_destination_of_an_unknown_set_is_not_found(client):
    aws_error(
        lambda: _add(client, "ghost", "d"),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId="ghost",
    )


def test_destination_names_are_unique_within_a_set_only(client):
    for name in ("one", "two"):
        client.create_configuration_set(ConfigurationSetName=name)
    _add(client, "one", "events")
    aws_error(
        lambda: _add(client, "one", "events", CloudWatchLogsDestination=LOGS),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
        ResourceType="event-destination",
        ResourceId="events",
    )
    assert _add(client, "two", "events")["EventDestinationName"] == "events"
    assert [d["SnsDestination"] for d in _describe(client, "one")["EventDestinations"]] == [SNS]


def test_at_most_five_destinations_per_set(client):
    client.create_configuration_set(ConfigurationSetName="main")
    for i in range(5):
        _add(client, "main", f"d{i}")
    aws_error(
        lambda: _add(client, "main", "d5"),
        "ServiceQuotaExceededException",
        "EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
    )
    assert len(_describe(client, "main")["EventDestinations"]) == 5
    client.delete_event_destination(ConfigurationSetName="main", EventDestinationName="d0")
    _add(client, "main", "d5")
    names = [d["EventDestinationName"] for d in _describe(client, "main")["EventDestinations"]]
    assert names == ["d1", "d2", "d3", "d4", "d5"]


def test_destination_quota_follows_the_account_setting(client, sandbox):
    sandbox.set_account_limit("EVENT_DESTINATIONS_PER_CONFIGURATION_SET", 1)
    client.create_configuration_set(ConfigurationSetName="main")
    _add(client, "main", "only")
    aws_error(
        lambda: _add(client, "main", "more"),
        "ServiceQuotaExceededException",
        "EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
    )


def test_update_toggles_enabled_changes_types_and_target_of_the_same_kind(client):
    client.create_configuration_set(ConfigurationSetName="main")
    _add(client, "main", "logs", ["TEXT_ALL"], CloudWatchLogsDestination=LOGS)
    new_logs = {**LOGS, "LogGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:other"}
    answer = client.update_event_destination(
        ConfigurationSetName="main",
        EventDestinationName="logs",
        Enabled=False,
        MatchingEventTypes=["VOICE_ALL"],
        CloudWatchLogsDestination=new_logs,
    )
    expected = {
        "EventDestinationName": "logs",
        "Enabled": False,
        "MatchingEventTypes": ["VOICE_ALL"],
        "CloudWatchLogsDestination": new_logs,
    }
    assert answer["EventDestination"] == expected
    assert _describe(client, "main")["EventDestinations"] == [expected]
    again = client.update_event_destination(
        ConfigurationSetName=ARN + "main", EventDestinationName="logs", Enabled=True
    )
    assert again["EventDestination"] == {**expected, "Enabled": True}


def test_update_cannot_change_the_destination_kind(client):
    client.create_configuration_set(ConfigurationSetName="main")
    before = _add(client, "main", "sns")
    aws_error(
        lambda: client.update_event_destination(
            ConfigurationSetName="main",
            EventDestinationName="sns",
            Enabled=False,
            KinesisFirehoseDestination=FIREHOSE,
        ),
        "ConflictException",
        "EVENT_DESTINATION_MISMATCH",
        ResourceType="event-destination",
        ResourceId="sns",
    )
    aws_error(
        lambda: client.update_event_destination(
            ConfigurationSetName="main",
            EventDestinationName="sns",
            SnsDestination=SNS,
            CloudWatchLogsDestination=LOGS,
        ),
        "ValidationException",
        "PARAMETERS_CANNOT_BE_USED_TOGETHER",
    )
    assert _describe(client, "main")["EventDestinations"] == [before]


def test_update_and_delete_of_unknown_destinations_are_not_found(client):
    client.create_configuration_set(ConfigurationSetName="main")
    aws_error(
        lambda: client.update_event_destination(
            ConfigurationSetName="main", EventDestinationName="nope", Enabled=False
        ),
        "ResourceNotFoundException",
        ResourceType="event-destination",
        ResourceId="nope",
    )
    aws_error(
        lambda: client.delete_event_destination(
            ConfigurationSetName="ghost", EventDestinationName="nope"
        ),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId="ghost",
    )


def test_delete_event_destination_returns_it(client):
    client.create_configuration_set(ConfigurationSetName="main")
    kept = _add(client, "main", "kept")
    gone = _add(client, "main", "gone", ["TEXT_SUCCESSFUL"], KinesisFirehoseDestination=FIREHOSE)
    answer = client.delete_event_destination(
        ConfigurationSetName="main", EventDestinationName="gone"
    )
    assert answer["EventDestination"] == gone
    assert answer["ConfigurationSetArn"] == ARN + "main"
    assert _describe(client, "main")["EventDestinations"] == [kept]
    aws_error(
        lambda: client.delete_event_destination(
            ConfigurationSetName="main", EventDestinationName="gone"
        ),
        "ResourceNotFoundException",
        ResourceType="event-destination",
        ResourceId="gone",
    )


# -- helpers sending uses ---------------------------------------------------------------------


def test_helpers_find_sets_and_their_destinations_for_an_event(client, sandbox):
    client.create_configuration_set(ConfigurationSetName="main")
    _add(client, "main", "all", ["ALL"])
    _add(client, "main", "delivered", ["TEXT_DELIVERED"], CloudWatchLogsDestination=LOGS)
    _add(client, "main", "off", ["TEXT_DELIVERED"], KinesisFirehoseDestination=FIREHOSE)
    client.update_event_destination(
        ConfigurationSetName="main", EventDestinationName="off", Enabled=False
    )
    with sandbox.admin() as ctx:
        doc = find_configuration_set(ctx, ARN + "main", "ConfigurationSetName")
        assert doc["ConfigurationSetName"] == "main"
        names = [d["EventDestinationName"] for d in destinations_for(ctx, doc, "TEXT_DELIVERED")]
        assert names == ["all", "delivered"]
        names = [d["EventDestinationName"] for d in destinations_for(ctx, doc, "VOICE_BUSY")]
        assert names == ["all"]
    with pytest.raises(ServiceError) as info, sandbox.admin() as ctx:
        find_configuration_set(ctx, "ghost", "ConfigurationSetName")
    assert info.value.members == {"ResourceType": "configuration-set", "ResourceId": "ghost"}
