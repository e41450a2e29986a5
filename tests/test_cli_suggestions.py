"""`aiviewer entities suggestions | confirm | reject` from the command line."""

from __future__ import annotations

import json

import pytest

from aiviewer.cli import main
from tests.library.test_suggestions import write_episodes


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "lib"
    assert main(["--data-dir", str(d), "import", str(write_episodes(tmp_path / "in"))]) == 0
    return d


def run(capsys, d, *argv):
    capsys.readouterr()
    code = main(["--data-dir", str(d), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def listed(capsys, d, *argv):
    code, out, _ = run(capsys, d, "entities", "suggestions", "--json", *argv)
    assert code == 0
    return json.loads(out)["suggestions"]


def test_suggestions_listed_as_text_and_json(capsys, data_dir):
    code, out, _ = run(capsys, data_dir, "entities", "suggestions")
    assert code == 0
    assert "heard as “Nemotorn” — Nemotron? (model, 2×)  Small models week" in out
    assert "[Nemotorn]" in out and "2 suggestions" in out
    found = listed(capsys, data_dir)
    assert [(s["surface"], s["entity"], s["kind"], s["count"]) for s in found] == [
        ("Nemotorn", "Nemotron", "model", 2), ("Nemotorn", "Nemotron", "model", 1)]
    assert {"episode_id", "episode_title", "context", "context_start", "context_end",
            "char_start", "segment_id"} <= set(found[0])
    only = listed(capsys, data_dir, "--episode", "Another week")
    assert [s["count"] for s in only] == [1]


def test_confirm_for_one_episode_then_the_library(capsys, data_dir):
    code, out, _ = run(capsys, data_dir, "entities", "confirm", "Nemotorn", "Nemotron",
                       "--episode", "Small models")
    assert code == 0 and "confirmed “Nemotorn” as Nemotron in t-" in out
    assert len(listed(capsys, data_dir)) == 1
    code, out, _ = run(capsys, data_dir, "entities", "show", "Nemotron")
    assert "2 mentions" in out
    code, out, _ = run(capsys, data_dir, "entities", "confirm", "Nemotorn", "Nemotron",
                       "--library", "--json")
    assert code == 0 and json.loads(out)["episodes_rematched"]
    assert listed(capsys, data_dir) == []
    code, out, _ = run(capsys, data_dir, "entities", "show", "Nemotron")
    assert "3 mentions" in out


def test_reject_removes_even_a_confident_mention(capsys, data_dir):
    code, out, _ = run(capsys, data_dir, "entities", "reject", "Claude", "Claude")
    assert code == 0 and "rejected “Claude” as Claude in every episode; re-matched 2" in out
    code, out, _ = run(capsys, data_dir, "entities", "show", "Claude")
    assert code == 1 and "0 mentions" in out
    run(capsys, data_dir, "reindex")
    code, out, _ = run(capsys, data_dir, "entities", "show", "Claude")
    assert "0 mentions" in out


def test_clear_messages_for_bad_decisions(capsys, data_dir):
    code, _, err = run(capsys, data_dir, "entities", "confirm", "Nemotorn", "Nobody")
    assert code == 1 and "no entity 'Nobody'" in err
    code, _, err = run(capsys, data_dir, "entities", "reject", "Nemotorn", "Nemotron",
                       "--episode", "no such episode")
    assert code == 1 and "no episode matches 'no such episode'" in err
    code, _, err = run(capsys, data_dir, "entities", "confirm", "Nemotorn")
    assert code == 2 and "needs a SURFACE" in err
    code, _, err = run(capsys, data_dir, "entities", "confirm", "Nemotorn", "Nemotron",
                       "--episode", "Another", "--library")
    assert code == 2 and "not both" in err
    code, _, err = run(capsys, data_dir, "entities", "suggestions", "--episode", "nope")
    assert code == 1 and "no episode matches" in err


def test_a_decision_is_a_step_in_the_library_history(capsys, data_dir):
    run(capsys, data_dir, "entities", "confirm", "Nemotorn", "Nemotron")
    assert listed(capsys, data_dir) == []
    code, out, _ = run(capsys, data_dir, "undo")
    assert code == 0 and "Confirm “Nemotorn” as Nemotron everywhere" in out
    assert len(listed(capsys, data_dir)) == 2
    run(capsys, data_dir, "redo")
    assert listed(capsys, data_dir) == []
