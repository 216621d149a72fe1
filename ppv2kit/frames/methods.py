"""Generated listing methods: one per paginated operation, with a real name, signature and doc.

``Kit.phone_numbers`` is made here from the plan of ``DescribePhoneNumbers``: its keyword-only
parameters are the operation's own (AWS names, annotated from the model, required ones without a
default), then the frame options; its docstring is the model's documentation of the operation,
each parameter and each column with its dtype. ``help()`` and ``?`` show all of it.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any

import pandas as pd

from .plan import ACCOUNT, REGION, FramePlan

WIDTH = 92


def _wrap(text: str, indent: str = "    ") -> str:
    paragraphs = [p for p in text.splitlines() if p.strip()] or [""]
    return "\n".join(
        textwrap.fill(
            p, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        )
        for p in paragraphs
    )


def signature(plan: FramePlan) -> inspect.Signature:
    """The generated method's signature: ``(self, *, <AWS params>, <frame options>)``."""
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for p in plan.params:
        annotation = p.annotation
        if p.name == plan.parent:
            annotation = str | list[str] | None
            params.append(inspect.Parameter(p.name, kw, default=None, annotation=annotation))
        elif p.required:
            params.append(inspect.Parameter(p.name, kw, annotation=annotation))
        else:
            params.append(inspect.Parameter(p.name, kw, default=None, annotation=annotation | None))
    if plan.filter_names:
        params.append(
            inspect.Parameter("filters", kw, default=None, annotation=dict[str, Any] | None)
        )
    params += [
        inspect.Parameter("regions", kw, default=None, annotation=list[str] | None),
        inspect.Parameter("accounts", kw, default=None, annotation=list[str] | None),
        inspect.Parameter("progress", kw, default=None, annotation=bool | None),
    ]
    if plan.arn_column:
        params.append(inspect.Parameter("with_tags", kw, default=False, annotation=bool))
    return inspect.Signature(params, return_annotation=pd.DataFrame)


def docstring(plan: FramePlan) -> str:
    """The generated method's numpy-style docstring, from the model."""
    summary = plan.documentation.splitlines()[0] if plan.documentation else plan.operation
    lines = [
        summary,
        "",
        _wrap(
            f"A DataFrame with one row per {plan.item_name}, every page, in every region and "
            f"account of the kit, fetched concurrently. Wraps boto3 ``client.{plan.snake_name}`` "
            f"through its paginator; same as ``kit.frame({plan.operation!r}, ...)``.",
            "",
        ),
    ]
    if plan.parent:
        sources = " and ".join(s.operation for s in plan.sources)
        lines += [
            "",
            _wrap(
                f"Without ``{plan.parent}`` it fans out: lists every parent ({sources}) and "
                f"fetches the {plan.item_name} items of each. Give one value or a list to "
                "restrict it.",
                "",
            ),
        ]
    lines += ["", "Parameters", "----------"]
    for p in plan.params:
        kind = _annotation_text(p.annotation)
        if p.name == plan.parent:
            kind = "str or list of str, optional"
        elif not p.required:
            kind += ", optional"
        lines.append(f"{p.name} : {kind}")
        doc = p.documentation or ""
        if p.enum:
            doc += f"\nOne of: {', '.join(p.enum)}."
        lines.append(_wrap(doc or "(undocumented in the model)"))
    if plan.filter_names:
        example = plan.filter_names[0].replace("-", "_")
        lines += [
            "filters : dict, optional",
            _wrap(
                f'Filters the friendly way, ``{{"{example}": value or [values], ...}}`` (values '
                "OR, filters AND; added to ``Filters``; names with - or _). Names: "
                + ", ".join(plan.filter_names)
                + "."
            ),
        ]
    lines += [
        "regions : list of str, optional",
        _wrap("Regions to read (default: the kit's regions)."),
        "accounts : list of str, optional",
        _wrap("Accounts to read (default: every account of the kit)."),
        "progress : bool, optional",
        _wrap("Show a progress bar (default: only for pulls longer than a second)."),
    ]
    if plan.arn_column:
        lines += [
            "with_tags : bool, default False",
            _wrap(f"Add a ``Tags`` column ({{key: value}}) read for each ``{plan.arn_column}``."),
        ]
    lines += ["", "Returns", "-------", "pandas.DataFrame"]
    lines.append(
        _wrap(
            f"``{ACCOUNT}`` and ``{REGION}`` say where each row comes from. ``df.attrs`` holds "
            "the operation, parameters, regions, fetch time and any per-region errors. Columns:"
        )
    )
    for column in plan.columns:
        lines.append(f"    - {column.name} ({column.dtype})")
    return "\n".join(lines)


def _annotation_text(annotation: Any) -> str:
    if getattr(annotation, "__args__", None):
        return str(annotation)
    return getattr(annotation, "__name__", str(annotation))


def make_method(plan: FramePlan, owner: str = "Kit") -> Callable[..., pd.DataFrame]:
    """The kit method for ``plan``: ``kit.phone_numbers(**params)`` is ``kit.frame(...)``."""
    operation = plan.operation

    def method(self: Any, **params: Any) -> pd.DataFrame:
        return self.frame(operation, **params)

    method.__name__ = plan.method
    method.__qualname__ = f"{owner}.{plan.method}"
    method.__doc__ = docstring(plan)
    method.__signature__ = signature(plan)  # type: ignore[attr-defined]
    method.__module__ = "ppv2kit.kit"
    return method
