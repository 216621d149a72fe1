"""Choosing where a message goes out from: the identity named, a pool's member, or the account's.

An ``OriginationIdentity`` (E.164 number, phone-number ID/ARN, sender ID/ARN, pool ID/ARN) is
resolved by :func:`~ppv2kit.sandbox.ops.identities.resolve_identity`. A phone number or sender
ID named directly must itself reach the destination (:func:`problem`); a pool sends through
its best member that does, else ``NO_ORIGINATION_IDENTITIES_FOUND``. Without an identity
(text only) the account's best identity is chosen in the v1 order of reference §4.2: dedicated
numbers of the destination's country (short code, 10DLC, long code / toll-free, simulator;
domestic before international; the message's type preferred), then the account's sender IDs
for the country (registered first), then the configuration set's ``DefaultSenderId`` where the
country allows sender IDs. A pool's settings win over its members': a message from a number in
a pool is checked against the pool's opt-out list. Choices: ADR 0010.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import phonenumbers

from .. import sms
from . import arns, carriers, catalog
from .context import Context
from .errors import ServiceError, conflict, invalid_field
from .ops.identities import (
    PHONE,
    POOL,
    SENDER,
    Identity,
    identity_from_doc,
    identity_of,
    resolve_identity,
)
from .ops.opt_outs import DEFAULT_LIST
from .ops.pools import member_rows
from .ops.resource_policies import shared_context

FIELD = "OriginationIdentity"
# OriginationIdentityType of a message by identity kind.
IDENTITY_TYPES = {PHONE: "PHONE_NUMBER", SENDER: "SENDER_ID", POOL: "POOL"}
# Preference among dedicated numbers (lower first) [reference §4.2, v1 order].
_NUMBER_TYPE_RANK = {"SHORT_CODE": 0, "TEN_DLC": 1, "LONG_CODE": 2, "TOLL_FREE": 2, "SIMULATOR": 3}
# Capability a channel needs.
_CAPABILITY = {"TEXT": "SMS", "VOICE": "VOICE", "MEDIA": "MMS"}


@dataclass(frozen=True)
class Destination:
    """A destination number (E.164 with ``+``) and its country."""

    number: str
    country: str | None

    @property
    def simulator(self) -> bool:
        """True for the documented simulator destination numbers."""
        return catalog.is_simulator_destination(self.number)


@functools.lru_cache(maxsize=4096)
def destination_country(number: str) -> str | None:
    """Country of a number: the simulator table, then the number plan, then its calling code.

    Pure, so cached: a seed's month of traffic asks about the same few hundred numbers.
    """
    simulated = catalog.simulator_country(number)
    if simulated:
        return simulated
    if carriers.NANP.fullmatch(number):
        return _nanp_country(number[:8])
    return _single_country(number) or _country(number)


def _single_country(number: str) -> str | None:
    """The country of a calling code only one country uses, when the number is long enough.

    The number plan's answer for such a code is that country, whatever the digits that follow.
    """
    if not _DIGITS.fullmatch(number):
        return None
    for size in (1, 2, 3):  # calling codes are prefix-free, as the number plan reads them
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(number[1 : 1 + size]))
        if regions:
            rest = len(number) - 1 - size
            single = len(regions) == 1 and regions[0] != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY
            return regions[0] if single and 3 <= rest <= 17 else None
    return None


_DIGITS = re.compile(r"\+[1-9][0-9]{3,18}")


# North American numbers are looked up by their first 8 characters (carriers.NANP).
@functools.lru_cache(maxsize=4096)
def _nanp_country(prefix: str) -> str | None:
    return _country(prefix + "0000")


def _country(number: str) -> str | None:
    found = catalog.simulator_country(number) or sms.country_of(number)
    if found:
        return found
    try:
        parsed = phonenumbers.parse(sms.normalize_e164(number), None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_country_code(parsed.country_code)
    return None if region == "ZZ" else region


def destination(value: str, field: str = "DestinationPhoneNumber") -> Destination:
    """The destination a send names; ``INVALID_PARAMETER`` when no country has that number or
    it has a length its country's number plan never gives (a number of a possible length that
    is not assigned is accepted, and ends ``INVALID``: :mod:`~ppv2kit.sandbox.outcomes`)."""
    number = sms.normalize_e164(value)
    country = destination_country(number)
    if country is None:
        raise invalid_field(
            "INVALID_PARAMETER", field, f"{number} is not a phone number of any country"
        )
    if not carriers.line(number).possible:
        raise invalid_field(
            "INVALID_PARAMETER",
            field,
            f"{number} has {len(number) - 1} digits, a length no {country} phone number has",
        )
    return Destination(number, country)


@dataclass(frozen=True)
class Route:
    """Where a message goes out from, and whose settings apply to it."""

    identity_id: str  # the message's OriginationIdentity: as named, or as chosen
    identity_arn: str | None  # None for a configuration set's default sender ID
    identity_type: str  # PHONE_NUMBER, SENDER_ID or POOL
    sender: Identity | None  # the phone number or sender ID that sends; None: a default sender ID
    owner: Identity | None  # the pool, else the phone number, whose opt-out list applies
    # The owner's context when the identity is another account's, shared by resource policy.
    shared_from: Context | None = None

    @property
    def origination(self) -> str:
        """What the recipient sees: the E.164 number or the sender ID."""
        if self.sender is None:
            return self.identity_id
        return self.sender.phone_number or self.sender.id

    @property
    def number_type(self) -> str | None:
        """The sending number's type (``SHORT_CODE``...); None for sender IDs."""
        return self.sender.doc.get("NumberType") if self.sender else None

    @property
    def opt_out_list(self) -> str:
        """The opt-out list checked before sending (sender IDs use the ``Default`` list)."""
        return (self.owner.opt_out_list if self.owner else None) or DEFAULT_LIST

    def international(self, dest: Destination) -> bool:
        """True when a phone number sends to another country than its own."""
        return (
            self.sender is not None
            and self.sender.kind == PHONE
            and self.sender.iso_country_code != dest.country
        )


def route(
    ctx: Context,
    value: str | None,
    dest: Destination,
    channel: str,
    message_type: str | None,
    config_set: dict[str, Any] | None,
) -> Route:
    """How a ``channel`` (TEXT/VOICE/MEDIA) message reaches ``dest`` from ``value`` or the account.

    An ARN of another account's identity routes in that account when its resource policy shares
    it with the caller (:func:`~ppv2kit.sandbox.ops.resource_policies.shared_context`, ADR 19).
    """
    if value is None:
        return _account_level(ctx, dest, message_type, config_set)
    owner = shared_context(ctx, value, FIELD)
    if owner is not ctx:
        found = route(owner, value, dest, channel, message_type, config_set)
        return dataclasses.replace(found, shared_from=owner)
    named = _resolve(ctx, value, dest, channel)
    if named.kind == POOL:
        member = _pool_member(ctx, named, dest, channel, message_type)
        return Route(named.id, named.arn, IDENTITY_TYPES[POOL], member, named)
    found = problem(named, dest, channel)
    if found is not None:
        raise found
    return Route(named.id, named.arn, IDENTITY_TYPES[named.kind], named, _owner(ctx, named))


def problem(identity: Identity, dest: Destination, channel: str) -> ServiceError | None:
    """Why a phone number or sender ID can't send a ``channel`` message to ``dest`` (or None)."""
    if identity.status != "ACTIVE":
        return conflict(
            "RESOURCE_NOT_ACTIVE",
            f"The {identity.kind} {identity.id} is {identity.status}.",
            identity.kind,
            identity.id,
        )
    capability = _CAPABILITY[channel]
    if capability not in identity.capabilities:
        reason = "VOICE_CAPABILITY_NOT_AVAILABLE" if channel == "VOICE" else "INVALID_PARAMETER"
        return invalid_field(reason, FIELD, f"{identity.id} has no {capability} capability")
    if identity.kind == SENDER:
        if dest.country in catalog.SENDER_ID_UNSUPPORTED_COUNTRIES:
            return _sender_id_not_supported(dest)
        if identity.iso_country_code != dest.country:
            return _wrong_country(identity, dest)
        return None
    if identity.doc.get("NumberType") == "SIMULATOR":
        if (
            not dest.simulator
            or catalog.simulator_country(dest.number) != identity.iso_country_code
        ):
            return invalid_field(
                "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
                FIELD,
                f"the simulator number {identity.phone_number} reaches only simulator destination "
                f"numbers of {identity.iso_country_code}, not {dest.number}",
            )
        return None
    if identity.iso_country_code != dest.country and not identity.doc.get(
        "InternationalSendingEnabled"
    ):
        return _wrong_country(identity, dest)
    return None


def _wrong_country(identity: Identity, dest: Destination) -> ServiceError:
    return invalid_field(
        "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
        FIELD,
        f"{identity.id} ({identity.iso_country_code}) can't send to {dest.number} ({dest.country})",
    )


def _sender_id_not_supported(dest: Destination) -> ServiceError:
    return invalid_field(
        "SENDER_ID_NOT_SUPPORTED", FIELD, f"sender IDs can't send to {dest.country} numbers"
    )


def _resolve(ctx: Context, value: str, dest: Destination, channel: str) -> Identity:
    kinds = (PHONE, POOL) if channel == "VOICE" else (PHONE, SENDER, POOL)
    # A bare sender ID names the one of the destination's country; an ARN names its own.
    country = None if arns.is_arn(value) else dest.country
    try:
        return resolve_identity(
            ctx, value, FIELD, kinds=kinds, iso_country_code=country, allow_phone_number=True
        )
    except ServiceError as err:
        unsupported = dest.country in catalog.SENDER_ID_UNSUPPORTED_COUNTRIES
        if err.members.get("ResourceType") == SENDER and unsupported:
            raise _sender_id_not_supported(dest) from None
        raise


def _owner(ctx: Context, sender: Identity) -> Identity | None:
    """The pool of a pooled phone number, else the number itself; None for a sender ID."""
    if sender.kind != PHONE:
        return None
    if sender.pool_ids:
        return identity_of(ctx, POOL, sender.pool_ids[0]) or sender
    return sender


def _rank(
    seq: int, identity: Identity, dest: Destination, message_type: str | None
) -> tuple[int, ...]:
    if identity.kind == SENDER:
        types = identity.doc.get("MessageTypes") or [message_type]
        unregistered = not identity.doc.get("Registered")
        return (1, 0, int(unregistered), int(message_type not in types), seq)
    international = identity.iso_country_code != dest.country
    number_type = _NUMBER_TYPE_RANK.get(identity.doc.get("NumberType", ""), 2)
    other_type = message_type is not None and identity.doc.get("MessageType") != message_type
    return (0, int(international), number_type, int(other_type), seq)


def _best(
    rows: Iterable[tuple[int, Identity]],
    dest: Destination,
    channel: str,
    message_type: str | None,
) -> Identity | None:
    fit = [(seq, m) for seq, m in rows if problem(m, dest, channel) is None]
    if not fit:
        return None
    return min(fit, key=lambda row: _rank(row[0], row[1], dest, message_type))[1]


def _pool_member(
    ctx: Context, pool: Identity, dest: Destination, channel: str, message_type: str | None
) -> Identity:
    if pool.status != "ACTIVE":
        raise conflict(
            "RESOURCE_NOT_ACTIVE", f"The pool {pool.id} is {pool.status}.", POOL, pool.id
        )
    rows = list(member_rows(ctx, pool.id))
    if channel == "VOICE" and not any("VOICE" in m.capabilities for _, m in rows):
        raise invalid_field(
            "VOICE_CAPABILITY_NOT_AVAILABLE", FIELD, f"no identity of {pool.id} can make calls"
        )
    member = _best(rows, dest, channel, message_type)
    if member is None:
        raise conflict(
            "NO_ORIGINATION_IDENTITIES_FOUND",
            f"NO_ORIGINATION_IDENTITIES_FOUND: no origination identity of the pool {pool.id} "
            f"can send to {dest.number}.",
            POOL,
            pool.id,
        )
    return member


def _account_level(
    ctx: Context, dest: Destination, message_type: str | None, config_set: dict[str, Any] | None
) -> Route:
    numbers = ((seq, identity_from_doc(ctx, PHONE, doc)) for seq, doc in ctx.store.items(PHONE))
    best = _best(numbers, dest, "TEXT", message_type)
    if best is None:
        senders = ((seq, identity_from_doc(ctx, SENDER, d)) for seq, d in ctx.store.items(SENDER))
        best = _best(senders, dest, "TEXT", message_type)
    if best is not None:
        return Route(best.id, best.arn, IDENTITY_TYPES[best.kind], best, _owner(ctx, best))
    default = (config_set or {}).get("DefaultSenderId")
    if default and dest.country not in catalog.SENDER_ID_UNSUPPORTED_COUNTRIES:
        return Route(default, None, IDENTITY_TYPES[SENDER], None, None)
    raise conflict(
        "NO_ORIGINATION_IDENTITIES_FOUND",
        f"NO_ORIGINATION_IDENTITIES_FOUND: the account has no origination identity that can "
        f"send to {dest.number} ({dest.country}); name one, or give the configuration set a "
        "default sender ID.",
        "account",
        ctx.account,
    )
