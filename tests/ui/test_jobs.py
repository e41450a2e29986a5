"""The child-job runner (`ui/jobs.py`) and the CLI's `--json-lines` it reads; a
window whose jobs run synchronously; the Qt-free choices the window offers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from aiviewer.ui.choices import export_target, speaker_choices
from aiviewer.ui.jobs import ChildJob, SyncJob, failure_text, read_lines, run_job

TALK = "Kind: captions\n" + "".join(
    f">> Host: Line {i} about reinforcement learning and GRPO in open models.\n"
    for i in range(30))


def talk(tmp_path, name="talk.txt"):
    path = tmp_path / name
    path.write_text(TALK, encoding="utf-8")
    return path


def test_read_lines_keeps_the_incomplete_rest_and_skips_stray_output():
    events, rest = read_lines(b'{"progress": [1, 2, "a.txt"]}\nnot json\n{"result": {"n": 1}}'
                              b'\n{"error": "disk full"}\n{"progr')
    assert events == [("progress", (1, 2, "a.txt")), ("result", {"n": 1}),
                      ("error", "disk full")]
    assert rest == b'{"progr'
    assert failure_text(None, b"\nerror: one\nerror: two\n", 2) == "error: one\nerror: two"
    assert failure_text(None, b"", 9) == "exit status 9"


def test_cli_json_lines_is_progress_then_one_result(tmp_path):
    out = subprocess.run([sys.executable, "-m", "aiviewer", "--data-dir", str(tmp_path / "lib"),
                          "import", str(talk(tmp_path)), "--json-lines"],
                         capture_output=True, text=True, check=True).stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert all(list(line) == ["progress"] for line in lines[:-1]) and len(lines) >= 2
    assert lines[-2]["progress"][:2] == [1, 1]
    assert lines[-1]["result"]["added"] == 1


def test_sync_job_reports_progress_result_and_failure(tmp_path):
    data = str(tmp_path / "lib")
    job, seen = SyncJob(data, ["import", str(talk(tmp_path))]), []
    job.progress.connect(lambda *p: seen.append(p))
    job.start()  # returns when the child has ended, every signal delivered
    assert job.error is None and job.result["added"] == 1 and seen[-1][:2] == (1, 1)
    assert run_job(data, ["reindex", "--entities-if-stale"]) == {"episodes_rematched": 0}
    assert "Zorblax" in json.dumps(run_job(data, ["entities", "add", "Zorblax", "--kind",
                                                  "model"]))
    with pytest.raises(RuntimeError, match="needs a NAME"):
        run_job(data, ["entities", "remove"])
    with pytest.raises(RuntimeError, match="unrecognized arguments: --json-lines"):
        run_job(data, ["show", "no-such-file"])  # show has no --json-lines: argparse says so


def test_child_job_signals_and_cancel(qtbot, tmp_path):
    data = str(tmp_path / "lib")
    job = ChildJob(data, ["import", str(talk(tmp_path))])
    progress = []
    job.progress.connect(lambda *p: progress.append(p))
    with qtbot.waitSignal(job.succeeded, timeout=60000) as got:
        job.start()
    assert got.args[0]["added"] == 1 and progress and not job.running
    failing = ChildJob(data, ["entities", "remove"])
    with qtbot.waitSignal(failing.failed, timeout=60000) as got:
        failing.start()
    assert "needs a NAME" in got.args[0]
    # Cancel: the child stops (SIGTERM), and wait() returns once it has
    many = tmp_path / "many"
    many.mkdir()
    for i in range(40):
        talk(many, f"t{i}.txt").write_text(TALK.replace("Line", f"Talk {i} line"))
    job = ChildJob(data, ["import", str(many)])
    job.start()
    job.cancel()
    assert job.wait(60000) and not job.running
    assert job.error is not None or job.result["cancelled"] or len(job.result["files"]) == 40


def test_window_with_synchronous_jobs_adds_an_entity(qtbot, library_dir):
    from aiviewer.library import Library
    from aiviewer.ui.app import settings_for
    from aiviewer.ui.main_window import MainWindow

    lib = Library(library_dir)
    window = MainWindow(lib, settings_for(str(library_dir)), jobs=SyncJob)
    qtbot.addWidget(window)
    window.entity_control.refresh_stale()  # ran synchronously: its result is there now
    assert window.entity_control.refresher.result == {"episodes_rematched": 0}
    window.entity_control._run(["entities", "add", "Zorblax Labs", "--kind", "organization"],
                               "Zorblax Labs")
    assert lib.entity("Zorblax Labs") is not None
    assert window.statusBar().currentMessage().startswith(
        "“Zorblax Labs” saved; highlights updated")
    # the edit, made in a child job, is one undo step of the window
    assert window.actions_by_id["undo"].text() == "&Undo New entity “Zorblax Labs”"
    window.annotating.undo()
    assert lib.entity("Zorblax Labs") is None
    assert window.entity_control.refresher.result is not None  # re-matched in the background
    window.annotating.redo()
    assert lib.entity("Zorblax Labs") is not None
    window.start_import([str(talk(library_dir.parent))])
    assert window.importing is None
    assert window.importing_control.last_report.added == 1
    window.close()
    window.tasks.wait()
    lib.close()


def test_export_target_and_speaker_choices():
    from aiviewer.model import Episode

    assert export_target("/t/notes", "CSV (*.csv)") == ("csv", "/t/notes.csv")
    assert export_target("/t/n", "CSV for Excel on Windows, with BOM (*.csv)") == \
        ("csv-bom", "/t/n.csv")
    assert export_target("/t/a.qdpx", "REFI-QDA project (*.qdpx)") == ("qdpx", "/t/a.qdpx")
    assert export_target("/t/x", "") == ("markdown", "/t/x.md")
    ep = Episode.__new__(Episode)
    object.__setattr__(ep, "speaker_names", {"Speaker 1": "Ada"})
    object.__setattr__(ep, "segments", ())
    assert speaker_choices(ep) == [("Speaker 1", "Speaker 1  →  Ada")]
