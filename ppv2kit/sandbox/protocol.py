"""The wire: an HTTP request in, an HTTP response out, shared by both transports.

AWS JSON 1.0 as the service speaks it: ``POST /`` with ``X-Amz-Target:
PinpointSMSVoiceV2.<Operation>`` and a JSON body; success is HTTP 200 with a JSON body, errors
are HTTP 400 (500 for ``InternalServerException``) with ``__type`` and the exception's members,
and every response carries ``x-amzn-RequestId``. The caller is read from the SigV4
``Authorization`` header: the credential scope names the region and the service; a 12-digit
access key id selects that account, any other the default account. CloudWatch arrives the same
way (``X-Amz-Target: GraniteServiceVersion20100801.<Operation>``, which botocore picks for it) or
as Smithy RPC v2 CBOR (``smithy-protocol: rpc-v2-cbor``, handed to :mod:`.rpcv2cbor`); its errors
are shaped by its own model (:func:`modelled_error`).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import model
from . import catalog
from .errors import ServiceError, internal

if TYPE_CHECKING:
    from .engine import Sandbox

log = logging.getLogger("ppv2kit.sandbox")

JSON_CONTENT_TYPE = "application/x-amz-json-1.0"
MAX_BODY = 4 * 1024 * 1024
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


class _Headers:
    """Case-insensitive read access to request headers."""

    def __init__(self, headers: Mapping[str, Any]) -> None:
        self._h = {str(k).lower(): v for k, v in headers.items()}

    def get(self, name: str, default: str = "") -> str:
        value = self._h.get(name.lower(), default)
        return value.decode() if isinstance(value, bytes) else str(value)


def caller_of(headers: Mapping[str, Any]) -> Caller:
    """Parse the caller from SigV4 ``Authorization``; refuse unsigned requests as AWS does."""
    auth = _Headers(headers).get("Authorization")
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


def _json_response(status: int, payload: Mapping[str, Any], request_id: str) -> Response:
    body = json.dumps(payload, default=_encode, separators=(",", ":")).encode()
    return Response(
        status,
        body,
        {
            "Content-Type": JSON_CONTENT_TYPE,
            "Content-Length": str(len(body)),
            "x-amzn-RequestId": request_id,
        },
    )


def _encode(value: Any) -> Any:
    if hasattr(value, "timestamp"):
        return value.timestamp()
    raise TypeError(f"cannot encode {type(value).__name__}")


def error_response(err: ServiceError, request_id: str, service: str | None = None) -> Response:
    """An error as the service encodes it (``__type`` plus members, ``x-amzn-ErrorType``)."""
    if service is not None and service != model.SERVICE:
        status, payload, headers = modelled_error(err, service)
        response = _json_response(status, payload, request_id)
        response.headers.update(headers)
        return response
    response = _json_response(err.status, err.body(), request_id)
    response.headers["x-amzn-ErrorType"] = err.code
    return response


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


def handle(
    sandbox: Sandbox, method: str, path: str, headers: Mapping[str, Any], body: bytes | None
) -> Response:
    """Answer one HTTP request; never raises."""
    request_id = str(uuid.uuid4())
    try:
        return _handle(sandbox, method, path, _Headers(headers), headers, body or b"", request_id)
    except ServiceError as err:
        return error_response(err, request_id)
    except Exception:  # the last line of defence: never an HTML page or a dropped connection
        log.exception("sandbox protocol failure (request %s)", request_id)
        return error_response(
            internal("The sandbox failed to process the request", request_id), request_id
        )


def _handle(
    sandbox: Sandbox,
    method: str,
    path: str,
    h: _Headers,
    raw_headers: Mapping[str, Any],
    body: bytes,
    request_id: str,
) -> Response:
    if len(body) > MAX_BODY:
        raise ServiceError(
            "ValidationException",
            f"Request body of {len(body)} bytes exceeds the {MAX_BODY} byte limit",
            Reason="MAXIMUM_SIZE_EXCEEDED",
        )
    if h.get("smithy-protocol") == "rpc-v2-cbor":
        from .rpcv2cbor import handle_cbor

        return handle_cbor(sandbox, method, path, raw_headers, body, request_id)
    if method.upper() != "POST" or path.split("?")[0] not in ("/", ""):
        raise ServiceError(
            "UnknownOperationException", f"{method} {path} is not an operation of this service"
        )
    target = h.get("X-Amz-Target")
    prefix, _, operation = target.partition(".")
    if not target or prefix not in TARGET_PREFIXES or not operation:
        raise ServiceError(
            "UnknownOperationException",
            f"X-Amz-Target {target!r} does not name an operation (PinpointSMSVoiceV2.<Operation>)",
        )
    caller = caller_of(raw_headers)
    content_type = h.get("Content-Type").split(";")[0].strip()
    if content_type and content_type not in (JSON_CONTENT_TYPE, "application/json"):
        raise ServiceError(
            "UnsupportedMediaTypeException",
            f"Content-Type {content_type!r} is not supported; use {JSON_CONTENT_TYPE}",
            status=415,
        )
    try:
        params = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ServiceError(
            "SerializationException", f"Request body is not valid JSON: {err}"
        ) from None
    if not isinstance(params, dict):
        raise ServiceError("SerializationException", "Request body must be a JSON object")
    service = TARGET_PREFIXES[prefix]
    try:
        result = sandbox.invoke(
            operation,
            params,
            region=caller.region,
            account=caller.account,
            service=service,
            request_id=request_id,
        )
    except ServiceError as err:
        return error_response(err, request_id, service)
    return _json_response(200, result, request_id)
