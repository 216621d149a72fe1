"""Protect configurations: country rule sets, number overrides, the account default, and the
verdict a send gets from them.

A ``protect-configuration`` document (key: its ID, ``protect-<32 hex>``) carries
``ProtectConfigurationId``, ``ProtectConfigurationArn``, ``CreatedTimestamp``,
``DeletionProtectionEnabled``, ``Tags`` and ``_Rules``: per NumberCapability, the countries whose
status is not ``ALLOW`` (every country starts ``ALLOW``). The account default is the settings'
``DefaultProtectConfigurationId`` (also the ``DEFAULT_PROTECT_CONFIGURATION_ID`` account
attribute); an association is the configuration set's ``ProtectConfigurationId``. A
``protect-number-override`` document (key: E.164 number, parent: the configuration's ID) is
``ALLOW`` or ``BLOCK`` with an optional ``ExpirationTimestamp`` on the sandbox clock: once
expired it neither applies nor lists.

What a send gets from them is decided in :mod:`~ppv2kit.sandbox.protect_rules`. Choices the
reference leaves open: ADR 0018.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import phonenumbers

from ... import sms
from .. import catalog, paging
from ..context import Context
from ..errors import conflict, invalid_field, not_found, quota
from ..kinds import CONFIGURATION_SET
from ..kinds import PROTECT_CONFIGURATION as KIND
from ..kinds import PROTECT_NUMBER_OVERRIDE as OVERRIDE
from .account import save_settings, settings
from .tags import initial_tags

# Protect configurations an account may hold in a region [UNCONFIRMED: ADR 0018].
PROTECT_CONFIGURATIONS_PER_ACCOUNT = 5
DEFAULT_SETTING = "DefaultProtectConfigurationId"
ALLOW, BLOCK, MONITOR, FILTER = "ALLOW", "BLOCK", "MONITOR", "FILTER"


@functools.cache
def countries() -> tuple[str, ...]:
    """The ISO country codes a country rule set lists (the number plan's regions)."""
    return tuple(sorted(phonenumbers.SUPPORTED_REGIONS))


# -- helpers other families use ---------------------------------------------------------------


def find_protect_configuration(
    ctx: Context, id_or_arn: str, field: str = "ProtectConfigurationId"
) -> dict[str, Any]:
    """The protect configuration an ID or ARN designates, or ``ResourceNotFoundException``."""
    return ctx.find(KIND, id_or_arn, field)


def active_override(ctx: Context, ident: str, number: str) -> dict[str, Any] | None:
    """The unexpired number override of ``number`` in protect configuration ``ident``."""
    doc = ctx.store.get(OVERRIDE, number, parent=ident)
    return doc if doc is not None and _active(ctx, doc) else None


def _active(ctx: Context, doc: Mapping[str, Any]) -> bool:
    expires = doc.get("ExpirationTimestamp")
    return expires is None or expires > ctx.now


def _summary(ctx: Context, doc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "ProtectConfigurationArn": doc["ProtectConfigurationArn"],
        "ProtectConfigurationId": doc["ProtectConfigurationId"],
        "CreatedTimestamp": doc["CreatedTimestamp"],
        "AccountDefault": settings(ctx).get(DEFAULT_SETTING) == doc["ProtectConfigurationId"],
        "DeletionProtectionEnabled": doc["DeletionProtectionEnabled"],
    }


def _names(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "ProtectConfigurationArn": doc["ProtectConfigurationArn"],
        "ProtectConfigurationId": doc["ProtectConfigurationId"],
    }


def _associated_sets(ctx: Context, ident: str) -> list[str]:
    return [
        d["ConfigurationSetName"]
        for d in ctx.store.docs(CONFIGURATION_SET)
        if d.get("ProtectConfigurationId") == ident
    ]


def _country(number: str) -> str | None:
    """The ISO country of an E.164 number (a simulator's, else the number plan's)."""
    simulated = catalog.simulator_country(number)
    if simulated:
        return simulated
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return None
    return region if region in countries() else None


def _as_seconds(value: Any) -> float:
    return value.timestamp() if hasattr(value, "timestamp") else float(value)


# -- protect configurations -------------------------------------------------------------------


def create_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    limit = (
        settings(ctx)
        .get("Quotas", {})
        .get("PROTECT_CONFIGURATIONS_PER_ACCOUNT", PROTECT_CONFIGURATIONS_PER_ACCOUNT)
    )
    if ctx.store.count(KIND) >= limit:
        raise quota(
            "PROTECT_CONFIGURATIONS_PER_ACCOUNT",
            f"The account already has the maximum of {limit} protect configurations in "
            f"{ctx.region}.",
        )
    tags = initial_tags(ctx, params.get("Tags"))
    ident = ctx.new_id("protect")
    doc = {
        "ProtectConfigurationId": ident,
        "ProtectConfigurationArn": ctx.arn(KIND, ident),
        "CreatedTimestamp": ctx.now,
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "Tags": tags,
        "_Rules": {},
    }
    ctx.store.put(KIND, ident, doc)
    return {**_summary(ctx, doc), "Tags": tags}


def update_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    if params.get("DeletionProtectionEnabled") is not None:
        doc["DeletionProtectionEnabled"] = params["DeletionProtectionEnabled"]
        ctx.store.put(KIND, doc["ProtectConfigurationId"], doc)
    return _summary(ctx, doc)


def delete_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    ident = doc["ProtectConfigurationId"]
    if doc["DeletionProtectionEnabled"]:
        raise conflict(
            "DELETION_PROTECTION_ENABLED",
            f"The protect configuration {ident} has deletion protection enabled.",
            KIND,
            ident,
        )
    if settings(ctx).get(DEFAULT_SETTING) == ident:
        raise conflict(
            "PROTECT_CONFIGURATION_IS_ACCOUNT_DEFAULT",
            f"The protect configuration {ident} is the account default; delete the account "
            "default first.",
            KIND,
            ident,
        )
    sets = _associated_sets(ctx, ident)
    if sets:
        raise conflict(
            "PROTECT_CONFIGURATION_ASSOCIATED_WITH_CONFIGURATION_SET",
            f"The protect configuration {ident} is associated with the configuration set(s) "
            f"{', '.join(sets)}.",
            KIND,
            ident,
        )
    summary = _summary(ctx, doc)
    ctx.store.delete_all(OVERRIDE, ident)
    ctx.store.delete(KIND, ident)
    return summary


def describe_protect_configurations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ids = params.get("ProtectConfigurationIds")
    rows: Iterable[tuple[int, dict[str, Any]]]
    if ids:
        found: dict[int, dict[str, Any]] = {}
        for i, value in enumerate(ids):
            doc = find_protect_configuration(ctx, value, f"ProtectConfigurationIds[{i}]")
            seq = ctx.store.seq(KIND, doc["ProtectConfigurationId"])
            assert seq is not None
            found[seq] = doc
        rows = sorted(found.items())
    else:
        rows = ctx.rows(params, KIND)
    answer = ctx.listing(params, ((seq, _summary(ctx, doc)) for seq, doc in rows))
    return _without_empty(answer, "ProtectConfigurations")


def _without_empty(answer: dict[str, Any], member: str) -> dict[str, Any]:
    """``answer`` without an empty ``member`` (the model's list has a minimum length of 1)."""
    if not answer.get(member):
        answer.pop(member, None)
    return answer


# -- country rule sets ------------------------------------------------------------------------


def _rule_set(doc: Mapping[str, Any], capability: str) -> dict[str, Any]:
    rules = doc["_Rules"].get(capability, {})
    return {cc: {"ProtectStatus": rules.get(cc, ALLOW)} for cc in countries()}


def get_protect_configuration_country_rule_set(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    capability = params["NumberCapability"]
    return {
        **_names(doc),
        "NumberCapability": capability,
        "CountryRuleSet": _rule_set(doc, capability),
    }


def update_protect_configuration_country_rule_set(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    updates = params["CountryRuleSetUpdates"]
    known = set(countries())
    unknown = sorted(set(updates) - known)
    if unknown:
        raise invalid_field(
            "INVALID_PARAMETER",
            "CountryRuleSetUpdates",
            f"{', '.join(unknown)}: not ISO country codes a rule set holds",
        )
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    capability = params["NumberCapability"]
    rules = doc["_Rules"].setdefault(capability, {})
    for cc, info in updates.items():
        if info["ProtectStatus"] == ALLOW:
            rules.pop(cc, None)
        else:
            rules[cc] = info["ProtectStatus"]
    ctx.store.put(KIND, doc["ProtectConfigurationId"], doc)
    return {
        **_names(doc),
        "NumberCapability": capability,
        "CountryRuleSet": _rule_set(doc, capability),
    }


# -- configuration sets and the account default -----------------------------------------------


def _config_set(ctx: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    return ctx.find(CONFIGURATION_SET, params["ConfigurationSetName"], "ConfigurationSetName")


def _association(doc: Mapping[str, Any], config_set: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "ConfigurationSetArn": config_set["ConfigurationSetArn"],
        "ConfigurationSetName": config_set["ConfigurationSetName"],
        **_names(doc),
    }


def associate_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    config_set = _config_set(ctx, params)
    config_set["ProtectConfigurationId"] = doc["ProtectConfigurationId"]
    ctx.store.put(CONFIGURATION_SET, config_set["ConfigurationSetName"], config_set)
    return _association(doc, config_set)


def disassociate_protect_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    config_set = _config_set(ctx, params)
    if config_set.get("ProtectConfigurationId") != doc["ProtectConfigurationId"]:
        raise conflict(
            "PROTECT_CONFIGURATION_NOT_ASSOCIATED_WITH_CONFIGURATION_SET",
            f"The protect configuration {doc['ProtectConfigurationId']} is not associated with "
            f"the configuration set {config_set['ConfigurationSetName']!r}.",
            KIND,
            doc["ProtectConfigurationId"],
        )
    del config_set["ProtectConfigurationId"]
    ctx.store.put(CONFIGURATION_SET, config_set["ConfigurationSetName"], config_set)
    return _association(doc, config_set)


def _default_names(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "DefaultProtectConfigurationArn": doc["ProtectConfigurationArn"],
        "DefaultProtectConfigurationId": doc["ProtectConfigurationId"],
    }


def set_account_default_protect_configuration(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    current = settings(ctx)
    current[DEFAULT_SETTING] = doc["ProtectConfigurationId"]
    save_settings(ctx, current)
    return _default_names(doc)


def delete_account_default_protect_configuration(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    current = settings(ctx)
    ident = current.get(DEFAULT_SETTING)
    doc = ctx.store.get(KIND, ident) if ident else None
    if doc is None:
        raise not_found(
            KIND, "default", "The account has no default protect configuration in this region."
        )
    del current[DEFAULT_SETTING]
    save_settings(ctx, current)
    return _default_names(doc)


# -- number overrides -------------------------------------------------------------------------


def _override_out(doc: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    return {**_names(doc), **{k: v for k, v in override.items() if not k.startswith("_")}}


def put_protect_configuration_rule_set_number_override(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    number = sms.normalize_e164(params["DestinationPhoneNumber"])
    country = _country(number)
    if country is None:
        raise invalid_field(
            "INVALID_PARAMETER",
            "DestinationPhoneNumber",
            f"{number} is not a phone number of any country",
        )
    expires = params.get("ExpirationTimestamp")
    if expires is not None:
        expires = _as_seconds(expires)
        if expires <= ctx.now:
            raise invalid_field("INVALID_PARAMETER", "ExpirationTimestamp", "must be in the future")
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    override = {
        "DestinationPhoneNumber": number,
        "CreatedTimestamp": ctx.now,
        "Action": params["Action"],
        "IsoCountryCode": country,
        "ExpirationTimestamp": expires,
    }
    ctx.store.put(OVERRIDE, number, override, parent=doc["ProtectConfigurationId"])
    return _override_out(doc, override)


def delete_protect_configuration_rule_set_number_override(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    ident = doc["ProtectConfigurationId"]
    number = sms.normalize_e164(params["DestinationPhoneNumber"])
    override = active_override(ctx, ident, number)
    if override is None:
        # the model's ResourceType has no value for an override: the configuration is named
        raise not_found(
            KIND,
            ident,
            f"The protect configuration {ident} has no number override for {number}.",
        )
    ctx.store.delete(OVERRIDE, number, parent=ident)
    return _override_out(doc, override)


def _override_filter(name: str, values: set[str]) -> Any:
    """A predicate on an override document for one ``Filters`` entry."""
    if name == "iso-country-code":
        return lambda o: o["IsoCountryCode"] in values
    if name == "action":
        return lambda o: o["Action"] in values
    if name == "destination-phone-number-begins-with":
        return lambda o: any(o["DestinationPhoneNumber"].startswith(v) for v in values)
    field = "ExpirationTimestamp" if name.startswith("expires") else "CreatedTimestamp"
    try:
        bounds = [_as_seconds(_parse_time(v)) for v in values]
    except ValueError:
        raise invalid_field(
            "INVALID_FILTER_VALUES", "Filters", f"{name} takes timestamps, got {sorted(values)}"
        ) from None
    if name.endswith("before"):
        return lambda o: o.get(field) is not None and o[field] < max(bounds)
    return lambda o: o.get(field) is not None and o[field] > min(bounds)


def _parse_time(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def list_protect_configuration_rule_set_number_overrides(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    doc = find_protect_configuration(ctx, params["ProtectConfigurationId"])
    ident = doc["ProtectConfigurationId"]
    checks = [_override_filter(f["Name"], set(f["Values"])) for f in params.get("Filters") or []]
    rows = (
        (seq, _override_out(doc, o))
        for seq, o in ctx.store.items(OVERRIDE, ident, after=ctx.position(params))
        if _active(ctx, o) and all(check(o) for check in checks)
    )
    # the Filters are applied above (time bounds), so page directly; the token stays bound to them
    assert ctx.operation is not None
    items, token = paging.page(ctx.sandbox.secret, ctx.operation.name, params, rows)
    answer = {**_names(doc), "RuleSetNumberOverrides": items, "NextToken": token}
    return _without_empty(answer, "RuleSetNumberOverrides")
