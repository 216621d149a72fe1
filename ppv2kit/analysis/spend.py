"""Spend against the monthly limits: month-to-date from CloudWatch, projection, warnings.

``DescribeSpendLimits`` gives the limits only (enforced, maximum, overridden). The spend itself is
the CloudWatch gauge ``AWS/SMSVoice`` ``TextMessageMonthlySpend`` / ``VoiceMessageMonthlySpend``
(/ ``MediaMessageMonthlySpend``), statistic ``Maximum``: a month-to-date total in USD, per
region, with **no datapoint before the month's first send**. So "no data yet" is reported as
such (``MonthToDate`` NA, ``DataStatus`` ``"no data yet"``), never as $0.

"This month" is the UTC calendar month of the backend's clock (the sandbox clock on a sandbox
kit). The projection to month end is linear on the month-to-date pace::

    Projected = MonthToDate × (month length / time elapsed since the month began)

which is exact for steady traffic and overshoots when a campaign ran early in the month; it is
labelled a projection everywhere it is shown. The elapsed time counts as at least
:data:`MIN_PACE` (one day): minutes into a month, a first send would otherwise project to
thousands of times its price (and on the 1st at 00:00 divide by zero). The month's length is the
calendar's (28, 29, 30 or 31 days).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from botocore.exceptions import BotoCoreError, ClientError

from ..frames.fetch import error_code, error_message
from .session import kit_now, month_window, parse_time

if TYPE_CHECKING:
    from ..kit import Kit

NAMESPACE = "AWS/SMSVoice"
#: Kind -> (spend limit name in DescribeSpendLimits, CloudWatch metric).
KINDS = {
    "TEXT": ("TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", "TextMessageMonthlySpend"),
    "VOICE": ("VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", "VoiceMessageMonthlySpend"),
    "MEDIA": ("MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT", "MediaMessageMonthlySpend"),
}
DEFAULT_KINDS = ("TEXT", "VOICE")
OK, WARNING, REACHED, NO_DATA = "ok", "warning", "limit reached", "no data yet"
DAY = pd.Timedelta(days=1)
#: The shortest time the month-to-date pace is measured over (see the module's docstring).
MIN_PACE = DAY

DAILY_COLUMNS = {
    "Account": "string",
    "Region": "string",
    "Kind": "string",
    "Timestamp": "datetime64[us, UTC]",
    "MonthToDate": "Float64",
}


def _kinds(kinds: Sequence[str] | None) -> list[str]:
    chosen = list(kinds or DEFAULT_KINDS)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown spend kinds {unknown}; choose from {', '.join(KINDS)}")
    return chosen


def read_month_to_date(
    kit: Kit,
    regions: Sequence[str] | None = None,
    *,
    kinds: Sequence[str] | None = None,
    now: Any = None,
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """The month's daily ``Maximum`` of each spend metric, read from CloudWatch.

    Every page of ``GetMetricData`` (botocore's paginator) per account and region, one query
    per kind (period one day, from the first of the month to ``now``); accounts and regions are
    read concurrently, up to the kit's ``max_workers`` at once.

    Returns
    -------
    (pandas.DataFrame, list)
        ``Account``, ``Region``, ``Kind``, ``Timestamp`` (the day), ``MonthToDate`` (USD) for
        every day with a datapoint; and the errors (``account``, ``region``, ``code``,
        ``message``) of regions whose metrics could not be read.
    """
    at = parse_time(now) or kit_now(kit)
    start, _ = month_window(at)
    chosen = _kinds(kinds)
    end = max(at, start + pd.Timedelta(minutes=1))
    where = [(a, r) for a in kit.accounts for r in (regions or kit.regions)]
    rows: list[tuple[Any, ...]] = []
    errors: list[dict[str, str]] = []
    workers = max(1, min(len(where), kit.max_workers))
    with ThreadPoolExecutor(workers, thread_name_prefix="ppv2kit-spend") as pool:
        reads = [
            pool.submit(_read_region, kit, account, region, chosen, start, end)
            for account, region in where
        ]
    for (account, region), read in zip(where, reads, strict=True):
        try:
            rows += read.result()
        except (ClientError, BotoCoreError) as err:
            errors.append(
                {
                    "account": account,
                    "region": region,
                    "code": error_code(err),
                    "message": error_message(err),
                }
            )
    out = pd.DataFrame(rows, columns=list(DAILY_COLUMNS))
    out["Timestamp"] = pd.to_datetime(out["Timestamp"], utc=True)
    out = out.astype(DAILY_COLUMNS)
    # Several pages or statistics may repeat a day: keep its highest value.
    out = out.groupby(["Account", "Region", "Kind", "Timestamp"], as_index=False)[
        "MonthToDate"
    ].max()
    return out.sort_values(["Account", "Region", "Kind", "Timestamp"]).reset_index(
        drop=True
    ), errors


def _queries(chosen: Sequence[str]) -> list[dict[str, Any]]:
    """One ``MetricStat`` query per kind: the daily ``Maximum`` of its spend gauge."""
    return [
        {
            "Id": f"q{i}",
            "MetricStat": {
                "Metric": {"Namespace": NAMESPACE, "MetricName": KINDS[kind][1]},
                "Period": 86400,
                "Stat": "Maximum",
            },
            "Label": kind,
            "ReturnData": True,
        }
        for i, kind in enumerate(chosen)
    ]


def _read_region(
    kit: Kit,
    account: str,
    region: str,
    chosen: Sequence[str],
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> list[tuple[Any, ...]]:
    """``(account, region, kind, day, value)`` of one region, every page of ``GetMetricData``."""
    cw = kit.client(region, account=account, service_name="cloudwatch")
    pages = cw.get_paginator("get_metric_data").paginate(
        MetricDataQueries=_queries(chosen),
        StartTime=start.to_pydatetime(),
        EndTime=end.to_pydatetime(),
    )
    rows = []
    for page in pages:
        for res in page.get("MetricDataResults", []):
            kind = chosen[int(res["Id"][1:])]
            for stamp, value in zip(res["Timestamps"], res["Values"], strict=True):
                rows.append((account, region, kind, pd.Timestamp(stamp), float(value)))
    return rows


def _status(row: dict[str, Any], warn_at: float) -> tuple[str, str]:
    limit, mtd, projected = row["EnforcedLimit"], row["MonthToDate"], row["Projected"]
    if row["DataStatus"] != OK:
        return (NO_DATA if row["DataStatus"] == NO_DATA else row["DataStatus"]), (
            "no datapoint this month: nothing sent yet (or metrics are not published)"
            if row["DataStatus"] == NO_DATA
            else "the spend metric could not be read"
        )
    if pd.isna(limit):
        return OK, "no limit of this kind"
    if limit <= 0 or mtd >= limit:
        return REACHED, f"month-to-date ${mtd:,.2f} has reached the ${limit:,} limit: sends stop"
    if mtd >= warn_at * limit:
        return WARNING, f"${mtd:,.2f} is {mtd / limit:.0%} of the ${limit:,} limit"
    if projected >= limit:
        when = row["LimitReachedAt"]
        day = f" around {when:%b %d}" if not pd.isna(when) else ""
        return WARNING, f"at this pace the ${limit:,} limit is reached{day} (projection)"
    if projected >= warn_at * limit:
        return WARNING, (
            f"projected ${projected:,.2f} by month end is {projected / limit:.0%} of the "
            f"${limit:,} limit (warning from {warn_at:.0%})"
        )
    return OK, f"projected ${projected:,.2f} of ${limit:,} by month end"


@dataclass
class SpendReport:
    """Spend against the limits for one moment.

    Attributes
    ----------
    status:
        One row per account, region and kind (see :func:`spend_report`).
    daily:
        The month's daily month-to-date values read from CloudWatch.
    limits:
        ``kit.spend_limits()`` as read (every kind, overrides included).
    as_of, month_start, month_end:
        The moment (backend clock) and its UTC month.
    errors:
        Regions whose CloudWatch metrics could not be read.
    """

    status: pd.DataFrame
    daily: pd.DataFrame
    limits: pd.DataFrame
    as_of: pd.Timestamp
    month_start: pd.Timestamp
    month_end: pd.Timestamp
    errors: list[dict[str, str]]

    def warnings(self) -> list[str]:
        """One line per region and kind whose status is not ``ok`` (limit reached first)."""
        rank = {REACHED: 0, WARNING: 1}
        rows = self.status[self.status["Status"].isin([REACHED, WARNING])]
        rows = rows.assign(_r=rows["Status"].map(rank)).sort_values(["_r", "Region", "Kind"])
        return [f"{r.Region} {r.Kind}: {r.Status.upper()}: {r.Note}" for r in rows.itertuples()]

    def trend(self) -> pd.DataFrame:
        """Daily month-to-date (``Series`` ``actual``) and the projection line to month end.

        Returns
        -------
        pandas.DataFrame
            ``Account``, ``Region``, ``Kind``, ``Timestamp``, ``MonthToDate``, ``Series``
            (``actual``/``projection``), ``EnforcedLimit``. The projection runs from
            (``as_of``, month-to-date) to (month end, projected); none for "no data yet".
        """
        # A daily Maximum is the total at the end of its day; the gauge starts at 0 each month.
        actual = self.daily.assign(
            Timestamp=(self.daily["Timestamp"] + DAY).clip(upper=self.as_of), Series="actual"
        )
        proj = []
        for r in self.status.to_dict("records"):
            if r["DataStatus"] != OK:
                continue
            proj.append(
                {
                    "Account": r["Account"],
                    "Region": r["Region"],
                    "Kind": r["Kind"],
                    "Timestamp": self.month_start,
                    "MonthToDate": 0.0,
                    "Series": "actual",
                }
            )
            for stamp, value in ((self.as_of, r["MonthToDate"]), (self.month_end, r["Projected"])):
                proj.append(
                    {
                        "Account": r["Account"],
                        "Region": r["Region"],
                        "Kind": r["Kind"],
                        "Timestamp": stamp,
                        "MonthToDate": value,
                        "Series": "projection",
                    }
                )
        out = pd.concat(
            [actual, pd.DataFrame(proj, columns=[*DAILY_COLUMNS, "Series"])], ignore_index=True
        )
        out = out.astype({**DAILY_COLUMNS, "Series": "string"}).sort_values(
            ["Account", "Region", "Kind", "Series", "Timestamp"], kind="stable"
        )
        limits = self.status[["Account", "Region", "Kind", "EnforcedLimit"]]
        return out.merge(limits, on=["Account", "Region", "Kind"], how="left")


def _limit_columns(limit: dict[str, Any]) -> dict[str, Any]:
    """The limit's columns (NA when the account has no limit of that kind)."""
    return {
        "EnforcedLimit": limit.get("EnforcedLimit", pd.NA),
        "MaxLimit": limit.get("MaxLimit", pd.NA),
        "Overridden": limit.get("Overridden", pd.NA),
    }


def _month_to_date(series: pd.DataFrame, failure: str | None) -> dict[str, Any]:
    """``MonthToDate``, ``DataStatus``, ``LastDatapoint`` from one kind's daily values."""
    if failure is not None:
        return {
            "MonthToDate": pd.NA,
            "DataStatus": f"unavailable: {failure}",
            "LastDatapoint": pd.NaT,
        }
    if series.empty:
        return {"MonthToDate": pd.NA, "DataStatus": NO_DATA, "LastDatapoint": pd.NaT}
    return {
        "MonthToDate": float(series["MonthToDate"].max()),
        "DataStatus": OK,
        "LastDatapoint": series["Timestamp"].max(),
    }


def _projection(
    row: dict[str, Any], at: pd.Timestamp, start: pd.Timestamp, end: pd.Timestamp
) -> dict[str, Any]:
    """The projection to month end and what follows from it (module docstring)."""
    mtd, enforced = row["MonthToDate"], row["EnforcedLimit"]
    data = row["DataStatus"] == OK
    elapsed = max(at - start, MIN_PACE) / DAY
    length = (end - start) / DAY
    projected = mtd * length / elapsed if data else pd.NA
    pace = mtd / elapsed if data else pd.NA
    reached_at = pd.NaT
    if data and not pd.isna(enforced) and pace > 0 and projected >= enforced:
        reached_at = at + DAY * max(0.0, (enforced - mtd) / pace)
    has_limit = data and not pd.isna(enforced) and enforced > 0
    return {
        "UsedShare": mtd / enforced if has_limit else pd.NA,
        "Projected": projected,
        "ProjectedShare": projected / enforced if has_limit else pd.NA,
        "Remaining": enforced - mtd if data and not pd.isna(enforced) else pd.NA,
        "LimitReachedAt": reached_at,
    }


def spend_report(
    kit: Kit,
    regions: Sequence[str] | None = None,
    *,
    kinds: Sequence[str] | None = None,
    warn_at: float = 0.8,
    now: Any = None,
) -> SpendReport:
    """Month-to-date spend against the monthly limits, per account, region and kind.

    Parameters
    ----------
    kit:
        ``ppv2kit.connect(...)``; its CloudWatch clients (``kit.client(region,
        service_name="cloudwatch")``) read the metrics.
    regions:
        Default: the kit's.
    kinds:
        ``TEXT``, ``VOICE``, ``MEDIA`` (default ``TEXT`` and ``VOICE``).
    warn_at:
        Share of the enforced limit from which the status is ``warning`` (0.8 = 80 %), for the
        month-to-date spend or for the projection to month end.
    now:
        The moment to report on (default: the backend's clock).

    Returns
    -------
    SpendReport
        ``status`` columns: ``Account``, ``Region``, ``Kind``, ``LimitName``,
        ``EnforcedLimit``, ``MaxLimit``, ``Overridden``, ``MonthToDate`` (USD, NA when there
        is no data yet), ``DataStatus`` (``ok``, ``no data yet``, ``unavailable: <code>``),
        ``LastDatapoint``, ``UsedShare``, ``Projected``, ``ProjectedShare``, ``Remaining``,
        ``LimitReachedAt`` (projected), ``Status`` (``ok``, ``warning``, ``limit reached``,
        ``no data yet``) and ``Note``.
    """
    if not 0 < warn_at <= 1:
        raise ValueError("warn_at is a share of the limit: 0 < warn_at <= 1")
    at = parse_time(now) or kit_now(kit)
    start, end = month_window(at)
    chosen = _kinds(kinds)
    regions = list(regions or kit.regions)
    limits = kit.spend_limits(regions=regions, progress=False)
    daily, errors = read_month_to_date(kit, regions, kinds=chosen, now=at)
    failed = {(e["account"], e["region"]): e["code"] for e in errors}
    rows = []
    for account in kit.accounts:
        for region in regions:
            here = limits[(limits["Account"] == account) & (limits["Region"] == region)]
            by_name = {str(r["Name"]): r for r in here.to_dict("records")}
            for kind in chosen:
                series = daily[
                    (daily["Account"] == account)
                    & (daily["Region"] == region)
                    & (daily["Kind"] == kind)
                ]
                row = {
                    "Account": account,
                    "Region": region,
                    "Kind": kind,
                    "LimitName": KINDS[kind][0],
                    **_limit_columns(by_name.get(KINDS[kind][0], {})),
                    **_month_to_date(series, failed.get((account, region))),
                }
                row.update(_projection(row, at, start, end))
                row["Status"], row["Note"] = _status(row, warn_at)
                rows.append(row)
    status = pd.DataFrame(rows, columns=list(STATUS_COLUMNS))
    for col in ("LastDatapoint", "LimitReachedAt"):
        status[col] = pd.to_datetime(status[col], utc=True)
    status = status.astype(STATUS_COLUMNS)
    return SpendReport(status, daily, limits, at, start, end, errors)


STATUS_COLUMNS = {
    "Account": "string",
    "Region": "string",
    "Kind": "string",
    "LimitName": "string",
    "EnforcedLimit": "Int64",
    "MaxLimit": "Int64",
    "Overridden": "boolean",
    "MonthToDate": "Float64",
    "DataStatus": "string",
    "LastDatapoint": "datetime64[us, UTC]",
    "UsedShare": "Float64",
    "Projected": "Float64",
    "ProjectedShare": "Float64",
    "Remaining": "Float64",
    "LimitReachedAt": "datetime64[us, UTC]",
    "Status": "string",
    "Note": "string",
}


def spend_status(
    kit: Kit,
    regions: Sequence[str] | None = None,
    *,
    kinds: Sequence[str] | None = None,
    warn_at: float = 0.8,
    now: Any = None,
) -> pd.DataFrame:
    """The ``status`` table of :func:`spend_report` (same parameters)."""
    return spend_report(kit, regions, kinds=kinds, warn_at=warn_at, now=now).status


def spend_limits(report: SpendReport) -> pd.DataFrame:
    """Every spend limit read, with what an override changed: ``Overridden`` limits first.

    Returns
    -------
    pandas.DataFrame
        ``Account``, ``Region``, ``Name``, ``EnforcedLimit``, ``MaxLimit``, ``Overridden`` and
        ``Headroom`` (``MaxLimit - EnforcedLimit``: how far an override lowered the limit).
    """
    df = report.limits.copy()
    df["Headroom"] = (df["MaxLimit"] - df["EnforcedLimit"]).astype("Int64")
    df = df.sort_values(["Overridden", "Region", "Name"], ascending=[False, True, True])
    return df.reset_index(drop=True)
