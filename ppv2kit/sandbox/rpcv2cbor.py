"""The Smithy RPC v2 CBOR wire, the protocol CloudWatch's model declares first.

botocore 1.44 still picks AWS JSON 1.0 for CloudWatch (its protocol priority puts ``json`` before
``smithy-rpc-v2-cbor``), which :mod:`.protocol` serves; SDKs that prefer CBOR arrive here. A
request is ``POST /service/<targetPrefix>/operation/<Operation>`` with the header
``smithy-protocol: rpc-v2-cbor`` and a CBOR map body whose timestamps are CBOR tag 1 (epoch
seconds). Success is HTTP 200 with a CBOR map shaped by the operation's output (timestamps as tag
1, doubles as floats). An error carries ``__type`` (the error shape's ID), the shape's members and
the shape's HTTP status; because CloudWatch is ``awsQueryCompatible``, it also carries
``x-amzn-query-error: <Code>;<Sender|Receiver>``, where botocore takes the code its exceptions
are named by (``ValidationError``, ``InvalidParameterValue``...). Every response carries
``x-amzn-RequestId``. Errors here are always answered in CBOR, never in JSON.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import cbor2

from .. import model
from . import wire
from .errors import ServiceError, internal

if TYPE_CHECKING:
    from .engine import Sandbox

log = logging.getLogger("ppv2kit.sandbox")

CBOR_CONTENT_TYPE = "application/cbor"
# Services the sandbox serves over this protocol.
SERVICES = ("cloudwatch",)
_PATH = re.compile(r"/service/([^/?#]+)/operation/([^/?#]+)/?")


@functools.cache
def _services_by_prefix() -> dict[str, str]:
    return {model.load(name).target_prefix: name for name in SERVICES}


def handle_cbor(
    sandbox: Sandbox,
    method: str,
    path: str,
    headers: Mapping[str, Any],
    body: bytes,
    request_id: str,
) -> wire.Response:
    """Answer one RPC v2 CBOR request; never raises, always answers in CBOR."""
    service: str | None = None
    try:
        service, operation = _route(method, path)
        caller = wire.caller_of(headers)
        params = decode(body, headers)
        result = sandbox.invoke(
            operation,
            params,
            region=caller.region,
            account=caller.account,
            service=service,
            request_id=request_id,
        )
        output = model.load(service).operation(operation).output
        return _cbor_response(200, to_wire(result, output), request_id)
    except ServiceError as err:
        return error_response(err, service, request_id)
    except Exception:  # the last line of defence, as in protocol.handle
        log.exception("sandbox CBOR protocol failure (request %s)", request_id)
        err = internal("The sandbox failed to process the request", request_id)
        return error_response(err, service, request_id)


def _route(method: str, path: str) -> tuple[str, str]:
    match = _PATH.fullmatch(path.split("?")[0])
    service = _services_by_prefix().get(match[1]) if match else None
    if method.upper() != "POST" or match is None or service is None:
        raise ServiceError(
            "UnknownOperationException",
            f"{method} {path} is not an operation of a service the sandbox serves over "
            "RPC v2 CBOR (POST /service/<ServiceName>/operation/<Operation>)",
        )
    return service, match[2]


def decode(body: bytes, headers: Mapping[str, Any]) -> dict[str, Any]:
    """The request parameters: a CBOR map with timestamps as epoch seconds (floats)."""
    if not body:
        return {}
    content_type = _header(headers, "Content-Type").split(";")[0].strip()
    if content_type and content_type != CBOR_CONTENT_TYPE:
        raise ServiceError(
            "UnsupportedMediaTypeException",
            f"Content-Type {content_type!r} is not supported; use {CBOR_CONTENT_TYPE}",
            status=415,
        )
    try:
        params = cbor2.loads(body)
    except (cbor2.CBORError, ValueError, TypeError, EOFError) as err:
        raise ServiceError(
            "SerializationException", f"Request body is not valid CBOR: {err}"
        ) from None
    if not isinstance(params, dict):
        raise ServiceError("SerializationException", "Request body must be a CBOR map")
    return _plain(params)


def _header(headers: Mapping[str, Any], name: str) -> str:
    for key, value in headers.items():
        if str(key).lower() == name.lower():
            return value.decode() if isinstance(value, bytes) else str(value)
    return ""


def _plain(value: Any) -> Any:
    """CBOR values as the engine's plain values: datetimes -> epoch seconds, undefined -> None."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    if isinstance(value, dict):
        return {
            k: _plain(v) for k, v in value.items() if v is not None and v is not cbor2.undefined
        }
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is cbor2.undefined:
        return None
    return value


def to_wire(value: Any, shape: model.Shape) -> Any:
    """``value`` ready for CBOR as ``shape`` types it: timestamps tagged, doubles as floats."""
    if value is None:
        return None
    kind = shape.type
    if kind == "structure" and isinstance(value, dict):
        return {
            name: to_wire(value[name], member)
            for name, member in shape.members.items()
            if value.get(name) is not None
        }
    if kind == "list" and shape.member is not None and isinstance(value, list | tuple):
        return [to_wire(v, shape.member) for v in value]
    if kind == "map" and shape.value is not None and isinstance(value, dict):
        return {k: to_wire(v, shape.value) for k, v in value.items()}
    if kind == "timestamp":
        seconds = value.timestamp() if isinstance(value, datetime) else value
        return cbor2.CBORTag(1, float(seconds))
    if kind in ("double", "float") and isinstance(value, int | float):
        return float(value)
    if kind == "blob" and isinstance(value, str):
        return value.encode("utf-8")
    return value


def _cbor_response(
    status: int, payload: Mapping[str, Any], request_id: str, **extra_headers: str
) -> wire.Response:
    body = cbor2.dumps(dict(payload))
    headers = {
        "Content-Type": CBOR_CONTENT_TYPE,
        "Content-Length": str(len(body)),
        "smithy-protocol": "rpc-v2-cbor",
        "x-amzn-RequestId": request_id,
    }
    headers.update(extra_headers)
    return wire.Response(status, body, headers)


def error_response(err: ServiceError, service: str | None, request_id: str) -> wire.Response:
    """``err`` in CBOR, shaped by ``service``'s error shapes (:func:`wire.modelled_error`)."""
    if service is None:
        payload = {"__type": err.code, "message": err.message, **err.members}
        return _cbor_response(err.status, payload, request_id)
    status, payload, headers = wire.modelled_error(err, service)
    return _cbor_response(status, payload, request_id, **headers)
