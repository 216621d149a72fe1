"""Forms: an ipywidgets form for every non-paginated operation, built from the model.

``form(kit, "CreatePool")`` returns a :class:`Form`; ``composer(kit)`` returns the SMS
:class:`Composer` (a SendTextMessage form with a live encoding/parts/price counter). The kit's
``kit.form()`` and ``kit.composer()`` delegate to these two functions.

Modules, one concept each: :mod:`.mapping` (shape -> widget plan: the one table),
:mod:`.fields` and :mod:`.choices` (field widgets with "not set"), :mod:`.groups` (structures,
lists, maps, and the builder), :mod:`.pickers` (which inputs name which resources, and the
account's resources as options), :mod:`.confirm` (what a costly call will do),
:mod:`.results` (responses and errors in plain words), :mod:`.form`, :mod:`.composer`, and
:mod:`.registration` (a registration's form, built at run time from the service's own section
and field definitions: ``registration_form(kit, ...)``, which ``kit.registration_form()`` calls).
"""

from __future__ import annotations

from typing import Any

from .. import model as _model
from .composer import Composer
from .fields import NOT_SET
from .form import Form
from .mapping import Plan, plan_for
from .registration import RegistrationForm, registration_form
from .results import FormError

__all__ = [
    "NOT_SET",
    "Composer",
    "Form",
    "FormError",
    "Plan",
    "RegistrationForm",
    "composer",
    "form",
    "form_operations",
    "plan_for",
    "registration_form",
]


def form(kit: Any, operation: str, region: str | None = None) -> Form:
    """An ipywidgets form for ``operation`` (model name or snake_case), calling through ``kit``.

    Parameters
    ----------
    kit:
        The kit (``ppv2kit.connect(...)``): its backend, regions, ``call`` and ``frame``.
    operation:
        Any operation that is not a paginated listing (``CreatePool``, ``send_text_message``).
    region:
        The region the form calls; the kit's first region when omitted.

    Returns
    -------
    Form
        Display it in a notebook, or use ``set_value``/``validate``/``submit`` from code.
    """
    op = _model.load().operation(operation)
    if op.paginator is not None:
        raise ValueError(
            f"{op.name} is a paginated listing: read it as a DataFrame with kit.frame({op.name!r})"
        )
    return Form(kit, op.name, region)


def composer(kit: Any, region: str | None = None) -> Composer:
    """The SMS composer: a SendTextMessage form with a live encoding, parts and price counter.

    Parameters
    ----------
    kit:
        The kit; prices are estimated from the sandbox's price list only on a SANDBOX backend.
    region:
        The region the form calls; the kit's first region when omitted.
    """
    return Composer(kit, region)


def form_operations() -> list[str]:
    """Every operation that has a form: the model's operations that are not paginated listings."""
    return [op.name for op in _model.load().operations() if op.paginator is None]
