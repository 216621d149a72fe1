"""The kit under faults: a region that times out, throttles or is denied mid-pagination, and a
form call whose answer is lost on the network.

Faults come from the sandbox itself where it can answer (a :class:`FaultySandbox` refusing page
two of one region's listings with ``AccessDeniedException`` or ``ThrottlingException``, through
both transports), and from a ``before-send`` hook on the kit's own client where only the network
can fail (a read timeout, a connection closed after the sandbox applied the request).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
import pytest
from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

import ppv2kit
from ppv2kit.frames import FrameWarning
from ppv2kit.frames import fetch as fetch_mod
from ppv2kit.kit import Kit
from ppv2kit.sandbox import Sandbox, ServiceError
from ppv2kit.sandbox.errors import throttled

HOME, FAULTY = "us-east-1", "eu-west-1"
ACCOUNT = "123456789012"
PER_REGION = 120  # more than one page (MaxResults 100), so there is a page two to fail


class FaultySandbox(Sandbox):
    """A sandbox that refuses follow-up pages (requests with a NextToken) in one region.

    ``code`` is the error; ``times`` how many such requests fail (``None``: all of them).
    """

    def __init__(self, code: str, times: int | None = None, region: str = FAULTY) -> None:
        super().__init__(strict=True)
        self.code, self.times, self.region = code, times, region
        self.refused = 0
        self._count_lock = threading.Lock()

    def invoke(self, operation: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        if kw.get("region") == self.region and (params or {}).get("NextToken"):
            with self._count_lock:
                fail = self.times is None or self.refused < self.times
                self.refused += fail
            if fail:
                if self.code == "ThrottlingException":
                    raise throttled(f"Rate exceeded for {operation}")
                raise ServiceError(self.code, f"{self.code} for {operation} in {self.region}")
        return super().invoke(operation, params, **kw)


def populate(sandbox: Sandbox) -> None:
    for region in (HOME, FAULTY):
        for i in range(PER_REGION):
            sandbox.invoke(
                "PutOptedOutNumber",
                {"OptOutListName": "Default", "OptedOutNumber": f"+1425555{i:04d}"},
                region=region,
            )


@pytest.fixture(params=["inprocess", "http"])
def connect(request: pytest.FixtureRequest) -> Iterator[Any]:
    """``connect(sandbox, **options)`` -> a kit on both regions, in-process or over HTTP."""
    servers = []

    def make(sandbox: Sandbox, **options: Any) -> Kit:
        options.setdefault("retry_mode", "standard")
        options.setdefault("max_attempts", 2)
        if request.param == "inprocess":
            return ppv2kit.connect(sandbox=sandbox, regions=[HOME, FAULTY], **options)
        server = sandbox.serve()
        servers.append(server)
        session = boto3.session.Session(
            aws_access_key_id=ACCOUNT, aws_secret_access_key="x", region_name=HOME
        )
        return ppv2kit.connect(session, endpoint_url=server.url, regions=[HOME, FAULTY], **options)

    yield make
    for server in servers:
        server.stop()


def regions_of(df: Any) -> dict[str, int]:
    return df["Region"].value_counts().to_dict()


@pytest.mark.parametrize("code", ["AccessDeniedException", "ThrottlingException"])
def test_a_region_failing_mid_pagination_is_reported_and_the_rest_returned(
    connect: Any, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    monkeypatch.setattr(fetch_mod, "RESUME_PAUSE", 0.01)  # the kit resumes throttled listings
    sandbox = FaultySandbox(code)
    populate(sandbox)
    kit = connect(sandbox)
    with pytest.warns(FrameWarning, match=code) as caught:
        df = kit.opted_out_numbers(progress=False)
    assert sandbox.refused >= 1  # the failure really came on a follow-up page
    assert regions_of(df) == {HOME: PER_REGION}  # the healthy region, whole; nothing half-read
    [error] = df.attrs["errors"]
    assert (error["region"], error["code"], error["account"]) == (FAULTY, code, ACCOUNT)
    assert FAULTY in str(caught[0].message)
    assert df.attrs["backend"] == kit.backend


def test_throttling_that_passes_is_absorbed_without_a_warning(connect: Any) -> None:
    sandbox = FaultySandbox("ThrottlingException", times=1)
    populate(sandbox)
    kit = connect(sandbox, max_attempts=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FrameWarning)
        df = kit.opted_out_numbers(progress=False)
    assert sandbox.refused == 1
    assert regions_of(df) == {HOME: PER_REGION, FAULTY: PER_REGION}
    assert df.attrs["errors"] == []


def test_a_region_that_times_out_mid_pagination_is_reported(connect: Any) -> None:
    sandbox = Sandbox(strict=True)
    populate(sandbox)
    kit = connect(sandbox)
    timeouts = []

    def time_out(request: Any, **_: Any) -> None:
        if b"NextToken" in (request.body or b""):
            timeouts.append(request.url)
            raise ReadTimeoutError(endpoint_url=request.url)

    # The client frames use for the listing (one per operation against an endpoint).
    listing_client = kit.fetch_client(FAULTY, kit.account, "DescribeOptedOutNumbers")
    listing_client.meta.events.register_first("before-send", time_out)
    with pytest.warns(FrameWarning, match="ReadTimeoutError"):
        df = kit.opted_out_numbers(progress=False)
    assert len(timeouts) == 2  # botocore retried once (max_attempts=2), then gave up
    assert regions_of(df) == {HOME: PER_REGION}
    assert [(e["region"], e["code"]) for e in df.attrs["errors"]] == [(FAULTY, "ReadTimeoutError")]


def _lose_answers(kit: Kit, after_applying: bool) -> list[str]:
    """Make every call of the kit's client fail on the network: before the sandbox applied it,
    or after (the answer lost on the way back). Returns the log of failed attempts."""
    failed: list[str] = []

    def lose(request: Any, **_: Any) -> None:
        failed.append(request.headers.get("X-Amz-Target", b"").decode())
        raise ConnectionClosedError(endpoint_url=request.url)

    events = kit.client().meta.events
    if after_applying:
        events.register("before-send", lose, unique_id="lose")  # after the sandbox's handler
    else:
        events.register_first("before-send", lose, unique_id="lose")
    return failed


@pytest.mark.parametrize("after_applying", [True, False], ids=["answer-lost", "never-arrived"])
def test_a_form_call_lost_on_the_network_can_be_retried_without_creating_twice(
    after_applying: bool,
) -> None:
    sandbox = Sandbox(strict=True)
    kit = ppv2kit.connect(sandbox=sandbox, regions=[HOME], retry_mode="standard", max_attempts=2)
    form = kit.form("CreateOptOutList")
    form.set_value({"OptOutListName": "campaign", "Tags": [{"Key": "team", "Value": "growth"}]})
    failed = _lose_answers(kit, after_applying)

    assert form.submit() is None
    assert form.error is not None and form.error.kind == "network"
    assert "No answer" in form.output.value and form.client_token in form.output.value
    first_token = form.client_token
    assert len(failed) == 2  # botocore's own retry reused the token too
    applied = [o["OptOutListName"] for o in sandbox.invoke("DescribeOptOutLists")["OptOutLists"]]
    assert applied.count("campaign") == (1 if after_applying else 0)

    kit.client().meta.events.unregister("before-send", unique_id="lose")
    response = form.submit()  # the person clicks Call again
    assert response is not None and form.error is None
    assert form.client_token == first_token
    assert response["OptOutListName"] == "campaign"
    lists = [o["OptOutListName"] for o in kit.call("DescribeOptOutLists")["OptOutLists"]]
    assert lists.count("campaign") == 1  # created exactly once
    limits = {x["Name"]: x["Used"] for x in kit.call("DescribeAccountLimits")["AccountLimits"]}
    assert limits["OPT_OUT_LISTS"] == 2  # Default and campaign, nothing else


def test_a_costly_form_call_retried_after_a_lost_answer_requests_one_number() -> None:
    sandbox = Sandbox(strict=True)
    kit = ppv2kit.connect(sandbox=sandbox, regions=[HOME], retry_mode="standard", max_attempts=2)
    form = kit.form("RequestPhoneNumber")
    form.set_value(
        {
            "IsoCountryCode": "US",
            "MessageType": "TRANSACTIONAL",
            "NumberCapabilities": ["SMS"],
            "NumberType": "TOLL_FREE",
        }
    )
    _lose_answers(kit, after_applying=True)
    assert form.submit(confirm=True) is None and form.error.kind == "network"
    kit.client().meta.events.unregister("before-send", unique_id="lose")
    first = form.submit(confirm=True)
    assert first is not None
    numbers = kit.call("DescribePhoneNumbers")["PhoneNumbers"]
    assert [n["PhoneNumberId"] for n in numbers] == [first["PhoneNumberId"]]
