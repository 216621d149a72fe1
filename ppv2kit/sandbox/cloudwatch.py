"""CloudWatch's view of SMS spend: ``AWS/SMSVoice`` metrics read from the message log.

Three CloudWatch operations are emulated — GetMetricStatistics, GetMetricData (``MetricStat``
queries) and ListMetrics — over the dimensionless series of namespace ``AWS/SMSVoice``:

- ``TextMessageMonthlySpend``, ``VoiceMessageMonthlySpend``, ``MediaMessageMonthlySpend``: the
  month-to-date spend in USD (CloudWatch unit ``None``), one sample per priced message (the total
  after it), starting again at each UTC calendar month; statistic ``Maximum`` is the meaningful one.
- ``NumberOfTextMessagePartsSent`` (``Count``): one sample per text message, its ``Parts``.

Nothing is stored: every answer is derived from the account's and region's ``message`` documents
(:func:`ppv2kit.sandbox.spend.history`), so the metrics always agree with the spend limits and
there are no datapoints before the first send ("no data" is not $0). Periods bucket from the
(rounded) StartTime; StartTime rounding, the period-by-age rule and retention follow CloudWatch's
documentation. Every other CloudWatch operation answers ``NotImplementedException``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..model import load
from . import paging, spend
from .context import Context
from .errors import NotEmulated, ServiceError
from .kinds import MESSAGE
from .store import RegionStore

SERVICE = "cloudwatch"
NAMESPACE = "AWS/SMSVoice"
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
MAX_STATISTICS_DATAPOINTS = 1440  # GetMetricStatistics
DEFAULT_MAX_DATAPOINTS = 100_800  # GetMetricData
MAX_QUERIES = 500
LIST_WINDOW = 14 * 86400  # ListMetrics shows metrics with data in the last two weeks
RECENT_WINDOW = 3 * 3600  # RecentlyActive=PT3H
RETENTION = 455 * 86400
_HOUR, _DAY = 3600, 86400

_PERCENTILE = re.compile(r"p(\d{1,2}(?:\.\d+)?|100(?:\.0+)?)")
_OTHER_EXTENDED = re.compile(r"(?:tm|wm|tc|ts|pr)\(?[\d.:%]*\)?|iqm", re.IGNORECASE)
_QUERY_ID = re.compile(r"[a-z][a-zA-Z0-9_]*")

Samples = Callable[[RegionStore], Iterable[tuple[float, float]]]


@dataclass(frozen=True)
class Metric:
    """One emulated metric: its name, CloudWatch unit and where its samples come from."""

    name: str
    unit: str
    samples: Samples


def _spend_samples(channel: str) -> Samples:
    return lambda store: spend.history(store, channel)


def _text_parts(store: RegionStore) -> Iterator[tuple[float, float]]:
    for _, doc in store.items(MESSAGE):
        if doc.get("Channel") == "TEXT":
            yield float(doc["Timestamp"]), float(doc.get("Parts") or 0)


METRICS: dict[str, Metric] = {
    **{name: Metric(name, "None", _spend_samples(ch)) for ch, (_, name) in spend.CHANNELS.items()},
    "NumberOfTextMessagePartsSent": Metric("NumberOfTextMessagePartsSent", "Count", _text_parts),
}


class NotEmulatedFeature(NotEmulated):
    """A part of an emulated operation the sandbox does not emulate (metric math...)."""

    def __init__(self, message: str) -> None:
        ServiceError.__init__(self, "NotImplementedException", message)


def _invalid_value(message: str) -> ServiceError:
    return ServiceError("InvalidParameterValueException", message)


def _invalid_combination(message: str) -> ServiceError:
    return ServiceError("InvalidParameterCombinationException", message)


def _validation(message: str) -> ServiceError:
    return ServiceError("ValidationException", message)


# -- time and statistics -------------------------------------------------------------------------
def _seconds(value: Any, name: str, invalid: Callable[[str], ServiceError]) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise invalid(f"The parameter {name} is not a valid timestamp.") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def _window(
    params: Mapping[str, Any], invalid: Callable[[str], ServiceError]
) -> tuple[float, float]:
    start = _seconds(params["StartTime"], "StartTime", invalid)
    end = _seconds(params["EndTime"], "EndTime", invalid)
    if start >= end:
        raise invalid("The parameter StartTime must be less than the parameter EndTime.")
    return start, end


def _valid_period(period: int) -> bool:
    return period in (1, 5, 10, 20, 30) or period % 60 == 0


def _rounded_start(start: float, period: int, now: float) -> float:
    """StartTime rounded down as CloudWatch documents (minute, 5 minutes or hour by age)."""
    age = now - start
    if period < 60 and age <= 3 * _HOUR:
        unit = period
    elif age < 15 * _DAY:
        unit = 60
    elif age < 63 * _DAY:
        unit = 300
    else:
        unit = _HOUR
    return math.floor(start / unit) * unit


def _period_serves(start: float, period: int, now: float) -> bool:
    """False when CloudWatch returns no datapoints for a period this fine at this age."""
    age = now - start
    if age <= 3 * _HOUR:
        return True
    if age <= 15 * _DAY:
        return period % 60 == 0
    if age <= 63 * _DAY:
        return period % 300 == 0
    return period % 3600 == 0


def _statistic(stat: str, invalid: Callable[[str], ServiceError]) -> str:
    """``stat`` checked: a plain statistic or a percentile ``pNN``."""
    if stat in STATISTICS:
        return stat
    match = _PERCENTILE.fullmatch(stat)
    if match and float(match[1]) <= 100:
        return stat
    if _OTHER_EXTENDED.fullmatch(stat):
        raise NotEmulatedFeature(
            f"The ppv2kit sandbox computes SampleCount, Average, Sum, Minimum, Maximum and "
            f"percentiles (pNN) only, not {stat!r}."
        )
    raise invalid(f"The statistic {stat!r} is not valid.")


def compute(stat: str, values: list[float]) -> float:
    """One statistic of a non-empty list of samples."""
    if stat == "SampleCount":
        return float(len(values))
    if stat == "Sum":
        return float(sum(values))
    if stat == "Average":
        return float(sum(values) / len(values))
    if stat == "Minimum":
        return float(min(values))
    if stat == "Maximum":
        return float(max(values))
    rank = float(stat[1:]) / 100  # a percentile, nearest rank
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(rank * len(ordered)) - 1)])


def _metric(namespace: str | None, name: str | None, dimensions: list[Any] | None) -> Metric | None:
    if namespace != NAMESPACE or dimensions:
        return None  # only the dimensionless series of AWS/SMSVoice exist here
    return METRICS.get(name or "")


def _buckets(
    ctx: Context, metric: Metric | None, unit: str | None, start: float, end: float, period: int
) -> dict[float, list[float]]:
    """Samples of ``metric`` in [start, end) grouped by the period they fall in (from start)."""
    out: dict[float, list[float]] = {}
    if metric is None or (unit and unit != metric.unit):
        return out
    if not _period_serves(start, period, ctx.now):
        return out
    oldest = ctx.now - RETENTION
    for at, value in metric.samples(ctx.store):
        if start <= at < end and at >= oldest:
            out.setdefault(start + ((at - start) // period) * period, []).append(value)
    return out


# -- operations ----------------------------------------------------------------------------------
def get_metric_statistics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Statistics of one metric per period."""
    stats = params.get("Statistics") or []
    extended = params.get("ExtendedStatistics") or []
    if bool(stats) == bool(extended):
        raise _invalid_combination(
            "You must specify either Statistics or ExtendedStatistics, but not both."
        )
    for stat in extended:
        if _statistic(stat, _invalid_value) in STATISTICS:
            raise _invalid_value(f"{stat!r} is a statistic, not an extended statistic.")
    period = params["Period"]
    if not _valid_period(period):
        raise _invalid_value("The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60.")
    start, end = _window(params, _invalid_value)
    start = _rounded_start(start, period, ctx.now)
    requested = math.ceil((end - start) / period)
    if requested > MAX_STATISTICS_DATAPOINTS:
        raise _invalid_combination(
            f"You have requested up to {requested:,} datapoints, which exceeds the limit of "
            f"{MAX_STATISTICS_DATAPOINTS:,}. You may reduce the datapoints requested by "
            "increasing Period, or decreasing the time range."
        )
    metric = _metric(params["Namespace"], params["MetricName"], params.get("Dimensions"))
    buckets = _buckets(ctx, metric, params.get("Unit"), start, end, period)
    datapoints = []
    for at in sorted(buckets):
        values = buckets[at]
        point: dict[str, Any] = {"Timestamp": at, "Unit": metric.unit if metric else "None"}
        for stat in stats:
            point[stat] = compute(stat, values)
        if extended:
            point["ExtendedStatistics"] = {stat: compute(stat, values) for stat in extended}
        datapoints.append(point)
    return {"Label": params["MetricName"], "Datapoints": datapoints}


def _check_queries(queries: list[dict[str, Any]]) -> None:
    if not queries or len(queries) > MAX_QUERIES:
        raise _validation(
            f"The parameter MetricDataQueries must contain between 1 and {MAX_QUERIES} queries."
        )
    seen: set[str] = set()
    for i, query in enumerate(queries, 1):
        where = f"MetricDataQueries.member.{i}"
        query_id = query["Id"]
        if not _QUERY_ID.fullmatch(query_id):
            raise _validation(
                f"The value {query_id!r} for parameter {where}.Id is not valid: use letters, "
                "numbers and underscore, starting with a lowercase letter."
            )
        if query_id in seen:
            raise _validation(f"The value {query_id!r} for parameter {where}.Id is not unique.")
        seen.add(query_id)
        if query.get("Expression") is not None and query.get("MetricStat") is not None:
            raise _validation(f"{where} must have either MetricStat or Expression, not both.")
        if query.get("Expression") is not None:
            raise NotEmulatedFeature(
                f"The ppv2kit sandbox does not evaluate metric math or Metrics Insights "
                f"Expressions (query {query_id!r}); use MetricStat queries."
            )
        if query.get("MetricStat") is None:
            raise _validation(f"The parameter {where}.MetricStat is required.")
        stat = query["MetricStat"]
        _statistic(stat["Stat"], _validation)
        if not _valid_period(stat["Period"]):
            raise _validation(
                f"The parameter {where}.MetricStat.Period must be 1, 5, 10, 20, 30 or a "
                "multiple of 60."
            )


def _series(
    ctx: Context, query: dict[str, Any], start: float, end: float, ascending: bool
) -> tuple[dict[str, Any], list[tuple[float, float]]]:
    """A query's result (without data) and its ``(timestamp, value)`` points in scan order."""
    stat = query["MetricStat"]
    metric_ref = stat["Metric"]
    result: dict[str, Any] = {
        "Id": query["Id"],
        "Label": query.get("Label") or metric_ref.get("MetricName", query["Id"]),
        "Messages": [],
    }
    if query.get("AccountId") not in (None, ctx.account):
        result["StatusCode"] = "Forbidden"
        result["Messages"] = [
            {"Code": "Forbidden", "Value": f"No access to account {query['AccountId']}."}
        ]
        return result, []
    period = stat["Period"]
    begin = _rounded_start(start, period, ctx.now)
    metric = _metric(
        metric_ref.get("Namespace"), metric_ref.get("MetricName"), metric_ref.get("Dimensions")
    )
    buckets = _buckets(ctx, metric, stat.get("Unit"), begin, end, period)
    points = [(at, compute(stat["Stat"], buckets[at])) for at in sorted(buckets)]
    return result, points if ascending else points[::-1]


def get_metric_data(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Datapoints of up to 500 MetricStat queries, paged by MaxDatapoints."""
    queries = params["MetricDataQueries"]
    _check_queries(queries)
    start, end = _window(params, _validation)
    limit = params.get("MaxDatapoints") or DEFAULT_MAX_DATAPOINTS
    if limit < 1:
        raise _validation("The parameter MaxDatapoints must be greater than 0.")
    ascending = params.get("ScanBy") == "TimestampAscending"
    token_params = {k: v for k, v in params.items() if k != "MaxDatapoints"}
    try:
        offset = paging.decode_token(ctx.sandbox.secret, "GetMetricData", token_params)
    except ServiceError:
        raise ServiceError(
            "InvalidNextToken", "The NextToken is not valid for this request."
        ) from None
    returned = [q for q in queries if q.get("ReturnData", True)]
    series = [_series(ctx, q, start, end, ascending) for q in returned]
    flat = [(i, point) for i, (_, points) in enumerate(series) for point in points]
    page = flat[offset : offset + limit]
    more_after = {i for i, _ in flat[offset + limit :]}
    results = []
    for i, (result, _) in enumerate(series):
        mine = [point for j, point in page if j == i]
        results.append(
            {
                **result,
                "Timestamps": [at for at, _ in mine],
                "Values": [value for _, value in mine],
                "StatusCode": result.get("StatusCode")
                or ("PartialData" if i in more_after else "Complete"),
            }
        )
    token = None
    if offset + limit < len(flat):
        token = paging.encode_token(
            ctx.sandbox.secret, "GetMetricData", token_params, offset + limit
        )
    return {"MetricDataResults": results, "NextToken": token, "Messages": []}


def list_metrics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The AWS/SMSVoice metrics that received data in the last two weeks (or three hours)."""
    if params.get("NextToken"):
        raise _invalid_value("The NextToken is not valid for this request.")
    window = RECENT_WINDOW if params.get("RecentlyActive") == "PT3H" else LIST_WINDOW
    found: list[dict[str, Any]] = []
    if (
        params.get("OwningAccount") in (None, ctx.account)
        and params.get("Namespace") in (None, NAMESPACE)
        and not params.get("Dimensions")
    ):
        for name, metric in sorted(METRICS.items()):
            if params.get("MetricName") not in (None, name):
                continue
            if any(at >= ctx.now - window for at, _ in metric.samples(ctx.store)):
                found.append({"Namespace": NAMESPACE, "MetricName": name, "Dimensions": []})
    out: dict[str, Any] = {"Metrics": found}
    if params.get("IncludeLinkedAccounts"):
        out["OwningAccounts"] = [ctx.account] * len(found)
    return out


def handlers() -> dict[str, Callable[[Context, dict[str, Any]], dict[str, Any]]]:
    """Operation name -> handler for the CloudWatch operations the sandbox emulates."""
    cloudwatch = load(SERVICE)
    table = {}
    for name in cloudwatch.operation_names:
        fn = globals().get(cloudwatch.operation(name).snake_name)
        if callable(fn):
            table[name] = fn
    return table
