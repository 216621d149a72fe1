"""Origination identities: find a phone number, sender ID or pool from what a caller wrote.

Every family that takes an origination identity (pools, keywords, sending) resolves it here, so
the rules are the same everywhere: an ARN names its kind (and, for sender IDs, its country); a
bare ID names its kind by prefix (``phone-``, ``pool-``); anything else is a sender ID, which needs
an ISO country code; an E.164 number designates the phone number that has it, where the
operation accepts one. Lifecycle states that only last a while (a number ``PENDING``, a pool
``CREATING``) are settled against the sandbox clock whenever a document is read through here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ... import sms
from ...model import load
from .. import arns
from ..context import Context
from ..errors import invalid_field, not_found, validation
from ..kinds import PHONE, POOL, RESOURCES, SENDER
from ..validation import problems

ALL_KINDS = (PHONE, SENDER, POOL)

# Status a document holds until its ``_ReadyAt`` time passes -> the status it then has.
_SETTLES = {"PENDING": "ACTIVE", "CREATING": "ACTIVE"}


def settle(ctx: Context, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with a transient status (PENDING, CREATING) moved on if its time has come."""
    after = _SETTLES.get(doc.get("Status", ""))
    if after is not None and ctx.now >= doc.get("_ReadyAt", 0.0):
        doc["Status"] = after
    return doc


def settled(ctx: Context, rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Any]]:
    """``(seq, doc)`` rows with every document settled (for listings and filters)."""
    return ((seq, settle(ctx, doc)) for seq, doc in rows)


def sender_key(sender_id: str, iso_country_code: str) -> str:
    """The document key (and ARN resource ID) of a sender ID: ``SenderId/IsoCountryCode``."""
    return f"{sender_id}/{iso_country_code}"


@dataclass
class Identity:
    """One resolved origination identity and its document."""

    kind: str  # PHONE, SENDER or POOL
    id: str  # PhoneNumberId, SenderId or PoolId: what responses call OriginationIdentity
    key: str  # the document key (``SenderId/CC`` for sender IDs)
    arn: str
    doc: dict[str, Any]

    @property
    def phone_number(self) -> str | None:
        """The E.164 number of a phone number; None for sender IDs and pools."""
        return self.doc.get("PhoneNumber")

    @property
    def iso_country_code(self) -> str | None:
        """The country of a phone number or sender ID; None for pools."""
        return self.doc.get("IsoCountryCode")

    @property
    def opt_out_list(self) -> str | None:
        """The opt-out list name of a phone number or pool; None for sender IDs."""
        return self.doc.get("OptOutListName")

    @property
    def status(self) -> str:
        """The current status (sender IDs are always ``ACTIVE``)."""
        return self.doc.get("Status", "ACTIVE")

    @property
    def pool_ids(self) -> list[str]:
        """The pools a phone number (at most one) or a sender ID (any number) belongs to."""
        if self.kind == PHONE:
            return [self.doc["PoolId"]] if self.doc.get("PoolId") else []
        if self.kind == SENDER:
            return list(self.doc.get("_PoolIds", []))
        return []

    @property
    def capabilities(self) -> list[str]:
        """Number capabilities: a phone number's own, ``SMS`` for a sender ID, a pool's first."""
        if self.kind == SENDER:
            return ["SMS"]
        return list(self.doc.get("NumberCapabilities") or self.doc.get("_NumberCapabilities", []))

    def save(self, ctx: Context) -> None:
        """Write the (changed) document back."""
        ctx.store.put(self.kind, self.key, self.doc)


def identity_from_doc(ctx: Context, kind: str, doc: dict[str, Any]) -> Identity:
    """The (settled) identity of a stored phone-number, sender-id or pool document."""
    settle(ctx, doc)
    if kind == PHONE:
        return Identity(
            kind, doc["PhoneNumberId"], doc["PhoneNumberId"], doc["PhoneNumberArn"], doc
        )
    if kind == POOL:
        return Identity(kind, doc["PoolId"], doc["PoolId"], doc["PoolArn"], doc)
    key = sender_key(doc["SenderId"], doc["IsoCountryCode"])
    return Identity(kind, doc["SenderId"], key, doc["SenderIdArn"], doc)


def identity_of(ctx: Context, kind: str, key: str) -> Identity | None:
    """The identity stored under ``kind``/``key``, or None."""
    doc = ctx.store.get(kind, key)
    return None if doc is None else identity_from_doc(ctx, kind, doc)


def find_phone_number(ctx: Context, number: str) -> Identity | None:
    """The account's phone number whose E.164 number is ``number`` (``+`` optional), or None."""
    for _, doc in ctx.store.find(PHONE, "PhoneNumber", sms.normalize_e164(number)):
        return identity_from_doc(ctx, PHONE, doc)
    return None


def resolve_identity(
    ctx: Context,
    value: str,
    field: str,
    *,
    kinds: tuple[str, ...] = ALL_KINDS,
    iso_country_code: str | None = None,
    country_field: str = "IsoCountryCode",
    allow_phone_number: bool = False,
) -> Identity:
    """The origination identity ``value`` designates among ``kinds``.

    ``value`` may be an ARN, a phone-number or pool ID, a sender ID (with ``iso_country_code``)
    or, when ``allow_phone_number``, an E.164 number. Raises ``ValidationException``
    (``INVALID_ARN`` for a malformed ARN or one of a kind not accepted, ``COUNTRY_CODE_MISMATCH``
    when a sender-ID ARN names another country than ``iso_country_code``, ``MISSING_PARAMETER``
    naming ``country_field`` for a bare sender ID without a country) or
    ``ResourceNotFoundException`` of the kind designated.
    """
    if arns.is_arn(value):
        return _from_arn(ctx, value, field, kinds, iso_country_code, country_field)
    for prefix, kind in arns.ID_PREFIXES.items():
        if value.startswith(prefix) and kind in kinds:
            found = identity_of(ctx, kind, value)
            if found is not None:
                return found
            if SENDER not in kinds or not _could_be_sender_id(value):
                raise not_found(kind, value)
            break
    if allow_phone_number and PHONE in kinds and (value.startswith("+") or value.isdigit()):
        found = find_phone_number(ctx, value)
        if found is not None:
            return found
        if value.startswith("+") or SENDER not in kinds:
            raise not_found(PHONE, value)
    if SENDER not in kinds:
        raise not_found(kinds[0], value)
    if not iso_country_code:
        raise invalid_field(
            "MISSING_PARAMETER", country_field, f"is required to designate the sender ID {value!r}"
        )
    found = identity_of(ctx, SENDER, sender_key(value, iso_country_code))
    if found is None:
        raise not_found(SENDER, value)
    return found


def _could_be_sender_id(value: str) -> bool:
    return not problems(value, load().shape("SenderId"))


def _from_arn(
    ctx: Context,
    value: str,
    field: str,
    kinds: tuple[str, ...],
    iso_country_code: str | None,
    country_field: str,
) -> Identity:
    parsed = arns.parse(value, field)
    if parsed.resource_type not in kinds:
        raise invalid_field(
            "INVALID_ARN",
            field,
            f"{value!r} is a {parsed.resource_type} ARN; expected {' or '.join(kinds)}",
        )
    key = ctx.resolve(value, field, parsed.resource_type)
    if parsed.resource_type == SENDER:
        _, slash, country = key.partition("/")
        if not slash or not country:
            raise invalid_field(
                "INVALID_ARN", field, f"{value!r} does not end in sender-id/<SenderId>/<Country>"
            )
        if iso_country_code and country != iso_country_code:
            raise invalid_field(
                "COUNTRY_CODE_MISMATCH",
                country_field,
                f"{iso_country_code} does not match the country {country} of {value!r}",
            )
    found = identity_of(ctx, parsed.resource_type, key)
    if found is None:
        raise not_found(arns.RESOURCE_TYPES[parsed.resource_type], value)
    return found


# -- rules shared by the families that own identities --------------------------------------------


def opt_out_list_name(ctx: Context, value: str, field: str = "OptOutListName") -> str:
    """The name of the existing opt-out list ``value`` (a name or ARN) designates, else RNF."""
    return ctx.find("opt-out-list", value, field)["OptOutListName"]


def check_owner(params: dict[str, Any], ids_member: str) -> None:
    """``Owner`` together with an ID list is ``PARAMETERS_CANNOT_BE_USED_TOGETHER``."""
    if params.get("Owner") and params.get(ids_member):
        raise validation(
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            f"Owner and {ids_member} can't be used at the same time.",
            [
                ("Owner", f"can't be used with {ids_member}"),
                (ids_member, "can't be used with Owner"),
            ],
        )


def check_two_way(doc: dict[str, Any], params: dict[str, Any]) -> None:
    """Refuse two-way messaging switched on with no channel to deliver inbound messages to."""
    enabled = params.get("TwoWayEnabled", doc.get("TwoWayEnabled", False))
    channel = params.get("TwoWayChannelArn") or doc.get("TwoWayChannelArn")
    if enabled and not channel:
        raise invalid_field(
            "TWO_WAY_CHANNEL_NOT_PRESENT",
            "TwoWayChannelArn",
            "is required to enable two-way messaging",
        )


def apply_updates(doc: dict[str, Any], params: dict[str, Any], members: Iterable[str]) -> None:
    """Copy the ``members`` present in ``params`` onto ``doc``."""
    for name in members:
        if params.get(name) is not None:
            doc[name] = params[name]


def update_identity(
    ctx: Context, identity: Identity, params: dict[str, Any], members: Iterable[str]
) -> dict[str, Any]:
    """UpdatePhoneNumber / UpdatePool: check the opt-out list and two-way, then apply and save."""
    opt_out = None
    if params.get("OptOutListName"):
        opt_out = opt_out_list_name(ctx, params["OptOutListName"])
    check_two_way(identity.doc, params)
    apply_updates(identity.doc, params, members)
    if opt_out is not None:
        identity.doc["OptOutListName"] = opt_out
    identity.save(ctx)
    return identity.doc


# -- the describe trio: DescribePhoneNumbers, DescribePools, DescribeSenderIds ------------------

Resolve = Callable[[int, Any], Identity]


def doc_key(kind: str, doc: dict[str, Any]) -> str:
    """The store key of a phone-number, pool or sender-id document."""
    if kind == SENDER:
        return sender_key(doc["SenderId"], doc["IsoCountryCode"])
    return doc[RESOURCES[kind].id_member]


def describe_identities(
    ctx: Context,
    params: dict[str, Any],
    kind: str,
    ids_member: str,
    resolve: Resolve | None = None,
) -> dict[str, Any]:
    """A Describe* of one identity kind: Owner, the ``ids_member`` list, Filters, paging.

    Every value of ``ids_member`` must name an identity of ``kind`` (``resolve(i, value)``;
    by default an ID or ARN), or the request fails before anything is listed. Nothing is shared
    in the sandbox, so ``Owner=SHARED`` lists nothing.
    """
    check_owner(params, ids_member)
    if params.get("Owner") == "SHARED":
        return ctx.listing(params, [])
    rows = ctx.rows(params, kind)
    if params.get(ids_member):
        if resolve is None:

            def resolve(i: int, value: Any) -> Identity:
                return resolve_identity(ctx, value, ids_member, kinds=(kind,))

        wanted = {resolve(i, value).key for i, value in enumerate(params[ids_member])}
        rows = ((seq, doc) for seq, doc in rows if doc_key(kind, doc) in wanted)
    return ctx.listing(params, settled(ctx, rows))
