"""Suggestions and the reader's decisions on them, without a screen: stored beside the
mentions, applied on every re-match, scoped, undoable, and stronger than the matcher."""

from __future__ import annotations

import pytest

from aiviewer.errors import AiviewerError, NotFound
from aiviewer.library import Library

FIRST = """---
title: Small models week
show: Test Show
date: 2026-01-02
---

Alice: We tried Nemotorn yesterday, and Nemotorn was quick. Claude was slower.

Bob: Anthropic said Claude would be faster next month.
"""

SECOND = """---
title: Another week
show: Test Show
date: 2026-01-09
---

Alice: Nemotorn again. Claude too, and Anthropic.
"""


def write_episodes(folder, first=FIRST, second=SECOND):
    folder.mkdir(exist_ok=True)
    (folder / "a.md").write_text(first, encoding="utf-8")
    (folder / "b.md").write_text(second, encoding="utf-8")
    return folder


@pytest.fixture
def lib(tmp_path):
    library = Library(tmp_path / "lib")
    library.import_paths([write_episodes(tmp_path / "in")])
    yield library
    library.close()


def ids(lib):
    by_title = {e.title: e.id for e in lib.episodes()}
    return by_title["Small models week"], by_title["Another week"]


def mentions_of(lib, episode_id, canonical):
    return [m for ms in lib.segment_mentions(episode_id).values() for m in ms
            if m.canonical == canonical]


def test_suggestions_are_stored_apart_from_mentions(lib):
    first, second = ids(lib)
    found = lib.suggestions()
    assert [(s.surface, s.entity, s.kind, s.count, s.episode_id) for s in found] == [
        ("Nemotorn", "Nemotron", "model", 2, first), ("Nemotorn", "Nemotron", "model", 1, second)]
    assert "Nemotorn" in found[0].context[found[0].context_start:found[0].context_end]
    # not a mention: not counted, not highlighted, not searchable as the entity
    assert not mentions_of(lib, first, "Nemotron")
    assert "Nemotron" not in {c.canonical for c in lib.episode_entities(first)}
    assert lib.search("entity:Nemotron").total == 0
    both = lib.segment_mentions(first, suggestions=True)
    assert sum(m.suggested for ms in both.values() for m in ms) == 2
    assert [s.episode_id for s in lib.suggestions(second)] == [second]


def test_confirm_for_the_library_makes_the_spelling_an_alias_everywhere(lib, tmp_path):
    first, second = ids(lib)
    changes = lib.confirm_suggestion("Nemotorn", "nemotron")
    assert changes.mentions and changes.episodes == {first, second}
    assert len(mentions_of(lib, first, "Nemotron")) == 2
    assert len(mentions_of(lib, second, "Nemotron")) == 1
    assert lib.suggestions() == []
    assert lib.search("entity:Nemotron").total == 2
    # re-matching everything and re-importing apply the decision again
    lib.reindex()
    assert len(mentions_of(lib, second, "Nemotron")) == 1
    write_episodes(tmp_path / "in", second=SECOND.replace("again.", "again, Nemotorn."))
    lib.import_paths([tmp_path / "in"])
    assert len(mentions_of(lib, second, "Nemotron")) == 2


def test_confirm_for_one_episode_stays_in_that_episode(lib):
    first, second = ids(lib)
    lib.confirm_suggestion("Nemotorn", "Nemotron", first)
    assert len(mentions_of(lib, first, "Nemotron")) == 2
    assert all(m.fuzzy for m in mentions_of(lib, first, "Nemotron"))  # heard as, not alias
    assert not mentions_of(lib, second, "Nemotron")
    assert [s.episode_id for s in lib.suggestions()] == [second]
    lib.reindex()
    assert len(mentions_of(lib, first, "Nemotron")) == 2 and not mentions_of(lib, second,
                                                                             "Nemotron")


def test_a_rejection_beats_a_confident_match_in_its_scope(lib):
    first, second = ids(lib)
    assert mentions_of(lib, first, "Claude") and mentions_of(lib, second, "Claude")
    lib.reject_suggestion("Claude", "Claude", first)
    assert not mentions_of(lib, first, "Claude")
    assert mentions_of(lib, second, "Claude")
    lib.reject_suggestion("Nemotorn", "Nemotron")  # everywhere
    assert lib.suggestions() == []
    lib.reindex()
    assert not mentions_of(lib, first, "Claude") and lib.suggestions() == []


def test_the_narrower_scope_wins(lib):
    first, second = ids(lib)
    lib.confirm_suggestion("Nemotorn", "Nemotron")
    lib.reject_suggestion("Nemotorn", "Nemotron", second)
    assert len(mentions_of(lib, first, "Nemotron")) == 2
    assert not mentions_of(lib, second, "Nemotron")
    # changing one's mind in the same scope replaces the decision
    lib.confirm_suggestion("Nemotorn", "Nemotron", second)
    assert len(mentions_of(lib, second, "Nemotron")) == 1
    assert len(lib.decisions()) == 2


def test_each_decision_is_one_undo_step_and_redoes(lib):
    first, second = ids(lib)
    lib.confirm_suggestion("Nemotorn", "Nemotron")
    lib.reject_suggestion("Claude", "Claude", second)
    assert lib.undo_label() == "Reject “Claude” as Claude in this episode"
    changes = lib.undo()
    assert changes.mentions and second in changes.episodes
    assert mentions_of(lib, second, "Claude")
    assert lib.undo_label() == "Confirm “Nemotorn” as Nemotron everywhere"
    lib.undo()
    assert not mentions_of(lib, first, "Nemotron") and len(lib.suggestions()) == 2
    assert lib.decisions() == []
    lib.redo()
    assert len(mentions_of(lib, first, "Nemotron")) == 2 and lib.suggestions() == []
    lib.redo()
    assert not mentions_of(lib, second, "Claude")
    assert len(lib.decisions()) == 2


def test_decisions_are_user_data_that_outlive_the_process(lib):
    lib.confirm_suggestion("Nemotorn", "Nemotron")
    path = lib.data_dir
    lib.close()
    with Library(path) as again:
        assert [(d.surface, d.entity, d.verdict, d.episode_id) for d in again.decisions()] == [
            ("nemotorn", "Nemotron", "confirm", None)]


def test_bad_decisions_are_refused_with_a_message(lib):
    with pytest.raises(NotFound, match="no entity 'Nobody'"):
        lib.confirm_suggestion("Nemotorn", "Nobody")
    with pytest.raises(NotFound, match="no episode"):
        lib.reject_suggestion("Nemotorn", "Nemotron", "no-such-episode")
    with pytest.raises(AiviewerError, match="empty"):
        lib.confirm_suggestion("  ", "Nemotron")
    with pytest.raises(AiviewerError, match="control"):
        lib.confirm_suggestion("Nemo\x1b[2J", "Nemotron")
    assert lib.decisions() == [] and lib.undo_label() is None


def test_the_matcher_marks_below_the_bar_candidates_only_when_asked():
    from aiviewer.entities import default_matcher

    text = "We tried Nemotorn and Claude."
    plain = default_matcher().find(text)
    assert [m.canonical for m in plain] == ["Claude"]
    both = default_matcher().find(text, suggestions=True)
    assert [(m.surface, m.canonical, m.suggested) for m in both] == [
        ("Nemotorn", "Nemotron", True), ("Claude", "Claude", False)]


def test_a_restore_brings_decisions_back_from_the_damaged_file(lib, tmp_path):
    from aiviewer.store import salvage

    first, _ = ids(lib)
    lib.reject_suggestion("Claude", "Claude", first)
    rescued = salvage.read(lib.db_path)
    with Library(tmp_path / "restored") as other:
        other.import_paths([tmp_path / "in"])
        with other.store.atomic() as db:
            assert salvage.merge(db, rescued)["decisions"] == 1
        other.reindex()
        assert not mentions_of(other, first, "Claude")
