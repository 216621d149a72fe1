"""ppv2kit.events: every answer checked against totals worked out by hand on a small set.

The set (Firehose layout, one file plain, one gzip) holds: m1 delivered to the US with a carrier
fee, two parts; m2 with a retry (PENDING twice, then DELIVERED) in GB; m3 failed in GB
(CARRIER_UNREACHABLE); m4 still pending (accepted an hour before the newest event); m5 accepted
80 hours before the newest event and never final (UNKNOWN by the service's rule); a call m6
completed; one truncated line; one record of another format (no messageId).
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from ppv2kit import events
from ppv2kit.sandbox import outcomes
from tests.sending_support import config_set, number

T0 = 1_800_000_000_000  # 2027-01-15T08:00:00Z, in ms
HOUR = 3_600_000


def record(message_id, event_type, at, *, final, request=T0, **extra):
    base = {
        "eventType": event_type,
        "eventVersion": "1.0",
        "eventTimestamp": at,
        "isFinal": final,
        "originationPhoneNumber": "+18445550100",
        "destinationPhoneNumber": "+12065550100",
        "isInternationalSend": False,
        "isoCountryCode": "US",
        "messageId": message_id,
        "messageRequestTimestamp": request,
        "messageEncoding": "GSM",
        "messageType": "TRANSACTIONAL",
        "messageStatus": event_type.split("_", 1)[1],
        "messageStatusDescription": "",
        "context": {},
        "totalMessageParts": 1,
        "totalMessagePrice": 0.00581,
        "totalCarrierFee": 0.0,
    }
    return {**base, **extra}


GB = {"isoCountryCode": "GB", "carrierName": "EE", "totalMessagePrice": 0.0399}
LAST = T0 + 80 * HOUR  # the newest event of the set


def hand_made() -> list[dict]:
    m1 = {"totalMessageParts": 2, "totalMessagePrice": 0.01162, "totalCarrierFee": 0.00604}
    return [
        record("m1", "TEXT_SUCCESSFUL", T0 + 1000, final=False, carrierName="AT&T", **m1),
        record("m1", "TEXT_DELIVERED", T0 + 3000, final=True, carrierName="AT&T", **m1),
        record("m2", "TEXT_PENDING", T0 + 1000, final=False, **GB),
        record("m2", "TEXT_PENDING", T0 + 60_000, final=False, **GB),
        record("m2", "TEXT_DELIVERED", T0 + 120_000, final=True, **GB),
        record(
            "m3",
            "TEXT_CARRIER_UNREACHABLE",
            T0 + 1000,
            final=True,
            messageStatusDescription="Phone carrier is currently unreachable/unavailable",
            **GB,
        ),
        record("m4", "TEXT_SUCCESSFUL", LAST, final=False, request=LAST - HOUR),
        record("m5", "TEXT_SUCCESSFUL", T0 + 1000, final=False, request=T0 - 0),
        record(
            "m6",
            "VOICE_COMPLETED",
            T0 + 20_000,
            final=True,
            totalMessagePrice=0.013,
            callDurationInSeconds=14,
        ),
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    rows = [json.dumps(r) for r in hand_made()]
    first = tmp_path / "2027" / "01" / "15" / "08" / "sms-events-1-2027-01-15-08-00-00-a.gz"
    first.parent.mkdir(parents=True)
    first.write_bytes(gzip.compress(("\n".join(rows[:5]) + "\n").encode()))
    second = tmp_path / "2027" / "01" / "18" / "16" / "sms-events-1-2027-01-18-16-00-00-b"
    second.parent.mkdir(parents=True)
    foreign = json.dumps({"notification": {"messageId": None}, "status": "SUCCESS"})
    lines = [*rows[5:], '{"eventType": "TEXT_DELIVERED", "messageId": "trunc', foreign, ""]
    second.write_text("\n".join(lines) + "\n")
    (tmp_path / ".DS_Store").write_text("not events")
    return tmp_path


def opened(folder: Path) -> events.Events:
    with pytest.warns(UserWarning, match="1 line.* not JSON records and 1 record"):
        return events.open(folder)


def test_problems_are_counted_and_reported_never_fatal(folder):
    ev = opened(folder)
    assert ev.problems == events.Problems(lines=11, records=10, malformed=1, foreign=1)
    assert len(ev.files) == 2  # hidden files are not events


def test_one_row_per_message_with_its_latest_status_and_the_72_hour_rule(folder):
    messages = opened(folder).messages().set_index("messageId")
    assert list(messages.index) == ["m1", "m2", "m3", "m5", "m6", "m4"]  # by request time, ID
    assert messages["status"].to_dict() == {
        "m1": "DELIVERED",
        "m2": "DELIVERED",
        "m3": "CARRIER_UNREACHABLE",
        "m4": "SUCCESSFUL",
        "m5": "UNKNOWN",
        "m6": "COMPLETED",
    }
    assert messages.loc["m2", "eventCount"] == 3  # the retry
    assert messages.loc["m1", "cost"] == pytest.approx(0.01162 + 0.00604)
    assert messages.loc["m2", "latencyMs"] == 120_000
    assert pd.isna(messages.loc["m4", "latencyMs"])
    assert str(messages["messageRequestTimestamp"].dtype) == "datetime64[us, UTC]"
    assert messages.loc["m1", "messageRequestTimestamp"] == pd.Timestamp(T0, unit="ms", tz="UTC")


def test_now_decides_what_is_still_pending(folder):
    with pytest.warns(UserWarning):
        early = events.open(folder, now=datetime.fromtimestamp((T0 + HOUR) / 1000, timezone.utc))
    assert early.messages().set_index("messageId").loc["m5", "status"] == "SUCCESSFUL"
    with pytest.raises(ValueError, match=r"^now: .* no time zone"), pytest.warns(UserWarning):
        events.open(folder, now=datetime(2027, 1, 15))


def test_delivery_by_country(folder):
    frame = opened(folder).delivery(by="isoCountryCode").set_index("isoCountryCode")
    us, gb = frame.loc["US"], frame.loc["GB"]
    # US: m1 delivered, m4 pending, m5 unknown, m6 completed
    assert (us.sent, us.delivered, us.failed, us.pending, us.unknown) == (4, 2, 0, 1, 1)
    assert us.deliveryRate == pytest.approx(2 / 3)
    assert (gb.sent, gb.delivered, gb.failed, gb.pending) == (2, 1, 1, 0)
    assert gb.deliveryRate == pytest.approx(0.5)
    total = opened(folder).delivery()
    assert total.loc[0, "sent"] == 6


def test_cost_by_country_and_day_adds_price_and_carrier_fee(folder):
    ev = opened(folder)
    frame = ev.cost(by="isoCountryCode").set_index("isoCountryCode")
    us_price = 0.01162 + 0.00581 + 0.00581 + 0.013
    assert frame.loc["US", "price"] == pytest.approx(us_price)
    assert frame.loc["US", "carrierFee"] == pytest.approx(0.00604)
    assert frame.loc["US", "cost"] == pytest.approx(us_price + 0.00604)
    assert frame.loc["US", "parts"] == 5
    assert frame.loc["GB", "cost"] == pytest.approx(2 * 0.0399)
    daily = ev.cost(freq="D")
    assert list(daily["period"].dt.day) == [15, 18]  # m4 was asked for on the 18th
    assert daily["messages"].tolist() == [5, 1]


def test_latency_and_failures(folder):
    ev = opened(folder)
    latency = ev.latency(by="channel").set_index("channel")
    # final texts: m1 3 s, m2 120 s, m3 1 s
    assert latency.loc["TEXT", "finalMessages"] == 3
    assert latency.loc["TEXT", "medianSeconds"] == 3.0
    assert latency.loc["TEXT", "maxSeconds"] == 120.0
    failures = ev.failures(by="isoCountryCode")
    assert failures[["isoCountryCode", "status", "messages"]].values.tolist() == [
        ["GB", "CARRIER_UNREACHABLE", 1],
        ["US", "UNKNOWN", 1],
    ]
    assert ev.sql("SELECT count(*) AS n FROM events").loc[0, "n"] == 9  # the readable ones


def test_a_bad_question_names_the_argument(folder):
    ev = opened(folder)
    with pytest.raises(ValueError, match=r"^by: 'country' is not a field"):
        ev.delivery(by="country")
    with pytest.raises(ValueError, match=r"^freq: 'Y'"):
        ev.cost(freq="Y")
    with pytest.raises(ValueError, match=r"^source: .* is not a folder"):
        events.open(folder / "nothing-here")
    with pytest.raises(ValueError, match=r"^source: reading s3://"):
        events.open("s3://bucket/prefix/")


def test_an_empty_folder_has_no_events(tmp_path):
    ev = events.open(tmp_path)
    assert ev.messages().empty and not ev.problems
    assert ev.delivery().loc[0, "sent"] == 0


NOW = datetime(2027, 1, 31, 23, 50, tzinfo=timezone.utc)


@pytest.mark.sandbox_clock(NOW - timedelta(hours=1))
def test_the_sandbox_feeds_the_same_reader_through_the_firehose_layout(client, sandbox, tmp_path):
    sandbox.set_account_tier("PRODUCTION")
    phone = number(client, "TOLL_FREE")["PhoneNumberId"]
    cs = config_set(client, "two", sns=["ALL"], firehose=["ALL"])  # every record twice
    sent = {}
    with sandbox.clock_at(NOW):
        for status in ("DELIVERED", "SPAM", "UNKNOWN"):
            to = outcomes.find_number("TEXT", status, "+1206555", 4, "US", queued=False)
            sent[status] = client.send_text_message(
                DestinationPhoneNumber=to,
                OriginationIdentity=phone,
                MessageBody="Your code is 123456",
                ConfigurationSetName=cs,
            )["MessageId"]
    files = sandbox.export_events(tmp_path)
    assert [f.relative_to(tmp_path).parts[:4] for f in files] == [("2027", "01", "31", "23")]
    assert files[0].name.startswith("sms-events-1-2027-01-31-23-00-00-")
    lines = gzip.decompress(files[0].read_bytes()).decode().splitlines()
    assert len(lines) == 4  # each record once: two for the delivered, one each for the others
    ev = events.open(sandbox)
    status = ev.messages().set_index("messageId")["status"]
    assert status.to_dict() == {
        sent["DELIVERED"]: "DELIVERED",
        sent["SPAM"]: "SPAM",
        sent["UNKNOWN"]: "SUCCESSFUL",  # pending: the receipt's 72 hours have not passed
    }
    with sandbox.clock_at(NOW + timedelta(hours=73)):
        later = events.open(sandbox).messages().set_index("messageId")["status"]
    assert later[sent["UNKNOWN"]] == "UNKNOWN"
