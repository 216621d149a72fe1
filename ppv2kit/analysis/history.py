"""The local history file: spend and inventory snapshots in SQLite, so scheduled runs build a trend.

Each ``ppv2kit snapshot`` (cron) or spend notebook run appends one row per account, region and
kind (spend) and one per account and region (inventory totals), stamped with the backend's clock
and the backend's name, so sandbox runs never mix with AWS in a trend. The file is plain SQLite
(``sqlite3 history.sqlite 'select * from spend'``); its schema version is ``PRAGMA
user_version``. The default location is ``$PPV2KIT_HISTORY``, else
``~/.ppv2kit/history.sqlite``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

ENV_HISTORY = "PPV2KIT_HISTORY"
SCHEMA_VERSION = 1

SPEND = {
    "taken_at": ("TEXT NOT NULL", "datetime64[us, UTC]"),
    "backend": ("TEXT NOT NULL", "string"),
    "account": ("TEXT NOT NULL", "string"),
    "region": ("TEXT NOT NULL", "string"),
    "kind": ("TEXT NOT NULL", "string"),
    "month": ("TEXT NOT NULL", "string"),
    "enforced_limit": ("INTEGER", "Int64"),
    "max_limit": ("INTEGER", "Int64"),
    "overridden": ("INTEGER", "boolean"),
    "month_to_date": ("REAL", "Float64"),  # NULL: no data yet
    "data_status": ("TEXT NOT NULL", "string"),
    "projected": ("REAL", "Float64"),
    "status": ("TEXT NOT NULL", "string"),
}
INVENTORY = {
    "taken_at": ("TEXT NOT NULL", "datetime64[us, UTC]"),
    "backend": ("TEXT NOT NULL", "string"),
    "account": ("TEXT NOT NULL", "string"),
    "region": ("TEXT NOT NULL", "string"),
    "phone_numbers": ("INTEGER", "Int64"),
    "sender_ids": ("INTEGER", "Int64"),
    "pools": ("INTEGER", "Int64"),
    "configuration_sets": ("INTEGER", "Int64"),
    "opt_out_lists": ("INTEGER", "Int64"),
    "opted_out_numbers": ("INTEGER", "Int64"),
    "monthly_leasing_usd": ("REAL", "Float64"),
    "findings_high": ("INTEGER", "Int64"),
    "findings": ("INTEGER", "Int64"),
}
TABLES = {"spend": SPEND, "inventory": INVENTORY}


def default_path() -> Path:
    """``$PPV2KIT_HISTORY``, else ``~/.ppv2kit/history.sqlite``."""
    env = os.environ.get(ENV_HISTORY)
    return Path(env).expanduser() if env else Path.home() / ".ppv2kit" / "history.sqlite"


MEMORY = ":memory:"


def history_path(kit: Any, path: str | os.PathLike[str] | None = None) -> Path | str:
    """Where a notebook keeps its snapshots: ``path`` when given; else, on AWS or an endpoint,
    :func:`default_path`; on the sandbox, ``$PPV2KIT_HISTORY`` when set, else memory only (a demo
    run never writes to the user's real history file unasked)."""
    if path is not None:
        return Path(path).expanduser() if str(path) != MEMORY else MEMORY
    if getattr(kit, "backend", None) == "SANDBOX" and not os.environ.get(ENV_HISTORY):
        return MEMORY
    return default_path()


def _value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, pd.Timestamp):
        return v.tz_convert("UTC").isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


class History:
    """Spend and inventory snapshots in a SQLite file.

    Parameters
    ----------
    path:
        The file (created with its folder); default :func:`default_path`. ``":memory:"`` keeps
        it in memory (tests).

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path not in (None, ":memory:") else path
        if self.path is None:
            self.path = default_path()
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=30)
        with self._db:
            for name, cols in TABLES.items():
                body = ", ".join(f"{c} {sql}" for c, (sql, _) in cols.items())
                self._db.execute(f"CREATE TABLE IF NOT EXISTS {name} ({body})")
                self._db.execute(
                    f"CREATE INDEX IF NOT EXISTS {name}_at ON {name} (backend, account, taken_at)"
                )
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def __repr__(self) -> str:
        return f"History({str(self.path)!r})"

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> int:
        cols = list(TABLES[table])
        marks = ", ".join("?" for _ in cols)
        with self._db:
            self._db.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                [[_value(r.get(c)) for c in cols] for r in rows],
            )
        return len(rows)

    def record_spend(self, status: pd.DataFrame, *, backend: str, taken_at: pd.Timestamp) -> int:
        """Append the rows of a spend ``status`` table (:func:`~ppv2kit.analysis.spend_report`).

        Parameters
        ----------
        status:
            ``SpendReport.status``.
        backend:
            ``kit.backend`` (``AWS``, ``ENDPOINT``, ``SANDBOX``).
        taken_at:
            The moment of the report (``SpendReport.as_of``).

        Returns
        -------
        int
            Rows written.
        """
        month = pd.Timestamp(taken_at).strftime("%Y-%m")
        rows = [
            {
                "taken_at": pd.Timestamp(taken_at),
                "backend": backend,
                "account": r["Account"],
                "region": r["Region"],
                "kind": r["Kind"],
                "month": month,
                "enforced_limit": r["EnforcedLimit"],
                "max_limit": r["MaxLimit"],
                "overridden": r["Overridden"],
                "month_to_date": r["MonthToDate"],
                "data_status": r["DataStatus"],
                "projected": r["Projected"],
                "status": r["Status"],
            }
            for r in status.to_dict("records")
        ]
        return self._insert("spend", rows)

    def record_inventory(
        self,
        summary: pd.DataFrame,
        *,
        backend: str,
        taken_at: pd.Timestamp,
        findings: pd.DataFrame | None = None,
    ) -> int:
        """Append per-region totals (:func:`~ppv2kit.analysis.inventory_summary`, no total row).

        ``findings`` (:func:`~ppv2kit.analysis.findings_frame`) adds finding counts per region.
        """
        counts: dict[tuple[str, str], tuple[int, int]] = {}
        if findings is not None:
            for (account, region), g in findings.groupby(["Account", "Region"], observed=True):
                counts[(account, region)] = (int((g["Severity"] == "high").sum()), len(g))
        rows = []
        for r in summary.to_dict("records"):
            if r["Region"] == "(all)":
                continue
            high, total = counts.get((r["Account"], r["Region"]), (0, 0))
            rows.append(
                {
                    "taken_at": pd.Timestamp(taken_at),
                    "backend": backend,
                    "account": r["Account"],
                    "region": r["Region"],
                    "phone_numbers": r["PhoneNumbers"],
                    "sender_ids": r["SenderIds"],
                    "pools": r["Pools"],
                    "configuration_sets": r["ConfigurationSets"],
                    "opt_out_lists": r["OptOutLists"],
                    "opted_out_numbers": r["OptedOutNumbers"],
                    "monthly_leasing_usd": r["MonthlyLeasingUSD"],
                    "findings_high": high if findings is not None else None,
                    "findings": total if findings is not None else None,
                }
            )
        return self._insert("inventory", rows)

    def _read(self, table: str, filters: dict[str, Any]) -> pd.DataFrame:
        cols = TABLES[table]
        where = [(k, v) for k, v in filters.items() if v is not None]
        sql = f"SELECT {', '.join(cols)} FROM {table}"
        if where:
            sql += " WHERE " + " AND ".join(f"{k} = ?" for k, _ in where)
        sql += " ORDER BY taken_at, rowid"
        rows = self._db.execute(sql, [v for _, v in where]).fetchall()
        df = pd.DataFrame(rows, columns=list(cols))
        df["taken_at"] = pd.to_datetime(df["taken_at"], utc=True, format="ISO8601")
        df["overridden" if table == "spend" else "findings"] = df[
            "overridden" if table == "spend" else "findings"
        ].astype("Int64")
        return df.astype({c: dtype for c, (_, dtype) in cols.items()})

    def spend(
        self,
        *,
        backend: str | None = None,
        account: str | None = None,
        region: str | None = None,
        kind: str | None = None,
    ) -> pd.DataFrame:
        """The spend snapshots, oldest first, optionally for one backend/account/region/kind."""
        return self._read(
            "spend", {"backend": backend, "account": account, "region": region, "kind": kind}
        )

    def inventory(
        self, *, backend: str | None = None, account: str | None = None, region: str | None = None
    ) -> pd.DataFrame:
        """The inventory snapshots, oldest first, optionally for one backend/account/region."""
        return self._read("inventory", {"backend": backend, "account": account, "region": region})
