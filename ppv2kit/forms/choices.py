"""Fields whose "not set" is one of the choices: enums, booleans, lists of strings, files.

A :class:`ChoiceField` (Dropdown) and a :class:`BoolField` (ToggleButtons) offer an explicit
"not set" choice when the member is optional, so ``False`` is something you pick, never a default.
A :class:`TagsField` (TagsInput) is not set until it holds an item or is set to ``[]`` on purpose.
A value the widget cannot offer (an enum value the model does not list) is still shown, marked
"not allowed", so validation can point at it instead of the value silently disappearing.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..model import Shape
from .fields import NOT_SET, Field
from .mapping import NOT_SET_LABEL, Plan


class _IndexedField(Field):
    """A field over a selection widget driven by index: labels and values side by side."""

    def _build(self, widget_class: type[widgets.Widget], values: list[Any], **kw: Any) -> None:
        self.values = values
        self.optional = bool(self.plan.options.get("not_set", not self.required))
        if self.optional:
            self.values = [NOT_SET, *values]
        self.input = widget_class(
            options=[self._label(v) for v in self.values],
            index=0 if self.optional else None,
            **kw,
        )
        self.input.add_class("ppv2kit-input")
        self.input.observe(lambda _: self._changed(), "index")
        self._layout(self.input)

    def _label(self, value: Any) -> str:
        return NOT_SET_LABEL if value is NOT_SET else str(value)

    def get(self) -> Any:
        index = self.input.index
        return NOT_SET if index is None else self.values[index]

    def set(self, value: Any) -> None:
        if value is None or value is NOT_SET:
            index = 0 if self.optional else None
        else:
            self._check_type(value)
            if value not in self.values:
                self._admit(value)
            index = next(
                i for i, v in enumerate(self.values) if v == value and type(v) is type(value)
            )
        self._syncing, was = True, self._syncing
        try:
            self.input.index = index
        finally:
            self._syncing = was
        self._changed()

    def _check_type(self, value: Any) -> None:
        """Raise ``TypeError`` for a value of the wrong Python type."""

    def _admit(self, value: Any) -> None:
        raise ValueError(f"{self.path}: {value!r} is not one of {self.values[self.optional :]}")


class ChoiceField(_IndexedField):
    """An enum as a Dropdown; an optional one starts at "not set"."""

    def __init__(self, shape: Shape, plan: Plan, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        self._build(widgets.Dropdown, list(plan.options.get("options", shape.enum)))

    def _check_type(self, value: Any) -> None:
        if not isinstance(value, str):
            raise TypeError(f"{self.path}: expected a string, got {value!r}")

    def _admit(self, value: Any) -> None:
        """Keep an unknown enum value, labelled as not allowed, so validation can name it."""
        index = self.input.index
        self.values.append(value)
        self._syncing, was = True, self._syncing
        try:
            self.input.options = [
                *self.input.options[: len(self.values) - 1],
                f"{value} (not allowed)",
            ]
            self.input.index = index
        finally:
            self._syncing = was


class BoolField(_IndexedField):
    """A boolean as ToggleButtons: true, false and (when optional) not set."""

    def __init__(self, shape: Shape, plan: Plan, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        self._build(widgets.ToggleButtons, [True, False], style={"button_width": "6em"})

    def _label(self, value: Any) -> str:
        return NOT_SET_LABEL if value is NOT_SET else str(value).lower()

    def _check_type(self, value: Any) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"{self.path}: expected True or False, got {value!r}")


class TagsField(Field):
    """A list of strings as a TagsInput; enum values are offered as the allowed tags."""

    def __init__(self, shape: Shape, plan: Plan, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        allowed = list(plan.options.get("allowed_tags", ()))
        self.input = widgets.TagsInput(
            value=[],
            allowed_tags=allowed,
            allow_duplicates=bool(plan.options.get("allow_duplicates", False)),
        )
        self.input.add_class("ppv2kit-input")
        self._set = False
        self.input.observe(self._on_input, "value")
        self._layout(self.input)

    def _on_input(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self._set = bool(change["new"])
        self._changed()

    def get(self) -> Any:
        return list(self.input.value) if self._set else NOT_SET

    def set(self, value: Any) -> None:
        if value is None or value is NOT_SET:
            value, is_set = [], False
        else:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise TypeError(f"{self.path}: expected a list of strings, got {value!r}")
            value, is_set = list(value), True
        self._syncing, was = True, self._syncing
        try:
            allowed = list(self.input.allowed_tags)
            unknown = [v for v in value if allowed and v not in allowed]
            if unknown:  # keep them visible; validation names them
                self.input.allowed_tags = allowed + list(dict.fromkeys(unknown))
            self.input.value = value
        finally:
            self._syncing = was
        self._set = is_set
        self._changed()


class FileField(Field):
    """Binary data: a FileUpload (or bytes set from code)."""

    def __init__(self, shape: Shape, plan: Plan, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        self.input = widgets.FileUpload(multiple=False)
        self.input.add_class("ppv2kit-input")
        self.size = widgets.HTML("")
        self._blob: bytes | None = None
        self.input.observe(self._on_upload, "value")
        self._layout(self.input, self.size)

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        self._blob = bytes(files[0]["content"]) if files else None
        self._show()
        self._changed()

    def _show(self) -> None:
        self.size.value = "" if self._blob is None else f"<small>{len(self._blob)} bytes</small>"

    def get(self) -> Any:
        return NOT_SET if self._blob is None else self._blob

    def set(self, value: Any) -> None:
        if value is None or value is NOT_SET:
            self._blob = None
        elif isinstance(value, bytes | bytearray):
            self._blob = bytes(value)
        elif isinstance(value, str):
            self._blob = value.encode()
        else:
            raise TypeError(f"{self.path}: expected bytes, got {value!r}")
        self._show()
        self._changed()
