"""CloudWatch spend metrics (AWS/SMSVoice) through an ordinary boto3 CloudWatch client.

Every test runs through both transports (in-process, HTTP) and both wires: AWS JSON 1.0, which
botocore picks for CloudWatch, and Smithy RPC v2 CBOR, through a botocore client whose model copy
prefers it (what SDKs that prefer CBOR send). Sending is not emulated by these tests: messages
are written straight into the log the way ``ops/sending.py`` records them.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import botocore.session
import cbor2
import pytest
from botocore.client import BaseClient
from botocore.config import Config

from ppv2kit.sandbox import Sandbox, protocol, spend
from ppv2kit.sandbox.inprocess import SANDBOX_ENDPOINT
from tests.support import aws_error

DAY = 86400
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
DEC_2 = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
ACCOUNT = "123456789012"
NS = "AWS/SMSVoice"
TEXT_SPEND = "TextMessageMonthlySpend"
VOICE_SPEND = "VoiceMessageMonthlySpend"
PARTS = "NumberOfTextMessagePartsSent"


def ts(moment: datetime | float) -> float:
    return moment if isinstance(moment, float | int) else moment.timestamp()


def at(days_ago: float, now: datetime = NOW) -> float:
    return now.timestamp() - days_ago * DAY


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def log_message(
    sandbox: Sandbox,
    when: float,
    price: float,
    channel: str = "TEXT",
    parts: int = 1,
    region: str = "us-east-1",
    account: str = ACCOUNT,
) -> str:
    """Append one accepted message to the log and its spend, as sending records them."""
    message_id = str(uuid.uuid4())
    with sandbox.admin(account, region) as ctx:
        spend.record(ctx.store, channel, when, price)
        ctx.store.put(
            "message",
            message_id,
            {
                "MessageId": message_id,
                "Channel": channel,
                "Timestamp": when,
                "DestinationPhoneNumber": "+14255550100",
                "IsoCountryCode": "US",
                "MessageType": "TRANSACTIONAL",
                "Parts": parts,
                "Price": price,
                "Status": "DELIVERED",
            },
        )
    return message_id


# -- fixtures: the sandbox clock, and CloudWatch clients over both wires --------------------------
@pytest.fixture
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A strict sandbox whose clock starts at NOW (or the indirect parameter)."""
    sb = Sandbox(strict=True, now=getattr(request, "param", NOW))
    yield sb
    sb.close()


@pytest.fixture(scope="session")
def cbor_session(tmp_path_factory: pytest.TempPathFactory) -> botocore.session.Session:
    """A botocore session whose CloudWatch model has RPC v2 CBOR as its only protocol."""
    loader = botocore.session.get_session().get_component("data_loader")
    raw = copy.deepcopy(loader.load_service_model("cloudwatch", "service-2"))
    raw["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    root = tmp_path_factory.mktemp("botocore-data")
    folder = root / "cloudwatch" / raw["metadata"]["apiVersion"]
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(raw))
    session = botocore.session.Session()
    session.set_config_variable("data_path", str(root))
    return session


@pytest.fixture(params=("json", "cbor"))
def wire(request: pytest.FixtureRequest) -> str:
    return request.param


MakeCW = Callable[..., BaseClient]


@pytest.fixture
def make_cw(make_client, sandbox, wire, cbor_session) -> MakeCW:
    """``make_cw(region=..., account=..., **config)``: a CloudWatch client on this wire."""

    def make(region: str = "us-east-1", account: str | None = None, **config: object) -> BaseClient:
        if wire == "json":
            return make_client(region=region, account=account, service="cloudwatch", **config)
        server = make_client.server
        retries = config.pop("retries", {"mode": "standard"})
        client = cbor_session.create_client(
            "cloudwatch",
            region_name=region,
            endpoint_url=server.url if server else SANDBOX_ENDPOINT,
            aws_access_key_id=account or ACCOUNT,
            aws_secret_access_key="sandbox",
            config=Config(retries=retries, **config),
        )
        assert client.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
        return sandbox.attach(client) if server is None else client

    return make


@pytest.fixture
def cw(make_cw: MakeCW) -> BaseClient:
    return make_cw()


def stats(cw: BaseClient, metric: str = TEXT_SPEND, *, start: float, end: float, **kw):
    params = {"Period": DAY, "Statistics": ["Maximum"], **kw}
    params = {k: v for k, v in params.items() if v != []}
    answer = cw.get_metric_statistics(
        Namespace=params.pop("Namespace", NS),
        MetricName=metric,
        StartTime=utc(start),
        EndTime=utc(end),
        **params,
    )
    return answer["Label"], [
        {**p, "Timestamp": p["Timestamp"].timestamp()} for p in answer["Datapoints"]
    ]


def metric_stat(query_id: str, metric: str, stat: str = "Maximum", period: int = DAY, **kw):
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {"Namespace": NS, "MetricName": metric},
            "Period": period,
            "Stat": stat,
        },
        **kw,
    }


# -- values ---------------------------------------------------------------------------------------
def test_spend_is_the_month_to_date_gauge_per_day(cw, sandbox):
    log_message(sandbox, at(3.5), 0.5)
    log_message(sandbox, at(3.2), 0.25)
    log_message(sandbox, at(1.5), 1.0)
    label, points = stats(
        cw,
        start=at(5),
        end=at(0),
        Statistics=["Maximum", "Minimum", "Sum", "SampleCount", "Average"],
    )
    assert label == TEXT_SPEND
    assert points == [
        {
            "Timestamp": at(4),
            "Maximum": 0.75,
            "Minimum": 0.5,
            "Sum": 1.25,
            "SampleCount": 2.0,
            "Average": 0.625,
            "Unit": "None",
        },
        {
            "Timestamp": at(2),
            "Maximum": 1.75,
            "Minimum": 1.75,
            "Sum": 1.75,
            "SampleCount": 1.0,
            "Average": 1.75,
            "Unit": "None",
        },
    ]


def test_no_datapoints_before_the_first_send_no_data_is_not_zero(cw, sandbox):
    assert stats(cw, start=at(10), end=at(0))[1] == []
    assert cw.list_metrics(Namespace=NS)["Metrics"] == []
    log_message(sandbox, at(2.5), 0.0075)
    _, points = stats(cw, start=at(10), end=at(0))
    assert [(p["Timestamp"], p["Maximum"]) for p in points] == [(at(3), 0.0075)]


@pytest.mark.parametrize("sandbox", [DEC_2], indirect=True)
def test_the_gauge_starts_again_each_calendar_month(cw, sandbox):
    for day, price in ((29, 0.5), (29, 0.25), (30, 0.5), (1, 0.2), (2, 0.1)):
        month = 11 if day > 2 else 12
        log_message(sandbox, datetime(2026, month, day, 9, tzinfo=timezone.utc).timestamp(), price)
    start = datetime(2026, 11, 28, tzinfo=timezone.utc).timestamp()
    _, points = stats(cw, start=start, end=ts(DEC_2))
    by_day = {utc(p["Timestamp"]).strftime("%m-%d"): p["Maximum"] for p in points}
    assert by_day == {"11-29": 0.75, "11-30": 1.25, "12-01": 0.2, "12-02": 0.3}


def test_metrics_are_per_account_and_region_and_reading_creates_no_state(make_cw, sandbox):
    log_message(sandbox, at(1.5), 0.5)
    home, abroad, other = make_cw(), make_cw(region="eu-west-1"), make_cw(account="111122223333")
    assert [p["Maximum"] for p in stats(home, start=at(3), end=at(0))[1]] == [0.5]
    assert stats(abroad, start=at(3), end=at(0))[1] == []
    assert stats(other, start=at(3), end=at(0))[1] == []
    assert abroad.list_metrics()["Metrics"] == []
    assert sandbox.store.regions() == [(ACCOUNT, "us-east-1")]


def test_text_voice_and_parts_are_separate_series(cw, sandbox):
    log_message(sandbox, at(1.5), 0.02, parts=3)
    log_message(sandbox, at(1.4), 0.13, channel="VOICE", parts=1)
    log_message(sandbox, at(1.3), 0.01, parts=2)
    assert [p["Maximum"] for p in stats(cw, TEXT_SPEND, start=at(2), end=at(0))[1]] == [0.03]
    assert [p["Maximum"] for p in stats(cw, VOICE_SPEND, start=at(2), end=at(0))[1]] == [0.13]
    _, parts = stats(cw, PARTS, start=at(2), end=at(0), Statistics=["Sum", "SampleCount"])
    assert parts == [{"Timestamp": at(2), "Sum": 5.0, "SampleCount": 2.0, "Unit": "Count"}]


def test_percentiles_are_extended_statistics(cw, sandbox):
    for price in (0.1, 0.1, 0.1, 0.1):
        log_message(sandbox, at(1.5), price)  # samples 0.1, 0.2, 0.3, 0.4
    _, points = stats(cw, start=at(2), end=at(0), Statistics=[], ExtendedStatistics=["p50", "p100"])
    assert points[0]["ExtendedStatistics"] == {"p50": 0.2, "p100": 0.4}


@pytest.mark.parametrize(
    "change",
    [
        {"Namespace": "AWS/SNS"},
        {"Dimensions": [{"Name": "IsoCountryCode", "Value": "US"}]},
        {"Unit": "Count"},
    ],
    ids=["other-namespace", "dimensions", "other-unit"],
)
def test_only_the_dimensionless_series_in_its_unit_has_data(cw, sandbox, change):
    log_message(sandbox, at(1.5), 0.5)
    assert stats(cw, start=at(3), end=at(0), **change)[1] == []


def test_periods_too_fine_for_the_data_age_return_no_datapoints(cw, sandbox):
    # CloudWatch: data older than 15 days is kept at 5-minute resolution (multiples of 300 s).
    log_message(sandbox, at(20) + 30, 0.5)
    assert stats(cw, start=at(20), end=at(20) + 3600, Period=60)[1] == []
    _, points = stats(cw, start=at(20), end=at(20) + 3600, Period=300)
    assert [(p["Timestamp"], p["Maximum"]) for p in points] == [(at(20), 0.5)]


def test_get_metric_data_answers_metric_stat_queries_in_both_scan_orders(cw, sandbox):
    log_message(sandbox, at(3.5), 0.5)
    log_message(sandbox, at(2.5), 0.25, channel="VOICE")
    log_message(sandbox, at(1.5), 1.0)
    queries = [
        metric_stat("text", TEXT_SPEND),
        metric_stat("voice", VOICE_SPEND, Label="Voice USD"),
        metric_stat("hidden", PARTS, "Sum", ReturnData=False),
    ]
    answer = cw.get_metric_data(MetricDataQueries=queries, StartTime=utc(at(5)), EndTime=utc(at(0)))
    results = {r["Id"]: r for r in answer["MetricDataResults"]}
    assert set(results) == {"text", "voice"}
    text = results["text"]
    assert text["Label"] == TEXT_SPEND and text["StatusCode"] == "Complete"
    assert [t.timestamp() for t in text["Timestamps"]] == [at(2), at(4)]  # newest first
    assert text["Values"] == [1.5, 0.5]
    assert results["voice"]["Label"] == "Voice USD" and results["voice"]["Values"] == [0.25]
    ascending = cw.get_metric_data(
        MetricDataQueries=queries[:1],
        StartTime=utc(at(5)),
        EndTime=utc(at(0)),
        ScanBy="TimestampAscending",
    )["MetricDataResults"][0]
    assert ascending["Values"] == [0.5, 1.5]


def test_get_metric_data_pages_by_max_datapoints(cw, sandbox):
    for days in (4.5, 3.5, 2.5):
        log_message(sandbox, at(days), 0.5)
    log_message(sandbox, at(1.5), 0.3, channel="VOICE")
    request = {
        "MetricDataQueries": [metric_stat("t", TEXT_SPEND), metric_stat("v", VOICE_SPEND)],
        "StartTime": utc(at(6)),
        "EndTime": utc(at(0)),
        "ScanBy": "TimestampAscending",
    }
    pages, token = [], None
    while True:
        more = {"NextToken": token} if token else {}
        page = cw.get_metric_data(**request, MaxDatapoints=2, **more)
        pages.append({r["Id"]: (r["Values"], r["StatusCode"]) for r in page["MetricDataResults"]})
        token = page.get("NextToken")
        if token is None:
            break
    assert pages == [
        {"t": ([0.5, 1.0], "PartialData"), "v": ([], "PartialData")},
        {"t": ([1.5], "Complete"), "v": ([0.3], "Complete")},
    ]
    whole = cw.get_metric_data(**request)["MetricDataResults"]
    assert [r["Values"] for r in whole] == [[0.5, 1.0, 1.5], [0.3]]
    forged = "bm90LWEtdG9rZW4.0123456789abcdef01234567"
    aws_error(
        lambda: cw.get_metric_data(**request, MaxDatapoints=2, NextToken=forged),
        "InvalidNextToken",
    )


def test_list_metrics_lists_what_received_data_recently(cw, sandbox):
    log_message(sandbox, at(1), 0.5, parts=2)
    names = [m["MetricName"] for m in cw.list_metrics()["Metrics"]]
    assert names == [PARTS, TEXT_SPEND]
    assert cw.list_metrics(Namespace=NS, MetricName=TEXT_SPEND)["Metrics"] == [
        {"Namespace": NS, "MetricName": TEXT_SPEND, "Dimensions": []}
    ]
    assert cw.list_metrics(Namespace="AWS/SNS")["Metrics"] == []
    assert cw.list_metrics(Dimensions=[{"Name": "IsoCountryCode"}])["Metrics"] == []
    assert cw.list_metrics(RecentlyActive="PT3H")["Metrics"] == []
    log_message(sandbox, at(0.01), 0.5)
    recent = cw.list_metrics(RecentlyActive="PT3H")["Metrics"]
    assert [m["MetricName"] for m in recent] == [PARTS, TEXT_SPEND]


# -- errors ---------------------------------------------------------------------------------------
def test_missing_required_parameter_is_a_validation_error(make_cw):
    cw = make_cw(parameter_validation=False)  # botocore would refuse it client-side
    with pytest.raises(cw.exceptions.ValidationException) as info:
        cw.get_metric_statistics(Namespace=NS, MetricName=TEXT_SPEND, Period=60)
    response = info.value.response
    assert response["Error"]["Code"] == "ValidationError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "StartTime" in response["Error"]["Message"]
    assert "EndTime" in response["message"]


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"StartTime": utc(at(1)), "EndTime": utc(at(2))}, "InvalidParameterValue", "StartTime"),
        ({"Period": 45}, "InvalidParameterValue", "Period"),
        ({"Statistics": []}, "InvalidParameterCombination", "either Statistics"),
        ({"ExtendedStatistics": ["p99"]}, "InvalidParameterCombination", "but not both"),
        ({"Period": 60, "StartTime": utc(at(2))}, "InvalidParameterCombination", "2,880"),
    ],
    ids=["start-after-end", "bad-period", "no-statistics", "both-statistics", "too-many-points"],
)
def test_get_metric_statistics_refuses_bad_input(cw, change, code, words):
    request = {
        "Namespace": NS,
        "MetricName": TEXT_SPEND,
        "StartTime": utc(at(1)),
        "EndTime": utc(at(0)),
        "Period": 3600,
        "Statistics": ["Maximum"],
        **change,
    }
    if not request["Statistics"]:
        del request["Statistics"]
    response = aws_error(lambda: cw.get_metric_statistics(**request), code)
    assert words in response["Error"]["Message"]
    assert response["Error"]["Type"] == "Sender"


@pytest.mark.parametrize(
    ("queries", "code", "words"),
    [
        ([{"Id": "e1", "Expression": "SUM(METRICS())"}], "NotImplementedException", "Expression"),
        ([metric_stat("a", TEXT_SPEND), metric_stat("a", PARTS)], "ValidationError", "unique"),
        ([metric_stat("Upper", TEXT_SPEND)], "ValidationError", "lowercase"),
        ([{"Id": "empty"}], "ValidationError", "MetricStat is required"),
        ([metric_stat("q", TEXT_SPEND, stat="Median")], "ValidationError", "Median"),
    ],
    ids=["expression", "duplicate-id", "bad-id", "no-metric-stat", "bad-stat"],
)
def test_get_metric_data_refuses_what_it_cannot_answer(cw, queries, code, words):
    response = aws_error(
        lambda: cw.get_metric_data(
            MetricDataQueries=queries, StartTime=utc(at(1)), EndTime=utc(at(0))
        ),
        code,
    )
    assert words in response["Error"]["Message"]


def test_operations_not_emulated_answer_not_implemented(cw):
    response = aws_error(
        lambda: cw.put_metric_data(
            Namespace="Custom", MetricData=[{"MetricName": "m", "Value": 1}]
        ),
        "NotImplementedException",
    )
    assert "PutMetricData" in response["Error"]["Message"]
    aws_error(lambda: cw.describe_alarms(), "NotImplementedException")


# -- the raw wire ---------------------------------------------------------------------------------
CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/ListMetrics"
SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=123456789012/20261127/us-east-1/monitoring/"
    "aws4_request, SignedHeaders=host, Signature=abc",
    "smithy-protocol": "rpc-v2-cbor",
    "Content-Type": "application/cbor",
}


@pytest.mark.parametrize(
    ("path", "headers", "body", "status", "code"),
    [
        (CBOR_PATH, SIGNED, b"\xff\x00", 400, "SerializationException"),
        (CBOR_PATH, SIGNED, cbor2.dumps([1]), 400, "SerializationException"),
        (CBOR_PATH, {**SIGNED, "Content-Type": "text/plain"}, b"x", 415, "UnsupportedMediaType"),
        ("/service/Nope/operation/ListMetrics", SIGNED, b"", 400, "UnknownOperationException"),
        (
            CBOR_PATH,
            {k: v for k, v in SIGNED.items() if k != "Authorization"},
            b"",
            403,
            "MissingAuthenticationTokenException",
        ),
    ],
    ids=["not-cbor", "not-a-map", "content-type", "unknown-service", "unsigned"],
)
def test_malformed_cbor_requests_are_answered_in_cbor(sandbox, path, headers, body, status, code):
    answer = protocol.handle(sandbox, "POST", path, headers, body)
    assert answer.status == status
    assert answer.headers["Content-Type"] == "application/cbor"
    decoded = cbor2.loads(answer.body)
    assert decoded["__type"].startswith(code) and decoded["message"]
    assert answer.headers["x-amzn-RequestId"]


def test_cbor_errors_carry_the_shape_id_and_query_code(sandbox):
    body = cbor2.dumps({"Namespace": NS, "MetricName": TEXT_SPEND, "Period": 60})
    path = "/service/GraniteServiceVersion20100801/operation/GetMetricStatistics"
    answer = protocol.handle(sandbox, "POST", path, SIGNED, body)
    assert answer.status == 400
    assert answer.headers["x-amzn-query-error"] == "ValidationError;Sender"
    decoded = cbor2.loads(answer.body)
    assert decoded["__type"] == "com.amazonaws.cloudwatch#ValidationException"
    assert set(decoded) == {"__type", "message"}
