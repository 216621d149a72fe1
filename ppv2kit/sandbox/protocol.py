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

import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from .. import model
from .errors import ServiceError, internal
from .rpcv2cbor import error_response as cbor_error
from .rpcv2cbor import handle_cbor
from .wire import (  # noqa: F401 - the wire types are part of this module's interface
    ERROR_ALIASES,
    SHAPE_NAMESPACES,
    SIGNING_NAMES,
    TARGET_PREFIXES,
    UNMODELLED_QUERY_CODES,
    Caller,
    Response,
    caller_of,
    modelled_error,
)
from .wire import Headers as _Headers

if TYPE_CHECKING:
    from .engine import Sandbox

log = logging.getLogger("ppv2kit.sandbox")

JSON_CONTENT_TYPE = "application/x-amz-json-1.0"
MAX_BODY = 4 * 1024 * 1024
# -- strict SigV4 (``serve(credentials=...)``, ``--verify-signatures``) --------------------------

# A signature is refused when its time is further than this from the server's clock (as AWS).
SIGNATURE_SKEW = 15 * 60
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
_SIGV4_PART = re.compile(r"(Credential|SignedHeaders|Signature)=([^,\s]*)")
_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)


class SigningKeys(Mapping[str, str]):
    """Access key ID -> secret access key, for strict signature checks.

    Its ``repr`` names how many keys it holds and never a key or a secret, so it can sit in
    objects that get printed, logged or shown in a notebook.
    """

    def __init__(self, keys: Mapping[str, str]) -> None:
        self._keys = {str(k): str(v) for k, v in keys.items()}
        if not self._keys:
            raise ValueError("strict signature checks need at least one access key")

    def __getitem__(self, access_key: str) -> str:
        return self._keys[access_key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"SigningKeys(<{len(self)} access key{'s' if len(self) != 1 else ''}>)"


class _ReplaySigner(SigV4Auth):
    """botocore's own SigV4 signer, replaying a received request over the headers it signed."""

    def __init__(self, credentials: Credentials, service: str, region: str, signed: list[str]):
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        chosen = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or [""]:
                chosen[name] = value
        return chosen


def _auth_error(code: str, message: str, status: int = 403) -> ServiceError:
    return ServiceError(code, message, status=status)


def _signing_time(h: _Headers) -> str:
    """The request's signing time as ``YYYYMMDDTHHMMSSZ`` (``X-Amz-Date``, else ``Date``)."""
    amz_date = h.get("X-Amz-Date")
    try:
        if amz_date:
            datetime.strptime(amz_date, _AMZ_DATE)
            return amz_date
        if h.get("Date"):
            when = parsedate_to_datetime(h.get("Date")).astimezone(timezone.utc)
            return when.strftime(_AMZ_DATE)
    except (ValueError, TypeError):
        pass
    raise _auth_error(
        "IncompleteSignatureException",
        "Authorization header requires existence of either a valid 'X-Amz-Date' or a 'Date' "
        "header.",
        400,
    )


def verify_signature(
    method: str,
    path: str,
    headers: Mapping[str, Any],
    body: bytes,
    keys: Mapping[str, str],
    now: float | None = None,
) -> None:
    """Refuse a request unless it carries a valid SigV4 signature by one of ``keys``.

    The signature is recomputed with botocore's signer from what was received (method, path and
    query, the signed headers, the body) and the secret of the access key the credential scope
    names. Answers as AWS does: no ``Authorization`` -> ``MissingAuthenticationTokenException``;
    a header that is not SigV4 -> ``IncompleteSignatureException`` (400); an unknown access
    key -> ``UnrecognizedClientException``; a wrong signature, a body that does not match
    ``X-Amz-Content-SHA256``, a scope of another day or service, or a time more than 15 minutes
    from the server's clock -> ``InvalidSignatureException`` (403 unless noted).
    """
    h = _Headers(headers)
    auth = h.get("Authorization")
    if not auth:
        raise _auth_error(
            "MissingAuthenticationTokenException", "Request is missing Authentication Token"
        )
    parts = dict(_SIGV4_PART.findall(auth))
    scope = parts.get("Credential", "").split("/")
    if (
        not auth.startswith("AWS4-HMAC-SHA256 ")
        or len(scope) != 5
        or scope[4] != "aws4_request"
        or not parts.get("SignedHeaders")
        or not parts.get("Signature")
    ):
        raise _auth_error(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
            "parameters of an AWS4-HMAC-SHA256 signature.",
            400,
        )
    access_key, day, region, service, _ = scope
    secret = keys.get(access_key)
    if secret is None:
        raise _auth_error(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    stamp = _signing_time(h)
    if day != stamp[:8]:
        raise _auth_error(
            "InvalidSignatureException",
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{day}' != '{stamp[:8]}'.",
        )
    if service not in SIGNING_NAMES:
        raise _auth_error(
            "InvalidSignatureException",
            f"Credential should be scoped to correct service: one of {sorted(SIGNING_NAMES)}.",
        )
    signed_at = datetime.strptime(stamp, _AMZ_DATE).replace(tzinfo=timezone.utc).timestamp()
    clock = time.time() if now is None else now
    if abs(clock - signed_at) > SIGNATURE_SKEW:
        late = signed_at < clock
        raise _auth_error(
            "InvalidSignatureException",
            f"Signature {'expired' if late else 'not yet current'}: {stamp} is "
            f"{'now earlier' if late else 'still later'} than the server's time "
            f"{'-' if late else '+'} 15 min.",
        )
    signed = [name.strip().lower() for name in parts["SignedHeaders"].split(";") if name.strip()]
    if "host" not in signed:
        raise _auth_error("InvalidSignatureException", "'Host' must be a signed header.")
    declared = h.get("X-Amz-Content-SHA256")
    if (
        declared
        and declared != "UNSIGNED-PAYLOAD"
        and not hmac.compare_digest(declared, hashlib.sha256(body).hexdigest())
    ):
        raise _auth_error(
            "InvalidSignatureException",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    request = AWSRequest(
        method=method,
        url=f"http://{h.get('Host') or 'localhost'}{path}",
        headers={
            str(k): v.decode() if isinstance(v, bytes) else str(v) for k, v in headers.items()
        },
        data=body,
    )
    request.context["timestamp"] = stamp
    signer = _ReplaySigner(Credentials(access_key, secret), service, region, signed)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected.encode(), parts["Signature"].encode()):
        raise _auth_error("InvalidSignatureException", _MISMATCH)


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


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def parse_json(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or ``SerializationException``.

    Refused: bytes that are not UTF-8, text that is not JSON (``NaN`` and ``Infinity``, nesting
    too deep to parse, integers too long to convert), anything but an object, and ``\\uD800``-style
    escapes of unpaired surrogates, which no UTF-8 store or response can hold.
    """
    try:
        text = body.decode("utf-8")
        params = json.loads(text, parse_constant=_not_json) if text.strip() else {}
        json.dumps(params, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ServiceError(
            "SerializationException", "Request body holds an unpaired surrogate escape"
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ServiceError(
            "SerializationException", f"Request body is not valid JSON: {str(err)[:200]}"
        ) from None
    if not isinstance(params, dict):
        raise ServiceError("SerializationException", "Request body must be a JSON object")
    return params


def handle(
    sandbox: Sandbox,
    method: str,
    path: str,
    headers: Mapping[str, Any],
    body: bytes | None,
    keys: Mapping[str, str] | None = None,
) -> Response:
    """Answer one HTTP request; never raises.

    With ``keys`` (access key ID -> secret), only requests signed with one of them are served
    (:func:`verify_signature`).
    """
    request_id = str(uuid.uuid4())
    try:
        return _handle(
            sandbox, method, path, _Headers(headers), headers, body or b"", request_id, keys
        )
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
    keys: Mapping[str, str] | None = None,
) -> Response:
    if keys is not None:
        try:
            verify_signature(method, path, raw_headers, body, keys)
        except ServiceError as err:
            if h.get("smithy-protocol") == "rpc-v2-cbor":
                return cbor_error(err, None, request_id)
            raise
    if len(body) > MAX_BODY:
        raise ServiceError(
            "ValidationException",
            f"Request body of {len(body)} bytes exceeds the {MAX_BODY} byte limit",
            Reason="MAXIMUM_SIZE_EXCEEDED",
        )
    if h.get("smithy-protocol") == "rpc-v2-cbor":
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
    params = parse_json(body)
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
