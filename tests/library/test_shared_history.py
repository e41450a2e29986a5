"""The undo history is the library's, not a process's: what the window does the CLI
beside it can undo, and the other way round (issue 13).  The window's own
connection stays open throughout, as in the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from aiviewer.library import Library


def cli(data_dir, *argv) -> subprocess.CompletedProcess:
    """The real CLI in its own process, as a user runs it beside the window."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-m", "aiviewer", "--data-dir", str(data_dir), *argv],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def window_lib(tmp_path):
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen.\nBob: and DPO on Llama.\n", encoding="utf-8")
    library = Library(tmp_path / "lib")
    library.import_paths([src])
    yield library
    library.close()


def test_the_cli_undoes_and_redoes_a_rename_made_in_the_window(window_lib):
    eid = window_lib.episodes()[0].id
    window_lib.rename_speaker(eid, "Ada", "Ada Lovelace")
    done = cli(window_lib.data_dir, "undo", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["undo"] == "Rename Ada to Ada Lovelace"
    assert window_lib.episode(eid).speaker_names.get("Ada") in (None, "Ada")
    assert window_lib.redo_label() == "Rename Ada to Ada Lovelace"  # the window sees it
    assert cli(window_lib.data_dir, "redo").returncode == 0
    assert window_lib.episode(eid).speaker_names["Ada"] == "Ada Lovelace"


def test_the_window_undoes_an_episode_removed_by_the_cli(window_lib):
    eid = window_lib.episodes()[0].id
    a = window_lib.annotate(eid, 0, 3, note_md="kept").value
    hits = window_lib.search("GRPO").total
    gone = cli(window_lib.data_dir, "remove", eid[:8])
    assert gone.returncode == 0, gone.stderr
    assert "aiviewer undo" in gone.stdout
    assert window_lib.episodes() == []
    assert window_lib.undo_label().startswith("Remove")
    window_lib.undo()
    assert [e.id for e in window_lib.episodes()] == [eid]
    assert window_lib.annotation(a.id).status == "anchored"
    assert window_lib.search("GRPO").total == hits


def test_entity_edits_from_the_cli_undo_and_redo_with_their_highlights(window_lib):
    eid = window_lib.episodes()[0].id
    added = cli(window_lib.data_dir, "entities", "add", "Zorblax", "--kind", "model",
                "--alias", "Bob")
    assert added.returncode == 0, added.stderr
    window_lib.forget_entities()
    assert window_lib.undo_label() == "New entity “Zorblax”"
    assert any(c.canonical == "Zorblax" for c in window_lib.episode_entities(eid))
    undone = cli(window_lib.data_dir, "undo")
    assert undone.returncode == 0 and "New entity “Zorblax”" in undone.stdout
    window_lib.forget_entities()
    assert window_lib.entity("Zorblax") is None
    assert not window_lib.mentions_stale()  # the CLI re-matched before it returned
    assert not any(c.canonical == "Zorblax" for c in window_lib.episode_entities(eid))
    assert cli(window_lib.data_dir, "redo").returncode == 0
    window_lib.forget_entities()
    assert any(c.canonical == "Zorblax" for c in window_lib.episode_entities(eid))


def test_history_lists_steps_newest_first_and_marks_undone_ones(window_lib):
    eid = window_lib.episodes()[0].id
    window_lib.annotate(eid, 0, 3, tags=["first"])
    window_lib.annotate(eid, 4, 9, tags=["second"])
    window_lib.undo()
    out = cli(window_lib.data_dir, "history", "--json")
    steps = json.loads(out.stdout)["steps"]
    assert [(s["label"], s["undone"]) for s in steps[:2]] == [
        ("Tag “second”", True), ("Tag “first”", False)]
    assert cli(window_lib.data_dir, "redo").returncode == 0
    assert cli(window_lib.data_dir, "redo").returncode == 1  # nothing left to redo


def test_a_new_step_drops_the_redo_side_and_the_history_is_capped(window_lib, monkeypatch):
    from aiviewer.library import notes

    monkeypatch.setattr(notes, "MAX_UNDO", 3)
    eid = window_lib.episodes()[0].id
    for i in range(5):
        window_lib.annotate(eid, i, i + 2, tags=[f"t{i}"])
    assert len(window_lib.history()) == 3
    window_lib.undo()
    window_lib.annotate(eid, 0, 1, tags=["new"])
    assert window_lib.redo_label() is None
    assert [h[0] for h in window_lib.history()][:1] == ["Tag “new”"]


def test_the_history_survives_a_restart(window_lib):
    eid = window_lib.episodes()[0].id
    window_lib.rename_speaker(eid, "Bob", "Bob Dylan")
    data_dir = window_lib.data_dir
    window_lib.close()
    again = Library(data_dir)
    try:
        assert again.undo_label() == "Rename Bob to Bob Dylan"
        again.undo()
        assert again.episode(eid).speaker_names.get("Bob") in (None, "Bob")
    finally:
        again.close()
