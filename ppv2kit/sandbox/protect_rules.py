"""What a send gets from the protect configuration that applies to it.

:func:`protect_verdict` is what sending asks (text and voice; media calls it with ``MMS``): which
configuration applies (the request's ``ProtectConfigurationId``, else the configuration set's,
else the account default, else none) and what it does to one destination for one capability.
A number override wins over the country rule; BLOCK refuses the send; MONITOR sends and the
events record it; FILTER blocks what :func:`flagged_as_pumping` flags, as a
``*_PROTECT_BLOCKED`` event. Choices the reference leaves open: ADR 0018.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers

from . import catalog, delivery, routing
from .context import Context
from .errors import conflict
from .ops.account import settings
from .ops.protect import (
    ALLOW,
    BLOCK,
    DEFAULT_SETTING,
    FILTER,
    KIND,
    MONITOR,
    active_override,
    find_protect_configuration,
)

# Capabilities whose blocked messages have a ``<CHANNEL>_PROTECT_BLOCKED`` event type in the model
# (a FILTER block there is an accepted message with that event; elsewhere a ConflictException).
BLOCKED_EVENT_TYPES = {"SMS": "TEXT_PROTECT_BLOCKED", "RCS": "RCS_PROTECT_BLOCKED"}


def flagged_as_pumping(number: str) -> bool:
    """The sandbox's pumping heuristic: a premium-rate number in the number plan.

    Deterministic and documented in ADR 0018 [UNCONFIRMED: the service's FILTER model is not
    public]. Simulator destinations are never flagged.
    """
    if catalog.is_simulator_destination(number):
        return False
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.PREMIUM_RATE


@dataclass(frozen=True)
class Verdict:
    """What the protect configuration that applies to one send does to it.

    ``status`` is the country's rule for the capability (``ALLOW`` when an ALLOW override lets
    the number through). ``filtered``: FILTER and the heuristic flags the number (the message is
    blocked, as a ``*_PROTECT_BLOCKED`` event); ``would_block``: MONITOR and the heuristic
    flags it (sent, and the event says so).
    """

    configuration_id: str | None = None
    status: str = ALLOW
    filtered: bool = False
    would_block: bool = False

    def record(self) -> dict[str, Any] | None:
        """The ``protectConfiguration`` block of the delivery events (None: no configuration)."""
        if self.configuration_id is None:
            return None
        block: dict[str, Any] = {
            "protectConfigurationId": self.configuration_id,
            "protectStatus": self.status,
        }
        if self.would_block:
            block["wouldBlock"] = True  # the sandbox's MONITOR recommendation (ADR 0018)
        return block


def applicable(
    ctx: Context, params: Mapping[str, Any], config_set: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The protect configuration a send uses: the request's, the configuration set's, the
    account default, or none. An unknown request ``ProtectConfigurationId`` is
    ``ResourceNotFoundException``."""
    if params.get("ProtectConfigurationId"):
        return find_protect_configuration(ctx, params["ProtectConfigurationId"])
    for ident in (
        (config_set or {}).get("ProtectConfigurationId"),
        settings(ctx).get(DEFAULT_SETTING),
    ):
        if ident:
            doc = ctx.store.get(KIND, ident)
            if doc is not None:
                return doc
    return None


def protect_verdict(
    ctx: Context,
    params: Mapping[str, Any],
    destination: routing.Destination,
    capability: str,
    config_set: Mapping[str, Any] | None = None,
) -> Verdict:
    """Check one send against its protect configuration; raise for a blocked destination.

    ``capability`` is a NumberCapability (``SMS``, ``VOICE``, ``MMS``, ``RCS``). A BLOCK
    override raises ``ConflictException`` ``DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_
    OVERRIDE``; otherwise an ALLOW override lets the number through; otherwise a BLOCK country
    raises ``DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION``, and a FILTER country blocks
    a number the heuristic flags (raised too when the capability has no blocked event type).
    """
    doc = applicable(ctx, params, config_set)
    if doc is None:
        return Verdict()
    ident = doc["ProtectConfigurationId"]
    override = active_override(ctx, ident, destination.number)
    if override is not None and override["Action"] == BLOCK:
        raise conflict(
            "DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE",
            f"DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE: {destination.number} "
            f"is blocked by a number override of the protect configuration {ident}.",
            KIND,
            ident,
        )
    if override is not None:
        return Verdict(ident, ALLOW)
    status = doc["_Rules"].get(capability, {}).get(destination.country or "", ALLOW)
    flagged = status in (MONITOR, FILTER) and flagged_as_pumping(destination.number)
    if status == BLOCK or (status == FILTER and flagged and capability not in BLOCKED_EVENT_TYPES):
        raise conflict(
            "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
            f"DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION: the protect configuration "
            f"{ident} {'blocks' if status == BLOCK else 'filters'} {capability} to "
            f"{destination.country} ({destination.number}).",
            KIND,
            ident,
        )
    return Verdict(
        ident,
        status,
        filtered=status == FILTER and flagged,
        would_block=status == MONITOR and flagged,
    )


def protect_blocked_steps(capability: str) -> tuple[delivery.Step, ...]:
    """The events of a message FILTER blocked: its ``*_PROTECT_BLOCKED`` event alone."""
    return (
        delivery.Step(
            BLOCKED_EVENT_TYPES[capability],
            "PROTECT_BLOCKED",
            "Message has been blocked by the protect configuration",
            1.0,
            True,
        ),
    )
