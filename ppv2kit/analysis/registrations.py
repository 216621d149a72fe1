"""Registrations: every registration across regions and accounts, what is stuck and what it blocks.

:func:`registrations` reads the registration listings (registrations, their versions, field
values and associations) with the phone numbers and sender IDs into a :class:`Registrations`;
the other functions are pure views of it: :func:`registration_table` (one row per registration,
with days in its current status by the backend's clock), :func:`blocked_senders` (numbers and
sender IDs that cannot send for want of a registration), :func:`needs_action` (denials, stale
drafts, brands awaiting authentication, long reviews), :func:`status_counts`,
:func:`version_timeline` and :func:`registration_findings` (the inventory's
:class:`~ppv2kit.analysis.Finding` format).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from .findings import SEVERITIES, Finding
from .session import kit_now

if TYPE_CHECKING:
    from ..kit import Kit

HISTORY = "RegistrationVersionStatusHistory."
# Version statuses in the order a version goes through them, with their history column.
VERSION_STATUSES = (
    "DRAFT",
    "SUBMITTED",
    "AWS_REVIEWING",
    "REVIEWING",
    "REQUIRES_AUTHENTICATION",
    "APPROVED",
    "DENIED",
    "DISCARDED",
    "REVOKED",
    "ARCHIVED",
)
_COLUMN = {
    "DRAFT": "DraftTimestamp",
    "SUBMITTED": "SubmittedTimestamp",
    "AWS_REVIEWING": "AwsReviewingTimestamp",
    "REVIEWING": "ReviewingTimestamp",
    "REQUIRES_AUTHENTICATION": "RequiresAuthenticationTimestamp",
    "APPROVED": "ApprovedTimestamp",
    "DENIED": "DeniedTimestamp",
    "DISCARDED": "DiscardedTimestamp",
    "REVOKED": "RevokedTimestamp",
    "ARCHIVED": "ArchivedTimestamp",
}
# How long a review usually takes, in days, from submission (AWS's published guidance).
USUAL_REVIEW_DAYS: dict[str, int] = {
    "US_TEN_DLC_BRAND_REGISTRATION": 3,
    "US_TEN_DLC_BRAND_VETTING": 7,
    "US_TEN_DLC_CAMPAIGN_REGISTRATION": 14,
    "US_TOLL_FREE_REGISTRATION": 15,
    "US_SHORT_CODE_REGISTRATION": 84,
}
DEFAULT_REVIEW_DAYS = 21
PENDING = {"CREATED", "SUBMITTED", "AWS_REVIEWING", "REVIEWING", "PROVISIONING"}
UNDER_REVIEW = {"SUBMITTED", "AWS_REVIEWING", "REVIEWING", "PROVISIONING"}
# Which registration a US number type needs before carriers accept its traffic.
NUMBER_REGISTRATION = {
    ("US", "TEN_DLC"): "US_TEN_DLC_CAMPAIGN_REGISTRATION",
    ("US", "TOLL_FREE"): "US_TOLL_FREE_REGISTRATION",
}
# Countries where an alphanumeric sender ID must be registered before use.
SENDER_ID_REGISTRATION = {
    "AU": "AU_SENDER_ID_REGISTRATION",
    "SG": "SG_SENDER_ID_REGISTRATION",
    "AE": "AE_SENDER_ID_REGISTRATION",
    "IN": "IN_SENDER_ID_REGISTRATION",
}
_MEANING = {
    "missing": "no registration: its messages are blocked (carriers refuse unregistered 10DLC, "
    "toll-free and sender ID traffic)",
    "pending": "its registration is under review: messages are blocked until it is approved",
    "denied": "its registration was denied: messages are blocked until a new version is approved",
    "draft": "its registration is a draft that was never submitted: messages are blocked",
    "authentication": "the brand awaits authentication: messages are blocked until it is verified",
}


@dataclass
class Registrations:
    """The account's registrations as the kit's frames (AWS column names, one row per item).

    Attributes
    ----------
    registrations, versions, field_values, associations:
        ``kit.registrations()``, ``kit.registration_versions()``,
        ``kit.registration_field_values()``, ``kit.registration_associations()``.
    phone_numbers, sender_ids:
        ``kit.phone_numbers()``, ``kit.sender_ids()``: what the registrations should cover.
    backend, accounts, regions:
        Where it was read.
    taken_at:
        When, by the backend's clock (:func:`~ppv2kit.analysis.kit_now`).
    errors:
        Regions or listings that failed.
    """

    registrations: pd.DataFrame
    versions: pd.DataFrame
    field_values: pd.DataFrame
    associations: pd.DataFrame
    phone_numbers: pd.DataFrame
    sender_ids: pd.DataFrame
    backend: str = ""
    accounts: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    taken_at: pd.Timestamp | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"<Registrations {self.backend} {', '.join(self.regions)}: "
            f"registrations={len(self.registrations)}, versions={len(self.versions)}>"
        )


def registrations(
    kit: Kit, regions: Sequence[str] | None = None, *, progress: bool | None = False
) -> Registrations:
    """Read every registration (with versions, field values, associations) in ``regions``."""
    regions = list(regions or kit.regions)
    frames = {
        "registrations": kit.registrations(regions=regions, progress=progress),
        "versions": kit.registration_versions(regions=regions, progress=progress),
        "field_values": kit.registration_field_values(regions=regions, progress=progress),
        "associations": kit.registration_associations(regions=regions, progress=progress),
        "phone_numbers": kit.phone_numbers(regions=regions, progress=progress),
        "sender_ids": kit.sender_ids(regions=regions, progress=progress),
    }
    errors = [e for df in frames.values() for e in df.attrs.get("errors", [])]
    return Registrations(
        **frames,
        backend=kit.backend,
        accounts=list(kit.accounts),
        regions=regions,
        taken_at=kit_now(kit),
        errors=errors,
    )


def _now(reg: Registrations) -> pd.Timestamp:
    if reg.taken_at is None:  # never the machine's clock (ADR 16): the backend's, when read
        raise ValueError("Registrations.taken_at is needed (the backend's clock, kit.now())")
    return reg.taken_at


def _stamp(version: dict[str, Any] | None, status: str) -> Any:
    if version is None or status not in _COLUMN:
        return pd.NaT
    return version.get(HISTORY + _COLUMN[status], pd.NaT)


def _latest(version: dict[str, Any] | None) -> Any:
    if version is None:
        return pd.NaT
    stamps = [version.get(HISTORY + c) for c in _COLUMN.values()]
    stamps = [s for s in stamps if s is not None and not pd.isna(s)]
    return max(stamps) if stamps else pd.NaT


def _versions(reg: Registrations) -> dict[tuple[str, str, str, int], dict[str, Any]]:
    return {
        (v["Account"], v["Region"], v["RegistrationId"], int(v["VersionNumber"])): v
        for v in reg.versions.to_dict("records")
    }


def _version(
    versions: dict[tuple[str, str, str, int], dict[str, Any]], r: dict[str, Any], column: str
) -> dict[str, Any] | None:
    number = r.get(column)
    if number is None or pd.isna(number):
        return None
    return versions.get((r["Account"], r["Region"], r["RegistrationId"], int(number)))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _brand_names(reg: Registrations) -> dict[str, str]:
    values = reg.field_values
    names = values[values["FieldPath"] == "companyInfo.companyName"]
    return {r["RegistrationId"]: _text(r["TextValue"]) for r in names.to_dict("records")}


TABLE_COLUMNS = {
    "Account": "string",
    "Region": "string",
    "RegistrationId": "string",
    "RegistrationType": "string",
    "RegistrationStatus": "string",
    "CurrentVersionNumber": "Int64",
    "CurrentVersionStatus": "string",
    "ApprovedVersionNumber": "Int64",
    "LatestDeniedVersionNumber": "Int64",
    "StatusSince": "datetime64[us, UTC]",
    "DaysInStatus": "Float64",
    "SubmittedAt": "datetime64[us, UTC]",
    "ReviewedAt": "datetime64[us, UTC]",
    "PhoneNumbers": "object",
    "SenderIds": "object",
    "Brand": "string",
    "RegistrationArn": "string",
}


def registration_table(reg: Registrations) -> pd.DataFrame:
    """One row per registration: status, versions, days in the current status, what it covers.

    ``StatusSince`` is when the registration entered its status (the approval for ``COMPLETE``,
    the denial for ``REQUIRES_UPDATES``, else the current version's latest change);
    ``DaysInStatus`` counts from there to the backend's clock. ``SubmittedAt`` and
    ``ReviewedAt`` are the current version's. ``Brand`` is a campaign's (or vetting's) brand
    registration, with its company name.
    """
    versions = _versions(reg)
    now = _now(reg)
    brands = _brand_names(reg)
    assoc = reg.associations.to_dict("records")
    rows = []
    for r in reg.registrations.to_dict("records"):
        key = (r["Account"], r["Region"], r["RegistrationId"])
        current = _version(versions, r, "CurrentVersionNumber")
        status = str(r["RegistrationStatus"])
        if status == "COMPLETE":
            since = _stamp(_version(versions, r, "ApprovedVersionNumber"), "APPROVED")
        elif status == "REQUIRES_UPDATES":
            since = _stamp(_version(versions, r, "LatestDeniedVersionNumber"), "DENIED")
        else:
            since = _stamp(current, str(current["RegistrationVersionStatus"])) if current else None
        if since is None or pd.isna(since):
            since = _latest(current)
        mine = [a for a in assoc if (a["Account"], a["Region"], a["RegistrationId"]) == key]
        numbers = [_text(a["PhoneNumber"]) for a in mine if a["ResourceType"] == "phone-number"]
        senders = [_text(a["ResourceId"]) for a in mine if a["ResourceType"] == "sender-id"]
        brand = [a["ResourceId"] for a in mine if a["ResourceType"] == "registration"]
        reviewed = pd.NaT
        if current is not None:
            for s in ("APPROVED", "DENIED", "REQUIRES_AUTHENTICATION"):
                if not pd.isna(_stamp(current, s)):
                    reviewed = _stamp(current, s)
                    break
        rows.append(
            {
                **{c: r.get(c) for c in TABLE_COLUMNS if c in r},
                "CurrentVersionStatus": current["RegistrationVersionStatus"] if current else None,
                "StatusSince": since,
                "DaysInStatus": (
                    None if pd.isna(since) else round((now - since) / pd.Timedelta(days=1), 1)
                ),
                "SubmittedAt": _stamp(current, "SUBMITTED"),
                "ReviewedAt": reviewed,
                "PhoneNumbers": numbers,
                "SenderIds": senders,
                "Brand": (
                    ", ".join(f"{brands.get(b) or b} ({b})" for b in brand) if brand else None
                ),
            }
        )
    out = pd.DataFrame(rows, columns=list(TABLE_COLUMNS)).astype(TABLE_COLUMNS)
    return out.sort_values(["Account", "Region", "RegistrationType", "RegistrationId"]).reset_index(
        drop=True
    )


BLOCKED_COLUMNS = {
    "Account": "string",
    "Region": "string",
    "ResourceType": "string",
    "Resource": "string",
    "ResourceId": "string",
    "IsoCountryCode": "string",
    "NumberType": "string",
    "NeededRegistration": "string",
    "RegistrationId": "string",
    "RegistrationStatus": "string",
    "Problem": "string",
    "Meaning": "string",
}


def _problem(r: dict[str, Any] | None) -> str | None:
    """Why a resource covered by registration ``r`` (None: none) cannot send, or None."""
    if r is None:
        return "missing"
    approved = r.get("ApprovedVersionNumber")
    if approved is not None and not pd.isna(approved):
        return None
    status = str(r["RegistrationStatus"])
    if status == "COMPLETE":
        return None
    if status == "CREATED":
        return "draft"
    if status == "REQUIRES_AUTHENTICATION":
        return "authentication"
    if status in ("REQUIRES_UPDATES", "CLOSED", "DELETED"):
        return "denied"
    return "pending"


def blocked_senders(reg: Registrations) -> pd.DataFrame:
    """Numbers and sender IDs whose registration is missing, pending or denied, and what it means.

    US 10DLC numbers need an approved campaign and US toll-free numbers a verification; sender IDs
    in AU, SG, AE and IN need a sender ID registration. ``Problem`` is ``missing``, ``draft``,
    ``pending``, ``authentication`` or ``denied``; ``Meaning`` says what that does to traffic.
    """
    by_id = {
        (r["Account"], r["Region"], r["RegistrationId"]): r
        for r in reg.registrations.to_dict("records")
    }
    covering: dict[tuple[str, str, str], dict[str, Any]] = {}
    for a in reg.associations.to_dict("records"):
        if a["ResourceType"] in ("phone-number", "sender-id"):
            r = by_id.get((a["Account"], a["Region"], a["RegistrationId"]))
            if r is not None:
                covering[(a["Account"], a["Region"], a["ResourceId"])] = r
    rows = []
    for n in reg.phone_numbers.to_dict("records"):
        needed = NUMBER_REGISTRATION.get((n["IsoCountryCode"], n["NumberType"]))
        if needed is None:
            continue
        r = covering.get((n["Account"], n["Region"], n["PhoneNumberId"]))
        reg_id = _text(n.get("RegistrationId"))
        if r is None and reg_id:
            r = by_id.get((n["Account"], n["Region"], reg_id))
        problem = _problem(r)
        if problem:
            rows.append(
                _blocked_row(n, "phone-number", n["PhoneNumber"], n["PhoneNumberId"], needed, r)
                | {"NumberType": n["NumberType"], "Problem": problem}
            )
    for s in reg.sender_ids.to_dict("records"):
        needed = SENDER_ID_REGISTRATION.get(s["IsoCountryCode"])
        if needed is None or s.get("Registered") is True:
            continue
        r = covering.get((s["Account"], s["Region"], s["SenderId"]))
        reg_id = _text(s.get("RegistrationId"))
        if r is None and reg_id:
            r = by_id.get((s["Account"], s["Region"], reg_id))
        problem = _problem(r)
        if problem:
            rows.append(
                _blocked_row(s, "sender-id", s["SenderId"], s["SenderId"], needed, r)
                | {"Problem": problem}
            )
    for row in rows:
        row["Meaning"] = _MEANING[row["Problem"]]
    out = pd.DataFrame(rows, columns=list(BLOCKED_COLUMNS)).astype(BLOCKED_COLUMNS)
    return out.sort_values(["Account", "Region", "Problem", "Resource"]).reset_index(drop=True)


def _blocked_row(
    item: dict[str, Any],
    kind: str,
    label: str,
    resource_id: str,
    needed: str,
    r: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "Account": item["Account"],
        "Region": item["Region"],
        "ResourceType": kind,
        "Resource": label,
        "ResourceId": resource_id,
        "IsoCountryCode": item["IsoCountryCode"],
        "NumberType": None,
        "NeededRegistration": needed,
        "RegistrationId": r["RegistrationId"] if r else None,
        "RegistrationStatus": str(r["RegistrationStatus"]) if r else None,
    }


ACTION_COLUMNS = {
    "Account": "string",
    "Region": "string",
    "RegistrationId": "string",
    "RegistrationType": "string",
    "VersionNumber": "Int64",
    "Action": "string",
    "Days": "Float64",
    "Detail": "string",
}


def _reasons(version: dict[str, Any]) -> list[str]:
    out = []
    for d in version.get("DeniedReasons") or []:
        parts = [d.get("Reason"), d.get("ShortDescription"), d.get("LongDescription")]
        text = ": ".join(p for p in parts[:2] if p)
        if d.get("LongDescription"):
            text += f" ({d['LongDescription']})"
        out.append(text)
    if _text(version.get("Feedback")):
        out.append(version["Feedback"])
    return out


def denial_feedback(reg: Registrations) -> pd.DataFrame:
    """Per-field feedback of every denied version: field, its value, the reason, what to change."""
    values = reg.field_values
    mask = values["DeniedReason"].notna() | values["Feedback"].notna()
    cols = ["Account", "Region", "RegistrationId", "VersionNumber", "FieldPath"]
    out = values.loc[mask, [*cols, "TextValue", "SelectChoices", "DeniedReason", "Feedback"]]
    return out.reset_index(drop=True)


def needs_action(
    reg: Registrations, *, draft_days: float = 7, review_days: dict[str, int] | None = None
) -> pd.DataFrame:
    """What needs someone now, oldest first.

    ``DENIED``: the latest denied version of a registration not yet approved again, with the
    denial's reasons and per-field feedback in plain words. ``DRAFT``: a draft version untouched
    for ``draft_days`` or more. ``AUTHENTICATE``: a brand awaiting authentication. ``SLOW_REVIEW``:
    a review running longer than the type's usual time (:data:`USUAL_REVIEW_DAYS`, overridden by
    ``review_days``). ``Days``: how long it has been so.
    """
    usual = {**USUAL_REVIEW_DAYS, **(review_days or {})}
    versions = _versions(reg)
    now = _now(reg)
    feedback = denial_feedback(reg)
    rows: list[dict[str, Any]] = []

    def days(stamp: Any) -> float | None:
        return None if pd.isna(stamp) else round((now - stamp) / pd.Timedelta(days=1), 1)

    for r in reg.registrations.to_dict("records"):
        base = {k: r[k] for k in ("Account", "Region", "RegistrationId", "RegistrationType")}
        status = str(r["RegistrationStatus"])
        denied = _version(versions, r, "LatestDeniedVersionNumber")
        approved = r.get("ApprovedVersionNumber")
        if denied is not None and (pd.isna(approved) or approved < denied["VersionNumber"]):
            fields = feedback[
                (feedback["RegistrationId"] == r["RegistrationId"])
                & (feedback["VersionNumber"] == denied["VersionNumber"])
            ]
            notes = _reasons(denied) + [
                f"{f['FieldPath']}: "
                + "; ".join(x for x in (_text(f["DeniedReason"]), _text(f["Feedback"])) if x)
                for f in fields.to_dict("records")
            ]
            rows.append(
                base
                | {
                    "VersionNumber": denied["VersionNumber"],
                    "Action": "DENIED",
                    "Days": days(_stamp(denied, "DENIED")),
                    "Detail": " | ".join(notes) or "Denied without a stated reason.",
                }
            )
        current = _version(versions, r, "CurrentVersionNumber")
        if current is None:
            continue
        vstatus = str(current["RegistrationVersionStatus"])
        if vstatus == "DRAFT":
            touched = _latest(current)
            if days(touched) is not None and days(touched) >= draft_days:
                rows.append(
                    base
                    | {
                        "VersionNumber": current["VersionNumber"],
                        "Action": "DRAFT",
                        "Days": days(touched),
                        "Detail": (
                            f"Draft version {current['VersionNumber']} untouched for "
                            f"{days(touched):g} days: fill it and SubmitRegistrationVersion, or "
                            "DiscardRegistrationVersion."
                        ),
                    }
                )
        if status == "REQUIRES_AUTHENTICATION":
            since = _stamp(current, "REQUIRES_AUTHENTICATION")
            rows.append(
                base
                | {
                    "VersionNumber": current["VersionNumber"],
                    "Action": "AUTHENTICATE",
                    "Days": days(since),
                    "Detail": (
                        "The brand awaits authentication: the contact named in the registration "
                        "must answer the verification email before the brand can be used."
                    ),
                }
            )
        if status in UNDER_REVIEW:
            submitted = _stamp(current, "SUBMITTED")
            limit = usual.get(str(r["RegistrationType"]), DEFAULT_REVIEW_DAYS)
            waited = days(submitted)
            if waited is not None and waited > limit:
                rows.append(
                    base
                    | {
                        "VersionNumber": current["VersionNumber"],
                        "Action": "SLOW_REVIEW",
                        "Days": waited,
                        "Detail": (
                            f"In review for {waited:g} days; this type usually takes up to "
                            f"{limit} days. Check for an open support case or carrier question."
                        ),
                    }
                )
    out = pd.DataFrame(rows, columns=list(ACTION_COLUMNS)).astype(ACTION_COLUMNS)
    return out.sort_values("Days", ascending=False, na_position="last").reset_index(drop=True)


def status_counts(reg: Registrations) -> pd.DataFrame:
    """How many registrations of each type are in each status (a type per row)."""
    df = reg.registrations
    if df.empty:
        return pd.DataFrame(columns=["RegistrationType"])
    out = pd.crosstab(df["RegistrationType"].astype(str), df["RegistrationStatus"].astype(str))
    out = out.astype("Int64")
    out.columns.name = None
    return out.reset_index()


TIMELINE_COLUMNS = {
    "Account": "string",
    "Region": "string",
    "RegistrationId": "string",
    "RegistrationType": "string",
    "VersionNumber": "Int64",
    "Status": "string",
    "Start": "datetime64[us, UTC]",
    "End": "datetime64[us, UTC]",
    "Current": "boolean",
}


def version_timeline(reg: Registrations) -> pd.DataFrame:
    """Each version's statuses as spans (from ``RegistrationVersionStatusHistory``).

    A span runs from one status's timestamp to the next one's; the version's last status runs to
    the backend's clock (``Current`` true) unless it is final (approved versions stay open too).
    """
    types = {
        (r["Account"], r["Region"], r["RegistrationId"]): r["RegistrationType"]
        for r in reg.registrations.to_dict("records")
    }
    now = _now(reg)
    rows = []
    for v in reg.versions.to_dict("records"):
        stamps = sorted(
            (v[HISTORY + c], s)
            for s, c in _COLUMN.items()
            if HISTORY + c in v and not pd.isna(v[HISTORY + c])
        )
        for i, (start, status) in enumerate(stamps):
            last = i == len(stamps) - 1
            rows.append(
                {
                    "Account": v["Account"],
                    "Region": v["Region"],
                    "RegistrationId": v["RegistrationId"],
                    "RegistrationType": types.get((v["Account"], v["Region"], v["RegistrationId"])),
                    "VersionNumber": v["VersionNumber"],
                    "Status": status,
                    "Start": start,
                    "End": now if last else stamps[i + 1][0],
                    "Current": last,
                }
            )
    out = pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS)).astype(TIMELINE_COLUMNS)
    return out.sort_values(
        ["RegistrationType", "RegistrationId", "VersionNumber", "Start"]
    ).reset_index(drop=True)


def registration_findings(reg: Registrations, *, draft_days: float = 7) -> list[Finding]:
    """Blocked senders and pending actions as :class:`~ppv2kit.analysis.Finding`\\ s.

    ``REGISTRATION_MISSING``/``REGISTRATION_DENIED`` (high: messages are blocked),
    ``REGISTRATION_PENDING`` (medium) per number or sender ID; ``REGISTRATION_DENIED_VERSION``
    (high), ``REGISTRATION_AUTHENTICATION`` (medium), ``REGISTRATION_SLOW_REVIEW`` and
    ``REGISTRATION_STALE_DRAFT`` (low) per registration.
    """
    arns = {r["RegistrationId"]: r["RegistrationArn"] for r in reg.registrations.to_dict("records")}
    numbers = {
        n["PhoneNumberId"]: n["PhoneNumberArn"] for n in reg.phone_numbers.to_dict("records")
    }
    senders = {s["SenderId"]: s["SenderIdArn"] for s in reg.sender_ids.to_dict("records")}
    found = []
    for b in blocked_senders(reg).to_dict("records"):
        problem = b["Problem"]
        code, severity = {
            "missing": ("REGISTRATION_MISSING", "high"),
            "denied": ("REGISTRATION_DENIED", "high"),
        }.get(problem, ("REGISTRATION_PENDING", "medium"))
        arn = (numbers if b["ResourceType"] == "phone-number" else senders).get(b["ResourceId"])
        fix = (
            f"CreateRegistration {b['NeededRegistration']}, fill and submit it, then "
            "CreateRegistrationAssociation."
            if problem == "missing"
            else f"Follow registration {b['RegistrationId']} to approval (see its actions)."
        )
        found.append(
            Finding(
                severity=severity,
                code=code,
                resource_type=b["ResourceType"],
                resource_id=b["ResourceId"],
                resource_arn=_text(arn),
                region=b["Region"],
                account=b["Account"],
                message=f"{b['Resource']} ({b['NeededRegistration']}): {b['Meaning']}.",
                fix=fix,
            )
        )
    codes = {
        "DENIED": (
            "REGISTRATION_DENIED_VERSION",
            "high",
            "CreateRegistrationVersion from it, fix the fields named, SubmitRegistrationVersion.",
        ),
        "AUTHENTICATE": (
            "REGISTRATION_AUTHENTICATION",
            "medium",
            "Have the brand's contact answer the verification email.",
        ),
        "SLOW_REVIEW": ("REGISTRATION_SLOW_REVIEW", "low", "Open a support case for the review."),
        "DRAFT": (
            "REGISTRATION_STALE_DRAFT",
            "low",
            "SubmitRegistrationVersion or DiscardRegistrationVersion.",
        ),
    }
    for a in needs_action(reg, draft_days=draft_days).to_dict("records"):
        code, severity, fix = codes[a["Action"]]
        found.append(
            Finding(
                severity=severity,
                code=code,
                resource_type="registration",
                resource_id=a["RegistrationId"],
                resource_arn=_text(arns.get(a["RegistrationId"])),
                region=a["Region"],
                account=a["Account"],
                message=f"{a['RegistrationType']} version {a['VersionNumber']}: {a['Detail']}",
                fix=fix,
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(found, key=lambda f: (order[f.severity], f.code, f.region, f.resource_id))
