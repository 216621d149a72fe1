"""Administration of a sandbox: the steps AWS support or the world outside the API would take.

Raising an account's tier, limits and spend maxima, provisioning sender IDs, verifying
destinations, reading a verification code, simulating inbound messages (:mod:`.replies`),
deciding a registration's review (:mod:`.review`) and reading the message, event and
registration-event logs as frames (:mod:`.logs`, :mod:`.review`). :class:`Administration` is mixed
into :class:`~.engine.Sandbox`, so these stay ``Sandbox`` methods; each runs in one transaction
through ``Sandbox.admin``. This module sits on top of the families and the cross-family rules and
under the engine (docs/ARCHITECTURE.md, "Layers").
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import catalog, logs, replies, review
from .ops import account as account_ops
from .ops import media, registrations, sender_ids, verified_destinations

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from .context import Context


class Administration:
    """What a sandbox offers beyond the API; mixed into :class:`~.engine.Sandbox`."""

    if TYPE_CHECKING:  # defined by the engine's Sandbox

        def admin(
            self, account: str = ..., region: str = ...
        ) -> contextlib.AbstractContextManager[Context]: ...

    def _administer(
        self, account: str, region: str, step: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        """Run ``step(ctx, ...)`` in one transaction on ``account`` in ``region``."""
        with self.admin(account, region) as ctx:
            return step(ctx, *args, **kwargs)

    def set_account_tier(
        self,
        tier: str,
        *,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
    ) -> None:
        """Move an account to ``"PRODUCTION"`` (or back to ``"SANDBOX"``) in one region."""
        self._administer(account, region, account_ops.set_account_tier, tier)

    def set_account_limit(
        self,
        name: str,
        maximum: int,
        *,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
    ) -> None:
        """Change a quota: an account limit (``PHONE_NUMBERS``) or ``TAGS_PER_RESOURCE``..."""
        self._administer(account, region, account_ops.set_account_limit, name, maximum)

    def set_spend_max(
        self,
        name: str,
        maximum: int,
        *,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
    ) -> None:
        """Change a spend limit's MaxLimit (``TEXT_MESSAGE_MONTHLY_SPEND_LIMIT``...)."""
        self._administer(account, region, account_ops.set_spend_max, name, maximum)

    def add_sender_id(
        self,
        sender_id: str,
        iso_country_code: str,
        *,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
        **fields: Any,
    ) -> dict[str, Any]:
        """Provision a sender ID (the 2022 API had no call for it); returns its description."""
        return self._administer(
            account, region, sender_ids.add_sender_id, sender_id, iso_country_code, **fields
        )

    def verify_destination(
        self,
        phone_number: str,
        *,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
    ) -> dict[str, Any]:
        """Mark a destination number verified, so a SANDBOX-tier account may send to it."""
        return self._administer(
            account, region, verified_destinations.add_verified_destination, phone_number
        )

    def put_media_file(
        self,
        url: str,
        size: int,
        *,
        content_type: str | None = None,
        accessible: bool = True,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
    ) -> dict[str, Any]:
        """Place a file at ``url`` (``s3://bucket/key``) for MMS to name: its ``size`` in bytes,
        its ``content_type`` (else its extension's) and whether the service may read it."""
        return self._administer(
            account, region, media.put_media_file, url, size, content_type, accessible
        )

    def verification_code(
        self,
        verified_destination_number_id: str,
        *,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
    ) -> str | None:
        """The last code SendDestinationNumberVerificationCode "sent" (nobody holds the phone)."""
        return self._administer(
            account, region, verified_destinations.verification_code, verified_destination_number_id
        )

    def receive(
        self,
        to: str,
        from_: str,
        body: str,
        *,
        account: str | None = None,
        region: str | None = None,
    ) -> dict[str, Any]:
        """Simulate an inbound message from ``from_`` to our number ``to`` (STOP, HELP...).

        The number's account and region are found when not given. Returns what happened
        (keyword matched, action taken, reply logged).
        """
        return replies.receive(self, to, from_, body, account=account, region=region)

    # -- logs as frames ------------------------------------------------------------------------
    def messages(self) -> pd.DataFrame:
        """Every accepted (non-DryRun) message, one row each."""
        return logs.messages_frame(self)

    def events(self) -> pd.DataFrame:
        """Every delivery event emitted to an event destination, in the service's record format."""
        return logs.events_frame(self)

    def export_events(self, folder: str | Path, stream: str = "sms-events") -> list[Path]:
        """Write the delivery events reported so far to ``folder`` as a Firehose event
        destination writes them to S3 (gzip JSON lines, ``YYYY/MM/DD/HH/``); the files."""
        return logs.export_events(self, folder, stream)

    def registration_events(self) -> pd.DataFrame:
        """Every "Registration Status Change" event (EventBridge format), one row each."""
        return review.events_frame(self)

    # -- registrations -------------------------------------------------------------------------
    def review(
        self,
        registration_id: str,
        outcome: str = "APPROVED",
        reasons: Iterable[str | Mapping[str, Any]] | None = None,
        *,
        feedback: Mapping[str, str] | None = None,
        account: str = catalog.DEFAULT_ACCOUNT,
        region: str = catalog.DEFAULT_REGION,
    ) -> dict[str, Any]:
        """Force the outcome of a registration's review now (ADR 15).

        ``outcome``: ``APPROVED`` (then PROVISIONING, COMPLETE after the type's provisioning
        time), ``COMPLETE`` (approved and complete at once), ``DENIED`` (with ``reasons``, strings
        or ``{"Reason", "ShortDescription", "LongDescription"}``, and ``feedback`` per field
        path), ``REQUIRES_AUTHENTICATION``, ``REQUIRES_OFFLINE_REVIEW``, or ``REVOKED`` (the
        approved version is withdrawn). Returns the registration as DescribeRegistrations shows
        it. Raises ``ValueError`` for an unknown outcome or a version not under review.
        """
        return self._administer(
            account,
            region,
            registrations.forced_review,
            registration_id,
            outcome,
            reasons,
            feedback,
        )
