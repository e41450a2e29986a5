"""The FTS tables stay in step with the store through its triggers, and rebuild."""

from __future__ import annotations

from aiviewer.model import ParsedSegment
from aiviewer.store import Store, fts
from aiviewer.store import episodes as episodes_q
from aiviewer.store import segments as segments_q


def _hits(store, table, match):
    return sorted(r[0] for r in store.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [match]))


def test_migration_creates_the_tables(store):
    assert "m0002_fts" in store.applied_migrations()
    names = {r[0] for r in store.execute("SELECT name FROM sqlite_master")}
    assert {"fts_segments", "fts_prefix", "fts_vocab", "fts_episodes", "fts_annotations"} <= names


def test_segment_writes_update_both_indexes(filled):
    store, ids = filled
    grpo = ids[("ep-ross", 1)]
    assert _hits(store, "fts_segments", "grpo") == [grpo]
    assert _hits(store, "fts_prefix", "reinforc*") == [grpo]
    # stemmed vs unstemmed: the prefix table answers prefixes of whole words
    assert _hits(store, "fts_segments", "reasoni*") == []
    assert len(_hits(store, "fts_prefix", "reasoni*")) == 4
    with store.atomic() as db:
        db.execute("UPDATE segments SET text = 'nothing about it' WHERE id = ?", [grpo])
    assert _hits(store, "fts_segments", "grpo") == []
    assert _hits(store, "fts_prefix", "nothing") == [grpo]
    with store.atomic() as db:  # re-import an episode: segments replaced
        segments_q.replace_segments(db, "ep-ross", (ParsedSegment("GRPO again"),))
    assert len(_hits(store, "fts_segments", "grpo")) == 1
    assert fts.check(store.db)


def test_deleting_an_episode_cascades_into_the_index(filled):
    store, ids = filled
    with store.atomic() as db:
        episodes_q.delete(db, "ep-lex")
    assert _hits(store, "fts_segments", "quen") == []
    assert _hits(store, "fts_episodes", "chinese") == []
    assert fts.check(store.db)


def test_episode_and_annotation_tables_follow_their_rows(filled):
    store, _ = filled
    assert store.execute("SELECT episode_id FROM fts_episodes WHERE fts_episodes MATCH "
                         "'title : compute'").fetchall() == [("ep-lex",)]
    with store.atomic() as db:
        episodes_q.update(db, "ep-lex", {"title": "Renamed"})
        db.execute("UPDATE annotations SET note_md = 'rewritten' WHERE id = 'a1'")
    assert store.execute("SELECT count(*) FROM fts_episodes WHERE fts_episodes MATCH "
                         "'compute'").fetchone()[0] == 0
    assert store.execute("SELECT annotation_id FROM fts_annotations WHERE fts_annotations "
                         "MATCH 'rewritten'").fetchall() == [("a1",)]


def test_rebuild_restores_a_damaged_index(filled):
    store, _ = filled
    with store.atomic() as db:
        db.execute("INSERT INTO fts_segments(fts_segments) VALUES ('delete-all')")
    assert _hits(store, "fts_segments", "grpo") == []
    with store.atomic() as db:
        fts.rebuild(db)
    assert len(_hits(store, "fts_segments", "grpo")) == 1
    assert fts.check(store.db)


def test_migration_indexes_existing_rows(tmp_path):
    """A store written before m0002 gets its index filled when it is opened."""
    from sqlite_utils import Database

    from aiviewer.store.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite"
    db = Database(path)
    MIGRATIONS._migrations[0].fn(db)
    db.execute("CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, "
               "name TEXT, applied_at TEXT)")
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
               "VALUES ('aiviewer', 'm0001_core', '2026-01-01')")
    db["episodes"].insert({"id": "e", "title": "Old episode"})
    db["segments"].insert({"episode_id": "e", "seq": 0, "text": "pre-existing words",
                           "char_start": 0})
    db.conn.commit()
    db.conn.close()
    store = Store(path)
    try:
        assert "m0002_fts" in store.applied_migrations()
        assert _hits(store, "fts_prefix", "pre*") == [1]
        assert _hits(store, "fts_episodes", "old") == [1]
    finally:
        store.close()


def test_vocabulary_and_lookups(filled):
    store, _ = filled
    vocab = dict(fts.vocabulary(store.db))
    assert vocab["reasoning"] == 4 and "reason" not in vocab
    assert fts.doc_count(store.db, "deepseek") == 2
    assert fts.doc_count(store.db, "nonesuch") == 0
    assert set(fts.terms_like(store.db, "g?po")) == {"grpo"}
    assert "Qwen" in fts.entity_names(store.db)
    sig = fts.signature(store.db)
    assert fts.signature(store.db) == sig
    with store.atomic() as db:
        db.execute("DELETE FROM mentions WHERE entity = 'Qwen'")
    assert fts.signature(store.db) != sig
