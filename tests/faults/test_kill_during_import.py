"""`kill -9` in the middle of a large import: the store stays consistent, holds no
half episode, and running the same import again finishes the job."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aiviewer.bench.corpus import replicate

pytestmark = pytest.mark.slow


def _cli(data: Path, *args: str, **kw):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIVIEWER_")}
    return subprocess.Popen([sys.executable, "-m", "aiviewer", "--data-dir", str(data), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            **kw)


def _episodes(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM episodes").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc; none where there is no /proc)."""
    out = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _import(data: Path, corpus: Path) -> dict:
    proc = _cli(data, "import", "--json", str(corpus))
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out)


def test_kill_9_mid_import_loses_nothing_and_can_be_resumed(tmp_path):
    corpus = replicate(10, tmp_path / "corpus")
    data = tmp_path / "data"
    db = data / "library.sqlite"
    proc = _cli(data, "import", str(corpus))
    deadline = time.monotonic() + 300
    while _episodes(db) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed"
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # its parse workers do not outlive it (they were left waiting, ~200 MB each)
    deadline = time.monotonic() + 30
    while [p for p in workers if _alive(p)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in workers if _alive(p)]

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        half = conn.execute("""
            SELECT e.id FROM episodes e
            WHERE e.n_segments != (SELECT count(*) FROM segments s WHERE s.episode_id = e.id)
               OR NOT EXISTS (SELECT 1 FROM episode_sources x WHERE x.episode_id = e.id)
        """).fetchall()
        assert half == []
        killed_at = conn.execute("SELECT count(*) FROM episodes").fetchone()[0]
    finally:
        conn.close()
    assert killed_at >= 10

    resumed = _import(data, corpus)
    assert not [f for f in resumed["files"] if f["status"] == "failed"]
    clean = _import(tmp_path / "clean", corpus)
    assert _episodes(db) == _episodes(tmp_path / "clean" / "library.sqlite")
    assert clean["added"] == _episodes(db)
    # the killed import had deferred the full-text index (a bulk import indexes once at
    # the end): the resumed one indexed everything, as the clean one did
    assert _indexed(db) == _indexed(tmp_path / "clean" / "library.sqlite") > 0
    again = _import(data, corpus)
    assert {f["status"] for f in again["files"]} == {"unchanged"}


def _indexed(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        for table in ("fts_segments", "fts_prefix"):
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        assert conn.execute("SELECT value FROM meta WHERE key = 'fts_segments_deferred'"
                            ).fetchone() is None
        return conn.execute("SELECT count(*) FROM fts_prefix WHERE fts_prefix MATCH 'the'"
                            ).fetchone()[0]
    finally:
        conn.close()
