"""One scheduled snapshot: read spend and inventory now, append both to the history file.

``ppv2kit snapshot`` (for cron) calls :func:`take_snapshot`; run it daily and the spend notebook's
history chart becomes a trend across months.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .findings import findings_frame, inventory_findings
from .history import History
from .inventory import inventory, inventory_summary
from .spend import spend_report

if TYPE_CHECKING:
    from ..kit import Kit


@dataclass
class Snapshot:
    """What :func:`take_snapshot` recorded.

    Attributes
    ----------
    taken_at:
        The backend's clock when read.
    spend:
        The spend status rows written.
    inventory:
        The per-region inventory totals written.
    findings:
        The findings counted into the inventory rows.
    path:
        The history file.
    """

    taken_at: pd.Timestamp
    spend: pd.DataFrame
    inventory: pd.DataFrame
    findings: pd.DataFrame
    path: str

    def lines(self) -> list[str]:
        """A short human summary (what the CLI prints)."""
        out = [f"snapshot at {self.taken_at:%Y-%m-%d %H:%M:%S} UTC -> {self.path}"]
        for r in self.spend.to_dict("records"):
            mtd = "no data yet" if pd.isna(r["MonthToDate"]) else f"${r['MonthToDate']:,.2f}"
            limit = "" if pd.isna(r["EnforcedLimit"]) else f" of ${r['EnforcedLimit']:,}"
            out.append(f"  {r['Region']:<16} {r['Kind']:<6} {mtd}{limit}  [{r['Status']}]")
        for r in self.inventory.to_dict("records"):
            out.append(
                f"  {r['Region']:<16} {r['PhoneNumbers']} numbers, {r['SenderIds']} sender IDs, "
                f"{r['Pools']} pools, {r['OptedOutNumbers']} opted out, "
                f"${r['MonthlyLeasingUSD']:,.2f}/month"
            )
        return out


def take_snapshot(
    kit: Kit,
    history: History | str | os.PathLike[str] | None = None,
    *,
    regions: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    warn_at: float = 0.8,
) -> Snapshot:
    """Read spend and inventory through ``kit`` and append them to the history file.

    Parameters
    ----------
    kit:
        ``ppv2kit.connect(...)``.
    history:
        A :class:`History`, or its path (default :func:`~ppv2kit.analysis.history.default_path`).
    regions, kinds, warn_at:
        As for :func:`~ppv2kit.analysis.spend_report`.

    Returns
    -------
    Snapshot
    """
    report = spend_report(kit, regions, kinds=kinds, warn_at=warn_at)
    inv = inventory(kit, regions, with_tags=True)
    summary = inventory_summary(inv)
    found = findings_frame(inventory_findings(inv))
    own = not isinstance(history, History)
    store = History(history) if own else history
    assert isinstance(store, History)
    try:
        store.record_spend(report.status, backend=kit.backend, taken_at=report.as_of)
        store.record_inventory(summary, backend=kit.backend, taken_at=report.as_of, findings=found)
    finally:
        if own:
            store.close()
    return Snapshot(report.as_of, report.status, summary, found, str(store.path))
