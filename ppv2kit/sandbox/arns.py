"""Identifiers and ARNs shaped as the service's, and resolution of "ID or ARN" inputs.

``arn:<partition>:sms-voice:<region>:<account>:<resource-type>/<id>`` for phone numbers, pools,
opt-out lists, configuration sets and (``sender-id/<SenderId>/<IsoCountryCode>``) sender IDs.
An input that may be an ARN is resolved against the caller's account and region: an ARN of
another region is a ``ValidationException`` (``INVALID_ARN``), one of another account a
``ResourceNotFoundException`` (a send may name one shared by a resource policy: ADR 19).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import kinds
from .errors import invalid_field, not_found

SERVICE = "sms-voice"

# Resource-type segment of the ARN -> ResourceType value the errors use.
RESOURCE_TYPES = {kind: kind for kind in (*kinds.RESOURCES, *kinds.NOT_EMULATED)}

# ID prefix -> ARN resource type, for IDs that carry their kind.
ID_PREFIXES = {"phone-": kinds.PHONE, "pool-": kinds.POOL}


def partition(region: str) -> str:
    """``aws``, ``aws-cn`` or ``aws-us-gov`` for a region name."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def arn(region: str, account: str, resource_type: str, resource_id: str) -> str:
    """The ARN of a resource in ``region`` and ``account``."""
    return f"arn:{partition(region)}:{SERVICE}:{region}:{account}:{resource_type}/{resource_id}"


@dataclass(frozen=True)
class Arn:
    """A parsed sms-voice ARN."""

    partition: str
    region: str
    account: str
    resource_type: str
    resource_id: str  # for sender IDs: "<SenderId>/<IsoCountryCode>"

    def __str__(self) -> str:
        return (
            f"arn:{self.partition}:{SERVICE}:{self.region}:{self.account}:"
            f"{self.resource_type}/{self.resource_id}"
        )


def parse(value: str, field: str) -> Arn:
    """Parse an sms-voice ARN or raise ``ValidationException`` ``INVALID_ARN`` naming ``field``."""
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != SERVICE or "/" not in parts[5]:
        raise invalid_field("INVALID_ARN", field, f"{value!r} is not a valid sms-voice ARN")
    _, part, _, region, account, resource = parts
    resource_type, _, resource_id = resource.partition("/")
    if resource_type not in RESOURCE_TYPES or not resource_id or not region or not account:
        raise invalid_field("INVALID_ARN", field, f"{value!r} is not a valid sms-voice ARN")
    return Arn(part, region, account, resource_type, resource_id)


def is_arn(value: str) -> bool:
    return value.startswith("arn:")


def resolve(value: str, field: str, resource_type: str, region: str, account: str) -> str:
    """The bare ID or name that ``value`` (an ID, a name or an ARN) designates.

    Raises ``ValidationException`` for a malformed ARN, an ARN of another resource type or of
    another region, and ``ResourceNotFoundException`` for an ARN of another account.
    """
    if not is_arn(value):
        return value
    parsed = parse(value, field)
    if parsed.resource_type != resource_type:
        raise invalid_field(
            "INVALID_ARN", field, f"{value!r} is a {parsed.resource_type} ARN, not {resource_type}"
        )
    if parsed.region != region:
        raise invalid_field(
            "INVALID_ARN",
            field,
            f"{value!r} is in region {parsed.region}; this request is in {region}",
        )
    if parsed.account != account:
        raise not_found(RESOURCE_TYPES[resource_type], value)
    return parsed.resource_id


def kind_of(value: str) -> str | None:
    """The ARN resource type an ID or ARN designates, when it says so; else None."""
    if is_arn(value):
        rest = value.split(":", 5)[-1]
        return rest.partition("/")[0] or None
    for prefix, kind in ID_PREFIXES.items():
        if value.startswith(prefix):
            return kind
    return None
