"""The importer's in-memory fingerprint index (`Library._fingerprints`) in the real
situation: the CLI importing beside a library open in this process, an undo, a
file whose transaction failed.  A stale index would miss a copy another process
stored (a duplicate episode) or point at one it removed."""

from __future__ import annotations

import os
import random
import subprocess
import sys

from aiviewer.errors import StoreError
from aiviewer.library import Library
from aiviewer.store import importing as importing_q

_WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "su", "ta", "vo", "ri")
          for b in ("bar", "del", "fin", "gos", "hul", "jam", "kep", "lun")]


def _talk(seed: int) -> str:
    rng = random.Random(seed)
    lines = []
    for i in range(40):
        who = "Ada" if i % 2 else "Grace"
        lines.append(f"{who}: " + " ".join(rng.choice(_WORDS) for _ in range(30)) + ".")
    return "\n\n".join(lines) + "\n"


def _write(path, seed):
    path.write_text(_talk(seed), encoding="utf-8")
    return path


def _cli(data, *args):
    env = {**os.environ, "AIVIEWER_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "aiviewer", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_copy_the_cli_stored_beside_the_library_is_found(tmp_path):
    data = tmp_path / "lib"
    with Library(data) as lib:
        lib.import_paths([_write(tmp_path / "one.txt", 1)])
        assert lib.counts()["episodes"] == 1
        # another process stores a second talk while this library holds its index
        done = _cli(data, "import", str(_write(tmp_path / "two.txt", 2)))
        assert done.returncode == 0, done.stderr
        assert lib.counts()["episodes"] == 2
        # a copy of the CLI's talk under another name folds into the CLI's episode
        report = lib.import_paths([_write(tmp_path / "two again.txt", 2)]).value
        assert lib.counts()["episodes"] == 2, report
        assert report.outcomes[0].episodes_merged == 1


def test_an_episode_removed_and_put_back_by_undo_is_found_again(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([_write(tmp_path / "one.txt", 1)])
        eid = lib.episodes()[0].id
        lib.remove_episode(eid)
        lib.undo()
        assert lib.counts()["episodes"] == 1
        lib.import_paths([_write(tmp_path / "copy.txt", 1)])
        assert [e.id for e in lib.episodes()] == [eid]


def test_a_failed_file_leaves_no_trace_in_the_index(tmp_path, monkeypatch):
    with Library(tmp_path / "lib") as lib:
        real = importing_q.apply

        def fail_after_writing(*args, **kwargs):
            real(*args, **kwargs)  # the index is kept up, then the transaction fails
            raise StoreError("disk full (test)")

        monkeypatch.setattr(importing_q, "apply", fail_after_writing)
        report = lib.import_paths([_write(tmp_path / "one.txt", 1)]).value
        assert report.failed and lib.counts()["episodes"] == 0
        monkeypatch.setattr(importing_q, "apply", real)
        # were the rolled-back episode still indexed, this copy would be matched to it
        report = lib.import_paths([_write(tmp_path / "copy.txt", 1)]).value
        assert lib.counts()["episodes"] == 1 and report.outcomes[0].episodes_added == 1


def test_a_copy_of_a_removed_episode_comes_back_as_a_new_one(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([_write(tmp_path / "one.txt", 1)])
        lib.remove_episode(lib.episodes()[0].id)
        report = lib.import_paths([_write(tmp_path / "copy.txt", 1)]).value
        assert lib.counts()["episodes"] == 1 and report.outcomes[0].episodes_added == 1
