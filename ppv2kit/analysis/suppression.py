"""Suppression check: before a campaign, who on a contact list would be refused, and why.

The service refuses a send whose destination is on the opt-out list that applies to the
origination identity used (``ConflictException`` ``DESTINATION_PHONE_NUMBER_OPTED_OUT``; the
pool's list for a pool or a pooled number, the ``Default`` list for a sender ID on its own), and
a destination that is not an E.164 number (``ValidationException``). :func:`suppression_check`
applies both rules to a contact list read by :func:`read_contacts` (CSV, Excel, an upload
widget's value, or a DataFrame) and says which contact is blocked, by which list, since when,
and whether the recipient or an operator put them there.
"""

from __future__ import annotations

import io
import os
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import phonenumbers

from .. import sms
from .identities import Identity, find_identity
from .inventory import Inventory, inventory
from .optouts import END_USER, MANUAL

OPTED_OUT = "OPTED_OUT"
INVALID_NUMBER = "INVALID_NUMBER"
REASONS = pd.CategoricalDtype([OPTED_OUT, INVALID_NUMBER])
_PHONE_HINTS = ("phonenumber", "phone", "mobile", "msisdn", "cell", "destination", "number", "to")

Contacts = pd.DataFrame | str | os.PathLike[str] | bytes | Sequence[Mapping[str, Any]]


def _phone_column(df: pd.DataFrame, column: str | None) -> str:
    if column is not None:
        if column not in df.columns:
            raise KeyError(f"no column {column!r} in the contacts ({', '.join(map(str, df))})")
        return column
    flat = {str(c).lower().replace("_", "").replace(" ", "").replace("-", ""): c for c in df}
    for hint in _PHONE_HINTS:
        for key, col in flat.items():
            if key == hint or (len(hint) > 2 and hint in key):
                return col
    if len(df.columns) == 0:
        raise ValueError("the contact list has no columns")
    return df.columns[0]


def _read_bytes(data: bytes, name: str, sheet: str | int) -> pd.DataFrame:
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        return pd.read_excel(io.BytesIO(data), sheet_name=sheet, dtype=str, na_filter=False)
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def read_contacts(
    source: Contacts, *, column: str | None = None, sheet: str | int = 0, name: str = ""
) -> pd.DataFrame:
    """A contact list as a DataFrame whose phone column is named ``PhoneNumber``.

    Parameters
    ----------
    source:
        A DataFrame; a path to a ``.csv``, ``.xlsx`` or ``.xls`` file; the raw bytes of one
        (give ``name`` so the format is known); or an ``ipywidgets.FileUpload`` value (a tuple
        of ``{"name", "content"}`` dicts: the first file is read).
    column:
        The column holding phone numbers; guessed otherwise (``PhoneNumber``, ``phone``,
        ``mobile``, ``msisdn``... else the first column).
    sheet:
        The Excel sheet.
    name:
        The file name of raw bytes (its extension picks CSV or Excel).

    Returns
    -------
    pandas.DataFrame
        Every column as read (text), the phone column renamed ``PhoneNumber``; row order kept.
    """
    if isinstance(source, pd.DataFrame):
        df = source.copy()
    elif isinstance(source, (bytes, bytearray, memoryview)):
        df = _read_bytes(bytes(source), name, sheet)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        df = _read_bytes(path.read_bytes(), path.name, sheet)
    elif isinstance(source, Sequence) and source and isinstance(source[0], Mapping):
        upload = source[0]
        df = _read_bytes(bytes(upload["content"]), str(upload.get("name", name)), sheet)
    else:
        raise TypeError("contacts: a DataFrame, a CSV/Excel path or bytes, or a FileUpload value")
    col = _phone_column(df, column)
    if col != "PhoneNumber":
        df = df.drop(columns=["PhoneNumber"], errors="ignore").rename(columns={col: "PhoneNumber"})
    return df.reset_index(drop=True)


def normalize_number(value: Any, default_country: str | None = None) -> str | None:
    """``"+1 (206) 555-0100"`` -> ``"+12065550100"``; None when it can't be an E.164 number.

    Numbers without ``+`` are read in ``default_country`` (ISO code) when given; without it,
    only bare digits (``14255550100``, as the API reads them) count as international, and
    national notation such as ``(206) 555-0100`` is not a number.
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = str(value).strip()
    if not text:
        return None
    if not text.startswith("+") and default_country is None:
        digits = re.sub(r"[\s.-]", "", text)
        if not digits.isdigit():
            return None
        text = "+" + digits.lstrip("0")
    try:
        parsed = phonenumbers.parse(text, default_country)
    except phonenumbers.NumberParseException:
        return None
    number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return number if sms.is_e164(number) else None


def _resolve(source: Inventory | Any, identity: str | Identity, region: str | None) -> Identity:
    if isinstance(identity, Identity):
        return identity
    if isinstance(source, Inventory):
        return find_identity(source, identity, region)
    light = inventory(source, [region] if region else None, opted_out=False, keywords=False)
    return find_identity(light, identity, region)


def _list_numbers(source: Inventory | Any, ident: Identity) -> pd.DataFrame:
    if isinstance(source, Inventory):
        df = source.opted_out_numbers
        mask = (
            (df["Account"] == ident.account)
            & (df["Region"] == ident.region)
            & (df["OptOutListName"] == ident.opt_out_list)
        )
        return df[mask]
    return source.opted_out_numbers(
        OptOutListName=ident.opt_out_list,
        regions=[ident.region],
        accounts=[ident.account],
        progress=False,
    )


@dataclass(frozen=True)
class _Verdict:
    """Why one contact would not be reached (all None: it would be)."""

    reason: str | None = None
    detail: str | None = None
    opt_out_list: str | None = None
    opted_out_at: Any = pd.NaT
    source: str | None = None


def _verdict(
    raw: Any,
    number: str | None,
    entries: dict[str, dict[str, Any]],
    ident: Identity,
    default_country: str | None,
) -> _Verdict:
    """One contact against the identity's opt-out list."""
    if number is None:
        hint = "" if default_country else " (or give default_country)"
        return _Verdict(
            INVALID_NUMBER,
            f"{raw!r} is not a phone number: write it with + and the country code{hint}",
        )
    hit = entries.get(number)
    if hit is None:
        return _Verdict()
    who = END_USER if hit["EndUserOptedOut"] else MANUAL
    when = pd.Timestamp(hit["OptedOutTimestamp"]).strftime("%Y-%m-%d")
    by = "the recipient opted out" if who == END_USER else "added by an operator"
    return _Verdict(
        OPTED_OUT,
        f"on opt-out list {ident.opt_out_list} since {when} ({by})",
        ident.opt_out_list,
        hit["OptedOutTimestamp"],
        who,
    )


def suppression_check(
    source: Inventory | Any,
    contacts: Contacts,
    identity: str | Identity,
    *,
    region: str | None = None,
    column: str | None = None,
    default_country: str | None = None,
) -> pd.DataFrame:
    """Which contacts a campaign through ``identity`` would not reach, and why.

    Parameters
    ----------
    source:
        An :class:`~ppv2kit.analysis.Inventory` (checks against what it read), or a kit (reads
        the identity and its one opt-out list now: the freshest answer before a send).
    contacts:
        Anything :func:`read_contacts` takes.
    identity:
        What the campaign will send from: a pool's ``Name`` tag or ID/ARN, a phone number (ID,
        ARN or E.164) or a sender ID (see :func:`~ppv2kit.analysis.find_identity`).
    region:
        The identity's region, when the name exists in several.
    column:
        The contacts' phone column (guessed otherwise).
    default_country:
        ISO country for numbers written without ``+`` (``"US"``); otherwise such numbers are
        read as international digits.

    Returns
    -------
    pandas.DataFrame
        The contacts in their order with ``PhoneNumber`` as given, ``E164``, ``Blocked``,
        ``Reason`` (``OPTED_OUT``, ``INVALID_NUMBER`` or NA), ``Detail`` (plain words),
        ``OptOutListName``, ``OptedOutTimestamp`` and ``Source`` (``end user``/``manual``).
        ``attrs`` hold ``identity`` (the :class:`Identity`), ``opt_out_list`` and
        ``self_managed``.
    """
    ident = _resolve(source, identity, region)
    df = read_contacts(contacts, column=column)
    on_list = _list_numbers(source, ident)
    entries = {
        rec["OptedOutNumber"]: rec
        for rec in on_list[["OptedOutNumber", "OptedOutTimestamp", "EndUserOptedOut"]].to_dict(
            "records"
        )
    }
    e164 = [normalize_number(v, default_country) for v in df["PhoneNumber"]]
    verdicts = [
        _verdict(raw, number, entries, ident, default_country)
        for raw, number in zip(df["PhoneNumber"], e164, strict=True)
    ]
    reasons = [v.reason for v in verdicts]
    details = [v.detail for v in verdicts]
    lists = [v.opt_out_list for v in verdicts]
    stamps = [v.opted_out_at for v in verdicts]
    sources = [v.source for v in verdicts]
    out = df.copy()
    out.insert(out.columns.get_loc("PhoneNumber") + 1, "E164", pd.array(e164, dtype="string"))
    out["Reason"] = pd.Categorical(reasons, dtype=REASONS)
    out["Blocked"] = out["Reason"].notna().astype("boolean")
    out["Detail"] = pd.array(details, dtype="string")
    out["OptOutListName"] = pd.array(lists, dtype="string")
    out["OptedOutTimestamp"] = pd.to_datetime(pd.Series(stamps, dtype="object"), utc=True)
    out["Source"] = pd.Categorical(sources, categories=[END_USER, MANUAL])
    out.attrs.update(
        identity=ident, opt_out_list=ident.opt_out_list, self_managed=ident.self_managed
    )
    return out


def suppression_summary(result: pd.DataFrame) -> dict[str, Any]:
    """Counts of a :func:`suppression_check` result: contacts, blocked by reason, reachable."""
    ident: Identity | None = result.attrs.get("identity")
    reasons = result["Reason"].value_counts().to_dict()
    summary = {
        "identity": str(ident) if ident else "",
        "opt_out_list": result.attrs.get("opt_out_list", ""),
        "contacts": len(result),
        "blocked": int(result["Blocked"].sum()),
        "reachable": int((~result["Blocked"]).sum()),
        "opted_out": int(reasons.get(OPTED_OUT, 0)),
        "invalid": int(reasons.get(INVALID_NUMBER, 0)),
    }
    if result.attrs.get("self_managed"):
        summary["note"] = (
            "the identity manages opt-outs itself: also check your application's own "
            "suppression list, STOP replies never reach the opt-out list"
        )
    return summary


def demo_contacts(
    inv: Inventory, identity: str | Identity, *, blocked: int = 6, clean: int = 14, seed: int = 7
) -> pd.DataFrame:
    """A made-up contact list for trying the check: some numbers on the identity's opt-out list
    (written in assorted ways), some on *other* lists only (which do not block this identity),
    and some on no list. Deterministic for a given inventory and ``seed``.
    """
    ident = identity if isinstance(identity, Identity) else find_identity(inv, identity)
    df = inv.opted_out_numbers
    mine = df[(df["Region"] == ident.region) & (df["OptOutListName"] == ident.opt_out_list)]
    own = set(mine["OptedOutNumber"])
    rng = random.Random(seed)
    on_list = rng.sample(sorted(own), min(blocked, len(own)))
    elsewhere = sorted(set(df["OptedOutNumber"]) - own)
    others = rng.sample(elsewhere, min(clean // 2, len(elsewhere)))
    everywhere = set(df["OptedOutNumber"])
    fresh: list[str] = []
    while len(fresh) < clean - len(others):
        candidate = f"+1206555{rng.randrange(10_000):04d}"
        if candidate not in everywhere and candidate not in fresh:
            fresh.append(candidate)
    numbers = on_list + others + fresh
    rng.shuffle(numbers)
    styles = [str, lambda n: n[1:], sms.pretty]
    rows = [
        {"Name": f"Customer {i + 1:03d}", "PhoneNumber": styles[i % 3](n), "Segment": "demo"}
        for i, n in enumerate(numbers)
    ]
    return pd.DataFrame(rows)


def default_identity(inv: Inventory) -> Identity:
    """The pool, or unpooled phone number, whose opt-out list is the largest (a sensible
    identity to try the check with when none is named)."""
    sizes = inv.opted_out_numbers.groupby(
        ["Account", "Region", "OptOutListName"], observed=True
    ).size()
    best: tuple[int, str, str] | None = None
    for p in inv.pools.to_dict("records"):
        size = int(sizes.get((p["Account"], p["Region"], p["OptOutListName"]), 0))
        key = (size, p["Region"], p["PoolArn"])
        best = key if best is None or (key[0], key[1]) > (best[0], best[1]) else best
    if best is None:
        for n in inv.phone_numbers.to_dict("records"):
            size = int(sizes.get((n["Account"], n["Region"], n["OptOutListName"]), 0))
            key = (size, n["Region"], n["PhoneNumberArn"])
            best = key if best is None or (key[0], key[1]) > (best[0], best[1]) else best
    if best is None:
        raise LookupError("the inventory has no pool or phone number to send from")
    return find_identity(inv, best[2])


def suppression_widget(
    inv: Inventory,
    identity: str | Identity | None = None,
    *,
    contacts: Contacts | None = None,
    default_country: str | None = None,
) -> Any:
    """An upload form for JupyterLab: pick a CSV/Excel contact list, check it, see who is blocked.

    Parameters
    ----------
    inv:
        From :func:`~ppv2kit.analysis.inventory`.
    identity:
        Prefills the "send from" field (a pool name, number, sender ID...); an
        :class:`~ppv2kit.analysis.Identity` is shown by its name and used as found.
    contacts:
        A contact list already at hand (anything :func:`read_contacts` takes): checked at once,
        so the form shows what the notebook's own check shows; an uploaded file replaces it.
    default_country:
        Prefills the country for numbers written without ``+``.

    Returns
    -------
    ipywidgets.VBox
        Its ``result`` attribute holds the last :func:`suppression_check` frame.
    """
    import ipywidgets as widgets
    from IPython.display import display

    found = identity if isinstance(identity, Identity) else None
    ident_text = found.name if found is not None else (identity or "")
    preloaded = read_contacts(contacts) if contacts is not None else None
    upload = widgets.FileUpload(accept=".csv,.xlsx,.xls", multiple=False, description="Contacts")
    loaded = widgets.Label(
        f"{len(preloaded):,} contacts loaded; upload a file to check another list"
        if preloaded is not None
        else "no contacts yet: upload a CSV or Excel file"
    )
    who = widgets.Text(value=ident_text, description="Send from", placeholder="pool name or ID")
    country = widgets.Text(
        value=default_country or "", description="Country", placeholder="e.g. US (optional)"
    )
    button = widgets.Button(description="Check", button_style="primary", icon="search")
    out = widgets.Output()
    box = widgets.VBox([widgets.HBox([upload, loaded]), widgets.HBox([who, country, button]), out])
    box.add_class("ppv2kit-suppression")
    box.result = None  # type: ignore[attr-defined]

    def check(_: Any) -> None:
        out.clear_output()
        with out:
            source = upload.value if upload.value else preloaded
            if source is None:
                print("Choose a CSV or Excel file first.")
                return
            text = who.value.strip()
            chosen = (
                found if found is not None and text in (found.name, found.id, found.arn) else text
            )
            try:
                result = suppression_check(
                    inv,
                    source,
                    chosen,
                    default_country=country.value.strip().upper() or None,
                )
            except (LookupError, KeyError, ValueError, TypeError) as err:
                print(f"Could not check: {err}")
                return
            box.result = result  # type: ignore[attr-defined]
            summary = suppression_summary(result)
            print(
                f"{summary['blocked']} of {summary['contacts']} contacts would be refused "
                f"({summary['opted_out']} opted out, {summary['invalid']} invalid) "
                f"sending from {summary['identity']} (opt-out list {summary['opt_out_list']})."
            )
            display(result[result["Blocked"]])

    button.on_click(check)
    if preloaded is not None:
        check(None)
    return box
