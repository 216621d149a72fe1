"""All sandbox state in one SQLite database: documents per account, region, kind and parent.

A document is a JSON object (a phone number, a pool, an opted-out number, a sent message...)
stored under ``(account, region, kind, parent, key)``; ``seq`` grows with every insert, which
gives listings their stable creation order. Every request runs inside :meth:`Store.transaction`,
so a request either applies completely or not at all; with a file path the database survives a
crash with every acknowledged write (WAL, ``synchronous=FULL``). Without one it lives in memory.
The members :data:`~.kinds.INDEXED` names are indexed in a ``refs`` table the writes keep
current, so :meth:`RegionStore.find` and :meth:`Store.find` never scan a kind.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from .kinds import INDEXED

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    parent  TEXT NOT NULL,
    key     TEXT NOT NULL,
    body    TEXT NOT NULL,
    UNIQUE (account, region, kind, parent, key)
);
CREATE INDEX IF NOT EXISTS docs_by_parent ON docs (account, region, kind, parent, seq);
CREATE INDEX IF NOT EXISTS docs_by_kind ON docs (account, region, kind, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS refs (
    member TEXT NOT NULL,
    value  TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (member, value, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refs_by_seq ON refs (seq);
"""

_loads = orjson.loads


def _dumps(doc: dict[str, Any]) -> str:
    return orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS).decode()


# kind -> the members of its documents held in ``refs`` (as "kind.Member").
_INDEXED: dict[str, tuple[str, ...]] = {}
for _kind, _member in INDEXED:
    _INDEXED.setdefault(_kind, ())
    _INDEXED[_kind] += (_member,)
# Bumped when INDEXED changes: an older database's refs are rebuilt when opened.
_REFS_VERSION = ",".join(f"{k}.{m}" for k, m in INDEXED)


def _ref(kind: str, member: str) -> str:
    if member not in _INDEXED.get(kind, ()):
        raise ValueError(f"{kind}.{member} is not indexed; add it to kinds.INDEXED")
    return f"{kind}.{member}"


class Store:
    """The SQLite database behind one :class:`~ppv2kit.sandbox.Sandbox`."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or ":memory:"
        self.lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path == ":memory:":
            self._conn.execute("PRAGMA journal_mode=MEMORY")
        else:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(SCHEMA)
        if self.get_meta("refs") != _REFS_VERSION:
            self._rebuild_refs()

    def _rebuild_refs(self) -> None:
        """Index every indexed member of every document (a database from an older version)."""
        with self.transaction():
            self._conn.execute("DELETE FROM refs")
            for kind in _INDEXED:
                rows = self._conn.execute("SELECT seq, body FROM docs WHERE kind = ?", (kind,))
                for seq, body in rows.fetchall():
                    self._index(kind, seq, _loads(body))
            self.set_meta("refs", _REFS_VERSION)

    def _index(self, kind: str, seq: int, doc: dict[str, Any] | None) -> None:
        """Point ``refs`` at the current values of an indexed kind's document ``seq``."""
        self._conn.execute("DELETE FROM refs WHERE seq = ?", (seq,))
        if doc is None:
            return
        for member in _INDEXED[kind]:
            value = doc.get(member)
            values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            self._conn.executemany(
                "INSERT OR IGNORE INTO refs (member, value, seq) VALUES (?, ?, ?)",
                ((f"{kind}.{member}", v, seq) for v in values if isinstance(v, str)),
            )

    def close(self) -> None:
        """Close the database (a file-backed store keeps everything committed)."""
        with self.lock:
            self._conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block atomically; nested blocks join the outermost transaction."""
        with self.lock:
            if self._depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")

    def region(self, account: str, region: str) -> RegionStore:
        """The documents of one account in one region."""
        return RegionStore(self, account, region)

    def regions(self) -> list[tuple[str, str]]:
        """Every ``(account, region)`` that holds state, sorted."""
        with self.lock:
            rows = self._conn.execute(
                "SELECT DISTINCT account, region FROM docs ORDER BY account, region"
            ).fetchall()
        return [(a, r) for a, r in rows]

    def scan(self, kind: str) -> Iterator[tuple[str, str, str, str, dict[str, Any]]]:
        """``(account, region, parent, key, doc)`` of every document of ``kind``, in order."""
        with self.lock:
            rows = self._conn.execute(
                "SELECT account, region, parent, key, body FROM docs WHERE kind = ? ORDER BY seq",
                (kind,),
            ).fetchall()
        for account, region, parent, key, body in rows:
            yield account, region, parent, key, _loads(body)

    def find(
        self, kind: str, member: str, value: Any
    ) -> Iterator[tuple[str, str, str, str, dict[str, Any]]]:
        """``(account, region, parent, key, doc)`` of every ``kind`` whose ``member`` is ``value``.

        Across every account and region, in creation order, through the member's index.
        """
        with self.lock:
            rows = self._conn.execute(
                "SELECT d.account, d.region, d.parent, d.key, d.body FROM refs r "
                "JOIN docs d ON d.seq = r.seq WHERE r.member = ? AND r.value = ? ORDER BY r.seq",
                (_ref(kind, member), value),
            ).fetchall()
        for account, region, parent, key, body in rows:
            yield account, region, parent, key, _loads(body)

    def get_meta(self, key: str) -> str | None:
        with self.lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.lock:
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def clear(self) -> None:
        """Delete every document (meta survives)."""
        with self.transaction():
            self._conn.execute("DELETE FROM docs")
            self._conn.execute("DELETE FROM refs")

    def integrity_check(self) -> str:
        """SQLite's own ``PRAGMA integrity_check`` answer (``"ok"`` when sound)."""
        with self.lock:
            return self._conn.execute("PRAGMA integrity_check").fetchone()[0]

    def copy_to(self, other: Store) -> None:
        """Copy this database into ``other`` (SQLite's online backup)."""
        with self.lock, other.lock:
            self._conn.backup(other._conn)

    def copy_to_file(self, path: str) -> None:
        """Write this database to a new file without waiting for the disk (for caches only).

        A copy cut short by a crash fails ``PRAGMA integrity_check`` when read back.
        """
        target = sqlite3.connect(path, isolation_level=None)
        try:
            target.execute("PRAGMA synchronous=OFF")
            with self.lock:
                self._conn.backup(target)
        finally:
            target.close()

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, args)


class RegionStore:
    """The documents of one account in one region (what a handler sees)."""

    def __init__(self, store: Store, account: str, region: str) -> None:
        self.store = store
        self.account = account
        self.region = region

    def __repr__(self) -> str:
        return f"RegionStore({self.account}, {self.region})"

    def get(self, kind: str, key: str, parent: str = "") -> dict[str, Any] | None:
        """The document, or None."""
        row = self.store._execute(
            "SELECT body FROM docs WHERE account=? AND region=? AND kind=? AND parent=? AND key=?",
            (self.account, self.region, kind, parent, key),
        ).fetchone()
        return _loads(row[0]) if row else None

    def exists(self, kind: str, key: str, parent: str = "") -> bool:
        """True when the document is there (nothing decoded)."""
        return (
            self.store._execute(
                "SELECT 1 FROM docs WHERE account=? AND region=? AND kind=? AND parent=? AND key=?",
                (self.account, self.region, kind, parent, key),
            ).fetchone()
            is not None
        )

    def seq(self, kind: str, key: str, parent: str = "") -> int | None:
        """The creation sequence number of a document, or None."""
        row = self.store._execute(
            "SELECT seq FROM docs WHERE account=? AND region=? AND kind=? AND parent=? AND key=?",
            (self.account, self.region, kind, parent, key),
        ).fetchone()
        return row[0] if row else None

    def put(self, kind: str, key: str, doc: dict[str, Any], parent: str = "") -> None:
        """Insert or replace; a replaced document keeps its place in the creation order."""
        cursor = self.store._execute(
            "INSERT INTO docs (account, region, kind, parent, key, body) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (account, region, kind, parent, key) DO UPDATE SET body = excluded.body"
            + (" RETURNING seq" if kind in _INDEXED else ""),
            (self.account, self.region, kind, parent, key, _dumps(doc)),
        )
        if kind in _INDEXED:
            self.store._index(kind, cursor.fetchone()[0], doc)

    def put_many(
        self, kind: str, rows: Iterable[tuple[str, dict[str, Any]]], parent: str = ""
    ) -> None:
        """Insert or replace many ``(key, doc)`` under one parent."""
        if kind in _INDEXED:
            for key, doc in rows:
                self.put(kind, key, doc, parent)
            return
        self.store._conn.executemany(
            "INSERT INTO docs (account, region, kind, parent, key, body) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (account, region, kind, parent, key) DO UPDATE SET body = excluded.body",
            ((self.account, self.region, kind, parent, k, _dumps(d)) for k, d in rows),
        )

    def delete(self, kind: str, key: str, parent: str = "") -> bool:
        """Delete one document; True if it existed."""
        cur = self.store._execute(
            "DELETE FROM docs WHERE account=? AND region=? AND kind=? AND parent=? AND key=? "
            "RETURNING seq",
            (self.account, self.region, kind, parent, key),
        )
        deleted = [seq for (seq,) in cur.fetchall()]
        for seq in deleted if kind in _INDEXED else ():
            self.store._index(kind, seq, None)
        return bool(deleted)

    def delete_all(self, kind: str, parent: str) -> int:
        """Delete every document of ``kind`` under ``parent``; the number deleted."""
        cur = self.store._execute(
            "DELETE FROM docs WHERE account=? AND region=? AND kind=? AND parent=? RETURNING seq",
            (self.account, self.region, kind, parent),
        )
        deleted = [seq for (seq,) in cur.fetchall()]
        for seq in deleted if kind in _INDEXED else ():
            self.store._index(kind, seq, None)
        return len(deleted)

    def items(
        self, kind: str, parent: str | None = "", after: int = 0
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(seq, doc)`` in creation order; ``parent=None`` spans every parent."""
        if parent is None:
            sql = (
                "SELECT seq, body FROM docs WHERE account=? AND region=? AND kind=? AND seq>? "
                "ORDER BY seq"
            )
            args: tuple[Any, ...] = (self.account, self.region, kind, after)
        else:
            sql = (
                "SELECT seq, body FROM docs WHERE account=? AND region=? AND kind=? AND parent=? "
                "AND seq>? ORDER BY seq"
            )
            args = (self.account, self.region, kind, parent, after)
        cursor = self.store._execute(sql, args)
        while True:
            batch = cursor.fetchmany(256)
            if not batch:
                return
            for seq, body in batch:
                yield seq, _loads(body)

    def find(self, kind: str, member: str, value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(seq, doc)`` of this region's ``kind`` whose ``member`` is ``value``, in order.

        Through the member's index (:data:`~.kinds.INDEXED`), whatever the document's parent.
        """
        rows = self.store._execute(
            "SELECT d.seq, d.body FROM refs r JOIN docs d ON d.seq = r.seq "
            "WHERE r.member = ? AND r.value = ? AND d.account = ? AND d.region = ? ORDER BY r.seq",
            (_ref(kind, member), value, self.account, self.region),
        ).fetchall()
        for seq, body in rows:
            yield seq, _loads(body)

    def docs(self, kind: str, parent: str | None = "") -> list[dict[str, Any]]:
        """Every document of ``kind`` in creation order."""
        return [doc for _, doc in self.items(kind, parent)]

    def keys(self, kind: str, parent: str | None = "") -> list[str]:
        """Every key of ``kind`` in creation order."""
        if parent is None:
            rows = self.store._execute(
                "SELECT key FROM docs WHERE account=? AND region=? AND kind=? ORDER BY seq",
                (self.account, self.region, kind),
            )
        else:
            rows = self.store._execute(
                "SELECT key FROM docs WHERE account=? AND region=? AND kind=? AND parent=? "
                "ORDER BY seq",
                (self.account, self.region, kind, parent),
            )
        return [r[0] for r in rows]

    def count(self, kind: str, parent: str | None = "") -> int:
        """How many documents of ``kind`` (under ``parent``, or in all when None)."""
        if parent is None:
            row = self.store._execute(
                "SELECT COUNT(*) FROM docs WHERE account=? AND region=? AND kind=?",
                (self.account, self.region, kind),
            ).fetchone()
        else:
            row = self.store._execute(
                "SELECT COUNT(*) FROM docs WHERE account=? AND region=? AND kind=? AND parent=?",
                (self.account, self.region, kind, parent),
            ).fetchone()
        return row[0]

    def parents(self, kind: str) -> list[str]:
        """Every parent that holds documents of ``kind``."""
        rows = self.store._execute(
            "SELECT DISTINCT parent FROM docs WHERE account=? AND region=? AND kind=?",
            (self.account, self.region, kind),
        )
        return [r[0] for r in rows]
