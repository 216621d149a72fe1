"""What a form shows after a call: the response as a readable table, or the error in plain words.

Every string that comes from a value, a resource name or an AWS message is escaped with
:func:`html.escape` before it is put into HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# What each error code means, for people [service-behaviour §1.3].
CODE_WORDS: dict[str, str] = {
    "ValidationException": "AWS refused the values in the request.",
    "ConflictException": "The request conflicts with the current state of a resource.",
    "ResourceNotFoundException": "A resource named in the request does not exist.",
    "ServiceQuotaExceededException": "The request would exceed a quota of the account.",
    "ThrottlingException": "Too many requests: wait a moment and call again.",
    "AccessDeniedException": "The account or credentials may not make this call.",
    "InternalServerException": "AWS failed to process the request: call again.",
    "NotImplementedException": "The sandbox does not emulate this operation yet.",
}

# Reasons worth a sentence more than their name [service-behaviour §3].
REASON_WORDS: dict[str, str] = {
    "DELETION_PROTECTION_ENABLED": "Deletion protection is on: turn it off with an Update call "
    "first.",
    "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT": "The limit asked for is above the "
    "account's maximum (see DescribeSpendLimits, MaxLimit); ask AWS support to raise it.",
    "DESTINATION_PHONE_NUMBER_OPTED_OUT": "The recipient opted out on the opt-out list the "
    "origination identity uses.",
    "DESTINATION_PHONE_NUMBER_NOT_VERIFIED": "A sandbox-tier account may only send to "
    "verified destination numbers.",
    "PHONE_NUMBER_ASSOCIATED_TO_POOL": "The phone number belongs to a pool: remove it from the "
    "pool first.",
    "LAST_PHONE_NUMBER": "A pool must keep at least one phone number.",
    "RESOURCE_ALREADY_EXISTS": "A resource with this name already exists.",
    "RESOURCE_NOT_ACTIVE": "The resource is not ACTIVE yet: wait and call again.",
    "NO_ORIGINATION_IDENTITIES_FOUND": "No origination identity can reach the destination.",
}


def reason_words(reason: str | None) -> str:
    """``DELETION_PROTECTION_ENABLED`` -> a sentence people can act on."""
    if not reason:
        return ""
    return REASON_WORDS.get(reason) or reason.replace("_", " ").capitalize() + "."


@dataclass(frozen=True)
class FormError:
    """Why a form did not (or could not) call the API.

    Attributes
    ----------
    kind:
        ``validation`` (caught before any call), ``confirmation`` (a costly call needs
        ``confirm=True``), ``aws`` (the service answered with an error), ``network`` (no answer:
        calling again reuses the same ClientToken) or ``client`` (botocore refused locally).
    code, reason, message:
        The AWS error code, its ``Reason`` member and its message.
    fields:
        Member paths the error names (``Fields`` of a ValidationException, or the member whose
        value is the ``ResourceId``).
    problems:
        ``(path, message)`` pairs from validation.
    """

    kind: str
    message: str
    code: str = ""
    reason: str = ""
    fields: tuple[str, ...] = ()
    problems: tuple[tuple[str, str], ...] = ()
    response: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The error in plain words, on one line per fact."""
        lines = []
        if self.code:
            lines.append(f"{self.code}" + (f" ({self.reason})" if self.reason else ""))
            lines.append(CODE_WORDS.get(self.code, ""))
            lines.append(reason_words(self.reason))
        lines.append(self.message)
        lines += [f"{path or 'input'}: {message}" for path, message in self.problems]
        return "\n".join(line for line in lines if line)


def from_client_error(err: Any) -> FormError:
    """A :class:`FormError` from botocore's ``ClientError`` (modelled members included)."""
    response = getattr(err, "response", {}) or {}
    error = response.get("Error", {})
    names = tuple(f.get("Name", "") for f in response.get("Fields") or () if f.get("Name"))
    problems = tuple(
        (f.get("Name", ""), f.get("Message", "")) for f in response.get("Fields") or ()
    )
    return FormError(
        kind="aws",
        code=error.get("Code", type(err).__name__),
        reason=response.get("Reason") or "",
        message=error.get("Message", str(err)),
        fields=names,
        problems=problems,
        response=response,
    )


def error_html(error: FormError) -> str:
    """The error as an HTML block (``ppv2kit-error``), every value escaped."""
    esc = html.escape
    head = esc(error.code) if error.code else esc(error.kind.capitalize())
    reason = (
        f' <code class="ppv2kit-error-reason">{esc(error.reason)}</code>' if error.reason else ""
    )
    words = [CODE_WORDS.get(error.code, ""), reason_words(error.reason)] if error.code else []
    body = "".join(f"<div>{esc(w)}</div>" for w in words if w)
    body += (
        f'<div class="ppv2kit-error-message">{esc(error.message)}</div>' if error.message else ""
    )
    if error.problems:
        items = "".join(
            f"<li><code>{esc(p or 'input')}</code>: {esc(m)}</li>" for p, m in error.problems
        )
        body += f"<ul>{items}</ul>"
    return (
        '<div class="ppv2kit-error" style="border-left:4px solid #b00020;padding:4px 8px">'
        f'<b class="ppv2kit-error-code">{head}</b>{reason}{body}</div>'
    )


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return html.escape(value.isoformat())
    if isinstance(value, Mapping):
        return _table(value)
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, Mapping) for v in value):
            return "".join(_table(v) for v in value)
        return html.escape(", ".join(str(v) for v in value))
    return html.escape(str(value))


def _table(data: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td>{_cell(v)}</td></tr>"
        for k, v in data.items()
    )
    return f"<table>{rows}</table>"


def response_html(response: Mapping[str, Any], title: str = "") -> str:
    """The response (without ``ResponseMetadata``) as a two-column table (``ppv2kit-response``)."""
    data = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    request_id = (response.get("ResponseMetadata") or {}).get("RequestId", "")
    body = _table(data) if data else "<i>The call succeeded; it returns nothing else.</i>"
    foot = f"<small>request {html.escape(request_id)}</small>" if request_id else ""
    head = f"<b>{html.escape(title)}</b>" if title else ""
    return f'<div class="ppv2kit-response">{head}{body}{foot}</div>'


def problems_html(problems: Sequence[tuple[str, str]]) -> str:
    """Validation problems as an error block."""
    return error_html(
        FormError(
            kind="validation",
            message="Fix these values; nothing was sent.",
            problems=tuple(problems),
        )
    )
