"""``ppv2kit.connect``: choose AWS, an endpoint or the offline sandbox, and build the Kit.

With no explicit choice and no AWS credentials the kit falls back to the sandbox's demo seed,
with a warning; an explicit profile, session or endpoint without credentials is an error, so
simulated data is never shown to someone who asked for AWS.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import boto3

from .frames.fetch import DEFAULT_WORKERS
from .kit import (
    AWS,
    DEFAULT_REGION,
    ENDPOINT,
    FALLBACK_SEED,
    SANDBOX,
    SANDBOX_ACCOUNT,
    SERVICE,
    Kit,
    NoCredentialsError,
    SandboxFallbackWarning,
)
from .sandbox import Sandbox


def _regions(regions: str | Sequence[str] | None, default: Sequence[str]) -> list[str]:
    if regions is None:
        return list(default) or [DEFAULT_REGION]
    if regions == "all":
        return boto3.session.Session().get_available_regions(SERVICE)
    return [regions] if isinstance(regions, str) else list(regions)


def _make_sandbox(sandbox: Any) -> Sandbox:
    if isinstance(sandbox, Sandbox):
        return sandbox
    if sandbox is True:
        return Sandbox()
    if isinstance(sandbox, str):
        return Sandbox(seed=sandbox)
    raise TypeError("sandbox= takes True, a seed name ('demo', 'large') or a Sandbox")


def _sandbox_kit(sb: Sandbox, regions: Any, accounts: Any, note: str, **options: Any) -> Kit:
    default_account = getattr(sb, "default_account", None) or SANDBOX_ACCOUNT
    return Kit(
        SANDBOX,
        regions=_regions(regions, sb.regions()),
        sandbox=sb,
        accounts=list(accounts) if accounts else (sb.accounts() or [default_account]),
        note=note,
        **options,
    )


def _sessions(
    session: Any, profile: str | None, sessions: Any, profiles: Any
) -> list[boto3.session.Session]:
    out = [session] if session is not None else []
    out += list(sessions or [])
    names = ([profile] if profile else []) + list(profiles or [])
    out += [boto3.session.Session(profile_name=name) for name in names]
    return out


def connect(
    session: boto3.session.Session | None = None,
    *,
    profile: str | None = None,
    sessions: Sequence[boto3.session.Session] | None = None,
    profiles: Sequence[str] | None = None,
    regions: str | Sequence[str] | None = None,
    endpoint_url: str | None = None,
    sandbox: bool | str | Sandbox | None = None,
    accounts: Sequence[str] | None = None,
    retry_mode: str = "adaptive",
    max_attempts: int = 10,
    max_workers: int = DEFAULT_WORKERS,
) -> Kit:
    """Connect to AWS, an endpoint or the offline sandbox, and say which.

    Parameters
    ----------
    session, profile:
        A boto3 session or a profile name (default: boto3's default session).
    sessions, profiles:
        Several, to read several accounts at once.
    regions:
        A region, a list, or ``"all"`` (every region botocore knows the service in). Default:
        the session's region; for a sandbox, the regions its state populates.
    endpoint_url:
        Send every call there (``ppv2kit sandbox serve``'s URL, a proxy...): backend
        ``"ENDPOINT"``.
    sandbox:
        ``True`` (an empty sandbox), a seed name (``"demo"``, ``"large"``) or a
        :class:`~ppv2kit.sandbox.Sandbox`: backend ``"SANDBOX"``, never AWS.
    accounts:
        Sandbox accounts to read (12-digit ids; default: those holding state). For AWS, the
        account ids of the sessions in order, to skip asking STS.
    retry_mode, max_attempts:
        botocore's retry mode (``"adaptive"`` or ``"standard"``) and attempts of every client.
    max_workers:
        The most calls in flight at once in a frame pull.

    Returns
    -------
    Kit

    Raises
    ------
    NoCredentialsError
        An explicit ``session``/``profile`` (or an ``endpoint_url``) has no credentials. Without
        any explicit choice and no credentials, the kit falls back to the sandbox (seed
        ``"demo"``) with a :class:`SandboxFallbackWarning`.
    """
    options = {"retry_mode": retry_mode, "max_attempts": max_attempts, "max_workers": max_workers}
    explicit = any(x is not None for x in (session, profile, sessions, profiles))
    if sandbox is not None and sandbox is not False:
        if explicit or endpoint_url:
            raise ValueError("sandbox= can't be combined with sessions, profiles or endpoint_url")
        return _sandbox_kit(_make_sandbox(sandbox), regions, accounts, "", **options)
    chosen = _sessions(session, profile, sessions, profiles) or [boto3.session.Session()]
    lacking = [s for s in chosen if s.get_credentials() is None]
    if lacking and (explicit or endpoint_url):
        names = ", ".join(repr(s.profile_name) for s in lacking)
        raise NoCredentialsError(
            f"no AWS credentials for session(s) with profile {names}; configure them "
            "(aws configure / environment) or use connect(sandbox=True) for the offline sandbox"
        )
    if lacking:
        return _fallback(regions, **options)
    if accounts is not None and len(accounts) != len(chosen):
        raise ValueError("accounts= must name one account per session")
    default_regions = [chosen[0].region_name] if chosen[0].region_name else []
    return Kit(
        ENDPOINT if endpoint_url else AWS,
        regions=_regions(regions, default_regions),
        sessions=chosen,
        accounts=accounts,
        endpoint_url=endpoint_url,
        **options,
    )


def _fallback(regions: Any, **options: Any) -> Kit:
    try:
        sb = Sandbox(seed=FALLBACK_SEED)
        note = f"no AWS credentials found: offline sandbox with the {FALLBACK_SEED!r} seed"
    except (ImportError, ValueError):
        sb = Sandbox()
        note = f"no AWS credentials found: empty offline sandbox ({FALLBACK_SEED!r} seed missing)"
    warnings.warn(
        f"{note}. Nothing here is real AWS data; connect(profile=...) to use AWS.",
        SandboxFallbackWarning,
        stacklevel=3,
    )
    return _sandbox_kit(sb, regions, None, note, **options)
