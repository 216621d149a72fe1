"""Origination identities: phone numbers and sender IDs as one frame, and finding one by any name.

A phone number in a pool sends under the pool's configuration: the pool's opt-out list and its
self-managed opt-out setting apply (``docs/adr/0010``), so the frame carries both the number's own
list (``OwnOptOutListName``) and the one that applies (``OptOutListName``). A sender ID used on
its own answers to the region's ``Default`` list; through a pool, to the pool's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .inventory import Inventory

NO_POOL = "(no pool)"
DEFAULT_LIST = "Default"
PHONE_NUMBER, SENDER_ID, POOL = "PHONE_NUMBER", "SENDER_ID", "POOL"

COLUMNS = {
    "Account": "string",
    "Region": "string",
    "IdentityType": "string",
    "Identity": "string",
    "IdentityId": "string",
    "Arn": "string",
    "Name": "string",
    "IsoCountryCode": "string",
    "NumberType": "string",
    "MessageType": "string",
    "Status": "string",
    "PoolId": "string",
    "PoolName": "string",
    "MonthlyLeasingPriceUSD": "Float64",
    "DeletionProtectionEnabled": "boolean",
    "TwoWayEnabled": "boolean",
    "TwoWayChannelArn": "string",
    "SelfManagedOptOutsEnabled": "boolean",
    "OwnOptOutListName": "string",
    "OptOutListName": "string",
}


def _pools(inv: Inventory) -> dict[tuple[str, str, str], dict]:
    out = {}
    for rec in inv.pools.to_dict("records"):
        name = rec.get("Name")
        rec["Label"] = name if isinstance(name, str) and name else rec["PoolId"]
        out[(rec["Account"], rec["Region"], rec["PoolId"])] = rec
    return out


def _na(value: object) -> object:
    return None if value is pd.NA or (isinstance(value, float) and value != value) else value


def identities(inv: Inventory, *, explode_pools: bool = False) -> pd.DataFrame:
    """Every phone number and sender ID of the inventory, one schema for both.

    Parameters
    ----------
    inv:
        From :func:`~ppv2kit.analysis.inventory`.
    explode_pools:
        One row per pool a sender ID belongs to (a sender ID may be in several pools); by
        default one row per sender ID with its pools comma-separated.

    Returns
    -------
    pandas.DataFrame
        ``IdentityType`` (``PHONE_NUMBER``/``SENDER_ID``), ``Identity`` (E.164 number or sender
        ID), ``IdentityId``, ``Arn``, ``Name`` (tag), ``IsoCountryCode``, ``NumberType``
        (``SENDER_ID`` for sender IDs), ``MessageType``, ``Status``, ``PoolId``, ``PoolName``
        (``(no pool)`` outside any pool), ``MonthlyLeasingPriceUSD``,
        ``DeletionProtectionEnabled``, ``TwoWayEnabled``, ``TwoWayChannelArn``,
        ``SelfManagedOptOutsEnabled`` and ``OptOutListName`` as they apply to sends (the pool's
        for a pooled number), ``OwnOptOutListName`` (the number's own).
    """
    pools = _pools(inv)
    rows: list[dict] = []
    for n in inv.phone_numbers.to_dict("records"):
        pool = pools.get((n["Account"], n["Region"], _na(n.get("PoolId"))))
        rows.append(
            {
                "Account": n["Account"],
                "Region": n["Region"],
                "IdentityType": PHONE_NUMBER,
                "Identity": n["PhoneNumber"],
                "IdentityId": n["PhoneNumberId"],
                "Arn": n["PhoneNumberArn"],
                "Name": _na(n.get("Name")),
                "IsoCountryCode": n["IsoCountryCode"],
                "NumberType": _na(n["NumberType"]),
                "MessageType": _na(n["MessageType"]),
                "Status": _na(n["Status"]),
                "PoolId": pool["PoolId"] if pool else None,
                "PoolName": pool["Label"] if pool else NO_POOL,
                "MonthlyLeasingPriceUSD": _na(n.get("MonthlyLeasingPriceUSD")),
                "DeletionProtectionEnabled": _na(n["DeletionProtectionEnabled"]),
                "TwoWayEnabled": _na(n["TwoWayEnabled"]),
                "TwoWayChannelArn": _na(n.get("TwoWayChannelArn")),
                "SelfManagedOptOutsEnabled": _na((pool or n)["SelfManagedOptOutsEnabled"]),
                "OwnOptOutListName": _na(n["OptOutListName"]),
                "OptOutListName": _na((pool or n)["OptOutListName"]),
            }
        )
    memberships: dict[str, list[dict]] = {}
    for m in inv.pool_members.to_dict("records"):
        pool = pools.get((m["Account"], m["Region"], m["PoolId"]))
        if pool is not None:
            memberships.setdefault(m["OriginationIdentityArn"], []).append(pool)
    for s in inv.sender_ids.to_dict("records"):
        belongs = sorted(memberships.get(s["SenderIdArn"], []), key=lambda p: p["Label"])
        groups = [[p] for p in belongs] if explode_pools else [belongs]
        for group in groups or [[]]:
            lists = sorted({p["OptOutListName"] for p in group}) or [DEFAULT_LIST]
            managed = {bool(p["SelfManagedOptOutsEnabled"]) for p in group}
            rows.append(
                {
                    "Account": s["Account"],
                    "Region": s["Region"],
                    "IdentityType": SENDER_ID,
                    "Identity": s["SenderId"],
                    "IdentityId": s["SenderId"],
                    "Arn": s["SenderIdArn"],
                    "Name": _na(s.get("Name")),
                    "IsoCountryCode": s["IsoCountryCode"],
                    "NumberType": SENDER_ID,
                    "MessageType": ", ".join(s.get("MessageTypes") or []) or None,
                    "Status": None,
                    "PoolId": ", ".join(p["PoolId"] for p in group) or None,
                    "PoolName": ", ".join(p["Label"] for p in group) or NO_POOL,
                    "MonthlyLeasingPriceUSD": _na(s.get("MonthlyLeasingPriceUSD")),
                    "DeletionProtectionEnabled": _na(s["DeletionProtectionEnabled"]),
                    "TwoWayEnabled": None,
                    "TwoWayChannelArn": None,
                    "SelfManagedOptOutsEnabled": managed.pop() if len(managed) == 1 else None,
                    "OwnOptOutListName": None,
                    "OptOutListName": ", ".join(lists),
                }
            )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    return out.astype(COLUMNS).reset_index(drop=True)


@dataclass(frozen=True)
class Identity:
    """An origination identity found by :func:`find_identity`: what a send through it uses.

    Attributes
    ----------
    kind:
        ``PHONE_NUMBER``, ``POOL`` or ``SENDER_ID``.
    id:
        Phone number ID, pool ID or sender ID (what ``OriginationIdentity`` takes).
    arn, name, account, region:
        Its ARN, ``Name`` tag (or ID), account and region.
    opt_out_list:
        The opt-out list that applies to sends through it.
    self_managed:
        Whether it manages opt-outs itself (STOP replies never reach the list).
    phone_number:
        The E.164 number of a phone number.
    pool_id:
        The pool a phone number belongs to (its configuration applies).
    """

    kind: str
    id: str
    arn: str
    name: str
    account: str
    region: str
    opt_out_list: str
    self_managed: bool
    phone_number: str | None = None
    pool_id: str | None = None

    def __str__(self) -> str:
        label = self.name if self.name == self.id else f"{self.name} ({self.id})"
        return f"{self.kind.replace('_', ' ').lower()} {label} in {self.region}"


def find_identity(inv: Inventory, identity: str, region: str | None = None) -> Identity:
    """The phone number, pool or sender ID that ``identity`` names, as a send would resolve it.

    Parameters
    ----------
    inv:
        From :func:`~ppv2kit.analysis.inventory` (``opted_out=False`` suffices).
    identity:
        A phone number ID or ARN, an E.164 number, a pool ID or ARN, a pool's ``Name`` tag, a
        sender ID or its ARN.
    region:
        Restrict the search to one region (needed when the name exists in several).

    Raises
    ------
    LookupError
        Nothing, or things in several regions, answer to ``identity``.
    """
    wanted = identity.strip()
    pools = _pools(inv)
    found: list[Identity] = []
    for p in pools.values():
        if wanted in (p["PoolId"], p["PoolArn"], _na(p.get("Name"))):
            found.append(
                Identity(
                    POOL,
                    p["PoolId"],
                    p["PoolArn"],
                    p["Label"],
                    p["Account"],
                    p["Region"],
                    p["OptOutListName"],
                    bool(p["SelfManagedOptOutsEnabled"]),
                )
            )
    ids = identities(inv)
    hits = ids[(ids["IdentityId"] == wanted) | (ids["Arn"] == wanted) | (ids["Identity"] == wanted)]
    for rec in hits.to_dict("records"):
        is_phone = rec["IdentityType"] == PHONE_NUMBER
        found.append(
            Identity(
                rec["IdentityType"],
                rec["IdentityId"],
                rec["Arn"],
                rec["Name"] if isinstance(rec["Name"], str) else rec["IdentityId"],
                rec["Account"],
                rec["Region"],
                DEFAULT_LIST if not is_phone else rec["OptOutListName"],
                bool(_na(rec["SelfManagedOptOutsEnabled"])) if is_phone else False,
                rec["Identity"] if is_phone else None,
                _na(rec["PoolId"]) if is_phone else None,
            )
        )
    if region is not None:
        found = [f for f in found if f.region == region]
    if not found:
        where = f" in {region}" if region else ""
        raise LookupError(f"no phone number, pool or sender ID answers to {identity!r}{where}")
    places = sorted({(f.account, f.region) for f in found})
    if len(places) > 1:
        raise LookupError(
            f"{identity!r} exists in several places ({', '.join(r for _, r in places)}); "
            "name the region or use the ARN"
        )
    return found[0]
