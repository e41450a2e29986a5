"""The pure compiler: tree → FTS5 MATCH + filter nodes, checked on many queries (the
nodes rendered to SQL by store.filters)."""

from __future__ import annotations

import pytest

from aiviewer.search import filters as f
from aiviewer.search import tree as t
from aiviewer.search.compile import (
    STEMMED,
    UNSTEMMED,
    Lookups,
    compile_query,
    fts_string,
)
from aiviewer.search.filters import like_escape
from aiviewer.search.query import parse
from aiviewer.store.filters import render

LOOKUPS = Lookups(
    entity_names=lambda s: frozenset({"Qwen"}) if s.lower() in ("qwen", "quen") else frozenset(),
    fuzzy=lambda w, d: ["deepseek"] if w.startswith("deeps") else [],
    wildcard=lambda g: ["grpo", "gspo"] if g == "g?po" else [],
)


def plan(text):
    return compile_query(parse(text).tree, LOOKUPS)


def sql(node, on="segment"):
    return render(node, on)[0]


def params(node, on="segment"):
    return render(node, on)[1]


@pytest.mark.parametrize("text, match", [
    ("grpo", '("grpo")'),
    ("open models", '("open") AND ("models")'),
    ('"open models"', '("open models")'),
    ("a OR b", '(("a") OR ("b"))'),
    ("a -b", '("a") NOT ("b")'),
    ("a -b -c", '("a") NOT (("b") OR ("c"))'),
    ("a NOT b NOT c", '("a") NOT ("b") NOT ("c")'),
    ("(a OR b) -c", '(("a") OR ("b")) NOT ("c")'),
    ("a (b -c)", '("a") AND ("b") NOT ("c")'),
    ("a (b OR (c -d))", '("a") AND (("b") OR (("c") NOT ("d")))'),
    ("a -(b OR c)", '("a") NOT (("b") OR ("c"))'),
    ("deepsek~", '(("deepsek") OR ("deepseek"))'),
    ("g?po", '(("grpo") OR ("gspo"))'),
    ('GPT-4o "don\'t stop"', '("GPT-4o") AND ("don\'t stop")'),
])
def test_text_compiles_to_one_match(text, match):
    p = plan(text)
    assert p.match == match
    assert sql(p.where) == "1"
    assert p.table == STEMMED


def test_prefix_uses_the_unstemmed_table():
    p = plan("reasoni* traces")
    assert p.table == UNSTEMMED
    assert p.match == '("reasoni"*) AND ("traces")'
    assert plan("distil*").table == UNSTEMMED


def test_wildcard_ending_in_star_is_a_prefix():
    assert compile_query(t.Wildcard("Distil*"), LOOKUPS).match == '("distil"*)'


def test_wildcard_matching_nothing_matches_nothing():
    assert plan("zz?q").empty
    assert plan("zz?q grpo").empty
    # NOT (nothing) excludes nothing
    assert plan("grpo -zz?q").match == '("grpo")'


def test_fields_become_sql_and_text_stays_in_the_match():
    p = plan('speaker:"Ross Taylor" GRPO')
    assert p.match == '("GRPO")'
    assert "s.speaker LIKE ?" in sql(p.where) and "sp.name LIKE ?" in sql(p.where)
    assert params(p.where) == ("%Ross Taylor%", "%Ross Taylor%")
    assert p.episode_where is None  # a speaker filter cannot match titles


@pytest.mark.parametrize("text, fragment, values", [
    ("show:interconnects", "shows WHERE title LIKE ?", ("%interconnects%",)),
    ("episode:ab_c", "e.id = ? OR e.id LIKE ?", ("ab_c", "ab\\_c%")),
    ("kind:Model", "FROM mentions WHERE kind = ?", ("model",)),
    ("entity:quen", "FROM mentions WHERE entity IN (?)", ("Qwen",)),
    ("tag:method/RL", "tg.name LIKE ?", ("method/RL", "method/RL/%")),
    ("has:note", "trim(a.note_md) != ''", ()),
    ("has:annotation", "a.end > s.char_start", ()),
    ("has:entity", "FROM mentions m WHERE m.segment_id = s.id", ()),
    ("date:2025", "substr(e.date, 1, 10) >= ? AND substr(e.date, 1, 10) <= ?",
     ("2025-01-01", "2025-12-31")),
    ("date:>2025-06", "substr(e.date, 1, 10) > ?", ("2025-06-30",)),
    ("date:<2025-06", "substr(e.date, 1, 10) < ?", ("2025-06-01",)),
])
def test_each_filter(text, fragment, values):
    p = plan(text)
    assert p.match is None
    assert fragment in sql(p.where)
    assert params(p.where) == values


def test_unknown_entity_and_has_value_match_nothing():
    assert sql(plan("entity:nobody").where) == "0"
    assert sql(plan("has:banana").where) == "0"


def test_text_or_filter_is_sql_with_a_match_subquery():
    p = plan("grpo OR show:x")
    assert p.match is None
    assert sql(p.where).startswith("(s.id IN (SELECT rowid FROM fts_segments WHERE")
    assert params(p.where) == ('"grpo"', "%x%")


def test_lone_not_is_sql():
    p = compile_query(t.Not(t.Word("grpo")), LOOKUPS)
    assert p.match is None
    assert sql(p.where).startswith("NOT (s.id IN")


def test_entity_word_gets_a_broad_form():
    p = plan("Quen models")
    assert p.entity_words == ("Quen",)
    assert p.match == '("Quen") AND ("models")'
    assert "FROM mentions WHERE entity IN (?)" in sql(p.broad)
    assert "Qwen" in params(p.broad)
    assert plan("-Quen models").broad is None  # not under NOT


def test_titles_and_annotations():
    p = plan("reasoning show:interconnects date:2025")
    assert p.text_match == '("reasoning")'
    assert "shows" in sql(p.episode_where) and "e.date" in sql(p.episode_where)
    assert p.annotation_where is not None
    p = plan("tag:method/RL")
    assert p.episode_where is None and p.text_match is None
    assert "annotation_tags" in sql(p.annotation_where, "annotation")
    assert plan("kind:model grpo").annotation_where is None
    assert plan("speaker:x grpo").episode_where is None


def test_empty_query():
    assert plan("").empty
    assert plan("   ").empty


def test_literals_are_escaped():
    assert fts_string('a"b') == '"a""b"'
    assert like_escape("50%_x\\") == "50\\%\\_x\\\\"
    p = plan("show:100%")
    assert params(p.where) == ("%100\\%%",)


@pytest.mark.parametrize("text", [
    "AND", "NOT NOT", "(((a)))", "a OR -b", "speaker:", "date:>", "x~0", "-(-(-a))",
    '"a" OR speaker:b -kind:c', "has:note -has:tag", "-show:x -date:2025",
])
def test_odd_queries_compile(text):
    p = plan(text)
    assert isinstance(sql(p.where), str)


def test_filters_are_typed_nodes_that_say_what_they_read():
    from aiviewer.search import filters as f

    p = plan('speaker:"Ross" show:inter kind:Model date:>2025-06')
    assert p.where == f.AllOf((f.SpeakerIs("Ross"), f.ShowIs("inter"), f.KindIs("model"),
                               f.DateRange("2025-06-30", None, True, False)))
    assert p.where.tables >= {"speakers", "shows", "mentions", "episodes"}
    assert f.segment_only(plan("kind:model").where) and f.segment_only(plan("grpo OR entity:quen").where)
    assert not f.segment_only(plan("grpo OR show:x").where)
    assert f.episode_only(plan("show:x -date:2025").where)
    assert not f.episode_only(plan("show:x speaker:y").where)
    assert plan("has:notes").where == f.Has("note")


def test_adjacent_bare_words_naming_an_entity_widen_as_its_phrase():
    names = {"claude code": "Claude Code", "claude": "Claude"}
    lookups = Lookups(entity_names=lambda s: frozenset({names[s.lower()]})
                      if s.lower() in names else frozenset())
    bare = compile_query(parse("Claude Code agents").tree, lookups)
    # the longest run names the entity; its words still match anywhere in a passage
    assert bare.entity_words == ("Claude Code",)
    assert bare.match == '(("Claude") AND ("Code")) AND ("agents")'
    assert "Claude Code" in params(bare.broad) and "Claude" not in params(bare.broad)
    alone = compile_query(parse("Claude Code").tree, lookups)
    assert alone.entity_words == ("Claude Code",)
    # every passage mentioning the entity passes the broad form: no SQL asks it
    assert f.given_mention(alone.broad, frozenset({"Claude Code"})) == f.Always()
    assert f.given_mention(bare.broad, frozenset({"Claude Code"})) != f.Always()
    quoted = compile_query(parse('"Claude Code"').tree, lookups)
    assert quoted.entity_words == alone.entity_words
    # words apart, or under NOT, are read one by one as before
    assert compile_query(parse("Claude writes code").tree, lookups).entity_words == ("Claude",)
    assert compile_query(parse("-Claude Code").tree, lookups).entity_words == ()


def test_a_passage_known_to_mention_the_entity_is_asked_only_the_rest():
    names = {"openai": "OpenAI", "anthropic": "Anthropic"}
    lookups = Lookups(entity_names=lambda s: frozenset({names[s.lower()]})
                      if s.lower() in names else frozenset())
    either = compile_query(parse("(OpenAI OR Anthropic) -Google").tree, lookups)
    widened = frozenset({"OpenAI", "Anthropic"})
    # a mention of either entity answers the OR: only `-Google` is left to check
    left = f.given_mention(either.broad, widened)
    assert left == f.Not(f.TextMatch(STEMMED, '"Google"'))
    # both named: a passage mentioning one of them must still say the other
    both = compile_query(parse("OpenAI Anthropic").tree, lookups)
    assert f.given_mention(both.broad, widened) == both.broad
    shown = compile_query(parse("show:interconnects OpenAI").tree, lookups)
    assert f.given_mention(shown.broad, frozenset({"OpenAI"})) == f.ShowIs("interconnects")
