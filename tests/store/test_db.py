"""The store opens, migrates, refuses newer schemas and keeps transactions whole."""

from __future__ import annotations

import sqlite3

import pytest

from aiviewer.errors import SchemaTooNew, StoreError
from aiviewer.store import Store
from aiviewer.store.migrations import known_names


def test_new_store_is_migrated_with_wal_and_foreign_keys(tmp_path):
    store = Store(tmp_path / "lib.sqlite")
    assert set(store.applied_migrations()) == known_names()
    assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for table in ("sources", "shows", "episodes", "episode_sources", "segments", "speakers",
                  "chapters", "entities", "mentions", "tags", "annotations", "annotation_tags"):
        assert store.db[table].exists(), table


def test_reopening_applies_nothing_twice(tmp_path):
    Store(tmp_path / "lib.sqlite").close()
    store = Store(tmp_path / "lib.sqlite")
    names = store.applied_migrations()
    assert len(names) == len(set(names))


def test_store_from_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "lib.sqlite"
    store = Store(path)
    store.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('aiviewer', 'm9999_from_the_future', 'x')")
    store.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer version"):
        Store(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_a_store_error_and_is_not_overwritten(tmp_path):
    path = tmp_path / "lib.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError):
        Store(path)
    assert path.read_bytes() == before


def test_atomic_rolls_back_everything_on_error(tmp_path):
    store = Store(tmp_path / "lib.sqlite")
    with pytest.raises(RuntimeError):
        with store.atomic() as db:
            db.execute("INSERT INTO shows (title) VALUES ('A')")
            with store.atomic() as inner:
                inner.execute("INSERT INTO shows (title) VALUES ('B')")
            raise RuntimeError("crash mid-import")
    assert store.execute("SELECT COUNT(*) FROM shows").fetchone()[0] == 0


def test_second_connection_sees_committed_writes(tmp_path):
    a = Store(tmp_path / "lib.sqlite")
    b = Store(tmp_path / "lib.sqlite")
    with a.atomic() as db:
        db.execute("INSERT INTO shows (title) VALUES ('Interconnects')")
    assert b.execute("SELECT title FROM shows").fetchone()[0] == "Interconnects"


def test_backup_is_a_readable_copy(tmp_path):
    store = Store(tmp_path / "lib.sqlite")
    with store.atomic() as db:
        db.execute("INSERT INTO shows (title) VALUES ('Interconnects')")
    copy = store.backup()
    assert sqlite3.connect(copy).execute("SELECT COUNT(*) FROM shows").fetchone()[0] == 1


def test_entity_searches_read_the_mentions_index_alone(tmp_path):
    """m0003, then m0010: `entity IN (…)` → segment ids is answered by a covering
    index; so is the whole library's (entity, kind) → segment ids insights read."""
    store = Store(tmp_path / "s.sqlite")
    try:
        plan = " ".join(r[3] for r in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT segment_id FROM mentions WHERE entity IN ('Qwen')"))
        assert "COVERING INDEX mentions_entity_kind" in plan
        plan = " ".join(r[3] for r in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT entity, kind, group_concat(segment_id) FROM mentions "
            "INDEXED BY mentions_entity_kind GROUP BY entity, kind"))
        assert "COVERING INDEX mentions_entity_kind" in plan and "TEMP B-TREE" not in plan
    finally:
        store.close()
