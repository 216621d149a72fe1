"""Hypothesis strategies and oracles derived from ``ppv2kit.model``: requests, wire, invariants.

Nothing here is written per operation. :func:`valid` draws a value honouring a shape's type,
min/max, pattern and enum; :func:`breakers` lists, per constraint of a shape, a strategy for a
value that breaks that constraint and no other; :func:`requests` draws a whole request for an
operation, either valid or broken at exactly one place, and says where. Strings that name
resources are drawn, most of the time, from :class:`Hints` read from the sandbox's own state, so
generated requests reach the handlers' rules instead of stopping at ``ResourceNotFound``.

The oracles used by the fuzz, concurrency and crash campaigns live here too: :class:`RawWire`
(HTTP with a SigV4-looking header, no botocore), :class:`Boto3Wire` (an unmodified boto3 client
with ``parameter_validation=False``), :func:`check_answer` (a response is valid against the
output shape or a modelled error, never ``InternalServerException``) and :func:`invariants`
(state that must hold after every request).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pathlib
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ppv2kit import model as model_mod
from ppv2kit.constraints import problems
from ppv2kit.model import Operation, Shape
from ppv2kit.sandbox import Sandbox, kinds, protocol
from ppv2kit.sandbox.engine import COMMON_ERRORS
from ppv2kit.sandbox.validation import prune

ACCOUNT = "123456789012"
REGION = "us-east-1"
TARGET = "PinpointSMSVoiceV2"
# Generated strings and lists stay short unless a boundary (exact max) is drawn.
TEXT_CAP = 40
# Longest text hypothesis is asked for in one draw (it refuses min_size near 10,000).
LONG_TEXT = 1000
ITEMS_CAP = 4
# Lists whose exact maximum is still cheap to send (a boundary worth hitting).
BOUNDARY_ITEMS = 210

JSON = dict[str, Any]
Path = tuple[str | int, ...]


# -- hints: plausible values read from the sandbox ---------------------------------------------


@dataclass
class Hints:
    """Values that name things which exist (or existed): by shape name, or by member name.

    ``tokens`` holds NextTokens handed out per operation (a replay must be answered, not crash).
    """

    by_shape: dict[str, list[Any]] = field(default_factory=dict)
    by_member: dict[str, list[Any]] = field(default_factory=dict)
    tokens: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, *values: Any, member: bool = False) -> None:
        """Remember ``values`` for a shape name (or a member name when ``member``)."""
        table = self.by_member if member else self.by_shape
        bucket = table.setdefault(key, [])
        bucket.extend(v for v in values if v is not None and v not in bucket)

    def for_(self, shape: Shape, member: str | None, operation: str | None) -> list[Any]:
        """Plausible values for ``shape`` as member ``member`` of ``operation``'s input."""
        if shape.name == "NextToken" and operation:
            return self.tokens.get(operation, [])
        found = list(self.by_member.get(member or "", []))
        found += [v for v in self.by_shape.get(shape.name, []) if v not in found]
        return found


def read_hints(sandbox: Sandbox, account: str = ACCOUNT, region: str = REGION) -> Hints:
    """Every ID, ARN, name, number, keyword and tag key the sandbox holds for one region."""
    hints = Hints()
    other_region = "eu-west-3" if region != "eu-west-3" else "us-west-2"
    with sandbox.admin(account, region) as ctx:
        store = ctx.store
        docs = {kind: store.docs(kind) for kind in kinds.RESOURCES}
        keywords = store.docs(kinds.KEYWORD, parent=None)
        opted = store.docs(kinds.OPTED_OUT_NUMBER, parent=None)
    # Every resource kind's IDs (or names) then its ARNs, read from the one table of kinds.
    ids = {
        kind: [d[r.id_member] for d in docs[kind]] + [d[r.arn_member] for d in docs[kind]]
        for kind, r in kinds.RESOURCES.items()
    }
    phones, senders, vdns = docs[kinds.PHONE], docs[kinds.SENDER], docs[kinds.VERIFIED_DESTINATION]
    lists, sets = docs[kinds.OPT_OUT_LIST], docs[kinds.CONFIGURATION_SET]
    registrations, attachments = docs[kinds.REGISTRATION], docs[kinds.REGISTRATION_ATTACHMENT]
    ids["phone"], ids["pool"], ids["sender"] = ids[kinds.PHONE], ids[kinds.POOL], ids[kinds.SENDER]
    ids["list"], ids["set"] = ids[kinds.OPT_OUT_LIST], ids[kinds.CONFIGURATION_SET]
    ids["vdn"] = ids[kinds.VERIFIED_DESTINATION]
    # Names that existed and were deleted, ARNs of another region and account: rules, not RNF.
    ghosts = [
        "phone-00000000000000000000000000000000",
        "pool-00000000000000000000000000000000",
        f"arn:aws:sms-voice:{other_region}:{account}:pool/pool-1",
        f"arn:aws:sms-voice:{region}:999999999999:opt-out-list/Default",
    ]
    hints.add("PhoneNumberIdOrArn", *ids["phone"], ghosts[0])
    hints.add("PoolIdOrArn", *ids["pool"], ghosts[1], ghosts[2])
    hints.add("PhoneOrPoolIdOrArn", *ids["phone"], *ids["pool"])
    hints.add("PhoneOrSenderIdOrArn", *ids["phone"], *ids["sender"])
    hints.add("SenderIdOrArn", *ids["sender"])
    hints.add("VerificationMessageOriginationIdentity", *ids["phone"], *ids["sender"])
    hints.add("OptOutListNameOrArn", *ids["list"], ghosts[3])
    hints.add("OptOutListName", *ids["list"][: len(lists)])
    hints.add("ConfigurationSetNameOrArn", *ids["set"])
    hints.add("ConfigurationSetName", *ids["set"][: len(sets)])
    hints.add("VerifiedDestinationNumberIdOrArn", *ids["vdn"])
    hints.add("ProtectConfigurationIdOrArn", *ids[kinds.PROTECT_CONFIGURATION])
    reg_ids = [d["RegistrationId"] for d in registrations]
    hints.add("RegistrationIdOrArn", *reg_ids, *(d["RegistrationArn"] for d in registrations))
    hints.add(
        "RegistrationAttachmentIdOrArn", *(d["RegistrationAttachmentId"] for d in attachments)
    )
    hints.add("ResourceIdOrArn", *reg_ids, *ids["phone"], *ids["sender"][len(senders) :])
    hints.add("RegistrationType", *(d["RegistrationType"] for d in registrations))
    hints.add("SectionPath", "companyInfo", "campaignInfo", "messageSamples")
    hints.add(
        "FieldPath",
        "companyInfo.companyName",
        "companyInfo.legalType",
        "campaignInfo.optInScreenshot",
        "messageSamples.messageSample1",
    )
    hints.add("SelectChoice", "PRIVATE_PROFIT", "Yes", "FINANCIAL")
    hints.add("IsoCountryCode", "US", "GB", "CA", "DE", *(d["IsoCountryCode"] for d in senders))
    hints.add("SenderId", *(d["SenderId"] for d in senders))
    hints.add(
        "EventDestinationName",
        *(e["EventDestinationName"] for d in sets for e in d.get("EventDestinations", [])),
    )
    hints.add("Keyword", *(k["Keyword"] for k in keywords), "help", "Stop")
    hints.add("PhoneNumber", *(d["PhoneNumber"] for d in phones))
    hints.add("PhoneNumber", *(o["OptedOutNumber"] for o in opted))
    hints.add("PhoneNumber", *(d["DestinationPhoneNumber"] for d in vdns))
    hints.add("VerificationCode", *(c["Code"] for d in vdns for c in d.get("_Codes", [])))
    taggable = [d[r.arn_member] for kind, r in kinds.RESOURCES.items() for d in docs[kind]]
    hints.add("AmazonResourceName", *taggable, ghosts[2], ghosts[3])
    tag_keys = [t["Key"] for found in docs.values() for d in found for t in d.get("Tags", [])]
    hints.add("TagKey", *tag_keys)
    channel = f"arn:aws:sns:{region}:{account}:inbound"
    hints.add("TwoWayChannelArn", channel)
    hints.add("SnsTopicArn", channel)
    hints.add("IamRoleArn", f"arn:aws:iam::{account}:role/sms")
    hints.add("LogGroupArn", f"arn:aws:logs:{region}:{account}:log-group:sms")
    hints.add("DeliveryStreamArn", f"arn:aws:firehose:{region}:{account}:deliverystream/sms")
    filter_values = ["true", "false", *ids["phone"], *ids["pool"], "US", "GB"]
    for values in model_mod.load().enums.values():
        filter_values.extend(values[:4])
    hints.add("FilterValue", *filter_values)
    # Media sends, resource policies (ADR 19).
    hints.add("MediaMessageOriginationIdentity", *ids["phone"], *ids["pool"])
    hints.add("MediaUrlValue", "s3://media-bucket/promo.png", "s3://media-bucket/file.exe")
    grant = {"Effect": "Allow", "Principal": {"AWS": ["210987654321"]}, "Action": "sms-voice:*"}
    hints.add("ResourcePolicy", json.dumps({"Statement": [grant]}), '{"Statement": []}')
    # Notify and RCS (ADR 20): configurations, agents, the catalog's templates and variables.
    hints.add("NotifyConfigurationIdOrArn", *ids[kinds.NOTIFY_CONFIGURATION])
    hints.add("RcsAgentIdOrArn", *ids[kinds.RCS_AGENT])
    hints.add("RcsMessageOriginationIdentity", *ids[kinds.RCS_AGENT])
    hints.add("NotifyTemplateId", "otp-basic-en", "otp-expiry-en", "UNSET_DEFAULT_TEMPLATE")
    hints.add("NotifyPoolIdOrUnset", *ids["pool"], "UNSET_DEFAULT_POOL_FOR_NOTIFY")
    hints.add("TemplateVariableName", "code", "appName", "expiryMinutes")
    hints.add("TemplateVariableValue", "123456", "10")
    return hints


# -- valid values --------------------------------------------------------------------------------

# A pattern that is a literal head then one repeated atom: its length can be chosen exactly.
_TAIL = re.compile(
    r"(?P<head>(?:[A-Za-z0-9:_/-]|\\[^A-Za-z0-9])*)"
    r"(?P<atom>\[(?:\\.|[^\]\\])+\]|\\[SsDdWw]|\.)(?P<q>[+*])"
)


def _literal_length(head: str) -> int:
    return len(re.sub(r"\\(.)", r"\1", head))


def _length_bounds(shape: Shape) -> tuple[int, int]:
    lo = int(shape.min or 0)
    hi = int(shape.max) if shape.max is not None else lo + TEXT_CAP
    return lo, hi


@st.composite
def _sized(draw: st.DrawFn, lo: int, hi: int) -> int:
    """A length in ``[lo, hi]``: usually small, sometimes exactly a bound."""
    if hi <= lo:
        return lo
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return lo
    if kind == 1:
        return hi
    return draw(st.integers(lo, min(hi, lo + TEXT_CAP)))


def _text_exactly(n: int) -> st.SearchStrategy[str]:
    """Text of exactly ``n`` characters (past one hypothesis draw: a drawn piece repeated)."""
    if n <= LONG_TEXT:
        return st.text(min_size=n, max_size=n)
    return st.text(min_size=1, max_size=8).map(lambda piece: (piece * n)[:n])


def strings(shape: Shape) -> st.SearchStrategy[str]:
    """Strings honouring ``shape``'s enum, pattern (whole value) and length bounds."""
    if shape.enum:
        return st.sampled_from(shape.enum)
    lo, hi = _length_bounds(shape)
    pattern = shape.pattern
    if pattern is None:
        return _sized(lo, hi).flatmap(_text_exactly)
    tail = _TAIL.fullmatch(pattern)
    if tail is not None:
        head, atom = tail["head"], tail["atom"]
        fixed = _literal_length(head)
        least = max(lo - fixed, 1 if tail["q"] == "+" else 0)
        most = hi - fixed
        if least <= most:
            return _sized(least, most).flatmap(
                lambda n: st.from_regex(f"{head}(?:{atom}){{{n}}}", fullmatch=True)
            )
    return st.from_regex(pattern, fullmatch=True).filter(lambda s: lo <= len(s) <= hi)


def numbers(shape: Shape) -> st.SearchStrategy[int]:
    """Integers within ``shape``'s min/max (hypothesis favours the bounds by itself)."""
    lo = int(shape.min) if shape.min is not None else -(2**31)
    hi = int(shape.max) if shape.max is not None else 2**31 - 1
    return st.integers(lo, hi)


def valid(
    shape: Shape,
    hints: Hints | None = None,
    member: str | None = None,
    operation: str | None = None,
    depth: int = 0,
) -> st.SearchStrategy[Any]:
    """A value that satisfies every constraint of ``shape`` (plausible, thanks to ``hints``)."""
    kind = shape.type
    if kind == "string":
        generated = strings(shape)
        known = [
            v for v in (hints.for_(shape, member, operation) if hints else []) if _fits(v, shape)
        ]
        if known:
            return st.integers(0, 3).flatmap(
                lambda k: generated if k == 0 else st.sampled_from(known)
            )
        return generated
    if kind in ("integer", "long"):
        return numbers(shape)
    if kind in ("float", "double"):
        return st.floats(
            min_value=shape.min, max_value=shape.max, allow_nan=False, allow_infinity=False
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.integers(1_600_000_000, 1_900_000_000)
    if kind == "blob":
        return st.binary(max_size=16).map(lambda b: b.hex())
    if kind == "list":
        assert shape.member is not None
        lo = int(shape.min or 0)
        hi = int(shape.max) if shape.max is not None else lo + ITEMS_CAP
        items = valid(shape.member, hints, member, operation, depth + 1)
        small = min(hi, lo + ITEMS_CAP)
        boundary = hi if hi <= BOUNDARY_ITEMS else small
        sizes = st.integers(0, 9).flatmap(
            lambda k: st.just(boundary) if k == 0 else st.integers(lo, max(lo, small))
        )
        return sizes.flatmap(lambda n: st.lists(items, min_size=n, max_size=n))
    if kind == "map":
        assert shape.key is not None and shape.value is not None
        hi = min(int(shape.max) if shape.max is not None else ITEMS_CAP, ITEMS_CAP)
        return st.dictionaries(
            valid(shape.key, hints, None, operation, depth + 1),
            valid(shape.value, hints, None, operation, depth + 1),
            min_size=int(shape.min or 0),
            max_size=max(hi, int(shape.min or 0)),
        )
    if kind == "structure":
        return structures(shape, hints, operation, depth)
    raise AssertionError(f"no strategy for {shape!r}")


def _fits(value: Any, shape: Shape) -> bool:
    return not problems(value, shape)


@st.composite
def structures(
    draw: st.DrawFn,
    shape: Shape,
    hints: Hints | None = None,
    operation: str | None = None,
    depth: int = 0,
) -> JSON:
    """Every required member, each optional member with probability 1/2 (never below depth 3)."""
    out: JSON = {}
    for name, child in shape.members.items():
        if name not in shape.required and (depth >= 3 or not draw(st.booleans())):
            continue
        out[name] = draw(valid(child, hints, name, operation, depth + 1))
    return out


# -- values that break exactly one constraint ------------------------------------------------------

# Characters that tend to break patterns: controls, spaces, markup, non-ASCII, separators.
_AWKWARD = [
    "\n",
    " ",
    "\t",
    "\x00",
    "<",
    ">",
    "'",
    '"',
    "é",
    "😀",
    "/",
    ":",
    "+",
    "-",
    "*",
    "a",
    "0",
]
_WRONG_TYPES: dict[str, list[Any]] = {
    "string": [7, True, ["x"], {"x": 1}],
    "integer": ["5", 1.5, True, [1]],
    "long": ["5", 2.5, False, {}],
    "boolean": ["true", 1, [], {}],
    "list": ["x", 3, {"a": 1}],
    "map": [["x"], "x", 1],
    "structure": [["x"], "x", 1, True],
    "timestamp": [[1], {"a": 1}, True],
    "float": ["1.0", True, []],
    "double": ["1.0", True, []],
    "blob": [1, [], {}],
}


def _pattern_breakers(shape: Shape) -> list[str]:
    """Strings within the length bounds that the pattern refuses (deterministic candidates)."""
    lo, hi = _length_bounds(shape)
    regex = shape.regex
    assert regex is not None
    out = []
    for char in _AWKWARD:
        for n in {max(lo, 1), min(hi, max(lo, 1) + 2), lo}:
            for candidate in (char * n, ("a" * (n - 1)) + char, char + ("0" * (n - 1))):
                if (
                    lo <= len(candidate) <= hi
                    and not regex.fullmatch(candidate)
                    and candidate not in out
                ):
                    out.append(candidate)
    return out


def breakers(shape: Shape) -> dict[str, st.SearchStrategy[Any]]:
    """For each constraint of ``shape`` itself: a strategy of values breaking only that one."""
    out: dict[str, st.SearchStrategy[Any]] = {
        "type": st.sampled_from(_WRONG_TYPES.get(shape.type, [None]))
    }
    kind, lo, hi = shape.type, shape.min, shape.max
    if kind == "string":
        if shape.enum:
            wrong = [e.lower() for e in shape.enum if e.lower() not in shape.enum]
            wrong += ["", "NOT_A_VALUE", shape.enum[0] + " "]
            out["enum"] = st.sampled_from([w for w in wrong if w not in shape.enum])
            return out
        pattern_ok = strings(shape) if shape.pattern else None
        if lo:
            short = int(lo) - 1
            out["min"] = _text_of_length(shape, short, pattern_ok)
        if hi is not None and hi < 4096:
            out["max"] = st.integers(int(hi) + 1, int(hi) + 8).flatmap(
                lambda n: _text_of_length(shape, n, pattern_ok)
            )
        if shape.pattern:
            breaking = _pattern_breakers(shape)
            if breaking:
                out["pattern"] = st.sampled_from(breaking)
    elif kind in ("integer", "long"):
        if lo is not None:
            out["min"] = st.integers(int(lo) - 1000, int(lo) - 1)
        if hi is not None:
            out["max"] = st.integers(int(hi) + 1, int(hi) + 2**40)
    elif kind == "list" and shape.member is not None:
        item = valid(shape.member)
        if lo:
            out["min"] = st.lists(item, min_size=int(lo) - 1, max_size=int(lo) - 1)
        if hi is not None and hi <= BOUNDARY_ITEMS:
            out["max"] = st.lists(item, min_size=int(hi) + 1, max_size=int(hi) + 1)
    elif kind == "map" and shape.value is not None and hi is not None and hi <= BOUNDARY_ITEMS:
        size = int(hi) + 1
        out["max"] = st.lists(valid(shape.value), min_size=size, max_size=size).map(
            lambda vals: {f"k{i}": v for i, v in enumerate(vals)}
        )
    return out


def _text_of_length(
    shape: Shape, n: int, pattern_ok: st.SearchStrategy[str] | None
) -> st.SearchStrategy[str]:
    """A string of exactly ``n`` characters, matching the pattern when one exists and can."""
    if shape.pattern is None:
        return st.just("x" * n)
    regex = shape.regex
    assert regex is not None
    tail = _TAIL.fullmatch(shape.pattern)
    if tail is not None:
        fixed = _literal_length(tail["head"])
        reps = n - fixed
        if reps >= (1 if tail["q"] == "+" else 0):
            return st.from_regex(f"{tail['head']}(?:{tail['atom']}){{{reps}}}", fullmatch=True)
    # Fall back: any value of that length (it may break the pattern too: still one field).
    return st.just("0" * n)


# -- requests ------------------------------------------------------------------------------------


@dataclass
class Request:
    """A generated request: its parameters and, when broken, the rule and where."""

    operation: Operation
    params: JSON
    rule: str | None = None  # None: valid; else the constraint broken ("required", "max"...)
    path: str | None = None  # the member path the service must name in Fields

    @property
    def valid(self) -> bool:
        return self.rule is None

    def __repr__(self) -> str:
        broken = f", broke {self.rule} at {self.path}" if self.rule else ""
        return f"Request({self.operation.name}, {self.params!r}{broken})"


def _sites(value: Any, shape: Shape, path: Path = ()) -> Iterable[tuple[Path, Shape, Any]]:
    """``(path, shape, value)`` of every value present in a request, outermost first."""
    yield path, shape, value
    if shape.type == "structure" and isinstance(value, dict):
        for name, child in shape.members.items():
            if name in value:
                yield from _sites(value[name], child, (*path, name))
    elif shape.type == "list" and isinstance(value, list) and shape.member is not None:
        for i, item in enumerate(value):
            yield from _sites(item, shape.member, (*path, i))
    elif shape.type == "map" and isinstance(value, dict) and shape.value is not None:
        for key, item in value.items():
            yield from _sites(item, shape.value, (*path, str(key)))


def path_name(path: Path) -> str:
    """``("Tags", 0, "Key")`` -> ``Tags[0].Key``, the way ``Fields`` names members."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _replace(root: JSON, path: Path, value: Any) -> None:
    node: Any = root
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _remove(root: JSON, path: Path) -> None:
    node: Any = root
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


@st.composite
def requests(
    draw: st.DrawFn, operation: Operation, hints: Hints | None = None, broken: bool | None = None
) -> Request:
    """A request for ``operation``: valid, or broken at exactly one place (``broken`` forces it).

    A broken request breaks one constraint (type, min, max, pattern, enum, required) of one
    member; the service must answer ``ValidationException`` naming that member.
    """
    params = draw(valid(operation.input, hints, operation=operation.name))
    if broken is None:
        broken = draw(st.integers(0, 2)) == 2  # one request in three is broken
    if not broken:
        return Request(operation, params)
    choices: dict[str, list[tuple[Path, st.SearchStrategy[Any] | None]]] = {}
    for path, shape, value in _sites(params, operation.input):
        if path:
            for rule, strategy in breakers(shape).items():
                choices.setdefault(rule, []).append((path, strategy))
        if shape.type == "structure" and isinstance(value, dict):
            for name in sorted(shape.required):
                if name in value:
                    choices.setdefault("required", []).append(((*path, name), None))
    if not choices:  # nothing to break (an operation without input): a valid request
        return Request(operation, params)
    # The rule first, then where: every kind of break gets its share.
    rule = draw(st.sampled_from(sorted(choices)))
    path, strategy = draw(st.sampled_from(choices[rule]))
    if strategy is None:
        _remove(params, path)
    else:
        _replace(params, path, draw(strategy))
    return Request(operation, params, rule, path_name(path))


# -- the wire ------------------------------------------------------------------------------------


def auth_header(account: str = ACCOUNT, region: str = REGION, service: str = "sms-voice") -> str:
    """A SigV4-looking Authorization header (the sandbox reads the credential scope only)."""
    return (
        f"AWS4-HMAC-SHA256 Credential={account}/20261127/{region}/{service}/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64
    )


@dataclass
class Answer:
    """A response as it came off the wire."""

    status: int
    body: JSON
    headers: dict[str, str]

    @property
    def code(self) -> str | None:
        """The error code (``__type`` without its namespace), or None for a success."""
        if self.status < 300:
            return None
        return str(self.body.get("__type", self.status)).split("#")[-1].split(":")[0]


def _decode(raw: bytes) -> JSON:
    return json.loads(raw) if raw.strip() else {}


class RawWire:
    """JSON 1.0 over a kept-alive HTTP connection to a sandbox server (no botocore at all)."""

    def __init__(self, url: str, account: str = ACCOUNT, region: str = REGION) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.account, self.region = account, region
        self._conn: http.client.HTTPConnection | None = None

    def post(self, body: bytes, headers: Mapping[str, str], timeout: float = 10.0) -> Answer:
        """POST ``body`` to ``/``; reconnects once if the server closed a kept-alive socket."""
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            try:
                self._conn.request("POST", "/", body=body, headers=dict(headers))
                response = self._conn.getresponse()
                raw = response.read()
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                self.close()
                if attempt:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return Answer(response.status, _decode(raw), dict(response.getheaders()))
        raise AssertionError("unreachable")

    def send(self, operation: str, params: Any) -> Answer:
        """Call ``operation`` with ``params`` (any JSON value) as a SigV4-signed client would."""
        headers = {
            "Content-Type": protocol.JSON_CONTENT_TYPE,
            "X-Amz-Target": f"{TARGET}.{operation}",
            "X-Amz-Date": "20261127T000000Z",
            "Authorization": auth_header(self.account, self.region),
        }
        return self.post(json.dumps(params).encode(), headers)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class HandleWire:
    """The same bytes as :class:`RawWire`, handed straight to ``protocol.handle`` in-process."""

    def __init__(self, sandbox: Sandbox, account: str = ACCOUNT, region: str = REGION) -> None:
        self.sandbox, self.account, self.region = sandbox, account, region

    def send(self, operation: str, params: Any) -> Answer:
        headers = {
            "Content-Type": protocol.JSON_CONTENT_TYPE,
            "X-Amz-Target": f"{TARGET}.{operation}",
            "Authorization": auth_header(self.account, self.region),
        }
        answer = protocol.handle(self.sandbox, "POST", "/", headers, json.dumps(params).encode())
        return Answer(answer.status, _decode(answer.body), answer.headers)


class Boto3Wire:
    """An unmodified boto3 client (client-side validation off) that records the raw answer."""

    def __init__(self, client: BaseClient) -> None:
        self.client = client
        self._last: dict[str, Any] = {}
        client.meta.events.register("before-parse", self._record)

    def _record(self, response_dict: dict[str, Any], **_: Any) -> None:
        self._last = response_dict

    def send(self, operation: str, params: Any) -> Answer:
        self._last = {}
        method = getattr(self.client, model_mod.snake_name(operation))
        with contextlib.suppress(ClientError):  # the raw answer is what is checked
            method(**params)
        raw = self._last
        assert raw, f"boto3 sent nothing for {operation}"
        headers = {str(k): str(v) for k, v in raw["headers"].items()}
        return Answer(raw["status_code"], _decode(raw["body"]), headers)


def boto3_client(
    sandbox: Sandbox | None = None,
    url: str | None = None,
    account: str = ACCOUNT,
    region: str = REGION,
    **config: Any,
) -> BaseClient:
    """A boto3 client of the sandbox, in-process (``sandbox``) or over HTTP (``url``).

    Client-side parameter validation is off (the server must catch everything) and botocore
    does not retry, so each call is exactly one request.
    """
    config = {"parameter_validation": False, "retries": {"total_max_attempts": 1}, **config}
    if url is None:
        assert sandbox is not None
        return sandbox.client(region_name=region, account_id=account, **config)
    return boto3.session.Session(
        aws_access_key_id=account, aws_secret_access_key="sandbox", region_name=region
    ).client("pinpoint-sms-voice-v2", endpoint_url=url, config=Config(**config))


# -- oracles -------------------------------------------------------------------------------------


def check_answer(request: Request, answer: Answer) -> None:
    """The answer is valid output or a modelled error of the operation; never a server fault.

    A request broken at one member must be refused with ``ValidationException`` naming it.
    """
    op = request.operation
    assert answer.headers.get("x-amzn-RequestId"), (request, answer)
    if answer.status == 200:
        assert request.valid, f"{request} was accepted: {answer.body}"
        found = problems(answer.body, op.output)  # every constraint, lengths and patterns too
        assert not found, f"{request} answered an invalid {op.output.name}: {found}"
        assert set(answer.body) <= set(op.output.members), (request, answer.body)
        return
    code = answer.code
    assert code != "InternalServerException", f"{request} -> {answer.status} {answer.body}"
    assert answer.status == 400, (request, answer.status, answer.body)
    assert code in op.errors or code in COMMON_ERRORS, f"{request} -> unmodelled {code}"
    shape = model_mod.load().error_shapes[code]
    body = prune({k: v for k, v in answer.body.items() if k != "__type"}, shape)
    assert not problems(body, shape), f"{request} -> malformed {code}: {answer.body}"
    assert answer.body.get("Message"), (request, answer.body)
    if not request.valid:
        assert code == "ValidationException", f"{request} -> {code}, not ValidationException"
        names = [f["Name"] for f in answer.body.get("Fields", [])]
        assert any(_names_member(n, request.path or "") for n in names), (
            f"{request} -> Fields {names} do not name {request.path}"
        )


def _names_member(name: str, path: str) -> bool:
    """``Fields`` entry ``name`` designates ``path`` (or a member inside it, or its map key)."""
    return name == path or name.startswith((f"{path}.", f"{path}[")) or path.startswith(f"{name}.")


def listing(sandbox: Sandbox, operation: str, account: str, region: str, **params: Any) -> list:
    """Every item of a paginated operation, walked page by page through ``Sandbox.invoke``."""
    op = model_mod.load().operation(operation)
    assert op.paginator is not None
    items: list = []
    token = None
    while True:
        page = sandbox.invoke(
            operation,
            {**params, **({"NextToken": token} if token else {})},
            account=account,
            region=region,
        )
        items.extend(page[op.paginator.result_key])
        token = page.get("NextToken")
        if not token:
            return items


# AccountLimitName -> the listing whose length is "Used".
LIMIT_LISTINGS = {
    "PHONE_NUMBERS": ("DescribePhoneNumbers", "PhoneNumberId"),
    "POOLS": ("DescribePools", "PoolId"),
    "CONFIGURATION_SETS": ("DescribeConfigurationSets", "ConfigurationSetName"),
    "OPT_OUT_LISTS": ("DescribeOptOutLists", "OptOutListName"),
    "SENDER_IDS": ("DescribeSenderIds", "SenderIdArn"),
    "REGISTRATIONS": ("DescribeRegistrations", "RegistrationId"),
    "REGISTRATION_ATTACHMENTS": ("DescribeRegistrationAttachments", "RegistrationAttachmentId"),
    "VERIFIED_DESTINATION_NUMBERS": (
        "DescribeVerifiedDestinationNumbers",
        "VerifiedDestinationNumberId",
    ),
}


def invariants(sandbox: Sandbox) -> dict[str, int]:
    """Assert what must hold after any request, in every account and region; return counts.

    - every pool a phone number or sender ID names exists and lists it; no pool is empty;
    - account limits' ``Used`` equals what the Describe listings return, and no ID repeats;
    - no opted-out number appears twice in a list, and every entry's list exists;
    - every phone number and pool has HELP and STOP, and no keyword outlives its owner;
    - every opt-out list a number or pool names exists.
    """
    counts: dict[str, int] = {}
    for account, region in sandbox.store.regions():
        found = _region_invariants(sandbox, account, region)
        for key, value in found.items():
            counts[key] = counts.get(key, 0) + value
    return counts


def _region_invariants(sandbox: Sandbox, account: str, region: str) -> dict[str, int]:
    scope = f"{account}/{region}"
    with sandbox.store.transaction():
        limits = {
            item["Name"]: item
            for item in listing(sandbox, "DescribeAccountLimits", account, region)
        }
        listed: dict[str, list] = {}
        for name, (operation, key) in LIMIT_LISTINGS.items():
            items = listing(sandbox, operation, account, region, MaxResults=7)
            keys = [item[key] for item in items]
            assert len(keys) == len(set(keys)), f"{scope}: {operation} repeats {keys}"
            assert limits[name]["Used"] == len(items), (
                f"{scope}: {name} Used {limits[name]['Used']} but {operation} lists {len(items)}"
            )
            assert limits[name]["Used"] <= limits[name]["Max"], (scope, limits[name])
            listed[name] = items
        pools = {p["PoolId"] for p in listed["POOLS"]}
        members: dict[str, set[str]] = {p: set() for p in pools}
        for phone in listed["PHONE_NUMBERS"]:
            if phone.get("PoolId"):
                assert phone["PoolId"] in pools, f"{scope}: {phone['PhoneNumberId']} in a lost pool"
                members[phone["PoolId"]].add(phone["PhoneNumberId"])
        with sandbox.admin(account, region) as ctx:
            senders = ctx.store.docs("sender-id")
            keyword_parents = set(ctx.store.parents("keyword"))
            entry_lists = set(ctx.store.parents("opted-out-number"))
        for sender in senders:
            for pool in sender.get("_PoolIds", []):
                assert pool in pools, f"{scope}: {sender['SenderId']} in a lost pool {pool}"
                members[pool].add(sender["SenderId"])
        for pool in pools:
            listed_members = {
                m["OriginationIdentity"]
                for m in listing(
                    sandbox, "ListPoolOriginationIdentities", account, region, PoolId=pool
                )
            }
            assert listed_members == members[pool], (scope, pool, listed_members, members[pool])
            assert listed_members, f"{scope}: pool {pool} is empty"
        lists = {o["OptOutListName"] for o in listed["OPT_OUT_LISTS"]}
        assert entry_lists <= lists, (
            f"{scope}: opted-out numbers of lost lists {entry_lists - lists}"
        )
        entries = 0
        for name in lists:
            numbers = [
                n["OptedOutNumber"]
                for n in listing(
                    sandbox, "DescribeOptedOutNumbers", account, region, OptOutListName=name
                )
            ]
            assert len(numbers) == len(set(numbers)), f"{scope}: {name} lists a number twice"
            entries += len(numbers)
        owners = {p["PhoneNumberId"] for p in listed["PHONE_NUMBERS"]} | pools
        assert keyword_parents <= owners, (
            f"{scope}: keywords of lost owners {keyword_parents - owners}"
        )
        for owner in owners:
            words = {
                k["Keyword"]
                for k in listing(
                    sandbox, "DescribeKeywords", account, region, OriginationIdentity=owner
                )
            }
            assert {"HELP", "STOP"} <= words, f"{scope}: {owner} lacks HELP/STOP: {words}"
        for item in (*listed["PHONE_NUMBERS"], *listed["POOLS"]):
            assert item["OptOutListName"] in lists, f"{scope}: {item} names a lost opt-out list"
    return {
        "phone_numbers": len(listed["PHONE_NUMBERS"]),
        "pools": len(pools),
        "opted_out_numbers": entries,
    }


# -- a small world to fuzz against -----------------------------------------------------------------


def build_world(sandbox: Sandbox, account: str = ACCOUNT, region: str = REGION) -> None:
    """Phone numbers, a pool of two, sender IDs, lists with entries, a configuration set with an
    event destination, keywords, tags and a verified destination with a code: every kind of
    resource the emulated operations act on, so generated requests meet real rules."""

    def call(operation: str, **params: Any) -> JSON:
        return sandbox.invoke(operation, params, account=account, region=region)

    sandbox.add_sender_id("ACME", "GB", account=account, region=region, tags={"team": "ops"})
    sandbox.add_sender_id("ACME", "DE", account=account, region=region)
    numbers = [
        call(
            "RequestPhoneNumber",
            IsoCountryCode=country,
            MessageType=message_type,
            NumberCapabilities=capabilities,
            NumberType=number_type,
            Tags=[{"Key": "Name", "Value": f"n{i}"}],
        )["PhoneNumberId"]
        for i, (country, number_type, message_type, capabilities) in enumerate(
            [
                ("US", "TOLL_FREE", "TRANSACTIONAL", ["SMS", "VOICE"]),
                ("US", "TOLL_FREE", "TRANSACTIONAL", ["SMS"]),
                ("US", "SIMULATOR", "TRANSACTIONAL", ["SMS"]),
                ("GB", "LONG_CODE", "PROMOTIONAL", ["SMS"]),
            ]
        )
    ]
    pool = call("CreatePool", OriginationIdentity=numbers[0], MessageType="TRANSACTIONAL")["PoolId"]
    call("AssociateOriginationIdentity", PoolId=pool, OriginationIdentity=numbers[1])
    call("CreatePool", OriginationIdentity="ACME", IsoCountryCode="GB", MessageType="PROMOTIONAL")
    call("CreateOptOutList", OptOutListName="marketing", Tags=[{"Key": "team", "Value": "growth"}])
    call("CreateOptOutList", OptOutListName="spare")
    for number in ("+14255550100", "+447700900123"):
        call("PutOptedOutNumber", OptOutListName="marketing", OptedOutNumber=number)
    call("PutOptedOutNumber", OptOutListName="Default", OptedOutNumber="+14255550100")
    call("UpdatePhoneNumber", PhoneNumberId=numbers[3], OptOutListName="marketing")
    call("PutKeyword", OriginationIdentity=numbers[2], Keyword="JOIN", KeywordMessage="Welcome")
    call("PutKeyword", OriginationIdentity=pool, Keyword="INFO", KeywordMessage="Hours 9-5")
    call("CreateConfigurationSet", ConfigurationSetName="alerts")
    call(
        "CreateEventDestination",
        ConfigurationSetName="alerts",
        EventDestinationName="to-sns",
        MatchingEventTypes=["ALL"],
        SnsDestination={"TopicArn": f"arn:aws:sns:{region}:{account}:events"},
    )
    call("SetDefaultMessageType", ConfigurationSetName="alerts", MessageType="TRANSACTIONAL")
    call("CreateConfigurationSet", ConfigurationSetName="empty")
    vdn = call("CreateVerifiedDestinationNumber", DestinationPhoneNumber="+14255550199")
    call(
        "SendDestinationNumberVerificationCode",
        VerifiedDestinationNumberId=vdn["VerifiedDestinationNumberId"],
        VerificationChannel="TEXT",
    )
    sandbox.verify_destination("+14255550142", account=account, region=region)
    # Registrations: a COMPLETE brand, a draft campaign associated with it, a draft toll-free
    # form and an attachment, so generated requests meet the registration rules.
    from tests.registration_support import BRAND, PNG

    brand = call("CreateRegistration", RegistrationType="US_TEN_DLC_BRAND_REGISTRATION")
    for path, value in BRAND.items():
        member = "SelectChoices" if isinstance(value, list) else "TextValue"
        call(
            "PutRegistrationFieldValue",
            RegistrationId=brand["RegistrationId"],
            FieldPath=path,
            **{member: value},
        )
    call("SubmitRegistrationVersion", RegistrationId=brand["RegistrationId"])
    sandbox.review(brand["RegistrationId"], "COMPLETE", account=account, region=region)
    campaign = call("CreateRegistration", RegistrationType="US_TEN_DLC_CAMPAIGN_REGISTRATION")
    call(
        "CreateRegistrationAssociation",
        RegistrationId=campaign["RegistrationId"],
        ResourceId=brand["RegistrationId"],
    )
    call("CreateRegistration", RegistrationType="US_TOLL_FREE_REGISTRATION")
    call("CreateRegistrationAttachment", AttachmentBody=PNG)


def next_tokens(
    sandbox: Sandbox, hints: Hints, account: str = ACCOUNT, region: str = REGION
) -> None:
    """Record a first-page NextToken of each paginated operation the sandbox emulates."""
    parents: dict[str, Callable[[Hints], Sequence[Any]]] = {
        "DescribeKeywords": lambda h: [
            {"OriginationIdentity": v} for v in h.by_shape.get("PhoneOrPoolIdOrArn", [])[:1]
        ],
        "DescribeOptedOutNumbers": lambda h: [{"OptOutListName": "marketing"}],
        "ListPoolOriginationIdentities": lambda h: [
            {"PoolId": v} for v in h.by_shape.get("PoolIdOrArn", [])[:1]
        ],
    }
    for name in ("DescribeRegistrationFieldDefinitions", "DescribeRegistrationSectionDefinitions"):
        parents[name] = lambda h: [
            {"RegistrationType": v} for v in h.by_shape.get("RegistrationType", [])
        ]
    for name in (
        "DescribeRegistrationVersions",
        "DescribeRegistrationFieldValues",
        "ListRegistrationAssociations",
    ):
        parents[name] = lambda h: [
            {"RegistrationId": v} for v in h.by_shape.get("RegistrationIdOrArn", [])
        ]
    for op in model_mod.load().paginated():
        if op.name not in sandbox.operations():
            continue
        for extra in parents.get(op.name, lambda h: [{}])(hints):
            try:
                page = sandbox.invoke(
                    op.name, {**extra, "MaxResults": 1}, account=account, region=region
                )
            except Exception:
                continue
            if page.get("NextToken"):
                hints.tokens.setdefault(op.name, []).append(page["NextToken"])


# -- campaign sizes and the record of what ran -----------------------------------------------------

CAMPAIGN = os.environ.get(
    "PPV2KIT_CAMPAIGN", "ci"
)  # "ci" (bounded, CI) or "long" (make reliability)


def size(name: str, ci: int, long: int) -> int:
    """A campaign size: ``PPV2KIT_<NAME>`` if set, else the CI or the long default."""
    value = os.environ.get(f"PPV2KIT_{name.upper()}")
    return int(value) if value else (long if CAMPAIGN == "long" else ci)


settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,  # the same examples on every CI run: a failure reproduces
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,  # long stateful runs: large by design
        HealthCheck.function_scoped_fixture,
    ],
)
settings.register_profile("long", settings.get_profile("ci"), derandomize=False)
PROFILE = settings.get_profile("long" if CAMPAIGN == "long" else "ci")


def _log_path() -> pathlib.Path | None:
    """Where campaigns record their figures: ``PPV2KIT_RELIABILITY_LOG``, else nowhere."""
    named = os.environ.get("PPV2KIT_RELIABILITY_LOG")
    return pathlib.Path(named) if named else None


def record(campaign: str, **figures: Any) -> None:
    """Append one campaign's figures to ``$PPV2KIT_RELIABILITY_LOG`` (``make reliability``)."""
    path = _log_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {"campaign": campaign, "profile": CAMPAIGN, "at": time.time(), **figures}
    with path.open("a") as handle:
        handle.write(json.dumps(line) + "\n")


def summarize(source: pathlib.Path | None = None) -> dict[str, dict[str, Any]]:
    """The figures recorded in ``source`` (default ``$PPV2KIT_RELIABILITY_LOG``), summed."""
    source = source or _log_path()
    totals: dict[str, dict[str, Any]] = {}
    if source is None or not source.exists():
        return totals
    for line in source.read_text().splitlines():
        entry = json.loads(line)
        name = entry.pop("campaign")
        entry.pop("at", None)
        bucket = totals.setdefault(name, {})
        for key, value in entry.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                summed = key not in {"threads", "processes", "writers", "operations", "clients"}
                summed = summed and not key.endswith(("_per_operation", "_per_run"))
                bucket[key] = (
                    bucket.get(key, 0) + value if summed else max(bucket.get(key, 0), value)
                )
            else:
                bucket[key] = value
    return totals


if __name__ == "__main__":  # make reliability prints what the campaigns established
    for campaign, figures in summarize().items():
        print(f"{campaign:>14}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
