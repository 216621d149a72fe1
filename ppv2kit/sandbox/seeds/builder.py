"""What seeds build accounts with: real API calls at past times, and the few steps AWS does.

A :class:`Builder` runs every change through :meth:`Sandbox.invoke` with the clock pinned to the
moment the change happened (so the service's rules apply and creation times read as history),
and offers the steps no API call performs: account tier and limits (a support case), short
codes (an approved application; ``RequestableNumberType`` has no ``SHORT_CODE``), and bulk
writes of opted-out numbers or phone numbers where thousands of calls would cost too much. Bulk
writes produce exactly the documents the operations write (``ops/opt_outs.py``,
``ops/phone_numbers.py``).
"""

from __future__ import annotations

import contextlib
import copy
import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...sms import normalize_e164
from .. import catalog
from ..context import Context, uuid4_text
from ..kinds import PHONE
from ..ops import account as account_ops
from ..ops.keywords import KIND as KEYWORD
from ..ops.opt_outs import ENTRY as OPTED_OUT
from ..ops.opt_outs import KIND as OPT_OUT_LIST

if TYPE_CHECKING:
    from ..engine import Sandbox

DAY = 86_400.0
HOUR = 3_600.0

Tags = Mapping[str, str]
Keyword = tuple[str, str, str]  # word, action, message
Destination = tuple[str, Sequence[str], Mapping[str, Any]]  # name, event types, target block


def anchor_of(sandbox: Sandbox) -> float:
    """The instant seeded history is placed against: the start of the sandbox clock's UTC day."""
    return math.floor(sandbox.time() / DAY) * DAY


def tag_list(*groups: Tags | None) -> list[dict[str, str]]:
    """``{"team": "growth"}, {"Name": "x"}`` -> the API's ``[{"Key", "Value"}]`` (later wins)."""
    merged: dict[str, str] = {}
    for group in groups:
        merged.update(group or {})
    return [{"Key": k, "Value": v} for k, v in merged.items()]


@dataclass(frozen=True)
class Numbers:
    """Phone numbers requested together, then given the same keywords and settings."""

    name: str  # the Name tag
    count: int
    country: str
    number_type: str  # SHORT_CODE needs ``short_codes``
    message_type: str
    capabilities: tuple[str, ...]
    tags: Tags
    days_ago: float
    opt_out_list: str = "Default"
    keywords: tuple[Keyword, ...] = ()
    two_way: str | None = None  # the TwoWayChannelArn
    self_managed: bool = False  # SelfManagedOptOutsEnabled
    protect: bool = True  # DeletionProtectionEnabled
    short_codes: tuple[str, ...] = ()  # one SHORT_CODE number per code


class Builder:
    """Builds one account of a seed in a sandbox, relative to an anchor instant.

    Parameters
    ----------
    sandbox:
        The sandbox being filled.
    anchor:
        Epoch seconds every ``days_ago`` is counted back from (see :func:`anchor_of`).
    data_seed:
        Seeds :attr:`rng`, the random source for made-up data (opt-out histories, traffic), kept
        apart from the sandbox's own source of IDs.
    account:
        The account built.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        anchor: float,
        data_seed: str,
        *,
        account: str = catalog.DEFAULT_ACCOUNT,
    ) -> None:
        self.sandbox = sandbox
        self.anchor = anchor
        self.account = account
        self.rng = random.Random(data_seed)
        self._request_ids = random.Random(f"{data_seed}/request-ids")
        self._held: set[str] | None = None  # E.164 numbers of the sandbox, once read

    # -- time -----------------------------------------------------------------------------------
    def at(self, days_ago: float, hour: float = 10.0) -> float:
        """Epoch seconds ``days_ago`` whole days before the anchor, at ``hour`` (UTC)."""
        return self.anchor - math.floor(days_ago) * DAY + hour * HOUR

    # -- API calls ------------------------------------------------------------------------------
    def call(
        self, region: str, operation: str, params: Mapping[str, Any] | None = None, *, at: float
    ) -> dict[str, Any]:
        """Run ``operation`` in ``region`` as if called at ``at``; the response."""
        request_id = uuid4_text(self._request_ids.getrandbits(128))
        if operation in _CHANGES_NUMBERS:
            self._held = None
        with self.sandbox.clock_at(at):
            return self.sandbox.invoke(
                operation,
                params or {},
                region=region,
                account=self.account,
                request_id=request_id,
                checked=self.sandbox.strict,  # the seed's own requests: checked in strict mode
            )

    @contextlib.contextmanager
    def admin(self, region: str, *, at: float) -> Iterator[Context]:
        """An administrative transaction in ``region`` with the clock at ``at``."""
        with self.sandbox.clock_at(at), self.sandbox.admin(self.account, region) as ctx:
            yield ctx

    # -- resources through the API -------------------------------------------------------------
    def numbers(self, region: str, spec: Numbers) -> list[str]:
        """Request the numbers of ``spec``, then give them its keywords and settings; their IDs."""
        at = self.at(spec.days_ago)
        request: dict[str, Any] = {
            "OptOutListName": spec.opt_out_list,
            "Tags": tag_list(spec.tags, {"Name": spec.name}),
        }
        made = []
        for i in range(len(spec.short_codes) or spec.count):
            if spec.number_type == "SHORT_CODE":
                doc = self.short_code(
                    region,
                    spec.country,
                    spec.short_codes[i],
                    message_type=spec.message_type,
                    capabilities=spec.capabilities,
                    at=at,
                    **request,
                )
            else:
                doc = self.call(
                    region,
                    "RequestPhoneNumber",
                    {
                        "IsoCountryCode": spec.country,
                        "MessageType": spec.message_type,
                        "NumberCapabilities": list(spec.capabilities),
                        "NumberType": spec.number_type,
                        **request,
                    },
                    at=at,
                )
            made.append(doc["PhoneNumberId"])
        update: dict[str, Any] = {}
        if spec.two_way:
            update.update(TwoWayEnabled=True, TwoWayChannelArn=spec.two_way)
        if spec.self_managed:
            update["SelfManagedOptOutsEnabled"] = True
        if spec.protect:
            update["DeletionProtectionEnabled"] = True
        later = at + 2 * HOUR
        for phone_id in made:
            for word, action, message in spec.keywords:
                keyword = {"Keyword": word, "KeywordAction": action, "KeywordMessage": message}
                self.call(
                    region, "PutKeyword", {"OriginationIdentity": phone_id, **keyword}, at=later
                )
            if update:
                self.call(
                    region, "UpdatePhoneNumber", {"PhoneNumberId": phone_id, **update}, at=later
                )
        return made

    def pool(
        self,
        region: str,
        name: str,
        members: Sequence[str],
        message_type: str,
        tags: Tags,
        *,
        at: float,
        sender_ids: Sequence[tuple[str, str]] = (),
    ) -> str:
        """A protected pool started from ``members[0]`` and joined by the rest; its ID."""
        pool = self.call(
            region,
            "CreatePool",
            {
                "OriginationIdentity": members[0],
                "MessageType": message_type,
                "DeletionProtectionEnabled": True,
                "Tags": tag_list(tags, {"Name": name}),
            },
            at=at,
        )
        self.join(region, pool["PoolId"], members[1:], at=at + HOUR, sender_ids=sender_ids)
        return pool["PoolId"]

    def join(
        self,
        region: str,
        pool_id: str,
        members: Sequence[str],
        *,
        at: float,
        sender_ids: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Associate phone numbers and ``(sender ID, country)`` pairs with a pool."""
        identities = [{"OriginationIdentity": m} for m in members] + [
            {"OriginationIdentity": s, "IsoCountryCode": c} for s, c in sender_ids
        ]
        for identity in identities:
            self.call(
                region, "AssociateOriginationIdentity", {"PoolId": pool_id, **identity}, at=at
            )

    def opt_out_list(self, region: str, name: str, tags: Tags, *, at: float) -> None:
        """Create an opt-out list."""
        self.call(
            region, "CreateOptOutList", {"OptOutListName": name, "Tags": tag_list(tags)}, at=at
        )

    def config_set(
        self,
        region: str,
        name: str,
        tags: Tags,
        *,
        at: float,
        destinations: Sequence[Destination] = (),
        message_type: str | None = None,
        sender_id: str | None = None,
    ) -> None:
        """A configuration set with its event destinations and defaults."""
        set_name = {"ConfigurationSetName": name}
        self.call(region, "CreateConfigurationSet", {**set_name, "Tags": tag_list(tags)}, at=at)
        for dest_name, types, target in destinations:
            self.call(
                region,
                "CreateEventDestination",
                {
                    **set_name,
                    "EventDestinationName": dest_name,
                    "MatchingEventTypes": list(types),
                    **target,
                },
                at=at,
            )
        if message_type:
            self.call(
                region, "SetDefaultMessageType", {**set_name, "MessageType": message_type}, at=at
            )
        if sender_id:
            self.call(region, "SetDefaultSenderId", {**set_name, "SenderId": sender_id}, at=at)

    def named(self, region: str, kind: str, name: str) -> list[dict[str, Any]]:
        """Documents of ``kind`` (``phone-number``, ``pool``) whose Name tag is ``name``."""
        with self.admin(region, at=self.anchor) as ctx:
            return [
                doc
                for doc in ctx.store.docs(kind)
                if {"Key": "Name", "Value": name} in doc.get("Tags", [])
            ]

    # -- what a support case does --------------------------------------------------------------
    def production(
        self,
        region: str,
        *,
        at: float,
        limits: Mapping[str, int] | None = None,
        spend_max: Mapping[str, int] | None = None,
    ) -> None:
        """Move ``region`` to the PRODUCTION tier with the limits and spend maxima granted."""
        with self.admin(region, at=at) as ctx:
            account_ops.set_account_tier(ctx, "PRODUCTION")
            for name, maximum in (limits or {}).items():
                account_ops.set_account_limit(ctx, name, maximum)
            for name, maximum in (spend_max or {}).items():
                account_ops.set_spend_max(ctx, name, maximum)

    def short_code(
        self,
        region: str,
        country: str,
        code: str,
        *,
        message_type: str,
        capabilities: Iterable[str] = ("SMS",),
        at: float,
        **request: Any,
    ) -> dict[str, Any]:
        """A short code as AWS hands it over after an approved application; its description.

        The number is requested through RequestPhoneNumber as the country's dedicated type (so
        its ID, ARN, keywords, opt-out list, tags and quota are the API's own), then given the
        short code's number, type, leasing price and rates.
        """
        base_type = "TOLL_FREE" if country == "US" else "LONG_CODE"
        caps = list(capabilities)
        number = self.call(
            region,
            "RequestPhoneNumber",
            {
                "IsoCountryCode": country,
                "MessageType": message_type,
                "NumberCapabilities": caps,
                "NumberType": base_type,
                **request,
            },
            at=at,
        )
        mps = catalog.MPS.get((country, "SHORT_CODE"), {})
        with self.admin(region, at=at) as ctx:
            doc = ctx.store.get(PHONE, number["PhoneNumberId"])
            assert doc is not None
            doc.update(
                PhoneNumber=code,
                NumberType="SHORT_CODE",
                MonthlyLeasingPrice=catalog.leasing_price(country, "SHORT_CODE"),
                MessagingLimits={"RateLimits": {c: r for c, r in mps.items() if c in caps}},
            )
            ctx.store.put(PHONE, doc["PhoneNumberId"], doc)
        self._held = None
        return doc

    def sender_id(
        self, region: str, sender_id: str, country: str, *, at: float, **fields: Any
    ) -> dict[str, Any]:
        """Provision a sender ID (registered outside the API); its description."""
        with self.sandbox.clock_at(at):
            return self.sandbox.add_sender_id(
                sender_id, country, account=self.account, region=region, **fields
            )

    # -- bulk writes ----------------------------------------------------------------------------
    def opted_out(
        self, region: str, list_name: str, entries: Iterable[tuple[str, float, bool]]
    ) -> int:
        """Put ``(number, when, by the end user)`` entries on a list, oldest first; how many.

        The documents are PutOptedOutNumber's (``EndUserOptedOut`` False) or a STOP reply's
        (True). A number already on the list keeps its first entry.
        """
        rows: dict[str, dict[str, Any]] = {}
        for number, when, end_user in sorted(entries, key=lambda e: e[1]):
            key = normalize_e164(number)
            rows.setdefault(
                key,
                {"OptedOutNumber": key, "OptedOutTimestamp": when, "EndUserOptedOut": end_user},
            )
        with self.admin(region, at=self.anchor) as ctx:
            if ctx.store.get(OPT_OUT_LIST, list_name) is None:
                raise ValueError(f"no opt-out list {list_name!r} in {region}")
            held = set(ctx.store.keys(OPTED_OUT, list_name))
            fresh = [(k, d) for k, d in rows.items() if k not in held]
            ctx.store.put_many(OPTED_OUT, fresh, parent=list_name)
        return len(fresh)

    def held_numbers(self) -> set[str]:
        """The E.164 numbers every account of the sandbox holds (kept up to date by the builder)."""
        if self._held is None:
            self._held = {doc["PhoneNumber"] for *_, doc in self.sandbox.store.scan(PHONE)}
        return self._held

    def copies_of_number(
        self,
        region: str,
        prototype_id: str,
        numbers: Iterable[str],
        *,
        at: float,
        pool_id: str | None = None,
        tags: Tags | None = None,
    ) -> list[str]:
        """Numbers provisioned like the number ``prototype_id`` (same request), in bulk; their IDs.

        Each copy is the document RequestPhoneNumber wrote for the prototype with its own ID,
        ARN, E.164 number, creation time and tags, and the prototype's keywords; ``pool_id``
        makes it a member of that pool (which must match the prototype's configuration, as
        AssociateOriginationIdentity requires). The PHONE_NUMBERS limit applies.
        """
        wanted = [normalize_e164(n) for n in numbers]
        with self.admin(region, at=at) as ctx:
            proto = ctx.store.get(PHONE, prototype_id)
            if proto is None:
                raise ValueError(f"no phone number {prototype_id!r} in {region}")
            held = self.held_numbers()
            clash = held.intersection(wanted) | (set(wanted) & _SIMULATOR_DESTINATIONS)
            if clash or len(set(wanted)) != len(wanted):
                raise ValueError(f"numbers already held or repeated: {sorted(clash)[:5]}")
            account_ops.check_limit(ctx, "PHONE_NUMBERS", adding=len(wanted))
            keywords = ctx.store.docs(KEYWORD, prototype_id)
            rows, ids = [], []
            for number in wanted:
                phone_id = ctx.new_id("phone")
                doc = copy.deepcopy(proto)
                doc.update(
                    PhoneNumberArn=ctx.arn(PHONE, phone_id),
                    PhoneNumberId=phone_id,
                    PhoneNumber=number,
                    CreatedTimestamp=at,
                    _ReadyAt=at,
                    Tags=tag_list(tags) if tags is not None else proto.get("Tags", []),
                )
                doc.pop("PoolId", None)
                if pool_id is not None:
                    doc["PoolId"] = pool_id
                rows.append((phone_id, doc))
                ids.append(phone_id)
            ctx.store.put_many(PHONE, rows)
            held.update(wanted)
            for phone_id in ids:
                ctx.store.put_many(KEYWORD, ((k["Keyword"], k) for k in keywords), parent=phone_id)
        return ids


_SIMULATOR_DESTINATIONS = catalog.SIMULATOR_SUCCESS | catalog.SIMULATOR_FAILURE
# Operations after which the numbers held must be read again.
_CHANGES_NUMBERS = frozenset({"RequestPhoneNumber", "ReleasePhoneNumber"})
