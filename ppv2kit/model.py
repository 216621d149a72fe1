"""The one reader of botocore's service model for pinpoint-sms-voice-v2.

Everything else in ppv2kit asks this module what the API looks like: operations, their input and
output shapes, constraints (required, enum, min/max, pattern), traits (idempotency token,
sensitive), documentation, paginators (result key, non-aggregate keys) and error shapes. Nobody
else walks botocore's raw shape dictionaries.

The view is thin: :class:`Shape` wraps a ``botocore.model.Shape`` and exposes what it already
says under stable names; structures expose their members lazily, so recursive shapes cost
nothing until they are walked.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import botocore.model
import botocore.session
from botocore import xform_name

SERVICE = "pinpoint-sms-voice-v2"

# botocore type names, the vocabulary every dispatch table in ppv2kit is keyed by.
TYPE_NAMES = (
    "string",
    "integer",
    "long",
    "float",
    "double",
    "boolean",
    "timestamp",
    "blob",
    "list",
    "map",
    "structure",
)


def plain_text(markup: str | None) -> str:
    """Return botocore's HTML documentation as plain text on one paragraph per block."""
    if not markup:
        return ""
    text = re.sub(r"</p>|<br\s*/?>|</li>", "\n", markup)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def snake_name(name: str) -> str:
    """``DescribePhoneNumbers`` -> ``describe_phone_numbers`` (botocore's own rule)."""
    return xform_name(name)


class Shape:
    """A read-only view of one botocore shape (optionally as a member of a structure).

    The model never changes, so what a view reads of it is kept (validation reads it per request).
    """

    def __init__(self, raw: botocore.model.Shape) -> None:
        self._raw = raw

    def __repr__(self) -> str:
        return f"Shape({self.name!r}, {self.type!r})"

    # -- identity and kind -------------------------------------------------------------
    @property
    def name(self) -> str:
        """The shape's name in the model (``PhoneNumberIdOrArn``)."""
        return self._raw.name

    @functools.cached_property
    def type(self) -> str:
        """botocore's type name: one of :data:`TYPE_NAMES`."""
        return self._raw.type_name

    # -- constraints -------------------------------------------------------------------
    @functools.cached_property
    def enum(self) -> tuple[str, ...]:
        """Allowed values for an enum string, else ``()``."""
        return tuple(getattr(self._raw, "enum", None) or ())

    @functools.cached_property
    def min(self) -> int | float | None:
        """Minimum length (strings), size (lists, maps) or value (numbers)."""
        return self._raw.metadata.get("min")

    @functools.cached_property
    def max(self) -> int | float | None:
        """Maximum length (strings), size (lists, maps) or value (numbers)."""
        return self._raw.metadata.get("max")

    @functools.cached_property
    def pattern(self) -> str | None:
        """The model's regular expression for strings (matched against the whole value)."""
        return self._raw.metadata.get("pattern")

    @functools.cached_property
    def regex(self) -> re.Pattern[str] | None:
        """:attr:`pattern` compiled, or ``None``."""
        return re.compile(self.pattern) if self.pattern else None

    # -- traits ------------------------------------------------------------------------
    @property
    def sensitive(self) -> bool:
        """Marked ``sensitive`` in the model (never shown or logged in clear)."""
        return bool(self._raw.metadata.get("sensitive"))

    @property
    def idempotency_token(self) -> bool:
        """Marked ``idempotencyToken``: botocore fills it with a UUID when omitted."""
        return bool(self._raw.metadata.get("idempotencyToken"))

    @property
    def documentation(self) -> str:
        """The model's documentation as plain text."""
        return plain_text(self._raw.documentation)

    # -- structure ---------------------------------------------------------------------
    @functools.cached_property
    def members(self) -> Mapping[str, Shape]:
        """Members of a structure, in model order (``{}`` for other kinds)."""
        if self.type != "structure":
            return {}
        return {name: Shape(raw) for name, raw in self._raw.members.items()}

    @functools.cached_property
    def required(self) -> frozenset[str]:
        """Names of required members of a structure."""
        if self.type != "structure":
            return frozenset()
        return frozenset(self._raw.required_members)

    @property
    def is_error(self) -> bool:
        """An exception shape."""
        return bool(self._raw.metadata.get("exception"))

    # -- containers --------------------------------------------------------------------
    @functools.cached_property
    def member(self) -> Shape | None:
        """The element shape of a list."""
        return Shape(self._raw.member) if self.type == "list" else None

    @functools.cached_property
    def key(self) -> Shape | None:
        """The key shape of a map."""
        return Shape(self._raw.key) if self.type == "map" else None

    @functools.cached_property
    def value(self) -> Shape | None:
        """The value shape of a map."""
        return Shape(self._raw.value) if self.type == "map" else None

    @property
    def botocore(self) -> botocore.model.Shape:
        """The wrapped botocore shape, for botocore's own validator and parsers."""
        return self._raw

    def walk(
        self, path: str = "", _seen: frozenset[str] = frozenset()
    ) -> Iterator[tuple[str, Shape]]:
        """Yield ``(dotted path, shape)`` for every nested member, stopping at recursion."""
        if self.type == "structure":
            if self.name in _seen:
                return
            seen = _seen | {self.name}
            for name, child in self.members.items():
                child_path = f"{path}.{name}" if path else name
                yield child_path, child
                yield from child.walk(child_path, seen)
        elif self.type == "list" and self.member is not None:
            yield from self.member.walk(f"{path}[]", _seen)


@dataclass(frozen=True)
class Paginator:
    """botocore's paginator configuration for one operation."""

    operation: str
    input_token: str
    output_token: str
    limit_key: str | None
    result_key: str
    non_aggregate_keys: tuple[str, ...]


class Operation:
    """One operation of the API."""

    def __init__(self, model: Model, raw: botocore.model.OperationModel) -> None:
        self._model = model
        self._raw = raw

    def __repr__(self) -> str:
        return f"Operation({self.name!r})"

    @property
    def name(self) -> str:
        """The model's name (``DescribePhoneNumbers``)."""
        return self._raw.name

    @property
    def snake_name(self) -> str:
        """The boto3 method name (``describe_phone_numbers``)."""
        return snake_name(self.name)

    @functools.cached_property
    def input(self) -> Shape:
        """The input structure (an empty structure view when the operation takes nothing)."""
        raw = self._raw.input_shape
        return Shape(raw) if raw is not None else _EMPTY

    @functools.cached_property
    def output(self) -> Shape:
        """The output structure."""
        raw = self._raw.output_shape
        return Shape(raw) if raw is not None else _EMPTY

    @functools.cached_property
    def errors(self) -> tuple[str, ...]:
        """Names of the exceptions this operation may raise."""
        return tuple(e.name for e in self._raw.error_shapes)

    @property
    def documentation(self) -> str:
        """The operation's documentation as plain text."""
        return plain_text(self._raw.documentation)

    @property
    def paginator(self) -> Paginator | None:
        """The paginator configuration, if the operation is paginated."""
        return self._model.paginators.get(self.name)

    @functools.cached_property
    def idempotency_token(self) -> str | None:
        """The name of the top-level idempotency-token member, if any."""
        for name, shape in self.input.members.items():
            if shape.idempotency_token:
                return name
        return None

    @property
    def botocore(self) -> botocore.model.OperationModel:
        """The wrapped botocore operation model."""
        return self._raw


class Model:
    """The service model of one AWS service as ppv2kit sees it."""

    def __init__(self, service: str = SERVICE) -> None:
        session = botocore.session.get_session()
        self.service = service
        self._service_model = session.get_service_model(service)
        loader = session.get_component("data_loader")
        try:
            raw_pages = loader.load_service_model(service, "paginators-1")["pagination"]
        except Exception:  # a service without paginators
            raw_pages = {}
        self.paginators: dict[str, Paginator] = {
            name: Paginator(
                operation=name,
                input_token=cfg["input_token"],
                output_token=cfg["output_token"],
                limit_key=cfg.get("limit_key"),
                result_key=cfg["result_key"],
                non_aggregate_keys=tuple(cfg.get("non_aggregate_keys", ())),
            )
            for name, cfg in raw_pages.items()
        }
        self._by_snake = {snake_name(n): n for n in self._service_model.operation_names}

    def __repr__(self) -> str:
        return f"Model({self.service!r}, {len(self.operation_names)} operations)"

    @property
    def botocore(self) -> botocore.model.ServiceModel:
        """The wrapped botocore service model."""
        return self._service_model

    @property
    def api_version(self) -> str:
        return self._service_model.api_version

    @property
    def target_prefix(self) -> str:
        """The ``X-Amz-Target`` prefix (``PinpointSMSVoiceV2``)."""
        return self._service_model.metadata.get("targetPrefix", "")

    @property
    def signing_name(self) -> str:
        return self._service_model.signing_name

    @property
    def protocol(self) -> str:
        return self._service_model.protocol

    @functools.cached_property
    def operation_names(self) -> tuple[str, ...]:
        """Every operation name, sorted."""
        return tuple(sorted(self._service_model.operation_names))

    def resolve(self, name: str) -> str:
        """Return the model name for a model or snake_case operation name; raise KeyError."""
        if name in self._service_model.operation_names:
            return name
        if name in self._by_snake:
            return self._by_snake[name]
        raise KeyError(f"{self.service} has no operation {name!r}")

    @functools.cache  # noqa: B019 - one Model per service for the process lifetime
    def operation(self, name: str) -> Operation:
        """The operation named ``name`` (model name or snake_case)."""
        return Operation(self, self._service_model.operation_model(self.resolve(name)))

    def operations(self) -> list[Operation]:
        """Every operation, sorted by name."""
        return [self.operation(n) for n in self.operation_names]

    def paginated(self) -> list[Operation]:
        """Operations that botocore can paginate, sorted by name."""
        return [self.operation(n) for n in sorted(self.paginators)]

    @functools.cache  # noqa: B019
    def shape(self, name: str) -> Shape:
        """A named shape."""
        return Shape(self._service_model.shape_for(name))

    @functools.cached_property
    def error_shapes(self) -> dict[str, Shape]:
        """Every exception shape by name."""
        return {
            s.name: s
            for s in (self.shape(n) for n in self._service_model.shape_names)
            if s.is_error
        }

    @functools.cached_property
    def enums(self) -> dict[str, tuple[str, ...]]:
        """Every enum shape's values, by shape name."""
        out = {}
        for name in self._service_model.shape_names:
            shape = self.shape(name)
            if shape.enum:
                out[name] = shape.enum
        return out


class _EmptyRaw:
    """Stand-in for an operation without an input or output shape."""

    name = "Empty"
    type_name = "structure"
    enum: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = MappingProxyType({})
    documentation = ""
    members: Mapping[str, Any] = MappingProxyType({})
    required_members: tuple[str, ...] = ()


_EMPTY = Shape(_EmptyRaw())  # type: ignore[arg-type]


@functools.cache
def load(service: str = SERVICE) -> Model:
    """The cached :class:`Model` for ``service`` (``pinpoint-sms-voice-v2`` by default)."""
    return Model(service)
