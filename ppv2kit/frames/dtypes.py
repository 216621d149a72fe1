"""One table: botocore type name -> the nullable pandas dtype of a column, and the converters.

Every column of every frame gets its dtype here, from the model: strings ``string``, enum
strings ``category`` (the model's values, in model order, plus any value the service sends that
the installed model does not know yet), integers and longs ``Int64``, floats and doubles
``Float64``, booleans ``boolean``, timestamps tz-aware UTC, and blobs, lists, maps and
structures that are not flattened stay Python objects. Money strings (``MonthlyLeasingPrice``)
also get a numeric column (see :data:`MONEY_SUFFIX`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..model import Shape

# Timestamps: tz-aware UTC at microsecond resolution (what pandas 3 infers for datetimes).
TIMESTAMP = pd.DatetimeTZDtype(unit="us", tz="UTC")
OBJECT = np.dtype(object)

# botocore type name -> pandas dtype. The only place a column's dtype is decided.
DTYPES: Mapping[str, Any] = MappingProxyType(
    {
        "string": pd.StringDtype(),
        "integer": pd.Int64Dtype(),
        "long": pd.Int64Dtype(),
        "float": pd.Float64Dtype(),
        "double": pd.Float64Dtype(),
        "boolean": pd.BooleanDtype(),
        "timestamp": TIMESTAMP,
        "blob": OBJECT,
        "list": OBJECT,
        "map": OBJECT,
        "structure": OBJECT,
    }
)

# A string member whose name ends with this word holds an amount of money as text.
MONEY_MEMBER = re.compile(r"Price$")
# The numeric twin of a money column: ``MonthlyLeasingPrice`` -> ``MonthlyLeasingPriceUSD``
# (the API prices everything in US dollars).
MONEY_SUFFIX = "USD"
MONEY_DTYPE = pd.Float64Dtype()


def dtype_for(shape: Shape) -> Any:
    """The pandas dtype of a column holding values of ``shape``."""
    if shape.enum:
        return pd.CategoricalDtype(categories=list(shape.enum))
    return DTYPES.get(shape.type, OBJECT)


def is_money(name: str, shape: Shape) -> bool:
    """True for a string member that holds an amount of money (``MonthlyLeasingPrice``)."""
    return shape.type == "string" and not shape.enum and bool(MONEY_MEMBER.search(name))


def _categorical(values: Sequence[Any], dtype: pd.CategoricalDtype) -> pd.Categorical:
    known = list(dtype.categories)
    seen = set(values)
    seen.discard(None)
    extra = sorted(str(v) for v in seen.difference(known))
    categories = known + extra if extra else known
    return pd.Categorical(values, categories=categories)


def _timestamps(values: Sequence[Any], dtype: Any) -> Any:
    if not len(values):
        return pd.array([], dtype=dtype)
    converted = pd.to_datetime(pd.Series(values, dtype=OBJECT), utc=True, format="mixed")
    return converted.astype(dtype).array


def _objects(values: Sequence[Any], dtype: Any) -> Any:
    out = np.empty(len(values), dtype=OBJECT)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _nullable(values: Sequence[Any], dtype: Any) -> Any:
    return pd.array(values, dtype=dtype)


def money(values: Sequence[Any]) -> Any:
    """Money strings (``"1.00"``, ``"$2.00"``, ``"1,000.00"``) as ``Float64``; NA if unparsable."""
    cleaned = [
        v.replace("$", "").replace(",", "").strip() if isinstance(v, str) else None for v in values
    ]
    numbers = pd.to_numeric(pd.Series(cleaned, dtype=OBJECT), errors="coerce")
    return pd.array(numbers, dtype=MONEY_DTYPE)


# The kind of dtype -> how Python values become an array of it (nullable extension arrays
# by default).
_CONVERTERS: Mapping[type, Callable[[Sequence[Any], Any], Any]] = MappingProxyType(
    {
        pd.CategoricalDtype: _categorical,
        pd.DatetimeTZDtype: _timestamps,
        np.dtype: _objects,
    }
)


def convert(values: Sequence[Any], dtype: Any) -> Any:
    """``values`` (Python objects, ``None`` for absent) as an array of ``dtype``."""
    return _CONVERTERS.get(type(dtype), _nullable)(values, dtype)


def empty(dtype: Any) -> Any:
    """A zero-length array of ``dtype``."""
    return convert([], dtype)
