"""Resource policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy, and sharing.

A phone number, sender ID, pool or opt-out list may carry one resource-based policy, an
IAM-style JSON document with ``Statement`` entries (``Effect``, ``Principal``, ``Action``,
optional ``Resource``). It lives in the resource's own document (``_ResourcePolicy``), so it goes
when the resource goes. Only the owner reads or writes it: an ARN of another account is
``ResourceNotFoundException`` as everywhere else. Its effect: another account of the sandbox, in
the same region, may name the resource by ARN in a send when the policy allows it the send's
action (``sms-voice:SendTextMessage``...); :func:`shared_context` is the check. Choices: ADR 0019.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable
from typing import Any

from .. import arns
from ..context import Context
from ..errors import access_denied, invalid_field, not_found
from ..kinds import OPT_OUT_LIST, PHONE, POOL, SENDER

FIELD = "ResourceArn"
# The resource types a policy may be attached to [M PutResourcePolicy documentation].
SHAREABLE = (PHONE, SENDER, POOL, OPT_OUT_LIST)
POLICY_KIND = "policy"  # the model's ResourceType for a missing policy
_EFFECTS = ("Allow", "Deny")


# -- the policy document ----------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _strings(value: Any) -> bool:
    return all(isinstance(v, str) and v for v in _as_list(value)) and value != []


def validate_policy(text: str) -> dict[str, Any]:
    """The parsed policy, or ``ValidationException`` naming ``Policy`` and the broken rule."""
    try:
        policy = json.loads(text)
    except ValueError as err:
        raise invalid_field("CANNOT_PARSE", "Policy", f"is not JSON ({err})") from None
    if not isinstance(policy, dict):
        raise invalid_field("INVALID_PARAMETER", "Policy", "must be a JSON object")
    if "Statement" not in policy:
        raise invalid_field("MISSING_PARAMETER", "Policy", "has no Statement")
    statements = _as_list(policy["Statement"])
    if not statements:
        raise invalid_field("INVALID_PARAMETER", "Policy", "Statement is empty")
    for i, statement in enumerate(statements):
        where = f"Statement[{i}]"
        if not isinstance(statement, dict):
            raise invalid_field("INVALID_PARAMETER", "Policy", f"{where} must be a JSON object")
        if statement.get("Effect") not in _EFFECTS:
            raise invalid_field(
                "INVALID_PARAMETER", "Policy", f"{where}.Effect must be Allow or Deny"
            )
        principal = statement.get("Principal")
        if principal is None:
            raise invalid_field("MISSING_PARAMETER", "Policy", f"{where} has no Principal")
        if principal != "*" and not (
            isinstance(principal, dict) and principal and all(map(_strings, principal.values()))
        ):
            raise invalid_field(
                "INVALID_PARAMETER",
                "Policy",
                f'{where}.Principal must be "*" or a map such as {{"AWS": ["<account>"]}}',
            )
        if not _strings(statement.get("Action")):
            raise invalid_field(
                "MISSING_PARAMETER", "Policy", f"{where}.Action must name one or more actions"
            )
        if "Resource" in statement and not _strings(statement["Resource"]):
            raise invalid_field(
                "INVALID_PARAMETER", "Policy", f"{where}.Resource must be ARNs or patterns"
            )
    return policy


def _principal_matches(principal: Any, account: str) -> bool:
    if principal == "*":
        return True
    names = _as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []
    return any(
        name in ("*", account) or name.startswith(f"arn:aws:iam::{account}:") for name in names
    )


def _matches(patterns: Iterable[str], value: str) -> bool:
    return any(fnmatch.fnmatchcase(value.lower(), p.lower()) for p in patterns)


def decision(policy: dict[str, Any], account: str, action: str, resource_arn: str) -> str | None:
    """``"Deny"``, ``"Allow"`` or None (not mentioned) for ``account`` doing ``action``.

    An explicit Deny wins over any Allow; a statement with a ``Condition`` is not evaluated and
    matches nothing (ADR 0019).
    """
    found = None
    for statement in _as_list(policy.get("Statement", [])):
        if "Condition" in statement or not _principal_matches(statement["Principal"], account):
            continue
        if not _matches(_as_list(statement["Action"]), action):
            continue
        if "Resource" in statement and not _matches(_as_list(statement["Resource"]), resource_arn):
            continue
        if statement["Effect"] == "Deny":
            return "Deny"
        found = "Allow"
    return found


# -- handlers ---------------------------------------------------------------------------------


def _resource(ctx: Context, resource_arn: str) -> tuple[str, str, dict[str, Any]]:
    parsed = arns.parse(resource_arn, FIELD)
    if parsed.resource_type not in SHAREABLE:
        raise invalid_field(
            "INVALID_ARN",
            FIELD,
            f"a {parsed.resource_type} can't have a resource policy; only "
            f"{', '.join(SHAREABLE)} can",
        )
    key = ctx.resolve(resource_arn, FIELD, parsed.resource_type)
    doc = ctx.store.get(parsed.resource_type, key)
    if doc is None:
        raise not_found(parsed.resource_type, resource_arn)
    return parsed.resource_type, key, doc


def _answer(resource_arn: str, held: dict[str, Any]) -> dict[str, Any]:
    return {
        "ResourceArn": resource_arn,
        "Policy": held["Policy"],
        "CreatedTimestamp": held["CreatedTimestamp"],
    }


def _held(resource_arn: str, doc: dict[str, Any]) -> dict[str, Any]:
    held = doc.get("_ResourcePolicy")
    if held is None:
        raise not_found(
            POLICY_KIND, resource_arn, f"The resource {resource_arn!r} has no resource policy."
        )
    return held


def put_resource_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    kind, key, doc = _resource(ctx, params["ResourceArn"])
    validate_policy(params["Policy"])
    held = {"Policy": params["Policy"], "CreatedTimestamp": ctx.now}
    doc["_ResourcePolicy"] = held
    ctx.store.put(kind, key, doc)
    return _answer(params["ResourceArn"], held)


def get_resource_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    _, _, doc = _resource(ctx, params["ResourceArn"])
    return _answer(params["ResourceArn"], _held(params["ResourceArn"], doc))


def delete_resource_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    kind, key, doc = _resource(ctx, params["ResourceArn"])
    held = _held(params["ResourceArn"], doc)
    del doc["_ResourcePolicy"]
    ctx.store.put(kind, key, doc)
    return _answer(params["ResourceArn"], held)


# -- sharing ----------------------------------------------------------------------------------


def shared_context(ctx: Context, value: str, field: str) -> Context:
    """The context whose account owns the resource ``value`` names, when the caller may use it.

    ``ctx`` itself unless ``value`` is a well-formed ARN of another account in this region. Then
    the owner's resource policy must allow the caller's account the current operation
    (``sms-voice:<Operation>``) on that ARN: an explicit Deny is ``AccessDeniedException``, no
    grant (no policy, no such resource) ``ResourceNotFoundException`` naming the ARN, as for any
    other account's resource.
    """
    if not arns.is_arn(value):
        return ctx
    parsed = arns.parse(value, field)
    if parsed.account == ctx.account or parsed.region != ctx.region:
        return ctx
    kind = arns.RESOURCE_TYPES[parsed.resource_type]
    if parsed.resource_type not in SHAREABLE:
        raise not_found(kind, value)
    store = ctx.sandbox.store
    if (parsed.account, parsed.region) not in store.regions():
        raise not_found(kind, value)
    owner = Context(ctx.sandbox, store.region(parsed.account, parsed.region), ctx.operation)
    doc = owner.store.get(parsed.resource_type, parsed.resource_id)
    held = (doc or {}).get("_ResourcePolicy")
    assert ctx.operation is not None
    action = f"sms-voice:{ctx.operation.name}"
    verdict = decision(json.loads(held["Policy"]), ctx.account, action, value) if held else None
    if verdict == "Deny":
        raise access_denied(
            f"The resource policy of {value} denies account {ctx.account} {action}."
        )
    if verdict is None:
        raise not_found(kind, value)
    return owner
