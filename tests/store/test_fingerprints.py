"""Stored fingerprints (`store/fingerprints.py`): one row per episode, and a
generation drawn afresh by every change to the rows, cascades included, so that an
in-memory index knows when it is stale."""

from __future__ import annotations

import pytest

from aiviewer.store import Store
from aiviewer.store import episodes as episodes_q
from aiviewer.store import fingerprints as fingerprints_q


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "library.sqlite")
    yield s
    s.close()


def test_a_sample_is_stored_sorted_and_once(store):
    with store.atomic() as db:
        episodes_q.insert(db, "e1", {"title": "one"})
        fingerprints_q.replace(db, "e1", [9, 3, 9, 2**62 + 5])
        assert fingerprints_q.of(db, "e1") == [3, 9, 2**62 + 5]
        assert [(e, list(h)) for e, h in fingerprints_q.every(db)] == [("e1", [3, 9, 2**62 + 5])]
        fingerprints_q.replace(db, "e1", [])
        assert fingerprints_q.of(db, "e1") == []


def test_every_change_draws_a_new_generation_deletes_by_cascade_too(store):
    seen = []

    def generation():
        seen.append(fingerprints_q.generation(store.db))
        return seen[-1]

    generation()
    with store.atomic() as db:
        episodes_q.insert(db, "e1", {"title": "one"})
        episodes_q.insert(db, "e2", {"title": "two"})
        fingerprints_q.replace(db, "e1", [1, 2, 3])
    generation()
    with store.atomic() as db:
        fingerprints_q.replace(db, "e1", [4, 5])  # an update
    generation()
    with store.atomic() as db:
        episodes_q.update(db, "e2", {"title": "two, renamed"})  # not a fingerprint
    assert fingerprints_q.generation(store.db) == seen[-1]
    with store.atomic() as db:
        episodes_q.delete(db, "e1")  # its row goes by cascade
    generation()
    assert len(set(seen)) == len(seen) == 4
    assert fingerprints_q.of(store.db, "e1") == []


def test_a_library_of_the_row_per_hash_format_keeps_its_samples(tmp_path):
    """m0012 moves the samples of m0011's (hash, episode_id) rows into one row each."""
    import sqlite3

    import sqlite_utils

    from aiviewer.store.migrations import MIGRATIONS

    path = tmp_path / "library.sqlite"
    conn = sqlite3.connect(path)
    old = sqlite_utils.Database(conn)
    MIGRATIONS.apply(old, stop_before="m0012_imp60_fingerprint_per_episode")
    with conn:
        for eid in ("a", "b"):
            conn.execute("INSERT INTO episodes (id, title) VALUES (?, ?)", [eid, eid])
        conn.executemany("INSERT INTO fingerprints (hash, episode_id) VALUES (?, ?)",
                         [(7, "a"), (3, "a"), (2**62, "a"), (3, "b")])
    conn.close()
    s = Store(path)
    try:
        assert dict((e, list(h)) for e, h in fingerprints_q.every(s.db)) == {
            "a": [3, 7, 2**62], "b": [3]}
        assert not s.db["fingerprints"].exists()
        before = fingerprints_q.generation(s.db)
        with s.atomic() as db:
            episodes_q.delete(db, "b")
        assert fingerprints_q.generation(s.db) != before
    finally:
        s.close()
