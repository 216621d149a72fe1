"""Registrations: the 18 operations of the registration forms, their versions and associations.

A registration (document kind ``registration``, key its ID) carries its versions in
``_Versions`` (each with its field values in ``_Values``), its associations in
``_Associations`` and the planned steps of its review in ``_Pending``; attachments are their own
documents (``registration-attachment``). The form of each type is in
:mod:`..registration_catalog`, the simulated review and the status-change events in
:mod:`..review`. Rules, and the choices the sources leave open, are in ADR 0015.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from ...model import load
from .. import arns, kinds, review
from .. import registration_catalog as catalog
from ..context import Context
from ..errors import ServiceError, conflict, invalid_field, quota, validation
from ..review import REGISTRATION, UNDER_REVIEW, latest
from ..validation import prune
from . import account
from .identities import PHONE, SENDER, resolve_identity, sender_key
from .sender_ids import add_sender_id
from .tags import initial_tags

ATTACHMENT = kinds.REGISTRATION_ATTACHMENT
# Attachments: PDF, JPEG or PNG up to 5 MB [today-api §1]; a URL upload lands after this long.
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
UPLOAD_SECONDS = 5.0
_MAGIC = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_URL_TYPES = (".pdf", ".png", ".jpg", ".jpeg")
_S3_URL = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\S+")


# -- finding things ----------------------------------------------------------------------------


def find_registration(ctx: Context, value: str, field: str = "RegistrationId") -> dict[str, Any]:
    """The settled registration ``value`` (ID or ARN) designates, or ResourceNotFound."""
    return review.settle(ctx, ctx.find(REGISTRATION, value, field))


def _rtype(doc: dict[str, Any]) -> catalog.RegistrationType:
    return catalog.TYPES[doc["RegistrationType"]]


def _type_named(name: str, field: str = "RegistrationType") -> catalog.RegistrationType:
    rtype = catalog.registration_type(name)
    if rtype is None:
        raise invalid_field(
            "UNKNOWN_REGISTRATION_TYPE",
            field,
            f"{name!r} is not a registration type; DescribeRegistrationTypeDefinitions lists them",
        )
    return rtype


def _save(ctx: Context, doc: dict[str, Any]) -> None:
    ctx.store.put(REGISTRATION, doc["RegistrationId"], doc)


def _version_info(doc: dict[str, Any], v: dict[str, Any]) -> dict[str, Any]:
    return {"RegistrationArn": doc["RegistrationArn"], "RegistrationId": doc["RegistrationId"], **v}


def _settled_attachment(ctx: Context, doc: dict[str, Any]) -> dict[str, Any]:
    if doc["AttachmentStatus"] == "UPLOAD_IN_PROGRESS" and ctx.now >= doc["_ReadyAt"]:
        ok = doc["AttachmentUrl"].lower().endswith(_URL_TYPES)
        doc["AttachmentStatus"] = "UPLOAD_COMPLETE" if ok else "UPLOAD_FAILED"
        if not ok:
            doc["AttachmentUploadErrorReason"] = "INTERNAL_ERROR"
        ctx.store.put(ATTACHMENT, doc["RegistrationAttachmentId"], doc)
    return doc


def _find_attachment(ctx: Context, value: str, field: str) -> dict[str, Any]:
    return _settled_attachment(ctx, ctx.find(ATTACHMENT, value, field))


# -- CreateRegistration / DeleteRegistration / DescribeRegistrations ---------------------------


def create_registration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    rtype = _type_named(params["RegistrationType"])
    account.check_limit(ctx, "REGISTRATIONS")
    tags = initial_tags(ctx, params.get("Tags"))
    reg_id = ctx.new_id("registration")
    doc: dict[str, Any] = {
        "RegistrationArn": ctx.arn(REGISTRATION, reg_id),
        "RegistrationId": reg_id,
        "RegistrationType": rtype.name,
        "RegistrationStatus": "CREATED",
        "CurrentVersionNumber": 1,
        "AdditionalAttributes": {},
        "Tags": tags,
        "CreatedTimestamp": ctx.now,
        "_Versions": [],
        "_Associations": [],
        "_Pending": [],
    }
    review.new_version(doc, ctx.now)
    review.record_event(ctx, doc, "CREATED", ctx.now, None)
    _save(ctx, doc)
    return doc


def describe_registrations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    rows = ctx.rows(params, REGISTRATION)
    if params.get("RegistrationIds"):
        wanted = {
            ctx.find(REGISTRATION, value, "RegistrationIds")["RegistrationId"]
            for value in params["RegistrationIds"]
        }
        rows = ((seq, doc) for seq, doc in rows if doc["RegistrationId"] in wanted)
    return ctx.listing(params, ((seq, review.settle(ctx, doc)) for seq, doc in rows))


def delete_registration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    reg_id = doc["RegistrationId"]
    if latest(doc)["RegistrationVersionStatus"] in UNDER_REVIEW:
        raise conflict(
            "RESOURCE_DELETION_NOT_ALLOWED",
            f"The registration {reg_id} is under review and can't be deleted until it is reviewed.",
            REGISTRATION,
            reg_id,
        )
    for other in ctx.store.docs(REGISTRATION):
        if any(a["ResourceId"] == reg_id for a in other["_Associations"]):
            raise conflict(
                "RESOURCE_DELETION_NOT_ALLOWED",
                f"The registration {reg_id} is associated with the registration "
                f"{other['RegistrationId']}; delete that one first.",
                REGISTRATION,
                reg_id,
            )
    rtype = _rtype(doc)
    in_force = doc["RegistrationStatus"] in ("PROVISIONING", "COMPLETE")
    for assoc in doc["_Associations"]:
        supported = rtype.association(assoc["ResourceType"])
        keeps = supported is None or supported.disassociation != "DELETE_REGISTRATION_DISASSOCIATES"
        if in_force and keeps and assoc["ResourceType"] != REGISTRATION:
            raise conflict(
                "RESOURCE_DELETION_NOT_ALLOWED",
                f"The registration {reg_id} is in force for {assoc['ResourceId']}; release it "
                "first.",
                REGISTRATION,
                reg_id,
            )
    for assoc in doc["_Associations"]:
        _unlink(ctx, assoc)
    doc["_Associations"] = []
    doc["_Pending"] = []
    review.set_status(ctx, doc, "DELETED", ctx.now)
    ctx.store.delete(REGISTRATION, reg_id)
    return doc


def _unlink(ctx: Context, assoc: dict[str, Any]) -> None:
    kind, key = assoc["ResourceType"], assoc["_Key"]
    if kind in (PHONE, SENDER):
        resource = ctx.store.get(kind, key)
        if resource is not None:
            resource.pop("RegistrationId", None)
            ctx.store.put(kind, key, resource)


# -- versions ----------------------------------------------------------------------------------


def create_registration_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    status = latest(doc)["RegistrationVersionStatus"]
    if status == "DRAFT" or status in UNDER_REVIEW or doc["RegistrationStatus"] == "CLOSED":
        raise conflict(
            "CREATE_REGISTRATION_VERSION_NOT_ALLOWED",
            f"Version {doc['CurrentVersionNumber']} of {doc['RegistrationId']} is {status}; a new "
            "version can be created only after a version is reviewed or discarded.",
            REGISTRATION,
            doc["RegistrationId"],
        )
    v = review.new_version(doc, ctx.now)
    _save(ctx, doc)
    return _version_info(doc, v)


def describe_registration_versions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    versions = list(doc["_Versions"])
    if params.get("VersionNumbers"):
        wanted = set(params["VersionNumbers"])
        _check_versions(doc, wanted, "VersionNumbers")
        versions = [v for v in versions if v["VersionNumber"] in wanted]
    rows = ((v["VersionNumber"], v) for v in versions)
    return ctx.listing(
        params,
        sorted(rows, key=lambda r: r[0]),
        RegistrationArn=doc["RegistrationArn"],
        RegistrationId=doc["RegistrationId"],
    )


def _check_versions(doc: dict[str, Any], wanted: set[int], field: str) -> None:
    unknown = sorted(n for n in wanted if review.version(doc, n) is None)
    if unknown:
        raise invalid_field(
            "UNKNOWN_REGISTRATION_VERSION",
            field,
            f"{doc['RegistrationId']} has no version {unknown[0]} "
            f"(versions 1 to {doc['CurrentVersionNumber']})",
        )


def submit_registration_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    reg_id = doc["RegistrationId"]
    v = latest(doc)
    status = v["RegistrationVersionStatus"]
    if status in UNDER_REVIEW:
        raise conflict(
            "REGISTRATION_ALREADY_SUBMITTED",
            f"Version {v['VersionNumber']} of {reg_id} is already submitted ({status}).",
            REGISTRATION,
            reg_id,
        )
    if status != "DRAFT":
        raise conflict(
            "SUBMIT_REGISTRATION_VERSION_NOT_ALLOWED",
            f"Version {v['VersionNumber']} of {reg_id} is {status}; only a DRAFT version can be "
            "submitted (CreateRegistrationVersion makes a new one).",
            REGISTRATION,
            reg_id,
        )
    missing = _missing(doc, v)
    if missing:
        raise conflict(
            "REGISTRATION_NOT_COMPLETE",
            f"Version {v['VersionNumber']} of {reg_id} is not complete; missing: "
            + ", ".join(missing),
            REGISTRATION,
            reg_id,
        )
    aws_review = bool(params.get("AwsReview"))
    review.submit(ctx, doc, aws_review)
    _save(ctx, doc)
    return {**_version_info(doc, v), "AwsReview": aws_review}


def _missing(doc: dict[str, Any], v: dict[str, Any]) -> list[str]:
    rtype = _rtype(doc)
    values = v["_Values"]
    out = []
    for f in rtype.fields:
        if f.path in values:
            continue
        if f.requirement == "REQUIRED":
            out.append(f.path)
        elif f.required_when is not None:
            depends, when = f.required_when
            given = values.get(depends) or {}
            if set(given.get("SelectChoices") or [given.get("TextValue")]) & set(when):
                out.append(f"{f.path} (required when {depends} is {'/'.join(when)})")
    for a in rtype.associations:
        if a.behavior != "ASSOCIATE_BEFORE_SUBMIT":
            continue
        if not any(x["ResourceType"] == a.resource_type for x in doc["_Associations"]):
            what = "/".join(a.registration_types or a.number_types) or a.resource_type
            out.append(f"an associated {a.resource_type} ({what})")
    return out


def discard_registration_version(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    v = latest(doc)
    status = v["RegistrationVersionStatus"]
    if status != "SUBMITTED":
        raise conflict(
            "DISCARD_REGISTRATION_VERSION_NOT_ALLOWED",
            f"Version {v['VersionNumber']} of {doc['RegistrationId']} is {status}; only a "
            "SUBMITTED version can be discarded.",
            REGISTRATION,
            doc["RegistrationId"],
        )
    doc["_Pending"] = []
    review.set_version_status(v, "DISCARDED", ctx.now)
    review.set_status(ctx, doc, v.get("_StatusBefore") or "CREATED", ctx.now)
    _save(ctx, doc)
    return _version_info(doc, v)


# -- field definitions and values --------------------------------------------------------------


def describe_registration_type_definitions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    types = list(catalog.TYPES.values())
    if params.get("RegistrationTypes"):
        wanted = {_type_named(n, "RegistrationTypes").name for n in params["RegistrationTypes"]}
        types = [t for t in types if t.name in wanted]
    getters = {
        "supported-association-resource-type": lambda d: [
            a["ResourceType"] for a in d["SupportedAssociations"]
        ],
        "supported-association-iso-country-code": lambda d: [
            a.get("IsoCountryCode") for a in d["SupportedAssociations"]
        ],
    }
    return ctx.listing(params, enumerate((t.definition() for t in types), 1), getters)


def _check_section(rtype: catalog.RegistrationType, path: str, field: str) -> None:
    if path not in {s[0] for s in rtype.sections}:
        raise invalid_field(
            "UNKNOWN_REGISTRATION_SECTION",
            field,
            f"{rtype.name} has no section {path!r}; sections: "
            + (", ".join(s[0] for s in rtype.sections) or "none"),
        )


def _check_field(rtype: catalog.RegistrationType, path: str, field: str) -> catalog.Field:
    found = rtype.field(path)
    if found is not None:
        return found
    section = path.split(".", 1)[0]
    if "." not in path or section not in {s[0] for s in rtype.sections}:
        raise invalid_field(
            "UNKNOWN_REGISTRATION_SECTION",
            field,
            f"{rtype.name} has no section {section!r} (in field path {path!r})",
        )
    raise invalid_field("UNKNOWN_REGISTRATION_FIELD", field, f"{rtype.name} has no field {path!r}")


def describe_registration_section_definitions(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    rtype = _type_named(params["RegistrationType"])
    sections = rtype.section_definitions()
    if params.get("SectionPaths"):
        for path in params["SectionPaths"]:
            _check_section(rtype, path, "SectionPaths")
        sections = [s for s in sections if s["SectionPath"] in params["SectionPaths"]]
    return ctx.listing(params, enumerate(sections, 1), RegistrationType=rtype.name)


def _selected_fields(
    rtype: catalog.RegistrationType, params: dict[str, Any]
) -> list[tuple[int, catalog.Field]]:
    fields = list(enumerate(rtype.fields, 1))
    if params.get("SectionPath"):
        _check_section(rtype, params["SectionPath"], "SectionPath")
        fields = [(i, f) for i, f in fields if f.section == params["SectionPath"]]
    if params.get("FieldPaths"):
        for path in params["FieldPaths"]:
            _check_field(rtype, path, "FieldPaths")
        fields = [(i, f) for i, f in fields if f.path in params["FieldPaths"]]
    return fields


def describe_registration_field_definitions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    rtype = _type_named(params["RegistrationType"])
    rows = ((i, f.definition(f.section)) for i, f in _selected_fields(rtype, params))
    return ctx.listing(params, rows, RegistrationType=rtype.name)


def describe_registration_field_values(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    rtype = _rtype(doc)
    number = params.get("VersionNumber") or doc["CurrentVersionNumber"]
    _check_versions(doc, {number}, "VersionNumber")
    v = review.version(doc, number)
    assert v is not None
    values = v["_Values"]
    rows = ((i, values[f.path]) for i, f in _selected_fields(rtype, params) if f.path in values)
    return ctx.listing(
        params,
        rows,
        RegistrationArn=doc["RegistrationArn"],
        RegistrationId=doc["RegistrationId"],
        VersionNumber=number,
    )


def _editable_draft(doc: dict[str, Any]) -> dict[str, Any]:
    v = latest(doc)
    if v["RegistrationVersionStatus"] != "DRAFT":
        raise conflict(
            "EDIT_REGISTRATION_FIELD_VALUES_NOT_ALLOWED",
            f"Version {v['VersionNumber']} of {doc['RegistrationId']} is "
            f"{v['RegistrationVersionStatus']}; field values can be edited only on a DRAFT "
            "version (CreateRegistrationVersion makes one).",
            REGISTRATION,
            doc["RegistrationId"],
        )
    return v


_VALUE_MEMBERS = {
    "SELECT": "SelectChoices",
    "TEXT": "TextValue",
    "ATTACHMENT": "RegistrationAttachmentId",
}


def _field_error(path: str, message: str) -> ServiceError:
    return validation("FIELD_VALIDATION_FAILED", f"{path}: {message}", [(path, message)])


def put_registration_field_value(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    rtype = _rtype(doc)
    path = params["FieldPath"]
    f = _check_field(rtype, path, "FieldPath")
    given = [m for m in _VALUE_MEMBERS.values() if params.get(m) is not None]
    wanted = _VALUE_MEMBERS[f.kind]
    if not given:
        raise invalid_field(
            "MISSING_PARAMETER", wanted, f"is required for the {f.kind} field {path}"
        )
    if len(given) > 1:
        raise validation(
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            f"Give only one of {', '.join(given)} (the {f.kind} field {path} takes {wanted}).",
            [(m, "only one value member may be given") for m in given],
        )
    if given[0] != wanted:
        raise _field_error(path, f"is a {f.kind} field; give {wanted}, not {given[0]}")
    value: dict[str, Any] = {"FieldPath": path}
    if f.kind == "SELECT":
        choices = list(dict.fromkeys(params["SelectChoices"]))
        lo, hi = f.choices
        if not lo <= len(choices) <= hi:
            raise _field_error(path, f"takes {lo} to {hi} choices, not {len(choices)}")
        bad = [c for c in choices if c not in f.options]
        if bad:
            raise _field_error(
                path, f"{bad[0]!r} is not an option; options: {', '.join(f.options)}"
            )
        value["SelectChoices"] = choices
    elif f.kind == "TEXT":
        text = params["TextValue"]
        lo, hi = f.length
        if not lo <= len(text) <= hi:
            raise _field_error(path, f"must be {lo} to {hi} characters long, not {len(text)}")
        if not re.fullmatch(f.pattern, text, re.DOTALL):
            raise _field_error(
                path,
                f"must match the pattern {f.pattern}"
                + (f" ({f.pattern_text})" if f.pattern_text else ""),
            )
        value["TextValue"] = text
    else:
        attachment = _find_attachment(
            ctx, params["RegistrationAttachmentId"], "RegistrationAttachmentId"
        )
        if attachment["AttachmentStatus"] != "UPLOAD_COMPLETE":
            raise conflict(
                "RESOURCE_NOT_ACTIVE",
                f"The attachment {attachment['RegistrationAttachmentId']} is "
                f"{attachment['AttachmentStatus']}, not UPLOAD_COMPLETE.",
                ATTACHMENT,
                attachment["RegistrationAttachmentId"],
            )
        value["RegistrationAttachmentId"] = attachment["RegistrationAttachmentId"]
    v = _editable_draft(doc)
    v["_Values"][path] = value
    _save(ctx, doc)
    return {
        "RegistrationArn": doc["RegistrationArn"],
        "RegistrationId": doc["RegistrationId"],
        "VersionNumber": v["VersionNumber"],
        **value,
    }


def delete_registration_field_value(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    path = params["FieldPath"]
    _check_field(_rtype(doc), path, "FieldPath")
    v = _editable_draft(doc)
    value = v["_Values"].pop(path, None) or {"FieldPath": path}
    _save(ctx, doc)
    return {
        "RegistrationArn": doc["RegistrationArn"],
        "RegistrationId": doc["RegistrationId"],
        "VersionNumber": v["VersionNumber"],
        **value,
    }


# -- attachments -------------------------------------------------------------------------------


def create_registration_attachment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    body, url = params.get("AttachmentBody"), params.get("AttachmentUrl")
    if body is None and url is None:
        raise validation(
            "MISSING_PARAMETER",
            "Give AttachmentBody or AttachmentUrl.",
            [("AttachmentBody", "one of AttachmentBody or AttachmentUrl is required")],
        )
    if body is not None and url is not None:
        raise validation(
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            "Give AttachmentBody or AttachmentUrl, not both.",
            [
                ("AttachmentBody", "not with AttachmentUrl"),
                ("AttachmentUrl", "not with AttachmentBody"),
            ],
        )
    doc: dict[str, Any] = {}
    if body is not None:
        data = _decode(body)
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise invalid_field(
                "MAXIMUM_SIZE_EXCEEDED",
                "AttachmentBody",
                f"is {len(data)} bytes; attachments may be at most {MAX_ATTACHMENT_BYTES} bytes",
            )
        content_type = next((t for m, t in _MAGIC.items() if data.startswith(m)), None)
        if content_type is None:
            raise invalid_field(
                "ATTACHMENT_TYPE_NOT_SUPPORTED", "AttachmentBody", "must be a PDF, JPEG or PNG file"
            )
        doc.update(AttachmentStatus="UPLOAD_COMPLETE", _Size=len(data), _ContentType=content_type)
    else:
        if not _S3_URL.fullmatch(url):
            raise invalid_field(
                "INVALID_PARAMETER", "AttachmentUrl", "must be an S3 object URL (s3://bucket/key)"
            )
        doc.update(AttachmentStatus="UPLOAD_IN_PROGRESS", AttachmentUrl=url)
    account.check_limit(ctx, "REGISTRATION_ATTACHMENTS")
    tags = initial_tags(ctx, params.get("Tags"))
    att_id = ctx.new_id("attachment")
    doc.update(
        RegistrationAttachmentArn=ctx.arn(ATTACHMENT, att_id),
        RegistrationAttachmentId=att_id,
        Tags=tags,
        CreatedTimestamp=ctx.now,
        _ReadyAt=ctx.now + UPLOAD_SECONDS,
    )
    ctx.store.put(ATTACHMENT, att_id, doc)
    return doc


def _decode(body: str | bytes) -> bytes:
    if isinstance(body, bytes):
        return body
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_field("CANNOT_PARSE", "AttachmentBody", "is not valid base64") from None


def describe_registration_attachments(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    rows = ctx.rows(params, ATTACHMENT)
    if params.get("RegistrationAttachmentIds"):
        wanted = {
            ctx.find(ATTACHMENT, value, "RegistrationAttachmentIds")["RegistrationAttachmentId"]
            for value in params["RegistrationAttachmentIds"]
        }
        rows = ((seq, d) for seq, d in rows if d["RegistrationAttachmentId"] in wanted)
    return ctx.listing(params, ((seq, _settled_attachment(ctx, d)) for seq, d in rows))


def delete_registration_attachment(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = _find_attachment(ctx, params["RegistrationAttachmentId"], "RegistrationAttachmentId")
    att_id = doc["RegistrationAttachmentId"]
    for reg in ctx.store.docs(REGISTRATION):
        v = latest(reg)
        used = any(x.get("RegistrationAttachmentId") == att_id for x in v["_Values"].values())
        if used and v["RegistrationVersionStatus"] in UNDER_REVIEW:
            raise conflict(
                "RESOURCE_DELETION_NOT_ALLOWED",
                f"The attachment {att_id} is part of {reg['RegistrationId']}, which is under "
                "review.",
                ATTACHMENT,
                att_id,
            )
    ctx.store.delete(ATTACHMENT, att_id)
    return {**doc, "AttachmentStatus": "DELETED"}


# -- associations ------------------------------------------------------------------------------


def _resource_kind(value: str) -> str | None:
    kind = arns.kind_of(value)
    if kind is None and value.startswith("registration-"):
        return REGISTRATION
    return kind


def create_registration_association(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    reg_id = doc["RegistrationId"]
    rtype = _rtype(doc)
    value = params["ResourceId"]
    kind = _resource_kind(value)
    supported = rtype.association(kind) if kind else None
    if supported is None:
        accepted = ", ".join(a.resource_type for a in rtype.associations) or "nothing"
        raise invalid_field(
            "INVALID_REGISTRATION_ASSOCIATION",
            "ResourceId",
            f"a {rtype.name} can be associated with: {accepted} (a phone number ID or ARN, a "
            "sender-ID ARN or a registration ID or ARN)",
        )
    if supported.behavior == "ASSOCIATE_ON_APPROVAL":
        raise invalid_field(
            "INVALID_REGISTRATION_ASSOCIATION",
            "ResourceId",
            f"the {kind} of a {rtype.name} is provisioned and associated when it is approved",
        )
    assoc = _resource(ctx, kind, value)
    if supported.iso_country_code and assoc.get("IsoCountryCode") != supported.iso_country_code:
        raise invalid_field(
            "INVALID_REGISTRATION_ASSOCIATION",
            "ResourceId",
            f"a {rtype.name} covers {supported.iso_country_code} only; {value} is "
            f"{assoc.get('IsoCountryCode')}",
        )
    if supported.number_types and assoc["_NumberType"] not in supported.number_types:
        raise invalid_field(
            "INVALID_REGISTRATION_ASSOCIATION",
            "ResourceId",
            f"a {rtype.name} takes {'/'.join(supported.number_types)} numbers; {value} is "
            f"{assoc['_NumberType']}",
        )
    if (
        supported.registration_types
        and assoc["_RegistrationType"] not in supported.registration_types
    ):
        raise invalid_field(
            "INVALID_REGISTRATION_ASSOCIATION",
            "ResourceId",
            f"a {rtype.name} takes a {'/'.join(supported.registration_types)}; {value} is a "
            f"{assoc['_RegistrationType']}",
        )
    if kind == REGISTRATION and assoc["_Status"] != "COMPLETE":
        raise conflict(
            "REGISTRATION_NOT_COMPLETE",
            f"The registration {assoc['ResourceId']} is {assoc['_Status']}; it must be COMPLETE.",
            REGISTRATION,
            assoc["ResourceId"],
        )
    status = latest(doc)["RegistrationVersionStatus"]
    if supported.behavior == "ASSOCIATE_BEFORE_SUBMIT" and status != "DRAFT":
        raise conflict(
            "RESOURCE_MODIFICATION_NOT_ALLOWED",
            f"Version {doc['CurrentVersionNumber']} of {reg_id} is {status}; a {kind} is "
            "associated before the version is submitted.",
            REGISTRATION,
            reg_id,
        )
    if supported.behavior == "ASSOCIATE_AFTER_COMPLETE" and doc["RegistrationStatus"] != "COMPLETE":
        raise conflict(
            "REGISTRATION_NOT_COMPLETE",
            f"The registration {reg_id} is {doc['RegistrationStatus']}; a {kind} is associated "
            "once it is COMPLETE.",
            REGISTRATION,
            reg_id,
        )
    if any(a["ResourceArn"] == assoc["ResourceArn"] for a in doc["_Associations"]):
        raise conflict(
            "RESOURCE_ALREADY_ASSOCIATED",
            f"{assoc['ResourceId']} is already associated with {reg_id}.",
            REGISTRATION,
            reg_id,
        )
    if assoc.get("_Owner") and assoc["_Owner"] != reg_id:
        raise conflict(
            "RESOURCE_ALREADY_ASSOCIATED",
            f"{assoc['ResourceId']} is already associated with the registration {assoc['_Owner']}.",
            kind,
            assoc["ResourceId"],
        )
    same = [a for a in doc["_Associations"] if a["ResourceType"] == kind]
    if supported.maximum and len(same) >= supported.maximum:
        reason = (
            "PHONE_NUMBERS_PER_REGISTRATION" if kind == PHONE else "ASSOCIATIONS_PER_REGISTRATION"
        )
        raise quota(
            reason, f"A {rtype.name} takes at most {supported.maximum} {kind} association(s)."
        )
    link(ctx, doc, assoc)
    _save(ctx, doc)
    return _association_info(doc, assoc)


def link(ctx: Context, doc: dict[str, Any], assoc: dict[str, Any]) -> None:
    """Record ``assoc`` on the registration and the registration on the resource."""
    stored = {k: v for k, v in assoc.items() if not k.startswith("_") or k == "_Key"}
    doc["_Associations"].append(stored)
    kind = assoc["ResourceType"]
    if kind in (PHONE, SENDER):
        resource = ctx.store.get(kind, assoc["_Key"])
        assert resource is not None
        resource["RegistrationId"] = doc["RegistrationId"]
        ctx.store.put(kind, assoc["_Key"], resource)


def _association_info(doc: dict[str, Any], assoc: dict[str, Any]) -> dict[str, Any]:
    return {
        "RegistrationArn": doc["RegistrationArn"],
        "RegistrationId": doc["RegistrationId"],
        "RegistrationType": doc["RegistrationType"],
        **{k: v for k, v in assoc.items() if not k.startswith("_")},
    }


def _resource(ctx: Context, kind: str, value: str) -> dict[str, Any]:
    """What an association records about the resource ``value`` names (private keys: checks)."""
    if kind == REGISTRATION:
        other = find_registration(ctx, value, "ResourceId")
        return {
            "ResourceArn": other["RegistrationArn"],
            "ResourceId": other["RegistrationId"],
            "ResourceType": REGISTRATION,
            "_Key": other["RegistrationId"],
            "_RegistrationType": other["RegistrationType"],
            "_Status": other["RegistrationStatus"],
        }
    if kind not in (PHONE, SENDER):
        raise invalid_field(
            "INVALID_REGISTRATION_ASSOCIATION", "ResourceId", f"a {kind} can't be associated"
        )
    identity = resolve_identity(ctx, value, "ResourceId", kinds=(kind,))
    d = identity.doc
    out = {
        "ResourceArn": identity.arn,
        "ResourceId": identity.id,
        "ResourceType": kind,
        "IsoCountryCode": d.get("IsoCountryCode"),
        "_Key": identity.key,
        "_Owner": d.get("RegistrationId"),
        "_NumberType": d.get("NumberType"),
    }
    if kind == PHONE:
        out["PhoneNumber"] = d["PhoneNumber"]
    return out


def list_registration_associations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    doc = find_registration(ctx, params["RegistrationId"])
    rows = enumerate(
        ({k: v for k, v in a.items() if not k.startswith("_")} for a in doc["_Associations"]), 1
    )
    return ctx.listing(
        params,
        rows,
        RegistrationArn=doc["RegistrationArn"],
        RegistrationId=doc["RegistrationId"],
        RegistrationType=doc["RegistrationType"],
    )


# -- what completion does ----------------------------------------------------------------------


def on_complete(ctx: Context, doc: dict[str, Any], at: float) -> None:
    """Provision what a COMPLETE registration brings: sender IDs, registry IDs."""
    rtype = _rtype(doc)
    if rtype.name == "US_TEN_DLC_BRAND_REGISTRATION":
        doc["AdditionalAttributes"].setdefault("TCR_BRAND_ID", "B" + _code(ctx))
    elif rtype.name == "US_TEN_DLC_CAMPAIGN_REGISTRATION":
        doc["AdditionalAttributes"].setdefault("TCR_CAMPAIGN_ID", "C" + _code(ctx))
    if rtype.sender_id_field:
        _provision_sender_id(ctx, doc, rtype, at)


review.on_complete.append(on_complete)


def _code(ctx: Context) -> str:
    return "".join(ctx.random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6))


def _provision_sender_id(
    ctx: Context, doc: dict[str, Any], rtype: catalog.RegistrationType, at: float
) -> None:
    assert rtype.sender_id_field is not None
    v = review.version(doc, doc.get("ApprovedVersionNumber") or doc["CurrentVersionNumber"])
    sender = ((v or {}).get("_Values", {}).get(rtype.sender_id_field) or {}).get("TextValue")
    supported = rtype.association(SENDER)
    if not sender or supported is None or not supported.iso_country_code:
        return
    sender = re.sub(r"[^A-Za-z0-9_-]", "", sender)[:11] or "SENDER"
    country = supported.iso_country_code
    key = sender_key(sender, country)
    existing = ctx.store.get(SENDER, key)
    if existing is None:
        now, ctx.now = ctx.now, at  # provisioned when the registration completed
        try:
            add_sender_id(
                ctx, sender, country, registered=True, registration_id=doc["RegistrationId"]
            )
        except ServiceError:  # no room under SENDER_IDS: the sender ID waits for a release
            return
        finally:
            ctx.now = now
        existing = ctx.store.get(SENDER, key)
        assert existing is not None
    else:
        existing["Registered"] = True
        existing["RegistrationId"] = doc["RegistrationId"]
        ctx.store.put(SENDER, key, existing)
    if not any(a["ResourceArn"] == existing["SenderIdArn"] for a in doc["_Associations"]):
        doc["_Associations"].append(
            {
                "ResourceArn": existing["SenderIdArn"],
                "ResourceId": sender,
                "ResourceType": SENDER,
                "IsoCountryCode": country,
                "_Key": key,
            }
        )


def forced_review(
    ctx: Context,
    registration_id: str,
    outcome: str,
    reasons: Any = None,
    feedback: Any = None,
) -> dict[str, Any]:
    """``Sandbox.review``: force ``outcome`` on the registration now; its description."""
    doc = ctx.store.get(REGISTRATION, ctx.resolve(registration_id, "RegistrationId", REGISTRATION))
    if doc is None:
        raise ValueError(f"no registration {registration_id!r} in {ctx.account} {ctx.region}")
    review.force(ctx, doc, outcome, reasons, dict(feedback) if feedback else None)
    _save(ctx, doc)
    return prune(doc, load().shape("RegistrationInformation"))


# -- consequences for numbers and sender IDs ---------------------------------------------------


def registration_for_new_number(
    ctx: Context, value: str, country: str, number_type: str
) -> dict[str, Any]:
    """RequestPhoneNumber's ``RegistrationId``: the registration the new number will join.

    Raises what CreateRegistrationAssociation would for a number of ``country`` and
    ``number_type`` (the number does not exist yet, so only its kind is judged).
    """
    doc = find_registration(ctx, value)
    rtype = _rtype(doc)
    supported = rtype.association(PHONE)
    problem = None
    if supported is None or supported.behavior == "ASSOCIATE_ON_APPROVAL":
        problem = f"a {rtype.name} does not take phone numbers requested for it"
    elif supported.iso_country_code and supported.iso_country_code != country:
        problem = f"a {rtype.name} covers {supported.iso_country_code} numbers, not {country}"
    elif supported.number_types and number_type not in supported.number_types:
        problem = f"a {rtype.name} takes {'/'.join(supported.number_types)} numbers"
    if problem is not None:
        raise invalid_field("INVALID_REGISTRATION_ASSOCIATION", "RegistrationId", problem)
    assert supported is not None
    status = latest(doc)["RegistrationVersionStatus"]
    if supported.behavior == "ASSOCIATE_AFTER_COMPLETE" and doc["RegistrationStatus"] != "COMPLETE":
        raise conflict(
            "REGISTRATION_NOT_COMPLETE",
            f"The registration {doc['RegistrationId']} is {doc['RegistrationStatus']}; numbers "
            "join it once it is COMPLETE.",
            REGISTRATION,
            doc["RegistrationId"],
        )
    if supported.behavior == "ASSOCIATE_BEFORE_SUBMIT" and status != "DRAFT":
        raise conflict(
            "RESOURCE_MODIFICATION_NOT_ALLOWED",
            f"Version {doc['CurrentVersionNumber']} of {doc['RegistrationId']} is {status}; its "
            "number is associated before it is submitted.",
            REGISTRATION,
            doc["RegistrationId"],
        )
    same = [a for a in doc["_Associations"] if a["ResourceType"] == PHONE]
    if supported.maximum and len(same) >= supported.maximum:
        raise quota(
            "PHONE_NUMBERS_PER_REGISTRATION",
            f"A {rtype.name} takes at most {supported.maximum} phone number(s).",
        )
    return doc


def link_new_number(ctx: Context, doc: dict[str, Any], number: dict[str, Any]) -> None:
    """Associate a just-requested number with the registration it was requested for."""
    number["RegistrationId"] = doc["RegistrationId"]
    link(
        ctx,
        doc,
        {
            "ResourceArn": number["PhoneNumberArn"],
            "ResourceId": number["PhoneNumberId"],
            "ResourceType": PHONE,
            "IsoCountryCode": number["IsoCountryCode"],
            "PhoneNumber": number["PhoneNumber"],
            "_Key": number["PhoneNumberId"],
        },
    )
    _save(ctx, doc)


def before_release(ctx: Context, kind: str, key: str, resource: dict[str, Any]) -> None:
    """Refuse to release a number or sender ID whose registration is under review, else let
    it go: the association ends, and a registration that closes without it becomes CLOSED."""
    reg_id = resource.get("RegistrationId")
    doc = ctx.store.get(REGISTRATION, reg_id) if reg_id else None
    if doc is None:
        return
    review.settle(ctx, doc)
    resource_id = resource.get("PhoneNumberId") or resource.get("SenderId") or key
    if latest(doc)["RegistrationVersionStatus"] in UNDER_REVIEW:
        raise conflict(
            "PHONE_NUMBER_ASSOCIATED_TO_REGISTRATION"
            if kind == PHONE
            else "RESOURCE_DELETION_NOT_ALLOWED",
            f"{resource_id} is associated with the registration {reg_id}, which is under "
            "review; it can be released once the review ends.",
            kind,
            resource_id,
        )
    doc["_Associations"] = [
        a for a in doc["_Associations"] if not (a["ResourceType"] == kind and a["_Key"] == key)
    ]
    supported = _rtype(doc).association(kind)
    left = [a for a in doc["_Associations"] if a["ResourceType"] == kind]
    closes = supported is not None and supported.disassociation == (
        "DISASSOCIATE_ALL_CLOSES_REGISTRATION"
    )
    if closes and not left and doc["RegistrationStatus"] in ("PROVISIONING", "COMPLETE"):
        doc["_Pending"] = []
        review.set_status(ctx, doc, "CLOSED", ctx.now)
    _save(ctx, doc)
