"""User data survives other processes: a kill -9 right after "saved", and two
processes annotating the same library at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from aiviewer.library import Library

TEXT = "\n".join(f"Ada: sentence number {i} about GRPO and reward models.\n"
                 f"Bob: reply number {i} about DPO and preferences." for i in range(60))

WRITER = r"""
import sys, time
from aiviewer.library import Library
lib = Library(sys.argv[1])
[ep] = lib.episodes()
text = lib.episode(ep.id).text
who, n = sys.argv[2], int(sys.argv[3])
for i in range(n):
    quote = f"number {i} about"
    at = text.find(quote)
    a = lib.annotate(ep.id, at, at + len(quote), note_md=f"{who} {i}", tags=[who]).value
    print("saved", a.id, flush=True)
if len(sys.argv) > 4:
    time.sleep(60)  # stay alive until killed
"""


@pytest.fixture
def library(tmp_path):
    src = tmp_path / "talk.txt"
    src.write_text(TEXT, encoding="utf-8")
    with Library(tmp_path / "lib") as lib:
        assert not lib.import_paths([src]).value.failed
    return tmp_path / "lib"


def test_kill_9_right_after_saved_loses_nothing(library):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(library), "killed", "5", "wait"],
                            stdout=subprocess.PIPE, text=True)
    saved = []
    deadline = time.monotonic() + 60
    while len(saved) < 5 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("saved "):
            saved.append(line.split()[1])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(saved) == 5
    with Library(library) as lib:
        assert lib.store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for aid in saved:
            assert lib.annotation(aid).tags == ("killed",)


def test_two_processes_annotating_at_once_keep_everything(library):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(library), who, "40"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who in ("first", "second")]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err[-2000:]
    ids = {line.split()[1] for out, _ in outs for line in out.splitlines()
           if line.startswith("saved ")}
    assert len(ids) == 80
    with Library(library) as lib:
        stored = {a.id for a in lib.annotations()}
        assert ids <= stored
        assert {t.name: t.count for t in lib.tags()} == {"first": 40, "second": 40}
