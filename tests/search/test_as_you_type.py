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
