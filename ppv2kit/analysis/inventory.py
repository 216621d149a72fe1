"""Inventory: everything an account owns across regions, read in one concurrent pull.

:func:`inventory` reads the listings once (phone numbers, sender IDs, pools and their members,
configuration sets, opt-out lists and their numbers, keywords) into an :class:`Inventory`; the
other functions here are pure views of it: per-region totals, monthly leasing cost by any
grouping, pools with their members, configuration sets with their event destinations. The
opt-out views live in :mod:`.optouts`, the findings in :mod:`.findings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..frames import plan
from .identities import NO_POOL, identities
from .session import kit_now

if TYPE_CHECKING:
    from ..kit import Kit

# Listings read with their tags (the Name tag labels pools and numbers) and without.
TAGGED = (
    "DescribePhoneNumbers",
    "DescribeSenderIds",
    "DescribePools",
    "DescribeConfigurationSets",
    "DescribeOptOutLists",
)
POOL_MEMBERS = "ListPoolOriginationIdentities"
KEYWORDS = "DescribeKeywords"
OPTED_OUT = "DescribeOptedOutNumbers"
_DESTINATION_KINDS = {
    "CloudWatchLogsDestination": ("CloudWatchLogs", "LogGroupArn"),
    "KinesisFirehoseDestination": ("KinesisFirehose", "DeliveryStreamArn"),
    "SnsDestination": ("Sns", "TopicArn"),
}


@dataclass
class Inventory:
    """What an account owns, as the kit's frames (AWS column names, one row per item).

    Attributes
    ----------
    phone_numbers, sender_ids, pools, configuration_sets, opt_out_lists:
        ``kit.phone_numbers()`` and friends, with a ``Name`` column (the ``Name`` tag, NA when
        absent or not read) and ``Tags`` when read with tags.
    pool_members:
        ``kit.pool_origination_identities()``: one row per pool and member.
    opted_out_numbers, keywords:
        Every opt-out list's numbers; every phone number's and pool's keywords (empty frames
        when not read).
    backend, accounts, regions:
        Where it was read.
    taken_at:
        When, by the backend's clock (:func:`~ppv2kit.analysis.kit_now`).
    errors:
        Regions or listings that failed (``df.attrs["errors"]`` of each frame).
    """

    phone_numbers: pd.DataFrame
    sender_ids: pd.DataFrame
    pools: pd.DataFrame
    pool_members: pd.DataFrame
    configuration_sets: pd.DataFrame
    opt_out_lists: pd.DataFrame
    opted_out_numbers: pd.DataFrame
    keywords: pd.DataFrame
    backend: str = ""
    accounts: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    taken_at: pd.Timestamp | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{name}={len(getattr(self, name))}"
            for name in ("phone_numbers", "sender_ids", "pools", "opted_out_numbers")
        )
        return f"<Inventory {self.backend} {', '.join(self.regions)}: {counts}>"


def _empty(operation: str) -> pd.DataFrame:
    """A zero-row frame of ``operation`` with every typed column (a listing not read)."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in plan(operation).dtypes.items()})


def _named(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``Name`` (the Name tag) after the ID columns."""
    out = df.copy()
    if "Tags" in out.columns:
        names = [t.get("Name") if isinstance(t, dict) else None for t in out["Tags"]]
    else:
        names = [None] * len(out)
    out["Name"] = pd.array(names, dtype="string")
    return out


def inventory(
    kit: Kit,
    regions: Sequence[str] | None = None,
    *,
    with_tags: bool = True,
    opted_out: bool = True,
    keywords: bool = True,
    progress: bool | None = False,
) -> Inventory:
    """Read everything the account owns in ``regions`` (default: all of the kit's).

    Parameters
    ----------
    kit:
        ``ppv2kit.connect(...)``.
    regions:
        Regions to read; the kit's by default.
    with_tags:
        Read tags (one ``ListTagsForResource`` per resource) for the ``Name`` labels.
    opted_out, keywords:
        Also read every opt-out list's numbers and every identity's keywords (set ``False`` for
        a quick look at numbers and pools only).
    progress:
        Show a progress bar (``None``: only for pulls longer than a second).

    Returns
    -------
    Inventory
    """
    regions = list(regions or kit.regions)
    frames = kit.frames(TAGGED, regions=regions, with_tags=with_tags, progress=progress)
    plain = [POOL_MEMBERS] + ([KEYWORDS] if keywords else []) + ([OPTED_OUT] if opted_out else [])
    frames.update(kit.frames(plain, regions=regions, progress=progress))
    errors = [e for df in frames.values() for e in df.attrs.get("errors", [])]
    return Inventory(
        phone_numbers=_named(frames["phone_numbers"]),
        sender_ids=_named(frames["sender_ids"]),
        pools=_named(frames["pools"]),
        pool_members=frames["pool_origination_identities"],
        configuration_sets=_named(frames["configuration_sets"]),
        opt_out_lists=_named(frames["opt_out_lists"]),
        opted_out_numbers=frames.get("opted_out_numbers", _empty(OPTED_OUT)),
        keywords=frames.get("keywords", _empty(KEYWORDS)),
        backend=kit.backend,
        accounts=list(kit.accounts),
        regions=regions,
        taken_at=kit_now(kit),
        errors=errors,
    )


def _count(df: pd.DataFrame, name: str) -> pd.Series:
    return df.groupby(["Account", "Region"], observed=True).size().rename(name)


def inventory_summary(inv: Inventory, *, total: bool = False) -> pd.DataFrame:
    """Per account and region: how many of each resource, and the monthly leasing cost.

    Parameters
    ----------
    inv:
        From :func:`inventory`.
    total:
        Append a row with ``Region`` ``"(all)"`` summing every region.

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``Region``, ``PhoneNumbers``, ``SenderIds``, ``Pools``,
        ``ConfigurationSets``, ``OptOutLists``, ``OptedOutNumbers``, ``Keywords`` (``Int64``)
        and ``MonthlyLeasingUSD`` (phone numbers and sender IDs).
    """
    ids = identities(inv)
    parts = [
        _count(inv.phone_numbers, "PhoneNumbers"),
        _count(inv.sender_ids, "SenderIds"),
        _count(inv.pools, "Pools"),
        _count(inv.configuration_sets, "ConfigurationSets"),
        _count(inv.opt_out_lists, "OptOutLists"),
        _count(inv.opted_out_numbers, "OptedOutNumbers"),
        _count(inv.keywords, "Keywords"),
    ]
    cost = ids.groupby(["Account", "Region"], observed=True)["MonthlyLeasingPriceUSD"].sum()
    keys = pd.MultiIndex.from_tuples(
        [(a, r) for a in inv.accounts for r in inv.regions], names=["Account", "Region"]
    )
    out = pd.concat(parts, axis=1).reindex(keys).fillna(0).astype("Int64")
    out["MonthlyLeasingUSD"] = cost.reindex(keys).fillna(0.0).astype("Float64").round(2)
    out = out.reset_index()
    out[["Account", "Region"]] = out[["Account", "Region"]].astype("string")
    if total and len(out):
        sums = out.drop(columns=["Account", "Region"]).sum()
        row = {"Account": ", ".join(inv.accounts), "Region": "(all)", **sums.to_dict()}
        out = pd.concat([out, pd.DataFrame([row]).astype(out.dtypes.to_dict())], ignore_index=True)
    return out


def leasing_cost(
    inv: Inventory, by: str | Sequence[str] = ("Region", "IsoCountryCode", "NumberType")
) -> pd.DataFrame:
    """Monthly leasing cost and count of phone numbers and sender IDs, grouped by ``by``.

    Parameters
    ----------
    inv:
        From :func:`inventory`.
    by:
        Columns of :func:`~ppv2kit.analysis.identities`: ``Region``, ``IsoCountryCode``,
        ``NumberType`` (``SENDER_ID`` for sender IDs), ``PoolName`` (``(no pool)`` outside any
        pool), ``MessageType``, ``Account``...

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``Identities`` (count) and ``MonthlyLeasingUSD``, most expensive first.
    """
    keys = [by] if isinstance(by, str) else list(by)
    ids = identities(inv)
    for key in keys:
        if isinstance(ids[key].dtype, pd.CategoricalDtype):
            ids[key] = ids[key].astype("string")
    grouped = ids.groupby(keys, dropna=False, observed=True)
    out = pd.DataFrame(
        {
            "Identities": grouped.size().astype("Int64"),
            "MonthlyLeasingUSD": grouped["MonthlyLeasingPriceUSD"].sum().astype("Float64").round(2),
        }
    ).reset_index()
    return out.sort_values(["MonthlyLeasingUSD", *keys], ascending=[False] + [True] * len(keys))[
        [*keys, "Identities", "MonthlyLeasingUSD"]
    ].reset_index(drop=True)


def pool_members(inv: Inventory) -> pd.DataFrame:
    """One row per pool and member, with the member's type, country, price and protection."""
    ids = identities(inv, explode_pools=True)
    members = ids[ids["PoolId"].notna()]
    pools = inv.pools[["Account", "Region", "PoolId", "Name"]].rename(columns={"Name": "PoolName"})
    cols = [
        "IdentityType",
        "Identity",
        "IdentityId",
        "Name",
        "IsoCountryCode",
        "NumberType",
        "Status",
        "DeletionProtectionEnabled",
        "MonthlyLeasingPriceUSD",
    ]
    out = pools.merge(
        members[["Account", "Region", "PoolId", *cols]], on=["Account", "Region", "PoolId"]
    )
    return out.sort_values(["Region", "PoolName", "IdentityType", "Identity"]).reset_index(
        drop=True
    )


def pools_with_members(inv: Inventory) -> pd.DataFrame:
    """One row per pool: its settings and a digest of its members (counts, countries, cost).

    Returns
    -------
    pandas.DataFrame
        The pool's ``Account``, ``Region``, ``PoolId``, ``Name``, ``Status``, ``MessageType``,
        ``OptOutListName``, ``SelfManagedOptOutsEnabled``, ``TwoWayEnabled``,
        ``DeletionProtectionEnabled``; then ``PhoneNumbers``, ``SenderIds``, ``Countries``,
        ``NumberTypes``, ``Members`` (their E.164 numbers and sender IDs) and
        ``MonthlyLeasingUSD``.
    """
    members = pool_members(inv)
    keys = ["Account", "Region", "PoolId"]

    def joined(values: pd.Series) -> str:
        return ", ".join(sorted({str(v) for v in values.dropna()}))

    g = members.groupby(keys, observed=True)
    digest = pd.DataFrame(
        {
            "PhoneNumbers": g["IdentityType"].agg(lambda s: int((s == "PHONE_NUMBER").sum())),
            "SenderIds": g["IdentityType"].agg(lambda s: int((s == "SENDER_ID").sum())),
            "Countries": g["IsoCountryCode"].agg(joined),
            "NumberTypes": g["NumberType"].agg(joined),
            "Members": g["Identity"].agg(lambda s: ", ".join(s.astype(str))),
            "MonthlyLeasingUSD": g["MonthlyLeasingPriceUSD"].sum(),
        }
    ).reset_index()
    settings = [
        "Name",
        "Status",
        "MessageType",
        "OptOutListName",
        "SelfManagedOptOutsEnabled",
        "TwoWayEnabled",
        "DeletionProtectionEnabled",
    ]
    out = inv.pools[[*keys, *settings]].merge(digest, on=keys, how="left")
    for col in ("PhoneNumbers", "SenderIds"):
        out[col] = out[col].fillna(0).astype("Int64")
    out["MonthlyLeasingUSD"] = out["MonthlyLeasingUSD"].fillna(0.0).astype("Float64").round(2)
    for col in ("Countries", "NumberTypes", "Members"):
        out[col] = out[col].fillna("").astype("string")
    return out.sort_values(["Region", "Name", "PoolId"]).reset_index(drop=True)


def sender_ids(inv: Inventory) -> pd.DataFrame:
    """The sender IDs with the pools they belong to (``Pools``: pool names, or ``(no pool)``)."""
    ids = identities(inv)
    senders = ids[ids["IdentityType"] == "SENDER_ID"][
        ["Account", "Region", "Identity", "IsoCountryCode", "PoolName"]
    ].rename(columns={"Identity": "SenderId", "PoolName": "Pools"})
    out = inv.sender_ids.merge(senders, on=["Account", "Region", "SenderId", "IsoCountryCode"])
    cols = [c for c in out.columns if c not in ("Tags", "SenderIdArn")] + ["SenderIdArn"]
    return out[cols].reset_index(drop=True)


def event_destinations(inv: Inventory) -> pd.DataFrame:
    """Configuration sets with their event destinations: one row per destination.

    A configuration set without any destination keeps one row whose destination columns are NA,
    so it stays visible.

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``Region``, ``ConfigurationSetName``, ``Name``, ``DefaultMessageType``,
        ``DefaultSenderId``, ``EventDestinationName``, ``Enabled``, ``DestinationType``
        (``CloudWatchLogs``, ``KinesisFirehose``, ``Sns``), ``DestinationArn``,
        ``MatchingEventTypes`` (comma-separated).
    """
    rows = []
    base = ["Account", "Region", "ConfigurationSetName", "Name", "DefaultMessageType"]
    base.append("DefaultSenderId")
    for rec in inv.configuration_sets.to_dict("records"):
        head = {k: rec.get(k) for k in base}
        destinations = rec.get("EventDestinations")
        if not isinstance(destinations, list) or not destinations:
            rows.append(head)
            continue
        for d in destinations:
            kind, arn = next(
                ((k, d[key].get(a)) for key, (k, a) in _DESTINATION_KINDS.items() if d.get(key)),
                (next((k for k in d if k.endswith("Destination")), None), None),
            )
            rows.append(
                {
                    **head,
                    "EventDestinationName": d.get("EventDestinationName"),
                    "Enabled": d.get("Enabled"),
                    "DestinationType": kind,
                    "DestinationArn": arn,
                    "MatchingEventTypes": ", ".join(d.get("MatchingEventTypes") or []),
                }
            )
    columns = [
        *base,
        "EventDestinationName",
        "Enabled",
        "DestinationType",
        "DestinationArn",
        "MatchingEventTypes",
    ]
    out = pd.DataFrame(rows, columns=columns)
    dtypes = {c: "string" for c in columns if c != "Enabled"}
    dtypes["DefaultMessageType"] = "string"
    out = out.astype(dtypes)
    out["Enabled"] = out["Enabled"].astype("boolean")
    return out.sort_values(["Region", "ConfigurationSetName"], kind="stable").reset_index(drop=True)


__all__ = [
    "NO_POOL",
    "Inventory",
    "event_destinations",
    "inventory",
    "inventory_summary",
    "leasing_cost",
    "pool_members",
    "pools_with_members",
    "sender_ids",
]
