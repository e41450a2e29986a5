"""One process with several connections to the library, and other processes
opening and closing it: the situation the app is in.  A write made through any
connection after another process has come and gone must be on disk.

Before the fix, `Store()` read the file's header with Python's `open`; closing
that descriptor dropped the process's SQLite locks, the next process to close
the library deleted the WAL, and every later write of this one was lost."""

from __future__ import annotations

import subprocess
import sys

from sqlite_probe import scalar

from aiviewer.library import Library
from aiviewer.store import Store

_TOUCH = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
          "c.execute('SELECT count(*) FROM sqlite_master').fetchall(); c.close()")



def test_the_minimal_repro_keeps_the_write(tmp_path):
    p = tmp_path / "library.sqlite"
    first = Store(p)
    with first.atomic() as db:
        db.execute("INSERT INTO shows (title) VALUES ('one')")
    second = Store(p)
    subprocess.run([sys.executable, "-c", _TOUCH, str(p)], check=True)
    assert (tmp_path / "library.sqlite-wal").exists(), "the WAL of a library in use stays"
    with first.atomic() as db:
        db.execute("INSERT INTO shows (title) VALUES ('two')")
    assert scalar(p, "SELECT count(*) FROM shows") == 2
    assert scalar(p, "PRAGMA integrity_check") == "ok"
    second.close()
    first.close()


def test_libraries_and_cli_processes_side_by_side_lose_nothing(tmp_path):
    """Three libraries in this process (window, reader thread, search thread) and
    the CLI run beside them between every write."""
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen.\nBob: and DPO on Llama.\n"
                   "Ada: GRPO again, with RLHF.\n", encoding="utf-8")
    data = tmp_path / "lib"
    window = Library(data)
    window.import_paths([src])
    reader, searcher = Library(data), Library(data)
    eid = window.episodes()[0].id
    made = []
    cli = [sys.executable, "-m", "aiviewer", "--data-dir", str(data)]
    for i, command in enumerate((["list"], ["about"], ["search", "GRPO"],
                                 ["annotate", eid, "--quote", "DPO", "--tag", "cli"],
                                 ["reindex"], ["entities", "add", "Thingamajig", "--kind", "model"])):
        subprocess.run(cli + command, check=True, capture_output=True)
        reader.episodes()
        searcher.search("GRPO")
        made.append(window.annotate(eid, 0, 5, note_md=f"note {i}", tags=[f"t{i}"]).value.id)
    window.rename_speaker(eid, "Ada", "Ada Lovelace")
    for lib in (window, reader, searcher):
        lib.close()
    check = subprocess.run(
        [sys.executable, "-c",
         "import sys, json, sqlite3; from aiviewer.library import Library\n"
         "lib = Library(sys.argv[1])\n"
         "ids = [a.id for a in lib.annotations()]\n"
         "c = sqlite3.connect(sys.argv[2])\n"
         "print(json.dumps({'ids': ids, 'speaker': lib.episode(sys.argv[3]).speaker_names,"
         " 'ok': c.execute('PRAGMA integrity_check').fetchone()[0]}))",
         str(data), str(data / "library.sqlite"), eid],
        check=True, capture_output=True, text=True)
    import json

    found = json.loads(check.stdout)
    assert set(made) <= set(found["ids"])
    assert len(found["ids"]) == len(made) + 1  # and the CLI's one
    assert found["speaker"].get("Ada") == "Ada Lovelace"
    assert found["ok"] == "ok"
