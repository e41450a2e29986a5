"""One OK in a dialog is one undo step: `Library.op` groups every change made in it
into one transaction and one entry on the undo stack."""

from __future__ import annotations

import pytest

from aiviewer.library import Library


@pytest.fixture
def lib(tmp_path):
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen.\nBob: and DPO on Llama.\n", encoding="utf-8")
    library = Library(tmp_path / "lib")
    library.import_paths([src])
    yield library
    library.close()


def test_an_edit_of_note_and_tags_is_one_undo_step(lib):
    eid = lib.episodes()[0].id
    a = lib.annotate(eid, 0, 5, note_md="first", tags=["old"]).value
    with lib.op("Edit annotation"):
        lib.set_note(a.id, "second")
        lib.untag([a.id], "old")
        lib.tag([a.id], "new")
        lib.tag([a.id], "newer")
    assert lib.undo_label() == "Edit annotation"
    edited = lib.annotation(a.id)
    assert edited.note_md == "second" and sorted(edited.tags) == ["new", "newer"]
    lib.undo()
    back = lib.annotation(a.id)
    assert back.note_md == "first" and list(back.tags) == ["old"]
    assert lib.undo_label() != "Edit annotation"  # the annotate step is next
    lib.redo()
    again = lib.annotation(a.id)
    assert again.note_md == "second" and sorted(again.tags) == ["new", "newer"]


def test_a_group_that_fails_writes_nothing_and_records_nothing(lib):
    eid = lib.episodes()[0].id
    a = lib.annotate(eid, 0, 5, note_md="first", tags=["old"]).value
    label = lib.undo_label()
    with pytest.raises(RuntimeError):
        with lib.op("Edit annotation"):
            lib.set_note(a.id, "second")
            raise RuntimeError("the dialog's second write failed")
    assert lib.annotation(a.id).note_md == "first"
    assert lib.undo_label() == label


def test_a_speaker_rename_undoes_and_redoes(lib):
    eid = lib.episodes()[0].id
    lib.rename_speaker(eid, "Ada", "Ada Lovelace")
    assert lib.undo_label() == "Rename Ada to Ada Lovelace"
    assert lib.episode(eid).speaker_names.get("Ada") == "Ada Lovelace"
    changes = lib.undo()
    assert changes.speakers and eid in changes.episodes
    assert lib.episode(eid).speaker_names.get("Ada") in (None, "Ada")
    lib.redo()
    assert lib.episode(eid).speaker_names.get("Ada") == "Ada Lovelace"
    lib.rename_speaker(eid, "Ada", "Countess")
    lib.undo()
    assert lib.episode(eid).speaker_names.get("Ada") == "Ada Lovelace"


def test_removing_an_episode_undoes_and_redoes_with_its_notes(lib):
    eid = lib.episodes()[0].id
    a = lib.annotate(eid, 0, 5, note_md="keep me", tags=["rl"]).value
    hits = lib.search("GRPO").total
    entities = len(lib.episode_entities(eid))
    lib.rename_speaker(eid, "Bob", "Bob Dylan")
    lib.remove_episode(eid)
    assert lib.episodes() == [] and lib.annotation(a.id).status == "orphaned"
    assert lib.undo_label().startswith("Remove “")
    changes = lib.undo()
    assert eid in changes.episodes and changes.library
    assert [e.id for e in lib.episodes()] == [eid]
    assert lib.annotation(a.id).status == "anchored"
    assert lib.search("GRPO").total == hits
    assert len(lib.episode_entities(eid)) == entities
    assert lib.episode(eid).speaker_names.get("Bob") == "Bob Dylan"
    assert lib.episode(eid).sources, "its source file is known again"
    lib.redo()
    assert lib.episodes() == [] and lib.annotation(a.id).status == "orphaned"
    lib.undo()
    assert [e.id for e in lib.episodes()] == [eid]


def test_an_entity_edit_is_one_undo_step(lib):
    lib.add_entity("Zorblax", "model", aliases=("Zorb",))
    assert lib.undo_label() == "New entity “Zorblax”"
    changes = lib.undo()
    assert changes.entities and lib.entity("Zorblax") is None
    assert lib.mentions_stale()  # the app re-matches in the background
    lib.redo()
    assert lib.entity("Zorblax").aliases == ("Zorb",)
