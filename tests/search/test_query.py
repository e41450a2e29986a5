"""The whoosh-based parser: every operator to the plain tree, and bad input to plain words."""

from __future__ import annotations

import pytest

from aiviewer.search import tree as t
from aiviewer.search.query import parse

W = t.Word


@pytest.mark.parametrize("text, expected", [
    ("grpo", W("grpo")),
    ("open models", t.And((W("open"), W("models")))),
    ('"open models"', t.Phrase(("open", "models"))),
    ("a OR b", t.Or((W("a"), W("b")))),
    ("a NOT b", t.And((W("a"), t.Not(W("b"))))),
    ("a -b", t.And((W("a"), t.Not(W("b"))))),
    ("+a b", t.And((W("a"), W("b")))),
    ("(a OR b) c", t.And((t.Or((W("a"), W("b"))), W("c")))),
    ("a -(b OR c)", t.And((W("a"), t.Not(t.Or((W("b"), W("c"))))))),
    ("x (a -b)", t.And((W("x"), W("a"), t.Not(W("b"))))),
    ("distill*", t.Prefix("distill")),
    ("gr?o", t.Wildcard("gr?o")),
    ("grpo~", t.Fuzzy("grpo", 1)),
    ("grpo~2", t.Fuzzy("grpo", 2)),
    ("grpo~5", t.Fuzzy("grpo", 2)),
    ('speaker:"Ross Taylor"', t.Field("speaker", "Ross Taylor")),
    ("show:interconnects", t.Field("show", "interconnects")),
    ("episode:abc123", t.Field("episode", "abc123")),
    ('entity:"Kimi K2"', t.Field("entity", "Kimi K2")),
    ("kind:benchmark", t.Field("kind", "benchmark")),
    ("tag:method/RL", t.Field("tag", "method/RL")),
    ("has:note", t.Field("has", "note")),
    ("date:2025", t.DateRange("2025-01-01", "2025-12-31")),
    ("date:2025-06-03", t.DateRange("2025-06-03", "2025-06-03")),
    ("date:>2025-06", t.DateRange("2025-06-30", None, start_excl=True)),
    ("date:>=2025-06", t.DateRange("2025-06-01", None)),
    ("date:<2025-06", t.DateRange(None, "2025-06-01", end_excl=True)),
    ("date:<=2025-06", t.DateRange(None, "2025-06-30")),
    ("date:[2025 to 2026-03]", t.DateRange("2025-01-01", "2026-03-31")),
    ("GPT-4o o3-mini c++", t.And((W("GPT-4o"), W("o3-mini"), W("c++")))),
    ("x^2", W("x^2")),
    ("", t.Nothing()),
    ("*", t.Nothing()),
])
def test_parses(text, expected):
    parsed = parse(text)
    assert parsed.error is None
    assert parsed.tree == expected


def test_the_issue_example():
    parsed = parse('speaker:"Ross Taylor" GRPO')
    assert parsed.tree == t.And((t.Field("speaker", "Ross Taylor"), W("GRPO")))
    assert parsed.understood == 'speaker:"Ross Taylor" GRPO'


@pytest.mark.parametrize("text, words, offset", [
    ('"unclosed phrase', ("unclosed", "phrase"), 0),
    ("a AND (b", ("a", "b"), 6),
    ("a) b", ("a", "b"), 1),
    ("date:banana grpo", ("date", "banana", "grpo"), 5),
    ("date:2025-13", ("date", "2025-13"), 5),
])
def test_malformed_queries_fall_back_to_plain_words(text, words, offset):
    parsed = parse(text)
    assert parsed.error and "plain words" not in parsed.error  # the UI says that part
    assert parsed.error_offset == offset
    got = parsed.tree.items if isinstance(parsed.tree, t.And) else (parsed.tree,)
    assert tuple(w.text for w in got) == words
    assert parsed.understood == " ".join(words)


@pytest.mark.parametrize("text", [
    "((((", "))))", '"""', "-", "+", "~", "*?*", "a OR", "OR OR AND NOT", "speaker:",
    "date:", "date:>", "tag:/", ":::", "\x00\x01", "a" * 5000, "🙂 emoji", "NOT", "-(-(-a))",
])
def test_never_raises(text):
    parsed = parse(text)
    assert isinstance(parsed.understood, str)


def test_understood_round_trips():
    for text in ['speaker:"Ross Taylor" GRPO', '"open models" date:<2025-06-01', "a OR b",
                 "distill* -llama", "grpo~ kind:model", "(a OR b) c"]:
        first = parse(text)
        assert parse(first.understood).tree == first.tree
