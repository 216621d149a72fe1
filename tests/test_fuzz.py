"""Generated requests for every emulated operation, through both transports, valid and broken.

Each example starts from the same small world (``strategies.build_world``: numbers, pools,
sender IDs, lists, a configuration set, keywords, a verified destination), draws one request for
the operation from its input shape (valid, or breaking exactly one constraint), sends it as raw
JSON or through an unmodified boto3 client with client-side validation off, and checks the
answer (valid against the output shape, or a modelled error of the operation, never
``InternalServerException``; a broken request is a ``ValidationException`` naming the member)
and the state invariants. Sizes: ``PPV2KIT_FUZZ_EXAMPLES`` per operation and transport (CI 12,
``make reliability`` 150).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppv2kit import model
from ppv2kit.sandbox import Sandbox
from ppv2kit.sandbox.ops import handlers
from tests import strategies as S

OPERATIONS = sorted(handlers())
EXAMPLES = S.size("fuzz_examples", ci=12, long=150)
SENT: dict[str, int] = {"requests": 0, "broken": 0, "boto3": 0, "accepted": 0}


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Sandbox, S.Hints]]:
    """A sandbox holding the world every example starts from, and the hints read from it."""
    template = Sandbox(strict=True)
    S.build_world(template)
    hints = S.read_hints(template)
    S.next_tokens(template, hints)
    yield template, hints
    template.close()
    S.record("fuzz", operations=len(OPERATIONS), examples_per_operation=EXAMPLES, **SENT)


class Wires:
    """The two ways one transport is exercised: raw JSON bytes, and boto3."""

    def __init__(self, sandbox: Sandbox, transport: str) -> None:
        self.server = sandbox.serve() if transport == "http" else None
        url = self.server.url if self.server else None
        self.raw: Any = S.RawWire(url) if url else S.HandleWire(sandbox)
        self.boto3 = S.Boto3Wire(S.boto3_client(sandbox, url))

    def close(self) -> None:
        if self.server is not None:
            self.raw.close()
            self.server.stop()


@pytest.fixture
def wires(sandbox: Sandbox, transport: str) -> Iterator[Wires]:
    both = Wires(sandbox, transport)
    yield both
    both.close()


def restore(sandbox: Sandbox, template: Sandbox) -> None:
    """Make ``sandbox`` hold exactly the template's state (and secret, so tokens stay valid)."""
    template.store.copy_to(sandbox.store)
    sandbox.secret = template.secret
    sandbox.random.seed(0)


def botocore_can_send(request: S.Request) -> bool:
    """boto3 with validation off still serialises by shape: only well-typed values survive it."""
    return request.rule != "type"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_generated_requests_get_valid_answers_and_keep_invariants(
    operation: str, world: tuple[Sandbox, S.Hints], sandbox: Sandbox, wires: Wires
) -> None:
    template, hints = world
    op = model.load().operation(operation)

    @settings(S.PROFILE, max_examples=EXAMPLES)
    @given(data=st.data())
    def one(data: st.DataObject) -> None:
        restore(sandbox, template)
        request = data.draw(S.requests(op, hints), label="request")
        through_boto3 = botocore_can_send(request) and data.draw(st.booleans(), label="boto3")
        wire = wires.boto3 if through_boto3 else wires.raw
        answer = wire.send(operation, request.params)
        SENT["requests"] += 1
        SENT["broken"] += not request.valid
        SENT["boto3"] += through_boto3
        SENT["accepted"] += answer.status == 200
        S.check_answer(request, answer)
        S.invariants(sandbox)

    one()
