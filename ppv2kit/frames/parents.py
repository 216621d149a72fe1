"""What the model cannot say: which listing supplies the parent an operation needs.

``DescribeKeywords`` needs an ``OriginationIdentity``; the model says the member is required but
not that phone numbers and pools are where such identities come from. This table says it, once,
for every paginated operation whose required parent is itself listable. When a frame is asked for
without its parent, :mod:`ppv2kit.frames` lists every parent and fetches the children of each.
Paginated operations with required members that no listing supplies (``ListAvailablePhoneNumbers``
needs a country, capabilities and a number type) are in :data:`USER_SUPPLIED`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Source:
    """A listing whose items carry parent values: ``operation``'s items' ``member``."""

    operation: str
    member: str


_PHONE_NUMBERS = Source("DescribePhoneNumbers", "PhoneNumberId")
_POOLS = Source("DescribePools", "PoolId")
_REGISTRATIONS = Source("DescribeRegistrations", "RegistrationId")
_REGISTRATION_TYPES = Source("DescribeRegistrationTypeDefinitions", "RegistrationType")

# (operation, required parent member) -> the listings that supply it, in the order rows appear.
PARENTS: Mapping[str, tuple[str, tuple[Source, ...]]] = MappingProxyType(
    {
        "DescribeKeywords": ("OriginationIdentity", (_PHONE_NUMBERS, _POOLS)),
        "DescribeOptedOutNumbers": (
            "OptOutListName",
            (Source("DescribeOptOutLists", "OptOutListName"),),
        ),
        "ListPoolOriginationIdentities": ("PoolId", (_POOLS,)),
        "DescribeRcsAgentCountryLaunchStatus": (
            "RcsAgentId",
            (Source("DescribeRcsAgents", "RcsAgentId"),),
        ),
        "DescribeRegistrationFieldDefinitions": ("RegistrationType", (_REGISTRATION_TYPES,)),
        "DescribeRegistrationSectionDefinitions": ("RegistrationType", (_REGISTRATION_TYPES,)),
        "DescribeRegistrationFieldValues": ("RegistrationId", (_REGISTRATIONS,)),
        "DescribeRegistrationVersions": ("RegistrationId", (_REGISTRATIONS,)),
        "ListRegistrationAssociations": ("RegistrationId", (_REGISTRATIONS,)),
        "ListProtectConfigurationRuleSetNumberOverrides": (
            "ProtectConfigurationId",
            (Source("DescribeProtectConfigurations", "ProtectConfigurationId"),),
        ),
    }
)

# Paginated operations whose required members the caller must give (no listing supplies them).
USER_SUPPLIED: frozenset[str] = frozenset({"ListAvailablePhoneNumbers"})


def parent_of(operation: str) -> tuple[str, tuple[Source, ...]] | None:
    """``(parent member, sources)`` for ``operation``, or ``None`` when it needs no parent."""
    return PARENTS.get(operation)
