"""When the model cannot load, searches go on by words and say so in one line; a
passage found by meaning shows why (its words closest to the query are marked)."""

from __future__ import annotations

import json
import sys

import pytest

pytest.importorskip("wordllama")

from aiviewer.cli import main  # noqa: E402
from aiviewer.library import Library  # noqa: E402
from aiviewer.meaning import embedder, why  # noqa: E402
from aiviewer.search import meaning  # noqa: E402


@pytest.fixture(scope="module")
def lib_dir(seeded_copy):
    return seeded_copy("fallback")


@pytest.fixture
def model_missing(monkeypatch):
    """wordllama's files there, but a package it needs fails to import (the loader
    imports safetensors first)."""
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setattr(embedder, "_shared", {})
    monkeypatch.setattr(meaning, "_custom", {})
    yield
    embedder._shared.clear()


def test_hybrid_falls_back_to_words_with_a_notice(lib_dir, model_missing):
    with Library(lib_dir) as lib:
        words = lib.search("reward hacking", limit=20)
        hybrid = lib.search("reward hacking", limit=20, hybrid=True)
    assert words.notice is None
    assert hybrid.notice and "meaning is unavailable" in hybrid.notice
    assert "\n" not in hybrid.notice
    assert [h.segment_id for h in hybrid.hits] == [h.segment_id for h in words.hits]
    assert {h.matched for h in hybrid.hits} == {"words"}


def test_meaning_query_falls_back_to_its_words(lib_dir, model_missing):
    with Library(lib_dir) as lib:
        results = lib.search('~~"reward hacking" speaker:"Nathan Lambert"', limit=20)
        plain = lib.search('reward hacking speaker:"Nathan Lambert"', limit=20)
    assert results.notice and "words only" in results.notice
    assert [h.segment_id for h in results.hits] == [h.segment_id for h in plain.hits]


def test_cli_says_so_in_one_line(lib_dir, model_missing, capsys):
    assert main(["--data-dir", str(lib_dir), "search", "reward hacking", "--hybrid",
                 "--limit", "2"]) == 0
    out = capsys.readouterr().out
    notes = [line for line in out.splitlines() if "meaning is unavailable" in line]
    assert len(notes) == 1 and notes[0].startswith("note: ")
    assert main(["--data-dir", str(lib_dir), "search", "~~alignment", "--json"]) in (0, 1)
    assert "meaning is unavailable" in json.loads(capsys.readouterr().out)["notice"]


def test_meaning_hits_mark_why(lib_dir):
    with Library(lib_dir) as lib:
        results = lib.search('~~"reward hacking"', limit=10)
        hybrid = lib.search("reward hacking", limit=50, hybrid=True)
    assert results.hits and all(h.highlights for h in results.hits)
    for hit in results.hits:
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.snippet)
            assert hit.snippet[start:end].strip()
    by_meaning = [h for h in hybrid.hits if h.matched == "meaning"]
    assert by_meaning and all(h.highlights for h in by_meaning)


def test_query_words_that_occur_are_marked_first():
    class Never:
        def embed(self, texts):  # pragma: no cover - must not be needed
            raise AssertionError("no embedding when the query's words occur")
    text = "The agent learned to exploit the rewards instead of solving the task."
    [spans] = why.closest_words([text], "reward exploitation", Never())
    assert [text[s:e] for s, e in spans] == ["exploit", "rewards"]


def test_closest_words_skip_function_words():
    import numpy as np

    class Toy:
        axis = {"loops": 0, "buoys": 1, "points": 2}

        def embed(self, texts):
            out = np.zeros((len(texts), 3), dtype=np.float32)
            for i, t in enumerate(texts):
                out[i, self.axis.get(t, 2)] = 1.0
            out[0] = [0.9, 0.43, 0.0]  # the query: closest to loops, then buoys
            return out
    text = "The boat just loops around the buoys for points"
    [spans] = why.closest_words([text], "reward hacking", Toy())
    assert [text[s:e] for s, e in spans] == ["loops", "buoys"]


def test_an_import_goes_on_without_vectors_when_the_model_cannot_load(tmp_path, seeds_dir,
                                                                     model_missing):
    """wordllama installed but its model unloadable: the files are imported and
    searchable by words; no vectors, and a meaning search says it is unavailable."""
    with Library(tmp_path / "lib") as lib:
        report = lib.import_paths([seeds_dir]).value
        assert report.added >= 5 and not report.failed
        assert lib.search("reward hacking").total > 0
        results = lib.search('~~"reward hacking"')
    assert results.notice and "meaning is unavailable" in results.notice
