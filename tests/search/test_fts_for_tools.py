"""The library file as a team's read-only window: `sqlite-utils search` and Datasette
find the transcript index by its declaration (`content="segments"`), on a new store
and on one made before that declaration (migration m0009)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from aiviewer.store import Store

OLD_DECLARATION = """CREATE VIRTUAL TABLE fts_segments USING fts5(
    speaker, text, content='segments', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2')"""


@pytest.fixture
def library_file(filled, tmp_path):
    """The search fixtures' library (conftest.py), and its file."""
    return filled[0], tmp_path / "library.sqlite"


def _search(path: Path, query: str) -> list[str]:
    db = sqlite_utils.Database(path)
    try:
        assert db["segments"].detect_fts() == "fts_segments"
        return [r["text"] for r in db["segments"].search(query)]
    finally:
        db.close()


def test_sqlite_utils_finds_the_index_of_a_new_store(library_file):
    store, path = library_file
    store.close()
    hits = _search(path, "GRPO")
    assert hits == ["GRPO made reinforcement learning on reasoning traces much simpler."]


def test_the_cli_search_too(library_file):
    store, path = library_file
    store.close()
    cli = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    if not Path(cli).exists():
        pytest.skip("the sqlite-utils command is not installed")
    out = subprocess.run([cli, "search", str(path), "segments", "GRPO", "--csv"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "GRPO made reinforcement learning" in out.stdout


def test_an_older_store_is_redeclared_and_keeps_searching(library_file):
    store, path = library_file
    with store.atomic() as db:  # the declaration of stores made before m0009
        db.execute("DROP TABLE fts_segments")
        db.execute(OLD_DECLARATION)
        db.execute("INSERT INTO fts_segments(fts_segments) VALUES ('rebuild')")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm0009_fts_declared_for_tools'")
    store.close()
    raw = sqlite_utils.Database(path)
    assert raw["segments"].detect_fts() is None  # what users saw: "not configured"
    raw.close()
    store = Store(path)
    assert "m0009_fts_declared_for_tools" in store.applied_migrations()
    store.close()
    assert len(_search(path, "reasoning")) == 4
