"""Helpers for the sending, reply and delivery-event tests: numbers, sinks and the logs."""

from __future__ import annotations

from typing import Any

from botocore.client import BaseClient

from ppv2kit.sandbox import Sandbox, spend

ACCOUNT = "123456789012"
SIM_OK = "+14254147755"  # the US success simulator destination
SIM_FAIL = "+14254147167"  # the US failure simulator destination
GB_SIM_OK = "+447860019066"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:sms-events"
LOG_GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:sms"
STREAM = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/sms"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/sms-events"
US_PART = 0.00581  # catalog price of one SMS part to the US
US_FEE = 0.00302  # catalog carrier fee per part to the US


def number(
    client: BaseClient,
    number_type: str = "SIMULATOR",
    country: str = "US",
    capabilities: tuple[str, ...] = ("SMS",),
    message_type: str = "TRANSACTIONAL",
    **extra: Any,
) -> dict[str, Any]:
    """Request a phone number (an ACTIVE US simulator number by default)."""
    return client.request_phone_number(
        IsoCountryCode=country,
        MessageType=message_type,
        NumberCapabilities=list(capabilities),
        NumberType=number_type,
        **extra,
    )


def config_set(client: BaseClient, name: str = "cs", **destinations: list[str]) -> str:
    """A configuration set with one SNS event destination per keyword (name -> event types)."""
    client.create_configuration_set(ConfigurationSetName=name)
    for dest, types in destinations.items():
        client.create_event_destination(
            ConfigurationSetName=name,
            EventDestinationName=dest,
            MatchingEventTypes=types,
            SnsDestination={"TopicArn": TOPIC},
        )
    return name


def month_spend(sandbox: Sandbox, channel: str = "TEXT", region: str = "us-east-1") -> float:
    """Month-to-date spend of the default account."""
    with sandbox.admin(ACCOUNT, region) as ctx:
        return spend.month_to_date(ctx.store, channel, ctx.now)


def logged(sandbox: Sandbox) -> tuple[int, int, float]:
    """(messages, events, text spend): what a refused send must leave unchanged."""
    return len(sandbox.messages()), len(sandbox.events()), month_spend(sandbox)


def row(sandbox: Sandbox, message_id: str) -> dict[str, Any]:
    """The messages() row of one message, as a dict."""
    frame = sandbox.messages()
    [found] = frame[frame["MessageId"] == message_id].to_dict("records")
    return found


def short_code(client: BaseClient, sandbox: Sandbox, code: str = "72468") -> dict[str, Any]:
    """A US short code, made as AWS hands one over (the API can't request short codes)."""
    made = number(client, "TOLL_FREE")
    with sandbox.admin(ACCOUNT, "us-east-1") as ctx:
        doc = ctx.store.get("phone-number", made["PhoneNumberId"])
        assert doc is not None
        doc.update(PhoneNumber=code, NumberType="SHORT_CODE")
        ctx.store.put("phone-number", made["PhoneNumberId"], doc)
    return {**made, "PhoneNumber": code, "NumberType": "SHORT_CODE"}
