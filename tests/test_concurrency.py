"""Many threads and processes at once against one sandbox: no lost update, no deadlock, no
corrupted page.

Writers are thread pools sharing one boto3 client, thread pools with a client each, and worker
processes (spawned, each with its own boto3 client) against ``sandbox.serve()``; in-process
clients hammer the same sandbox at the same time. Every acknowledged write must be there exactly
once, read-modify-write requests on one document must not overwrite each other, and listings
walked page by page while writers insert must neither repeat nor skip what existed when the walk
began. Sizes: ``PPV2KIT_CONCURRENT_WRITES`` (CI 1,000; ``make reliability`` 5,000),
``PPV2KIT_CONCURRENT_THREADS`` (CI 32, long 64), ``PPV2KIT_CONCURRENT_PROCESSES`` (CI 4, long 8).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from typing import Any

import pytest
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from ppv2kit import model
from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.ops import handlers
from ppv2kit.sandbox.server import SandboxServer
from tests import strategies as S

WRITES = S.size("concurrent_writes", ci=1000, long=5000)
THREADS = S.size("concurrent_threads", ci=32, long=64)
PROCESSES = S.size("concurrent_processes", ci=4, long=8)
DEADLINE = 300.0  # seconds; a deadlock fails the test instead of hanging the suite
LIST = "concurrency"
FIGURES: dict[str, int] = {"writes": 0, "clients": 0, "walks": 0}


def number(i: int) -> str:
    """The i-th distinct E.164 test number."""
    return f"+1425{i:07d}"


def client_for(url: str | None, sandbox: Sandbox | None = None) -> BaseClient:
    """A boto3 client that retries like a real caller (standard mode) and waits long enough."""
    config = {"retries": {"mode": "standard", "max_attempts": 5}, "max_pool_connections": 64}
    if url is None:
        assert sandbox is not None
        return sandbox.client(**config)
    return S.boto3_client(url=url, **{**config, "parameter_validation": True})


def put_numbers(url: str, numbers: list[str]) -> list[str]:
    """Run in a worker process: put each number on the list; return those acknowledged."""
    import boto3

    client = boto3.session.Session(
        aws_access_key_id=S.ACCOUNT, aws_secret_access_key="x", region_name=S.REGION
    ).client(
        "pinpoint-sms-voice-v2",
        endpoint_url=url,
        config=Config(retries={"mode": "standard", "max_attempts": 5}),
    )
    done = []
    for n in numbers:
        answer = client.put_opted_out_number(OptOutListName=LIST, OptedOutNumber=n)
        assert answer["OptedOutNumber"] == n
        done.append(n)
    return done


@pytest.fixture
def served(sandbox: Sandbox) -> Iterator[SandboxServer]:
    sandbox.invoke("CreateOptOutList", {"OptOutListName": LIST})
    server = sandbox.serve()
    yield server
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    S.record("concurrency", threads=THREADS, processes=PROCESSES, **FIGURES)


def settle(futures: list[Future[Any]]) -> list[Any]:
    """Every future's result, or a failure naming how many never finished (a deadlock)."""
    done, pending = wait(futures, timeout=DEADLINE)
    assert not pending, f"{len(pending)} of {len(futures)} calls did not finish in {DEADLINE}s"
    return [f.result() for f in done]


def entries(sandbox: Sandbox, name: str = LIST) -> list[str]:
    return [
        n["OptedOutNumber"]
        for n in S.listing(
            sandbox, "DescribeOptedOutNumbers", S.ACCOUNT, S.REGION, OptOutListName=name
        )
    ]


def test_concurrent_puts_from_threads_and_processes_lose_nothing(
    sandbox: Sandbox, served: SandboxServer
) -> None:
    """WRITES distinct PutOptedOutNumber calls at once leave exactly WRITES entries."""
    numbers = [number(i) for i in range(WRITES)]
    quarter = len(numbers) // 4
    shared, own, inproc, spawned = (
        numbers[:quarter],
        numbers[quarter : 2 * quarter],
        numbers[2 * quarter : 3 * quarter],
        numbers[3 * quarter :],
    )
    shared_client = client_for(served.url)
    local = threading.local()

    def own_client_put(n: str) -> str:
        if not hasattr(local, "client"):
            local.client = client_for(served.url)
        return local.client.put_opted_out_number(OptOutListName=LIST, OptedOutNumber=n)[
            "OptedOutNumber"
        ]

    in_process = client_for(None, sandbox)
    spawn = multiprocessing.get_context("spawn")
    batches = [spawned[i::PROCESSES] for i in range(PROCESSES)]
    with (
        ThreadPoolExecutor(THREADS) as threads,
        ProcessPoolExecutor(PROCESSES, mp_context=spawn) as processes,
    ):
        jobs = [processes.submit(put_numbers, served.url, batch) for batch in batches]
        jobs += [
            threads.submit(
                lambda n=n: shared_client.put_opted_out_number(
                    OptOutListName=LIST, OptedOutNumber=n
                )["OptedOutNumber"]
            )
            for n in shared
        ]
        jobs += [threads.submit(own_client_put, n) for n in own]
        jobs += [
            threads.submit(
                lambda n=n: in_process.put_opted_out_number(OptOutListName=LIST, OptedOutNumber=n)[
                    "OptedOutNumber"
                ]
            )
            for n in inproc
        ]
        results = settle(jobs)
    acknowledged = [n for r in results for n in (r if isinstance(r, list) else [r])]
    assert sorted(acknowledged) == sorted(numbers)
    found = entries(sandbox)
    assert len(found) == len(set(found)) == WRITES
    assert set(found) == set(numbers)
    S.invariants(sandbox)
    FIGURES["writes"] += WRITES
    FIGURES["clients"] = max(FIGURES["clients"], THREADS + PROCESSES)


def test_the_same_number_put_concurrently_is_one_entry(sandbox: Sandbox, served: SandboxServer):
    client = client_for(served.url)
    with ThreadPoolExecutor(THREADS) as pool:
        settle(
            [
                pool.submit(client.put_opted_out_number, OptOutListName=LIST, OptedOutNumber=n)
                for n in [number(1), number(2)] * 100
            ]
        )
    assert sorted(entries(sandbox)) == [number(1), number(2)]


@pytest.mark.parametrize("transport", ["http", "inprocess"])
def test_read_modify_write_on_one_document_loses_no_update(
    sandbox: Sandbox, served: SandboxServer, transport: str
) -> None:
    """Tags and keywords live inside one document each: concurrent edits must all survive."""
    sandbox.set_account_limit("TAGS_PER_RESOURCE", 1000)
    sandbox.set_account_limit("KEYWORDS_PER_IDENTITY", 1000)
    phone = sandbox.invoke(
        "RequestPhoneNumber",
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "TOLL_FREE",
        },
    )
    client = client_for(served.url if transport == "http" else None, sandbox)
    arn = phone["PhoneNumberArn"]
    count = min(WRITES // 5, 400)

    def tag(i: int) -> None:
        client.tag_resource(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": str(i)}])

    def keyword(i: int) -> None:
        client.put_keyword(
            OriginationIdentity=phone["PhoneNumberId"], Keyword=f"W{i}", KeywordMessage=f"m{i}"
        )

    with ThreadPoolExecutor(THREADS) as pool:
        settle([pool.submit(f, i) for i in range(count) for f in (tag, keyword)])
    tags = client.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert {t["Key"] for t in tags} == {f"k{i}" for i in range(count)}
    words = {
        k["Keyword"]
        for page in client.get_paginator("describe_keywords").paginate(
            OriginationIdentity=phone["PhoneNumberId"]
        )
        for k in page["Keywords"]
    }
    assert words == {f"W{i}" for i in range(count)} | {"HELP", "STOP"}
    FIGURES["writes"] += 2 * count


def test_pages_walked_during_writes_neither_repeat_nor_skip(
    sandbox: Sandbox, served: SandboxServer
) -> None:
    """Walkers page through the list while writers append to it.

    Each walk holds every number acknowledged before it began, no number twice, and numbers in
    the list's one creation order; every NextToken handed out during the storm stays valid.
    """
    preloaded = [number(i) for i in range(200)]
    for n in preloaded:
        sandbox.invoke("PutOptedOutNumber", {"OptOutListName": LIST, "OptedOutNumber": n})
    acknowledged: set[str] = set(preloaded)
    lock = threading.Lock()
    stop = threading.Event()
    walker_count = max(4, THREADS // 4)
    writes = max(WRITES // 2, 200)

    def write(i: int) -> None:
        n = number(10_000 + i)
        client = writers[i % len(writers)]
        client.put_opted_out_number(OptOutListName=LIST, OptedOutNumber=n)
        with lock:
            acknowledged.add(n)

    def walk(k: int) -> list[tuple[set[str], list[str]]]:
        client = client_for(served.url)
        walks = []
        while not stop.is_set() or not walks:
            with lock:
                before = set(acknowledged)
            seen: list[str] = []
            paginator = client.get_paginator("describe_opted_out_numbers")
            for page in paginator.paginate(
                OptOutListName=LIST, PaginationConfig={"PageSize": 1 + k % 7}
            ):
                seen.extend(n["OptedOutNumber"] for n in page["OptedOutNumbers"])
            walks.append((before, seen))
        return walks

    writers = [client_for(served.url) for _ in range(4)] + [client_for(None, sandbox)]
    with ThreadPoolExecutor(THREADS + walker_count) as pool:
        walkers = [pool.submit(walk, k) for k in range(walker_count)]
        settle([pool.submit(write, i) for i in range(writes)])
        stop.set()
        results = settle(walkers)
    final = entries(sandbox)
    position = {n: i for i, n in enumerate(final)}
    assert set(final) == acknowledged
    total = 0
    for walks in results:
        for before, seen in walks:
            assert len(seen) == len(set(seen)), "a number came twice in one walk"
            assert before <= set(seen), f"a walk skipped {sorted(before - set(seen))[:5]}"
            order = [position[n] for n in seen]
            assert order == sorted(order), "a walk is out of creation order"
            total += 1
    FIGURES["walks"] += total
    FIGURES["writes"] += writes
    assert total >= walker_count


def collect(hints: S.Hints, count: int) -> list[S.Request]:
    """``count`` generated requests over every emulated operation (hypothesis drawing only)."""
    operations = [model.load().operation(op) for op in sorted(handlers())]
    batch: list[S.Request] = []

    @settings(S.PROFILE, max_examples=count, phases=[Phase.generate])
    @given(data=st.data())
    def draw(data: st.DataObject) -> None:
        op = data.draw(st.sampled_from(operations))
        batch.append(data.draw(S.requests(op, hints)))

    draw()
    return batch


def test_generated_requests_from_many_threads_keep_the_invariants(sandbox: Sandbox) -> None:
    """Fuzzed requests of every operation, fired at once from many threads, through both
    transports: every answer is valid or modelled, and the state is consistent afterwards."""
    S.build_world(sandbox)
    server = sandbox.serve()
    rounds = S.size("concurrent_rounds", ci=2, long=10)
    per_round = S.size("concurrent_requests", ci=150, long=600)
    local = threading.local()

    def send(request: S.Request, i: int) -> tuple[S.Request, S.Answer]:
        if not hasattr(local, "wires"):
            local.wires = [S.RawWire(server.url), S.HandleWire(sandbox)]
        return request, local.wires[i % 2].send(request.operation.name, request.params)

    try:
        for _ in range(rounds):
            batch = collect(S.read_hints(sandbox), per_round)
            with ThreadPoolExecutor(THREADS) as pool:
                jobs = [pool.submit(send, request, i) for i, request in enumerate(batch)]
                for request, answer in settle(jobs):
                    S.check_answer(request, answer)
            S.invariants(sandbox)
            FIGURES["writes"] += len(batch)
    finally:
        server.stop()


def test_no_deadlock_when_clients_mix_every_kind_of_call(sandbox: Sandbox, served: SandboxServer):
    """Reads, writes, failures and listings from many threads finish within the deadline."""
    client = client_for(served.url)
    calls: list[Callable[[], Any]] = [
        lambda: client.describe_spend_limits(),
        lambda: client.describe_opt_out_lists(),
        lambda: client.describe_account_limits(),
        lambda: sandbox.invoke("DescribeOptedOutNumbers", {"OptOutListName": LIST}),
        lambda: _refused(
            lambda: client.delete_opt_out_list(OptOutListName="missing"),
            "ResourceNotFoundException",
        ),
        lambda: _refused(
            lambda: client.set_text_message_spend_limit_override(MonthlyLimit=5),
            "ValidationException",
        ),
    ]
    with ThreadPoolExecutor(THREADS) as pool:
        settle([pool.submit(calls[i % len(calls)]) for i in range(WRITES)])


def _refused(call: Callable[[], Any], code: str) -> None:
    with pytest.raises(ClientError) as info:
        call()
    assert info.value.response["Error"]["Code"] == code
