"""Passage vectors: one int8 blob per segment, derived from its text by the model
named in `meta` (`vectors_model`).

Triggers drop a segment's vector when the segment goes or its text changes, and
bump `vectors_version` on every write, so a cached index knows when to reload
with one small read.  Segments without a vector are found by a LEFT JOIN and
embedded in batches (`Library.embed_passages`).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence

from sqlite_utils import Database

from aiviewer.store import fts

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passage_vectors (
    segment_id INTEGER PRIMARY KEY,
    vec BLOB NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('vectors_version', '0');
CREATE TRIGGER IF NOT EXISTS segments_vector_gone AFTER DELETE ON segments BEGIN
    DELETE FROM passage_vectors WHERE segment_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS segments_vector_stale AFTER UPDATE OF text ON segments BEGIN
    DELETE FROM passage_vectors WHERE segment_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS passage_vectors_added AFTER INSERT ON passage_vectors BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_version';
END;
CREATE TRIGGER IF NOT EXISTS passage_vectors_gone AFTER DELETE ON passage_vectors BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_version';
END;
"""


def create(db: Database) -> None:
    db.executescript(_SCHEMA)


def model(db: Database) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'vectors_model'").fetchone()
    return row[0] if row else None


def set_model(db: Database, name: str) -> None:
    """Record the model the stored vectors come from; vectors of another model go."""
    if model(db) != name:
        db.execute("DELETE FROM passage_vectors")
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('vectors_model', ?)", [name])


def clear(db: Database) -> None:
    db.execute("DELETE FROM passage_vectors")


def count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM passage_vectors").fetchone()[0]


def all_texts(db: Database) -> dict[int, str]:
    return dict(db.execute("SELECT id, text FROM segments").fetchall())


def count_missing(db: Database) -> int:
    return db.execute("SELECT count(*) FROM segments s LEFT JOIN passage_vectors v "
                      "ON v.segment_id = s.id WHERE v.segment_id IS NULL").fetchone()[0]


def missing(db: Database, after: int, limit: int) -> list[tuple[int, str]]:
    """(id, text) of up to `limit` segments after id `after` that have no vector."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT s.id, s.text FROM segments s LEFT JOIN passage_vectors v "
        "ON v.segment_id = s.id WHERE v.segment_id IS NULL AND s.id > ? "
        "ORDER BY s.id LIMIT ?", [after, limit])]


def write(db: Database, rows: Sequence[tuple[int, bytes]]) -> None:
    """Store vectors of segments that still exist (one may have gone meanwhile)."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO passage_vectors (segment_id, vec) "
        "SELECT id, ? FROM segments WHERE id = ?", [(blob, sid) for sid, blob in rows])


def every(db: Database) -> Iterator[tuple[int, bytes]]:
    yield from db.execute("SELECT segment_id, vec FROM passage_vectors")


def read(db: Database, ids: Sequence[int]) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(db.execute(f"SELECT segment_id, vec FROM passage_vectors "
                              f"WHERE segment_id IN ({marks})", chunk).fetchall())
    return out


def segment_texts(db: Database, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(db.execute(f"SELECT id, text FROM segments WHERE id IN ({marks})",
                              chunk).fetchall())
    return out


def version(db: Database) -> tuple:
    """Changes whenever a vector was written or dropped (one read after any write)."""
    quick = fts.write_marker(db)
    memo = _versions.get(db)
    if memo and memo[0] == quick:
        return memo[1]
    row = db.execute("SELECT value FROM meta WHERE key = 'vectors_version'").fetchone()
    full = (row[0] if row else None, model(db))
    _versions[db] = (quick, full)
    return full


_versions: weakref.WeakKeyDictionary[Database, tuple[tuple, tuple]] = (
    weakref.WeakKeyDictionary())
