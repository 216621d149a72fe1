"""Named resources (configuration sets, opt-out lists): the create shape those families share.

A named resource is keyed by its name (its ARN's resource ID); creating one refuses a name in
use, counts against the account limit, and starts with the request's tags.
"""

from __future__ import annotations

from typing import Any

from ..context import Context
from ..errors import conflict
from ..kinds import RESOURCES
from .account import check_limit
from .tags import initial_tags


def create_named(
    ctx: Context, params: dict[str, Any], kind: str, label: str, limit: str, **fields: Any
) -> dict[str, Any]:
    """Create the ``kind`` (called ``label`` in messages) named by ``params``; its document.

    ``fields`` follow the name and ARN. ``ConflictException`` ``RESOURCE_ALREADY_EXISTS`` when
    the name is taken, ``ServiceQuotaExceededException`` past the account limit ``limit``.
    """
    resource = RESOURCES[kind]
    name = params[resource.id_member]
    if ctx.store.get(kind, name) is not None:
        raise conflict(
            "RESOURCE_ALREADY_EXISTS", f"The {label} {name!r} already exists.", kind, name
        )
    check_limit(ctx, limit)
    doc = {
        resource.id_member: name,
        resource.arn_member: ctx.arn(kind, name),
        **fields,
        "CreatedTimestamp": ctx.now,
        "Tags": initial_tags(ctx, params.get("Tags")),
    }
    ctx.store.put(kind, name, doc)
    return doc
