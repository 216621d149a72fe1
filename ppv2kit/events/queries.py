"""The questions asked of delivery events, written once as SQL over two relations.

``events``: one row per delivery-event record, the record's own (camelCase) field names, times in
epoch milliseconds as the records carry them. ``messages``: one row per message, built from
``events`` by :data:`MESSAGES` (its latest event: final if any, else the newest; the service's
72-hour rule applied at ``$now``). Every answer reads ``messages``, grouped by the fields a caller
names. Statuses fall in four outcomes: ``delivered`` (DELIVERED, a final SUCCESSFUL, COMPLETED,
READ), ``failed`` (any other final status), ``pending`` (no final event yet) and ``unknown`` (no
final event 72 hours after the request: the service reports UNKNOWN). The SQL is DuckDB's.
"""

from __future__ import annotations

# The record fields a query may group by (besides the time bucket): the record format's own.
GROUP_FIELDS = (
    "isoCountryCode",
    "carrierName",
    "mcc",
    "mnc",
    "originationPhoneNumber",
    "destinationPhoneNumber",
    "messageType",
    "messageEncoding",
    "isInternationalSend",
    "channel",
    "status",
    "outcome",
)
NO_RECEIPT_MS = 72 * 3600 * 1000
SUCCESS = ("DELIVERED", "SUCCESSFUL", "COMPLETED", "READ")

# One row per message: the final event if there is one, else the newest.
MESSAGES = f"""
WITH ranked AS (
  SELECT *,
    row_number() OVER (
      PARTITION BY messageId
      ORDER BY coalesce(isFinal, false) DESC, eventTimestamp DESC, eventType
    ) AS pick,
    count(*) OVER (PARTITION BY messageId) AS eventCount
  FROM events
  WHERE messageId IS NOT NULL AND eventType IS NOT NULL
)
SELECT
  messageId,
  split_part(eventType, '_', 1) AS channel,
  CASE
    WHEN coalesce(isFinal, false) THEN messageStatus
    WHEN $now - messageRequestTimestamp >= {NO_RECEIPT_MS} THEN 'UNKNOWN'
    ELSE messageStatus
  END AS status,
  CASE
    WHEN coalesce(isFinal, false) AND messageStatus IN {SUCCESS} THEN 'delivered'
    WHEN coalesce(isFinal, false) THEN 'failed'
    WHEN $now - messageRequestTimestamp >= {NO_RECEIPT_MS} THEN 'unknown'
    ELSE 'pending'
  END AS outcome,
  coalesce(isFinal, false) AS isFinal,
  messageStatusDescription,
  eventType AS lastEventType,
  eventCount,
  messageRequestTimestamp,
  eventTimestamp AS lastEventTimestamp,
  CASE WHEN coalesce(isFinal, false) THEN eventTimestamp - messageRequestTimestamp END
    AS latencyMs,
  isoCountryCode, carrierName, mcc, mnc, originationPhoneNumber, destinationPhoneNumber,
  messageType, messageEncoding, isInternationalSend,
  coalesce(totalMessageParts, 0) AS parts,
  coalesce(totalMessagePrice, 0) AS price,
  coalesce(totalCarrierFee, 0) AS carrierFee,
  coalesce(totalMessagePrice, 0) + coalesce(totalCarrierFee, 0) AS cost
FROM ranked
WHERE pick = 1
"""

# Time buckets a ``freq`` names -> the unit of date_trunc.
FREQS = {"h": "hour", "D": "day", "W": "week", "M": "month", "MS": "month"}


def _keys(by: list[str], freq: str | None) -> tuple[str, str]:
    """The SELECT and GROUP BY lists for ``by`` and a time bucket of ``freq``."""
    keys = [f'"{field}"' for field in by]
    if freq is not None:
        keys.insert(
            0,
            f"date_trunc('{FREQS[freq]}', to_timestamp(messageRequestTimestamp / 1000)) AS period",
        )
    select = ", ".join(keys)
    group = ", ".join(["period", *keys[1:]] if freq is not None else keys)
    return select, group


def grouped(by: list[str], freq: str | None, measures: str, where: str = "true") -> str:
    """``SELECT <keys>, <measures> FROM messages WHERE <where> GROUP BY <keys> ORDER BY <keys>``."""
    if not by and freq is None:
        return f"SELECT {measures} FROM messages WHERE {where}"
    select, group = _keys(by, freq)
    return (
        f"SELECT {select}, {measures} FROM messages WHERE {where} GROUP BY {group} ORDER BY {group}"
    )


DELIVERY = """
  count(*) AS sent,
  count(*) FILTER (WHERE outcome = 'delivered') AS delivered,
  count(*) FILTER (WHERE outcome = 'failed') AS failed,
  count(*) FILTER (WHERE outcome = 'pending') AS pending,
  count(*) FILTER (WHERE outcome = 'unknown') AS unknown,
  count(*) FILTER (WHERE outcome = 'delivered')
    / nullif(count(*) FILTER (WHERE outcome IN ('delivered', 'failed', 'unknown')), 0)
    AS deliveryRate
"""

COST = """
  count(*) AS messages,
  sum(parts) AS parts,
  round(sum(price), 5) AS price,
  round(sum(carrierFee), 5) AS carrierFee,
  round(sum(cost), 5) AS cost
"""

LATENCY = """
  count(latencyMs) AS finalMessages,
  quantile_cont(latencyMs, 0.5) / 1000 AS medianSeconds,
  quantile_cont(latencyMs, 0.9) / 1000 AS p90Seconds,
  max(latencyMs) / 1000 AS maxSeconds
"""

FAILURES = """
  count(*) AS messages,
  round(sum(cost), 5) AS cost
"""
