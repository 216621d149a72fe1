"""Document kinds, defined once: every kind the store holds, its owner, and the unemulated ones.

A taggable resource's kind is its ARN resource type and its key the ARN's resource ID, so
``ops/tags.py`` finds any resource from its ARN. :data:`RESOURCES` says, for each resource kind,
which members hold its ID and ARN (the fuzz strategies read their hints from it);
:data:`NOT_EMULATED` lists the resource types a request may name that the sandbox does not hold
yet; a handler rejects them through :func:`reject_unemulated`, and ``docs/sandbox-coverage.md``
lists every such check (docs/ARCHITECTURE.md, "Adding an operation").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import not_found

SETTINGS = "settings"
PHONE = "phone-number"
SENDER = "sender-id"
POOL = "pool"
KEYWORD = "keyword"
OPT_OUT_LIST = "opt-out-list"
OPTED_OUT_NUMBER = "opted-out-number"
CONFIGURATION_SET = "configuration-set"
EVENT_DESTINATION = "event-destination"
VERIFIED_DESTINATION = "verified-destination-number"
MESSAGE = "message"
EVENT = "event"
INBOUND = "inbound"
SPEND = "spend"
CLIENT_TOKEN = "client-token"
REGISTRATION = "registration"
REGISTRATION_ATTACHMENT = "registration-attachment"
REGISTRATION_EVENT = "registration-event"
# Notify and RCS (ops/notify.py, ops/rcs.py; ADR 20). Templates are a catalog, not documents.
NOTIFY_CONFIGURATION = "notify-configuration"
NOTIFY_TEMPLATE = "notify-template"
RCS_AGENT = "rcs-agent"
PROTECT_CONFIGURATION = "protect-configuration"
PROTECT_NUMBER_OVERRIDE = "protect-number-override"
# The sandbox's stand-in for the S3 objects MMS name, by URL (ops/media.py; ADR 23).
MEDIA_FILE = "media-file"


@dataclass(frozen=True)
class Resource:
    """A resource kind the API names by ID or ARN."""

    kind: str
    id_member: str
    arn_member: str


# The resources the sandbox holds, by kind (the ARN resource type).
RESOURCES: Mapping[str, Resource] = {
    r.kind: r
    for r in (
        Resource(PHONE, "PhoneNumberId", "PhoneNumberArn"),
        Resource(POOL, "PoolId", "PoolArn"),
        Resource(SENDER, "SenderId", "SenderIdArn"),
        Resource(OPT_OUT_LIST, "OptOutListName", "OptOutListArn"),
        Resource(CONFIGURATION_SET, "ConfigurationSetName", "ConfigurationSetArn"),
        Resource(
            VERIFIED_DESTINATION, "VerifiedDestinationNumberId", "VerifiedDestinationNumberArn"
        ),
        Resource(REGISTRATION, "RegistrationId", "RegistrationArn"),
        Resource(REGISTRATION_ATTACHMENT, "RegistrationAttachmentId", "RegistrationAttachmentArn"),
        Resource(PROTECT_CONFIGURATION, "ProtectConfigurationId", "ProtectConfigurationArn"),
        Resource(NOTIFY_CONFIGURATION, "NotifyConfigurationId", "NotifyConfigurationArn"),
        Resource(RCS_AGENT, "RcsAgentId", "RcsAgentArn"),
    )
}

# Members of a kind's documents the store indexes (``RegionStore.find``, ``Store.find``): a phone
# number by its E.164 number (unique in the sandbox) and by its pool, a sender ID by its pools.
INDEXED: tuple[tuple[str, str], ...] = (
    (PHONE, "PhoneNumber"),
    (PHONE, "PoolId"),
    (SENDER, "_PoolIds"),  # a list: every pool the sender ID belongs to
)

# Resource types no family emulates yet -> what will emulate them.
NOT_EMULATED: Mapping[str, str] = {}


def reject_unemulated(params: Mapping[str, Any], member: str, kind: str) -> None:
    """The placeholder check: ``params[member]`` names a ``kind`` the sandbox does not hold.

    None exists, so a value answers ``ResourceNotFoundException`` as the service would for an
    unknown ID. ``kind`` must be listed in :data:`NOT_EMULATED`; a test finds every call and
    ``docs/sandbox-coverage.md`` lists them.
    """
    if kind not in NOT_EMULATED:
        raise ValueError(f"{kind!r} is not listed in kinds.NOT_EMULATED")
    if params.get(member):
        raise not_found(kind, params[member])
