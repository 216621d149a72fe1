"""Configuration sets, their defaults and their event destinations.

A ``configuration-set`` document (key: its name) carries ``ConfigurationSetName``,
``ConfigurationSetArn``, ``CreatedTimestamp``, ``Tags``, the optional defaults
(``DefaultMessageType``, ``DefaultSenderId``, ``DefaultMessageFeedbackEnabled``,
``ProtectConfigurationId``) and ``EventDestinations``, the list the output shape has, so a set
and its destinations come and go together. An event destination names exactly one target
(CloudWatch Logs, Firehose or SNS) whose kind never changes; a set holds at most
``EVENT_DESTINATIONS_PER_CONFIGURATION_SET`` of them. Sending uses
:func:`find_configuration_set` and :func:`destinations_for`. Choices the reference leaves open:
ADR 0006.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...model import load
from ..context import Context
from ..errors import conflict, not_found, quota, validation
from ..kinds import CONFIGURATION_SET as KIND
from ..kinds import EVENT_DESTINATION as DESTINATION
from .account import quota_value
from .named import create_named

# The destination blocks an event destination holds exactly one of (model member names).
TARGETS = ("CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination")
ALL_EVENTS = "ALL"


# -- helpers other families use ---------------------------------------------------------------


def find_configuration_set(
    ctx: Context, name_or_arn: str, field: str = "ConfigurationSetName"
) -> dict[str, Any]:
    """The configuration set a name or ARN designates, or ``ResourceNotFoundException``."""
    return ctx.find(KIND, name_or_arn, field)


def destinations_for(
    ctx: Context, config_set_doc: dict[str, Any], event_type: str
) -> list[dict[str, Any]]:
    """The enabled event destinations of a set that take ``event_type``.

    A destination takes an event it lists by name, or through ``ALL`` or its channel's
    ``<CHANNEL>_ALL`` (``TEXT_ALL`` takes ``TEXT_DELIVERED``).
    """
    takers = {event_type, ALL_EVENTS, f"{event_type.partition('_')[0]}_ALL"}
    return [
        dest
        for dest in config_set_doc.get("EventDestinations", [])
        if dest["Enabled"] and takers.intersection(dest["MatchingEventTypes"])
    ]


def _save(ctx: Context, doc: dict[str, Any]) -> None:
    ctx.store.put(KIND, doc["ConfigurationSetName"], doc)


def _names(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "ConfigurationSetArn": doc["ConfigurationSetArn"],
        "ConfigurationSetName": doc["ConfigurationSetName"],
    }


# -- configuration sets -----------------------------------------------------------------------


def create_configuration_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return create_named(
        ctx, params, KIND, "configuration set", "CONFIGURATION_SETS", EventDestinations=[]
    )


def delete_configuration_set(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_configuration_set(ctx, params["ConfigurationSetName"])
    ctx.store.delete(KIND, doc["ConfigurationSetName"])
    return doc


def _destination_names(doc: dict[str, Any]) -> list[str]:
    return [d["EventDestinationName"] for d in doc["EventDestinations"]]


def _event_types(doc: dict[str, Any]) -> list[str]:
    return [t for d in doc["EventDestinations"] for t in d["MatchingEventTypes"]]


FILTER_GETTERS = {
    "event-destination-name": _destination_names,
    "matching-event-types": _event_types,
    # a set that never had the default set behaves as false
    "default-message-feedback-enabled": lambda doc: bool(doc.get("DefaultMessageFeedbackEnabled")),
}


def _check_event_type_filters(filters: Iterable[dict[str, Any]]) -> None:
    allowed = set(load().shape("EventType").enum)
    for i, f in enumerate(filters):
        bad = sorted(set(f["Values"]) - allowed) if f["Name"] == "matching-event-types" else []
        if bad:
            raise validation(
                "INVALID_FILTER_VALUES",
                f"Invalid values {bad} for filter 'matching-event-types'; allowed: "
                f"{sorted(allowed)}",
                [(f"Filters[{i}].Values", "must be event types")],
            )


def describe_configuration_sets(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    _check_event_type_filters(params.get("Filters") or [])
    names = params.get("ConfigurationSetNames")
    if names:
        found: dict[int, dict[str, Any]] = {}
        for i, value in enumerate(names):
            doc = find_configuration_set(ctx, value, f"ConfigurationSetNames[{i}]")
            seq = ctx.store.seq(KIND, doc["ConfigurationSetName"])
            assert seq is not None
            found[seq] = doc
        rows: Iterable[tuple[int, Any]] = sorted(found.items())
    else:
        rows = ctx.rows(params, KIND)
    return ctx.listing(params, rows, getters=FILTER_GETTERS)


# -- defaults ---------------------------------------------------------------------------------


def _set_default(
    ctx: Context, params: dict[str, Any], member: str, value: Any | None
) -> dict[str, Any]:
    """Set the set's ``Default<member>`` to ``value`` (None: remove it); answer the set's names
    and ``member``: the new value, or the removed one."""
    doc = find_configuration_set(ctx, params["ConfigurationSetName"])
    if value is None:
        value = doc.pop(f"Default{member}", None)
    else:
        doc[f"Default{member}"] = value
    _save(ctx, doc)
    return {**_names(doc), member: value}


def set_default_message_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _set_default(ctx, params, "MessageType", params["MessageType"])


def delete_default_message_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _set_default(ctx, params, "MessageType", None)


def set_default_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _set_default(ctx, params, "SenderId", params["SenderId"])


def delete_default_sender_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _set_default(ctx, params, "SenderId", None)


def set_default_message_feedback_enabled(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    enabled = params["MessageFeedbackEnabled"]
    return _set_default(ctx, params, "MessageFeedbackEnabled", enabled)


# -- event destinations -----------------------------------------------------------------------


def _target(params: dict[str, Any], required: bool) -> str | None:
    """The one destination block ``params`` names (None when optional and absent)."""
    given = [name for name in TARGETS if params.get(name) is not None]
    if len(given) > 1:
        raise validation(
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            f"An event destination has exactly one destination; got {', '.join(given)}.",
            [(name, "only one destination may be given") for name in given],
        )
    if not given and required:
        raise validation(
            "MISSING_PARAMETER",
            f"An event destination needs one of {', '.join(TARGETS)}.",
            [(name, "one destination must be given") for name in TARGETS],
        )
    return given[0] if given else None


def _kind(dest: dict[str, Any]) -> str:
    return next(name for name in TARGETS if dest.get(name) is not None)


def _find_destination(doc: dict[str, Any], name: str) -> int:
    for i, dest in enumerate(doc["EventDestinations"]):
        if dest["EventDestinationName"] == name:
            return i
    raise not_found(DESTINATION, name)


def create_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    target = _target(params, required=True)
    assert target is not None
    doc = find_configuration_set(ctx, params["ConfigurationSetName"])
    name = params["EventDestinationName"]
    if name in _destination_names(doc):
        raise conflict(
            "RESOURCE_ALREADY_EXISTS",
            f"The configuration set {doc['ConfigurationSetName']!r} already has an event "
            f"destination named {name!r}.",
            DESTINATION,
            name,
        )
    limit = quota_value(ctx, "EVENT_DESTINATIONS_PER_CONFIGURATION_SET")
    if len(doc["EventDestinations"]) >= limit:
        raise quota(
            "EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
            f"A configuration set can have at most {limit} event destinations.",
        )
    dest = {
        "EventDestinationName": name,
        "Enabled": True,
        "MatchingEventTypes": list(params["MatchingEventTypes"]),
        target: params[target],
    }
    doc["EventDestinations"].append(dest)
    _save(ctx, doc)
    return {**_names(doc), "EventDestination": dest}


def update_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    target = _target(params, required=False)
    doc = find_configuration_set(ctx, params["ConfigurationSetName"])
    i = _find_destination(doc, params["EventDestinationName"])
    dest = doc["EventDestinations"][i]
    if target is not None and target != _kind(dest):
        raise conflict(
            "EVENT_DESTINATION_MISMATCH",
            f"The event destination {dest['EventDestinationName']!r} is a {_kind(dest)}; "
            f"its kind can't change to {target}.",
            DESTINATION,
            dest["EventDestinationName"],
        )
    if params.get("Enabled") is not None:
        dest["Enabled"] = params["Enabled"]
    if params.get("MatchingEventTypes") is not None:
        dest["MatchingEventTypes"] = list(params["MatchingEventTypes"])
    if target is not None:
        dest[target] = params[target]
    _save(ctx, doc)
    return {**_names(doc), "EventDestination": dest}


def delete_event_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_configuration_set(ctx, params["ConfigurationSetName"])
    dest = doc["EventDestinations"].pop(_find_destination(doc, params["EventDestinationName"]))
    _save(ctx, doc)
    return {**_names(doc), "EventDestination": dest}
