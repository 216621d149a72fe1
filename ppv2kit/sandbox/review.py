"""The simulated review of registrations, on the sandbox clock, and its status-change events.

A submitted version moves on as sandbox time passes each step's due time (the registration
type's typical review times, :mod:`.registration_catalog`): SUBMITTED -> REVIEWING -> the
decision -> (APPROVED) PROVISIONING -> COMPLETE. Nothing runs in the background: a registration is
*settled* whenever a request (or :func:`registration_events`) reads it, and every due step is
applied at the time it was due, so status histories and events carry the times they would have
had. The decision follows deterministic content rules (``RULES``) unless
:meth:`Sandbox.review <ppv2kit.sandbox.engine.Sandbox.review>` forces an outcome.

Every change of a registration's status is recorded as the service's EventBridge "Registration
Status Change" event (document kind ``registration-event``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from . import kinds
from . import registration_catalog as catalog
from .registration_catalog import Denial

if TYPE_CHECKING:
    import pandas as pd

    from .context import Context
    from .engine import Sandbox

REGISTRATION = kinds.REGISTRATION
EVENT = kinds.REGISTRATION_EVENT

HISTORY_KEYS = {
    "DRAFT": "DraftTimestamp",
    "SUBMITTED": "SubmittedTimestamp",
    "AWS_REVIEWING": "AwsReviewingTimestamp",
    "REVIEWING": "ReviewingTimestamp",
    "REQUIRES_AUTHENTICATION": "RequiresAuthenticationTimestamp",
    "APPROVED": "ApprovedTimestamp",
    "DISCARDED": "DiscardedTimestamp",
    "DENIED": "DeniedTimestamp",
    "REVOKED": "RevokedTimestamp",
    "ARCHIVED": "ArchivedTimestamp",
}
# Version statuses during which the version is with a reviewer (nothing may change).
UNDER_REVIEW = frozenset(
    {
        "SUBMITTED",
        "AWS_REVIEWING",
        "REVIEWING",
        "REQUIRES_AUTHENTICATION",
        "REQUIRES_OFFLINE_REVIEW",
    }
)
# How long the generative-AI pre-review (AwsReview) takes.
AWS_REVIEW_SECONDS = 10 * 60.0
OUTCOMES = (
    "APPROVED",
    "COMPLETE",
    "DENIED",
    "REQUIRES_AUTHENTICATION",
    "REQUIRES_OFFLINE_REVIEW",
    "REVOKED",
)


# -- versions and statuses ---------------------------------------------------------------------


def latest(doc: dict[str, Any]) -> dict[str, Any]:
    """The registration's latest (current) version."""
    return doc["_Versions"][-1]


def version(doc: dict[str, Any], number: int) -> dict[str, Any] | None:
    """Version ``number`` of the registration, if it exists."""
    return next((v for v in doc["_Versions"] if v["VersionNumber"] == number), None)


def new_version(doc: dict[str, Any], at: float) -> dict[str, Any]:
    """Append a blank DRAFT version (new versions do not copy field values: ADR 0015)."""
    number = len(doc["_Versions"]) + 1
    v = {
        "VersionNumber": number,
        "RegistrationVersionStatus": "DRAFT",
        "RegistrationVersionStatusHistory": {"DraftTimestamp": at},
        "_Values": {},
        "_AwsReview": False,
    }
    doc["_Versions"].append(v)
    doc["CurrentVersionNumber"] = number
    return v


def set_version_status(v: dict[str, Any], status: str, at: float) -> None:
    """Move a version to ``status`` at time ``at`` (recording its history timestamp)."""
    v["RegistrationVersionStatus"] = status
    key = HISTORY_KEYS.get(status)
    if key:
        v["RegistrationVersionStatusHistory"][key] = at


def set_status(ctx: Context, doc: dict[str, Any], status: str, at: float) -> None:
    """Move the registration to ``status`` at ``at`` and record the status-change event."""
    previous = doc["RegistrationStatus"]
    if previous == status:
        return
    doc["RegistrationStatus"] = status
    record_event(ctx, doc, status, at, previous)


def record_event(
    ctx: Context, doc: dict[str, Any], status: str, at: float, previous: str | None
) -> None:
    """Store one "Registration Status Change" event in the EventBridge format."""
    event_id = ctx.new_uuid()
    details: dict[str, Any] = {
        "registrationId": doc["RegistrationId"],
        "registrationVersionNumber": doc["CurrentVersionNumber"],
        "registrationType": doc["RegistrationType"],
        "registrationStatusChangeTimestamp": round(at * 1000),
        "currentStatus": status,
    }
    if previous:
        details["previousStatus"] = previous
    event = {
        "version": "0",
        "id": event_id,
        "detail-type": "Registration Status Change",
        "source": "aws.sms-voice",
        "account": ctx.account,
        "time": datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": ctx.region,
        "resources": [doc["RegistrationArn"]],
        "detail": {"registrationDetails": details, "registrationArn": doc["RegistrationArn"]},
    }
    ctx.store.put(EVENT, f"{at:017.3f}/{event_id}", event, parent=doc["RegistrationId"])


# -- the timeline ------------------------------------------------------------------------------


def schedule(doc: dict[str, Any], at: float, step: str) -> None:
    """Plan ``step`` for the latest version at ``at``."""
    doc["_Pending"].append([at, step])
    doc["_Pending"].sort(key=lambda p: p[0])


def submit(ctx: Context, doc: dict[str, Any], aws_review: bool) -> dict[str, Any]:
    """Send the latest (DRAFT) version for review now."""
    rtype = catalog.TYPES[doc["RegistrationType"]]
    v = latest(doc)
    v["_AwsReview"] = aws_review
    v["_StatusBefore"] = doc["RegistrationStatus"]
    for value in v["_Values"].values():
        value.pop("DeniedReason", None)
        value.pop("Feedback", None)
    v.pop("Feedback", None)
    if aws_review:
        set_version_status(v, "AWS_REVIEWING", ctx.now)
        set_status(ctx, doc, "AWS_REVIEWING", ctx.now)
        schedule(doc, ctx.now + AWS_REVIEW_SECONDS, "AWS_DONE")
    else:
        set_version_status(v, "SUBMITTED", ctx.now)
        set_status(ctx, doc, "SUBMITTED", ctx.now)
        schedule(doc, ctx.now + rtype.to_reviewing, "REVIEWING")
    return v


def settle(ctx: Context, doc: dict[str, Any], save: bool = True) -> dict[str, Any]:
    """Apply every step of the registration's review that is due by the sandbox clock."""
    changed = False
    while doc["_Pending"] and doc["_Pending"][0][0] <= ctx.now:
        at, step = doc["_Pending"].pop(0)
        _STEPS[step](ctx, doc, at)
        changed = True
    if changed and save:
        ctx.store.put(REGISTRATION, doc["RegistrationId"], doc)
    return doc


def _aws_done(ctx: Context, doc: dict[str, Any], at: float) -> None:
    rtype = catalog.TYPES[doc["RegistrationType"]]
    v = latest(doc)
    problems = findings(ctx, doc, v)
    if problems:
        # The pre-review hands the draft back with its feedback; nothing went to the carriers.
        _apply_feedback(v, problems)
        v["Feedback"] = " ".join(p.short for p in problems)
        set_version_status(v, "DRAFT", at)
        set_status(ctx, doc, v.get("_StatusBefore") or "CREATED", at)
        return
    v["Feedback"] = "AWS review found no problems."
    set_version_status(v, "SUBMITTED", at)
    set_status(ctx, doc, "SUBMITTED", at)
    schedule(doc, at + rtype.to_reviewing, "REVIEWING")


def _reviewing(ctx: Context, doc: dict[str, Any], at: float) -> None:
    rtype = catalog.TYPES[doc["RegistrationType"]]
    set_version_status(latest(doc), "REVIEWING", at)
    set_status(ctx, doc, "REVIEWING", at)
    schedule(doc, at + rtype.to_decision, "DECIDE")


def _decide(ctx: Context, doc: dict[str, Any], at: float) -> None:
    rtype = catalog.TYPES[doc["RegistrationType"]]
    v = latest(doc)
    problems = findings(ctx, doc, v)
    if problems:
        deny(ctx, doc, problems, at)
    elif rtype.authentication and _choice(v, "companyInfo.legalType") == "PUBLIC_PROFIT":
        set_version_status(v, "REQUIRES_AUTHENTICATION", at)
        set_status(ctx, doc, "REQUIRES_AUTHENTICATION", at)
    else:
        approve(ctx, doc, at)


#: What a registration's completion provisions (its sender ID, its campaign's numbers): set by the
#: registration family (``ops/registrations.py``), which owns the handlers that provision; the
#: review steps only say when.
on_complete: list[Callable[[Context, dict[str, Any], float], None]] = []


def _complete(ctx: Context, doc: dict[str, Any], at: float) -> None:
    set_status(ctx, doc, "COMPLETE", at)
    for provision in on_complete:
        provision(ctx, doc, at)


_STEPS: dict[str, Callable[[Context, dict[str, Any], float], None]] = {
    "AWS_DONE": _aws_done,
    "REVIEWING": _reviewing,
    "DECIDE": _decide,
    "COMPLETE": _complete,
}


def approve(ctx: Context, doc: dict[str, Any], at: float) -> None:
    """Approve the latest version at ``at``: older approved versions are ARCHIVED."""
    rtype = catalog.TYPES[doc["RegistrationType"]]
    v = latest(doc)
    for older in doc["_Versions"][:-1]:
        if older["RegistrationVersionStatus"] == "APPROVED":
            set_version_status(older, "ARCHIVED", at)
    set_version_status(v, "APPROVED", at)
    doc["ApprovedVersionNumber"] = v["VersionNumber"]
    if v.get("_StatusBefore") == "COMPLETE":
        # An update of a registration in force: nothing to provision again.
        set_status(ctx, doc, "COMPLETE", at)
        return
    set_status(ctx, doc, "PROVISIONING", at)
    schedule(doc, at + rtype.to_complete, "COMPLETE")


def deny(ctx: Context, doc: dict[str, Any], problems: list[Denial], at: float) -> None:
    """Deny the latest version at ``at`` with reasons and per-field feedback."""
    rtype = catalog.TYPES[doc["RegistrationType"]]
    v = latest(doc)
    v["DeniedReasons"] = [
        {
            "Reason": p.reason,
            "ShortDescription": p.short,
            "LongDescription": p.long,
            "DocumentationTitle": rtype.title,
            "DocumentationLink": rtype.link,
        }
        for p in problems
    ]
    v["Feedback"] = f"Denied by {rtype.authority}: " + " ".join(p.short for p in problems)
    _apply_feedback(v, problems)
    set_version_status(v, "DENIED", at)
    doc["LatestDeniedVersionNumber"] = v["VersionNumber"]
    # A denied update leaves the approved version in force.
    in_force = v.get("_StatusBefore") == "COMPLETE"
    set_status(ctx, doc, "COMPLETE" if in_force else "REQUIRES_UPDATES", at)


def _apply_feedback(v: dict[str, Any], problems: list[Denial]) -> None:
    for p in problems:
        for path, text in p.fields.items():
            value = v["_Values"].get(path)
            if value is not None:
                value["DeniedReason"] = p.reason
                value["Feedback"] = text


# -- forced outcomes (Sandbox.review) ----------------------------------------------------------


def force(
    ctx: Context,
    doc: dict[str, Any],
    outcome: str,
    reasons: Iterable[str | dict[str, Any]] | None = None,
    feedback: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Give the registration's latest version ``outcome`` now (what a reviewer would do)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    settle(ctx, doc, save=False)
    v = latest(doc)
    status = v["RegistrationVersionStatus"]
    now = ctx.now
    if outcome == "REVOKED":
        approved = [x for x in doc["_Versions"] if x["RegistrationVersionStatus"] == "APPROVED"]
        if not approved:
            raise ValueError(f"{doc['RegistrationId']} has no approved version to revoke")
        set_version_status(approved[-1], "REVOKED", now)
        doc.pop("ApprovedVersionNumber", None)
        doc["_Pending"] = []
        set_status(ctx, doc, "REQUIRES_UPDATES", now)
        return doc
    if status not in UNDER_REVIEW:
        raise ValueError(
            f"version {v['VersionNumber']} of {doc['RegistrationId']} is {status}, not under review"
        )
    doc["_Pending"] = []
    if status in ("SUBMITTED", "AWS_REVIEWING"):
        _reviewing(ctx, doc, now)
        doc["_Pending"] = []
    if outcome in ("APPROVED", "COMPLETE"):
        approve(ctx, doc, now)
        if outcome == "COMPLETE" and doc["RegistrationStatus"] == "PROVISIONING":
            doc["_Pending"] = []
            _complete(ctx, doc, now)
    elif outcome == "DENIED":
        problems = _denials(reasons, feedback) or findings(ctx, doc, v) or [_GENERIC]
        deny(ctx, doc, problems, now)
    else:  # REQUIRES_AUTHENTICATION, REQUIRES_OFFLINE_REVIEW (the registration stays REVIEWING)
        set_version_status(v, outcome, now)
        if outcome == "REQUIRES_AUTHENTICATION":
            set_status(ctx, doc, outcome, now)
    return doc


_GENERIC = Denial(
    "Registration denied",
    "The reviewer denied the registration.",
    "The reviewer did not approve this registration; review the field feedback and resubmit.",
)


def _denials(
    reasons: Iterable[str | dict[str, Any]] | None, feedback: dict[str, str] | None
) -> list[Denial]:
    out = []
    for r in reasons or ():
        if isinstance(r, str):
            out.append(Denial(r, r, r))
        else:
            out.append(
                Denial(
                    r["Reason"],
                    r.get("ShortDescription", r["Reason"]),
                    r.get("LongDescription", ""),
                )
            )
    if feedback:
        if not out:
            out.append(_GENERIC)
        out[0].fields.update(feedback)
    return out


# -- content rules -----------------------------------------------------------------------------

OPT_OUT = re.compile(r"\b(stop|opt[- ]?out|unsubscribe|cancel)\b", re.IGNORECASE)
LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
SHORTENERS = re.compile(r"\b(bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly)/", re.IGNORECASE)
GENERIC_SENDER_IDS = frozenset({"INFO", "SMS", "TEST", "VERIFY", "ALERT", "NOTICE", "OTP", "BANK"})


def _text(v: dict[str, Any], path: str) -> str:
    return (v["_Values"].get(path) or {}).get("TextValue") or ""


def _choice(v: dict[str, Any], path: str) -> str:
    choices = (v["_Values"].get(path) or {}).get("SelectChoices") or []
    return choices[0] if choices else ""


def _samples(v: dict[str, Any]) -> dict[str, str]:
    return {
        path: value["TextValue"]
        for path, value in v["_Values"].items()
        if path.startswith("messageSamples.") and value.get("TextValue")
    }


def _samples_have_opt_out(v: dict[str, Any]) -> Denial | None:
    samples = _samples(v)
    if not samples or any(OPT_OUT.search(s) for s in samples.values()):
        return None
    first = next(iter(samples))
    return Denial(
        "Opt-out language missing",
        "Message samples must show how to opt out.",
        "At least one message sample must include opt-out wording such as 'Reply STOP to opt "
        "out'. Carriers deny campaigns whose samples give no way to stop messages.",
        {first: "Add opt-out wording, for example 'Reply STOP to opt out'."},
    )


def _links_declared(v: dict[str, Any]) -> Denial | None:
    linked = [p for p, s in _samples(v).items() if LINK.search(s)]
    if not linked or _choice(v, "campaignUseCase.embeddedLink") != "No":
        return None
    return Denial(
        "Embedded link mismatch",
        "Message samples contain links but the campaign declares none.",
        "The campaign says it sends no embedded links, yet its message samples contain one. "
        "Declare embedded links and give an embedded link sample, or remove the links.",
        {"campaignUseCase.embeddedLink": "Samples contain a link; answer Yes."}
        | {p: "This sample contains a link." for p in linked},
    )


def _no_public_shorteners(v: dict[str, Any]) -> Denial | None:
    bad = [p for p, s in _samples(v).items() if SHORTENERS.search(s)]
    if not bad:
        return None
    return Denial(
        "Public URL shortener",
        "Public URL shorteners are not accepted.",
        "Links through public URL shorteners (bit.ly, tinyurl...) are filtered by carriers; use "
        "a full URL or a branded short domain.",
        {p: "Replace the public URL shortener with your own domain." for p in bad},
    )


def _samples_name_company(v: dict[str, Any]) -> Denial | None:
    company = _text(v, "companyInfo.companyName").strip()
    samples = _samples(v)
    if not company or not samples:
        return None
    words = [w for w in re.split(r"\W+", company.lower()) if len(w) > 2]
    if any(w in s.lower() for s in samples.values() for w in words[:1]):
        return None
    first = next(iter(samples))
    return Denial(
        "Business name missing from samples",
        "Message samples must name the business.",
        "Recipients must be able to tell who is texting them: include the company or brand "
        "name in the message samples.",
        {first: f"Start the message with the business name ({company})."},
    )


def _website_is_url(v: dict[str, Any]) -> Denial | None:
    site = _text(v, "contactInfo.website")
    if not site or site.lower().startswith(("http://", "https://")):
        return None
    return Denial(
        "Website not reachable",
        "The company website could not be verified.",
        "Give the full public URL of the company website.",
        {"contactInfo.website": "Give a full https:// URL."},
    )


def _domain(text: str) -> str:
    text = text.lower().split("@")[-1]
    text = re.sub(r"^https?://", "", text).split("/")[0]
    return text.removeprefix("www.")


def _support_email_matches_website(v: dict[str, Any]) -> Denial | None:
    email, site = _text(v, "contactInfo.supportEmail"), _text(v, "contactInfo.website")
    if not email or not site or _domain(email) == _domain(site):
        return None
    return Denial(
        "Email domain mismatch",
        "The support email's domain does not match the website.",
        "The Campaign Registry matches the support email's domain with the company website; "
        "use an address at the website's domain.",
        {"contactInfo.supportEmail": f"Use an address at {_domain(site)}."},
    )


def _sender_id_not_generic(v: dict[str, Any]) -> Denial | None:
    sender = _text(v, "senderIdInfo.senderId").strip().upper()
    if sender not in GENERIC_SENDER_IDS:
        return None
    return Denial(
        "Generic sender ID",
        "Generic sender IDs are not accepted.",
        "The regulator refuses generic sender IDs; use one that names the company or brand.",
        {"senderIdInfo.senderId": "Use a sender ID that names your company or brand."},
    )


RULES: dict[str, Callable[[dict[str, Any]], Denial | None]] = {
    "samples_have_opt_out": _samples_have_opt_out,
    "links_declared": _links_declared,
    "no_public_shorteners": _no_public_shorteners,
    "samples_name_company": _samples_name_company,
    "website_is_url": _website_is_url,
    "support_email_matches_website": _support_email_matches_website,
    "sender_id_not_generic": _sender_id_not_generic,
}


def findings(ctx: Context, doc: dict[str, Any], v: dict[str, Any]) -> list[Denial]:
    """What the type's content rules find wrong with version ``v`` (empty: approvable)."""
    rtype = catalog.TYPES[doc["RegistrationType"]]
    return [d for d in (RULES[name](v) for name in rtype.rules) if d is not None]


# -- the event log as a frame ------------------------------------------------------------------

EVENT_COLUMNS = {
    "time": "datetime64[ns, UTC]",
    "account": "string",
    "region": "string",
    "registrationId": "string",
    "registrationType": "category",
    "registrationVersionNumber": "Int64",
    "previousStatus": "category",
    "currentStatus": "category",
    "registrationArn": "string",
    "id": "string",
    "event": "object",
}


def settle_all(sandbox: Sandbox) -> None:
    """Settle every registration of every account and region (before reading events)."""
    for account, region in sandbox.store.regions():
        with sandbox.admin(account, region) as ctx:
            for doc in ctx.store.docs(REGISTRATION):
                settle(ctx, doc)


def events_frame(sandbox: Sandbox) -> pd.DataFrame:
    """Every "Registration Status Change" event, in time order, one row each."""
    import pandas as pd

    settle_all(sandbox)
    rows = []
    for *_, event in sandbox.store.scan(EVENT):
        d = event["detail"]["registrationDetails"]
        rows.append(
            {
                "time": pd.Timestamp(d["registrationStatusChangeTimestamp"], unit="ms", tz="UTC"),
                "account": event["account"],
                "region": event["region"],
                "registrationId": d["registrationId"],
                "registrationType": d["registrationType"],
                "registrationVersionNumber": d["registrationVersionNumber"],
                "previousStatus": d.get("previousStatus"),
                "currentStatus": d["currentStatus"],
                "registrationArn": event["detail"]["registrationArn"],
                "id": event["id"],
                "event": event,
            }
        )
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    frame = frame.astype({k: v for k, v in EVENT_COLUMNS.items() if k != "event"})
    return frame.sort_values(["time", "registrationId"], kind="stable").reset_index(drop=True)
