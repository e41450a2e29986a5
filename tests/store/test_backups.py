"""Backups that are light and safe, damage judged as SQLite judges it, and restores
that never trade readable work away."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlite_probe import scalar

from aiviewer.errors import StoreCorrupt, StoreError
from aiviewer.library import Library
from aiviewer.paths import DB_NAME
from aiviewer.store import backups

TALK = ("Ada: we tried GRPO on Qwen and it worked.\nBob: and DPO on Llama, with RLHF.\n"
        "Ada: GRPO again, and Kimi K2 this time.\nBob: DeepSeek R1 had done it first.\n")


def _library(tmp_path, n_files: int = 3):
    data = tmp_path / "lib"
    lib = Library(data)
    for i in range(n_files):
        f = tmp_path / f"talk{i}.txt"
        f.write_text(TALK.replace("Qwen", f"Qwen{i}") * 40, encoding="utf-8")
        lib.import_paths([f])
    return data, lib



def test_a_backup_holds_what_cannot_be_rebuilt_and_a_restore_rebuilds_the_rest(tmp_path):
    data, lib = _library(tmp_path)
    eid = lib.episodes()[0].id
    lib.annotate(eid, 0, 10, note_md="mine", tags=["method/RL"])
    lib.rename_speaker(eid, "Ada", "Ada Lovelace")
    copy = lib.store.backup("daily")
    assert scalar(copy, "SELECT count(*) FROM mentions") == 0
    assert scalar(copy, "SELECT count(*) FROM episode_fingerprints") == 0
    assert scalar(copy, "SELECT count(*) FROM segments") == lib.counts()["segments"]
    assert scalar(copy, "SELECT count(*) FROM annotations") == 1
    assert scalar(copy, "PRAGMA quick_check") == "ok"
    hits_before = lib.search("GRPO").total
    mentions_before = len(lib.episode_entities(eid))
    lib.close()
    result = Library.restore_backup(data, copy)
    assert result.set_aside is not None and result.set_aside.exists()
    with Library(data) as again:
        assert again.search("GRPO").total == hits_before
        assert len(again.episode_entities(eid)) == mentions_before
        assert again.episode(eid).speaker_names["Ada"] == "Ada Lovelace"
        assert [a.note_md for a in again.annotations()] == ["mine"]


def test_a_backup_is_much_smaller_than_the_library(tmp_path):
    data, lib = _library(tmp_path, n_files=6)
    lib.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = lib.store.backup()
    size = (data / DB_NAME).stat().st_size
    assert copy.stat().st_size < 0.8 * size
    lib.close()


def test_a_kill_during_a_backup_leaves_the_previous_one_offered(tmp_path):
    data, lib = _library(tmp_path, n_files=6)
    good = lib.store.backup("daily")
    lib.close()
    script = ("import sys; from aiviewer.library import Library\n"
              "lib = Library(sys.argv[1]); print('go', flush=True)\n"
              "while True: lib.store.backup('daily')\n")
    landed = 0
    for attempt in range(40):
        proc = subprocess.Popen([sys.executable, "-c", script, str(data)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "go"
        time.sleep(0.05 + 0.01 * (attempt % 7))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        partial = list(data.glob(f"*{backups.PARTIAL}"))
        if partial:
            landed += 1
        # every complete backup verifies; a partial one is never listed
        for b in backups.list_backups(data / DB_NAME):
            assert backups.quick_check(b) is None
            assert not b.name.endswith(backups.PARTIAL)
        for p in partial:
            p.unlink()
        for p in backups.list_backups(data / DB_NAME):
            if p != good:
                p.unlink()
        if landed >= 3:
            break
    assert landed >= 1, "no kill landed during a backup"
    assert backups.list_backups(data / DB_NAME) == [good]


def test_a_zero_length_library_beside_backups_is_refused_with_the_backup_offered(tmp_path):
    data, lib = _library(tmp_path, n_files=1)
    copy = lib.store.backup("daily")
    lib.close()
    for side in ("-wal", "-shm"):
        (data / (DB_NAME + side)).unlink(missing_ok=True)
    (data / DB_NAME).write_bytes(b"")
    with pytest.raises(StoreCorrupt, match="empty") as err:
        Library(data)
    assert err.value.backups[0] == str(copy)
    assert (data / DB_NAME).stat().st_size == 0, "left as it was"


def test_a_new_empty_file_without_backups_is_a_new_library(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"")
    with Library(tmp_path) as lib:
        assert lib.is_empty()


def test_a_read_only_library_opens_read_only_and_says_so(tmp_path):
    data, lib = _library(tmp_path, n_files=1)
    eid = lib.episodes()[0].id
    lib.close()
    with Library(data, read_only=True) as ro:
        assert ro.read_only
        assert ro.episodes() and ro.search("GRPO").total
        with pytest.raises(StoreError, match="read-only.*not saved"):
            ro.annotate(eid, 0, 5, note_md="x")
    if os.geteuid() != 0:  # root can write a 0444 file; the flag above stands in
        os.chmod(data / DB_NAME, 0o444)
        try:
            out = subprocess.run([sys.executable, "-m", "aiviewer", "--data-dir", str(data),
                                  "about"], capture_output=True, text=True)
            assert out.returncode == 0 and "read-only" in out.stdout
        finally:
            os.chmod(data / DB_NAME, 0o644)


def test_a_reader_during_a_checkpoint_is_never_told_the_library_is_damaged(tmp_path):
    """The old header check called a library 'truncated' while another process
    checkpointed (2 of 88 `about` calls); SQLite reads such a file correctly."""
    data, lib = _library(tmp_path, n_files=2)
    lib.close()
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from aiviewer.library import Library\n"
         "lib = Library(sys.argv[1]); eid = lib.episodes()[0].id\n"
         "for i in range(150):\n"
         "    lib.annotate(eid, 0, 5, note_md='n' * 4000)\n"
         "    lib.store.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n", str(data)])
    try:
        while writer.poll() is None:
            with Library(data) as reader:
                reader.counts()
    finally:
        writer.wait()
    assert writer.returncode == 0


def _overwrite_a_page(db_path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = [r[0] for r in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
        [table])]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    page = pages[len(pages) // 2]
    with open(db_path, "r+b") as fh:  # no connection is open: the test plays the disk
        fh.seek((page - 1) * size)
        fh.write(b"\xa5" * size)
    return page


def test_a_page_overwritten_mid_file_is_detected_never_written_never_backed_up(tmp_path):
    data, lib = _library(tmp_path, n_files=8)
    eid = lib.episodes()[0].id
    lib.annotate(eid, 0, 10, note_md="before the backup")
    lib.store.backup("daily")
    later = [lib.annotate(eid, 20 + i, 30 + i, note_md=f"after {i}", tags=["late"]).value.id
             for i in range(5)]
    lib.rename_speaker(eid, "Bob", "Bob Dylan")
    lib.close()
    db = data / DB_NAME
    _overwrite_a_page(db, "segments")
    damaged_bytes = db.read_bytes()
    cli = [sys.executable, "-m", "aiviewer", "--data-dir", str(data)]
    # detected before a write, and the file is left as it is
    out = subprocess.run(cli + ["annotate", eid, "--quote", "GRPO"], capture_output=True,
                         text=True)
    assert out.returncode == 2 and "damaged" in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run(cli + ["search", "GRPO"], capture_output=True, text=True)
    assert "Traceback" not in out.stderr
    out = subprocess.run(cli + ["check"], capture_output=True, text=True)
    assert out.returncode == 2 and "damaged" in out.stdout
    lib = Library(data)
    assert lib.verify()
    with pytest.raises(StoreCorrupt):
        lib.annotate(eid, 0, 5, note_md="refused")
    n_backups = len(lib.backups())
    old = time.time() - 2 * 86400
    for b in lib.backups():
        os.utime(b, (old, old))  # the daily copy is due
    with pytest.raises(StoreCorrupt):
        lib.daily_backup()
    with pytest.raises(StoreCorrupt):
        lib.store.backup()
    assert len(lib.backups()) == n_backups, "a damaged library is never copied"
    lib.close()
    for side in ("-wal", "-shm"):
        (data / (DB_NAME + side)).unlink(missing_ok=True)
    assert db.read_bytes() == damaged_bytes, "nothing was written to it"
    # the restore keeps every annotation SQLite could still read, and the speaker name
    out = subprocess.run(cli + ["restore"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Restored" in out.stdout
    with Library(data) as again:
        notes = {a.id: a for a in again.annotations()}
        assert set(later) <= set(notes)
        assert all(tuple(notes[i].tags) == ("late",) for i in later)
        assert again.episode(eid).speaker_names.get("Bob") == "Bob Dylan"
        assert again.verify() is None


def test_restore_refuses_while_the_library_is_open_in_this_process(tmp_path):
    data, lib = _library(tmp_path, n_files=1)
    copy = lib.store.backup()
    with pytest.raises(StoreError, match="close the library"):
        Library.restore_backup(data, copy)
    lib.close()


def test_a_restore_brings_back_turn_edits_and_details_made_after_the_backup(tmp_path):
    """Issue 16: the user's corrections are user data, salvaged like annotations."""
    data, lib = _library(tmp_path, n_files=1)
    eid = lib.episodes()[0].id
    copy = lib.store.backup("daily")
    seg = lib.episode(eid).segments[0]
    lib.split_turn(eid, 0, seg.text.index("and it worked"))
    lib.assign_speaker(eid, [1], "Carol")
    lib.edit_details(eid, title="Renamed talk", date="2025-06-02")
    text = lib.episode(eid).text
    note = lib.annotate_quote(eid, "and it worked").value
    lib.close()
    result = Library.restore_backup(data, copy)
    assert result.brought_back["turn_edits"] == 2 and result.brought_back["episode_details"] == 2
    with Library(data) as again:
        ep = again.episode(eid)
        assert ep.text == text and ep.segments[1].speaker == "Carol"
        assert (ep.title, ep.summary.date) == ("Renamed talk", "2025-06-02")
        placed = again.annotation(note.id)
        assert placed.status == "anchored" and text[placed.start:placed.end] == "and it worked"
