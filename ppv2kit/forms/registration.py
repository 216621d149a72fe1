"""Registration forms built at run time from the service's own section and field definitions.

``RegistrationForm(kit, "US_TOLL_FREE_REGISTRATION")`` (a new registration) or
``RegistrationForm(kit, registration_id=...)`` (an existing one) reads
``DescribeRegistrationSectionDefinitions``/``FieldDefinitions`` for the type and builds one group
per section in the service's order: SELECT fields as a choice of the allowed options, TEXT as a
text box checked against its validation as you type, ATTACHMENT as a file picker that uploads
with ``CreateRegistrationAttachment``. REQUIRED fields are marked; CONDITIONAL ones are shown
only while a rule of their ``ConditionalBehavior`` holds. A denied registration opens with the
denial's reasons and each field's feedback beside it, and :meth:`RegistrationForm.new_version`
starts a new version from it. Associations are picked from the account's real phone numbers,
sender IDs and brands, as the type's ``SupportedAssociations`` allow.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import botocore.exceptions
import ipywidgets as widgets

from .fields import css_token
from .results import FormError, error_html, from_client_error

Value = str | list[str]
# The number type each registration type covers (its phone-number picker offers only these).
NUMBER_TYPES = {
    "US_TOLL_FREE_REGISTRATION": "TOLL_FREE",
    "US_TEN_DLC_CAMPAIGN_REGISTRATION": "TEN_DLC",
    "US_SHORT_CODE_REGISTRATION": "SHORT_CODE",
}


def _pages(kit: Any, region: str | None, operation: str, key: str, **params: Any) -> list[Any]:
    out: list[Any] = []
    token: str | None = None
    while True:
        page = kit.call(operation, region, **params, **({"NextToken": token} if token else {}))
        out += page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


class RegistrationForm:
    """A registration's fields as widgets, from its type's definitions (see the module doc).

    Parameters
    ----------
    kit:
        The kit (``call`` and ``regions`` are used).
    registration_type:
        For a new registration (created on the first :meth:`save`).
    registration_id:
        For an existing one: its current version's values are loaded.
    region:
        The region to call; the kit's first region when omitted.

    Attributes
    ----------
    error:
        The last failure (an AWS error or the problems :meth:`validate` found), or None.
    response:
        The last call's response.
    """

    def __init__(
        self,
        kit: Any,
        registration_type: str | None = None,
        *,
        registration_id: str | None = None,
        region: str | None = None,
    ) -> None:
        if (registration_type is None) == (registration_id is None):
            raise ValueError("give a registration_type (new) or a registration_id (existing)")
        self.kit = kit
        self.region = region or next(iter(getattr(kit, "regions", None) or [None]))
        self.registration_id = registration_id
        self.error: FormError | None = None
        self.response: dict[str, Any] | None = None
        self.registration: dict[str, Any] = {}
        self.denied_reasons: list[dict[str, Any]] = []
        self.feedback: dict[str, str] = {}
        self._saved: dict[str, Value] = {}
        self._values: dict[str, Value] = {}
        if registration_id is not None:
            self._load_registration()
            registration_type = self.registration["RegistrationType"]
        self.registration_type = str(registration_type)
        self.sections = _pages(
            kit,
            self.region,
            "DescribeRegistrationSectionDefinitions",
            "RegistrationSectionDefinitions",
            RegistrationType=self.registration_type,
        )
        self.fields = _pages(
            kit,
            self.region,
            "DescribeRegistrationFieldDefinitions",
            "RegistrationFieldDefinitions",
            RegistrationType=self.registration_type,
        )
        self.definitions = {f["FieldPath"]: f for f in self.fields}
        if registration_id is not None:
            self._load_values()
        self._build()

    def __repr__(self) -> str:
        return (
            f"RegistrationForm({self.registration_type!r}, "
            f"registration_id={self.registration_id!r}, region={self.region!r})"
        )

    # -- reading ------------------------------------------------------------------------------
    def _load_registration(self) -> None:
        found = self.kit.call(
            "DescribeRegistrations", self.region, RegistrationIds=[self.registration_id]
        )["Registrations"]
        self.registration = found[0]
        denied = self.registration.get("LatestDeniedVersionNumber")
        self.denied_reasons, self.feedback = [], {}
        if denied is not None and self.registration.get("ApprovedVersionNumber") is None:
            versions = self.kit.call(
                "DescribeRegistrationVersions",
                self.region,
                RegistrationId=self.registration_id,
                VersionNumbers=[denied],
            )["RegistrationVersions"]
            self.denied_reasons = list(versions[0].get("DeniedReasons") or []) if versions else []
            for v in self._field_values(denied):
                words = "; ".join(x for x in (v.get("DeniedReason"), v.get("Feedback")) if x)
                if words:
                    self.feedback[v["FieldPath"]] = words

    def _field_values(self, version: int | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"RegistrationId": self.registration_id}
        if version is not None:
            params["VersionNumber"] = version
        return _pages(
            self.kit,
            self.region,
            "DescribeRegistrationFieldValues",
            "RegistrationFieldValues",
            **params,
        )

    def _load_values(self) -> None:
        values: dict[str, Value] = {}
        for v in self._field_values(self.registration.get("CurrentVersionNumber")):
            if _stored(v):
                values[v["FieldPath"]] = _stored(v)
        self._saved = dict(values)
        self._values = dict(values)
        denied = self.registration.get("LatestDeniedVersionNumber")
        current = self.registration.get("CurrentVersionNumber")
        if not values and self.feedback and denied is not None and current != denied:
            # A blank draft after a denial: offer the denied version's values, unsaved.
            self._values = {
                v["FieldPath"]: _stored(v) for v in self._field_values(denied) if _stored(v)
            }

    # -- values -------------------------------------------------------------------------------
    @property
    def value(self) -> dict[str, Value]:
        """Every field with a value (field path -> text, attachment ID or list of choices)."""
        return {k: v for k, v in self._values.items() if not _empty(v)}

    def set_value(self, values: Mapping[str, Value | None]) -> None:
        """Set fields by path (``None`` or ``""`` clears one); unknown paths raise KeyError."""
        for path, v in values.items():
            if path not in self.definitions:
                raise KeyError(f"{path}: not a field of {self.registration_type}")
            kind = self.definitions[path]["FieldType"]
            if kind == "SELECT" and isinstance(v, str):
                v = [v]
            self._values[path] = v if v is not None else ""
            self._show(path)
        self._refresh_conditions()

    def required(self, path: str) -> bool:
        """Whether ``path`` must be filled now (REQUIRED, or CONDITIONAL with a rule holding)."""
        d = self.definitions[path]
        if d["FieldRequirement"] == "REQUIRED":
            return True
        if d["FieldRequirement"] != "CONDITIONAL":
            return False
        behavior = d.get("ConditionalBehavior") or {}
        for rule in behavior.get("Rules", []):
            if self._holds(rule) and rule.get("RuleBehavior") == "REQUIRED":
                return True
        return behavior.get("DefaultBehavior") == "REQUIRED"

    def _holds(self, rule: Mapping[str, Any]) -> bool:
        for c in rule.get("Conditions", []):
            current = self._values.get(c["DependsOnFieldPath"])
            got = set(current) if isinstance(current, list) else {current}
            wanted = set(c.get("Values", []))
            if c.get("Operator", "EQUALS") == "EQUALS" and not got & wanted:
                return False
        return True

    def visible(self, path: str) -> bool:
        """False for a CONDITIONAL field none of whose rules holds (it is hidden)."""
        d = self.definitions[path]
        if d["FieldRequirement"] != "CONDITIONAL":
            return True
        rules = (d.get("ConditionalBehavior") or {}).get("Rules", [])
        return any(self._holds(r) for r in rules) or not rules

    def validate(self) -> dict[str, list[str]]:
        """Problems per field path, checked against the definitions before any call."""
        out: dict[str, list[str]] = {}
        for path, d in self.definitions.items():
            problems = self._check(path, d)
            if problems:
                out[path] = problems
        for path, widget in self._problem_widgets.items():
            widget.value = _problems_html(out.get(path, []))
        self.error = (
            FormError(
                kind="validation",
                message=f"{len(out)} field(s) need attention",
                fields=tuple(out),
                problems=tuple((p, "; ".join(m)) for p, m in out.items()),
            )
            if out
            else None
        )
        self._status()
        return out

    def _check(self, path: str, d: Mapping[str, Any]) -> list[str]:
        value = self._values.get(path)
        if _empty(value):
            return ["required"] if self.visible(path) and self.required(path) else []
        problems = []
        if d["FieldType"] == "TEXT" and isinstance(value, str):
            rule = d.get("TextValidation") or {}
            if len(value) < rule.get("MinLength", 0):
                problems.append(f"at least {rule['MinLength']} characters")
            if "MaxLength" in rule and len(value) > rule["MaxLength"]:
                problems.append(f"at most {rule['MaxLength']} characters (has {len(value)})")
            pattern = rule.get("Pattern")
            if pattern and not re.fullmatch(pattern, value, flags=re.DOTALL):
                hint = (d.get("DisplayHints") or {}).get("TextValidationDescription")
                problems.append(hint or f"must match {pattern}")
        elif d["FieldType"] == "SELECT":
            rule = d.get("SelectValidation") or {}
            choices = value if isinstance(value, list) else [value]
            unknown = [c for c in choices if c not in rule.get("Options", choices)]
            if unknown:
                problems.append(f"not an option: {', '.join(map(str, unknown))}")
            if len(choices) < rule.get("MinChoices", 0):
                problems.append(f"choose at least {rule['MinChoices']}")
            if "MaxChoices" in rule and len(choices) > rule["MaxChoices"]:
                problems.append(f"choose at most {rule['MaxChoices']}")
        return problems

    # -- calls --------------------------------------------------------------------------------
    def _call(self, operation: str, **params: Any) -> dict[str, Any] | None:
        try:
            self.response = self.kit.call(operation, self.region, **params)
        except botocore.exceptions.ClientError as err:
            self.error = from_client_error(err)
            self._status()
            return None
        return self.response

    def save(self) -> int | None:
        """Create the registration if new, put changed values and delete cleared ones.

        Returns how many fields were written, or None on an AWS error (see :attr:`error`).
        """
        self.error = None
        if self.registration_id is None:
            created = self._call("CreateRegistration", RegistrationType=self.registration_type)
            if created is None:
                return None
            self.registration_id = created["RegistrationId"]
            self.registration = dict(created)
        written = 0
        for path in sorted(set(self._values) | set(self._saved)):
            new, old = self._values.get(path, ""), self._saved.get(path, "")
            if new == old or (_empty(new) and _empty(old)):
                continue
            if _empty(new):
                ok = self._call(
                    "DeleteRegistrationFieldValue",
                    RegistrationId=self.registration_id,
                    FieldPath=path,
                )
            else:
                kind = self.definitions[path]["FieldType"]
                key = {
                    "SELECT": "SelectChoices",
                    "ATTACHMENT": "RegistrationAttachmentId",
                }.get(kind, "TextValue")
                ok = self._call(
                    "PutRegistrationFieldValue",
                    RegistrationId=self.registration_id,
                    FieldPath=path,
                    **{key: new},
                )
            if ok is None:
                return None
            self._saved[path] = new
            written += 1
        self._status(f"saved {written} field(s)")
        return written

    def submit(self, confirm: bool = False) -> dict[str, Any] | None:
        """Validate, save and submit the current version for review.

        Without ``confirm`` it only asks in the widget (Confirm / Cancel) and returns None.
        """
        if not confirm:
            self.confirm_text.value = (
                f"<b>Submit {html.escape(self.registration_type)}"
                f"{' ' + html.escape(self.registration_id) if self.registration_id else ''} "
                "for review?</b> A submitted version can no longer be edited."
            )
            self.confirm_box.layout.display = ""
            return None
        self.confirm_box.layout.display = "none"
        if self.validate():
            return None
        if self.save() is None:
            return None
        done = self._call("SubmitRegistrationVersion", RegistrationId=self.registration_id)
        if done is not None:
            self._status(f"submitted: {done.get('RegistrationVersionStatus', '')}")
        return done

    def new_version(self) -> dict[str, Any] | None:
        """Start a new version (of a denied registration), its fields filled from the last one.

        The service starts the version blank; the previous values are kept in the form, unsaved,
        for :meth:`save` to put once the fields the denial names are fixed.
        """
        previous = dict(self._values)
        done = self._call("CreateRegistrationVersion", RegistrationId=self.registration_id)
        if done is not None:
            self._load_registration()
            self._load_values()
            self._values = {**previous, **self._values}
            for path in self.definitions:
                self._show(path)
            self._refresh_conditions()
            self._status(f"version {done.get('VersionNumber')} started")
        return done

    def attach(self, path: str, body: bytes) -> str | None:
        """Upload ``body`` with CreateRegistrationAttachment and set it as ``path``'s value."""
        done = self._call("CreateRegistrationAttachment", AttachmentBody=body)
        if done is None:
            return None
        self.set_value({path: done["RegistrationAttachmentId"]})
        return done["RegistrationAttachmentId"]

    # -- associations -------------------------------------------------------------------------
    def supported_associations(self) -> list[dict[str, Any]]:
        """The type's ``SupportedAssociations`` (resource type, country, when to associate)."""
        found = self.kit.call(
            "DescribeRegistrationTypeDefinitions",
            self.region,
            RegistrationTypes=[self.registration_type],
        )["RegistrationTypeDefinitions"]
        return list(found[0].get("SupportedAssociations") or []) if found else []

    def association_options(
        self, resource_type: str, iso_country_code: str | None = None
    ) -> list[tuple[str, str]]:
        """The account's resources this registration can cover: ``(label, resource ID)`` pairs."""
        if resource_type == "phone-number":
            wanted = NUMBER_TYPES.get(self.registration_type)
            return [
                (f"{n['PhoneNumber']} ({n['NumberType']})", n["PhoneNumberId"])
                for n in _pages(self.kit, self.region, "DescribePhoneNumbers", "PhoneNumbers")
                if (iso_country_code is None or n["IsoCountryCode"] == iso_country_code)
                and (wanted is None or n["NumberType"] == wanted)
            ]
        if resource_type == "sender-id":
            return [
                (f"{s['SenderId']} ({s['IsoCountryCode']})", s["SenderId"])
                for s in _pages(self.kit, self.region, "DescribeSenderIds", "SenderIds")
                if iso_country_code is None or s["IsoCountryCode"] == iso_country_code
            ]
        if resource_type == "registration":
            return [
                (f"{r['RegistrationType']} {r['RegistrationId']}", r["RegistrationId"])
                for r in _pages(self.kit, self.region, "DescribeRegistrations", "Registrations")
                if r["RegistrationType"] == "US_TEN_DLC_BRAND_REGISTRATION"
                and r["RegistrationStatus"] == "COMPLETE"
            ]
        return []

    def associate(
        self, resource_id: str, iso_country_code: str | None = None
    ) -> dict[str, Any] | None:
        """CreateRegistrationAssociation (saving a new registration first)."""
        if self.registration_id is None and self.save() is None:
            return None
        params: dict[str, Any] = {"RegistrationId": self.registration_id, "ResourceId": resource_id}
        done = self._call("CreateRegistrationAssociation", **params)
        if done is not None:
            self._status(f"associated {resource_id}")
        return done

    def _association_row(self, supported: Mapping[str, Any]) -> widgets.Widget:
        kind = supported["ResourceType"]
        country = supported.get("IsoCountryCode")
        picker = widgets.Dropdown(options=self.association_options(kind, country))
        button = widgets.Button(description="Associate")
        button.on_click(lambda _: picker.value and self.associate(picker.value))
        self.pickers[kind] = picker
        when = str(supported.get("AssociationBehavior", "")).replace("_", " ").lower()
        return widgets.HBox(
            [
                widgets.HTML(f"{html.escape(kind)} <small>({html.escape(when)})</small>"),
                picker,
                button,
            ]
        )

    # -- widgets ------------------------------------------------------------------------------
    def _build(self) -> None:
        esc = html.escape
        self._inputs: dict[str, widgets.Widget] = {}
        self._rows: dict[str, widgets.Widget] = {}
        self._problem_widgets: dict[str, widgets.HTML] = {}
        self._syncing = False
        title = f"{self.registration_type}"
        if self.registration_id:
            title += f" · {self.registration_id} · {self.registration.get('RegistrationStatus')}"
        self.header = widgets.HTML(
            f"<h4 style='margin:4px 0'>{esc(title)} <small>{esc(str(self.region))}</small></h4>"
        )
        denial = ""
        if self.denied_reasons:
            items = "".join(
                f"<li><b>{esc(str(r.get('Reason', '')))}</b>: "
                f"{esc(str(r.get('ShortDescription', '')))}</li>"
                for r in self.denied_reasons
            )
            denial = f"<div class='ppv2kit-denial'>Denied:<ul>{items}</ul></div>"
        self.denial = widgets.HTML(denial)
        groups = []
        for section in self.sections:
            hints = section.get("DisplayHints") or {}
            rows = [
                widgets.HTML(
                    f"<b>{esc(hints.get('Title', section['SectionPath']))}</b>"
                    f"<div><small>{esc(hints.get('ShortDescription', ''))}</small></div>"
                )
            ]
            for d in self.fields:
                if d["SectionPath"] == section["SectionPath"]:
                    rows.append(self._field_row(d))
            groups.append(widgets.VBox(rows))
        self.sections_box = widgets.VBox(groups)
        self.pickers: dict[str, widgets.Dropdown] = {}
        self.associations_box = widgets.VBox(
            [widgets.HTML("<b>Associations</b>")]
            + [self._association_row(a) for a in self.supported_associations()]
        )
        self.validate_button = widgets.Button(description="Validate", icon="check")
        self.save_button = widgets.Button(description="Save", icon="save")
        self.submit_button = widgets.Button(description="Submit", button_style="primary")
        self.new_version_button = widgets.Button(description="Start a new version")
        self.new_version_button.layout.display = "" if self.denied_reasons else "none"
        self.confirm_button = widgets.Button(description="Confirm", button_style="danger")
        self.cancel_button = widgets.Button(description="Cancel")
        self.confirm_text = widgets.HTML("")
        self.confirm_box = widgets.VBox(
            [self.confirm_text, widgets.HBox([self.confirm_button, self.cancel_button])],
            layout=widgets.Layout(display="none"),
        )
        self.output = widgets.HTML("")
        self.validate_button.on_click(lambda _: self.validate())
        self.save_button.on_click(lambda _: self.save())
        self.submit_button.on_click(lambda _: self.submit())
        self.confirm_button.on_click(lambda _: self.submit(confirm=True))
        self.cancel_button.on_click(lambda _: setattr(self.confirm_box.layout, "display", "none"))
        self.new_version_button.on_click(lambda _: self.new_version())
        for name in ("validate", "save", "submit", "new_version", "confirm", "cancel"):
            getattr(self, f"{name}_button").add_class(f"ppv2kit-reg-{name.replace('_', '-')}")
        self.output.add_class("ppv2kit-reg-output")
        self.widget = widgets.VBox(
            [
                self.header,
                self.denial,
                self.sections_box,
                self.associations_box,
                widgets.HBox(
                    [
                        self.validate_button,
                        self.save_button,
                        self.submit_button,
                        self.new_version_button,
                    ]
                ),
                self.confirm_box,
                self.output,
            ]
        )
        self.widget.add_class("ppv2kit-registration-form")
        self._refresh_conditions()

    def _field_row(self, d: Mapping[str, Any]) -> widgets.Widget:
        esc = html.escape
        path = d["FieldPath"]
        hints = d.get("DisplayHints") or {}
        mark = " *" if d["FieldRequirement"] == "REQUIRED" else ""
        label = widgets.HTML(f"{esc(hints.get('Title', path))}{mark}")
        label.layout.width = "220px"
        help_parts = [hints.get("ShortDescription", ""), hints.get("LongDescription", "")]
        if hints.get("ExampleTextValue"):
            help_parts.append(f"Example: {hints['ExampleTextValue']}")
        if hints.get("TextValidationDescription"):
            help_parts.append(hints["TextValidationDescription"])
        help_text = " · ".join(p for p in help_parts if p)
        if d["FieldType"] == "SELECT":
            rule = d.get("SelectValidation") or {}
            options = list(rule.get("Options", []))
            if rule.get("MaxChoices", 1) > 1:
                box: widgets.Widget = widgets.SelectMultiple(
                    options=options, rows=min(6, len(options))
                )
            else:
                box = widgets.Dropdown(options=["", *options])
        elif d["FieldType"] == "ATTACHMENT":
            box = widgets.FileUpload(accept="", multiple=False)
        else:
            rule = d.get("TextValidation") or {}
            big = rule.get("MaxLength", 0) > 200
            box = (widgets.Textarea if big else widgets.Text)(
                placeholder=hints.get("ExampleTextValue", "")
            )
        box.observe(lambda change, p=path: self._on_widget(p, change), names="value")
        problem = widgets.HTML("")
        feedback = self.feedback.get(path, "")
        notes = widgets.HTML(
            f"<small>{esc(help_text)}</small>"
            + (
                f"<div class='ppv2kit-feedback'><b>Denied:</b> {esc(feedback)}</div>"
                if feedback
                else ""
            )
        )
        self._inputs[path] = box
        self._problem_widgets[path] = problem
        row = widgets.VBox([widgets.HBox([label, box, problem]), notes])
        row.add_class("ppv2kit-registration-field")
        row.add_class(f"ppv2kit-regfield-{css_token(path)}")
        self._rows[path] = row
        self._show(path)
        return row

    def _show(self, path: str) -> None:
        box = self._inputs.get(path) if hasattr(self, "_inputs") else None
        if box is None or isinstance(box, widgets.FileUpload):
            return
        value = self._values.get(path, "")
        self._syncing = True
        try:
            if isinstance(box, widgets.SelectMultiple):
                box.value = tuple(value) if isinstance(value, list) else ()
            elif isinstance(box, widgets.Dropdown):
                choice = value[0] if isinstance(value, list) and value else value or ""
                box.value = choice if choice in box.options else ""
            else:
                box.value = value if isinstance(value, str) else ""
        finally:
            self._syncing = False

    def _on_widget(self, path: str, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        box = self._inputs[path]
        new = change["new"]
        if isinstance(box, widgets.FileUpload):
            files = list(new or [])
            if files:
                content = files[0]["content"]
                self.attach(path, bytes(content))
            return
        if isinstance(box, widgets.SelectMultiple):
            self._values[path] = list(new)
        elif isinstance(box, widgets.Dropdown):
            self._values[path] = [new] if new else []
        else:
            self._values[path] = new
        self._problem_widgets[path].value = _problems_html(
            self._check(path, self.definitions[path])
        )
        self._refresh_conditions()

    def _refresh_conditions(self) -> None:
        for path, row in getattr(self, "_rows", {}).items():
            row.layout.display = "" if self.visible(path) else "none"

    def _status(self, text: str = "") -> None:
        if not hasattr(self, "output"):
            return
        if self.error is not None:
            self.output.value = error_html(self.error)
        else:
            self.output.value = f"<small>{html.escape(text)}</small>" if text else ""

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _stored(v: Mapping[str, Any]) -> Value:
    """A RegistrationFieldValue's value: its choices, text or attachment ID ("" when none)."""
    if v.get("SelectChoices") is not None:
        return list(v["SelectChoices"])
    return v.get("TextValue") or v.get("RegistrationAttachmentId") or ""


def _problems_html(problems: list[str]) -> str:
    if not problems:
        return ""
    return "<span style='color:#b91c1c'>" + html.escape("; ".join(problems)) + "</span>"


def registration_form(
    kit: Any,
    registration_type: str | None = None,
    *,
    registration_id: str | None = None,
    region: str | None = None,
) -> RegistrationForm:
    """A :class:`RegistrationForm` for a new registration of a type, or an existing one."""
    return RegistrationForm(kit, registration_type, registration_id=registration_id, region=region)
