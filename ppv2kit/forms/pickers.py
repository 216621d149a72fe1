"""Resource pickers: which inputs name an existing resource, and the account's resources as options.

The model says a member is a string matching ``[A-Za-z0-9_:/-]+``; it cannot say that the string
is a pool ID. :data:`SHAPES` and :data:`MEMBERS` are the hand-written table of what it cannot say:
input shape (or, for generic shapes, member) -> the resource kinds it accepts. :data:`RESOURCES`
says how to list each kind through the kit's frames layer and how to label it for people
(``+1 206-555-0100 · TOLL_FREE · US``). Options are read lazily, once per form, and any error is
kept as a message instead of breaking the form: the picker always accepts a typed ID or ARN.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..frames.pull import TAGS_OPERATION
from ..model import Shape
from ..sms import pretty

log = logging.getLogger("ppv2kit.forms")

Record = Mapping[str, Any]


def _missing(value: Any) -> bool:
    """None, NaN or pd.NA: a frame's empty cell."""
    if value is None or isinstance(value, list | tuple | dict):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(record: Record, name: str) -> str:
    value = record.get(name)
    return "" if _missing(value) else str(value)


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _phone_label(r: Record) -> str:
    number = _text(r, "PhoneNumber")
    return _join(
        pretty(number) if number else _text(r, "PhoneNumberId"),
        _text(r, "NumberType"),
        _text(r, "IsoCountryCode"),
    )


def _name_tag(r: Record) -> str:
    tags = r.get("Tags")
    return str(tags.get("Name") or "") if isinstance(tags, Mapping) else ""


def _pool_label(r: Record) -> str:
    name = _name_tag(r)
    return _join(
        f"{name} ({_text(r, 'PoolId')})" if name else _text(r, "PoolId"),
        _text(r, "MessageType"),
        _text(r, "Status"),
        "pool",
    )


def _sender_label(r: Record) -> str:
    return _join(_text(r, "SenderId"), _text(r, "IsoCountryCode"), "sender ID")


def _verified_label(r: Record) -> str:
    number = _text(r, "DestinationPhoneNumber")
    return _join(
        pretty(number) if number else "",
        _text(r, "VerifiedDestinationNumberId"),
        _text(r, "Status"),
    )


@dataclass(frozen=True)
class Resource:
    """How to list one kind of resource and show it in a picker.

    Attributes
    ----------
    kind:
        The service's ``ResourceType`` name (``phone-number``).
    listing:
        The paginated operation that lists it, read through ``kit.frame``.
    id:
        The column holding the ID or name the API accepts.
    arn:
        The column holding the ARN (used where the input's pattern demands an ARN).
    label:
        A readable label for one row.
    companions:
        Columns copied into same-named top-level form members that are still unset when the
        resource is picked (a sender ID brings its ``IsoCountryCode``).
    named_by_tag:
        Read with its tags, so the label can show the ``Name`` tag (pools have no other name);
        a failure to read tags only loses the names.
    """

    kind: str
    listing: str
    id: str
    arn: str | None
    label: Callable[[Record], str]
    companions: tuple[str, ...] = ()
    named_by_tag: bool = False


RESOURCES: dict[str, Resource] = {
    r.kind: r
    for r in (
        Resource(
            "phone-number", "DescribePhoneNumbers", "PhoneNumberId", "PhoneNumberArn", _phone_label
        ),
        Resource("pool", "DescribePools", "PoolId", "PoolArn", _pool_label, named_by_tag=True),
        Resource(
            "sender-id",
            "DescribeSenderIds",
            "SenderId",
            "SenderIdArn",
            _sender_label,
            companions=("IsoCountryCode",),
        ),
        Resource(
            "opt-out-list",
            "DescribeOptOutLists",
            "OptOutListName",
            "OptOutListArn",
            lambda r: _join(_text(r, "OptOutListName"), "opt-out list"),
        ),
        Resource(
            "configuration-set",
            "DescribeConfigurationSets",
            "ConfigurationSetName",
            "ConfigurationSetArn",
            lambda r: _join(_text(r, "ConfigurationSetName"), "configuration set"),
        ),
        Resource(
            "protect-configuration",
            "DescribeProtectConfigurations",
            "ProtectConfigurationId",
            "ProtectConfigurationArn",
            lambda r: _join(_text(r, "ProtectConfigurationId"), "protect configuration"),
        ),
        Resource(
            "registration",
            "DescribeRegistrations",
            "RegistrationId",
            "RegistrationArn",
            lambda r: _join(
                _text(r, "RegistrationId"),
                _text(r, "RegistrationType"),
                _text(r, "RegistrationStatus"),
            ),
        ),
        Resource(
            "verified-destination-number",
            "DescribeVerifiedDestinationNumbers",
            "VerifiedDestinationNumberId",
            "VerifiedDestinationNumberArn",
            _verified_label,
        ),
        Resource(
            "rcs-agent",
            "DescribeRcsAgents",
            "RcsAgentId",
            "RcsAgentArn",
            lambda r: _join(_text(r, "RcsAgentId"), _text(r, "Status"), "RCS agent"),
        ),
        Resource(
            "notify-configuration",
            "DescribeNotifyConfigurations",
            "NotifyConfigurationId",
            "NotifyConfigurationArn",
            lambda r: _join(_text(r, "DisplayName"), _text(r, "NotifyConfigurationId")),
        ),
    )
}

# Event destinations have no listing of their own: they are read from their configuration set.
EVENT_DESTINATION = "event-destination"
EVENT_DESTINATION_PARENT = "ConfigurationSetName"

TAGGABLE = ("phone-number", "pool", "sender-id", "opt-out-list", "configuration-set")

# Input shape -> the resource kinds a value may name [service-behaviour §2.0].
SHAPES: dict[str, tuple[str, ...]] = {
    "PhoneNumberIdOrArn": ("phone-number",),
    "PoolIdOrArn": ("pool",),
    "PhoneOrPoolIdOrArn": ("phone-number", "pool"),
    "PhoneOrSenderIdOrArn": ("phone-number", "sender-id"),
    "SenderIdOrArn": ("sender-id",),
    "OptOutListNameOrArn": ("opt-out-list",),
    "ConfigurationSetNameOrArn": ("configuration-set",),
    "TextMessageOriginationIdentity": ("phone-number", "sender-id", "pool"),
    "VoiceMessageOriginationIdentity": ("phone-number", "pool"),
    "MediaMessageOriginationIdentity": ("phone-number", "pool"),
    "VerificationMessageOriginationIdentity": ("phone-number", "sender-id", "pool"),
    "AmazonResourceName": TAGGABLE,
    "ProtectConfigurationIdOrArn": ("protect-configuration",),
    "RegistrationIdOrArn": ("registration",),
    "VerifiedDestinationNumberIdOrArn": ("verified-destination-number",),
    "RcsAgentIdOrArn": ("rcs-agent",),
    "NotifyConfigurationIdOrArn": ("notify-configuration",),
}

# Generic shapes whose member name says what they name.
MEMBERS: dict[str, tuple[str, ...]] = {
    "SenderId": ("sender-id",),
    "EventDestinationName": (EVENT_DESTINATION,),
}

# (operation, member) pairs that name the resource the call creates: no picker there.
CREATES: frozenset[tuple[str, str]] = frozenset(
    {
        ("CreateEventDestination", "EventDestinationName"),
        ("RequestSenderId", "SenderId"),
    }
)


def kinds_for(operation: str, member: str, shape: Shape) -> tuple[str, ...]:
    """The resource kinds the input ``member`` of ``operation`` names (``()`` for none)."""
    if shape.type != "string" or shape.enum or (operation, member) in CREATES:
        return ()
    return SHAPES.get(shape.name) or MEMBERS.get(member, ())


@dataclass(frozen=True)
class Option:
    """One choice of a picker: what people read, what the API gets, and the row behind it."""

    label: str
    value: str
    kind: str
    record: Mapping[str, Any] = field(default_factory=dict, compare=False)


def _records(frame: Any) -> list[dict[str, Any]]:
    if frame is None:
        return []
    if hasattr(frame, "to_dict"):
        return list(frame.to_dict("records"))
    return [dict(r) for r in frame]


class Catalog:
    """The account's resources for one form (one region), read once per kind through the kit.

    Parameters
    ----------
    kit:
        Anything with ``frame(operation, *, regions=..., progress=...)`` returning a DataFrame.
    region:
        The region the form calls.
    """

    def __init__(self, kit: Any, region: str | None) -> None:
        self.kit = kit
        self.region = region
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self.errors: dict[str, str] = {}

    def rows(self, kind: str) -> list[dict[str, Any]]:
        """Rows of one resource kind (``[]`` when they could not be read; see :attr:`errors`)."""
        if kind == EVENT_DESTINATION:
            kind = "configuration-set"
        if kind not in self._rows:
            self._rows[kind] = self._load(RESOURCES[kind])
        return self._rows[kind]

    def _load(self, resource: Resource) -> list[dict[str, Any]]:
        regions = [self.region] if self.region else None
        try:
            with warnings.catch_warnings():  # a failed region is reported beside the picker
                warnings.simplefilter("ignore")
                tags = {"with_tags": True} if resource.named_by_tag else {}
                frame = self.kit.frame(resource.listing, regions=regions, progress=False, **tags)
        except Exception as err:  # any failure leaves the picker usable by typing
            log.info("could not list %s: %s", resource.kind, err)
            self.errors[resource.kind] = _error_text(err)
            return []
        failed = [
            e
            for e in getattr(frame, "attrs", {}).get("errors") or ()
            if e.get("code") != "NotImplementedException"  # a sandbox without that listing
            and e.get("operation") != TAGS_OPERATION  # only the labels' names are lost
        ]
        if failed:
            first = failed[0]
            self.errors[resource.kind] = f"{first.get('code', 'Error')}: {first.get('message', '')}"
        else:
            self.errors.pop(resource.kind, None)
        return _records(frame)

    def refresh(self) -> None:
        """Forget what was read, so the next :meth:`options` reads again."""
        self._rows.clear()
        self.errors.clear()

    def options(
        self, kinds: Iterable[str], shape: Shape, parent: str | None = None
    ) -> list[Option]:
        """Options for an input of ``shape`` naming one of ``kinds``.

        The value is the resource's ID or name when the shape's pattern accepts it, else its
        ARN. Event destinations are those of the configuration set ``parent``.
        """
        out: list[Option] = []
        for kind in kinds:
            if kind == EVENT_DESTINATION:
                out.extend(self._event_destinations(parent))
                continue
            resource = RESOURCES[kind]
            for row in self.rows(kind):
                value = _accepted(row, resource, shape)
                if value:
                    out.append(Option(resource.label(row) or value, value, kind, row))
        return _unique(out)

    def _event_destinations(self, parent: str | None) -> list[Option]:
        out = []
        for row in self.rows("configuration-set"):
            if parent and parent not in (
                _text(row, "ConfigurationSetName"),
                _text(row, "ConfigurationSetArn"),
            ):
                continue
            dests = row.get("EventDestinations")
            for dest in () if _missing(dests) else dests:
                name = _text(dest, "EventDestinationName")
                if name:
                    state = "enabled" if dest.get("Enabled") else "disabled"
                    label = _join(name, _text(row, "ConfigurationSetName"), state)
                    out.append(Option(label, name, EVENT_DESTINATION, dest))
        return out


def _accepted(row: Record, resource: Resource, shape: Shape) -> str:
    ident = _text(row, resource.id)
    arn = _text(row, resource.arn) if resource.arn else ""
    for candidate in (ident, arn):
        if candidate and _fits(candidate, shape):
            return candidate
    return ""


def _fits(value: str, shape: Shape) -> bool:
    if shape.max is not None and len(value) > shape.max:
        return False
    if shape.min is not None and len(value) < shape.min:
        return False
    return shape.regex is None or bool(shape.regex.fullmatch(value))


def _unique(options: list[Option]) -> list[Option]:
    seen: dict[str, int] = {}
    out = []
    for opt in options:
        label = opt.label
        if label in seen:  # two rows read the same: tell them apart by their value
            label = f"{label} · {opt.value}"
        seen[label] = 1
        out.append(Option(label, opt.value, opt.kind, opt.record))
    return out


def _error_text(err: Exception) -> str:
    response = getattr(err, "response", None)
    if isinstance(response, dict) and "Error" in response:
        error = response["Error"]
        return f"{error.get('Code', 'Error')}: {error.get('Message', '')}".strip()
    return f"{type(err).__name__}: {err}"
