"""A keystroke's first hits for queries with syntax: answered from the index at
once (unranked), as the user is likely to finish the query, never through the
ranked search; only search by meaning and vocabulary lookups are left to it."""

from __future__ import annotations

from aiviewer.search.as_you_type import completed, first_hits
from aiviewer.search.engine import search


def test_completed_closes_quotes_and_parentheses_and_makes_a_prefix():
    assert completed('speaker:"Ross Tay') == 'speaker:"Ross Tay"'
    assert completed("speaker:ross gr") == "speaker:ross gr*"
    assert completed("speaker:ross g") == "speaker:ross"
    assert completed("(OpenAI OR Anthrop") == "(OpenAI OR Anthrop*)"
    assert completed("grpo OR") == "grpo OR"
    assert completed('"open models" ') == '"open models" '.rstrip()
    assert completed("date:2025") == "date:2025"


def test_fields_with_a_half_typed_word(filled):
    store, ids = filled
    got = first_hits(store, "speaker:ross gr")
    assert [h.segment_id for h in got] == [ids[("ep-ross", 1)]]
    assert got[0].snippet[slice(*got[0].highlights[0])] == "GRPO"


def test_an_open_quote_is_closed(filled):
    store, _ = filled
    got = first_hits(store, 'speaker:"Ross Tay')
    ranked = search(store, 'speaker:"Ross Taylor"', limit=100)
    assert got and {h.segment_id for h in got} <= {h.segment_id for h in ranked.hits}
    assert all(h.speaker == "Ross Taylor" for h in got)


def test_filters_and_operators_match_what_the_ranked_search_finds(filled):
    store, _ = filled
    for query in ('"open models" date:<2025-06', "reasoning -deepseek",
                  "(grpo OR agents) reasoning", "open date:2026", "distill*"):
        got = {h.segment_id for h in first_hits(store, query + " ", limit=100)}
        ranked = {h.segment_id for h in search(store, query, limit=100).hits
                  if h.field == "transcript"}
        assert got and got <= ranked, query


def test_what_needs_the_ranked_search_is_left_to_it(filled):
    store, _ = filled
    assert first_hits(store, '~~"reward hacking"') is None
    assert first_hits(store, "grpo~") is None
    assert first_hits(store, "gr?o") is None
    assert first_hits(store, "speaker:") is not None  # read as words: never raises


def test_a_last_word_longer_than_the_index_prefixes_is_asked_by_its_stub(filled, monkeypatch):
    """`mode*` has no prefix index (FTS5 would merge every `mode…` word's rows
    first): `mod*` is asked and the rows marking a `mode…` word kept, with the
    marks of the query's words only."""
    from aiviewer.store import fts

    store, _ = filled
    asked, real = [], fts.prefix_hits
    monkeypatch.setattr(fts, "prefix_hits",
                        lambda db, match, limit: asked.append(match) or real(db, match, limit))
    got = first_hits(store, "reasoning mode")
    assert asked == ['{text cjk} : ("reasoning" AND "mod"*)']
    exact = {sid for sid, _ in real(store.db, '{text cjk} : ("reasoning" AND "mode"*)', 100)}
    assert got and {h.segment_id for h in got} == exact
    for hit in got:
        marks = [hit.snippet[a:b].lower() for a, b in hit.highlights]
        assert any(m.startswith("mode") for m in marks), marks
        assert all(m == "reasoning" or m.startswith("mode") for m in marks), marks


def test_when_the_stubs_rows_are_all_other_words_the_whole_prefix_is_asked(filled,
                                                                         monkeypatch):
    from aiviewer.search import as_you_type

    store, ids = filled
    monkeypatch.setattr(as_you_type, "WIDEN", 1)
    # `dis*` finds "distilled" first; "distilla" is "distillation", further on
    got = first_hits(store, "distilla", limit=1)
    assert [h.segment_id for h in got] == [ids[("ep-lex", 2)]]


def test_a_query_with_fields_asks_its_long_last_word_by_its_stub_too(filled, monkeypatch):
    from aiviewer.store import fts

    store, ids = filled
    asked, real = [], fts.first_matches
    monkeypatch.setattr(fts, "first_matches", lambda db, table, match, where, limit: (
        asked.append(match) or real(db, table, match, where, limit)))
    got = first_hits(store, "speaker:ross disti")
    assert asked == ['("dis"*)']
    assert [h.segment_id for h in got] == [ids[("ep-ross", 2)]]
    assert [got[0].snippet[a:b] for a, b in got[0].highlights] == ["distilled"]
    # under OR a row need not mark the prefix: asked whole, as before
    asked.clear()
    first_hits(store, "(grpo OR disti")
    assert asked and all('"dis"*' not in m for m in asked), asked


def test_the_stubs_rows_keep_the_marks_of_the_prefix_and_of_whole_words_and_phrases():
    from aiviewer.search.as_you_type import _starting, _tokens
    from aiviewer.store.fts import MARK_CLOSE as C
    from aiviewer.store.fts import MARK_OPEN as O

    found = [(1, f"{O}open models{C} and {O}modular{C} {O}Modèles{C} {O}GPT-4{C}"),
             (2, f"only {O}modular{C} here")]
    [(sid, (plain, spans))] = _starting(found, "mode", _tokens(["open", "models", "gpt-4"]))
    assert sid == 1
    assert [plain[a:b] for a, b in spans] == ["open models", "Modèles", "GPT-4"]
