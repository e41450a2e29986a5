"""Faults at the worst moments: a `kill -9` inside a WAL checkpoint, and a disk that
fills during an import.  Each time the library opens afterwards and holds every
write that was reported committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from aiviewer.library import Library
from aiviewer.paths import DB_NAME

# A writer that commits annotations with long notes and checkpoints after each,
# printing the id of every committed one and a line on each side of a checkpoint,
# so the test can kill it between the two.
_WRITER = """
import sys
from aiviewer.library import Library
lib = Library(sys.argv[1])
eid = lib.episodes()[0].id
print("go", flush=True)
i = 0
while True:
    a = lib.annotate(eid, 0, 5, note_md=("note %d " % i) * 40000).value
    print(a.id, flush=True)
    print("checkpoint", flush=True)
    lib.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print("checkpointed", flush=True)
    i += 1
"""


def _seeded(tmp_path):
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen.\nBob: and DPO on Llama.\n" * 20,
                   encoding="utf-8")
    data = tmp_path / "lib"
    with Library(data) as lib:
        lib.import_paths([src])
    return data


def test_kill_9_inside_a_checkpoint_loses_nothing(tmp_path):
    """Repeated until 20 kills landed between "checkpoint" and "checkpointed"."""
    data = _seeded(tmp_path)
    committed: set[str] = set()
    landings = tries = 0
    while landings < 20 and tries < 100:
        tries += 1
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(data)],
                                stdout=subprocess.PIPE, text=True, bufsize=1)
        assert proc.stdout.readline().strip() == "go"
        for _ in range(1 + tries % 2):  # let a commit or two through first
            while (line := proc.stdout.readline().strip()) != "checkpoint":
                if line and line != "checkpointed":
                    committed.add(line)
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read().split()
        proc.wait()
        committed.update(x for x in rest if x not in ("checkpoint", "checkpointed"))
        if "checkpointed" not in rest:
            landings += 1
        with Library(data) as lib:  # SQLite reads it: never "damaged"
            assert lib.verify() is None
            found = {a.id for a in lib.annotations()}
        assert committed <= found
    assert landings >= 20, f"only {landings} kills landed inside a checkpoint in {tries} tries"
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs (root can mount one; otherwise the test is skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_disk_that_fills_during_an_import_then_frees_keeps_every_annotation(
        small_disk, tmp_path):
    data = small_disk / "lib"
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen.\nBob: and DPO on Llama.\n" * 20,
                   encoding="utf-8")
    with Library(data) as lib:
        lib.import_paths([src])
        eid = lib.episodes()[0].id
        made = {lib.annotate(eid, 0, 5, note_md=f"kept {i}").value.id for i in range(20)}
    big = tmp_path / "big"
    big.mkdir()
    for i in range(6):
        words = " ".join(f"w{i}x{j}" for j in range(60_000))
        (big / f"long{i}.txt").write_text(f"Host: {words}\n\nGuest: fine\n", encoding="utf-8")
    filler = small_disk / "filler"
    # room taken by something else while the import fills the disk, and freed with the
    # filler: without it, "the space came back" held only if the files the import
    # committed happened to leave a few pages free (one more file fitting, with no
    # room left at all, made any later write fail however much filler was freed)
    ballast = small_disk / "ballast"
    ballast.write_bytes(b"\0" * 1536 * 1024)
    out = subprocess.run([sys.executable, "-m", "aiviewer", "--data-dir", str(data),
                          "import", str(big)], capture_output=True, text=True)
    assert "Traceback" not in out.stderr
    assert "disk is full" in out.stderr, out.stderr[-2000:]
    # fill what is left, then free it all again
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    out = subprocess.run([sys.executable, "-m", "aiviewer", "--data-dir", str(data), "list"],
                         capture_output=True, text=True)
    assert "damaged" not in out.stderr
    filler.unlink()
    ballast.unlink()
    for cmd in (["list"], ["about"], ["check"]):
        out = subprocess.run([sys.executable, "-m", "aiviewer", "--data-dir", str(data), *cmd],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert "damaged" not in out.stderr + out.stdout
    with Library(data) as lib:
        assert made <= {a.id for a in lib.annotations()}
        lib.annotate(eid, 0, 5, note_md="after the space came back")
