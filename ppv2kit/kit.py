"""The kit: where ppv2kit reads and writes (AWS, an endpoint or the sandbox), and its frames.

``kit = ppv2kit.connect(...)`` picks the backend once and says so everywhere: ``kit.backend``
(``"AWS"``, ``"ENDPOINT"`` or ``"SANDBOX"``), ``kit.account(s)``, ``kit.regions`` and the text and
HTML reprs, so simulated data is never mistaken for real data or the reverse. The kit hands out
boto3 clients (every one with botocore's adaptive or standard retry mode), reads any paginated
operation as a typed DataFrame (``kit.frame`` and one generated method per listing:
``kit.phone_numbers()``, ``kit.keywords()``...), and makes single calls (``kit.call``).
"""

from __future__ import annotations

import html
import re
import threading
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import pandas as pd
from botocore.config import Config

from . import model as model_mod
from ._version import __version__ as _version
from .frames import methods
from .frames.fetch import DEFAULT_PER_BUCKET, DEFAULT_WORKERS
from .frames.plan import FramePlan, plan, plans
from .frames.pull import Pull, Want

if TYPE_CHECKING:
    from botocore.client import BaseClient

    from .sandbox import Sandbox

AWS = "AWS"
ENDPOINT = "ENDPOINT"
SANDBOX = "SANDBOX"
SERVICE = model_mod.SERVICE
FALLBACK_SEED = "demo"
DEFAULT_REGION = "us-east-1"
# The sandbox's account when a client names none (``Sandbox.default_account`` when it has one).
SANDBOX_ACCOUNT = "123456789012"
RETRY_MODES = ("adaptive", "standard")
_ACCOUNT_KEY = re.compile(r"\d{12}")
#: The MIME type of the kit's machine-readable display (what ``ppv2kit run`` puts atop a report);
#: JupyterLab and nbconvert skip it, since they have no renderer for it.
KIT_MIME = "application/vnd.ppv2kit.kit+json"

_BADGES = {
    AWS: ("#1d6f42", "live AWS"),
    ENDPOINT: ("#1f4e99", "custom endpoint"),
    SANDBOX: ("#b45309", "simulated data, not AWS"),
}


class NoCredentialsError(RuntimeError):
    """An explicitly chosen profile or session has no AWS credentials."""


class SandboxFallbackWarning(UserWarning):
    """No AWS credentials were found, so the kit reads the offline sandbox instead."""


class Kit:
    """Where ppv2kit reads and writes, and every listing of the API as a DataFrame.

    Made by :func:`connect`; see there for the parameters.
    """

    def __init__(
        self,
        backend: str,
        *,
        regions: Sequence[str],
        sessions: Sequence[boto3.session.Session] = (),
        sandbox: Sandbox | None = None,
        accounts: Sequence[str] | None = None,
        endpoint_url: str | None = None,
        retry_mode: str = "adaptive",
        max_attempts: int = 10,
        max_workers: int = DEFAULT_WORKERS,
        per_bucket: int = DEFAULT_PER_BUCKET,
        note: str = "",
    ) -> None:
        if backend not in _BADGES:
            raise ValueError(f"backend must be one of {', '.join(_BADGES)}")
        if retry_mode not in RETRY_MODES:
            raise ValueError(f"retry_mode must be one of {', '.join(RETRY_MODES)}")
        self.backend = backend
        self.regions: list[str] = list(regions)
        self.sandbox = sandbox
        self.endpoint_url = endpoint_url
        self.retry_mode = retry_mode
        self.max_attempts = max_attempts
        self.max_workers = max_workers
        self.per_bucket = per_bucket
        self.note = note
        self._sessions = list(sessions)
        self._accounts = list(accounts) if accounts is not None else None
        self._clients: dict[tuple[str, str, str, str], BaseClient] = {}
        self._lock = threading.RLock()

    # -- identity ------------------------------------------------------------------------------
    @property
    def accounts(self) -> list[str]:
        """Every account the kit reads (several with ``profiles=``/``sessions=``/``accounts=``)."""
        with self._lock:
            if self._accounts is None:
                self._accounts = [self._account_of(s, i) for i, s in enumerate(self._sessions)]
            return list(self._accounts)

    @property
    def account(self) -> str:
        """The (first) account the kit reads."""
        return self.accounts[0]

    def now(self) -> pd.Timestamp:
        """The backend's "now" in UTC: the sandbox clock for a SANDBOX kit, else real time."""
        if self.backend == SANDBOX and self.sandbox is not None:
            return pd.Timestamp(self.sandbox.time(), unit="s", tz="UTC").floor("us")
        # AWS and an endpoint answer as of the real moment: the machine's clock is theirs.
        return pd.Timestamp.now(tz="UTC").floor("us")

    def _account_of(self, session: boto3.session.Session, index: int) -> str:
        credentials = session.get_credentials()
        key = credentials.access_key if credentials is not None else ""
        if self.backend == ENDPOINT:
            # The sandbox's HTTP server takes a 12-digit access key as the account id.
            return key if _ACCOUNT_KEY.fullmatch(key or "") else f"unknown-{index + 1}"
        try:
            sts = session.client("sts", region_name=self.regions[0], config=self._config())
            return str(sts.get_caller_identity()["Account"])
        except Exception as err:  # an unreadable identity must not break the kit's repr
            warnings.warn(f"could not read the account id: {err}", stacklevel=3)
            return f"unknown-{index + 1}"

    # -- clients -------------------------------------------------------------------------------
    def _config(self) -> Config:
        return Config(
            retries={"mode": self.retry_mode, "total_max_attempts": self.max_attempts},
            max_pool_connections=max(10, self.max_workers),
            user_agent_extra=f"ppv2kit/{_version}",
        )

    def _session(self, account: str) -> boto3.session.Session:
        try:
            return self._sessions[self.accounts.index(account)]
        except ValueError:
            raise ValueError(
                f"account {account!r} is not one of this kit's accounts: {', '.join(self.accounts)}"
            ) from None

    def client(
        self,
        region: str | None = None,
        account: str | None = None,
        service_name: str = SERVICE,
    ) -> BaseClient:
        """The boto3 client for ``service_name`` in ``region`` of ``account`` (cached).

        Defaults: the kit's first region and first account; ``service_name="cloudwatch"`` gives
        the CloudWatch client of the same backend. Every client uses the kit's retry mode.
        """
        return self._client(region or self.regions[0], account or self.account, service_name, "")

    def _client(self, region: str, account: str, service_name: str, key: str) -> BaseClient:
        cache_key = (account, region, service_name, key)
        with self._lock:
            found = self._clients.get(cache_key)
            if found is not None:
                return found
            if self.sandbox is not None:
                config = self._config()
                made = self.sandbox.client(
                    region_name=region,
                    account_id=account,
                    service_name=service_name,
                    retries=config.retries,
                    max_pool_connections=config.max_pool_connections,
                    user_agent_extra=config.user_agent_extra,
                )
            else:
                made = self._session(account).client(
                    service_name,
                    region_name=region,
                    endpoint_url=self.endpoint_url,
                    config=self._config(),
                )
            self._clients[cache_key] = made
            return made

    def fetch_client(self, region: str, account: str, operation: str) -> BaseClient:
        """The client frames use for ``operation``: one per operation against AWS or an endpoint,
        so the adaptive retry mode paces each operation's own rate limit."""
        key = "" if self.sandbox is not None else operation
        return self._client(region, account, SERVICE, key)

    # -- calls and frames ----------------------------------------------------------------------
    def call(
        self,
        operation: str,
        region: str | None = None,
        *,
        account: str | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        """Make one API call (model name or snake_case) and return boto3's response."""
        op = model_mod.load().operation(operation)
        return getattr(self.client(region, account), op.snake_name)(**params)

    def frame(
        self,
        operation: str,
        *,
        regions: Sequence[str] | None = None,
        accounts: Sequence[str] | None = None,
        progress: bool | None = None,
        with_tags: bool = False,
        filters: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> pd.DataFrame:
        """Every item of a paginated operation (model name or snake_case) as a typed DataFrame.

        Parameters
        ----------
        operation:
            ``"DescribePhoneNumbers"`` or ``"describe_phone_numbers"``; see ``help()`` of the
            generated methods (``kit.phone_numbers``) for each operation's parameters and columns.
        regions, accounts:
            Where to read (default: all of the kit's).
        progress:
            ``True`` shows a progress bar, ``False`` never; by default only pulls that take
            longer than a second show one.
        with_tags:
            Add a ``Tags`` column (``{key: value}`` per row, from ListTagsForResource).
        filters:
            Friendly filters, ``{"status": "ACTIVE"}``, added to ``Filters``.
        **params:
            The operation's own parameters, by their AWS names (``Filters``, ``Owner``, ID lists,
            a parent such as ``OriginationIdentity``, one value or a list). A parent that is not
            given is fanned out over: keywords for every phone number and pool, and so on.

        Returns
        -------
        pandas.DataFrame
            AWS field names, nested structures flattened to dotted names, ``Account`` and
            ``Region`` columns, the paginator's context keys; dtypes from the model. Failures of
            a region or parent become a :class:`~ppv2kit.frames.FrameWarning` and
            ``df.attrs["errors"]``; the rest is returned.
        """
        want = self._want(plan(operation), params, filters, with_tags)
        return self._pull([want], regions, accounts, progress)[0]

    @staticmethod
    def _want(
        p: FramePlan, params: Mapping[str, Any], filters: Mapping[str, Any] | None, tags: bool
    ) -> Want:
        if tags and p.arn_column is None:
            raise ValueError(f"{p.operation} lists items without an ARN; they have no tags")
        return Want(p, p.request(params, filters), tags)

    def frames(
        self,
        operations: Iterable[str] | None = None,
        *,
        regions: Sequence[str] | None = None,
        accounts: Sequence[str] | None = None,
        progress: bool | None = None,
        with_tags: bool = False,
    ) -> dict[str, pd.DataFrame]:
        """Several listings in one concurrent pull, keyed by method name (``"phone_numbers"``).

        ``operations`` defaults to every listing that needs no parameter from the caller (an
        inventory); a listing that is also another's parent is fetched once. ``with_tags`` adds
        tags to every listing whose items have an ARN.
        """
        chosen = [plan(o) for o in operations] if operations is not None else plans()
        wants = [
            self._want(p, {}, None, with_tags and p.arn_column is not None)
            for p in chosen
            if operations is not None or not p.required
        ]
        frames = self._pull(wants, regions, accounts, progress)
        return {w.plan.method: df for w, df in zip(wants, frames, strict=True)}

    def _pull(
        self,
        wants: list[Want],
        regions: str | Sequence[str] | None,
        accounts: Sequence[str] | None,
        progress: bool | None,
    ) -> list[pd.DataFrame]:
        accounts = list(accounts or self.accounts)
        if self.sandbox is None:
            for account in accounts:
                self._session(account)  # an unknown account fails before any call
        regions = regions or self.regions
        pull = Pull(
            self,
            wants,
            accounts,
            [regions] if isinstance(regions, str) else list(regions),
            max_workers=self.max_workers,
            per_bucket=self.per_bucket,
            progress=progress,
            clock=self.now,
        )
        frames = pull.run()
        for df in frames:
            df.attrs["backend"] = self.backend
        pull.warn()
        return frames

    # -- forms (ppv2kit.forms) -----------------------------------------------------------------
    def form(self, operation: str, region: str | None = None) -> Any:
        """An ipywidgets form for ``operation`` (see :func:`ppv2kit.forms.form`)."""
        from .forms import form

        return form(self, operation, region=region)

    def composer(self, region: str | None = None) -> Any:
        """The SMS composer (see :func:`ppv2kit.forms.composer`)."""
        from .forms import composer

        return composer(self, region=region)

    # -- display -------------------------------------------------------------------------------
    def registration_form(
        self,
        registration_type: str | None = None,
        *,
        registration_id: str | None = None,
        region: str | None = None,
    ) -> Any:
        """A registration form built from the type's definitions (:mod:`.forms.registration`)."""
        from .forms.registration import registration_form

        return registration_form(
            self, registration_type, registration_id=registration_id, region=region
        )

    def _where(self) -> str:
        if self.backend == SANDBOX:
            return repr(self.sandbox)
        if self.backend == ENDPOINT:
            return _without_userinfo(str(self.endpoint_url))
        profiles = [s.profile_name for s in self._sessions]
        return "profile " + ", ".join(str(p) for p in profiles)

    def _facts(self) -> list[tuple[str, str]]:
        facts = [
            ("backend", f"{self.backend} ({_BADGES[self.backend][1]})"),
            ("account" if len(self.accounts) == 1 else "accounts", ", ".join(self.accounts)),
            ("regions", ", ".join(self.regions)),
            ("source", self._where()),
        ]
        if self.note:
            facts.append(("note", self.note))
        return facts

    def __repr__(self) -> str:
        width = max(len(k) for k, _ in self._facts())
        lines = [f"  {k.ljust(width)} : {v}" for k, v in self._facts()]
        return f"<ppv2kit.Kit {self.backend}>\n" + "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The facts a report's header shows (:data:`KIT_MIME`), beside the HTML and text reprs."""
        return {
            KIT_MIME: {
                "backend": self.backend,
                "meaning": _BADGES[self.backend][1],
                "accounts": self.accounts,
                "regions": list(self.regions),
                "as_of": self.now().isoformat(),
            }
        }

    def _repr_html_(self) -> str:
        colour, meaning = _BADGES[self.backend]
        esc = html.escape
        rows = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{esc(k)}</th>"
            f"<td style='text-align:left'>{esc(v)}</td></tr>"
            for k, v in self._facts()
            if k != "backend"
        )
        return (
            "<div class='ppv2kit-kit'>"
            f"<span style='background:{colour};color:white;font-weight:bold;"
            f"padding:1px 8px;border-radius:3px'>{esc(self.backend)}</span> "
            f"<span>{esc(meaning)}</span>"
            f"<table style='margin-top:4px'>{rows}</table></div>"
        )


def _without_userinfo(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@`` (reprs never show secrets)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


for _plan in plans():
    if hasattr(Kit, _plan.method):  # pragma: no cover - a model name colliding with the kit's
        raise RuntimeError(f"Kit.{_plan.method} would shadow an attribute of Kit")
    setattr(Kit, _plan.method, methods.make_method(_plan))
del _plan
