"""A FramePlan per paginated operation: what its frame looks like, derived from the model alone.

The plan is pure (no client, no network): the result key, the flattened dotted columns and
their dtypes, the paginator's context (non-aggregate) keys, the parameters the caller may pass,
the parent parameter fanned out over when it is not given, the filter names, and the member that
holds each row's ARN (for tags). Frames are built from plans; so are the kit's generated methods.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd
from botocore import xform_name

from .. import model as model_mod
from ..model import Operation, Shape
from . import dtypes
from .parents import Source, parent_of

ACCOUNT = "Account"
REGION = "Region"
TAGS = "Tags"
PROVENANCE = (ACCOUNT, REGION)
NOUN_PREFIXES = ("Describe", "List")
# Parameters that filter or scope a listing without naming resources.
SCOPING_PARAMS = frozenset({"Filters", "Owner"})

# botocore type name -> the Python annotation of a parameter of that type.
ANNOTATIONS: Mapping[str, Any] = MappingProxyType(
    {
        "string": str,
        "integer": int,
        "long": int,
        "float": float,
        "double": float,
        "boolean": bool,
        "timestamp": datetime.datetime,
        "blob": bytes,
        "list": list,
        "map": dict,
        "structure": dict,
    }
)


@dataclass(frozen=True)
class Column:
    """One column of a frame: its dotted name, where its value is read, and its dtype.

    ``origin`` is ``"provenance"`` (Account, Region), ``"context"`` (a paginator non-aggregate
    key, read from the page), ``"item"`` (read from each listed item at ``path``) or ``"money"``
    (the numeric twin of the money string at ``path``).
    """

    name: str
    path: tuple[str, ...]
    type: str
    dtype: Any
    origin: str
    documentation: str = ""


@dataclass(frozen=True)
class Param:
    """One parameter the caller may pass (paging members excluded)."""

    name: str
    type: str
    annotation: Any
    required: bool
    documentation: str
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Request:
    """A caller's parameters checked against a plan: the base parameters of every call and the
    parent values given explicitly (``None``: fan out over every parent)."""

    params: Mapping[str, Any]
    parents: tuple[str, ...] | None
    names_resources: bool


@dataclass(frozen=True)
class FramePlan:
    """Everything about one paginated operation's frame that the model says."""

    operation: str
    method: str
    snake_name: str
    documentation: str
    result_key: str
    output_token: str
    page_size: int | None
    item_name: str
    columns: tuple[Column, ...]
    params: tuple[Param, ...]
    parent: str | None
    sources: tuple[Source, ...]
    filter_names: tuple[str, ...]
    arn_column: str | None
    context_keys: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        """Every column name, in frame order."""
        return [c.name for c in self.columns]

    @property
    def dtypes(self) -> dict[str, Any]:
        """Column name -> dtype."""
        return {c.name: c.dtype for c in self.columns}

    @property
    def required(self) -> tuple[str, ...]:
        """Required parameters the caller must give (the parent excepted)."""
        return tuple(p.name for p in self.params if p.required and p.name != self.parent)

    def empty(self) -> pd.DataFrame:
        """A zero-row frame with every column, each of its dtype."""
        return pd.DataFrame({c.name: dtypes.empty(c.dtype) for c in self.columns})

    def request(
        self, params: Mapping[str, Any], filters: Mapping[str, Any] | None = None
    ) -> Request:
        """Check ``params`` (AWS names) and friendly ``filters`` against the model.

        Raises ``TypeError`` for unknown or missing parameters and ``ValueError`` for unknown
        filter names, as a Python call with a wrong signature would.
        """
        known = {p.name for p in self.params}
        unknown = sorted(set(params) - known)
        if unknown:
            hint = ", ".join(sorted(known)) or "none"
            raise TypeError(
                f"{self.method}() got unexpected parameter(s) {', '.join(unknown)}; "
                f"{self.operation} takes: {hint} (paging is automatic)"
            )
        out = {k: v for k, v in params.items() if v is not None}
        missing = [name for name in self.required if name not in out]
        if missing:
            raise TypeError(f"{self.method}() missing required parameter(s): {', '.join(missing)}")
        if filters:
            out["Filters"] = [*out.get("Filters", []), *self.filters(filters)]
        parents: tuple[str, ...] | None = None
        if self.parent is not None and self.parent in out:
            given = out.pop(self.parent)
            parents = (given,) if isinstance(given, str) else tuple(given)
        names_resources = parents is not None or bool(
            set(out) - SCOPING_PARAMS - set(self.required)
        )
        return Request(MappingProxyType(out), parents, names_resources)

    def filters(self, friendly: Mapping[str, Any]) -> list[dict[str, Any]]:
        """``{"status": "ACTIVE", "iso_country_code": ["US", "CA"]}`` as the API's ``Filters``."""
        if not self.filter_names:
            raise ValueError(f"{self.operation} takes no Filters")
        out = []
        for key, value in friendly.items():
            name = filter_name(key, self.filter_names)
            out.append({"Name": name, "Values": _filter_values(value)})
        return out


def filter_name(key: str, names: Iterable[str]) -> str:
    """The API's filter name for ``key`` (``status``, ``iso_country_code``, ``IsoCountryCode``)."""
    names = tuple(names)
    candidates = (key, key.replace("_", "-"), xform_name(key, "-").replace("_", "-"))
    for candidate in candidates:
        if candidate in names:
            return candidate
    raise ValueError(f"unknown filter {key!r}; filters: {', '.join(names)}")


def _filter_values(value: Any) -> list[str]:
    if isinstance(value, str | bool | int | float):
        value = [value]
    return [("true" if v else "false") if isinstance(v, bool) else str(v) for v in value]


def method_name(operation: str) -> str:
    """The kit method of a listing: ``DescribePhoneNumbers`` -> ``phone_numbers``."""
    for prefix in NOUN_PREFIXES:
        if operation.startswith(prefix) and len(operation) > len(prefix):
            return xform_name(operation[len(prefix) :])
    return xform_name(operation)


def _item_columns(shape: Shape, prefix: tuple[str, ...], seen: frozenset[str]) -> Iterator[Column]:
    seen = seen | {shape.name}
    for name, child in shape.members.items():
        path = (*prefix, name)
        if child.type == "structure" and child.members and child.name not in seen:
            yield from _item_columns(child, path, seen)
            continue
        doc = child.documentation
        yield Column(".".join(path), path, child.type, dtypes.dtype_for(child), "item", doc)
        if dtypes.is_money(name, child):
            yield Column(
                ".".join(path) + dtypes.MONEY_SUFFIX,
                path,
                "double",
                dtypes.MONEY_DTYPE,
                "money",
                f"{name} as a number (USD).",
            )


def _params(op: Operation, skip: set[str]) -> tuple[Param, ...]:
    out = []
    for name, shape in op.input.members.items():
        if name in skip:
            continue
        annotation = ANNOTATIONS.get(shape.type, Any)
        if shape.type == "list" and shape.member is not None:
            annotation = list[ANNOTATIONS.get(shape.member.type, Any)]  # type: ignore[misc]
        out.append(
            Param(
                name,
                shape.type,
                annotation,
                name in op.input.required,
                shape.documentation,
                shape.enum,
            )
        )
    return tuple(out)


def _filter_names(op: Operation) -> tuple[str, ...]:
    filters = op.input.members.get("Filters")
    if filters is None or filters.member is None:
        return ()
    name = filters.member.members.get("Name")
    return name.enum if name is not None else ()


def plan(operation: str, service: str = model_mod.SERVICE) -> FramePlan:
    """The :class:`FramePlan` of a paginated operation (model name or snake_case).

    Raises ``KeyError`` for an unknown operation and ``ValueError`` for one botocore cannot
    paginate.
    """
    return _plan(model_mod.load(service).resolve(operation), service)


@functools.cache
def _plan(operation: str, service: str) -> FramePlan:
    op = model_mod.load(service).operation(operation)
    pager = op.paginator
    if pager is None:
        raise ValueError(f"{op.name} is not a paginated operation; use kit.call() instead")
    listing = op.output.members[pager.result_key]
    item = listing.member if listing.member is not None else listing
    context = []
    for key in pager.non_aggregate_keys:
        path = tuple(key.split("."))
        shape = op.output
        for part in path:
            shape = shape.members[part]
        context.append(Column(key, path, shape.type, dtypes.dtype_for(shape), "context"))
    if item.type == "structure":
        items = list(_item_columns(item, (), frozenset()))
    else:
        items = [Column(item.name, (), item.type, dtypes.dtype_for(item), "item")]
    provenance = [
        Column(name, (), "string", dtypes.DTYPES["string"], "provenance") for name in PROVENANCE
    ]
    taken = {c.name for c in items}
    columns = [
        *(c for c in provenance if c.name not in taken),
        *(c for c in context if c.name not in taken),
        *items,
    ]
    parent = parent_of(op.name)
    arn = next(
        (n for n, s in item.members.items() if n.endswith("Arn") and s.type == "string"), None
    )
    limit = op.input.members.get(pager.limit_key) if pager.limit_key else None
    return FramePlan(
        operation=op.name,
        method=method_name(op.name),
        snake_name=op.snake_name,
        documentation=op.documentation,
        result_key=pager.result_key,
        output_token=pager.output_token,
        page_size=int(limit.max) if limit is not None and limit.max else None,
        item_name=item.name,
        columns=tuple(columns),
        params=_params(op, {pager.input_token, pager.limit_key or ""}),
        parent=parent[0] if parent else None,
        sources=parent[1] if parent else (),
        filter_names=_filter_names(op),
        arn_column=arn,
        context_keys=tuple(pager.non_aggregate_keys),
    )


def plans(service: str = model_mod.SERVICE) -> list[FramePlan]:
    """The plan of every paginated operation, sorted by operation name."""
    return [plan(op.name, service) for op in model_mod.load(service).paginated()]
