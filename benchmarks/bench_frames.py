"""Frames: what ``kit.frame`` costs over hand-written boto3, and what its concurrency buys.

(a) Overhead: 100,000 opted-out numbers (10 lists of 10,000) read through ``kit.opted_out_numbers``
    and through a hand-written ``paginate()`` loop + ``pd.json_normalize`` over the same in-process
    sandbox in the same run. Target: kit / hand-written <= 1.10, while the kit gives more (typed
    columns, UTC timestamps, Account/Region/OptOutListName on every row).
(b) Concurrency: a full inventory (every listing the sandbox emulates, parents fanned out) of the
    ``large`` seed across 5 regions, served over HTTP with 50 ms latency and the documented
    per-operation rate limits scaled so the lower bound is about a minute. Targets: at least 4x
    faster than a sequential loop (one call at a time; timed on one region and scaled by the
    calls of all, since regions share no rate limit), and within 1.3x of the lower bound those
    rate limits impose (max over account, region and operation of calls needed / allowed rate).

Run with ``python -m benchmarks frames`` (or ``make bench``).
"""

from __future__ import annotations

import collections
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import boto3
import pandas as pd
from botocore.config import Config

import ppv2kit
from ppv2kit.frames import FramePlan, plan, plans
from ppv2kit.sandbox import Sandbox

ROWS = 100_000
LISTS = 10
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-west-2", "ap-southeast-2")
LATENCY = 0.05
BOUND_SECONDS = 60.0
RETRIES = Config(retries={"mode": "adaptive", "total_max_attempts": 20})


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


# -- (a) overhead ----------------------------------------------------------------------------------


def _opt_out_sandbox() -> Sandbox:
    sb = Sandbox()
    client = sb.client()
    per_list = ROWS // LISTS
    for n in range(LISTS):
        name = f"bench-{n}"
        client.create_opt_out_list(OptOutListName=name)
        with sb.admin() as ctx:
            rows = []
            for i in range(per_list):
                number = f"+1206{n:02d}{i:05d}"
                doc = {
                    "OptedOutNumber": number,
                    "OptedOutTimestamp": ctx.now - i,
                    "EndUserOptedOut": i % 3 == 0,
                }
                rows.append((number, doc))
            ctx.store.put_many("opted-out-number", rows, parent=name)
    return sb


def hand_written(client: Any) -> pd.DataFrame:
    """What a user writes today: loop the lists, paginate each, json_normalize."""
    rows: list[dict[str, Any]] = []
    for page in client.get_paginator("describe_opt_out_lists").paginate():
        for listed in page["OptOutLists"]:
            numbers = client.get_paginator("describe_opted_out_numbers")
            for numbers_page in numbers.paginate(OptOutListName=listed["OptOutListName"]):
                rows.extend(numbers_page["OptedOutNumbers"])
    return pd.json_normalize(rows)


def bench_overhead() -> None:
    print(f"(a) {ROWS:,} opted-out numbers in {LISTS} lists, in-process sandbox")
    sb = _opt_out_sandbox()
    kit = ppv2kit.connect(sandbox=sb, regions=["us-east-1"])
    client = kit.client()
    base_s, base = _timed(lambda: hand_written(client))
    kit_s, df = _timed(lambda: kit.opted_out_numbers(progress=False))
    # Second round in the other order, best of two each: neither side profits from going first.
    kit_s = min(kit_s, _timed(lambda: kit.opted_out_numbers(progress=False))[0])
    base_s = min(base_s, _timed(lambda: hand_written(client))[0])
    assert len(df) == len(base) == ROWS, (len(df), len(base))
    ratio = kit_s / base_s
    print(f"    paginate + json_normalize : {base_s:7.2f} s  {len(base.columns)} columns")
    print(f"    kit.opted_out_numbers()   : {kit_s:7.2f} s  {len(df.columns)} columns")
    print(
        f"    ratio kit / hand-written  : {ratio:7.2f}   (target <= 1.10) {_verdict(ratio <= 1.10)}"
    )
    print(f"    hand-written dtypes: {_dtypes(base)}")
    print(f"    kit dtypes         : {_dtypes(df)}")
    sb.close()


def _dtypes(df: pd.DataFrame) -> str:
    return ", ".join(f"{c}={t}" for c, t in df.dtypes.astype(str).items())


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# -- (b) concurrency -------------------------------------------------------------------------------


def _inventory_plans(sb: Sandbox) -> list[FramePlan]:
    emulated = set(sb.operations())
    return [
        p
        for p in plans()
        if not p.required
        and p.operation in emulated
        and all(s.operation in emulated for s in p.sources)
    ]


def _listing(
    client: Any, p: FramePlan, calls: collections.Counter, key: tuple[str, str], **params: Any
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    config = {"PageSize": p.page_size} if p.page_size else {}
    for page in client.get_paginator(p.snake_name).paginate(**params, PaginationConfig=config):
        calls[(*key, p.operation)] += 1
        out.extend(page[p.result_key])
    return out


def sequential(
    clients: dict[tuple[str, str], Any], chosen: Sequence[FramePlan]
) -> tuple[collections.Counter, dict[str, int]]:
    """A hand-written loop: every listing, then every parent's children, one call at a time.

    Returns the calls made per (account, region, operation) and the rows per operation.
    """
    calls: collections.Counter = collections.Counter()
    rows: collections.Counter = collections.Counter()
    for key, client in clients.items():
        seen: dict[str, list[dict[str, Any]]] = {}
        for p in chosen:
            if p.parent is None:
                seen[p.operation] = _listing(client, p, calls, key)
                rows[p.operation] += len(seen[p.operation])
                continue
            for source in p.sources:
                parents = seen.get(source.operation)
                if parents is None:
                    parents = _listing(client, plan(source.operation), calls, key)
                    seen[source.operation] = parents
                for item in parents:
                    found = _listing(client, p, calls, key, **{p.parent: item[source.member]})
                    rows[p.operation] += len(found)
    return calls, dict(rows)


def _state(directory: str) -> str | None:
    """A SQLite file holding the large seed, or None (with the reason printed)."""
    path = os.path.join(directory, "large.sqlite")
    try:
        Sandbox(seed="large", state_path=path).close()
    except Exception as err:  # the large seed is built elsewhere; say so rather than fail
        print(f"(b) skipped: large seed not available ({type(err).__name__}: {err})")
        return None
    return path


def bench_inventory() -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = _state(directory)
        if path is not None:
            _inventory(path)


def _inventory(path: str) -> None:
    counting = Sandbox(state_path=path)
    accounts = counting.accounts()
    held = counting.regions()
    regions = (held + [r for r in REGIONS if r not in held])[:5]
    chosen = _inventory_plans(counting)
    local = {
        (a, r): counting.client(region_name=r, account_id=a) for a in accounts for r in regions
    }
    calls, rows = sequential(local, chosen)  # in process, unthrottled: the calls needed
    counting.close()

    documented = Sandbox(rate_limits=1.0).limiter
    scale = max(1.0, max(n / documented.rate(k[2]) for k, n in calls.items()) / BOUND_SECONDS)
    served = Sandbox(state_path=path, latency=LATENCY, rate_limits=scale)
    rate = served.limiter.rate
    bound, worst = max((n / rate(key[2]), key) for key, n in calls.items())
    total = sum(calls.values())
    print(
        f"(b) large seed: inventory of {len(chosen)} listings, {len(accounts)} account(s) x "
        f"{len(regions)} regions, {total:,} calls, {sum(rows.values()):,} rows; HTTP, "
        f"{LATENCY * 1000:.0f} ms latency, documented rates x{scale:.1f}"
    )
    print(
        f"    lower bound (calls / rate)   : {bound:7.2f} s  "
        f"({calls[worst]} calls of {worst[2]} in {worst[1]} at {rate(worst[2]):.1f}/s)"
    )
    server = served.serve()
    try:
        sessions = [
            boto3.session.Session(
                aws_access_key_id=a, aws_secret_access_key="sandbox", region_name=regions[0]
            )
            for a in accounts
        ]
        kit = ppv2kit.connect(sessions=sessions, endpoint_url=server.url, regions=regions)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kit_s, frames = _timed(
                lambda: kit.frames([p.operation for p in chosen], progress=False)
            )
        got = {p.operation: len(frames[p.method]) for p in chosen}
        errors = sum(len(df.attrs["errors"]) for df in frames.values())
        print(f"    kit.frames(), all regions    : {kit_s:7.2f} s  ({errors} errors)")
        # The sequential loop, one call at a time, on the first region; regions share no rate
        # limit, so the whole loop takes that time scaled by the calls of all regions.
        first = (accounts[0], regions[0])
        remote = {
            first: sessions[0].client(
                "pinpoint-sms-voice-v2",
                region_name=regions[0],
                endpoint_url=server.url,
                config=RETRIES,
            )
        }
        one_s, _ = _timed(lambda: sequential(remote, chosen))
        share = sum(n for key, n in calls.items() if key[:2] == first) / total
        seq_s = one_s / share
        print(
            f"    sequential loop              : {seq_s:7.2f} s  (measured {one_s:.1f} s on "
            f"{first[1]}, {share:.0%} of the calls)"
        )
    finally:
        server.stop()
        served.close()
    speedup = seq_s / kit_s
    to_bound = kit_s / bound
    ok_speed, ok_bound = _verdict(speedup >= 4), _verdict(to_bound <= 1.3)
    print(f"    speedup vs sequential        : {speedup:7.2f}x (target >= 4)   {ok_speed}")
    print(f"    kit / lower bound            : {to_bound:7.2f}x (target <= 1.3)  {ok_bound}")
    if got != {op: rows.get(op, 0) for op in got}:
        print(f"    ROW COUNTS DIFFER: kit {got} vs sequential {rows}")


def main() -> None:
    bench_overhead()
    bench_inventory()


if __name__ == "__main__":
    main()
