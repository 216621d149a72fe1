"""Simulated traffic: sends, replies and other calls replayed in time order through the API.

Messages must be logged in chronological order (spend history relies on it), and a reply can
only be planned once its message has gone out (it goes to the number that sent it), so
:class:`Traffic` keeps a queue ordered by time: each step runs with the clock at its moment, and
a send may queue its recipient's reply. A send to a number that opted out (on the list the
sending identity uses, or by a STOP to a sender that manages opt-outs itself) is skipped, as a
well-behaved application would.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...sms import normalize_e164
from ..kinds import MESSAGE
from ..ops.identities import PHONE, POOL
from ..ops.opt_outs import DEFAULT_LIST, ENTRY
from ..store import RegionStore
from .builder import Builder


@dataclass
class _Step:
    at: float
    kind: str  # "call", "send", "do" or "inbound"
    region: str
    args: dict[str, Any]


class Traffic:
    """A time-ordered plan of API calls and inbound messages for one account."""

    def __init__(self, builder: Builder, until: float) -> None:
        self.b = builder
        self.until = until  # nothing happens at or after this instant
        self.done: Counter[str] = Counter()
        self._queue: list[tuple[float, int, _Step]] = []  # (when, order planned, step)
        self._order = itertools.count()
        self._stopped: set[tuple[str, str]] = set()
        # (region, OriginationIdentity) -> its opt-out list; planned calls may change it.
        self._lists: dict[tuple[str, str], str] = {}

    def call(self, at: float, region: str, operation: str, params: Mapping[str, Any]) -> None:
        """Plan an API call."""
        self._push(at, "call", region, operation=operation, params=dict(params))

    def send(
        self,
        at: float,
        region: str,
        operation: str,
        params: Mapping[str, Any],
        *,
        reply: tuple[float, str] | None = None,
    ) -> None:
        """Plan a SendTextMessage or SendVoiceMessage, skipped if the recipient opted out.

        ``reply`` is ``(seconds later, body)`` the recipient answers with, to the number that
        sent the message.
        """
        self._push(at, "send", region, operation=operation, params=dict(params), reply=reply)

    def text(
        self,
        at: float,
        region: str,
        to: str,
        identity: str,
        body: str,
        *,
        config_set: str | None = None,
        context: Mapping[str, str] | None = None,
        reply: tuple[float, str] | None = None,
    ) -> None:
        """Plan a SendTextMessage (see :meth:`send`)."""
        params: dict[str, Any] = {
            "DestinationPhoneNumber": to,
            "OriginationIdentity": identity,
            "MessageBody": body,
        }
        if config_set:
            params["ConfigurationSetName"] = config_set
        if context:
            params["Context"] = dict(context)
        self.send(at, region, "SendTextMessage", params, reply=reply)

    def do(self, at: float, action: Callable[[float], Any]) -> None:
        """Plan ``action(at)``: a change made through the builder at that moment (it makes its
        own calls), for what a planned call can't say, such as a step that needs an ID."""
        self._push(at, "do", "", action=action)

    def inbound(self, at: float, region: str, to: str, from_: str, body: str) -> None:
        """Plan a message from ``from_`` to our number ``to``."""
        self._push(at, "inbound", region, to=to, from_=from_, body=body)

    def run(self) -> Counter[str]:
        """Play the plan in time order; counts of what happened."""
        while self._queue:
            _, _, step = heapq.heappop(self._queue)
            if step.kind == "call":
                self.b.call(step.region, step.args["operation"], step.args["params"], at=step.at)
                self.done[step.args["operation"]] += 1
                self._lists.clear()
            elif step.kind == "send":
                self._send(step)
            elif step.kind == "do":
                step.args["action"](step.at)
                self._lists.clear()
            else:
                self._inbound(step)
        return self.done

    # -- steps ----------------------------------------------------------------------------------
    def _push(self, at: float, kind: str, region: str, **args: Any) -> None:
        if at < self.until:
            heapq.heappush(self._queue, (at, next(self._order), _Step(at, kind, region, args)))

    def _send(self, step: _Step) -> None:
        params, region = step.args["params"], step.region
        dest = params["DestinationPhoneNumber"]
        if (region, dest) in self._stopped or self._opted_out(region, params):
            self.done["skipped (opted out)"] += 1
            return
        answer = self.b.call(region, step.args["operation"], params, at=step.at)
        self.done[step.args["operation"]] += 1
        if step.args["reply"] is None:
            return
        delay, body = step.args["reply"]
        message = self._store(region).get(MESSAGE, answer["MessageId"]) or {}
        origin = message.get("OriginationPhoneNumber") or ""
        if origin.startswith("+"):  # a phone number (not a sender ID or a short code)
            self.inbound(step.at + delay, region, origin, dest, body)

    def _inbound(self, step: _Step) -> None:
        args = step.args
        with self.b.sandbox.clock_at(step.at):
            result = self.b.sandbox.receive(
                args["to"], args["from_"], args["body"], account=self.b.account, region=step.region
            )
        self.done["inbound"] += 1
        if result["Action"] == "OPT_OUT":
            self._stopped.add((step.region, args["from_"]))
        elif result["Action"] == "OPT_IN":
            self._stopped.discard((step.region, args["from_"]))

    def _store(self, region: str) -> RegionStore:
        return self.b.sandbox.store.region(self.b.account, region)

    def _opted_out(self, region: str, params: Mapping[str, Any]) -> bool:
        """Whether the destination is on the opt-out list the named identity sends under."""
        store, named = self._store(region), params["OriginationIdentity"]
        list_name = self._lists.get((region, named))
        if list_name is None:
            identity = store.get(PHONE, named)
            pool_id = named if named.startswith("pool-") else (identity or {}).get("PoolId")
            owner = store.get(POOL, pool_id) if pool_id else identity
            list_name = owner["OptOutListName"] if owner else DEFAULT_LIST  # sender IDs: Default
            self._lists[region, named] = list_name
        number = normalize_e164(params["DestinationPhoneNumber"])
        return store.exists(ENTRY, number, parent=list_name)
