"""Tags on every taggable resource: TagResource, UntagResource, ListTagsForResource.

A resource's tags live in its own document (``doc["Tags"]``, a list of ``{Key, Value}``), so they
go when the resource goes. A taggable resource is any document whose kind is the ARN's resource
type and whose key is the ARN's resource ID (``phone-number/phone-…``, ``sender-id/NAME/CC``,
``opt-out-list/NAME``...). More than the per-resource quota is
``ServiceQuotaExceededException`` ``TAGS_PER_RESOURCE``; an ARN that is not an sms-voice ARN of a
taggable type, or is of another region, is ``ValidationException`` ``INVALID_ARN``; an unknown
resource (or one of another account) is ``ResourceNotFoundException`` naming the ARN. ADR 0006.
"""

from __future__ import annotations

from typing import Any

from .. import arns
from ..context import Context
from ..errors import not_found, quota
from .account import quota_value


def _check_quota(ctx: Context, tags: list[dict[str, str]]) -> None:
    limit = quota_value(ctx, "TAGS_PER_RESOURCE")
    if len(tags) > limit:
        raise quota(
            "TAGS_PER_RESOURCE",
            f"A resource can have at most {limit} tags; this would make {len(tags)}.",
        )


def merge(
    existing: list[dict[str, str]] | None, new: list[dict[str, str]] | None
) -> list[dict[str, str]]:
    """``existing`` with ``new`` applied: values of existing keys overwritten, new keys appended."""
    merged = {t["Key"]: t.get("Value", "") for t in existing or []}
    for tag in new or []:
        merged[tag["Key"]] = tag.get("Value", "")
    return [{"Key": k, "Value": v} for k, v in merged.items()]


def initial_tags(ctx: Context, tags: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Tags given at create time, de-duplicated by key and checked against the quota."""
    result = merge([], tags)
    _check_quota(ctx, result)
    return result


def _resource(ctx: Context, resource_arn: str) -> tuple[str, str, dict[str, Any]]:
    parsed = arns.parse(resource_arn, "ResourceArn")
    key = ctx.resolve(resource_arn, "ResourceArn", parsed.resource_type)
    doc = ctx.store.get(parsed.resource_type, key)
    if doc is None:
        raise not_found(arns.RESOURCE_TYPES[parsed.resource_type], resource_arn)
    return parsed.resource_type, key, doc


def tag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    kind, key, doc = _resource(ctx, params["ResourceArn"])
    tags = merge(doc.get("Tags"), params["Tags"])
    _check_quota(ctx, tags)
    doc["Tags"] = tags
    ctx.store.put(kind, key, doc)
    return {}


def untag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    kind, key, doc = _resource(ctx, params["ResourceArn"])
    drop = set(params["TagKeys"])
    doc["Tags"] = [t for t in doc.get("Tags", []) if t["Key"] not in drop]
    ctx.store.put(kind, key, doc)
    return {}


def list_tags_for_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    _, _, doc = _resource(ctx, params["ResourceArn"])
    return {"ResourceArn": params["ResourceArn"], "Tags": doc.get("Tags", [])}
