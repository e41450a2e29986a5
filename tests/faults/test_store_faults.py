"""Store faults: a full disk, a damaged file, a newer schema.  Nothing user-written
is lost and the damaged file is never written to."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path

import pytest

from aiviewer.errors import SchemaTooNew, StoreCorrupt, StoreError, StoreFull
from aiviewer.ingest import pipeline
from aiviewer.library import Library
from aiviewer.model import ParsedEpisode, ParsedSegment, ParsedSource
from aiviewer.paths import DB_NAME
from aiviewer.store import Store


def _source(title: str, words: int = 200) -> pipeline.ReadFile:
    text = " ".join(f"{title.lower()}word{i}" for i in range(words))
    ep = ParsedEpisode(title=title, segments=(
        ParsedSegment(text=text, speaker="Host", kind="turn"),
        ParsedSegment(text="And a second turn about RLHF.", speaker="Guest", kind="turn"),
    ), speakers=("Host", "Guest"))
    src = ParsedSource(form="labelled", episodes=(ep,))
    sha = hashlib.sha256(title.encode()).hexdigest()
    return pipeline.ReadFile(path=f"/virtual/{title}.txt", sha256=sha, size=len(text), source=src)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def library(tmp_path):
    lib = Library(tmp_path)
    lib._write_source(_source("First"))
    yield lib
    lib.close()


def test_full_disk_is_a_clear_error_and_the_store_is_intact(library, tmp_path):
    pages = library.store.conn.execute("PRAGMA page_count").fetchone()[0]
    library.store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreFull, match="disk is full"):
        library._write_source(_source("Second", words=20_000))
    assert [e.title for e in library.episodes()] == ["First"]
    library.store.conn.execute("PRAGMA max_page_count = 1073741823")
    library._write_source(_source("Third"))
    assert sorted(e.title for e in library.episodes()) == ["First", "Third"]
    library.close()
    assert _integrity(tmp_path / DB_NAME) == "ok"


def test_full_disk_during_import_names_the_file(library, tmp_path):
    doc = tmp_path / "talk.txt"
    doc.write_text("Host: " + " ".join(f"w{i}" for i in range(30_000)) + "\n\nGuest: ok\n")
    pages = library.store.conn.execute("PRAGMA page_count").fetchone()[0]
    library.store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    report = library.import_paths([doc]).value
    assert report.failed and "disk is full" in report.failed[0].error
    assert report.failed[0].path.endswith("talk.txt")
    assert [e.title for e in library.episodes()] == ["First"]


def test_garbage_header_is_refused_untouched_and_names_its_backup(tmp_path):
    lib = Library(tmp_path)
    lib._write_source(_source("First"))
    backup = lib.store.backup("daily")
    lib.close()
    db = tmp_path / DB_NAME
    for side in ("-wal", "-shm"):
        (tmp_path / (DB_NAME + side)).unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    data[0:16] = b"garbage garbage!"
    db.write_bytes(bytes(data))
    before = _sha(db)
    with pytest.raises(StoreCorrupt) as err:
        Library(tmp_path)
    assert str(db) in str(err.value) and "has not been changed" in str(err.value)
    assert err.value.backups[0] == str(backup)
    assert _sha(db) == before


def test_truncated_store_is_refused_then_restored_from_backup(tmp_path):
    lib = Library(tmp_path)
    lib._write_source(_source("First", words=5_000))
    lib.store.backup("daily")
    lib.close()
    db = tmp_path / DB_NAME
    for side in ("-wal", "-shm"):
        (tmp_path / (DB_NAME + side)).unlink(missing_ok=True)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    truncated = _sha(db)
    with pytest.raises(StoreCorrupt, match="is damaged") as err:
        Library(tmp_path)
    aside = Library.restore_backup(tmp_path, err.value.backups[0]).set_aside
    assert _sha(aside) == truncated          # the damaged file is kept, renamed
    with Library(tmp_path) as again:
        assert [e.title for e in again.episodes()] == ["First"]


def test_restoring_a_damaged_backup_is_refused(tmp_path):
    bad = tmp_path / "library.daily-x.sqlite"
    bad.write_bytes(b"not a database at all" * 10)
    (tmp_path / DB_NAME).write_bytes(b"also damaged" * 20)
    with pytest.raises(StoreError, match="cannot restore"):
        Library.restore_backup(tmp_path, bad)
    assert (tmp_path / DB_NAME).read_bytes() == b"also damaged" * 20


def test_daily_backup_is_taken_once_a_day_and_pruned(tmp_path):
    for _ in range(2):
        with Library(tmp_path) as lib:
            lib.daily_backup()
    lib = Library(tmp_path)
    assert len(lib.backups()) == 1
    for i in range(5):
        stale = lib.store.backup("daily")
        old = time.time() - (10 - i) * 86400
        os.utime(stale, (old, old))
    assert lib.daily_backup() is None  # the newest is less than a day old
    lib.close()
    assert len([p for p in Library(tmp_path).backups() if ".daily-" in p.name]) <= 3


def test_closing_takes_no_backup(tmp_path):
    """The CLI opens and closes the library on every command: no copy each time."""
    for _ in range(3):
        Library(tmp_path).close()
    assert Library(tmp_path).backups() == []


def test_newer_schema_is_refused_and_the_file_untouched(tmp_path):
    Library(tmp_path).close()
    db = tmp_path / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('aiviewer', 'm9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _sha(db)
    with pytest.raises(SchemaTooNew, match="newer version"):
        Store(db)
    assert _sha(db) == before
