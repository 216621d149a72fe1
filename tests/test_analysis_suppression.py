"""The suppression check blocks exactly the contacts on the campaign identity's opt-out list."""

from __future__ import annotations

import random

import pandas as pd
import pytest

import ppv2kit
from ppv2kit import analysis
from ppv2kit.sandbox import Sandbox

from .analysis_support import NOW, Api, demo


@pytest.fixture(scope="module")
def api() -> Api:
    return Api(demo()[0])


@pytest.fixture(scope="module")
def seeded(api: Api) -> dict[str, object]:
    """A contact list: 8 numbers on otp-us's list, 5 on other lists only, 5 on none, 2 invalid."""
    pool = api.pool_named("us-east-1", "otp-us")
    own = {e["OptedOutNumber"]: e for e in api.opted_out("us-east-1", pool["OptOutListName"])}
    elsewhere = {
        e["OptedOutNumber"]
        for region, name, e in api.everything_opted_out()
        if (region, name) != ("us-east-1", pool["OptOutListName"])
    } - set(own)
    everywhere = set(own) | elsewhere
    rng = random.Random(3)
    blocked = rng.sample(sorted(own), 8)
    other = rng.sample(sorted(elsewhere), 5)
    fresh = [n for n in (f"+1206555{i:04d}" for i in range(9000, 9100)) if n not in everywhere][:5]
    rows = [{"name": f"c{i}", "mobile": n} for i, n in enumerate(blocked + other + fresh)]
    rows += [{"name": "bad1", "mobile": "not a number"}, {"name": "bad2", "mobile": ""}]
    rng.shuffle(rows)
    return {"pool": pool, "own": own, "blocked": blocked, "clean": other + fresh, "rows": rows}


def test_exactly_the_seeded_opted_out_contacts_are_blocked(seeded: dict) -> None:
    _, _, inv = demo()
    result = analysis.suppression_check(inv, pd.DataFrame(seeded["rows"]), "otp-us")
    blocked = result[result["Reason"] == "OPTED_OUT"]
    assert sorted(blocked["E164"]) == sorted(seeded["blocked"])
    assert set(result.loc[~result["Blocked"], "E164"]) == set(seeded["clean"])
    invalid = result[result["Reason"] == "INVALID_NUMBER"]
    assert sorted(invalid["name"]) == ["bad1", "bad2"]
    assert result["Blocked"].sum() == len(seeded["blocked"]) + 2
    list_name = seeded["pool"]["OptOutListName"]
    for r in blocked.to_dict("records"):
        entry = seeded["own"][r["E164"]]
        assert r["OptOutListName"] == list_name
        assert r["Source"] == ("end user" if entry["EndUserOptedOut"] else "manual")
        assert r["OptedOutTimestamp"] == pd.Timestamp(entry["OptedOutTimestamp"])
        assert list_name in r["Detail"]
    assert result["name"].tolist() == [row["name"] for row in seeded["rows"]]  # order kept
    summary = analysis.suppression_summary(result)
    assert (summary["contacts"], summary["blocked"], summary["opted_out"]) == (20, 10, 8)
    assert summary["opt_out_list"] == list_name and "note" not in summary


def test_files_uploads_and_formats_give_the_same_answer(seeded: dict, tmp_path) -> None:
    _, _, inv = demo()
    frame = pd.DataFrame(seeded["rows"])
    frame.to_csv(tmp_path / "c.csv", index=False)
    frame.to_excel(tmp_path / "c.xlsx", index=False)
    expected = analysis.suppression_check(inv, frame, "otp-us")["Blocked"].tolist()
    upload = ({"name": "c.csv", "content": (tmp_path / "c.csv").read_bytes()},)
    for source in (tmp_path / "c.csv", str(tmp_path / "c.xlsx"), upload):
        assert analysis.suppression_check(inv, source, "otp-us")["Blocked"].tolist() == expected
    raw = (tmp_path / "c.xlsx").read_bytes()
    read = analysis.read_contacts(raw, name="c.xlsx", column="mobile")
    assert read["PhoneNumber"].tolist() == frame["mobile"].fillna("").tolist()


def test_numbers_written_differently_are_recognised(seeded: dict) -> None:
    _, _, inv = demo()
    number = seeded["blocked"][0]
    national = number[2:]
    contacts = [
        number,
        number[1:],
        f"+1 ({national[:3]}) {national[3:6]}-{national[6:]}",
        f"({national[:3]}) {national[3:6]}-{national[6:]}",
    ]
    result = analysis.suppression_check(inv, pd.DataFrame({"phone": contacts}), "otp-us")
    assert result["Blocked"].tolist() == [True, True, True, True]
    assert result["Reason"].astype(str).tolist()[:3] == ["OPTED_OUT"] * 3
    assert result["Reason"].iloc[3] == "INVALID_NUMBER"  # national digits need a country
    with_country = analysis.suppression_check(
        inv, pd.DataFrame({"phone": contacts}), "otp-us", default_country="US"
    )
    assert (with_country["E164"] == number).all()
    assert analysis.normalize_number(" +44 7400 100037 ") == "+447400100037"
    assert analysis.normalize_number("abc") is None


def test_a_sender_id_answers_to_the_default_list(api: Api) -> None:
    _, _, inv = demo()
    default = [e["OptedOutNumber"] for e in api.opted_out("ap-southeast-2", "Default")]
    marketing = [e["OptedOutNumber"] for e in api.opted_out("eu-west-2", "uk-marketing")][:3]
    contacts = pd.DataFrame({"PhoneNumber": default[:4] + marketing})
    result = analysis.suppression_check(inv, contacts, "JUNIPER")
    assert result["Blocked"].tolist() == [True] * 4 + [False] * 3
    assert result.attrs["opt_out_list"] == "Default"


def test_self_managed_identity_carries_a_note(api: Api) -> None:
    _, _, inv = demo()
    listed = [e["OptedOutNumber"] for e in api.opted_out("eu-west-2", "uk-marketing")][:2]
    result = analysis.suppression_check(inv, pd.DataFrame({"n": listed}), "marketing-uk")
    summary = analysis.suppression_summary(result)
    assert summary["blocked"] == 2 and "manages opt-outs itself" in summary["note"]


def test_a_kit_reads_the_list_now_an_inventory_is_a_snapshot() -> None:
    sb = Sandbox(seed="demo", now=NOW, strict=True)
    kit = ppv2kit.connect(sandbox=sb)
    inv = analysis.inventory(kit, ["us-east-1"])
    identity = analysis.find_identity(inv, "alerts-us")
    contacts = pd.DataFrame({"PhoneNumber": ["+12065559999"]})
    sb.client(region_name="us-east-1").put_opted_out_number(
        OptOutListName=identity.opt_out_list, OptedOutNumber="+12065559999"
    )
    assert not analysis.suppression_check(inv, contacts, identity)["Blocked"].any()
    live = analysis.suppression_check(kit, contacts, "alerts-us", region="us-east-1")
    assert live["Blocked"].tolist() == [True]
    assert live["Source"].tolist() == ["manual"]


def test_demo_contacts_mix_blocked_and_clean() -> None:
    _, _, inv = demo()
    identity = analysis.default_identity(inv)
    sizes = analysis.opt_out_lists(inv).set_index(["Region", "OptOutListName"])["Numbers"]
    used = analysis.opt_out_lists(inv)
    used = used[used["Pools"] > 0]
    assert sizes[(identity.region, identity.opt_out_list)] == used["Numbers"].max()
    contacts = analysis.demo_contacts(inv, identity, blocked=4, clean=6)
    result = analysis.suppression_check(inv, contacts, identity)
    assert len(result) == 10 and result["Blocked"].sum() == 4
    assert analysis.demo_contacts(inv, identity, blocked=4, clean=6).equals(contacts)


def test_unreadable_contacts_are_refused() -> None:
    with pytest.raises(TypeError):
        analysis.read_contacts(42)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="no column"):
        analysis.read_contacts(pd.DataFrame({"a": ["+1"]}), column="phone")
    guessed = analysis.read_contacts(pd.DataFrame({"Name": ["x"], "Mobile Number": ["+1206"]}))
    assert list(guessed.columns) == ["Name", "PhoneNumber"]


def test_the_widget_shows_what_the_notebook_checks() -> None:
    _, _, inv = demo()
    identity = analysis.default_identity(inv)
    contacts = analysis.demo_contacts(inv, identity, blocked=4, clean=6)
    form = analysis.suppression_widget(inv, identity, contacts=contacts, default_country="US")
    # The identity by its name, the list already loaded and checked: the same answer as the cell.
    upload_row, fields, _ = form.children
    who, country, _ = fields.children
    assert who.value == identity.name and not who.value.startswith("arn:")
    assert country.value == "US"
    assert upload_row.children[1].value.startswith("10 contacts loaded")
    expected = analysis.suppression_check(inv, contacts, identity, default_country="US")
    pd.testing.assert_frame_equal(form.result, expected)
    assert form.result["Blocked"].sum() == 4
    # Another name typed in is resolved as the check resolves it.
    who.value = "promo-us"
    fields.children[2].click()
    pd.testing.assert_frame_equal(
        form.result, analysis.suppression_check(inv, contacts, "promo-us", default_country="US")
    )


def test_the_widget_without_contacts_asks_for_a_file() -> None:
    _, _, inv = demo()
    form = analysis.suppression_widget(inv, "otp-us")
    assert form.result is None
    form.children[1].children[2].click()
    assert form.result is None
    assert "no contacts yet" in form.children[0].children[1].value
