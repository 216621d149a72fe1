"""Sequences of generated requests against one sandbox, with the invariants checked after each.

A hypothesis state machine starts from the fuzz world, then takes steps: a generated request for
any emulated operation (valid or broken at one member, raw JSON or boto3, from two accounts),
a full walk of a listing in small pages compared with the same listing in one page, or the
sandbox clock moving on (pending numbers settle, 30-day rules expire). After every step the
state invariants hold. Sizes: ``PPV2KIT_FUZZ_RUNS`` runs of ``PPV2KIT_FUZZ_STEPS`` steps per
transport (CI 8 x 25, ``make reliability`` 60 x 50).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ppv2kit import model
from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.ops import handlers
from tests import strategies as S

OPERATIONS = sorted(handlers())
OTHER_ACCOUNT = "210987654321"
RUNS = S.size("fuzz_runs", ci=8, long=60)
STEPS = S.size("fuzz_steps", ci=25, long=50)
COUNTS: dict[str, int] = {"runs": 0, "requests": 0, "walks": 0, "pages": 0}
# Paginated operations and the parent member a walk needs (from hints), if any.
PARENTS = {
    "DescribeKeywords": ("OriginationIdentity", "PhoneOrPoolIdOrArn"),
    "DescribeOptedOutNumbers": ("OptOutListName", "OptOutListName"),
    "ListPoolOriginationIdentities": ("PoolId", "PoolIdOrArn"),
}


class SandboxMachine(RuleBasedStateMachine):
    """One sandbox, driven through one transport by generated requests."""

    transport = "inprocess"

    def __init__(self) -> None:
        super().__init__()
        self.sandbox = Sandbox(strict=True)
        self.server = self.sandbox.serve() if self.transport == "http" else None
        url = self.server.url if self.server else None
        self.raw: dict[str, Any] = {}
        self.boto3: dict[str, S.Boto3Wire] = {}
        for account in (S.ACCOUNT, OTHER_ACCOUNT):
            self.raw[account] = (
                S.RawWire(url, account) if url else S.HandleWire(self.sandbox, account)
            )
            self.boto3[account] = S.Boto3Wire(S.boto3_client(self.sandbox, url, account))
        self.tokens: dict[str, list[str]] = {}
        COUNTS["runs"] += 1

    @initialize()
    def world(self) -> None:
        S.build_world(self.sandbox)
        # From here on new numbers and pools stay PENDING / CREATING until the clock moves.
        self.sandbox.provisioning_delay = 600

    def hints(self, account: str) -> S.Hints:
        found = S.read_hints(self.sandbox, account)
        found.tokens = self.tokens
        return found

    @rule(data=st.data())
    def call(self, data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
        account = data.draw(st.sampled_from([S.ACCOUNT, S.ACCOUNT, OTHER_ACCOUNT]), label="account")
        op = model.load().operation(operation)
        request = data.draw(S.requests(op, self.hints(account)), label="request")
        use_boto3 = request.rule != "type" and data.draw(st.booleans(), label="boto3")
        wire = self.boto3[account] if use_boto3 else self.raw[account]
        answer = wire.send(operation, request.params)
        COUNTS["requests"] += 1
        S.check_answer(request, answer)
        token = answer.body.get("NextToken") if answer.status == 200 else None
        if token:
            self.tokens.setdefault(operation, []).append(token)

    @rule(data=st.data())
    def call_again(self, data: st.DataObject) -> None:
        """The same as :meth:`call`: requests are half of all steps, not a third."""
        self.call(data)

    @rule(data=st.data())
    def walk(self, data: st.DataObject) -> None:
        """Small pages, one after another, give exactly the one-page listing, in order."""
        listings = [op for op in model.load().paginated() if op.name in OPERATIONS]
        op = data.draw(st.sampled_from(listings), label="listing")
        params: dict[str, Any] = {}
        if op.name in PARENTS:
            member, shape = PARENTS[op.name]
            parents = self.hints(S.ACCOUNT).by_shape.get(shape, [])
            if not parents:
                return
            params[member] = data.draw(st.sampled_from(parents), label="parent")
        size = data.draw(st.integers(1, 4), label="page size")
        wire = self.raw[S.ACCOUNT]
        whole = wire.send(op.name, {**params, "MaxResults": 100})
        if whole.status != 200:
            return  # the parent is gone (or not ready): nothing to walk
        assert op.paginator is not None
        key = op.paginator.result_key
        pages: list[Any] = []
        token = None
        while True:
            answer = wire.send(
                op.name, {**params, "MaxResults": size, **({"NextToken": token} if token else {})}
            )
            assert answer.status == 200, (op.name, params, answer.body)
            # A listing whose model list has a minimum of 1 (DescribeNotifyConfigurations) leaves
            # the member out when it is empty.
            page = answer.body.get(key, [])
            assert len(page) <= size
            pages.extend(page)
            COUNTS["pages"] += 1
            token = answer.body.get("NextToken")
            if not token:
                break
        COUNTS["walks"] += 1
        assert pages == whole.body.get(key, []), f"{op.name} in pages of {size} differs"

    @rule(seconds=st.sampled_from([30.0, 700.0, 86_400.0, 31 * 86_400.0]))
    def time_passes(self, seconds: float) -> None:
        self.sandbox.advance(seconds)

    @invariant()
    def state_is_consistent(self) -> None:
        S.invariants(self.sandbox)

    def teardown(self) -> None:
        for wire in self.raw.values():
            if isinstance(wire, S.RawWire):
                wire.close()
        if self.server is not None:
            self.server.stop()
        self.sandbox.close()


class HttpMachine(SandboxMachine):
    """The same machine over the HTTP server."""

    transport = "http"


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    S.record("fuzz-stateful", steps_per_run=STEPS, **COUNTS)


@pytest.mark.parametrize("machine", [SandboxMachine, HttpMachine], ids=["inprocess", "http"])
def test_request_sequences_keep_the_sandbox_consistent(machine: type[SandboxMachine]) -> None:
    run_state_machine_as_test(
        machine, settings=settings(S.PROFILE, max_examples=RUNS, stateful_step_count=STEPS)
    )


@pytest.mark.slow
@pytest.mark.skipif(S.CAMPAIGN != "long", reason="a long campaign: make reliability")
def test_long_request_sequences_over_http() -> None:
    """A few very long sequences (state piles up: quotas reached, lists full, pools emptied)."""
    run_state_machine_as_test(
        HttpMachine,
        settings=settings(
            S.PROFILE,
            max_examples=S.size("fuzz_long_runs", ci=1, long=6),
            stateful_step_count=S.size("fuzz_long_steps", ci=50, long=250),
        ),
    )
