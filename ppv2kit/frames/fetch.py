"""Calls, concurrently: botocore paginators over (account, region, parent) on a bounded pool.

Each :class:`Task` is one paginated listing (every page, through botocore's own paginator) or one
plain call, for one account and region. :class:`Runner` runs tasks on a bounded thread pool,
fairly: tasks queue per (account, region, operation) — the unit the service rate-limits — and
no such bucket holds more than ``per_bucket`` workers, so a thousand keyword listings of one
region do not starve the others. A task's outcome (items, the paginator's context keys, or the
error) goes to a callback in the calling thread, which may queue more tasks (children once their
parents are known, tags once resources are known). Throttling is absorbed by the clients' retry
mode; a listing that still gives up resumes from its last page after a pause. Errors are
captured per task; only mistakes in the request itself (parameter validation) are raised.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

DEFAULT_WORKERS = 32
DEFAULT_PER_BUCKET = 4
# Error codes that mean "too fast"; a listing that gives up on one resumes after a pause.
THROTTLING_CODES = frozenset(
    {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"}
)
RESUMES = 5
RESUME_PAUSE = 1.0


class ClientSource(Protocol):
    """Whatever hands out boto3 clients: the kit."""

    def fetch_client(self, region: str, account: str, operation: str) -> Any:
        """A client for ``operation`` calls of ``account`` in ``region``."""
        ...


@dataclass(frozen=True, eq=False)
class Task:
    """One listing (``paginate=True``) or one call of ``operation`` in one account and region."""

    operation: str
    snake_name: str
    account: str
    region: str
    params: Mapping[str, Any]
    paginate: bool = True
    result_key: str = ""
    output_token: str = "NextToken"
    context_keys: tuple[str, ...] = ()
    page_size: int | None = None
    meta: Any = None

    @property
    def bucket(self) -> tuple[str, str, str]:
        """The rate-limit bucket: (account, region, operation)."""
        return (self.account, self.region, self.operation)


@dataclass
class Outcome:
    """What one task brought back: every item and the context keys, or the error."""

    task: Task
    items: list[Any] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    response: dict[str, Any] | None = None
    calls: int = 0
    error: Exception | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def error_code(error: BaseException) -> str:
    """The AWS error code of ``error`` (``AccessDeniedException``), or its class name."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code") or type(error).__name__)
    return type(error).__name__


def error_message(error: BaseException) -> str:
    """The service's message for ``error``."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Message") or error)
    return str(error)


def _page_config(task: Task, token: str | None) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if task.page_size:
        config["PageSize"] = task.page_size
    if token:
        config["StartingToken"] = token
    return config


def run_task(task: Task, client: Any, on_page: Callable[[int], None] | None = None) -> Outcome:
    """Run ``task`` with ``client``; capture service and transport errors in the outcome."""
    out = Outcome(task)
    started = time.perf_counter()
    token: str | None = None
    resumes = 0
    while True:
        try:
            if not task.paginate:
                out.calls += 1
                out.response = getattr(client, task.snake_name)(**task.params)
                break
            pages = client.get_paginator(task.snake_name).paginate(
                **task.params, PaginationConfig=_page_config(task, token)
            )
            for page in pages:
                out.calls += 1
                items = page.get(task.result_key) or []
                out.items.extend(items)
                if not out.context:
                    out.context = {k: page.get(k) for k in task.context_keys}
                token = page.get(task.output_token) or token
                if on_page is not None:
                    on_page(len(items))
            break
        except ParamValidationError:
            raise
        except ClientError as err:
            if error_code(err) in THROTTLING_CODES and resumes < RESUMES:
                resumes += 1
                time.sleep(RESUME_PAUSE * resumes)
                continue
            out.error = err
            break
        except BotoCoreError as err:
            out.error = err
            break
    out.seconds = time.perf_counter() - started
    return out


# A pull shows its bar only once it has taken this long, unless progress=True.
PROGRESS_DELAY = 1.0


def progress_bar(progress: bool | None, total: int, desc: str) -> Any:
    """A tqdm.auto bar counting finished tasks (``None`` when ``progress`` is False)."""
    if progress is False:
        return None
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit="task",
        delay=0 if progress else PROGRESS_DELAY,
        leave=bool(progress),
        dynamic_ncols=True,
    )


def _grow(bar: Any, total: int) -> None:
    bar.total = total
    container = getattr(bar, "container", None)  # the notebook widget keeps its own maximum
    if container is not None:
        container.children[1].max = total


class Runner:
    """Runs tasks on a bounded pool, at most ``per_bucket`` at a time per rate-limit bucket."""

    def __init__(
        self,
        source: ClientSource,
        max_workers: int = DEFAULT_WORKERS,
        per_bucket: int = DEFAULT_PER_BUCKET,
        progress: bool | None = None,
        desc: str = "",
    ) -> None:
        self.source = source
        self.max_workers = max(1, max_workers)
        self.per_bucket = max(1, per_bucket)
        self.show = progress
        self.desc = desc
        self.progress: Any = None
        self.total = 0
        self.calls = 0
        self.rows = 0
        self._pages_lock = threading.Lock()
        self._queues: dict[tuple[str, str, str], deque[Task]] = {}
        self._order: deque[tuple[str, str, str]] = deque()
        self._busy: dict[tuple[str, str, str], int] = {}

    def _on_page(self, n: int) -> None:
        with self._pages_lock:
            self.calls += 1
            self.rows += n

    def _enqueue(self, tasks: Iterable[Task]) -> int:
        count = 0
        for task in tasks:
            queue = self._queues.get(task.bucket)
            if queue is None:
                queue = self._queues[task.bucket] = deque()
                self._order.append(task.bucket)
            queue.append(task)
            count += 1
        self.total += count
        if count and self.progress is not None:
            _grow(self.progress, self.total)
        return count

    def _next(self) -> Task | None:
        """The next task, round-robin over buckets that have room."""
        for _ in range(len(self._order)):
            bucket = self._order[0]
            self._order.rotate(-1)
            queue = self._queues[bucket]
            if queue and self._busy.get(bucket, 0) < self.per_bucket:
                return queue.popleft()
        return None

    def _work(self, task: Task) -> Outcome:
        client = self.source.fetch_client(task.region, task.account, task.operation)
        outcome = run_task(task, client, self._on_page if task.paginate else None)
        if not task.paginate:
            with self._pages_lock:
                self.calls += outcome.calls
        return outcome

    def run(
        self, tasks: Iterable[Task], on_outcome: Callable[[Outcome], Iterable[Task] | None]
    ) -> None:
        """Run ``tasks`` and every task ``on_outcome`` queues, until none is left."""
        self._enqueue(tasks)
        self.progress = progress_bar(self.show, self.total, self.desc)
        pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix="ppv2kit-frames")
        try:
            self._loop(pool, on_outcome)
        except BaseException:  # an interrupt or a mistake: leave now, drop what is queued
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            if self.progress is not None:
                self._show()
                self.progress.close()
        pool.shutdown()

    def _loop(
        self,
        pool: ThreadPoolExecutor,
        on_outcome: Callable[[Outcome], Iterable[Task] | None],
    ) -> None:
        pending: dict[Future[Outcome], Task] = {}
        while True:
            while len(pending) < self.max_workers:
                task = self._next()
                if task is None:
                    break
                self._busy[task.bucket] = self._busy.get(task.bucket, 0) + 1
                pending[pool.submit(self._work, task)] = task
            if not pending:
                return
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            self._show()
            for future in done:
                task = pending.pop(future)
                self._busy[task.bucket] -= 1
                outcome = future.result()
                if self.progress is not None:
                    self.progress.update(1)
                self._enqueue(on_outcome(outcome) or ())

    def _show(self) -> None:
        bar = self.progress
        if bar is None:
            return
        bar.set_postfix_str(f"{self.rows:,} rows, {self.calls:,} calls", False)
        if time.time() - bar.start_t >= bar.delay:  # a delayed bar stays hidden until then
            bar.refresh()
