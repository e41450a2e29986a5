"""Text without word spaces (issue 16): a timed Chinese caption file (YouTube
auto-translated style: cues cut mid-phrase, no punctuation, 7 min 49 s) imports as
paragraphs of at most about a minute, and a word inside a run is found by search,
with the query language working as it does for English."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiviewer.ingest import pipeline
from aiviewer.library import Library
from aiviewer.search import cjk

FIXTURE = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "zh_autotranslated.vtt"


def test_a_chinese_caption_file_becomes_timed_paragraphs_of_a_minute_at_most():
    [ep] = pipeline.read_file(FIXTURE).source.episodes
    assert len(ep.segments) >= 8  # it was one paragraph of 1,469 characters
    for seg in ep.segments:
        assert seg.start_ms is not None and seg.end_ms is not None
        assert seg.end_ms - seg.start_ms <= 62_000
        assert " " not in seg.text  # cues are joined without spaces
    starts = [s.start_ms for s in ep.segments]
    assert starts == sorted(starts) and ep.segments[-1].end_ms >= 465_000


@pytest.fixture(scope="module")
def lib(tmp_path_factory, seeds_dir):
    path = tmp_path_factory.mktemp("cjk")
    library = Library(path)
    library.import_paths([FIXTURE, seeds_dir / "003_2e3fad989d5a5666.txt"])
    yield library
    library.close()


@pytest.mark.parametrize("query,least", [
    ("半导体", 3), ("芯片", 3), ('"高端芯片"', 1), ("芯", 3), ("半导*", 3),
    ("半导体 OR 智能体", 4),
])
def test_a_word_inside_a_run_is_found(lib, query, least):
    results = lib.search(query)
    assert results.total >= least, query
    hit = results.hits[0]
    words = [w.strip('"*') for w in query.split() if w != "OR"]
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert marked and all(m.startswith(tuple(words)) for m in marked)  # the word is marked


def test_the_query_language_works_the_same(lib):
    both = lib.search("芯片").total
    without = lib.search("芯片 NOT 半导体").total
    assert 0 < without < both
    assert lib.search("芯片 scaling").total == 0  # AND across scripts
    assert lib.search("scaling laws").total > 0  # English is untouched
    assert lib.search("导体半").total == 0  # characters side by side, in order


def test_pairs_and_words():
    assert cjk.pairs("中国的半导体 AI芯片") == "中国 国的 的半 半导 导体 AI 芯片"
    assert cjk.query_text("芯") == ("芯", True)
    assert cjk.words_in('("半导 导体") AND ("芯片")') == ["半导体", "芯片"]
    assert cjk.index_text("no such script") is None
