"""Listings as the service pages and filters them: MaxResults, opaque NextToken, Filters, Owner.

Pages follow creation order. A ``NextToken`` is opaque to clients: it carries the position, the
operation and a digest of the other parameters, signed with the sandbox's secret, so a forged
token, a token from another operation, or one replayed with different filters is refused with
``ValidationException`` ``INVALID_NEXT_TOKEN``. Filters: values within one filter OR together,
filters AND together, booleans compare as ``"true"``/``"false"``; the value a filter name reads is
the item's member of the same name (``iso-country-code`` -> ``IsoCountryCode``), or of its plural
for list members (``number-capability`` -> ``NumberCapabilities``), unless the handler says
otherwise. A filter on an enum or boolean member with a value the member can't take is
``INVALID_FILTER_VALUES``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..model import Shape
from .errors import invalid_field, validation

DEFAULT_PAGE_SIZE = 100
PAGING_KEYS = ("NextToken", "MaxResults")

Getter = Callable[[dict[str, Any]], Any]


def _digest(operation: str, params: Mapping[str, Any]) -> str:
    rest = {k: v for k, v in params.items() if k not in PAGING_KEYS}
    raw = json.dumps([operation, rest], sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def encode_token(secret: bytes, operation: str, params: Mapping[str, Any], position: int) -> str:
    """An opaque, signed NextToken for ``position`` in ``operation``'s listing."""
    payload = json.dumps({"p": position, "q": _digest(operation, params)}).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    sig = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()[:24]
    return f"{body}.{sig}"


def decode_token(secret: bytes, operation: str, params: Mapping[str, Any]) -> int:
    """The position a NextToken points at (0 without one); ``INVALID_NEXT_TOKEN`` if forged."""
    token = params.get("NextToken")
    if not token:
        return 0
    problem = "The NextToken is not valid for this request."
    body, _, sig = token.partition(".")
    expected = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()[:24]
    # Compared as bytes: a forged token may hold any characters (str needs ASCII here).
    if not sig or not hmac.compare_digest(sig.encode(), expected.encode()):
        raise invalid_field("INVALID_NEXT_TOKEN", "NextToken", problem)
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        position = int(payload["p"])
        digest = payload["q"]
    except (ValueError, KeyError, TypeError):
        raise invalid_field("INVALID_NEXT_TOKEN", "NextToken", problem) from None
    if digest != _digest(operation, params):
        raise invalid_field(
            "INVALID_NEXT_TOKEN", "NextToken", "The NextToken was issued for other parameters."
        )
    return position


def page(
    secret: bytes,
    operation: str,
    params: Mapping[str, Any],
    rows: Iterable[tuple[int, Any]],
) -> tuple[list[Any], str | None]:
    """One page of ``(seq, item)`` rows (in seq order) and the NextToken for the rest."""
    after = decode_token(secret, operation, params)
    limit = params.get("MaxResults") or DEFAULT_PAGE_SIZE
    out: list[Any] = []
    last = after
    for seq, item in rows:
        if seq <= after:
            continue
        if len(out) == limit:
            return out, encode_token(secret, operation, params, last)
        out.append(item)
        last = seq
    return out, None


def _attribute(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _as_strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list | tuple | set):
        return [s for v in value for s in _as_strings(v)]
    return [str(value)]


def filter_rows(
    rows: Iterable[tuple[int, dict[str, Any]]],
    filters: list[dict[str, Any]] | None,
    item_shape: Shape,
    getters: Mapping[str, Getter] | None = None,
) -> Iterable[tuple[int, dict[str, Any]]]:
    """The rows matching every filter; ``INVALID_FILTER_VALUES`` for impossible values."""
    if not filters:
        return rows
    getters = dict(getters or {})
    checks: list[tuple[Getter, set[str]]] = []
    for i, f in enumerate(filters):
        name, values = f["Name"], set(f["Values"])
        getter = getters.get(name)
        member = _member_for(name, item_shape)
        if getter is None:
            if member is None:
                raise invalid_field(
                    "INVALID_FILTER_VALUES", f"Filters[{i}].Name", f"unsupported filter {name!r}"
                )
            attr = member[0]
            getter = _plain_getter(attr)
        if member is not None:
            _check_values(i, name, values, member[1])
        checks.append((getter, values))

    def keep(doc: dict[str, Any]) -> bool:
        return all(values & set(_as_strings(getter(doc))) for getter, values in checks)

    return ((seq, doc) for seq, doc in rows if keep(doc))


def _plain_getter(attr: str) -> Getter:
    return lambda doc: doc.get(attr)


def _member_for(name: str, item_shape: Shape) -> tuple[str, Shape] | None:
    attr = _attribute(name)
    plural = attr[:-1] + "ies" if attr.endswith("y") else attr + "s"
    for candidate in (attr, plural, attr.replace("Id", "ID")):
        if candidate in item_shape.members:
            return candidate, item_shape.members[candidate]
    return None


def _check_values(i: int, name: str, values: set[str], shape: Shape) -> None:
    target = shape.member if shape.type == "list" and shape.member is not None else shape
    allowed: set[str] | None = None
    if target.type == "boolean":
        allowed = {"true", "false"}
    elif target.enum:
        allowed = set(target.enum)
    if allowed is not None and not values <= allowed:
        bad = sorted(values - allowed)
        raise validation(
            "INVALID_FILTER_VALUES",
            f"Invalid values {bad} for filter {name!r}; allowed: {sorted(allowed)}",
            [(f"Filters[{i}].Values", f"must be one of {sorted(allowed)}")],
        )
