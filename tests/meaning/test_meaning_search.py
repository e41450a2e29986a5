"""Search by meaning: vectors at import (offline), ~~ queries with filters, hybrid
fusion, More like this, reindex — through the Library and the CLI."""

from __future__ import annotations

import json
import socket
import sqlite3

import pytest

pytest.importorskip("wordllama")

from aiviewer.cli import main  # noqa: E402
from aiviewer.library import Library  # noqa: E402
from aiviewer.meaning.fusion import fuse  # noqa: E402
from aiviewer.search.query import split_meaning  # noqa: E402


@pytest.fixture(scope="module")
def lib_dir(tmp_path_factory, seeds_dir):
    """The seeds imported with the network unreachable: the model must load from the
    installed package, never download."""
    path = tmp_path_factory.mktemp("meaning")
    mp = pytest.MonkeyPatch()

    def refuse(*args, **kwargs):
        raise OSError("network is unreachable (test)")
    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)
    try:
        from aiviewer.meaning import embedder
        embedder._shared.clear()
        with Library(path) as lib:
            lib.import_paths([seeds_dir])
    finally:
        mp.undo()
    return path


def _count(path, sql):
    con = sqlite3.connect(path / "library.sqlite")
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_every_passage_gets_a_compact_vector_offline(lib_dir):
    segments = _count(lib_dir, "SELECT count(*) FROM segments")
    assert _count(lib_dir, "SELECT count(*) FROM passage_vectors") == segments
    assert _count(lib_dir, "SELECT max(length(vec)) FROM passage_vectors") == 256  # int8


def test_split_meaning():
    assert split_meaning('~~"reward hacking" speaker:Nathan') == ("speaker:Nathan",
                                                                  "reward hacking")
    assert split_meaning("~~alignment") == ("", "alignment")
    assert split_meaning("grpo~ reasoning") == ("grpo~ reasoning", None)


def test_meaning_query_finds_paraphrase_and_says_so(lib_dir):
    with Library(lib_dir) as lib:
        results = lib.search('~~"reward hacking"', limit=5)
    assert results.hits and all(h.matched == "meaning" for h in results.hits)
    # the boat that loops for points says neither "reward hacking" nor "hacking"
    assert any("buoys" in h.snippet for h in results.hits)


def test_filters_apply_to_meaning(lib_dir):
    with Library(lib_dir) as lib:
        results = lib.search('~~"Chinese open weights" speaker:"Nathan Lambert"', limit=20)
        assert results.hits
        assert {h.speaker for h in results.hits} == {"Nathan Lambert"}
        none = lib.search('~~"Chinese open weights" date:<1990', limit=20)
        assert none.hits == ()


def test_hybrid_marks_words_meaning_and_both(lib_dir):
    with Library(lib_dir) as lib:
        words = lib.search("reward hacking", limit=50)
        hybrid = lib.search("reward hacking", limit=50, hybrid=True)
    assert {h.matched for h in words.hits} == {"words"}
    kinds = {h.matched for h in hybrid.hits if h.field == "transcript"}
    assert "both" in kinds and "meaning" in kinds
    assert hybrid.total >= words.total


def test_fusion_order():
    fused = fuse([1, 2, 3], [3, 4])
    assert fused[0][0] == 3 and fused[0][2] == "both"
    assert {sid: how for sid, _, how in fused}[4] == "meaning"


def test_more_like_this_leaves_out_its_source(lib_dir):
    with Library(lib_dir) as lib:
        first = lib.search("reward hacking", limit=1).hits[0]
        like = lib.similar(segment_ids=(first.segment_id,), limit=5)
        assert like.hits and first.segment_id not in {h.segment_id for h in like.hits}
        by_text = lib.similar("models exploiting their reward", limit=5,
                              within='speaker:"Ross Taylor"')
        assert by_text.hits and {h.speaker for h in by_text.hits} == {"Ross Taylor"}


def test_cli_meaning_query_and_similar(lib_dir, capsys):
    assert main(["--data-dir", str(lib_dir), "search", '~~"reward hacking"', "--limit", "3",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hits"] and {h["matched"] for h in out["hits"]} == {"meaning"}
    assert main(["--data-dir", str(lib_dir), "search", '~~"reward hacking"', "--limit",
                 "2"]) == 0
    assert "by meaning" in capsys.readouterr().out
    assert main(["--data-dir", str(lib_dir), "search", "reward hacking", "--words-only",
                 "--json"]) == 0
    assert {h["matched"] for h in json.loads(capsys.readouterr().out)["hits"]} == {"words"}
    assert main(["--data-dir", str(lib_dir), "similar", "open weight models from China",
                 "--limit", "2"]) == 0
    assert "by meaning" in capsys.readouterr().out
    assert main(["--data-dir", str(lib_dir), "similar"]) == 2
    assert "give a text" in capsys.readouterr().err


def test_reindex_rebuilds_vectors(lib_dir, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(lib_dir, copy)
    with Library(copy) as lib:
        lib.store.db.execute("DELETE FROM passage_vectors")
        lib.store.db.conn.commit()
        lib.reindex()
    assert _count(copy, "SELECT count(*) FROM passage_vectors") == \
        _count(copy, "SELECT count(*) FROM segments")


def test_undo_of_a_removal_brings_the_vectors_back(lib_dir, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(lib_dir, copy)
    with Library(copy) as lib:
        episode = lib.episodes()[0].id
        lib.remove_episode(episode)
        assert _count(copy, "SELECT count(*) FROM passage_vectors") < \
            _count(copy, "SELECT count(*) FROM segments") + 1
        lib.undo()
    assert _count(copy, "SELECT count(*) FROM passage_vectors") == \
        _count(copy, "SELECT count(*) FROM segments")
