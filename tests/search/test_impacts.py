"""The impact index scores exactly as FTS5 does, and only while it is current."""

from __future__ import annotations

import pytest

from aiviewer.library import Library
from aiviewer.search import impacts
from aiviewer.search.compile import fts_string
from aiviewer.search.filters import KindIs
from aiviewer.store import fts
from aiviewer.store import impacts as sql

QUERIES = [
    "open models", "reasoning", "the model", "(OpenAI OR Anthropic) -Google",
    "reinforcement learning", "GRPO", "kind:model open", "entity:DeepSeek model",
    'speaker:"Nathan Lambert" reasoning', "date:2025 reasoning", "show:interconnects RL",
    "model OR models OR data", "think -(open OR models)", '"open models"', "distill*",
    "deepsek~", "Qwen", "claude code agents",
]


@pytest.fixture
def lib(seeded_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("AIVIEWER_CACHE_DIR", str(tmp_path / "cache"))
    with Library(seeded_copy("impacts")) as lib:
        yield lib


def _pages(lib: Library) -> dict[str, list[tuple]]:
    out = {}
    for q in QUERIES:
        for hybrid in (False, True):
            r = lib.search(q, limit=60, hybrid=hybrid)
            out[f"{q} hybrid={hybrid}"] = [(h.segment_id, h.episode_id, h.score, h.matched)
                                          for h in r.hits] + [r.total]
    return out


def test_searches_rank_and_score_as_without_the_index(lib, monkeypatch):
    built = impacts.build(lib.store, min_rows=20)
    assert built is not None and len(built.words) > 100
    assert impacts.current(lib.store) is not None
    used = []
    real = impacts._at
    monkeypatch.setattr(impacts, "_at", lambda *a: used.append(1) or real(*a))
    with_index = _pages(lib)
    assert used, "no query was scored from the index"
    monkeypatch.setattr(impacts, "current", lambda store: None)
    assert with_index == _pages(lib)


def test_scores_are_fts5s_to_the_last_bit(lib):
    impacts.build(lib.store, min_rows=20)
    for match in ['("open") AND ("models")', '("the") AND ("grpo")',
                  '(("OpenAI") OR ("Anthropic")) NOT ("Google")',
                  '(("model") OR ("models") OR ("open")) AND ("the")',
                  '("think") NOT (("open") OR ("models"))', '"model" "model"']:
        want = sorted(fts.match_scores(lib.store.db, "fts_segments", match))
        got = sorted(impacts.match_scores(lib.store, "fts_segments", match))
        assert want and got == want, match
    where = KindIs("model")
    want = sorted(fts.match_scores(lib.store.db, "fts_segments", '("open")', where))
    assert sorted(impacts.match_scores(lib.store, "fts_segments", '("open")', where)) == want


def test_spellings_score_as_the_widened_query_did(lib):
    impacts.build(lib.store, min_rows=20)
    db = lib.store.db
    match = '("claude") AND ("code")'
    spellings = ["cloud code", "model", "rl", "open ai"]
    hits = {i for i, _ in fts.match_scores(db, "fts_segments", match)}
    ids = [i for i, _ in fts.match_scores(db, "fts_segments", '"model" OR "rl" OR "open ai"')
           if i not in hits][:500]
    widened = " OR ".join([f"({match})", *(fts_string(s) for s in spellings)])
    want = dict(db.execute(
        "SELECT rowid, -bm25(fts_segments, 2.0, 1.0, 1.0) FROM fts_segments "
        "WHERE fts_segments MATCH ?", [widened]).fetchall())
    got = impacts.scores_among(lib.store, "fts_segments", spellings, ids)
    assert set(got) == {i for i in ids if i in want}
    for i, score in got.items():
        assert score == pytest.approx(want[i], rel=1e-12)


def test_a_write_to_the_passages_makes_it_stale_until_built_again(lib):
    impacts.build(lib.store, min_rows=20)
    assert impacts.current(lib.store) is not None
    episode, seq, text = lib.store.db.execute(
        "SELECT episode_id, seq, text FROM segments WHERE length(text) > 200 LIMIT 1").fetchone()
    lib.split_turn(episode, seq, text.index(" ", 100) + 1)
    assert impacts.current(lib.store) is None
    impacts.prepare(lib.store, wait=True, min_rows=20)
    assert impacts.current(lib.store) is not None
    assert sorted(impacts.match_scores(lib.store, "fts_segments", '"model"')) == sorted(
        fts.match_scores(lib.store.db, "fts_segments", '"model"'))


def test_a_small_library_builds_nothing(lib):
    impacts.prepare(lib.store, wait=True)  # the seeds: ~3,000 passages, below MIN_ROWS
    assert impacts.current(lib.store) is None
    assert lib.search("open models").total > 0


def test_an_unreadable_cache_file_means_fts5_scores(lib):
    impacts.build(lib.store, min_rows=20)
    impacts._base(lib.store).with_suffix(".json").write_text("{not json", encoding="utf-8")
    impacts._generation += 1
    assert impacts.current(lib.store) is None
    assert lib.search("open models").total > 0


@pytest.mark.parametrize("match, phrases", [
    ('("open") AND ("models")', ["open", "models"]),
    ('(("OpenAI") OR ("Anthropic")) NOT ("Google")', ["OpenAI", "Anthropic"]),
    ('("a" OR "b") "c"', ["a", "b", "c"]),
    ('"a" NOT "b" NOT "c"', ["a"]),
    ('"x ""y"""', ['x "y"']),
    ('("a") OR ("b") AND ("c")', None),  # an AND below an OR
    ('("a") NOT (("b") AND ("c"))', None),  # a row may hold "b" alone
    ('"gr"*', None), ('speaker:"x"', None), ('("a"', None), ('NEAR("a" "b")', None),
])
def test_which_expressions_add_up_phrase_by_phrase(match, phrases):
    assert impacts.phrases(match) == phrases


def test_the_scratch_tokenizer_is_the_passage_indexs(lib):
    schema = lib.store.db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'fts_segments'").fetchone()[0]
    assert f"tokenize='{fts.SEGMENT_TOKENIZE}'" in schema
    assert sql.tokens_of(["Models", "open-weight", "don't", "—"]) == [
        ["model"], ["open", "weight"], ["don", "t"], []]


def test_entity_and_kind_filters_from_memory_pass_what_sql_passed(lib, monkeypatch):
    from aiviewer.search import engine, run

    queries = ["kind:model open", "entity:DeepSeek model", "kind:person kind:model reasoning",
               "kind:nosuchkind open", "entity:Nobody open"]
    fast = {q: [(h.segment_id, h.score) for h in lib.search(q, limit=100).hits]
            + [lib.search(q).total] for q in queries}
    assert fast["kind:model open"][-1] > 0 and fast["kind:nosuchkind open"][-1] == 0
    asked = []
    monkeypatch.setattr(run, "mentioned_ids", lambda store, where: asked.append(where))
    engine._runs.drop(lib.store)  # the latest query's run is kept
    assert fast == {q: [(h.segment_id, h.score) for h in lib.search(q, limit=100).hits]
                    + [lib.search(q).total] for q in queries}
    assert asked


def test_the_cache_keeps_the_indexes_of_the_last_few_libraries(lib, seeded_copy, tmp_path):
    import os

    impacts.build(lib.store, min_rows=20)
    folder = impacts._base(lib.store).parent
    first = impacts._base(lib.store)
    os.utime(first.with_suffix(".json"), (1, 1))  # the oldest
    for i in range(impacts.KEEP):
        with Library(seeded_copy(f"impacts-more-{i}")) as other:
            impacts.build(other.store, min_rows=20)
    heads = list(folder.glob("impacts-*.json"))
    assert len(heads) == impacts.KEEP and first.with_suffix(".json") not in heads
    assert not list(folder.glob(f"{first.name}-*.npy"))
    assert len(list(folder.glob("impacts-*.npy"))) == 2 * impacts.KEEP
    impacts._generation += 1
    assert impacts.current(lib.store) is None  # its index went: FTS5 scores, prepare builds
