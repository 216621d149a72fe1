"""Container fields and the builder: structures as collapsible groups, lists and maps as rows.

:func:`build_field` is the only place a field is made: it asks :func:`.mapping.plan_for` for the
plan and :data:`FIELD_TYPES` for the class that renders that plan's widget. A :class:`GroupField`
holds its members (required first); the form's root is a group shown without a frame. A
:class:`RowsField` holds one row per list item or map entry, with add (``ppv2kit-add``) and remove
(``ppv2kit-remove``) buttons; rows are built from the member shapes with the same builder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import ipywidgets as widgets

from ..model import Shape
from .choices import BoolField, ChoiceField, FileField, TagsField
from .fields import NOT_SET, Context, Field, PickerField, ScalarField
from .mapping import Plan, plan_for

_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def parse_path(path: str) -> list[str]:
    """``Tags[0].Key`` -> ``["Tags", "[0]", "Key"]``."""
    return [
        f"[{m.group(1)}]" if m.group(1) is not None else m.group(2) for m in _TOKEN.finditer(path)
    ]


def _blank_item(shape: Shape) -> Any:
    """What an unfilled row sends: an empty structure (so its required members are named)."""
    return {"structure": {}, "map": {}, "list": [], "string": ""}.get(shape.type, NOT_SET)


class GroupField(Field):
    """A structure: its members' fields, in a collapsible Accordion (the root: a plain box)."""

    def __init__(self, shape: Shape, plan: Plan, *, root: bool = False, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        self.root = root
        self._explicit = False
        order = sorted(
            shape.members,
            key=lambda n: (n not in shape.required, shape.members[n].idempotency_token),
        )
        self.children: dict[str, Field] = {
            name: build_field(
                shape.members[name],
                name=name,
                path=f"{self.path}.{name}" if self.path else name,
                required=name in shape.required,
                ctx=self.ctx,
            )
            for name in order
        }
        self.body = widgets.VBox([f.widget for f in self.children.values()])
        self.body.add_class("ppv2kit-group-body")
        if root:
            self.widget.children = (self.body, self.problem_box)
            self.accordion = None
            return
        title = f"{self.name} *" if self.required else self.name
        self.accordion = widgets.Accordion(children=[self.body], titles=(title,))
        self.accordion.selected_index = 0 if self.required else None
        self.widget.children = (self.accordion, self.help, self.problem_box)
        self.widget.add_class("ppv2kit-group")

    def get(self) -> Any:
        out = {}
        for name, child in self.children.items():
            value = child.get()
            if value is not NOT_SET:
                out[name] = value
        return out if out or self._explicit else NOT_SET

    def set(self, value: Any) -> None:
        if value is None or value is NOT_SET:
            for child in self.children.values():
                child.set(NOT_SET)
            self._explicit = False
            return
        self.update(value, replace=True)

    def update(self, values: Any, *, replace: bool = False) -> None:
        """Set the members named in ``values`` (with ``replace``, clear the others)."""
        if not isinstance(values, dict):
            raise TypeError(f"{self.path or 'input'}: expected a dict, got {values!r}")
        unknown = [k for k in values if k not in self.children]
        if unknown:
            raise ValueError(
                f"{self.path or 'input'} has no member {', '.join(map(repr, unknown))}; "
                f"its members are {', '.join(self.children)}"
            )
        for name, child in self.children.items():
            if name in values:
                child.set(values[name])
            elif replace:
                child.set(NOT_SET)
        self._explicit = replace and not values
        if self.accordion is not None and values:
            self.accordion.selected_index = 0
        self._changed()

    def walk(self) -> Iterator[Field]:
        yield self
        for child in self.children.values():
            yield from child.walk()

    def find(self, tokens: Sequence[str]) -> Field:
        if tokens and tokens[0] in self.children:
            return self.children[tokens[0]].find(tokens[1:])
        return self

    def live_problems(self) -> list[str]:
        return []


class _Row:
    """One list item (``item``) or map entry (``key`` and ``item``) with its remove button."""

    def __init__(self, owner: RowsField, item: Field, key: Field | None) -> None:
        self.item, self.key = item, key
        self.remove = widgets.Button(
            icon="minus", tooltip="remove this row", layout={"width": "3em"}
        )
        self.remove.add_class("ppv2kit-remove")
        self.remove.on_click(lambda _: owner.remove_row(self))
        parts = [self.key.widget] if self.key is not None else []
        self.widget = widgets.HBox([*parts, self.item.widget, self.remove])
        self.widget.add_class("ppv2kit-row")


class RowsField(Field):
    """A list of structures, or a map: one row per item, added and removed by buttons."""

    def __init__(self, shape: Shape, plan: Plan, **kw: Any) -> None:
        super().__init__(shape, plan, **kw)
        self.is_map = shape.type == "map"
        self.rows: list[_Row] = []
        self._explicit = False
        self.add_button = widgets.Button(description="Add", icon="plus", tooltip="add a row")
        self.add_button.add_class("ppv2kit-add")
        self.add_button.on_click(lambda _: self.add_row())
        self.rows_box = widgets.VBox([])
        self.rows_box.add_class("ppv2kit-rows")
        self._layout(self.add_button)
        self.widget.children = (*self.widget.children[:1], self.rows_box, *self.widget.children[1:])

    @property
    def item_shape(self) -> Shape:
        item = self.shape.value if self.is_map else self.shape.member
        assert item is not None
        return item

    def add_row(self, value: Any = NOT_SET, key: Any = NOT_SET) -> _Row:
        """Append a row (optionally filled) and return it."""
        index = len(self.rows)
        path = f"{self.path}[{index}]"
        key_field = None
        if self.is_map:
            assert self.shape.key is not None
            key_field = build_field(
                self.shape.key, name="key", path=f"{self.path}.key", required=True, ctx=self.ctx
            )
            key_field.set(key)
            path = f"{self.path}.value"
        item = build_field(self.item_shape, name=self.name, path=path, required=True, ctx=self.ctx)
        item.widget.add_class("ppv2kit-item")
        item.set(value)
        row = _Row(self, item, key_field)
        self.rows.append(row)
        self.rows_box.children = tuple(r.widget for r in self.rows)
        self._changed()
        return row

    def remove_row(self, row: _Row) -> None:
        """Remove ``row``."""
        self.rows.remove(row)
        self.rows_box.children = tuple(r.widget for r in self.rows)
        self._changed()

    def get(self) -> Any:
        if not self.rows:
            return [] if self._explicit and not self.is_map else ({} if self._explicit else NOT_SET)
        blank = _blank_item(self.item_shape)
        if not self.is_map:
            items = [r.item.get() for r in self.rows]
            items = [blank if v is NOT_SET else v for v in items]
            return [v for v in items if v is not NOT_SET]
        out: dict[str, Any] = {}
        for r in self.rows:
            assert r.key is not None
            key, value = r.key.get(), r.item.get()
            if key is NOT_SET and value is NOT_SET:
                continue
            value = blank if value is NOT_SET else value
            if value is not NOT_SET:
                out["" if key is NOT_SET else key] = value
        return out

    def set(self, value: Any) -> None:
        if value is not None and value is not NOT_SET:
            expected = dict if self.is_map else (list, tuple)
            if not isinstance(value, expected):
                kind = "a dict" if self.is_map else "a list"
                raise TypeError(f"{self.path}: expected {kind}, got {value!r}")
        self._syncing, was = True, self._syncing
        try:
            self.rows = []
            self.rows_box.children = ()
            if value is None or value is NOT_SET:
                self._explicit = False
            else:
                self._explicit = True
                pairs = value.items() if self.is_map else ((NOT_SET, v) for v in value)
                for key, item in pairs:
                    self.add_row(item, key=key)
        finally:
            self._syncing = was
        self._changed()

    def walk(self) -> Iterator[Field]:
        yield self
        for row in self.rows:
            if row.key is not None:
                yield from row.key.walk()
            yield from row.item.walk()

    def find(self, tokens: Sequence[str]) -> Field:
        if not tokens:
            return self
        head = tokens[0]
        if not self.is_map and head.startswith("["):
            index = int(head[1:-1])
            return self.rows[index].item.find(tokens[1:]) if index < len(self.rows) else self
        if self.is_map:
            for row in self.rows:
                if row.key is not None and row.key.get() == head:
                    return row.item.find(tokens[1:])
        return self

    def live_problems(self) -> list[str]:
        value = self.get()
        if value is NOT_SET:
            return []
        low, high = self.shape.min, self.shape.max
        out = []
        if low is not None and len(value) < low:
            out.append(f"must have at least {low} item{'s' if low != 1 else ''}")
        if high is not None and len(value) > high:
            out.append(f"must have at most {high} items")
        return out


FIELD_TYPES: dict[str, type[Field]] = {
    "Text": ScalarField,
    "Textarea": ScalarField,
    "Password": ScalarField,
    "IntText": ScalarField,
    "FloatText": ScalarField,
    "DatetimePicker": ScalarField,
    "Combobox": PickerField,
    "Dropdown": ChoiceField,
    "ToggleButtons": BoolField,
    "TagsInput": TagsField,
    "FileUpload": FileField,
    "Rows": RowsField,
    "Group": GroupField,
}


def build_field(
    shape: Shape, *, name: str, path: str, required: bool = False, ctx: Context | None = None
) -> Field:
    """Build the field for one member: plan it with the mapping table, then render the plan."""
    ctx = ctx or Context()
    plan = plan_for(shape, member=name, operation=ctx.operation, required=required)
    return FIELD_TYPES[plan.widget](shape, plan, name=name, path=path, required=required, ctx=ctx)
