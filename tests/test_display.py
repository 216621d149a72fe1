"""The display layer: how a frame reads to a person (money, shares, times, blanks, lists, no
index, constant columns moved out, names before IDs, markup escaped)."""

from __future__ import annotations

import pandas as pd
import pytest

from ppv2kit import display


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3028.0, "$3,028.00"),
        (9.25, "$9.25"),
        (0.0058, "$0.0058"),
        (0.429, "$0.43"),
        (-12.5, "-$12.50"),
        (0, "$0.00"),
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
    ],
)
def test_money(value: object, shown: str) -> None:
    assert display.money(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.8065, "80.7%"), (0.000654, "0.065%"), (1, "100.0%"), (0, "0.0%"), (None, "")],
)
def test_share(value: object, shown: str) -> None:
    assert display.share(value) == shown


def test_times_to_the_minute_in_utc_or_the_given_zone() -> None:
    stamp = pd.Timestamp("2026-11-27 15:00:42.123456", tz="UTC")
    assert display.when(stamp) == "2026-11-27 15:00"
    assert display.when(stamp, "Australia/Sydney") == "2026-11-28 02:00"
    assert display.when(pd.NaT) == ""


def test_text_of_lists_maps_and_flags() -> None:
    assert display.text(["TRANSACTIONAL", "PROMOTIONAL"]) == "TRANSACTIONAL, PROMOTIONAL"
    assert display.text({"SMS": 10}) == "SMS: 10"
    assert display.text(True) == "yes" and display.text(None) == ""
    assert display.text(1234567) == "1,234,567"


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Account": ["123456789012"] * 3,
            "PoolId": ["pool-1", "pool-2", "pool-3"],
            "PoolName": ["otp-us", "<b>mkt</b>", None],
            "MonthToDate": [3028.0, 0.0058, None],
            "UsedShare": [0.5, 0.000142, None],
            "LimitReachedAt": pd.to_datetime([None, None, None], utc=True),
            "CreatedTimestamp": pd.to_datetime(
                ["2026-11-01 10:00:01.5", "2026-11-02 00:00:00.0", None], utc=True
            ),
            "MessageTypes": [["TRANSACTIONAL"], [], ["PROMOTIONAL", "TRANSACTIONAL"]],
            "Message": ["x " * 40, "short", ""],
        },
        index=[7, 8, 9],
    )


def test_a_table_reads_well() -> None:
    columns, rows, notes = display.table(_frame()).cells()
    assert columns[:2] == ["PoolName", "PoolId"]  # the name before the ID it labels
    assert "Account" not in columns and "LimitReachedAt" not in columns
    assert notes == ["Every row: Account: 123456789012", "No value in any row: LimitReachedAt"]
    values = [dict(zip(columns, (v for v, _ in row), strict=True)) for row in rows]
    assert values[0]["MonthToDate"] == "$3,028.00" and values[1]["MonthToDate"] == "$0.0058"
    assert values[1]["UsedShare"] == "0.014%" and values[2]["UsedShare"] == ""
    assert values[0]["CreatedTimestamp"] == "2026-11-01 10:00"
    assert values[2]["PoolName"] == "" and values[2]["CreatedTimestamp"] == ""
    assert values[2]["MessageTypes"] == "PROMOTIONAL, TRANSACTIONAL"
    css = dict(zip(columns, (c for _, c in rows[0]), strict=True))
    assert (
        css["PoolId"] == "nowrap" and css["MonthToDate"] == "num money" and css["Message"] == "long"
    )


def test_html_escapes_values_and_hides_the_index() -> None:
    page = display.table(_frame())._repr_html_()
    assert "&lt;b&gt;mkt&lt;/b&gt;" in page and "<b>mkt" not in page
    for raw in ("<NA>", "NaT", "NaN", "None", "[TRANSACTIONAL]"):
        assert raw not in page
    assert ">7<" not in page  # no index


def test_long_frames_say_how_many_rows_were_left_out() -> None:
    df = pd.DataFrame({"E164": [f"+1206555{i:04d}" for i in range(100)], "N": range(100)})
    _, rows, notes = display.table(df, max_rows=10).cells()
    assert len(rows) == 10 and notes == ["Showing the first 10 of 100 rows."]


def test_attrs_and_arguments_name_money_and_shares() -> None:
    df = pd.DataFrame({"A": [1.5, 2.0, 3.0], "B": [0.1, 0.2, 0.3]})
    df.attrs["display"] = {"money": ["A"]}
    _, rows, _ = display.table(df, shares=["B"]).cells()
    assert [v for v, _ in rows[0]] == ["$1.50", "10.0%"]


def test_install_outside_ipython_is_a_no_op() -> None:
    assert display.install() is False


def test_findings_most_severe_first_repeats_collapsed_resources_on_demand() -> None:
    from ppv2kit.analysis import Finding, findings_frame

    def finding(severity: str, code: str, rid: str, region: str = "us-east-1") -> Finding:
        return Finding(
            severity=severity,
            code=code,
            resource_type="phone-number",
            resource_id=rid,
            resource_arn=f"arn:aws:sms-voice:{region}:123456789012:phone-number/{rid}",
            region=region,
            account="123456789012",
            message=f"{rid} <is> outside a pool",
            fix="Associate it",
        )

    frame = findings_frame(
        [
            finding("low", "NUMBER_OUTSIDE_POOL", f"phone-{i}", r)
            for i, r in enumerate(["us-east-1", "eu-west-2", "us-east-1"])
        ]
        + [finding("high", "DELETION_PROTECTION_OFF", "phone-9")]
    )
    shown = display.findings(frame)
    groups = shown.groups()
    assert [(g["Severity"], g["Code"], g["Count"]) for g in groups] == [
        ("high", "DELETION_PROTECTION_OFF", 1),
        ("low", "NUMBER_OUTSIDE_POOL", 3),
    ]
    assert groups[1]["Regions"] == ["eu-west-2", "us-east-1"]
    page = shown._repr_html_()
    assert "<details><summary>3 resources" in page and page.count("<li>") == 3
    assert "&lt;is&gt;" in page and "<is>" not in page
    assert "#b91c1c" in page  # high is red
    assert "No findings." in display.findings(findings_frame([]))._repr_html_()
