"""Opt-out audit: every list's numbers in one frame, who opted out how and when, and who uses
which list.

All functions are pure views of an :class:`~ppv2kit.analysis.Inventory` (or of the frame
:func:`opted_out` returns). An opt-out is "end user" when the recipient replied with an opt-out
keyword (``EndUserOptedOut`` true) and "manual" when it was added through the API
(``PutOptedOutNumber``, imports). A list is *used* by the pools and the unpooled phone numbers
whose configuration names it, and by sender IDs sending on their own (the ``Default`` list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .identities import DEFAULT_LIST, NO_POOL, PHONE_NUMBER, SENDER_ID, identities

if TYPE_CHECKING:
    from .inventory import Inventory

END_USER, MANUAL = "end user", "manual"
SOURCE = pd.CategoricalDtype([END_USER, MANUAL])
_FREQS = {"W": "W-SUN", "week": "W-SUN", "M": "M", "month": "M", "D": "D", "day": "D"}
LIST_KEYS = ["Account", "Region", "OptOutListName"]


def opted_out(inv: Inventory) -> pd.DataFrame:
    """Every opt-out list's numbers in one frame, with ``Source`` (``end user``/``manual``).

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``Region``, ``OptOutListName``, ``OptedOutNumber``,
        ``OptedOutTimestamp`` (UTC), ``EndUserOptedOut``, ``Source``; newest first.
    """
    df = inv.opted_out_numbers
    out = df[[*LIST_KEYS, "OptedOutNumber", "OptedOutTimestamp", "EndUserOptedOut"]].copy()
    source = out["EndUserOptedOut"].map({True: END_USER, False: MANUAL}, na_action="ignore")
    out["Source"] = source.astype(SOURCE)
    out["OptOutListName"] = out["OptOutListName"].astype("string")
    return out.sort_values(
        ["OptedOutTimestamp", "Region", "OptOutListName", "OptedOutNumber"],
        ascending=[False, True, True, True],
    ).reset_index(drop=True)


def opt_out_sources(numbers: pd.DataFrame) -> pd.DataFrame:
    """Per list: end-user and manual opt-outs, their share, the first and the latest.

    Parameters
    ----------
    numbers:
        From :func:`opted_out`.
    """
    g = numbers.groupby(LIST_KEYS, observed=True)
    out = pd.DataFrame(
        {
            "Numbers": g.size(),
            "EndUser": g["Source"].agg(lambda s: int((s == END_USER).sum())),
            "Manual": g["Source"].agg(lambda s: int((s == MANUAL).sum())),
            "FirstOptedOut": g["OptedOutTimestamp"].min(),
            "LastOptedOut": g["OptedOutTimestamp"].max(),
        }
    ).reset_index()
    for col in ("Numbers", "EndUser", "Manual"):
        out[col] = out[col].astype("Int64")
    out["EndUserShare"] = (out["EndUser"] / out["Numbers"]).astype("Float64").round(3)
    return out


def opt_out_timeline(
    numbers: pd.DataFrame, freq: str = "W", by: str | None = "OptOutListName"
) -> pd.DataFrame:
    """Opt-outs per week (or month, day), optionally split by ``by``.

    Parameters
    ----------
    numbers:
        From :func:`opted_out`.
    freq:
        ``"W"`` (weeks starting on Monday), ``"M"`` (calendar months) or ``"D"``.
    by:
        A column to split by (``OptOutListName``, ``Source``, ``Region``) or ``None``.

    Returns
    -------
    pandas.DataFrame
        ``Period`` (the period's first day, UTC), ``by`` when given, and ``OptOuts``; periods
        without opt-outs inside the covered range are kept with 0, so the timeline has no gaps.
    """
    try:
        period = _FREQS[freq]
    except KeyError:
        raise ValueError(f"freq must be one of {', '.join(_FREQS)}") from None
    stamps = numbers["OptedOutTimestamp"].dt.tz_convert("UTC").dt.tz_localize(None)
    frame = pd.DataFrame({"Period": stamps.dt.to_period(period).dt.start_time})
    keys = ["Period"]
    if by is not None:
        frame[by] = numbers[by].astype("string").to_numpy()
        keys.append(by)
    counts = frame.groupby(keys, observed=True).size().rename("OptOuts")
    if len(counts):
        span = pd.period_range(stamps.min(), stamps.max(), freq=period).start_time
        groups = counts.index.get_level_values(by).unique() if by else [None]
        full = (
            pd.MultiIndex.from_product([span, groups], names=keys)
            if by
            else pd.Index(span, name="Period")
        )
        counts = counts.reindex(full, fill_value=0)
    out = counts.reset_index()
    out["Period"] = pd.to_datetime(out["Period"]).dt.tz_localize("UTC")
    out["OptOuts"] = out["OptOuts"].astype("Int64")
    return out


def list_users(inv: Inventory) -> pd.DataFrame:
    """Which identities and pools send under which opt-out list: one row per user.

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``Region``, ``OptOutListName``, ``UserType`` (``POOL``, ``PHONE_NUMBER``
        outside any pool, ``SENDER_ID`` on its own, ``POOL_MEMBER``), ``UserId``, ``User``
        (name, number or sender ID), ``PoolName`` and ``SelfManagedOptOutsEnabled``.
    """
    rows = []
    for p in inv.pools.to_dict("records"):
        name = p.get("Name")
        rows.append(
            {
                **{k: p[k] for k in LIST_KEYS},
                "UserType": "POOL",
                "UserId": p["PoolId"],
                "User": name if isinstance(name, str) else p["PoolId"],
                "PoolName": name if isinstance(name, str) else p["PoolId"],
                "SelfManagedOptOutsEnabled": p["SelfManagedOptOutsEnabled"],
            }
        )
    ids = identities(inv)
    for r in ids.to_dict("records"):
        pooled = r["PoolName"] != NO_POOL
        if r["IdentityType"] == SENDER_ID and pooled:
            continue  # answers to its pools' lists through the pool, already listed
        user_type = r["IdentityType"] if not pooled else "POOL_MEMBER"
        rows.append(
            {
                "Account": r["Account"],
                "Region": r["Region"],
                "OptOutListName": r["OptOutListName"]
                if r["IdentityType"] == PHONE_NUMBER
                else DEFAULT_LIST,
                "UserType": user_type,
                "UserId": r["IdentityId"],
                "User": r["Identity"],
                "PoolName": r["PoolName"],
                "SelfManagedOptOutsEnabled": r["SelfManagedOptOutsEnabled"],
            }
        )
    cols = [*LIST_KEYS, "UserType", "UserId", "User", "PoolName", "SelfManagedOptOutsEnabled"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype({c: "string" for c in cols[:-1]})
    out["SelfManagedOptOutsEnabled"] = out["SelfManagedOptOutsEnabled"].astype("boolean")
    return out.sort_values([*LIST_KEYS, "UserType", "User"]).reset_index(drop=True)


def opt_out_lists(inv: Inventory) -> pd.DataFrame:
    """Every opt-out list with its size (end user / manual), latest opt-out and its users.

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``Region``, ``OptOutListName``, ``CreatedTimestamp``, ``Numbers``,
        ``EndUser``, ``Manual``, ``LastOptedOut``, ``Pools``, ``PhoneNumbers`` (pooled and
        not), ``SenderIds`` (on their own), ``Used`` and ``Users`` (pool names, numbers outside
        pools and sender IDs, comma-separated).
    """
    sizes = opt_out_sources(opted_out(inv))
    users = list_users(inv)
    g = users.groupby(LIST_KEYS, observed=True)
    use = pd.DataFrame(
        {
            "Pools": g["UserType"].agg(lambda s: int((s == "POOL").sum())),
            "PhoneNumbers": g["UserType"].agg(
                lambda s: int(s.isin(["PHONE_NUMBER", "POOL_MEMBER"]).sum())
            ),
            "SenderIds": g["UserType"].agg(lambda s: int((s == SENDER_ID).sum())),
            "Users": users[users["UserType"] != "POOL_MEMBER"]
            .groupby(LIST_KEYS, observed=True)["User"]
            .agg(lambda s: ", ".join(s)),
        }
    ).reset_index()
    base = inv.opt_out_lists[[*LIST_KEYS, "CreatedTimestamp"]].astype({"OptOutListName": "string"})
    sizes = sizes.drop(columns=["FirstOptedOut", "EndUserShare"])
    out = base.merge(sizes, on=LIST_KEYS, how="left")
    out = out.merge(use, on=LIST_KEYS, how="left")
    for col in ("Numbers", "EndUser", "Manual", "Pools", "PhoneNumbers", "SenderIds"):
        out[col] = out[col].fillna(0).astype("Int64")
    out["Users"] = out["Users"].fillna("").astype("string")
    out["Used"] = ((out["Pools"] + out["PhoneNumbers"] + out["SenderIds"]) > 0).astype("boolean")
    order = [*LIST_KEYS, "CreatedTimestamp", "Numbers", "EndUser", "Manual", "LastOptedOut"]
    order += ["Used", "Pools", "PhoneNumbers", "SenderIds", "Users"]
    return out[order].sort_values(LIST_KEYS).reset_index(drop=True)


def self_managed_identities(inv: Inventory) -> pd.DataFrame:
    """Pools and unpooled numbers with self-managed opt-outs, and their opt-out keywords.

    With self-managed opt-outs a STOP reply is not added to the opt-out list: the application
    behind the two-way channel must record it. These are the identities to check.

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``Region``, ``IdentityType`` (``POOL``/``PHONE_NUMBER``), ``IdentityId``,
        ``Name``, ``OptOutListName``, ``TwoWayEnabled``, ``TwoWayChannelArn``,
        ``OptOutKeywords`` and ``OptInKeywords`` (comma-separated), ``Members`` (a pool's).
    """
    kw = inv.keywords
    words: dict[tuple[str, str, str, str], list[str]] = {}
    for k in kw.to_dict("records"):
        key = (k["Account"], k["Region"], k["OriginationIdentity"], str(k["KeywordAction"]))
        words.setdefault(key, []).append(k["Keyword"])
    members = inv.pool_members.groupby(["Account", "Region", "PoolId"], observed=True).size()
    unpooled = inv.phone_numbers[inv.phone_numbers["PoolId"].isna()]
    rows = []
    for kind, frame, id_col in (
        ("POOL", inv.pools, "PoolId"),
        ("PHONE_NUMBER", unpooled, "PhoneNumberId"),
    ):
        for r in frame[frame["SelfManagedOptOutsEnabled"] == True].to_dict("records"):  # noqa: E712
            ident = r[id_col]
            key = (r["Account"], r["Region"], ident)
            rows.append(
                {
                    "Account": r["Account"],
                    "Region": r["Region"],
                    "IdentityType": kind,
                    "IdentityId": ident,
                    "Name": r.get("Name") if isinstance(r.get("Name"), str) else None,
                    "OptOutListName": r["OptOutListName"],
                    "TwoWayEnabled": r["TwoWayEnabled"],
                    "TwoWayChannelArn": r.get("TwoWayChannelArn"),
                    "OptOutKeywords": ", ".join(sorted(words.get((*key, "OPT_OUT"), []))),
                    "OptInKeywords": ", ".join(sorted(words.get((*key, "OPT_IN"), []))),
                    "Members": int(members.get(key, 0)) if kind == "POOL" else pd.NA,
                }
            )
    cols = ["Account", "Region", "IdentityType", "IdentityId", "Name", "OptOutListName"]
    cols += ["TwoWayEnabled", "TwoWayChannelArn", "OptOutKeywords", "OptInKeywords", "Members"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype({c: "string" for c in cols if c not in ("TwoWayEnabled", "Members")})
    return out.astype({"TwoWayEnabled": "boolean", "Members": "Int64"})


def on_several_lists(numbers: pd.DataFrame) -> pd.DataFrame:
    """Numbers that appear on more than one opt-out list (of any region of an account).

    Parameters
    ----------
    numbers:
        From :func:`opted_out`.

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``OptedOutNumber``, ``Lists`` (how many), ``ListNames``
        (``region/list``, comma-separated), ``FirstOptedOut``, ``LastOptedOut``,
        ``EndUserOnAny``; most lists first.
    """
    df = numbers.assign(
        Where=numbers["Region"].astype(str) + "/" + numbers["OptOutListName"].astype(str)
    )
    g = df.groupby(["Account", "OptedOutNumber"], observed=True)
    out = pd.DataFrame(
        {
            "Lists": g["Where"].nunique(),
            "ListNames": g["Where"].agg(lambda s: ", ".join(sorted(set(s)))),
            "FirstOptedOut": g["OptedOutTimestamp"].min(),
            "LastOptedOut": g["OptedOutTimestamp"].max(),
            "EndUserOnAny": g["EndUserOptedOut"].any(),
        }
    ).reset_index()
    out = out[out["Lists"] > 1].astype(
        {"Lists": "Int64", "ListNames": "string", "EndUserOnAny": "boolean"}
    )
    return out.sort_values(["Lists", "OptedOutNumber"], ascending=[False, True]).reset_index(
        drop=True
    )
