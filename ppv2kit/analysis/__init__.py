"""Analysis: the logic the prebuilt notebooks call, tested here rather than in the notebooks.

Everything reads through a :class:`~ppv2kit.Kit` (its frames, and CloudWatch clients from
``kit.client(region, service_name="cloudwatch")``), never the sandbox's internals, so the same
code serves AWS and the sandbox.

- Inventory (:mod:`.inventory`, :mod:`.identities`): :func:`inventory` reads everything once;
  :func:`inventory_summary`, :func:`leasing_cost`, :func:`pools_with_members`,
  :func:`pool_members`, :func:`sender_ids`, :func:`event_destinations`, :func:`identities`,
  :func:`find_identity` are views of it.
- Findings (:mod:`.findings`): :class:`Finding`, :func:`inventory_findings`,
  :func:`findings_frame`.
- Spend (:mod:`.spend`, :mod:`.history`, :mod:`.snapshot`): :func:`spend_report` (limits,
  month-to-date from CloudWatch, projection, warnings), :class:`History` (the SQLite snapshot
  file), :func:`take_snapshot`.
- Opt-outs (:mod:`.optouts`, :mod:`.suppression`, :mod:`.export`): :func:`opted_out`,
  :func:`opt_out_timeline`, :func:`opt_out_lists`, :func:`list_users`,
  :func:`self_managed_identities`, :func:`on_several_lists`, :func:`suppression_check`,
  :func:`export`.
- Registrations (:mod:`.registrations`): :func:`registrations` reads them;
  :func:`registration_table`, :func:`blocked_senders`, :func:`needs_action`,
  :func:`denial_feedback`, :func:`status_counts`, :func:`version_timeline`,
  :func:`registration_findings` are views of it.
- Notebooks (:mod:`.session`, :mod:`.summary`, :mod:`.reports`): :func:`notebook_kit` (the
  parameters cell -> a kit), :class:`Summary` (machine-readable key results),
  :func:`run_notebook` (``ppv2kit run``).
"""

from ..display import findings as findings_table
from .export import excel_ready, export
from .findings import (
    CHECKS,
    SEVERITIES,
    Finding,
    findings_counts,
    findings_frame,
    inventory_findings,
)
from .history import History, default_path, history_path
from .identities import NO_POOL, Identity, find_identity, identities
from .inventory import (
    Inventory,
    event_destinations,
    inventory,
    inventory_summary,
    leasing_cost,
    pool_members,
    pools_with_members,
    sender_ids,
)
from .optouts import (
    list_users,
    on_several_lists,
    opt_out_lists,
    opt_out_sources,
    opt_out_timeline,
    opted_out,
    self_managed_identities,
)
from .registrations import (
    Registrations,
    blocked_senders,
    denial_feedback,
    needs_action,
    registration_findings,
    registration_table,
    registrations,
    status_counts,
    version_timeline,
)
from .reports import RunResult, inject_parameters, parameter_names, run_notebook
from .session import kit_now, month_window, notebook_kit
from .snapshot import Snapshot, take_snapshot
from .spend import KINDS, SpendReport, spend_limits, spend_report, spend_status
from .summary import Summary, escape_markdown, markdown, setup_display, summaries
from .suppression import (
    default_identity,
    demo_contacts,
    normalize_number,
    read_contacts,
    suppression_check,
    suppression_summary,
    suppression_widget,
)

__all__ = [
    "CHECKS",
    "KINDS",
    "NO_POOL",
    "SEVERITIES",
    "Finding",
    "History",
    "Identity",
    "Inventory",
    "Registrations",
    "RunResult",
    "Snapshot",
    "SpendReport",
    "Summary",
    "blocked_senders",
    "default_identity",
    "default_path",
    "demo_contacts",
    "denial_feedback",
    "escape_markdown",
    "event_destinations",
    "excel_ready",
    "export",
    "find_identity",
    "findings_counts",
    "findings_frame",
    "findings_table",
    "history_path",
    "identities",
    "inject_parameters",
    "inventory",
    "inventory_findings",
    "inventory_summary",
    "kit_now",
    "leasing_cost",
    "list_users",
    "markdown",
    "month_window",
    "needs_action",
    "normalize_number",
    "notebook_kit",
    "on_several_lists",
    "opt_out_lists",
    "opt_out_sources",
    "opt_out_timeline",
    "opted_out",
    "parameter_names",
    "pool_members",
    "pools_with_members",
    "read_contacts",
    "registration_findings",
    "registration_table",
    "registrations",
    "run_notebook",
    "self_managed_identities",
    "sender_ids",
    "setup_display",
    "spend_limits",
    "spend_report",
    "spend_status",
    "status_counts",
    "summaries",
    "suppression_check",
    "suppression_summary",
    "suppression_widget",
    "take_snapshot",
    "version_timeline",
]
