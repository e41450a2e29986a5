"""Stored mentions: written per episode, queried for counts, contexts and highlights, recomputed."""

from __future__ import annotations

import json

import pytest

from aiviewer.entities import Matcher, default_matcher
from aiviewer.model import ParsedSegment
from aiviewer.store import episodes as episodes_q
from aiviewer.store import mentions as mentions_q
from aiviewer.store import segments as segments_q
from aiviewer.store.db import Store

EP1 = [
    ParsedSegment("Welcome Dylan Patel. We talk about cloud code and GPUs.", "Lex Fridman", 0),
    ParsedSegment("Dylan, is Claude Opus 4.5 better than GPT-5?", "Lex Fridman", 5000),
    ParsedSegment("Nathan thinks OpenAI's H100s are busy.", "Dylan Patel", 9000),
]
EP2 = [ParsedSegment("Claude Sonnet 4.5 and Claude Code, said Nathan.", "Nathan Lambert", 0)]


def add_episode(store: Store, eid: str, title: str, segs, date: str) -> list[tuple[int, str]]:
    with store.atomic() as db:
        episodes_q.insert(db, eid, {"title": title, "date": date})
        rows = segments_q.replace_segments(db, eid, tuple(segs))
        labels = list(dict.fromkeys(s.speaker for s in segs if s.speaker))
        episodes_q.ensure_speakers(db, eid, labels)
        mentions_q.write_episode_mentions(db, eid, rows, default_matcher(), tuple(labels))
    return rows


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "library.sqlite")
    add_episode(s, "ep1", "Episode one", EP1, "2026-01-01")
    add_episode(s, "ep2", "Episode two", EP2, "2026-02-01")
    yield s
    s.close()


def test_write_and_read_segment_mentions(store):
    by_seg = mentions_q.segment_mentions(store.db, "ep1")
    texts = dict(segments_q.segment_texts(store.db, "ep1"))
    found = [(m.surface, m.canonical) for seg in sorted(by_seg) for m in by_seg[seg]]
    assert found == [
        ("Dylan Patel", "Dylan Patel"), ("cloud code", "Claude Code"), ("GPUs", "GPU"),
        ("Dylan", "Dylan Patel"), ("Claude Opus 4.5", "Claude Opus 4.5"), ("GPT-5", "GPT-5"),
        ("OpenAI's", "OpenAI"), ("H100s", "H100")]
    for seg, ms in by_seg.items():
        assert all(texts[seg][m.start:m.end] == m.surface for m in ms)


def test_speakers_count_as_known_people(store):
    ep2 = mentions_q.segment_mentions(store.db, "ep2")
    assert [m.canonical for ms in ep2.values() for m in ms] == [
        "Claude Sonnet 4.5", "Claude Code", "Nathan Lambert"]
    # in ep1 Nathan Lambert neither speaks nor was named: "Nathan" stays plain text
    assert "Nathan Lambert" not in [c.canonical for c in mentions_q.entity_counts(store.db, "ep1")]


def test_rewrite_replaces_rows(store):
    rows = segments_q.segment_texts(store.db, "ep1")
    with store.atomic() as db:
        n = mentions_q.write_episode_mentions(db, "ep1", rows, default_matcher())
    assert n == mentions_q.count_mentions(store.db) - 3


def test_entity_counts(store):
    counts = {c.canonical: c for c in mentions_q.entity_counts(store.db)}
    assert counts["Dylan Patel"].mentions == 2 and counts["Dylan Patel"].episodes == 1
    assert counts["Claude Code"].mentions == 2 and counts["Claude Code"].episodes == 2
    assert counts["Claude Code"].description.startswith("Anthropic's agentic coding tool")
    people = mentions_q.entity_counts(store.db, kind="person")
    assert {c.kind for c in people} == {"person"}
    assert [c.canonical for c in mentions_q.entity_counts(store.db, "ep2", "product")] == [
        "Claude Code"]


def test_mentions_of_includes_family_and_context(store):
    hits = mentions_q.mentions_of(store.db, "Claude")
    assert [(h.episode_id, h.surface) for h in hits] == [
        ("ep1", "Claude Opus 4.5"), ("ep2", "Claude Sonnet 4.5")]
    h = hits[0]
    assert h.context[h.context_start:h.context_end] == "Claude Opus 4.5"
    assert h.speaker == "Lex Fridman" and h.start_ms == 5000
    text = segments_q.segment_text(store.db, "ep1")
    assert text[h.char_start:h.char_start + len(h.surface)] == h.surface
    assert len(mentions_q.mentions_of(store.db, "Anthropic")) == 4
    assert mentions_q.mentions_of(store.db, "Claude", family=False) == []
    assert len(mentions_q.mentions_of(store.db, "Anthropic", limit=1)) == 1


def test_recompute_when_user_entities_change(store):
    m0 = default_matcher()
    assert mentions_q.is_stale(store.db, m0)
    assert mentions_q.recompute_stale(store.db, m0, transaction=store.atomic) == 2
    assert not mentions_q.is_stale(store.db, m0)
    assert mentions_q.recompute_stale(store.db, m0) == 0

    with store.atomic() as db:
        db["entities"].insert({"canonical": "Busy Board", "kind": "product",
                               "aliases": json.dumps(["busy"]), "hidden": 0})
    m1 = Matcher.for_library(store)
    assert mentions_q.is_stale(store.db, m1)
    progress = []
    done = mentions_q.recompute_for_aliases(
        store.db, m1, ["Busy Board", "busy"], progress=lambda d, t, msg: progress.append((d, t)))
    assert done == 1 and progress[-1] == (1, 1)  # only ep1 says "busy"
    assert "Busy Board" in [c.canonical for c in mentions_q.entity_counts(store.db, "ep1", matcher=m1)]
    assert not mentions_q.is_stale(store.db, m1)


def test_hidden_catalog_entity_disappears_after_recompute(store):
    with store.atomic() as db:
        db["entities"].insert({"canonical": "GPU", "kind": "hardware", "hidden": 1})
    m = Matcher.for_library(store)
    mentions_q.recompute_all(store.db, m, transaction=store.atomic)
    assert "GPU" not in [c.canonical for c in mentions_q.entity_counts(store.db, matcher=m)]


def test_cancelled_recompute_keeps_old_version(store):
    from aiviewer.progress import CancelToken

    token = CancelToken()
    token.cancel()
    assert mentions_q.recompute_all(store.db, default_matcher(), cancel=token) == 0
    assert mentions_q.stored_version(store.db) is None
