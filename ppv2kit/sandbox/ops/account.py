"""Account attributes, account limits and quotas: the per-region settings every family reads.

A region's settings are created on first use, as a new AWS account starts: SANDBOX tier, $1
monthly spend limits, the documented default quotas, and the ``Default`` opt-out list (which
counts against the opt-out-list quota, ADR 0003).
"""

from __future__ import annotations

from typing import Any

from ...model import load
from .. import catalog, kinds
from ..context import Context
from ..errors import quota

# AccountLimitName -> the document kind whose count is "Used".
LIMIT_KINDS = {
    "PHONE_NUMBERS": kinds.PHONE,
    "POOLS": kinds.POOL,
    "CONFIGURATION_SETS": kinds.CONFIGURATION_SET,
    "OPT_OUT_LISTS": kinds.OPT_OUT_LIST,
    "SENDER_IDS": kinds.SENDER,
    "REGISTRATIONS": kinds.REGISTRATION,
    "REGISTRATION_ATTACHMENTS": kinds.REGISTRATION_ATTACHMENT,
    "VERIFIED_DESTINATION_NUMBERS": kinds.VERIFIED_DESTINATION,
}


def _enum(name: str) -> tuple[str, ...]:
    return load().shape(name).enum


def init_region(ctx: Context) -> None:
    """Create the settings of a region the account has not used yet."""
    tier = "SANDBOX"
    ctx.store.put(
        kinds.SETTINGS,
        "",
        {
            "AccountTier": tier,
            "Limits": {
                name: catalog.DEFAULT_ACCOUNT_LIMITS.get(name, 25)
                for name in _enum("AccountLimitName")
            },
            "SpendMax": {
                name: catalog.SPEND_MAX_LIMIT[tier].get(name, 1) for name in _enum("SpendLimitName")
            },
            "SpendOverrides": {},
            "Quotas": {
                "ORIGINATION_IDENTITIES_PER_POOL": catalog.ORIGINATION_IDENTITIES_PER_POOL,
                "KEYWORDS_PER_IDENTITY": catalog.KEYWORDS_PER_IDENTITY,
                "EVENT_DESTINATIONS_PER_CONFIGURATION_SET": (
                    catalog.EVENT_DESTINATIONS_PER_CONFIGURATION_SET
                ),
                "TAGS_PER_RESOURCE": catalog.TAGS_PER_RESOURCE,
            },
            "CreatedTimestamp": ctx.now,
        },
    )
    ctx.store.put(
        kinds.OPT_OUT_LIST,
        "Default",
        {
            "OptOutListName": "Default",
            "OptOutListArn": ctx.arn(kinds.OPT_OUT_LIST, "Default"),
            "CreatedTimestamp": ctx.now,
        },
    )


def ensure_region(ctx: Context) -> None:
    """Create the region's settings on the account's first request there."""
    doc = ctx.store.get(kinds.SETTINGS, "")
    if doc is None:
        init_region(ctx)
    else:
        ctx.memo[kinds.SETTINGS] = doc


def settings(ctx: Context) -> dict[str, Any]:
    """The region's settings document (read once per request)."""
    doc = ctx.memo.get(kinds.SETTINGS)
    if doc is None:
        doc = ctx.store.get(kinds.SETTINGS, "")
        assert doc is not None, "ensure_region runs before every request"
        ctx.memo[kinds.SETTINGS] = doc
    return doc


def save_settings(ctx: Context, doc: dict[str, Any]) -> None:
    """Store the region's settings document."""
    ctx.store.put(kinds.SETTINGS, "", doc)
    ctx.memo[kinds.SETTINGS] = doc


def used(ctx: Context, limit: str) -> int:
    """How much of an account limit live state uses."""
    return ctx.store.count(LIMIT_KINDS[limit])


def check_limit(ctx: Context, limit: str, adding: int = 1) -> None:
    """Raise ``ServiceQuotaExceededException`` if ``adding`` more would pass ``limit``."""
    maximum = settings(ctx)["Limits"][limit]
    if used(ctx, limit) + adding > maximum:
        raise quota(
            f"{limit}_PER_ACCOUNT",
            f"The account already has the maximum of {maximum} {limit.lower().replace('_', ' ')} "
            f"in {ctx.region}.",
        )


def quota_value(ctx: Context, name: str) -> int:
    """A per-resource quota (``KEYWORDS_PER_IDENTITY``, ``TAGS_PER_RESOURCE``...)."""
    return settings(ctx)["Quotas"][name]


# -- operations -------------------------------------------------------------------------------


def describe_account_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    attrs = [{"Name": "ACCOUNT_TIER", "Value": settings(ctx)["AccountTier"]}]
    default_protect = settings(ctx).get("DefaultProtectConfigurationId")
    if default_protect:
        attrs.append({"Name": "DEFAULT_PROTECT_CONFIGURATION_ID", "Value": default_protect})
    return ctx.listing(params, enumerate(attrs, 1))


def describe_account_limits(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    limits = settings(ctx)["Limits"]
    rows = [
        {"Name": name, "Used": used(ctx, name), "Max": limits[name]}
        for name in _enum("AccountLimitName")
    ]
    return ctx.listing(params, enumerate(rows, 1))


# -- administration (Sandbox methods; no API call does this) ---------------------------------


def set_account_tier(ctx: Context, tier: str) -> None:
    """Move the account to ``SANDBOX`` or ``PRODUCTION`` in this region, with that tier's limits."""
    if tier not in catalog.TIERS:
        raise ValueError(f"tier must be one of {catalog.TIERS}, not {tier!r}")
    doc = settings(ctx)
    doc["AccountTier"] = tier
    doc["SpendMax"] = {
        name: catalog.SPEND_MAX_LIMIT[tier].get(name, 1) for name in _enum("SpendLimitName")
    }
    doc["SpendOverrides"] = {
        name: value
        for name, value in doc["SpendOverrides"].items()
        if value <= doc["SpendMax"][name]
    }
    save_settings(ctx, doc)


def set_account_limit(ctx: Context, name: str, maximum: int) -> None:
    """Change an account limit's Max (``PHONE_NUMBERS``) or a quota (``TAGS_PER_RESOURCE``)."""
    doc = settings(ctx)
    if name in doc["Limits"]:
        doc["Limits"][name] = int(maximum)
    elif name in doc["Quotas"]:
        doc["Quotas"][name] = int(maximum)
    else:
        raise ValueError(
            f"unknown limit {name!r}; known: {sorted(doc['Limits']) + sorted(doc['Quotas'])}"
        )
    save_settings(ctx, doc)


def set_spend_max(ctx: Context, name: str, maximum: int) -> None:
    """Change a spend limit's MaxLimit (as AWS support would)."""
    doc = settings(ctx)
    if name not in doc["SpendMax"]:
        raise ValueError(f"unknown spend limit {name!r}; known: {sorted(doc['SpendMax'])}")
    doc["SpendMax"][name] = int(maximum)
    save_settings(ctx, doc)
