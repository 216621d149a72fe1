"""What a handler sees of one request: caller, region, documents, clock, ARNs, paging."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..model import Operation, Shape
from . import arns, paging
from .errors import not_found
from .store import RegionStore

if TYPE_CHECKING:
    from .engine import Sandbox


def uuid4_text(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))``, without building the UUID object."""
    bits = (bits & ~(0xF000 << 64)) | (4 << 76)  # version 4
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Context:
    """One request (or one administrative step) against one account in one region."""

    def __init__(
        self,
        sandbox: Sandbox,
        store: RegionStore,
        operation: Operation | None = None,
        request_id: str = "",
    ) -> None:
        self.sandbox = sandbox
        self.store = store
        self.operation = operation
        self.request_id = request_id
        self.now = sandbox.time()
        # Documents read many times in one request (the region's settings), by kind; whoever
        # writes such a document through its family's helper updates this too.
        self.memo: dict[str, Any] = {}

    def __repr__(self) -> str:
        name = self.operation.name if self.operation else "admin"
        return f"Context({name}, {self.account}, {self.region})"

    @property
    def account(self) -> str:
        return self.store.account

    @property
    def region(self) -> str:
        return self.store.region

    # -- identifiers ---------------------------------------------------------------------------
    @property
    def random(self) -> random.Random:
        """The sandbox's random source (deterministic while a seed loads)."""
        return self.sandbox.random

    def new_id(self, prefix: str) -> str:
        """A fresh ``<prefix>-<32 lowercase hex>`` identifier (``phone-…``, ``pool-…``)."""
        return f"{prefix}-{self.random.getrandbits(128):032x}"

    def new_uuid(self) -> str:
        """A fresh lowercase UUID (message IDs)."""
        return uuid4_text(self.random.getrandbits(128))

    def arn(self, resource_type: str, resource_id: str) -> str:
        """The ARN of a resource of this account and region."""
        return arns.arn(self.region, self.account, resource_type, resource_id)

    def resolve(self, value: str, field: str, resource_type: str) -> str:
        """The bare ID or name an "ID or ARN" input designates (see :func:`arns.resolve`)."""
        return arns.resolve(value, field, resource_type, self.region, self.account)

    def find(self, kind: str, value: str, field: str) -> dict[str, Any]:
        """The document of ``kind`` an ID/name-or-ARN input designates.

        Raises ``ResourceNotFoundException`` (ResourceType ``kind``, ResourceId ``value`` as
        given) when there is none, and what :meth:`resolve` raises for a bad ARN.
        """
        doc = self.store.get(kind, self.resolve(value, field, kind))
        if doc is None:
            raise not_found(kind, value)
        return doc

    # -- listings ------------------------------------------------------------------------------
    def item_shape(self) -> Shape:
        """The shape of one listed item of the current (paginated) operation."""
        assert self.operation is not None and self.operation.paginator is not None
        listing = self.operation.output.members[self.operation.paginator.result_key]
        assert listing.member is not None
        return listing.member

    def rows(
        self, params: Mapping[str, Any], kind: str, parent: str | None = ""
    ) -> Iterable[tuple[int, dict[str, Any]]]:
        """``(seq, doc)`` of ``kind`` from where the request's NextToken points, in order.

        Starting at the token's position (rather than skipping decoded rows) keeps a full pull
        linear in the number of documents.
        """
        return self.store.items(kind, parent, after=self.position(params))

    def position(self, params: Mapping[str, Any]) -> int:
        """The creation sequence number the request's NextToken resumes after (0 without one)."""
        assert self.operation is not None
        return paging.decode_token(self.sandbox.secret, self.operation.name, params)

    def paginate(
        self,
        params: Mapping[str, Any],
        rows: Iterable[tuple[int, Any]],
        getters: Mapping[str, paging.Getter] | None = None,
    ) -> tuple[list[Any], str | None]:
        """Apply ``Filters`` (if any) and return one page and the NextToken for the rest."""
        assert self.operation is not None
        if params.get("Filters"):
            rows = paging.filter_rows(rows, params["Filters"], self.item_shape(), getters)
        return paging.page(self.sandbox.secret, self.operation.name, params, rows)

    def listing(
        self,
        params: Mapping[str, Any],
        rows: Iterable[tuple[int, Any]],
        getters: Mapping[str, paging.Getter] | None = None,
        **context: Any,
    ) -> dict[str, Any]:
        """A whole paginated response: the result key, NextToken and any context members."""
        assert self.operation is not None and self.operation.paginator is not None
        items, token = self.paginate(params, rows, getters)
        return {self.operation.paginator.result_key: items, "NextToken": token, **context}
