"""Field widgets for scalar members: a value that can be "not set", checked as you type.

Every field keeps "not set" apart from ``False``, ``0`` and ``""``: :meth:`Field.get` returns
:data:`NOT_SET` for a member that will not be sent. Text and number fields carry a small "set"
checkbox (ticked by typing, unticked by clearing the text, and settable by hand, so an empty string
can still be sent on purpose); dropdowns and booleans have an explicit "not set" choice; a list of
strings is not set until it has an item or is set to ``[]`` on purpose.

Each field is one box with stable CSS classes (``ppv2kit-field``, ``ppv2kit-field-<Member>``,
``ppv2kit-path-<path>``) holding a label (required members are marked), the input
(``ppv2kit-input``), the model's documentation as help (``ppv2kit-help``) and its problems
(``ppv2kit-problems``; the box gets ``ppv2kit-invalid`` while it has any).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import ipywidgets as widgets

from ..constraints import problems as constraint_problems
from ..model import Shape
from .mapping import NOT_SET_LABEL, Plan
from .pickers import Catalog, Option


class _NotSet:
    """The value of a member that will not be sent (distinct from ``None``, False, 0, "")."""

    _instance: _NotSet | None = None

    def __new__(cls) -> _NotSet:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_SET"

    def __bool__(self) -> bool:
        return False


NOT_SET: Any = _NotSet()

# The rules a field checks as you type (botocore's validator and the form check the rest).
LIVE_RULES = frozenset({"min", "max", "pattern", "enum"})


def css_token(text: str) -> str:
    """A CSS-class-safe spelling of a member path: ``Tags[0].Key`` -> ``Tags-0-Key``."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "input"


def first_sentence(text: str, limit: int = 220) -> str:
    """The first sentence (or line) of ``text``, cut at ``limit`` characters."""
    line = text.split("\n", 1)[0]
    match = re.match(r"(.+?[.!?])(\s|$)", line)
    line = match.group(1) if match else line
    return line if len(line) <= limit else line[: limit - 1] + "…"


def plain_problem(message: str) -> str:
    """``Member must have length ...`` -> ``must have length ...``."""
    return re.sub(r"^Member must", "must", message)


@dataclass
class Context:
    """What a field needs from its form."""

    operation: str = ""
    catalog: Callable[[], Catalog | None] = lambda: None
    on_change: Callable[[Field], None] = lambda f: None
    on_pick: Callable[[Field, Option], None] = lambda f, o: None
    parents: dict[str, Callable[[], Any]] = field(default_factory=dict)


class Field:
    """One member of an input structure, rendered as a widget."""

    def __init__(
        self,
        shape: Shape,
        plan: Plan,
        *,
        name: str,
        path: str,
        required: bool = False,
        ctx: Context | None = None,
    ) -> None:
        self.shape, self.plan, self.name, self.path = shape, plan, name, path
        self.required = required
        self.ctx = ctx or Context()
        self.problems: list[str] = []
        self._syncing = False
        self.label = widgets.HTML(self._label_html())
        self.label.add_class("ppv2kit-label")
        self.help = widgets.HTML(self._help_html())
        self.help.add_class("ppv2kit-help")
        self.problem_box = widgets.HTML("")
        self.problem_box.add_class("ppv2kit-problems")
        self.widget = widgets.VBox()
        for cls in (
            "ppv2kit-field",
            f"ppv2kit-field-{css_token(name)}",
            f"ppv2kit-path-{css_token(path)}",
            f"ppv2kit-widget-{plan.widget}",
        ):
            self.widget.add_class(cls)
        if required:
            self.widget.add_class("ppv2kit-required")

    # -- rendering ----------------------------------------------------------------------------
    def _label_html(self) -> str:
        mark = ' <span class="ppv2kit-required-mark" title="required">*</span>'
        doc = html.escape(self.shape.documentation, quote=True)
        name = html.escape(self.name or "input")
        return f'<span title="{doc}"><b>{name}</b>{mark if self.required else ""}</span>'

    def _help_html(self) -> str:
        doc = first_sentence(self.shape.documentation)
        return f'<small style="color:#666">{html.escape(doc)}</small>' if doc else ""

    def _layout(self, *inputs: widgets.Widget) -> None:
        row = widgets.HBox([self.label, *inputs])
        self.label.layout.min_width = "14em"
        self.widget.children = (row, self.help, self.problem_box)

    # -- value --------------------------------------------------------------------------------
    @property
    def is_set(self) -> bool:
        """True when the member will be sent."""
        return self.get() is not NOT_SET

    def get(self) -> Any:
        """The member's value, or :data:`NOT_SET`."""
        raise NotImplementedError

    def set(self, value: Any) -> None:
        """Set the value; ``None`` or :data:`NOT_SET` clears it. Raises ``TypeError``."""
        raise NotImplementedError

    def clear(self) -> None:
        """Back to "not set"."""
        self.set(NOT_SET)

    # -- tree ---------------------------------------------------------------------------------
    def walk(self) -> Iterator[Field]:
        """This field and every field inside it."""
        yield self

    def find(self, tokens: Sequence[str]) -> Field:
        """The deepest field along ``tokens`` (a parsed member path); self when none."""
        return self

    # -- problems -----------------------------------------------------------------------------
    def live_problems(self) -> list[str]:
        """What is wrong with the value on its own (length, range, pattern, enum)."""
        value = self.get()
        if value is NOT_SET:
            return []
        found = constraint_problems(value, self.shape, self.path)
        return [plain_problem(p.message) for p in found if p.rule in LIVE_RULES]

    def show_problems(self, messages: Sequence[str]) -> None:
        """Show ``messages`` beside the field (an empty list clears them)."""
        self.problems = list(dict.fromkeys(messages))
        items = "".join(f"<li>{html.escape(m)}</li>" for m in self.problems)
        self.problem_box.value = f'<ul style="color:#b00020;margin:0">{items}</ul>' if items else ""
        if self.problems:
            self.widget.add_class("ppv2kit-invalid")
        else:
            self.widget.remove_class("ppv2kit-invalid")

    def _changed(self) -> None:
        if self._syncing:
            return
        self.show_problems(self.live_problems())
        self.ctx.on_change(self)


_SCALAR_WIDGETS: dict[str, type[widgets.Widget]] = {
    "Text": widgets.Text,
    "Textarea": widgets.Textarea,
    "Password": widgets.Password,
    "IntText": widgets.IntText,
    "FloatText": widgets.FloatText,
    "DatetimePicker": widgets.DatetimePicker,
    "Combobox": widgets.Combobox,
}
_TEXTUAL = frozenset({"Text", "Textarea", "Password", "Combobox"})


class ScalarField(Field):
    """Text, Textarea, Password, IntText, FloatText, DatetimePicker: with a "set" checkbox."""

    def __init__(self, shape: Shape, plan: Plan, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        self.input = _SCALAR_WIDGETS[plan.widget](**self._widget_kwargs())
        self.input.add_class("ppv2kit-input")
        self.set_box = widgets.Checkbox(value=False, indent=False, tooltip="send this member")
        self.set_box.layout.width = "2em"
        self.set_box.add_class("ppv2kit-set")
        self._set = False
        self.input.observe(self._on_input, "value")
        self.set_box.observe(self._on_set_box, "value")
        self._layout(self.set_box, self.input)
        self.widget.add_class("ppv2kit-unset")

    def _widget_kwargs(self) -> dict[str, Any]:
        opts = self.plan.options
        kw: dict[str, Any] = {}
        if self.plan.widget in _TEXTUAL:
            hint = []
            if "min" in opts or "max" in opts:
                hint.append(f"{opts.get('min', 0)}–{opts.get('max', '…')} chars")
            if opts.get("pattern"):
                hint.append(str(opts["pattern"]))
            kw["placeholder"] = opts.get("placeholder") or ", ".join(hint) or NOT_SET_LABEL
            kw["continuous_update"] = True
            kw["layout"] = widgets.Layout(width="32em")
        if self.plan.widget == "Textarea":
            kw["rows"] = 4
        if self.plan.widget == "Combobox":
            kw["ensure_option"] = False
        if self.plan.widget in ("IntText", "FloatText"):
            kw["value"] = self._blank_number()
        return kw

    def _blank_number(self) -> int | float:
        low = self.plan.options.get("min")
        return low if isinstance(low, int | float) and low > 0 else 0

    def _blank(self) -> Any:
        if self.plan.widget in _TEXTUAL:
            return ""
        if self.plan.widget == "DatetimePicker":
            return None
        return self._blank_number()

    def _on_input(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        new = change["new"]
        self._set = not (new is None or new == "")
        self._sync_box()
        self._changed()

    def _on_set_box(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self._set = bool(change["new"])
        self._sync_box()  # the unset look follows the box
        self._changed()

    def _sync_box(self) -> None:
        self._syncing, was = True, self._syncing
        try:
            self.set_box.value = self._set
        finally:
            self._syncing = was
        if self._set:
            self.widget.remove_class("ppv2kit-unset")
        else:
            self.widget.add_class("ppv2kit-unset")

    def get(self) -> Any:
        if not self._set:
            return NOT_SET
        value = self.input.value
        if self.plan.widget == "DatetimePicker" and value is None:
            return NOT_SET
        return value

    def set(self, value: Any) -> None:
        if value is None or value is NOT_SET:
            self._write(self._blank())
            self._set = False
        else:
            self._write(self._coerce(value))
            self._set = True
        self._sync_box()
        self._changed()

    def _write(self, value: Any) -> None:
        self._syncing, was = True, self._syncing
        try:
            self.input.value = value
        finally:
            self._syncing = was

    def _coerce(self, value: Any) -> Any:
        kind = self.plan.widget
        if kind in _TEXTUAL:
            if not isinstance(value, str):
                raise TypeError(f"{self.path}: expected a string, got {value!r}")
            return value
        if kind == "IntText":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{self.path}: expected an integer, got {value!r}")
            return value
        if kind == "FloatText":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{self.path}: expected a number, got {value!r}")
            return float(value)
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if not isinstance(value, datetime):
            raise TypeError(f"{self.path}: expected a datetime, got {value!r}")
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class PickerField(ScalarField):
    """A Combobox of the account's resources that still accepts any typed ID or ARN."""

    def __init__(self, shape: Shape, plan: Plan, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        self.options: list[Option] = []
        self.loaded = False
        self.refresh_button = widgets.Button(
            icon="refresh", tooltip="reload the account's resources", layout={"width": "3em"}
        )
        self.refresh_button.add_class("ppv2kit-picker-refresh")
        self.refresh_button.on_click(lambda _: self.load(refresh=True))
        self.resolved = widgets.HTML("")
        self.resolved.add_class("ppv2kit-picker-resolved")
        self.widget.add_class("ppv2kit-picker")
        self._layout(self.set_box, self.input, self.refresh_button, self.resolved)

    def load(self, refresh: bool = False) -> list[Option]:
        """Read the options through the form's catalog (once, or again with ``refresh``)."""
        catalog = self.ctx.catalog()
        if catalog is None:
            return self.options
        if refresh:
            catalog.refresh()
        parent_of = self.ctx.parents.get(self.name)
        parent = parent_of() if parent_of is not None else None
        self.options = catalog.options(self.plan.resources, self.shape, parent or None)
        self.loaded = True
        self._syncing, was = True, self._syncing
        try:
            self.input.options = tuple(o.label for o in self.options)
            # A value set by ID before the options were read is shown by its label now.
            named = next((o for o in self.options if o.value == self.input.value), None)
            if named is not None:
                self.input.value = named.label
        finally:
            self._syncing = was
        failed = [f"{k}: {catalog.errors[k]}" for k in self.plan.resources if k in catalog.errors]
        self.help.value = self._help_html() + (
            f'<br><small style="color:#b00020">could not list {html.escape("; ".join(failed))}'
            " — type an ID or ARN</small>"
            if failed
            else ""
        )
        self._show_resolved()
        return self.options

    def option(self) -> Option | None:
        """The picked option, when the text is one of the labels or values."""
        text = self.input.value
        return next((o for o in self.options if text in (o.label, o.value)), None)

    def get(self) -> Any:
        value = super().get()
        if value is NOT_SET:
            return value
        picked = self.option()
        return picked.value if picked is not None else value.strip()

    def _coerce(self, value: Any) -> Any:
        value = super()._coerce(value)
        picked = next((o for o in self.options if o.value == value), None)
        return picked.label if picked is not None else value

    def _on_input(self, change: dict[str, Any]) -> None:
        super()._on_input(change)
        self._show_resolved()
        picked = self.option()
        if picked is not None and not self._syncing:
            self.ctx.on_pick(self, picked)

    def _show_resolved(self) -> None:
        picked = self.option()
        self.resolved.value = (
            f"<small>→ <code>{html.escape(picked.value)}</code></small>"
            if picked is not None and picked.value != self.input.value
            else ""
        )
