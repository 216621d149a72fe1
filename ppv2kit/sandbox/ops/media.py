"""SendMediaMessage: an MMS through an MMS-capable number or pool, checked like a text send.

The checks run in the order of a text send (:mod:`~ppv2kit.sandbox.ops.sending`): the content
(a body of at most 1600 characters and/or one media file; at least one of the two), the
destination, the configuration set and protect configuration, the origination identity (a phone
number or pool with the ``MMS`` capability: :mod:`~ppv2kit.sandbox.routing` channel ``MEDIA``),
the account tier and the opt-out list, ``MaxPrice`` and the media monthly spend limit
(``MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT``, which CloudWatch's ``MediaMessageMonthlySpend`` reads).
``DryRun`` stops there. A media file is named by an ``s3://bucket/key`` URL (the model's
pattern); its type is read from the key's extension against the user guide's table of MMS file
types, and a type not in it is ``ValidationException`` ``MEDIA_TYPE_NOT_SUPPORTED``. The sandbox
holds no S3 objects but those :func:`put_media_file` places (``Sandbox.put_media_file``): a file
it holds that the service can't read, of an unsupported type or too large for its type ends
``MEDIA_FILE_INACCESSIBLE`` / ``_TYPE_UNSUPPORTED`` / ``_SIZE_EXCEEDED``; any other file is taken
as readable and small enough. An MMS is one part, one price.
Events: those of a text (:func:`~ppv2kit.sandbox.delivery.message_steps`, outcomes by
destination as :mod:`~ppv2kit.sandbox.outcomes` draws them) with ``MEDIA_`` types. Sources and
choices: ADR 0019, ADR 0023.
"""

from __future__ import annotations

import re
from typing import Any

from .. import delivery, routing
from ..context import Context
from ..errors import invalid_field
from ..kinds import MEDIA_FILE
from ..protect_rules import protect_verdict
from .sending import (
    _check_max_price,
    _check_recipient,
    _check_spend,
    _config_set,
    _message,
)

_KB = 1024
_MB = 1024 * _KB
# Extension -> (MIME type, largest file) [UG mms-limitations-character].
MEDIA_TYPES: dict[str, tuple[str, int]] = {
    "gif": ("image/gif", 2 * _MB),
    "jpg": ("image/jpeg", 2 * _MB),
    "jpeg": ("image/jpeg", 2 * _MB),
    "png": ("image/png", 2 * _MB),
    "tif": ("image/tiff", 600 * _KB),
    "tiff": ("image/tiff", 600 * _KB),
    "3gp": ("video/3gpp", 600 * _KB),
    "3g2": ("video/3gpp2", 600 * _KB),
    "amr": ("audio/amr", 600 * _KB),
    "mp4": ("video/mp4", 600 * _KB),
    "m4a": ("audio/mp4", 600 * _KB),
    "mp3": ("audio/mpeg", 600 * _KB),
    "ogg": ("audio/ogg", 600 * _KB),
    "mov": ("video/quicktime", 600 * _KB),
    "webm": ("video/webm", 600 * _KB),
    "ics": ("text/calendar", 600 * _KB),
    "vcf": ("text/vcard", 600 * _KB),
    "pdf": ("application/pdf", 600 * _KB),
}
# USD per MMS by destination country; "*" for the others. UNCONFIRMED (ADR 0019).
MMS_PRICE: dict[str, float] = {"US": 0.02000, "CA": 0.02000, "*": 0.05000}
# US carriers' MMS pass-through fee per message, USD. UNCONFIRMED (ADR 0019).
MMS_CARRIER_FEE: dict[str, float] = {"US": 0.00500}


_SUPPORTED_MIME = frozenset(mime for mime, _ in MEDIA_TYPES.values())
_LARGEST = {mime: largest for mime, largest in MEDIA_TYPES.values()}


def _extension(url: str) -> str:
    name = url.split("/", 3)[-1].rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def mms_price(country: str | None) -> float:
    """USD per MMS to ``country``."""
    return MMS_PRICE.get(country or "*", MMS_PRICE["*"])


def media_type(url: str) -> str:
    """The MIME type of the media file ``url`` names, from its extension; else
    ``ValidationException`` ``MEDIA_TYPE_NOT_SUPPORTED`` naming ``MediaUrls``."""
    extension = _extension(url)
    if extension not in MEDIA_TYPES:
        raise invalid_field(
            "MEDIA_TYPE_NOT_SUPPORTED",
            "MediaUrls",
            f"{url!r} is not a supported MMS file type; supported extensions: "
            f"{', '.join(sorted(MEDIA_TYPES))}",
        )
    return MEDIA_TYPES[extension][0]


_MEDIA_URL = re.compile(r"s3://([a-z0-9.-]{3,63})/(.+)")  # the model's MediaUrlValue pattern


def put_media_file(
    ctx: Context, url: str, size: int, content_type: str | None, accessible: bool
) -> dict[str, Any]:
    """Place a media file at ``url`` (``s3://bucket/key``): ``size`` bytes of ``content_type``
    (else the type its extension says), readable by the service or not."""
    if not _MEDIA_URL.fullmatch(url):
        raise ValueError(f"url: {url!r} is not an s3://bucket/key URL")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(f"size: {size!r} is not a number of bytes (an int, 0 or more)")
    doc = {"Url": url, "Size": size, "ContentType": content_type, "Accessible": bool(accessible)}
    ctx.store.put(MEDIA_FILE, url, doc)
    return dict(doc)


def file_problem(ctx: Context, urls: list[str]) -> str | None:
    """What the service finds wrong with the files a send names, before any carrier sees it:
    ``FILE_INACCESSIBLE``, ``FILE_TYPE_UNSUPPORTED``, ``FILE_SIZE_EXCEEDED``, or None (also for
    files the sandbox doesn't hold: their size and type are unknown, so never refused)."""
    for url in urls:
        doc = ctx.store.get(MEDIA_FILE, url)
        if doc is None:
            continue
        mime, largest = MEDIA_TYPES[_extension(url)]
        if not doc["Accessible"]:
            return "FILE_INACCESSIBLE"
        if doc["ContentType"] and doc["ContentType"] not in _SUPPORTED_MIME:
            return "FILE_TYPE_UNSUPPORTED"
        limit = _LARGEST.get(doc["ContentType"] or mime, largest)
        if doc["Size"] > limit:
            return "FILE_SIZE_EXCEEDED"
    return None


def send_media_message(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    body = params.get("MessageBody")
    urls = list(params.get("MediaUrls") or [])
    if body is None and not urls:
        raise invalid_field(
            "MISSING_PARAMETER", "MessageBody", "or MediaUrls is required to send a media message"
        )
    types = [media_type(url) for url in urls]
    dest = routing.destination(params["DestinationPhoneNumber"])
    config_set = _config_set(ctx, params)
    verdict = protect_verdict(ctx, params, dest, "MMS", config_set)  # FILTER flags refused (ADR 18)
    route = routing.route(ctx, params["OriginationIdentity"], dest, "MEDIA", None, config_set)
    _check_recipient(ctx, route, dest)
    price = mms_price(dest.country)
    fee = 0.0 if dest.simulator else MMS_CARRIER_FEE.get(dest.country or "", 0.0)
    _check_max_price(params, "MaxPrice", price, "price of the message")
    _check_spend(ctx, "MEDIA", price)
    doc = _message(ctx, "MEDIA", route, dest, params, config_set)
    if params.get("DryRun"):
        return {"MessageId": doc["MessageId"]}
    doc.update(
        MessageType=None,
        MessageBody=body,
        MediaUrls=urls,
        MediaTypes=types,
        Parts=1,
        UnitPrice=price,
        Price=price,
        CarrierFee=fee,
    )
    if verdict.configuration_id:
        doc["_Protect"] = verdict.record()
    refused = file_problem(ctx, urls) or (
        "INVALID_MESSAGE" if delivery.invalid_body(body) else None
    )
    steps = delivery.message_steps(
        "MEDIA", dest.number, dest.country, route.number_type, doc["TimeToLive"], refused
    )
    delivery.deliver(ctx, doc, steps, config_set)
    return {"MessageId": doc["MessageId"]}
