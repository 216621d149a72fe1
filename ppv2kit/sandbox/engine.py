"""The sandbox: state, the one dispatcher, and the ways clients reach it.

``Sandbox`` owns everything (no module globals): a SQLite :class:`~.store.Store` holding state
per account then region (created lazily on first use), a clock, settings for latency and
throttling, and the handler table built from ``ppv2kit.sandbox.ops``. Every request goes through
:meth:`Sandbox.invoke`: validate against the model's input shape, run the handler inside one
transaction, answer ``ClientToken`` replays, prune the response to the output shape (and in
strict mode check it).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import model as model_mod
from . import catalog, cloudwatch, inprocess, kinds, ops, seeds
from .admin import Administration
from .context import Context
from .errors import NotEmulated, ServiceError, internal, throttled, validation
from .ops import account as account_ops
from .server import MAX_CONNECTIONS, SandboxServer
from .store import Store
from .throttle import RateLimiter
from .validation import check_error, check_input, check_output, prune

if TYPE_CHECKING:
    from botocore.client import BaseClient


log = logging.getLogger("ppv2kit.sandbox")

Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]

SMS_SERVICE = model_mod.SERVICE
# Errors every operation may raise whatever its model entry lists (the service's common errors).
COMMON_ERRORS = frozenset(
    {
        "ValidationException",
        "ThrottlingException",
        "AccessDeniedException",
        "InternalServerException",
    }
)


def _strict_default() -> bool:
    return os.environ.get("PPV2KIT_SANDBOX_STRICT", "") not in ("", "0", "false")


class Sandbox(Administration):
    """An offline, faithful emulator of ``pinpoint-sms-voice-v2`` reached through boto3.

    Parameters
    ----------
    seed:
        ``None`` (empty accounts), ``"demo"`` (a realistic, deterministic demo account) or
        ``"large"`` (thousands of resources, for benchmarks).
    state_path:
        A SQLite file that keeps the state across restarts; in memory when omitted.
    latency:
        Seconds added to every request (benchmarks).
    rate_limits:
        ``None`` (off), ``True`` (the documented per-operation rates), a number (scale the
        documented rates by it) or a mapping of operation name to requests per second.
    now:
        The sandbox clock's starting time (a datetime or epoch seconds); real time when omitted.
    strict:
        Check every response and error against the model (the test suite turns this on, also
        through ``PPV2KIT_SANDBOX_STRICT=1``).
    """

    def __init__(
        self,
        seed: str | None = None,
        *,
        state_path: str | os.PathLike[str] | None = None,
        latency: float = 0.0,
        rate_limits: bool | float | Mapping[str, float] | None = None,
        now: datetime | float | None = None,
        strict: bool | None = None,
    ) -> None:
        self.store = Store(os.fspath(state_path) if state_path else None)
        self.latency = latency
        self.strict = _strict_default() if strict is None else strict
        self.limiter = _limiter(rate_limits)
        self.provisioning_delay = 0.0  # seconds a new number stays PENDING / a pool CREATING
        self._offset = 0.0
        if now is not None:
            start = now.timestamp() if isinstance(now, datetime) else float(now)
            self._offset = start - time.time()
        self._clock_lock = threading.Lock()
        self._pinned: float | None = None
        # IDs, numbers and codes come from here: reseeded by a seed so seeded state is identical
        # on every run, system-seeded otherwise.
        self.random = random.Random()
        secret = self.store.get_meta("secret")
        if secret is None:
            secret = secrets.token_hex(16)
            self.store.set_meta("secret", secret)
        self.secret = bytes.fromhex(secret)
        self._services = _services()
        self.seed = seed or self.store.get_meta("seed")
        if seed and self.store.get_meta("seed") is None:
            self._load_seed(seed)
            self.store.set_meta("seed", seed)

    def __repr__(self) -> str:
        where = self.store.path if self.store.path != ":memory:" else "in memory"
        return f"Sandbox(seed={self.seed!r}, {where})"

    # -- clock ---------------------------------------------------------------------------------
    def time(self) -> float:
        """The sandbox clock, in epoch seconds."""
        pinned = self._pinned
        return pinned if pinned is not None else time.time() + self._offset

    @contextlib.contextmanager
    def clock_at(self, when: datetime | float) -> Iterator[None]:
        """Stop the clock at ``when`` for the block (seeds write history with it)."""
        saved = self._pinned
        self._pinned = when.timestamp() if isinstance(when, datetime) else float(when)
        try:
            yield
        finally:
            self._pinned = saved

    def _load_seed(self, seed: str) -> None:
        self.random = random.Random(f"ppv2kit-seed-{seed}")
        try:
            seeds.load_seed(self, seed)
        finally:
            self.random = random.Random()

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock forward (PENDING numbers activate, 30-day rules pass...)."""
        with self._clock_lock:
            self._offset += seconds

    # -- dispatch ------------------------------------------------------------------------------
    def operations(self, service: str = SMS_SERVICE) -> list[str]:
        """Names of the operations the sandbox emulates for ``service``."""
        return sorted(self._services[service][1])

    def invoke(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        *,
        region: str = catalog.DEFAULT_REGION,
        account: str = catalog.DEFAULT_ACCOUNT,
        service: str = SMS_SERVICE,
        request_id: str | None = None,
        checked: bool = True,
    ) -> dict[str, Any]:
        """Run one API call directly (no HTTP, no botocore) and return the response dict.

        Raises :class:`~ppv2kit.sandbox.errors.ServiceError` exactly where the service answers
        with an error. ``checked=False`` skips the input-shape check, for requests the sandbox
        writes itself (seed builders outside strict mode); a handler's own rules still apply.
        """
        request_id = request_id or str(uuid.uuid4())
        try:
            svc_model, handlers = self._services[service]
        except KeyError:
            raise ServiceError("UnknownServiceException", f"No such service: {service}") from None
        try:
            op = svc_model.operation(operation)
        except KeyError:
            raise ServiceError(
                "UnknownOperationException", f"{service} has no operation {operation!r}"
            ) from None
        params = dict(params or {})
        try:
            result = self._dispatch(
                service, op, handlers, params, account, region, request_id, checked
            )
        except ServiceError as err:
            if self.strict:
                self._check_error(op, svc_model, err)
            raise
        except AssertionError as err:  # strict-mode contract violations
            raise internal(f"sandbox contract violation in {op.name}: {err}", request_id) from err
        except Exception as err:
            log.exception("sandbox handler %s failed (request %s)", op.name, request_id)
            detail = f": {type(err).__name__}: {err}" if self.strict else ""
            raise internal(f"The sandbox failed to process {op.name}{detail}", request_id) from err
        return result

    def _dispatch(
        self,
        service: str,
        op: model_mod.Operation,
        handlers: Mapping[str, Handler],
        params: dict[str, Any],
        account: str,
        region: str,
        request_id: str,
        checked: bool = True,
    ) -> dict[str, Any]:
        if checked:
            check_input(params, op.input)
        handler = handlers.get(op.name)
        if handler is None:
            raise NotEmulated(service, op.name)
        # The documented rates are the SMS API's; CloudWatch's own are far above any notebook's.
        limiter = self.limiter if service == SMS_SERVICE else None
        if limiter is not None and not limiter.allow(account, region, op.name):
            raise throttled(f"Rate exceeded for {op.name}")
        if self.latency:
            time.sleep(self.latency)
        token_name = op.idempotency_token
        token = params.get(token_name) if token_name else None
        with self.store.transaction():
            ctx = self._context(account, region, op, request_id, init=service == SMS_SERVICE)
            if token:
                digest = _digest({k: v for k, v in params.items() if k != token_name})
                seen = ctx.store.get(kinds.CLIENT_TOKEN, token, parent=op.name)
                if seen is not None:
                    if seen["digest"] != digest:
                        raise validation(
                            "INVALID_PARAMETER",
                            f"The ClientToken {token!r} was already used for a {op.name} "
                            "request with different parameters.",
                            [(token_name, "already used with different parameters")],
                        )
                    return seen["response"]
            result = prune(handler(ctx, params) or {}, op.output)
            if self.strict:
                check_output(result, op.output)
            if token:
                ctx.store.put(
                    kinds.CLIENT_TOKEN,
                    token,
                    {"digest": digest, "response": result, "at": ctx.now},
                    parent=op.name,
                )
        return result

    def _check_error(
        self, op: model_mod.Operation, svc_model: model_mod.Model, err: ServiceError
    ) -> None:
        if isinstance(err, NotEmulated) or err.code.endswith("OperationException"):
            return
        if err.code not in op.errors and err.code not in COMMON_ERRORS:
            raise internal(
                f"sandbox contract violation: {op.name} may not raise {err.code} "
                f"(model lists {', '.join(op.errors)}): {err.message}",
                "",
            ) from err
        try:
            check_error(err, svc_model.error_shapes.get(err.code))
        except AssertionError as bad:
            raise internal(f"sandbox contract violation in {op.name}: {bad}", "") from err

    def _context(
        self,
        account: str,
        region: str,
        op: model_mod.Operation | None = None,
        request_id: str = "",
        init: bool = True,
    ) -> Context:
        ctx = Context(self, self.store.region(account, region), op, request_id)
        if init:
            account_ops.ensure_region(ctx)
        return ctx

    @contextlib.contextmanager
    def admin(
        self, account: str = catalog.DEFAULT_ACCOUNT, region: str = catalog.DEFAULT_REGION
    ) -> Iterator[Context]:
        """A transaction on one account and region for steps no API call offers (seeding...)."""
        with self.store.transaction():
            yield self._context(account, region)

    # -- state ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every account and region (a seeded sandbox is seeded again)."""
        self.store.clear()
        if self.seed:
            self._load_seed(self.seed)

    def regions(self, account: str | None = None) -> list[str]:
        """Regions that hold state (for ``account``, or for any account)."""
        return sorted({r for a, r in self.store.regions() if account is None or a == account})

    def accounts(self) -> list[str]:
        """Accounts that hold state."""
        return sorted({a for a, _ in self.store.regions()})

    def close(self) -> None:
        """Close the database (a persisted sandbox keeps its state on disk)."""
        self.store.close()

    # -- transports ----------------------------------------------------------------------------
    def client(
        self,
        region_name: str = catalog.DEFAULT_REGION,
        account_id: str | None = None,
        service_name: str = SMS_SERVICE,
        **config: Any,
    ) -> BaseClient:
        """An ordinary boto3 client wired to this sandbox (never to AWS)."""
        return inprocess.make_client(self, region_name, account_id, service_name, **config)

    def attach(self, client: BaseClient) -> BaseClient:
        """Wire an existing boto3 client to this sandbox through its ``before-send`` event."""
        inprocess.attach(self, client)
        return client

    def detach(self, client: BaseClient) -> BaseClient:
        """Undo :meth:`attach`."""
        inprocess.detach(self, client)
        return client

    def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        credentials: Mapping[str, str] | None = None,
        max_connections: int | None = None,
    ) -> SandboxServer:
        """Serve this sandbox over HTTP in a background thread; ``.url`` and ``.stop()``.

        Loopback only unless ``host`` says otherwise. With ``credentials`` (access key ID ->
        secret access key) only requests with a valid SigV4 signature by one of those keys are
        served; others get the service's authentication errors (ADR 0012). At most
        ``max_connections`` connections are served at once (default
        :data:`~ppv2kit.sandbox.server.MAX_CONNECTIONS`); more are answered HTTP 503
        ``ThrottlingException`` and closed, which botocore retries.
        """
        return SandboxServer(
            self, host, port, credentials, max_connections or MAX_CONNECTIONS
        ).start()


def _digest(params: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


def _limiter(rate_limits: bool | float | Mapping[str, float] | None) -> RateLimiter | None:
    if rate_limits is None or rate_limits is False:
        return None
    if rate_limits is True:
        return RateLimiter()
    if isinstance(rate_limits, int | float):
        return RateLimiter(scale=float(rate_limits))
    return RateLimiter(rates=rate_limits)


@functools.cache
def _services() -> dict[str, tuple[model_mod.Model, Mapping[str, Handler]]]:
    out: dict[str, tuple[model_mod.Model, Mapping[str, Handler]]] = {
        SMS_SERVICE: (model_mod.load(SMS_SERVICE), ops.handlers())
    }
    out["cloudwatch"] = (model_mod.load("cloudwatch"), cloudwatch.handlers())
    return out
