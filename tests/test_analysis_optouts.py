"""Opt-out audit views and exports, checked against plain boto3 reads of the demo account."""

from __future__ import annotations

from collections import Counter, defaultdict

import openpyxl
import pandas as pd
import pytest

from ppv2kit import analysis

from .analysis_support import REGIONS, Api, demo


@pytest.fixture(scope="module")
def api() -> Api:
    return Api(demo()[0])


@pytest.fixture(scope="module")
def numbers() -> pd.DataFrame:
    return analysis.opted_out(demo()[2])


def test_every_list_in_one_frame(api: Api, numbers: pd.DataFrame) -> None:
    expected = {
        (region, name, e["OptedOutNumber"]): e["EndUserOptedOut"]
        for region, name, e in api.everything_opted_out()
    }
    got = {
        (r["Region"], r["OptOutListName"], r["OptedOutNumber"]): r["Source"]
        for r in numbers.to_dict("records")
    }
    assert got.keys() == expected.keys()
    assert all((got[k] == "end user") == v for k, v in expected.items())
    assert numbers["OptedOutTimestamp"].is_monotonic_decreasing
    assert str(numbers["OptedOutTimestamp"].dtype) == "datetime64[us, UTC]"


def test_sources_per_list(api: Api, numbers: pd.DataFrame) -> None:
    counts: Counter[tuple[str, str, bool]] = Counter(
        (region, name, e["EndUserOptedOut"]) for region, name, e in api.everything_opted_out()
    )
    table = analysis.opt_out_sources(numbers)
    for r in table.to_dict("records"):
        key = (r["Region"], r["OptOutListName"])
        assert r["EndUser"] == counts[(*key, True)]
        assert r["Manual"] == counts[(*key, False)]
        assert r["Numbers"] == r["EndUser"] + r["Manual"]
    legacy = table[table["OptOutListName"] == "legacy-provider-import"].iloc[0]
    assert legacy["EndUser"] == 0 and legacy["EndUserShare"] == 0


@pytest.mark.parametrize(("freq", "step"), [("W", pd.Timedelta(weeks=1)), ("M", None)])
def test_timeline_has_every_period(numbers: pd.DataFrame, freq: str, step: object) -> None:
    timeline = analysis.opt_out_timeline(numbers, freq=freq, by="OptOutListName")
    assert timeline["OptOuts"].sum() == len(numbers)
    periods = pd.DatetimeIndex(sorted(timeline["Period"].unique()))
    if step is not None:
        assert (periods.day_of_week == 0).all()  # weeks start on Monday
        assert (periods[1:] - periods[:-1] == step).all()
    else:
        assert (periods.day == 1).all()
        assert len(periods) == len(pd.period_range(periods[0], periods[-1], freq="M"))
    per_list = timeline.groupby("OptOutListName")["OptOuts"].sum()
    assert per_list.to_dict() == numbers["OptOutListName"].value_counts().to_dict()
    flat = analysis.opt_out_timeline(numbers, freq=freq, by=None)
    assert list(flat.columns) == ["Period", "OptOuts"] and flat["OptOuts"].sum() == len(numbers)
    with pytest.raises(ValueError, match="freq"):
        analysis.opt_out_timeline(numbers, freq="fortnight")


def test_list_sizes_and_users(api: Api) -> None:
    _, _, inv = demo()
    lists = analysis.opt_out_lists(inv).set_index(["Region", "OptOutListName"])
    for region in REGIONS:
        pools = {p["PoolId"]: p for p in api.pools(region)}
        users: dict[str, Counter[str]] = defaultdict(Counter)
        for p in pools.values():
            users[p["OptOutListName"]]["pools"] += 1
        for n in api.numbers(region):
            effective = pools[n["PoolId"]] if n.get("PoolId") else n
            users[effective["OptOutListName"]]["numbers"] += 1
        members = {m["OriginationIdentityArn"] for p in pools for m in api.members(region, p)}
        users["Default"]["senders"] += sum(
            1 for s in api.sender_ids(region) if s["SenderIdArn"] not in members
        )
        for name in api.lists(region):
            row = lists.loc[(region, name)]
            assert row["Numbers"] == len(api.opted_out(region, name))
            assert row["Pools"] == users[name]["pools"]
            assert row["PhoneNumbers"] == users[name]["numbers"]
            assert row["SenderIds"] == users[name]["senders"]
            assert bool(row["Used"]) == (sum(users[name].values()) > 0)
    assert not lists.loc[("us-east-1", "legacy-provider-import"), "Used"]
    assert set(lists.loc[("us-east-1", "na-transactional"), "Users"].split(", ")) >= {
        "otp-us",
        "alerts-us",
    }


def test_self_managed_identities_with_their_keywords(api: Api) -> None:
    _, _, inv = demo()
    table = analysis.self_managed_identities(inv)
    expected = []
    for region in REGIONS:
        for p in api.pools(region):
            if p["SelfManagedOptOutsEnabled"]:
                words = api.keywords(region, p["PoolId"])
                expected.append(
                    (
                        p["PoolId"],
                        ", ".join(
                            sorted(w["Keyword"] for w in words if w["KeywordAction"] == "OPT_OUT")
                        ),
                        ", ".join(
                            sorted(w["Keyword"] for w in words if w["KeywordAction"] == "OPT_IN")
                        ),
                        len(api.members(region, p["PoolId"])),
                    )
                )
    got = list(
        zip(
            table["IdentityId"],
            table["OptOutKeywords"],
            table["OptInKeywords"],
            table["Members"],
            strict=True,
        )
    )
    assert got == expected
    assert table["Name"].tolist() == ["marketing-uk"]


def test_numbers_on_several_lists(api: Api, numbers: pd.DataFrame) -> None:
    places: dict[str, set[str]] = defaultdict(set)
    for region, name, e in api.everything_opted_out():
        places[e["OptedOutNumber"]].add(f"{region}/{name}")
    several = analysis.on_several_lists(numbers)
    assert {r["OptedOutNumber"]: r["Lists"] for r in several.to_dict("records")} == {
        n: len(p) for n, p in places.items() if len(p) > 1
    }
    assert several["Lists"].is_monotonic_decreasing
    first = several.iloc[0]
    assert set(first["ListNames"].split(", ")) == places[first["OptedOutNumber"]]


def test_export_csv_and_excel(tmp_path, numbers: pd.DataFrame) -> None:
    _, _, inv = demo()
    lists = analysis.opt_out_lists(inv)
    csv = analysis.export(numbers, tmp_path / "out" / "numbers.csv")
    back = pd.read_csv(csv, dtype=str)
    assert len(back) == len(numbers)
    assert back["OptedOutNumber"].tolist() == numbers["OptedOutNumber"].tolist()
    assert back["OptedOutTimestamp"].iloc[0].endswith("+0000")
    xlsx = analysis.export(
        {"opted out": numbers, "lists": lists, "x" * 40: lists, "lists ": lists},
        tmp_path / "audit.xlsx",
    )
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames[:2] == ["opted out", "lists"]
    assert len(book.sheetnames) == 4 and all(len(s) <= 31 for s in book.sheetnames)
    sheet = book["opted out"]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert "OptedOutTimestamp (UTC)" in header
    assert sheet.max_row == len(numbers) + 1
    with pytest.raises(ValueError, match="one frame"):
        analysis.export({"a": lists, "b": lists}, tmp_path / "two.csv")
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        analysis.export(lists, tmp_path / "lists.json")
