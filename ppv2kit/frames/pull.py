"""One pull: frames of several listings, their parents fanned out, across accounts and regions.

A pull turns requests (a plan and the caller's parameters) into tasks, runs them on one
:class:`~.fetch.Runner`, and builds one frame per request. A listing asked for twice in one pull
(the phone numbers wanted as a frame and as the parents of keywords) is fetched once. Children
start as soon as their region's parents are known; tags as soon as their resources are.
Failures are recorded per (account, region[, parent]) in ``df.attrs["errors"]`` and reported as
one :class:`FrameWarning` per frame; the rest of the frame is returned.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .build import Chunk, build
from .fetch import (
    DEFAULT_PER_BUCKET,
    DEFAULT_WORKERS,
    ClientSource,
    Outcome,
    Runner,
    Task,
    error_code,
    error_message,
)
from .plan import FramePlan, Request, plan

TAGS_OPERATION = "ListTagsForResource"
NOT_FOUND = "ResourceNotFoundException"


class FrameWarning(UserWarning):
    """Part of a frame could not be fetched (a region not enabled, access denied...)."""


@dataclass(frozen=True)
class Want:
    """One frame a pull should build."""

    plan: FramePlan
    request: Request
    with_tags: bool = False


@dataclass
class _Frame:
    want: Want
    chunks: list[Chunk] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    tags: dict[str, dict[str, str] | None] = field(default_factory=dict)
    succeeded: int = 0

    def fail(self, task: Task, error: BaseException, parent: str | None = None) -> None:
        self.errors.append(
            {
                "account": task.account,
                "region": task.region,
                "operation": task.operation,
                "parent": parent,
                "code": error_code(error),
                "message": error_message(error),
            }
        )


Listener = Callable[[Outcome], Iterable[Task]]


@dataclass(frozen=True)
class _Route:
    """Where a task's outcome goes, and where its rows sort: (account, region, source, parent)
    indexes, so a frame's row order does not depend on which call finished first."""

    listeners: tuple[Listener, ...] | list[Listener]
    order: tuple[int, int, int, int] = (0, 0, 0, 0)


class Pull:
    """The state of one pull; :meth:`run` returns the frames in the order wanted."""

    def __init__(
        self,
        source: ClientSource,
        wants: Sequence[Want],
        accounts: Sequence[str],
        regions: Sequence[str],
        *,
        max_workers: int = DEFAULT_WORKERS,
        per_bucket: int = DEFAULT_PER_BUCKET,
        progress: bool | None = None,
        clock: Callable[[], pd.Timestamp] | None = None,
    ) -> None:
        self.source = source
        # When the frames were fetched, on the backend's clock (the sandbox's for a sandbox).
        self.clock = clock or (lambda: pd.Timestamp.now(tz="UTC"))
        self.accounts = list(accounts)
        self.regions = list(regions)
        self.frames = [_Frame(w) for w in wants]
        desc = ", ".join(w.plan.method for w in wants[:3]) + ("..." if len(wants) > 3 else "")
        self.runner = Runner(source, max_workers, per_bucket, progress, desc)
        # One listing per (operation, parameters), whoever wants it: (params, listeners).
        self._listings: dict[tuple[str, str], tuple[Mapping[str, Any], list[Listener]]] = {}

    # -- tasks -----------------------------------------------------------------------------------
    def _where(self) -> Iterable[tuple[int, str, int, str]]:
        for a, account in enumerate(self.accounts):
            for r, region in enumerate(self.regions):
                yield a, account, r, region

    @staticmethod
    def _listing(
        p: FramePlan, account: str, region: str, params: Mapping[str, Any], route: _Route
    ) -> Task:
        return Task(
            p.operation,
            p.snake_name,
            account,
            region,
            dict(params),
            result_key=p.result_key,
            output_token=p.output_token,
            context_keys=p.context_keys,
            page_size=p.page_size,
            meta=route,
        )

    def _subscribe(self, p: FramePlan, params: Mapping[str, Any], listener: Listener) -> None:
        key = (p.operation, repr(sorted(params.items())))
        self._listings.setdefault(key, (params, []))[1].append(listener)

    def _initial(self) -> list[Task]:
        tasks: list[Task] = []
        for frame in self.frames:
            p, request = frame.want.plan, frame.want.request
            if p.parent is None:
                self._subscribe(p, request.params, self._collector(frame, 0, 0))
            elif request.parents is not None:
                for a, account, r, region in self._where():
                    for i, value in enumerate(request.parents):
                        params = {**request.params, p.parent: value}
                        route = _Route((self._collector(frame, 0, i),), (a, r, 0, i))
                        tasks.append(self._listing(p, account, region, params, route))
            else:
                for s, source in enumerate(p.sources):
                    self._subscribe(plan(source.operation), {}, self._spawner(frame, s))
        for (operation, _), (params, listeners) in self._listings.items():
            p = plan(operation)
            for a, account, r, region in self._where():
                route = _Route(listeners, (a, r, 0, 0))
                tasks.append(self._listing(p, account, region, dict(params), route))
        return tasks

    def _collector(self, frame: _Frame, source: int, index: int) -> Listener:
        def collect(outcome: Outcome) -> Iterable[Task]:
            task = outcome.task
            if not outcome.ok:
                parent = task.params.get(frame.want.plan.parent or "")
                frame.fail(task, outcome.error, parent)  # type: ignore[arg-type]
                return ()
            frame.succeeded += 1
            order = (*task.meta.order[:2], source, index)
            frame.chunks.append(
                Chunk(task.account, task.region, outcome.context, outcome.items, order)
            )
            return self._tag_tasks(frame, task, outcome.items)

        return collect

    def _spawner(self, frame: _Frame, source: int) -> Listener:
        p = frame.want.plan
        member = p.sources[source].member

        def spawn(outcome: Outcome) -> Iterable[Task]:
            task = outcome.task
            if not outcome.ok:
                frame.fail(task, outcome.error)  # type: ignore[arg-type]
                return ()
            a, r = task.meta.order[:2]
            children = []
            for i, item in enumerate(outcome.items):
                value = item.get(member)
                if value is None:
                    continue
                params = {**frame.want.request.params, p.parent: value}
                route = _Route((self._collector(frame, source, i),), (a, r, source, i))
                children.append(self._listing(p, task.account, task.region, params, route))
            return children

        return spawn

    def _tag_tasks(self, frame: _Frame, task: Task, items: Sequence[Any]) -> list[Task]:
        column = frame.want.plan.arn_column
        if not frame.want.with_tags or column is None:
            return []
        out = []
        for item in items:
            arn = item.get(column)
            if arn and arn not in frame.tags:
                frame.tags[arn] = None
                out.append(
                    Task(
                        TAGS_OPERATION,
                        "list_tags_for_resource",
                        task.account,
                        task.region,
                        {"ResourceArn": arn},
                        paginate=False,
                        meta=_Route((self._tagger(frame, arn),)),
                    )
                )
        return out

    @staticmethod
    def _tagger(frame: _Frame, arn: str) -> Listener:
        def tag(outcome: Outcome) -> Iterable[Task]:
            if not outcome.ok:
                frame.fail(outcome.task, outcome.error, arn)  # type: ignore[arg-type]
            else:
                tags = (outcome.response or {}).get("Tags") or []
                frame.tags[arn] = {t["Key"]: t.get("Value", "") for t in tags}
            return ()

        return tag

    @staticmethod
    def _dispatch(outcome: Outcome) -> list[Task]:
        return [task for listener in outcome.task.meta.listeners for task in listener(outcome)]

    # -- run -------------------------------------------------------------------------------------
    def run(self) -> list[pd.DataFrame]:
        """Fetch everything and build the frames."""
        started = time.perf_counter()
        self.runner.run(self._initial(), self._dispatch)
        fetched = self.clock()
        seconds = time.perf_counter() - started
        out = []
        for frame in self.frames:
            want = frame.want
            df = build(want.plan, frame.chunks, frame.tags if want.with_tags else None)
            df.attrs.update(
                operation=want.plan.operation,
                params=_plain(want.request.params, want.plan.parent, want.request.parents),
                accounts=list(self.accounts),
                regions=list(self.regions),
                fetched_at=fetched,
                seconds=round(seconds, 3),
                calls=self.runner.calls,
                errors=list(frame.errors),
            )
            out.append(df)
        return out

    @staticmethod
    def _reportable(frame: _Frame) -> list[dict[str, Any]]:
        """Errors worth a warning: not "not found" for resources the caller named, in a frame
        that found them elsewhere (an ID exists in one region only)."""
        expected = frame.want.request.names_resources and frame.succeeded > 0
        return [e for e in frame.errors if not (expected and e["code"] == NOT_FOUND)]

    def warn(self) -> None:
        """Report failures: one :class:`FrameWarning` for the whole pull, if anything failed."""
        reports = [(f, r) for f in self.frames if (r := self._reportable(f))]
        if not reports:
            return
        if len(self.frames) == 1:
            message = _summary(reports[0][0].want.plan.operation, reports[0][1])
        else:
            lines = [
                f"  {f.want.plan.method}: {len(r)} request(s) failed "
                f"({', '.join(sorted({e['code'] for e in r}))})"
                for f, r in reports
            ]
            message = (
                f"{len(reports)} of {len(self.frames)} frames are incomplete; each holds the rest "
                "(details in its df.attrs['errors']):\n" + "\n".join(lines)
            )
        warnings.warn(message, FrameWarning, stacklevel=_caller_level())


def _caller_level() -> int:
    """The stack level of the first caller outside ppv2kit (where the warning should point)."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("ppv2kit."):
        level += 1
        frame = frame.f_back
    return level


def _plain(params: Mapping[str, Any], parent: str | None, parents: Sequence[str] | None) -> dict:
    out = dict(params)
    if parent and parents is not None:
        out[parent] = list(parents)
    return out


def _summary(operation: str, errors: Sequence[Mapping[str, Any]]) -> str:
    shown = []
    for e in errors[:5]:
        where = f"{e['account']}/{e['region']}"
        what = e["operation"] + (f"({e['parent']})" if e["parent"] else "")
        shown.append(f"  {where} {what}: {e['code']}: {e['message']}")
    more = f"\n  ... and {len(errors) - 5} more" if len(errors) > 5 else ""
    return (
        f"{operation}: {len(errors)} request(s) failed; the frame holds the rest "
        "(details in df.attrs['errors']):\n" + "\n".join(shown) + more
    )
