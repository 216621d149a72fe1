"""The store's index (phone numbers by E.164 number and pool, sender IDs by pools) equals a scan."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ppv2kit.sandbox import Sandbox, kinds
from ppv2kit.sandbox.store import Store

PHONE = kinds.PHONE


def _by_scan(store: Store, member: str, value: str) -> list[str]:
    return [key for _, _, _, key, doc in store.scan(PHONE) if doc.get(member) == value]


def _by_index(store: Store, member: str, value: str) -> list[str]:
    return [key for _, _, _, key, _ in store.find(PHONE, member, value)]


def test_find_follows_every_write() -> None:
    store = Store()
    east, west = store.region("1", "us-east-1"), store.region("1", "us-west-2")
    east.put(PHONE, "a", {"PhoneNumber": "+1555", "PoolId": "pool-1"})
    west.put(PHONE, "b", {"PhoneNumber": "+1666", "PoolId": "pool-1"})
    east.put_many(PHONE, [("c", {"PhoneNumber": "+1777"}), ("d", {"PhoneNumber": "+1888"})])
    assert _by_index(store, "PoolId", "pool-1") == ["a", "b"]
    in_east = [doc["PhoneNumber"] for _, doc in east.find(PHONE, "PoolId", "pool-1")]
    assert in_east == ["+1555"]
    east.put(PHONE, "a", {"PhoneNumber": "+1555"})  # left the pool
    assert _by_index(store, "PoolId", "pool-1") == ["b"]
    assert east.delete(PHONE, "c")
    assert _by_index(store, "PhoneNumber", "+1777") == []
    assert east.delete_all(PHONE, "") == 2
    assert _by_index(store, "PhoneNumber", "+1555") == []
    store.clear()
    assert _by_index(store, "PoolId", "pool-1") == []


def test_a_list_member_is_found_by_each_of_its_values() -> None:
    region = Store().region("1", "us-east-1")
    sender, pooled = kinds.SENDER, "_PoolIds"
    region.put(sender, "A/GB", {"SenderId": "A", "_PoolIds": ["pool-1", "pool-2"]})
    region.put(sender, "B/GB", {"SenderId": "B", "_PoolIds": ["pool-2", "pool-2"]})

    def ids(pool: str) -> list[str]:
        return [doc["SenderId"] for _, doc in region.find(sender, pooled, pool)]

    assert (ids("pool-1"), ids("pool-2")) == (["A"], ["A", "B"])
    region.put(sender, "A/GB", {"SenderId": "A", "_PoolIds": ["pool-2"]})  # left pool-1
    assert (ids("pool-1"), ids("pool-2")) == ([], ["A", "B"])
    assert region.delete(sender, "B/GB")
    assert ids("pool-2") == ["A"]


def test_the_demo_sender_ids_index_equals_a_scan() -> None:
    store = Sandbox(seed="demo").store
    senders = [(r, doc) for _, r, _, _, doc in store.scan(kinds.SENDER)]
    pools = {pool for _, doc in senders for pool in doc.get("_PoolIds", [])}
    assert pools
    for pool in pools:
        found = [key for _, _, _, key, _ in store.find(kinds.SENDER, "_PoolIds", pool)]
        scanned = [
            key for *_, key, doc in store.scan(kinds.SENDER) if pool in doc.get("_PoolIds", [])
        ]
        assert found == scanned


def test_an_unindexed_member_is_refused() -> None:
    with pytest.raises(ValueError, match=r"kinds\.INDEXED"):
        list(Store().region("1", "us-east-1").find(PHONE, "Status", "ACTIVE"))


def test_the_demo_index_equals_a_scan() -> None:
    store = Sandbox(seed="demo").store
    numbers = {doc["PhoneNumber"] for *_, doc in store.scan(PHONE)}
    pools = {doc.get("PoolId") for *_, doc in store.scan(PHONE)} - {None}
    assert pools
    for number in numbers:
        assert _by_index(store, "PhoneNumber", number) == _by_scan(store, "PhoneNumber", number)
    for pool in pools:
        assert _by_index(store, "PoolId", pool) == _by_scan(store, "PoolId", pool)


def test_a_database_from_before_the_index_is_indexed_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = Store(str(path))
    store.region("1", "us-east-1").put(PHONE, "a", {"PhoneNumber": "+1555"})
    store.close()
    with sqlite3.connect(path) as raw:  # what an older version left: no refs, no meta entry
        raw.execute("DELETE FROM refs")
        raw.execute("DELETE FROM meta WHERE key = 'refs'")
    reopened = Store(str(path))
    assert _by_index(reopened, "PhoneNumber", "+1555") == ["a"]
    reopened.close()
