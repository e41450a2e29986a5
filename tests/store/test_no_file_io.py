"""The rule that keeps SQLite's locks: while any connection to the library is open
in the process, nothing opens `library.sqlite`, its `-wal` or its `-shm` with
Python's own file functions (`open`, `io.open`, `os.open`, `pathlib`, `shutil`) —
closing such a descriptor would drop every lock SQLite holds on the file.

An audit hook sees every such open (they all raise the `open` audit event;
SQLite's own opens happen in C and do not), and the test drives every code path
that touches the library file: opening several libraries, importing, annotating,
searching, verifying, the daily backup, exporting, reindexing, closing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from aiviewer.library import Library
from aiviewer.store import db as store_db

_watch: dict = {"on": False, "dir": None, "seen": []}


def _hook(event: str, args: tuple) -> None:
    if not _watch["on"] or event not in ("open", "shutil.copyfile", "os.rename",
                                         "os.remove", "os.truncate"):
        return
    target = args[0] if args else None
    if isinstance(target, int) or target is None:
        return
    try:
        path = Path(os.fsdecode(target))
    except TypeError:
        return
    if path.name.startswith("library.sqlite") and store_db.open_connections(
            path.with_name("library.sqlite")):
        _watch["seen"].append((event, str(path)))


sys.addaudithook(_hook)


@pytest.fixture
def watched():
    _watch["seen"] = []
    _watch["on"] = True
    yield _watch["seen"]
    _watch["on"] = False


def test_no_code_path_opens_the_library_file_while_it_is_open(tmp_path, watched):
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen.\nBob: and DPO on Llama.\n", encoding="utf-8")
    data = tmp_path / "lib"
    first = Library(data)
    second = Library(data)
    first.import_paths([src])
    eid = first.episodes()[0].id
    first.annotate(eid, 0, 5, note_md="a note", tags=["rl"])
    second.search("GRPO")
    assert first.verify() is None
    assert first.daily_backup() is not None
    first.store.backup()
    first.export_annotations("markdown", str(tmp_path / "out.md"))
    first.reindex()
    second.rename_speaker(eid, "Ada", "Ada L.")
    # importing a folder that holds the library itself must not read it either
    first.import_paths([data])
    second.close()
    first.close()
    assert watched == []


def test_the_guard_would_see_a_python_open(tmp_path, watched):
    """The hook is live: a plain `open` of the file during a connection is caught."""
    lib = Library(tmp_path)
    with open(tmp_path / "library.sqlite", "rb") as fh:
        fh.read(16)
    lib.close()
    assert watched and watched[0][0] == "open"
