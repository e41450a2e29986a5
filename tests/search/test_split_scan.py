"""Scoring the matches in two halves on two connections gives FTS5's own scores:
the same list as one pass, in the same order."""

from __future__ import annotations

from aiviewer.search import engine, split_scan
from aiviewer.search.compile import compile_query
from aiviewer.search.engine import search
from aiviewer.search.query import parse
from aiviewer.store import fts


def _forced(monkeypatch):
    monkeypatch.setattr(split_scan, "SPLIT_FROM", 0)
    monkeypatch.setattr(split_scan, "core_to_spare", lambda: True)


def test_two_halves_score_as_one_pass(filled, monkeypatch):
    store, _ = filled
    _forced(monkeypatch)
    assert store.second_reader() is not None
    for query in ("reasoning", "open models", '"open models"', "speaker:ross grpo",
                  "date:2025 reasoning", "(openai OR anthropic) -google", "distill*"):
        plan = compile_query(parse(query).tree)
        one = fts.match_scores(store.db, plan.table, plan.match, plan.where)
        two = split_scan.match_scores(store, plan.table, plan.match, plan.where)
        assert two == one, query
    split = search(store, "reasoning open", limit=50)
    engine._runs.drop(store)
    monkeypatch.setattr(split_scan, "SPLIT_FROM", 1 << 62)
    assert search(store, "reasoning open", limit=50) == split


def test_no_split_inside_a_write_transaction(filled, monkeypatch):
    store, _ = filled
    _forced(monkeypatch)
    with store.atomic() as db:
        db.execute("UPDATE segments SET text = 'zyxwordnew here' WHERE id = "
                   "(SELECT min(id) FROM segments)")
        assert store.second_reader() is None
        assert len(split_scan.match_scores(store, "fts_segments", '"zyxwordnew"')) == 1
