"""RCS: agents, their country launch status, and SendRcsMessage.

An RCS agent (``rcs-…``) starts ``CREATED`` with no country launched; a country launches through a
registration on AWS, which the sandbox stands in for with :func:`launch_country` (tests, seeds:
``with sandbox.admin(...) as ctx: rcs.launch_country(ctx, ...)``). The agent's status follows its
countries: none launched ``CREATED``, every one ``ACTIVE`` ``ACTIVE``, some ``PARTIAL``, else
``PENDING``. Deleting answers ``DELETED`` and is refused under deletion protection or while the
agent belongs to a pool (``RCS_AGENT_ASSOCIATED_TO_POOL``). SendRcsMessage needs a country the
agent has ``ACTIVE``; elsewhere it falls back to SMS when the request has a
``FallbackConfiguration``, and is refused otherwise. An RCS message is logged (Channel ``RCS``),
charged against the ``RCS`` monthly spend limit and delivered as ``RCS_SENT`` then
``RCS_DELIVERED`` (``RCS_FAILED`` for the failure simulator numbers). Choices: ADR 0020.
"""

from __future__ import annotations

from typing import Any

from .. import catalog, delivery, routing, spend
from ..context import Context
from ..delivery import Step
from ..errors import conflict, invalid_field, quota
from ..kinds import RCS_AGENT as KIND
from ..protect_rules import protect_verdict
from . import sending
from .configuration_sets import find_configuration_set
from .identities import apply_updates, check_owner, check_two_way, opt_out_list_name
from .opt_outs import is_opted_out
from .sending import _check_max_price, _check_recipient, _message
from .spend_limits import enforced_limit
from .tags import initial_tags

# UNCONFIRMED (ADR 20): the service's quota is not published.
AGENTS_PER_ACCOUNT = 5
SPEND_CHANNEL = "RCS"
UNSET_MEDIA = "UNSET_RCS_MEDIA_CONFIGURATION"
_UPDATABLE = (
    "DeletionProtectionEnabled",
    "SelfManagedOptOutsEnabled",
    "TwoWayChannelArn",
    "TwoWayChannelRole",
    "TwoWayEnabled",
    "TwoWayMediaS3KeyPrefix",
    "TwoWayRcsEventsEnabled",
)
_SENT = Step("RCS_SENT", "SENT", "Message has been sent to the RCS platform", 1.0, False)
_DELIVERED = Step("RCS_DELIVERED", "DELIVERED", "Message has been delivered", 3.0, True)
_FAILED = Step("RCS_FAILED", "FAILED", "Message could not be delivered", 3.0, True)


# -- agents --------------------------------------------------------------------------------------


def _status(countries: dict[str, dict[str, Any]]) -> str:
    statuses = [c["Status"] for c in countries.values()]
    if not statuses:
        return "CREATED"
    if all(s == "ACTIVE" for s in statuses):
        return "ACTIVE"
    if any(s == "ACTIVE" for s in statuses):
        return "PARTIAL"
    return "PENDING"


def find_agent(ctx: Context, value: str, field: str = "RcsAgentId") -> dict[str, Any]:
    """The RCS agent ``value`` (an ID or ARN) names, else ``ResourceNotFoundException``."""
    return ctx.find(KIND, value, field)


def launch_country(
    ctx: Context, agent: str, iso_country_code: str, status: str = "ACTIVE"
) -> dict[str, Any]:
    """Record the launch of ``agent`` in a country with ``status`` (what a registration does)."""
    doc = find_agent(ctx, agent)
    carrier = "PENDING" if status in ("CREATED", "PENDING") else status
    carrier = "ACTIVE" if carrier == "PARTIAL" else carrier
    doc["_Countries"][iso_country_code] = {
        "IsoCountryCode": iso_country_code,
        "Status": status,
        "RcsPlatformId": f"{doc['RcsAgentId']}-{iso_country_code.lower()}",
        "RegistrationId": ctx.new_id("registration"),
        "CarrierStatus": [{"CarrierName": "Sandbox Mobile", "Status": carrier}],
    }
    doc["Status"] = _status(doc["_Countries"])
    ctx.store.put(KIND, doc["RcsAgentId"], doc)
    return doc


def create_rcs_agent(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    opt_out = None
    if params.get("OptOutListName"):
        opt_out = opt_out_list_name(ctx, params["OptOutListName"])
    if len(ctx.store.docs(KIND)) >= AGENTS_PER_ACCOUNT:
        raise quota(
            "RCS_AGENTS_PER_ACCOUNT",
            f"The account already has the maximum of {AGENTS_PER_ACCOUNT} RCS agents in "
            f"{ctx.region}.",
        )
    ident = ctx.new_id("rcs")
    doc = {
        "RcsAgentArn": ctx.arn(KIND, ident),
        "RcsAgentId": ident,
        "Status": "CREATED",
        "CreatedTimestamp": ctx.now,
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "OptOutListName": opt_out,
        "SelfManagedOptOutsEnabled": False,
        "TwoWayEnabled": False,
        "Tags": initial_tags(ctx, params.get("Tags")),
        "_Countries": {},
    }
    ctx.store.put(KIND, ident, doc)
    return doc


def update_rcs_agent(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_agent(ctx, params["RcsAgentId"])
    opt_out = None
    if params.get("OptOutListName"):
        opt_out = opt_out_list_name(ctx, params["OptOutListName"])
    check_two_way(doc, params)
    apply_updates(doc, params, _UPDATABLE)
    if opt_out is not None:
        doc["OptOutListName"] = opt_out
    for member in ("TwoWayMediaS3BucketName", "TwoWayMediaS3Role"):
        if params.get(member) == UNSET_MEDIA:
            doc.pop(member, None)
            doc.pop("TwoWayMediaS3KeyPrefix", None)
        elif params.get(member) is not None:
            doc[member] = params[member]
    ctx.store.put(KIND, doc["RcsAgentId"], doc)
    return doc


def delete_rcs_agent(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_agent(ctx, params["RcsAgentId"])
    ident = doc["RcsAgentId"]
    if doc["DeletionProtectionEnabled"]:
        raise conflict(
            "DELETION_PROTECTION_ENABLED",
            f"The RCS agent {ident} has deletion protection enabled.",
            KIND,
            ident,
        )
    if doc.get("PoolId"):
        raise conflict(
            "RCS_AGENT_ASSOCIATED_TO_POOL",
            f"The RCS agent {ident} belongs to the pool {doc['PoolId']}.",
            KIND,
            ident,
        )
    ctx.store.delete(KIND, ident)
    return {**doc, "Status": "DELETED"}


def describe_rcs_agents(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    check_owner(params, "RcsAgentIds")
    if params.get("Owner") == "SHARED":
        return ctx.listing(params, [])
    wanted = {
        find_agent(ctx, v, "RcsAgentIds")["RcsAgentId"] for v in params.get("RcsAgentIds") or []
    }
    rows = (
        (seq, doc)
        for seq, doc in ctx.rows(params, KIND)
        if not wanted or doc["RcsAgentId"] in wanted
    )
    return ctx.listing(params, rows)


def describe_rcs_agent_country_launch_status(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    doc = find_agent(ctx, params["RcsAgentId"])
    codes = set(params.get("IsoCountryCodes") or [])
    launches = sorted(doc["_Countries"].values(), key=lambda c: c["IsoCountryCode"])
    rows = (
        (seq, item)
        for seq, item in enumerate(launches, 1)
        if seq > ctx.position(params) and (not codes or item["IsoCountryCode"] in codes)
    )
    return ctx.listing(
        params,
        rows,
        getters={"country-launch-status": lambda item: item["Status"]},
        RcsAgentId=doc["RcsAgentId"],
        RcsAgentArn=doc["RcsAgentArn"],
    )


# -- SendRcsMessage ------------------------------------------------------------------------------


def _fallback(ctx: Context, params: dict[str, Any], agent: dict[str, Any]) -> dict[str, Any]:
    """The SMS a request's FallbackConfiguration sends instead (MMS is not emulated)."""
    fallback = params["FallbackConfiguration"]
    if fallback["Channel"] != "SMS":
        raise invalid_field(
            "INVALID_PARAMETER",
            "FallbackConfiguration.Channel",
            "the sandbox falls back to SMS only; MMS fallback is not emulated",
        )
    if not fallback.get("MessageBody"):
        raise invalid_field(
            "MISSING_PARAMETER", "FallbackConfiguration.MessageBody", "is required to fall back"
        )
    text = {
        "DestinationPhoneNumber": params["DestinationPhoneNumber"],
        "MessageBody": fallback["MessageBody"],
        "MessageType": "TRANSACTIONAL",
        **{
            name: params[name]
            for name in ("ConfigurationSetName", "Context", "DryRun", "MessageFeedbackEnabled")
            if name in params
        },
    }
    if fallback.get("OriginationIdentity"):
        text["OriginationIdentity"] = fallback["OriginationIdentity"]
    return sending.send_text_message(ctx, text)


def send_rcs_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    agent = find_agent(ctx, params["OriginationIdentity"], "OriginationIdentity")
    if params.get("RcsMessageContent") is None:
        raise invalid_field("MISSING_PARAMETER", "RcsMessageContent", "is required to send RCS")
    content = params["RcsMessageContent"]["Content"]
    if len([k for k, v in content.items() if v is not None]) != 1:
        raise invalid_field(
            "INVALID_PARAMETER",
            "RcsMessageContent.Content",
            "exactly one of TextMessage, FileMessage, RichCard and Carousel is required",
        )
    dest = routing.destination(params["DestinationPhoneNumber"])
    launch = agent["_Countries"].get(dest.country)
    if launch is None or launch["Status"] != "ACTIVE":
        if params.get("FallbackConfiguration"):
            return _fallback(ctx, params, agent)
        raise invalid_field(
            "DESTINATION_COUNTRY_BLOCKED",
            "DestinationPhoneNumber",
            f"the RCS agent {agent['RcsAgentId']} is not launched in {dest.country}",
        )
    config_set = (
        find_configuration_set(ctx, params["ConfigurationSetName"])
        if params.get("ConfigurationSetName")
        else None
    )
    verdict = protect_verdict(ctx, params, dest, "RCS", config_set)  # ADR 18
    route = routing.Route(agent["RcsAgentId"], agent["RcsAgentArn"], "RCS_AGENT", None, None)
    _check_recipient(ctx, route, dest)
    if agent.get("OptOutListName") and is_opted_out(ctx, agent["OptOutListName"], dest.number):
        raise conflict(
            "DESTINATION_PHONE_NUMBER_OPTED_OUT",
            f"DESTINATION_PHONE_NUMBER_OPTED_OUT: {dest.number} is on the opt-out list "
            f"{agent['OptOutListName']!r} of the RCS agent {agent['RcsAgentId']}.",
            "opted-out-number",
            dest.number,
        )
    price = catalog.sms_price(dest.country)  # UNCONFIRMED: one SMS part per RCS message
    _check_max_price(params, "MaxPrice", price, "price of the message")
    limit = enforced_limit(ctx, "RCS_MESSAGE_MONTHLY_SPEND_LIMIT")
    spent = spend.month_to_date(ctx.store, SPEND_CHANNEL, ctx.now)
    if round(spent + price, 6) > limit:
        raise quota(
            "MONTHLY_SPEND_LIMIT_REACHED_FOR_RCS",
            f"MONTHLY_SPEND_LIMIT_REACHED_FOR_RCS: this message ({price:.5f} USD) would take "
            f"this month's RCS spend ({spent:.5f} USD) past the limit of {limit} USD.",
        )
    message_id = ctx.new_uuid()
    if params.get("DryRun"):
        return {"MessageId": message_id}
    text = content.get("TextMessage") or {}
    doc = _message(ctx, "RCS", route, dest, params, config_set, message_id)
    doc.update(
        OptOutListName=agent.get("OptOutListName") or route.opt_out_list,
        MessageType=params.get("MessageTrafficType"),
        MessageBody=text.get("Body"),
        UnitPrice=price,
        Price=price,
        _International=False,
        _RcsContent=params["RcsMessageContent"],
    )
    if verdict.configuration_id:
        doc["_Protect"] = verdict.record()
    failed = dest.number in catalog.SIMULATOR_FAILURE
    delivery.deliver(ctx, doc, (_SENT, _FAILED if failed else _DELIVERED), config_set)
    return {"MessageId": message_id}
