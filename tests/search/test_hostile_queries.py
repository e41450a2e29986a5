"""Hostile queries and entity names through the library API (issue 12)."""

from __future__ import annotations

import pytest

from aiviewer.errors import AiviewerError
from aiviewer.library import Library
from aiviewer.model import Entity
from aiviewer.search import query as query_mod
from aiviewer.search import spelling
from aiviewer.store import user_entities as user_entities_q

TRANSCRIPT = ("Grace Hopper: Welcome, we talk about reasoning models today.\n"
              "Alan Turing: Thank you. Reasoning models think before answering.\n")


@pytest.fixture
def lib(tmp_path):
    (tmp_path / "t.txt").write_text(TRANSCRIPT, encoding="utf-8")
    library = Library(tmp_path / "lib")
    library.import_paths([tmp_path / "t.txt"])
    yield library
    library.close()


@pytest.mark.parametrize("query", ["a" * 20000, "reasoning" * 2000 + "~2",
                                   "x " + "b" * 15000 + " reasoning"])
def test_a_word_of_thousands_of_characters_skips_the_syntax_and_spelling_passes(
        lib, query, monkeypatch):
    asked = []
    real = spelling._RankedCorrector.suggest
    monkeypatch.setattr(spelling._RankedCorrector, "suggest",
                        lambda self, word, **kw: asked.append(len(word)) or real(self, word, **kw))
    parsed = query_mod.parse(query)
    assert parsed.error and "too long" in parsed.error
    lib.search(query)  # no error, no minutes in the speller or the parser
    assert all(n <= spelling.MAX_WORD for n in asked)


@pytest.mark.parametrize("query", ["reasoning\x00", "\x00", "rea\x00soning models",
                                   "reasoning \ud800"])
def test_a_nul_or_a_lone_surrogate_in_a_query_is_plain_text(lib, query):
    lib.search(query)
    from aiviewer.search import engine

    engine.first_hits(lib.store, query)


def test_reasoning_is_still_found(lib):
    assert lib.search("reasoning\x00").total >= 1


@pytest.mark.parametrize("name", ["x" * 100_000, "a\x00b", "esc\x1b[31m", "\ud800x"])
def test_bad_entity_names_are_refused_before_anything_is_stored(lib, name):
    with pytest.raises(AiviewerError):
        lib.add_entity(name, "model")
    with pytest.raises(AiviewerError):
        lib.add_entity("Fine Name", "model", aliases=(name,))
    assert lib.user_entities() == []


def test_an_entity_stored_with_a_huge_name_can_still_be_removed(lib):
    big = "y" * 100_000
    with lib.store.atomic() as db:
        user_entities_q.upsert(db, Entity(big, "model", "", (), None, user=True))
    lib.forget_entities()
    lib.remove_entity(big)
    assert lib.user_entities() == []
