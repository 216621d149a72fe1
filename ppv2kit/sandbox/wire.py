"""Wire types both protocols share: the response, the caller, headers, modelled error bodies.

:mod:`.protocol` (AWS JSON 1.0) and :mod:`.rpcv2cbor` (Smithy RPC v2 CBOR) both build on these;
neither imports the other's internals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import model
from . import catalog
from .errors import ServiceError

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
_ACCOUNT_KEY = re.compile(r"\d{12}")

# SigV4 signing name -> the service the sandbox emulates under that name.
SIGNING_NAMES = {"sms-voice": "pinpoint-sms-voice-v2", "monitoring": "cloudwatch"}
# X-Amz-Target prefix -> service.
TARGET_PREFIXES = {
    "PinpointSMSVoiceV2": "pinpoint-sms-voice-v2",
    "GraniteServiceVersion20100801": "cloudwatch",
}
# Smithy namespace of each other service's shape IDs (the error ``__type``).
SHAPE_NAMESPACES = {"cloudwatch": "com.amazonaws.cloudwatch"}
# The engine's service-neutral error codes -> the shape another service models for that error.
ERROR_ALIASES = {"cloudwatch": {"InternalServerException": "InternalServiceFault"}}
# awsQueryCompatible codes of errors no shape models (botocore retries ``Throttling``).
UNMODELLED_QUERY_CODES = {"ThrottlingException": "Throttling;Sender"}


@dataclass
class Response:
    """What goes back on the wire."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Caller:
    """Who is calling, read from the SigV4 Authorization header."""

    access_key: str
    account: str
    region: str
    signing_name: str


class Headers:
    """Case-insensitive read access to request headers."""

    def __init__(self, headers: Mapping[str, Any]) -> None:
        self._h = {str(k).lower(): v for k, v in headers.items()}

    def get(self, name: str, default: str = "") -> str:
        value = self._h.get(name.lower(), default)
        return value.decode() if isinstance(value, bytes) else str(value)


def caller_of(headers: Mapping[str, Any]) -> Caller:
    """Parse the caller from SigV4 ``Authorization``; refuse unsigned requests as AWS does."""
    auth = Headers(headers).get("Authorization")
    if not auth:
        raise ServiceError(
            "MissingAuthenticationTokenException",
            "Request is missing Authentication Token",
            status=403,
        )
    match = _CREDENTIAL.search(auth)
    if not auth.startswith("AWS4-HMAC-SHA256") or match is None:
        raise ServiceError(
            "IncompleteSignatureException",
            "Authorization header requires a valid SigV4 Credential=<key>/<date>/<region>/"
            "<service>/aws4_request.",
        )
    access_key, _, region, signing_name = match.groups()
    account = access_key if _ACCOUNT_KEY.fullmatch(access_key) else catalog.DEFAULT_ACCOUNT
    return Caller(access_key, account, region, signing_name)


def modelled_error(err: ServiceError, service: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    """``(status, body, headers)`` of ``err`` as ``service``'s error shapes say (CloudWatch).

    The body holds ``__type`` (the shape ID) and the shape's members only; the status is the
    shape's; an ``awsQueryCompatible`` service adds ``x-amzn-query-error: <Code>;<Fault>``,
    from which botocore takes the code its exceptions are named by (``ValidationError``...).
    """
    svc = model.load(service)
    query_compatible = "awsQueryCompatible" in svc.botocore.metadata
    shape = svc.error_shapes.get(ERROR_ALIASES.get(service, {}).get(err.code, err.code))
    if shape is None:
        payload = {"__type": err.code, "message": err.message, **err.members}
        query = UNMODELLED_QUERY_CODES.get(err.code) if query_compatible else None
        return err.status, payload, {"x-amzn-query-error": query} if query else {}
    error = shape.botocore.metadata.get("error") or {}
    status = int(error.get("httpStatusCode") or err.status)
    message_key = "message" if "message" in shape.members else "Message"
    namespace = SHAPE_NAMESPACES.get(service)
    payload = {
        "__type": f"{namespace}#{shape.name}" if namespace else shape.name,
        **{k: v for k, v in err.members.items() if k in shape.members},
        message_key: err.message,
    }
    headers = {}
    if query_compatible:
        fault = "Sender" if error.get("senderFault") or status < 500 else "Receiver"
        headers["x-amzn-query-error"] = f"{error.get('code', shape.name)};{fault}"
    return status, payload, headers
