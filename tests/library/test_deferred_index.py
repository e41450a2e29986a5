"""A bulk import defers the segment index and rebuilds it once at the end (issue 13:
import speed).  Each file stays its own transaction; what the index holds afterwards
is exactly what indexing row by row would hold; a library left mid-way by a killed
import is finished when next opened."""

from __future__ import annotations

import sqlite3

from aiviewer.library import Library
from aiviewer.store import fts


def _folder(tmp_path, name="in", n=6, word="GRPO"):
    src = tmp_path / name
    src.mkdir()
    for i in range(n):
        (src / f"talk{i:02}.txt").write_text(
            f"Ada: episode {i} of {name} is about {word} and reasoning {i}.\n"
            f"Bob: and DPO on Llama, take {i * 7}.\n" * 400, encoding="utf-8")
    return src


def _hits(lib: Library, match: str) -> int:
    return lib.store.db.execute(
        "SELECT count(*) FROM fts_prefix WHERE fts_prefix MATCH ?", [match]).fetchone()[0]


def _sound(lib: Library) -> bool:
    return fts.check(lib.store.db) and fts.deferred_by(lib.store.db) is None and {
        r[0] for r in lib.store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'segments_fts%'")
    } == {"segments_fts_ai", "segments_fts_ad", "segments_fts_au"}


def test_a_bulk_import_indexes_everything_once_at_the_end(tmp_path, monkeypatch):
    src = _folder(tmp_path)
    deferred = []
    real = fts.defer_segment_index
    monkeypatch.setattr(fts, "defer_segment_index",
                        lambda db, owner: (deferred.append(owner), real(db, owner)))
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([src])
        assert deferred, "an import into an empty library defers the index"
        assert _sound(lib)
        segments = lib.store.db.execute(
            "SELECT count(*) FROM segments WHERE text LIKE '%reasoning%'").fetchone()[0]
        assert _hits(lib, "reasoning") == segments > 0
        assert lib.search("GRPO").total > 0
        # afterwards, a small import into the now larger library indexes row by row
        deferred.clear()
        one = tmp_path / "one"
        one.mkdir()
        (one / "x.txt").write_text("Ada: a short talk about Mamba.\n", encoding="utf-8")
        lib.import_paths([one])
        assert not deferred
        assert _hits(lib, "mamba") == 1 and _sound(lib)


def test_a_library_left_by_a_killed_bulk_import_is_indexed_when_opened(tmp_path):
    src = _folder(tmp_path)
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([src])
        n = _hits(lib, "reasoning")
        # as a killed import leaves it: triggers gone, text written, marker of a dead pid
        with lib.store.atomic() as db:
            fts.defer_segment_index(db, 2**22 + 12345)
            db.execute("INSERT INTO fts_prefix(fts_prefix) VALUES ('delete-all')")
            db.execute("INSERT INTO fts_segments(fts_segments) VALUES ('delete-all')")
    conn = sqlite3.connect(tmp_path / "lib" / "library.sqlite")
    assert conn.execute("SELECT value FROM meta WHERE key = ?", [fts.DEFERRED_KEY]).fetchone()
    conn.close()
    with Library(tmp_path / "lib") as lib:
        assert _sound(lib)
        assert _hits(lib, "reasoning") == n > 0


def test_an_import_running_elsewhere_is_left_to_finish_its_own_index(tmp_path):
    import os

    src = _folder(tmp_path)
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([src])
        with lib.store.atomic() as db:  # a live process (our parent) holds the marker
            fts.defer_segment_index(db, os.getppid())
    with Library(tmp_path / "lib") as lib:
        assert fts.deferred_by(lib.store.db) == os.getppid()
        # the next import finishes it for both
        lib.import_paths([_folder(tmp_path, "more", n=1, word="Mamba")])
        assert _sound(lib) and _hits(lib, "mamba") > 0 and _hits(lib, "grpo") > 0
