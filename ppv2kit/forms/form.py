"""The Form: an operation's input shape as widgets, with Validate and a once-only Call.

``Form(kit, "CreatePool")`` builds every field from ``ppv2kit.model`` through the mapping table,
marks required members, fills the idempotency token itself, turns DryRun on where the operation
has it, and offers the account's resources where a member names one. ``Validate`` runs botocore's
own validator plus the model's max/pattern/enum rules (botocore checks only required, types and
min) and shows each problem beside its field. ``Call`` sends once: a double click is ignored, a
costly call (Send*, Request*, Release*, Delete*) first says what will happen and waits for
``Confirm``, and a retry after a network failure reuses the same ClientToken. The response is
shown as a table, an AWS error as code, reason and message, with the fields it names highlighted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import botocore.exceptions
import ipywidgets as widgets
import pandas as pd

from .. import model as model_mod
from ..constraints import Problem
from .checks import check
from .confirm import describe, needs_confirmation
from .fields import NOT_SET, Context, Field, PickerField, css_token, first_sentence
from .groups import GroupField, parse_path
from .mapping import PLAN_COLUMNS, operation_plan, plan_for
from .pickers import EVENT_DESTINATION_PARENT, RESOURCES, Catalog, Option
from .results import FormError, error_html, from_client_error, problems_html, response_html

NETWORK_ERRORS = (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)


def _digest(params: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=repr).encode()).hexdigest()


# What the tick box beside each member means, said once at the top of every form.
LEGEND = (
    "A ticked box beside a member means it is sent; unticked members (greyed) are left out "
    "of the request. Typing a value ticks it."
)
# Unticked members look unset: their inputs greyed and italic, whatever value they hold.
UNSET_CSS = (
    "<style>.ppv2kit-unset .ppv2kit-input input, .ppv2kit-unset .ppv2kit-input textarea"
    "{color:#9e9e9e; font-style:italic;}</style>"
)


class Form:
    """An ipywidgets form for one operation of pinpoint-sms-voice-v2.

    Parameters
    ----------
    kit:
        The kit: ``backend``, ``regions``, ``call(operation, region=..., **params)`` and
        ``frame(listing, regions=..., progress=...)`` are used.
    operation:
        Model name (``CreatePool``) or snake_case (``create_pool``).
    region:
        The region to call; the kit's first region when omitted.
    """

    #: Seconds during which a second click with the same values is taken as a double click.
    DOUBLE_CLICK_SECONDS = 1.0

    def __init__(self, kit: Any, operation: str, region: str | None = None) -> None:
        self.kit = kit
        self.operation = model_mod.load().operation(operation)
        self.name = self.operation.name
        regions = list(getattr(kit, "regions", None) or ())
        self.region = region or (regions[0] if regions else None)
        self.response: dict[str, Any] | None = None
        self.error: FormError | None = None
        self.problems: list[Problem] = []
        self.client_token: str | None = None
        self._catalog: Catalog | None = None
        self._attempt: tuple[str, str] | None = None
        self._last_sent: tuple[str, float] | None = None
        self._pending: str | None = None
        self._busy = False
        self._pickers_loaded = False
        self.ctx = Context(
            operation=self.name,
            catalog=self._get_catalog,
            on_change=self._on_field_change,
            on_pick=self._on_pick,
            parents={"EventDestinationName": lambda: self._top(EVENT_DESTINATION_PARENT)},
        )
        shape = self.operation.input
        self.root = GroupField(shape, plan_for(shape), root=True, name="", path="", ctx=self.ctx)
        self._build_widgets()
        self._apply_defaults()

    def __repr__(self) -> str:
        return f"Form({self.name!r}, region={self.region!r})"

    # -- widgets ------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        esc = html.escape
        where = " · ".join(
            str(x)
            for x in (
                getattr(self.kit, "backend", ""),
                getattr(self.kit, "account", ""),
                self.region,
            )
            if x
        )
        doc = first_sentence(self.operation.documentation, 300)
        self.header = widgets.HTML(
            f"<h4 style='margin:4px 0'>{esc(self.name)} <small class='ppv2kit-where'>"
            f"{esc(where)}</small></h4><div><small>{esc(doc)}</small></div>"
            f"<div class='ppv2kit-legend'><small>{LEGEND}</small></div>{UNSET_CSS}"
        )
        self.header.add_class("ppv2kit-header")
        self.validate_button = widgets.Button(description="Validate", icon="check")
        self.call_button = widgets.Button(description="Call", button_style="primary", icon="play")
        self.confirm_button = widgets.Button(description="Confirm", button_style="danger")
        self.cancel_button = widgets.Button(description="Cancel")
        self.dry_run_note = widgets.HTML("")
        self.confirm_text = widgets.HTML("")
        self.confirm_box = widgets.VBox(
            [self.confirm_text, widgets.HBox([self.confirm_button, self.cancel_button])],
            layout=widgets.Layout(display="none"),
        )
        self.output = widgets.HTML("")
        for w, cls in (
            (self.validate_button, "ppv2kit-validate"),
            (self.call_button, "ppv2kit-call"),
            (self.confirm_button, "ppv2kit-confirm"),
            (self.cancel_button, "ppv2kit-cancel"),
            (self.confirm_box, "ppv2kit-confirmation"),
            (self.output, "ppv2kit-output"),
            (self.dry_run_note, "ppv2kit-dry-run-note"),
            (self.confirm_text, "ppv2kit-confirmation-text"),
        ):
            w.add_class(cls)
        self.validate_button.on_click(lambda _: self._guard(self._on_validate_click))
        self.call_button.on_click(lambda _: self._guard(self._on_call_click))
        self.confirm_button.on_click(lambda _: self._guard(self._on_confirm_click))
        self.cancel_button.on_click(lambda _: self._guard(self._on_cancel_click))
        buttons = widgets.HBox([self.validate_button, self.call_button, self.dry_run_note])
        self.widget = widgets.VBox(
            [self.header, self.root.widget, buttons, self.confirm_box, self.output]
        )
        self.widget.add_class("ppv2kit-form")
        self.widget.add_class(f"ppv2kit-op-{css_token(self.name)}")

    def _apply_defaults(self) -> None:
        dry_run = self.root.children.get("DryRun")
        if dry_run is not None and dry_run.shape.type == "boolean":
            dry_run.set(True)
        self._show_dry_run()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        if not self._pickers_loaded:
            self.load_pickers()
        return self.widget._repr_mimebundle_(**kwargs)

    # -- values -------------------------------------------------------------------------------
    @property
    def value(self) -> dict[str, Any]:
        """The request: only the members that are set (the token appears once it is sent)."""
        value = self.root.get()
        return {} if value is NOT_SET else value

    def set_value(self, values: Mapping[str, Any]) -> Form:
        """Set the members named in ``values`` (``None`` unsets one); others keep their value.

        Raises ``ValueError`` for an unknown member and ``TypeError`` for a value of the wrong
        Python type; values of the right type that break the model's rules are kept and
        reported by :meth:`validate`.
        """
        self.root.update(dict(values))
        return self

    def reset(self) -> Form:
        """Every member back to "not set" (and DryRun back on); the output is cleared."""
        self.root.set(NOT_SET)
        self._apply_defaults()
        self.response, self.error, self.problems = None, None, []
        self._show("")
        return self

    def field(self, path: str) -> Field:
        """The field at a member path (``Tags[0].Key``), or the deepest one on the way."""
        return self.root.find(parse_path(path))

    def fields(self) -> Iterator[Field]:
        """Every field of the form, depth first."""
        yield from self.root.walk()

    def _top(self, name: str) -> Any:
        child = self.root.children.get(name)
        return None if child is None or child.get() is NOT_SET else child.get()

    # -- pickers ------------------------------------------------------------------------------
    def _get_catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog(self.kit, self.region)
        return self._catalog

    def pickers(self) -> list[PickerField]:
        """The resource pickers of the form."""
        return [f for f in self.fields() if isinstance(f, PickerField)]

    def load_pickers(self, refresh: bool = False) -> dict[str, int]:
        """Read the account's resources into every picker; ``{path: number of options}``."""
        if refresh and self._catalog is not None:
            self._catalog.refresh()
        self._pickers_loaded = True
        return {p.path: len(p.load()) for p in self.pickers()}

    def _on_pick(self, picker: Field, option: Option) -> None:
        resource = RESOURCES.get(option.kind)
        for name in resource.companions if resource else ():
            child = self.root.children.get(name)
            value = option.record.get(name)
            if child is not None and child is not picker and not child.is_set and value:
                child.set(str(value))

    def _on_field_change(self, field: Field) -> None:
        if field.path == "DryRun":
            self._show_dry_run()
        if field.path == EVENT_DESTINATION_PARENT:
            for picker in self.pickers():
                if picker.name == "EventDestinationName" and picker.loaded:
                    picker.load()
        if self._pending is not None:
            self._pending = None
            self.confirm_box.layout.display = "none"

    def _show_dry_run(self) -> None:
        on = self._top("DryRun") is True
        self.call_button.description = "Call (DryRun)" if on else "Call"
        self.dry_run_note.value = (
            "<small>DryRun is on: AWS checks the request but sends nothing.</small>" if on else ""
        )

    # -- checks -------------------------------------------------------------------------------
    def validate(self) -> list[Problem]:
        """Check the values; show each problem beside its field and return them all.

        Returns
        -------
        list of Problem
            ``(path, rule, message)`` tuples: botocore's validator (required, type, min,
            unions) plus the model's max, pattern and enum rules.
        """
        self.problems = check(self.value, self.operation.input)
        by_field: dict[int, list[str]] = {}
        for p in self.problems:
            by_field.setdefault(id(self.field(p.path)), []).append(p.message)
        for f in self.fields():
            f.show_problems(by_field.get(id(f), []))
        return self.problems

    def confirmation(self) -> str | None:
        """What calling with the current values will do, when it needs confirming; else None."""
        params = self.value
        if not needs_confirmation(self.name, params):
            return None
        return describe(self.kit, self.name, params, self._labels())

    def _labels(self) -> dict[str, str]:
        out = {}
        for picker in self.pickers():
            picked = picker.option()
            if picked is not None and "." not in picker.path:
                out[picker.name] = picked.label
        return out

    # -- calling ------------------------------------------------------------------------------
    def submit(self, confirm: bool = False) -> dict[str, Any] | None:
        """Validate and call the operation once.

        Parameters
        ----------
        confirm:
            Required for Send*, Request*, Release* and Delete* calls (unless DryRun is on).

        Returns
        -------
        dict or None
            The response, or ``None`` with :attr:`error` saying why nothing (or what) failed.
        """
        self.response, self.error = None, None
        params = self.value
        found = self.validate()
        if found:
            self.error = FormError(
                "validation",
                "Fix these values; nothing was sent.",
                fields=tuple(dict.fromkeys(p.path for p in found)),
                problems=tuple((p.path, p.message) for p in found),
            )
            self._show(problems_html(self.error.problems))
            return None
        if needs_confirmation(self.name, params) and not confirm:
            text = describe(self.kit, self.name, params, self._labels())
            self.error = FormError(
                "confirmation",
                f"Not sent: this call needs confirmation. {text} "
                "Use submit(confirm=True) to go ahead.",
            )
            self._show(error_html(self.error))
            return None
        return self._call(params)

    def _token(self, params: Mapping[str, Any]) -> str:
        digest = _digest(params)
        if self._attempt is None or self._attempt[0] != digest:
            self._attempt = (digest, str(uuid.uuid4()))
        return self._attempt[1]

    def _call(self, params: dict[str, Any]) -> dict[str, Any] | None:
        sent = dict(params)
        token_name = self.operation.idempotency_token
        if token_name and token_name not in sent:
            sent[token_name] = self.client_token = self._token(params)
        self._busy = True
        self.call_button.disabled = self.confirm_button.disabled = True
        try:
            response = self.kit.call(self.name, region=self.region, **sent)
        except botocore.exceptions.ClientError as err:
            self._attempt = None
            self.error = self._highlight(from_client_error(err), sent)
        except botocore.exceptions.ParamValidationError as err:
            self.error = FormError("client", str(err))
        except NETWORK_ERRORS as err:
            token = (
                f" Calling again reuses ClientToken {sent[token_name]}, so nothing is "
                "created twice."
                if token_name
                else ""
            )
            self.error = FormError("network", f"No answer from AWS ({err}).{token}")
        finally:
            self._busy = False
            self.call_button.disabled = self.confirm_button.disabled = False
        if self.error is not None:
            self._show(error_html(self.error))
            return None
        self._attempt = None
        self._last_sent = (_digest(params), time.monotonic())
        self.response = response
        self._show(response_html(response, f"{self.name} succeeded"))
        return response

    def _highlight(self, error: FormError, sent: Mapping[str, Any]) -> FormError:
        """Show the error beside the fields it names (``Fields``, or the ``ResourceId``)."""
        named = dict(error.problems)
        resource_id = str(error.response.get("ResourceId") or "")
        if resource_id:
            for name, value in sent.items():
                if isinstance(value, str) and (
                    value == resource_id
                    or value.endswith("/" + resource_id)
                    or resource_id.endswith("/" + value)
                ):
                    named.setdefault(
                        name,
                        f"{error.response.get('ResourceType', 'resource')} "
                        f"{resource_id}: {error.message}",
                    )
        for path, message in named.items():
            self.field(path).show_problems([f"{error.code}: {message}"])
        return dataclasses.replace(error, fields=tuple(named))

    def _show(self, markup: str) -> None:
        self.output.value = markup

    # -- buttons ------------------------------------------------------------------------------
    def _guard(self, handler: Any) -> None:
        try:
            handler()
        except Exception as err:  # a button must never fail silently in the log console
            self.error = FormError("client", f"{type(err).__name__}: {err}")
            self._show(error_html(self.error))

    def _on_validate_click(self) -> None:
        found = self.validate()
        self._show(
            problems_html([(p.path, p.message) for p in found])
            if found
            else "<div class='ppv2kit-valid'>✓ Valid: botocore's validator and the model's "
            "length, pattern and enum rules find nothing wrong.</div>"
        )

    def _on_call_click(self) -> None:
        if self._busy or self._pending is not None:
            return
        params = self.value
        if (
            self._last_sent is not None
            and self._last_sent[0] == _digest(params)
            and (time.monotonic() - self._last_sent[1] < self.DOUBLE_CLICK_SECONDS)
        ):
            return  # the second click of a double click
        if self.validate():
            self.submit()
            return
        if needs_confirmation(self.name, params):
            self._pending = _digest(params)
            text = describe(self.kit, self.name, params, self._labels())
            self.confirm_text.value = f"<b>Please confirm.</b> {html.escape(text)}"
            self.confirm_box.layout.display = "flex"
            return
        self.submit()

    def _on_confirm_click(self) -> None:
        if self._pending is None or self._busy:
            return
        pending, self._pending = self._pending, None
        self.confirm_box.layout.display = "none"
        if _digest(self.value) != pending:
            self._show(
                "<div>The values changed after the confirmation was asked: call again.</div>"
            )
            return
        self.submit(confirm=True)

    def _on_cancel_click(self) -> None:
        self._pending = None
        self.confirm_box.layout.display = "none"
        self._show("<div>Cancelled: nothing was sent.</div>")

    # -- introspection ------------------------------------------------------------------------
    def plan(self) -> pd.DataFrame:
        """Which widget each member got and why, one row per member path."""
        return pd.DataFrame(operation_plan(self.operation), columns=list(PLAN_COLUMNS))
