"""Where a notebook reads from (its parameters -> a kit) and the backend's clock.

Notebooks open with a ``parameters`` cell (``SANDBOX``, ``PROFILE``, ``REGIONS``, ``NOW``) and
hand it to :func:`notebook_kit`. The clock matters for spend: "this month" is the sandbox's month
on a sandbox kit (its clock may be pinned by ``NOW`` so reports are reproducible), and real UTC
time everywhere else (:func:`kit_now`, :func:`month_window`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..connection import connect
from ..sandbox import Sandbox

if TYPE_CHECKING:
    from ..kit import Kit

#: Environment variable naming the sandbox seed used when a notebook names neither a sandbox nor
#: a profile (``make demo`` and Binder sessions set it to ``demo``).
ENV_SANDBOX = "PPV2KIT_SANDBOX"


def parse_time(value: datetime | float | str | pd.Timestamp | None) -> pd.Timestamp | None:
    """``"2026-11-27T15:00Z"``, a datetime or epoch seconds -> a UTC timestamp (None stays None).

    A naive value is read as UTC.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return pd.Timestamp(value, unit="s", tz="UTC").floor("us")
    stamp = pd.Timestamp(value).floor("us")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def notebook_kit(
    sandbox: bool | str | Sandbox | None = None,
    profile: str | None = None,
    regions: str | Sequence[str] | None = None,
    now: datetime | float | str | None = None,
    **options: Any,
) -> Kit:
    """The kit a notebook's parameters ask for, never guessing between AWS and the sandbox.

    Parameters
    ----------
    sandbox:
        A seed name (``"demo"``), ``True`` (an empty sandbox) or a
        :class:`~ppv2kit.sandbox.Sandbox`: read the offline sandbox.
    profile:
        An AWS profile: read AWS. Giving both ``sandbox`` and ``profile`` is an error, so a
        notebook never shows simulated data to someone who meant AWS.
    regions:
        A region or a list; ``None``: the profile's region, or every region the sandbox holds.
    now:
        Sandbox only: where its clock starts (``"2026-11-27T15:00Z"``), so a report is
        reproducible. Ignored, with a warning, for AWS.
    **options:
        Passed to :func:`ppv2kit.connect` (``retry_mode``, ``max_workers``...).

    Returns
    -------
    Kit
        With neither ``sandbox`` nor ``profile``: the sandbox seeded by ``$PPV2KIT_SANDBOX``
        when that is set (``make demo``, Binder), else :func:`ppv2kit.connect`'s default
        credentials (which fall back to the demo sandbox, with a warning, when there are none).
    """
    if sandbox is False:
        sandbox = None
    if sandbox is not None and profile:
        raise ValueError(
            f"SANDBOX is {sandbox!r} and PROFILE is {profile!r}: set SANDBOX = None to read AWS "
            "with that profile, or PROFILE = None to read the sandbox"
        )
    note = ""
    if sandbox is None and not profile and os.environ.get(ENV_SANDBOX):
        sandbox = os.environ[ENV_SANDBOX]
        note = f"{ENV_SANDBOX}={sandbox} is set: offline sandbox"
    start = parse_time(now)
    if sandbox is not None:
        if isinstance(sandbox, str) or sandbox is True:
            seed = sandbox if isinstance(sandbox, str) else None
            sandbox = Sandbox(seed=seed, now=start.to_pydatetime() if start is not None else None)
        elif start is not None:
            warnings.warn("NOW is ignored for a Sandbox object made elsewhere", stacklevel=2)
        kit = connect(sandbox=sandbox, regions=regions, **options)
    else:
        if start is not None:
            warnings.warn("NOW only sets the sandbox clock; AWS is read as of now", stacklevel=2)
        kit = connect(profile=profile or None, regions=regions, **options)
    if note and not kit.note:
        kit.note = note
    return kit


def kit_now(kit: Kit) -> pd.Timestamp:
    """The backend's "now" in UTC: the sandbox clock for a SANDBOX kit, else real time."""
    return kit.now()


def month_window(at: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The UTC calendar month holding ``at``: ``(first instant, first instant of next month)``.

    The service's monthly spend limits and the ``*MonthlySpend`` metrics count UTC calendar
    months.
    """
    at = parse_time(at)
    assert at is not None
    start = at.normalize().replace(day=1)
    return start, start + pd.offsets.MonthBegin(1)
