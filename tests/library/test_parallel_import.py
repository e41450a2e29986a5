"""Imports of many files read and parse them in worker processes ahead of the one
writer (issue 13: 100x import time).  What ends up in the library must be exactly
what the in-process import writes, failures included, in the same order."""

from __future__ import annotations

import pytest

from aiviewer.ingest import parallel
from aiviewer.library import Library, derive


def _folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        (src / f"talk{i:02}.txt").write_text(
            f"Ada: episode {i} is about GRPO and Qwen {i}.\n"
            f"Bob: and DPO on Llama, take {i * 7}.\n" * (1 + i % 3), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.vtt").write_bytes(bytes(range(256)) * 40)
    (src / "copy.txt").write_text((src / "talk03.txt").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    return src


def _contents(lib: Library):
    eps = sorted(lib.episodes(), key=lambda e: e.id)
    return [(e.id, e.title, [s.text for s in lib.episode(e.id).segments]) for e in eps]


def _mentions(lib: Library):
    """Every episode's mentions and suggestions, by segment position (the workers
    match them; the in-process import matches in the writer)."""
    out = []
    for e in sorted(lib.episodes(), key=lambda e: e.id):
        seq = {s.id: s.seq for s in lib.episode(e.id).segments}
        for sid, found in lib.segment_mentions(e.id, suggestions=True).items():
            out += [(e.id, seq[sid], m.canonical, m.start, m.end, m.suggested) for m in found]
    return sorted(out)


@pytest.mark.parametrize("workers,own_entity", [(1, False), (2, False), (1, True)])
def test_workers_write_what_the_in_process_import_writes(tmp_path, monkeypatch, workers,
                                                         own_entity):
    src = _folder(tmp_path)
    alone = Library(tmp_path / "alone")
    pooled = Library(tmp_path / "pooled")
    if own_entity:  # the workers' catalog matcher is not this library's: the writer matches
        for lib in (alone, pooled):
            lib.add_entity("Take Seven", "technique", aliases=("take",))
    monkeypatch.setattr(parallel, "workers_for", lambda n: 0)
    report_alone = alone.import_paths([src]).value
    monkeypatch.setattr(parallel, "workers_for", lambda n: workers)
    report_pooled = pooled.import_paths([src]).value
    try:
        assert _contents(pooled) == _contents(alone)
        assert _mentions(pooled) == _mentions(alone)
        assert any(m[2] == "Qwen" for m in _mentions(pooled))
        assert any(m[2] == "Take Seven" for m in _mentions(pooled)) == own_entity
        assert [(o.path.rsplit("/", 1)[-1], o.status, o.error) for o in report_pooled.outcomes] \
            == [(o.path.rsplit("/", 1)[-1], o.status, o.error) for o in report_alone.outcomes]
        assert {o.status for o in report_pooled.outcomes} >= {"added", "failed"}
        # again: every file is recognised as unchanged before it is parsed
        again = pooled.import_paths([src]).value
        assert {o.status for o in again.outcomes} == {"unchanged", "failed"}
    finally:
        alone.close()
        pooled.close()


def test_a_cancelled_parallel_import_stops_and_keeps_what_it_wrote(tmp_path, monkeypatch):
    from aiviewer.progress import CancelToken

    src = _folder(tmp_path)
    monkeypatch.setattr(parallel, "workers_for", lambda n: 1)
    token = CancelToken()
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if done == 5:
            token.cancel()

    lib = Library(tmp_path / "lib")
    try:
        report = lib.import_paths([src], progress=progress, cancel=token).value
        assert report.cancelled
        assert 0 < len(lib.episodes()) < 30
    finally:
        lib.close()


def test_a_worker_that_dies_fails_its_file_and_the_rest_are_read(tmp_path, monkeypatch):
    """A worker killed mid-file (out of memory, say) costs that file, not the import."""
    src = _folder(tmp_path)
    (src / "poison.txt").write_text("Ada: this file kills its reader.\n", encoding="utf-8")
    monkeypatch.setattr(parallel, "workers_for", lambda n: 1)
    # what the import hands the pool: parsing plus the passage vectors (library/derive.py)
    monkeypatch.setattr(derive, "prepare", _prepare_or_die)
    lib = Library(tmp_path / "lib")
    try:
        report = lib.import_paths([src]).value
        by_name = {o.path.rsplit("/", 1)[-1]: o for o in report.outcomes}
        assert by_name["poison.txt"].status == "failed"
        assert "stopped unexpectedly" in by_name["poison.txt"].error
        assert by_name["talk29.txt"].status == "added"
    finally:
        lib.close()


def _prepare_or_die(path, name, known_sha, **options):
    import multiprocessing
    import os

    if name.endswith("poison.txt") and multiprocessing.parent_process() is not None:
        os._exit(9)  # only in a worker: the importing process reads it fine
    return _REAL_PREPARE(path, name, known_sha, **options)


_REAL_PREPARE = derive.prepare


def _die_at_start():
    import os

    os._exit(3)


def test_workers_that_cannot_start_leave_the_import_to_the_importing_process(
        tmp_path, monkeypatch):
    """E.g. a user's script without a `__main__` guard: spawned workers die at start.
    Every file is then read in-process, none reported failed for it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    src = _folder(tmp_path)
    monkeypatch.setattr(parallel, "workers_for", lambda n: 1)
    monkeypatch.setattr(parallel, "_pool", lambda workers: ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_die_at_start))
    lib = Library(tmp_path / "lib")
    try:
        report = lib.import_paths([src]).value
        failed = {o.path.rsplit("/", 1)[-1] for o in report.outcomes if o.status == "failed"}
        assert failed == {"empty.txt", "binary.vtt"}
        assert len(lib.episodes()) == 31  # as the in-process import (first test)
    finally:
        lib.close()


def test_the_last_files_are_embedded_while_the_index_is_built(tmp_path, monkeypatch):
    """A bulk import leaves the last files' passages to the importing process, which
    embeds them on a thread while SQLite rebuilds the full-text index: every passage
    ends with the vector a worker (or a rebuild) gives it."""
    pytest.importorskip("wordllama")
    src = _folder(tmp_path)
    for f in src.glob("talk*.txt"):  # enough text for the import to defer its index
        f.write_text(f.read_text(encoding="utf-8") * 20, encoding="utf-8")
    monkeypatch.setattr(parallel, "workers_for", lambda n: 1)
    beside = []
    real = Library._embed_beside

    def spy(self, work):
        beside.append(real(self, work))
        return beside[-1]

    monkeypatch.setattr(Library, "_embed_beside", spy)
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([src])
        assert beside and beside[0] > 0  # passages were left to the thread
        segments = lib.counts()["segments"]
        assert lib.vector_count() == segments
        before = dict(lib.store.db.execute("SELECT segment_id, vec FROM passage_vectors"))
        lib.rebuild_vectors()
        after = dict(lib.store.db.execute("SELECT segment_id, vec FROM passage_vectors"))
        assert before == after and len(after) == segments
        assert lib.search("GRPO").total > 0  # the index was built meanwhile
