"""Simulated latency and per-operation rate limits (both off by default), through both transports.

Rates are the documented requests per second (reference §6): 10 for ListTagsForResource,
PutOptedOutNumber and DeleteOptedOutNumber, 1 for the other original operations. Buckets are
kept per account, region and operation. Most tests freeze the limiter's clock so a burst is
judged exactly, whatever the machine's speed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from ppv2kit.sandbox import Sandbox
from tests.support import aws_error

NO_RETRIES = {"total_max_attempts": 1}
DEFAULT_LIST = "arn:aws:sms-voice:{region}:123456789012:opt-out-list/Default"


class FrozenClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A strict sandbox with the documented rate limits (or the indirect parameter's options)."""
    sb = Sandbox(strict=True, **getattr(request, "param", {"rate_limits": True}))
    yield sb
    sb.close()


@pytest.fixture
def clock(sandbox: Sandbox) -> FrozenClock:
    """Freeze the sandbox's rate limiter: no token comes back until the test advances it."""
    frozen = FrozenClock()
    sandbox.limiter.clock = frozen
    return frozen


def burst(call, n: int) -> list[str]:
    """Run ``call`` ``n`` times; ``"ok"`` or the error code of each."""
    outcomes = []
    for _ in range(n):
        try:
            call()
            outcomes.append("ok")
        except Exception as err:  # botocore ClientError
            outcomes.append(err.response["Error"]["Code"])
    return outcomes


def test_rate_limits_are_off_by_default():
    sb = Sandbox()
    assert sb.limiter is None and sb.latency == 0.0
    client = sb.client(retries=NO_RETRIES)
    assert burst(client.describe_account_attributes, 5) == ["ok"] * 5
    sb.close()


def test_a_burst_at_one_rps_is_throttled_without_retries(make_client, clock):
    client = make_client(retries=NO_RETRIES)
    assert burst(client.describe_account_attributes, 3) == ["ok"] + ["ThrottlingException"] * 2
    response = aws_error(client.describe_account_attributes, "ThrottlingException")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "DescribeAccountAttributes" in response["Error"]["Message"]
    clock.advance(1.0)
    assert burst(client.describe_account_attributes, 2) == ["ok", "ThrottlingException"]


def test_botocore_standard_retry_rides_out_the_throttle(make_client):
    # The real clock: botocore backs off (random, exponential) until a token is back (1 s).
    client = make_client(retries={"mode": "standard", "total_max_attempts": 10})
    started = time.monotonic()
    first = client.describe_account_attributes()
    second = client.describe_account_attributes()
    elapsed = time.monotonic() - started
    assert first["AccountAttributes"] == second["AccountAttributes"]
    assert first["ResponseMetadata"]["RetryAttempts"] == 0
    assert second["ResponseMetadata"]["RetryAttempts"] >= 1
    assert elapsed >= 0.99


def test_ten_rps_operations_take_a_burst_of_ten_one_rps_operations_one(make_client, clock):
    client = make_client(retries=NO_RETRIES)
    arn = DEFAULT_LIST.format(region="us-east-1")
    tags = burst(lambda: client.list_tags_for_resource(ResourceArn=arn), 11)
    assert tags == ["ok"] * 10 + ["ThrottlingException"]
    assert burst(client.describe_spend_limits, 2) == ["ok", "ThrottlingException"]
    clock.advance(0.1)  # one ListTagsForResource token back, not yet a DescribeSpendLimits one
    assert burst(lambda: client.list_tags_for_resource(ResourceArn=arn), 2) == [
        "ok",
        "ThrottlingException",
    ]
    assert burst(client.describe_spend_limits, 1) == ["ThrottlingException"]


@pytest.mark.parametrize("sandbox", [{"rate_limits": 3}], indirect=True)
def test_a_number_scales_every_documented_rate(make_client, sandbox, clock):
    client = make_client(retries=NO_RETRIES)
    arn = DEFAULT_LIST.format(region="us-east-1")
    assert burst(client.describe_account_attributes, 4) == ["ok"] * 3 + ["ThrottlingException"]
    tags = burst(lambda: client.list_tags_for_resource(ResourceArn=arn), 31)
    assert tags.count("ok") == 30 and tags[-1] == "ThrottlingException"


@pytest.mark.parametrize(
    "sandbox", [{"rate_limits": {"DescribeAccountAttributes": 2}}], indirect=True
)
def test_a_mapping_sets_rates_per_operation(make_client, clock):
    client = make_client(retries=NO_RETRIES)
    assert burst(client.describe_account_attributes, 3) == ["ok", "ok", "ThrottlingException"]
    assert burst(client.describe_account_limits, 2) == ["ok", "ThrottlingException"]


def test_buckets_are_per_account_region_and_operation(make_client, clock):
    home = make_client(retries=NO_RETRIES)
    assert burst(home.describe_account_attributes, 2) == ["ok", "ThrottlingException"]
    other_region = make_client(region="eu-west-1", retries=NO_RETRIES)
    other_account = make_client(account="111122223333", retries=NO_RETRIES)
    assert burst(other_region.describe_account_attributes, 1) == ["ok"]
    assert burst(other_account.describe_account_attributes, 1) == ["ok"]
    assert burst(home.describe_account_limits, 1) == ["ok"]
    assert burst(home.describe_account_attributes, 1) == ["ThrottlingException"]


@pytest.mark.parametrize("sandbox", [{"latency": 0.2}], indirect=True)
def test_latency_delays_every_request(client):
    for _ in range(2):
        started = time.monotonic()
        assert client.describe_account_attributes()["AccountAttributes"]
        assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("sandbox", [{}], indirect=True)
def test_slow_requests_do_not_hold_up_other_regions(make_client, sandbox):
    # The delay is served outside the store lock: four regions in parallel take about one delay.
    regions = ("us-east-1", "us-west-2", "eu-west-1", "ap-south-1")
    clients = [make_client(region=r) for r in regions]
    for client in clients:  # warm up botocore (endpoint resolution, first-call caches)
        client.describe_account_attributes()
    sandbox.latency = 0.5
    barrier = threading.Barrier(len(clients))

    def call(client):
        barrier.wait()
        started = time.monotonic()
        tier = client.describe_account_attributes()["AccountAttributes"][0]["Value"]
        return tier, time.monotonic() - started

    with ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(call, clients))
    assert [tier for tier, _ in answers] == ["SANDBOX"] * 4
    slowest = max(took for _, took in answers)
    assert all(took >= 0.5 for _, took in answers)
    assert slowest < 4 * 0.5 * 0.8, slowest  # one after another, the last would wait 2 s


@pytest.mark.parametrize("sandbox", [{"latency": 0.3, "rate_limits": True}], indirect=True)
def test_a_throttled_request_is_refused_at_once(make_client, clock):
    client = make_client(retries=NO_RETRIES)
    started = time.monotonic()
    client.describe_spend_limits()
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    aws_error(client.describe_spend_limits, "ThrottlingException")
    assert time.monotonic() - started < 0.3
