"""Service errors as the real API encodes them: an exception code plus its modelled members.

Handlers raise these; the protocol layer turns them into HTTP 400 (500 for
``InternalServerException``) with a JSON body carrying ``__type`` and the members under their
exact PascalCase names, which is what botocore parses into ``ClientError.response``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ServiceError(Exception):
    """An error the sandbox answers with, shaped like the service's exception of ``code``."""

    def __init__(self, code: str, message: str, status: int = 400, **members: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.members = {k: v for k, v in members.items() if v is not None}

    def __repr__(self) -> str:
        extra = ", ".join(f"{k}={v!r}" for k, v in self.members.items())
        return f"ServiceError({self.code}: {self.message}{', ' + extra if extra else ''})"

    def body(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        return {"__type": self.code, "Message": self.message, **self.members}


def validation(reason: str, message: str, fields: Iterable[tuple[str, str]] = ()) -> ServiceError:
    """``ValidationException`` with a ``Reason`` and one ``Fields`` entry per failing member."""
    entries = [{"Name": name, "Message": msg} for name, msg in fields]
    return ServiceError("ValidationException", message, Reason=reason, Fields=entries or None)


def invalid_field(reason: str, field: str, message: str) -> ServiceError:
    """A ``ValidationException`` about one field, named in ``Fields`` and in the message."""
    return validation(reason, f"{field}: {message}", [(field, message)])


def conflict(
    reason: str, message: str, resource_type: str | None = None, resource_id: str | None = None
) -> ServiceError:
    """``ConflictException`` with its ``Reason``, ``ResourceType`` and ``ResourceId``."""
    return ServiceError(
        "ConflictException",
        message,
        Reason=reason,
        ResourceType=resource_type,
        ResourceId=resource_id,
    )


def not_found(resource_type: str, resource_id: str, message: str | None = None) -> ServiceError:
    """``ResourceNotFoundException`` naming the resource type and the ID asked for."""
    return ServiceError(
        "ResourceNotFoundException",
        message or f"The {resource_type} {resource_id!r} does not exist.",
        ResourceType=resource_type,
        ResourceId=resource_id,
    )


def quota(reason: str, message: str) -> ServiceError:
    """``ServiceQuotaExceededException`` with its ``Reason``."""
    return ServiceError("ServiceQuotaExceededException", message, Reason=reason)


def throttled(message: str = "Rate exceeded") -> ServiceError:
    """``ThrottlingException`` (botocore retries it)."""
    return ServiceError("ThrottlingException", message)


def access_denied(message: str, reason: str | None = None) -> ServiceError:
    """``AccessDeniedException`` with an optional ``Reason``."""
    return ServiceError("AccessDeniedException", message, Reason=reason)


def internal(message: str, request_id: str) -> ServiceError:
    """``InternalServerException`` (HTTP 500) carrying the request id."""
    return ServiceError("InternalServerException", message, status=500, RequestId=request_id)


class NotEmulated(ServiceError):
    """The operation exists in the model but the sandbox does not emulate it (yet)."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            "NotImplementedException",
            f"The ppv2kit sandbox does not emulate {operation} of {service} yet; "
            "see docs/sandbox-coverage.md.",
        )
