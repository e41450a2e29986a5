"""The engine over a small hand-written library: every operator and filter end to end."""

from __future__ import annotations

import pytest

from aiviewer.search.engine import KnownEntities, first_hits, reindex, search


def segs(results):
    return [(h.episode_id, h.segment_id) for h in results.hits if h.field == "transcript"]


def eps(results, field="transcript"):
    return {h.episode_id for h in results.hits if h.field == field}


def test_speaker_and_word(filled):
    store, ids = filled
    r = search(store, 'speaker:"Ross Taylor" GRPO')
    assert segs(r) == [("ep-ross", ids[("ep-ross", 1)])]
    hit = r.hits[0]
    assert hit.speaker == "Ross Taylor" and hit.start_ms == 1000
    assert hit.snippet[slice(*hit.highlights[0])] == "GRPO"
    assert r.total == 1 and r.error is None


def test_speaker_matches_display_names_after_renames(filled):
    store, ids = filled
    r = search(store, "speaker:swyx agents")
    assert segs(r) == [("ep-old", ids[("ep-old", 2)])]
    assert r.hits[0].speaker == "Swyx"


def test_phrase_and_date_before(filled):
    store, _ = filled
    r = search(store, '"open models" date:<2025-06')
    assert eps(r) == {"ep-ross"}
    assert all(h.date < "2025-06" for h in r.hits)
    assert "ep-2026" not in {h.episode_id for h in r.hits}


def test_dates(filled):
    store, _ = filled
    assert eps(search(store, "open date:2026")) == {"ep-2026"}
    assert eps(search(store, "open date:>2025-06")) == {"ep-lex", "ep-2026"}
    assert eps(search(store, "open date:>=2025-03")) == {"ep-ross", "ep-lex", "ep-2026"}
    assert eps(search(store, "models date:[2025 to 2025]")) == {"ep-ross", "ep-lex"}
    # an episode with no date never passes a date filter
    assert eps(search(store, "transformers")) == {"ep-nodate"}
    assert eps(search(store, "transformers date:<2030")) == set()


def test_boolean_operators(filled):
    store, _ = filled
    assert eps(search(store, "grpo OR transformers")) == {"ep-ross", "ep-nodate"}
    assert eps(search(store, "reasoning -deepseek")) == {"ep-ross", "ep-old"}
    assert eps(search(store, "reasoning NOT (deepseek OR agents)")) == {"ep-ross"}
    assert eps(search(store, "(grpo OR agents) reasoning")) == {"ep-ross", "ep-old"}
    assert eps(search(store, "open AND models AND chinese")) == {"ep-lex"}


def test_stemming_and_prefixes(filled):
    store, _ = filled
    assert eps(search(store, "distillation")) == {"ep-ross", "ep-lex"}  # distilled
    assert eps(search(store, "model")) == {"ep-ross", "ep-lex", "ep-2026", "ep-old"}  # stemmed
    assert eps(search(store, "distill*")) == {"ep-ross", "ep-lex"}
    assert eps(search(store, "reasoni*")) == {"ep-ross", "ep-lex", "ep-old"}  # unstemmed index


def test_fuzzy_and_wildcard(filled):
    store, _ = filled
    r = search(store, "deepsek~")
    assert eps(r) == {"ep-ross", "ep-lex"}
    assert all("DeepSeek" in h.snippet for h in r.hits)
    assert eps(search(store, "gr?o")) == {"ep-ross"}
    assert eps(search(store, "qzx?q")) == set()


def test_bare_entity_word_finds_its_mentions_ranked_by_score(filled):
    store, ids = filled
    r = search(store, "Qwen")
    # the exact text hit and the captions that said "Quen", by score, each of
    # these saying what was heard
    assert set(segs(r)) == {("ep-2026", ids[("ep-2026", 1)]), ("ep-lex", ids[("ep-lex", 0)]),
                            ("ep-lex", ids[("ep-lex", 1)])}
    assert [h.score for h in r.hits] == sorted((h.score for h in r.hits), reverse=True)
    quen = [h for h in r.hits if h.episode_id == "ep-lex"]
    assert all(h.snippet[slice(*h.highlights[0])].startswith("Quen") for h in quen)
    assert {h.heard_as for h in quen} == {"Quen", "Quen 3"}
    assert next(h for h in r.hits if h.episode_id == "ep-2026").heard_as is None
    assert r.total == 3


def test_unquoted_entity_words_widen_as_the_quoted_phrase(filled):
    store, ids = filled
    quoted = {s for s in segs(search(store, '"Claude Code"', limit=50))}
    bare = {s for s in segs(search(store, "Claude Code", limit=50))}
    assert ("ep-old", ids[("ep-old", 0)]) in bare
    assert quoted <= bare


def test_entity_context_rules_come_from_the_stored_mentions(filled):
    store, ids = filled
    r = search(store, '"Claude Code"')
    assert ("ep-old", ids[("ep-old", 0)]) in segs(r)
    # "the cloud" is not a mention of Claude Code: never found through it
    assert ("ep-old", ids[("ep-old", 1)]) not in segs(r)


def test_entity_filter_with_family(filled):
    store, _ = filled
    assert eps(search(store, "entity:qwen")) == {"ep-lex", "ep-2026"}
    assert eps(search(store, "entity:Quen")) == {"ep-lex", "ep-2026"}  # a surface form
    assert eps(search(store, 'entity:"Kimi K2"')) == {"ep-2026"}
    family = {"Chinese labs": {"Chinese labs", "Qwen", "DeepSeek"}}
    r = search(store, 'entity:"Chinese labs"', entity_family=lambda n: family.get(n, {n}))
    assert eps(r) == {"ep-ross", "ep-lex", "ep-2026"}
    assert eps(search(store, "entity:nobody")) == set()


def test_a_bare_word_is_its_entity_not_its_family(filled):
    """`Qwen` finds Qwen under any spelling; only `entity:` widens to a family."""
    store, _ = filled
    family = {"Qwen": {"Qwen", "DeepSeek"}}
    widen = lambda n: family.get(n, {n})  # noqa: E731
    assert "ep-ross" not in eps(search(store, "Qwen", entity_family=widen))
    assert "ep-ross" in eps(search(store, "entity:Qwen", entity_family=widen))


def test_filters_list_newest_episode_first_in_reading_order(filled):
    """Filter-only results are sorted in memory; the order is SQL's `ORDER BY e.date
    DESC, s.episode_id, s.id` (undated episodes last)."""
    store, _ = filled
    got = [(h.episode_id, h.segment_id) for h in search(store, "kind:model", limit=100).hits]
    want = store.db.execute(
        "SELECT s.episode_id, s.id FROM segments s JOIN episodes e ON e.id = s.episode_id "
        "WHERE s.id IN (SELECT segment_id FROM mentions WHERE kind = 'model') "
        "ORDER BY e.date DESC, s.episode_id, s.id").fetchall()
    assert got == [tuple(r) for r in want] and len(got) >= 2


def test_a_date_range_no_episode_is_in_finds_nothing(filled):
    store, _ = filled
    for q in ('"open models" date:<2001', "date:<2001", "Qwen date:<2001"):
        r = search(store, q)
        assert r.total == 0 and r.hits == () and r.error is None, q


def test_kind_filter_and_facet(filled):
    store, _ = filled
    r = search(store, "kind:model")
    assert eps(r) == {"ep-lex", "ep-2026"}
    assert r.facets["kind"]["model"] == 3
    assert eps(search(store, "kind:lab reasoning")) == {"ep-lex"}


def test_show_and_episode_filters(filled):
    store, _ = filled
    assert eps(search(store, "show:interconnects open")) == {"ep-ross", "ep-2026"}
    assert eps(search(store, "show:latent reasoning")) == {"ep-old"}
    assert eps(search(store, "episode:ep-le models")) == {"ep-lex"}


def test_tag_matches_children_and_annotations(filled):
    store, ids = filled
    r = search(store, "tag:method/RL")  # the annotation is tagged method/RL/GRPO
    assert segs(r) == [("ep-ross", ids[("ep-ross", 1)])]
    assert [h.annotation_id for h in r.hits if h.field == "annotation"] == ["a1"]
    assert eps(search(store, "tag:method")) == {"ep-ross"}  # any depth below
    assert eps(search(store, "tag:meth")) == set()  # only whole path components
    assert eps(search(store, "tag:people")) == {"ep-lex"}
    assert eps(search(store, "tag:method/RL reasoning")) == {"ep-ross"}


def test_has_note(filled):
    store, ids = filled
    r = search(store, "has:note")
    assert segs(r) == [("ep-ross", ids[("ep-ross", 1)])]
    assert eps(search(store, "has:annotation")) == {"ep-ross", "ep-lex"}


def test_titles_notes_and_annotations_say_which(filled):
    store, _ = filled
    r = search(store, "reasoning")
    assert r.hits[0].field == "title" and r.hits[0].episode_id == "ep-ross"
    assert r.hits[0].segment_id is None
    fields = [h.field for h in r.hits]
    assert fields.index("title") < fields.index("transcript")
    r = search(store, "simpler")
    ann = [h for h in r.hits if h.field == "annotation"]
    assert ann and ann[0].annotation_id == "a1" and "simpler" in ann[0].snippet
    r = search(store, "miscellaneous")
    assert [h.field for h in r.hits] == ["notes"]


def test_facets(filled):
    store, _ = filled
    r = search(store, "open")
    assert r.facets["show"] == {"Interconnects": 3, "Lex Fridman Podcast": 1}
    assert r.facets["year"] == {"2026": 2, "2025": 2}
    assert r.facets["speaker"]["Nathan Lambert"] == 2
    assert set(r.facets) == {"show", "speaker", "year", "kind"}


def test_paging_is_consistent(filled):
    store, _ = filled
    whole = search(store, "reasoning OR open", limit=100)
    pages = [h for off in range(0, whole.total, 3)
             for h in search(store, "reasoning OR open", limit=3, offset=off).hits]
    assert [(h.field, h.episode_id, h.segment_id) for h in pages] == \
        [(h.field, h.episode_id, h.segment_id) for h in whole.hits]
    assert len(whole.hits) == whole.total
    assert search(store, "reasoning", offset=1000).hits == ()


def test_ranking_puts_dense_matches_first(filled):
    store, _ = filled
    r = search(store, "reasoning traces")
    assert r.hits[0].field == "transcript" and "traces" in r.hits[0].snippet
    scores = [h.score for h in r.hits if h.field == "transcript"]
    assert scores == sorted(scores, reverse=True)


def test_did_you_mean(filled):
    store, _ = filled
    r = search(store, "reasonign traces")
    assert r.total == 0
    assert r.suggestion == "reasoning traces"
    assert search(store, "reasoning").suggestion is None
    assert search(store, "Quen").suggestion is None  # a known entity surface


@pytest.mark.parametrize("text", ['"unclosed', "a AND (b", "date:banana", "(((", "-", ""])
def test_malformed_queries_never_raise(filled, text):
    store, _ = filled
    r = search(store, text)
    assert r.total >= 0
    if text.strip() and text != "-":
        assert r.error


def test_malformed_query_is_searched_as_plain_words(filled):
    store, _ = filled
    r = search(store, '"grpo reinforcement')
    assert r.error and r.understood == "grpo reinforcement"
    assert eps(r) == {"ep-ross"}


def test_first_hits(filled):
    store, ids = filled
    got = first_hits(store, "reasoni")
    assert {h.segment_id for h in got} == {ids[k] for k in [
        ("ep-ross", 0), ("ep-ross", 1), ("ep-lex", 1), ("ep-old", 2)]}
    assert all(h.snippet[slice(*h.highlights[0])].lower().startswith("reasoni") for h in got)
    assert [h.segment_id for h in first_hits(store, "open mod")] == [
        ids[("ep-ross", 2)], ids[("ep-lex", 0)], ids[("ep-2026", 0)]]
    assert first_hits(store, "r") == ()
    assert len(first_hits(store, "reasoning", limit=2)) == 2
    # query syntax goes through the full search
    assert [h.segment_id for h in first_hits(store, "speaker:ross grpo")] == [ids[("ep-ross", 1)]]


def test_reindex_and_caches_follow_writes(filled):
    store, _ = filled
    assert search(store, "newword").total == 0
    with store.atomic() as db:
        db.execute("UPDATE segments SET text = 'a brand newword here' WHERE id = 1")
    assert search(store, "newword").total == 1
    assert search(store, "newwrd").suggestion == "newword"
    reindex(store)
    assert search(store, "newword").total == 1


def test_known_entities():
    known = KnownEntities(["Qwen", "Claude Code"],
                          [("Quen", "Qwen", 0), ("claude  code", "Claude Code", 0)])
    assert known.names("qwen") == {"Qwen"}
    assert known.names("QUEN") == {"Qwen"}
    assert known.names("Claude code") == {"Claude Code"}
    assert known.names("nothing") == frozenset()
    assert known.names("Alibaba", lambda n: {"Qwen"} if n == "Alibaba" else {n}) == {"Qwen"}
    assert "quen" in known and "nothing" not in known


def test_package_level_api(filled):
    import aiviewer.search as s

    store, _ = filled
    assert s.search(store, "grpo").total == search(store, "grpo").total
    assert s.first_hits(store, "grp") == first_hits(store, "grp")
    s.reindex(store)


def test_prepare_builds_the_caches_a_first_search_needs(filled):
    from aiviewer.search import engine, spelling

    store, _ = filled
    reindex(store)  # drops them
    engine.prepare(store)
    assert store in engine._facets and store in engine._entities
    assert spelling.speller_for(store) is spelling.speller_for(store)
    assert search(store, "GRPO").total >= 1


@pytest.mark.parametrize("query", [
    "speaker:swyx", "speaker:SWYX agents", 'speaker:"Ross Taylor"', "speaker:ross grpo",
    "show:inter", "show:inter speaker:ross", "date:2026 open", "speaker:nobody",
    "speaker:a date:<2025-06 open"])
def test_owner_filters_from_the_facet_index_match_sql(filled, monkeypatch, query):
    """A show, date or speaker filter is answered from the facet index (each
    segment's episode and speaker); SQL, asked the same, finds the same passages."""
    from aiviewer.search import engine, run

    store, _ = filled
    monkeypatch.setattr(run, "JOIN_BELOW", 0.0)  # however few pass, as most would
    fast = search(store, query, limit=100)
    engine._runs.drop(store)
    monkeypatch.setattr(run, "owner_filter", lambda where: None)
    slow = search(store, query, limit=100)
    assert [(h.segment_id, h.score) for h in fast.hits] == \
        [(h.segment_id, h.score) for h in slow.hits]
    assert (fast.total, fast.facets) == (slow.total, slow.facets)
    assert fast.total > 0 or "nobody" in query
