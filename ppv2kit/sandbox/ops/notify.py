"""Notify: configurations, the template and country catalog, SendNotifyText/VoiceMessage.

A notify configuration (``nc-…``) is ``PENDING`` until ``Sandbox.provisioning_delay`` seconds of
sandbox time have passed, then ``ACTIVE`` at the ``BASIC`` tier. It names the channels (SMS,
VOICE) and countries it may reach, an optional default template and an optional pool to send
from; a pool named by a configuration can't be deleted (``POOL_ASSOCIATED_TO_NOTIFY_CONFIGURATION``,
checked in :mod:`.pools`). Templates and countries are the catalog of
:mod:`~ppv2kit.sandbox.notify_catalog`. A send resolves the template, checks the variables
against the template's metadata (required, type, length, range, pattern), renders the body and
is then logged, charged against the ``NOTIFY`` monthly spend limit and delivered like a text or
a call (:mod:`~ppv2kit.sandbox.delivery`: TEXT_*/VOICE_* events). Choices: ADR 0020.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ... import sms
from .. import catalog, delivery, notify_catalog, routing, spend
from ..context import Context
from ..errors import conflict, invalid_field, not_found, quota
from ..kinds import NOTIFY_CONFIGURATION as KIND
from ..kinds import NOTIFY_TEMPLATE, POOL
from .configuration_sets import find_configuration_set
from .identities import resolve_identity, settle, settled
from .sending import DEFAULT_VOICE_ID, _check_recipient, _message
from .spend_limits import enforced_limit
from .tags import initial_tags

# UNCONFIRMED (ADR 20): the service's quotas are not published.
CONFIGURATIONS_PER_ACCOUNT = 10
BASIC_DAILY_MESSAGES = 1000
SPEND_CHANNEL = "NOTIFY"
UNSET_TEMPLATE = "UNSET_DEFAULT_TEMPLATE"
UNSET_POOL = "UNSET_DEFAULT_POOL_FOR_NOTIFY"
_CAPABILITY = {"TEXT": "SMS", "VOICE": "VOICE"}
_DAY = 24 * 3600
_TRUE_FALSE = ("true", "false")


# -- configurations ------------------------------------------------------------------------------


def find_configuration(ctx: Context, value: str) -> dict[str, Any]:
    """The settled notify configuration ``value`` (an ID or ARN) names, else RNF."""
    return settle(ctx, ctx.find(KIND, value, "NotifyConfigurationId"))


def pools_in_use(ctx: Context) -> set[str]:
    """IDs of the pools some notify configuration sends from."""
    return {doc["PoolId"] for doc in ctx.store.docs(KIND) if doc.get("PoolId")}


def _template_id(value: str | None, field: str) -> str | None:
    """The catalog template ``value`` names (None for unset); RNF for an unknown one."""
    if value in (None, "", UNSET_TEMPLATE):
        return None
    if value not in notify_catalog.TEMPLATES:
        raise not_found(NOTIFY_TEMPLATE, value)
    return value


def _pool_id(ctx: Context, value: str | None) -> str | None:
    if value in (None, "", UNSET_POOL):
        return None
    return resolve_identity(ctx, value, "PoolId", kinds=(POOL,)).id


def _check_countries(countries: list[str] | None) -> None:
    for i, code in enumerate(countries or []):
        if code not in notify_catalog.COUNTRIES:
            raise invalid_field(
                "INVALID_PARAMETER",
                f"EnabledCountries[{i}]",
                f"{code} is not a Notify country (ListNotifyCountries lists them)",
            )


def _check_channels(channels: list[str] | None) -> None:
    for i, channel in enumerate(channels or []):
        if channel not in _CAPABILITY.values():
            raise invalid_field(
                "INVALID_PARAMETER",
                f"EnabledChannels[{i}]",
                f"Notify sends SMS and VOICE; {channel} is not supported",
            )


def create_notify_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    default_template = _template_id(params.get("DefaultTemplateId"), "DefaultTemplateId")
    pool_id = _pool_id(ctx, params.get("PoolId"))
    _check_countries(params.get("EnabledCountries"))
    _check_channels(params["EnabledChannels"])
    if len(ctx.store.docs(KIND)) >= CONFIGURATIONS_PER_ACCOUNT:
        raise quota(
            "NOTIFY_CONFIGURATIONS_PER_ACCOUNT",
            f"The account already has the maximum of {CONFIGURATIONS_PER_ACCOUNT} notify "
            f"configurations in {ctx.region}.",
        )
    ident = ctx.new_id("nc")
    doc = {
        "NotifyConfigurationArn": ctx.arn(KIND, ident),
        "NotifyConfigurationId": ident,
        "DisplayName": params["DisplayName"],
        "UseCase": params["UseCase"],
        "DefaultTemplateId": default_template,
        "PoolId": pool_id,
        "EnabledCountries": list(params.get("EnabledCountries") or []),
        "EnabledChannels": list(dict.fromkeys(params["EnabledChannels"])),
        "Tier": "BASIC",
        "TierUpgradeStatus": "BASIC",
        "Status": "PENDING",
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "CreatedTimestamp": ctx.now,
        "Tags": initial_tags(ctx, params.get("Tags")),
        "_ReadyAt": ctx.now + ctx.sandbox.provisioning_delay,
    }
    ctx.store.put(KIND, ident, doc)
    return settle(ctx, doc)


def update_notify_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_configuration(ctx, params["NotifyConfigurationId"])
    if "DefaultTemplateId" in params:
        doc["DefaultTemplateId"] = _template_id(params["DefaultTemplateId"], "DefaultTemplateId")
    if "PoolId" in params:
        doc["PoolId"] = _pool_id(ctx, params["PoolId"])
    if params.get("EnabledCountries") is not None:
        _check_countries(params["EnabledCountries"])
        doc["EnabledCountries"] = list(params["EnabledCountries"])
    if params.get("EnabledChannels") is not None:
        _check_channels(params["EnabledChannels"])
        doc["EnabledChannels"] = list(dict.fromkeys(params["EnabledChannels"]))
    if params.get("DeletionProtectionEnabled") is not None:
        doc["DeletionProtectionEnabled"] = params["DeletionProtectionEnabled"]
    ctx.store.put(KIND, doc["NotifyConfigurationId"], doc)
    return doc


def delete_notify_configuration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_configuration(ctx, params["NotifyConfigurationId"])
    ident = doc["NotifyConfigurationId"]
    if doc["DeletionProtectionEnabled"]:
        raise conflict(
            "DELETION_PROTECTION_ENABLED",
            f"The notify configuration {ident} has deletion protection enabled.",
            KIND,
            ident,
        )
    ctx.store.delete(KIND, ident)
    return doc


_CONFIGURATION_GETTERS = {
    "default-template": lambda doc: doc.get("DefaultTemplateId"),
    "default-pool": lambda doc: doc.get("PoolId"),
}


def describe_notify_configurations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    wanted = {
        find_configuration(ctx, value)["NotifyConfigurationId"]
        for value in params.get("NotifyConfigurationIds") or []
    }
    rows = (
        (seq, doc)
        for seq, doc in settled(ctx, ctx.rows(params, KIND))
        if not wanted or doc["NotifyConfigurationId"] in wanted
    )
    answer = ctx.listing(params, rows, getters=_CONFIGURATION_GETTERS)
    if not answer["NotifyConfigurations"]:
        del answer["NotifyConfigurations"]  # the model's list has at least one item
    return answer


# -- the catalog ---------------------------------------------------------------------------------


def describe_notify_templates(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    wanted = [_template_id(value, "TemplateIds") for value in params.get("TemplateIds") or []]
    rows = (
        (seq, item)
        for seq, item in enumerate(notify_catalog.templates(), 1)
        if seq > ctx.position(params) and (not wanted or item["TemplateId"] in wanted)
    )
    getters = {
        "template-type": lambda item: item["TemplateType"],
        "channels": lambda item: item["Channels"],
        "tier-access": lambda item: item["TierAccess"],
        "supported-countries": lambda item: item["SupportedCountries"],
        "language-code": lambda item: item["LanguageCode"],
        "supported-voice-ids": lambda item: item["SupportedVoiceIds"],
    }
    return ctx.listing(params, rows, getters=getters)


def list_notify_countries(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    channels = set(params.get("Channels") or [])
    use_cases = set(params.get("UseCases") or [])
    tier = params.get("Tier")
    rows = (
        (seq, item)
        for seq, item in enumerate(notify_catalog.countries(), 1)
        if seq > ctx.position(params)
        and channels <= set(item["SupportedChannels"])
        and use_cases <= set(item["SupportedUseCases"])
        and (tier is None or tier in item["SupportedTiers"])
    )
    return ctx.listing(params, rows)


# -- sending -------------------------------------------------------------------------------------


def _check_variable(name: str, value: str, meta: dict[str, Any]) -> None:
    field = f"TemplateVariables.{name}"
    kind = meta["Type"]
    if kind == "INTEGER":
        if not re.fullmatch(r"-?[0-9]+", value):
            raise invalid_field("INVALID_PARAMETER", field, f"{value!r} is not an INTEGER")
        number = int(value)
        if meta.get("MinValue") is not None and number < meta["MinValue"]:
            raise invalid_field(
                "INVALID_PARAMETER", field, f"{number} is below the minimum of {meta['MinValue']}"
            )
        if meta.get("MaxValue") is not None and number > meta["MaxValue"]:
            raise invalid_field(
                "INVALID_PARAMETER", field, f"{number} is above the maximum of {meta['MaxValue']}"
            )
    elif kind == "BOOLEAN" and value.lower() not in _TRUE_FALSE:
        raise invalid_field("INVALID_PARAMETER", field, f"{value!r} is not true or false")
    if meta.get("MaxLength") is not None and len(value) > meta["MaxLength"]:
        raise invalid_field(
            "INVALID_PARAMETER",
            field,
            f"{len(value)} characters; at most {meta['MaxLength']} are allowed",
        )
    if meta.get("Pattern") and not re.fullmatch(meta["Pattern"], value):
        raise invalid_field(
            "INVALID_PARAMETER", field, f"{value!r} does not match the pattern {meta['Pattern']}"
        )


def render(template_id: str, variables: dict[str, str]) -> str:
    """The body of ``template_id`` with ``variables`` checked and substituted (defaults filled).

    ``ValidationException``: an unknown variable or one the service supplies (``SYSTEM``)
    ``INVALID_PARAMETER``, a missing required one ``MISSING_PARAMETER``, a value breaking the
    template's type, range, length or pattern ``INVALID_PARAMETER``.
    """
    template = notify_catalog.TEMPLATES[template_id]
    metadata = template["Variables"]
    for name in variables:
        meta = metadata.get(name)
        if meta is None or meta.get("Source") == "SYSTEM":
            raise invalid_field(
                "INVALID_PARAMETER",
                f"TemplateVariables.{name}",
                f"the template {template_id} has no variable {name!r} to set",
            )
    values: dict[str, str] = {}
    for name, meta in metadata.items():
        if name in variables:
            _check_variable(name, variables[name], meta)
            values[name] = variables[name]
        elif meta["Required"]:
            raise invalid_field(
                "MISSING_PARAMETER",
                f"TemplateVariables.{name}",
                f"is required by the template {template_id}",
            )
        else:
            values[name] = meta.get("DefaultValue", "")
    return notify_catalog.PLACEHOLDER.sub(lambda m: values.get(m[1], ""), template["Content"])


def _template_for(config: dict[str, Any], params: dict[str, Any], capability: str) -> str:
    template_id = _template_id(params.get("TemplateId"), "TemplateId") or config.get(
        "DefaultTemplateId"
    )
    if template_id is None:
        raise invalid_field(
            "MISSING_PARAMETER",
            "TemplateId",
            f"is required: the notify configuration {config['NotifyConfigurationId']} has no "
            "default template",
        )
    template = notify_catalog.TEMPLATES[template_id]
    problem = None
    if template["Status"] != "ACTIVE":
        problem = "is INACTIVE"
    elif capability not in template["Channels"]:
        problem = f"does not support {capability}"
    elif config["Tier"] not in template["TierAccess"]:
        problem = f"is not available at the {config['Tier']} tier"
    if problem is not None:
        raise invalid_field(
            "INVALID_PARAMETER", "TemplateId", f"the template {template_id} {problem}"
        )
    return template_id


def _check_destination(config: dict[str, Any], template_id: str, dest: routing.Destination) -> None:
    enabled = config.get("EnabledCountries") or list(notify_catalog.COUNTRIES)
    supported = notify_catalog.TEMPLATES[template_id]["SupportedCountries"]
    if dest.country not in enabled:
        raise invalid_field(
            "DESTINATION_COUNTRY_BLOCKED",
            "DestinationPhoneNumber",
            f"{dest.country} is not an enabled country of the notify configuration "
            f"{config['NotifyConfigurationId']}",
        )
    if dest.country not in supported:
        raise invalid_field(
            "DESTINATION_COUNTRY_BLOCKED",
            "DestinationPhoneNumber",
            f"the template {template_id} does not support {dest.country}",
        )


def _route(
    ctx: Context,
    config: dict[str, Any],
    dest: routing.Destination,
    channel: str,
    config_set: dict[str, Any] | None,
) -> routing.Route:
    if config.get("PoolId"):
        return routing.route(ctx, config["PoolId"], dest, channel, "TRANSACTIONAL", config_set)
    return routing.Route(
        config["NotifyConfigurationId"],
        config["NotifyConfigurationArn"],
        "NOTIFY_CONFIGURATION",
        None,
        None,
    )


def _check_daily(ctx: Context, config: dict[str, Any]) -> None:
    if config["Tier"] != "BASIC":
        return
    since = ctx.now - _DAY
    sent = sum(
        1
        for _, doc in ctx.store.items(delivery.MESSAGE)
        if doc.get("_NotifyConfigurationId") == config["NotifyConfigurationId"]
        and doc["Timestamp"] > since
    )
    if sent >= BASIC_DAILY_MESSAGES:
        raise quota(
            "DAILY_NOTIFY_TIER_MESSAGE_LIMIT",
            f"A BASIC notify configuration sends at most {BASIC_DAILY_MESSAGES} messages in 24 "
            "hours.",
        )


def _check_spend(ctx: Context, price: float) -> None:
    limit = enforced_limit(ctx, "NOTIFY_MESSAGE_MONTHLY_SPEND_LIMIT")
    spent = spend.month_to_date(ctx.store, SPEND_CHANNEL, ctx.now)
    if round(spent + price, 6) > limit:
        raise quota(
            "MONTHLY_SPEND_LIMIT_REACHED_FOR_NOTIFY",
            f"MONTHLY_SPEND_LIMIT_REACHED_FOR_NOTIFY: this message ({price:.5f} USD) would take "
            f"this month's notify spend ({spent:.5f} USD) past the limit of {limit} USD.",
        )


def _send(ctx: Context, params: dict[str, Any], channel: str) -> dict[str, Any]:
    capability = _CAPABILITY[channel]
    config = find_configuration(ctx, params["NotifyConfigurationId"])
    ident = config["NotifyConfigurationId"]
    if config["Status"] != "ACTIVE":
        raise conflict(
            "NOTIFY_CONFIGURATION_NOT_ACTIVE",
            f"The notify configuration {ident} is {config['Status']}.",
            KIND,
            ident,
        )
    if capability not in config["EnabledChannels"]:
        raise invalid_field(
            "INVALID_PARAMETER",
            "NotifyConfigurationId",
            f"the notify configuration {ident} does not enable {capability}",
        )
    template_id = _template_for(config, params, capability)
    body = render(template_id, params["TemplateVariables"])
    voice_id = params.get("VoiceId")
    if channel == "VOICE":
        voices = notify_catalog.TEMPLATES[template_id]["SupportedVoiceIds"]
        voice_id = voice_id or (DEFAULT_VOICE_ID if DEFAULT_VOICE_ID in voices else voices[0])
        if voice_id not in voices:
            raise invalid_field(
                "INVALID_PARAMETER", "VoiceId", f"the template {template_id} can't use {voice_id}"
            )
    dest = routing.destination(params["DestinationPhoneNumber"])
    _check_destination(config, template_id, dest)
    config_set = (
        find_configuration_set(ctx, params["ConfigurationSetName"])
        if params.get("ConfigurationSetName")
        else None
    )
    route = _route(ctx, config, dest, channel, config_set)
    _check_recipient(ctx, route, dest)
    _check_daily(ctx, config)
    if channel == "TEXT":
        segments = sms.segments(body)
        price = round(segments.parts * catalog.sms_price(dest.country), 5)
    else:
        seconds = delivery.voice_seconds(body, "TEXT")
        price = round(math.ceil(seconds / 60) * catalog.voice_price(dest.country), 5)
    _check_spend(ctx, price)
    answer = {"MessageId": ctx.new_uuid(), "TemplateId": template_id, "ResolvedMessageBody": body}
    if params.get("DryRun"):
        return answer
    doc = _message(ctx, channel, route, dest, params, config_set, answer["MessageId"])
    doc.update(
        MessageBody=body,
        Price=price,
        _SpendChannel=SPEND_CHANNEL,
        _NotifyConfigurationId=ident,
        _TemplateId=template_id,
    )
    if channel == "TEXT":
        doc.update(
            MessageType="TRANSACTIONAL",
            Encoding=segments.encoding,
            Parts=segments.parts,
            UnitPrice=catalog.sms_price(dest.country),
            CarrierFee=0.0,
        )
        steps = delivery.text_steps(dest.number, route.number_type, dest.country, doc["TimeToLive"])
    else:
        doc.update(
            MessageType=None,
            MessageBodyTextType="TEXT",
            VoiceId=voice_id,
            DurationSeconds=seconds,
            BilledMinutes=math.ceil(seconds / 60),
            UnitPrice=catalog.voice_price(dest.country),
        )
        steps = delivery.voice_steps(dest.number, seconds, dest.country, doc["TimeToLive"])
    delivery.deliver(ctx, doc, steps, config_set)
    return answer


def send_notify_text_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _send(ctx, params, "TEXT")


def send_notify_voice_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _send(ctx, params, "VOICE")
