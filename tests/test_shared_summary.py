"""A fresh clone has no ../shared: the checks that need it say so in one line at the end."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).resolve().parent / "conftest.py"


def test_checks_needing_shared_are_counted_in_one_summary_line(tmp_path):
    tests = tmp_path / "repo" / "tests"  # no tmp_path / "shared" beside it
    tests.mkdir(parents=True)
    shutil.copy(CONFTEST, tests / "conftest.py")
    (tests / "test_needs_shared.py").write_text(
        "def test_a(corpus_dir):\n    pass\n\n"
        "def test_b(corpus_dir):\n    pass\n\n"
        "def test_c(shared_file):\n    shared_file('refi-qda/Project.xsd', 'REFI-QDA schema')\n\n"
        "def test_d():\n    pass\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tests)], cwd=tmp_path / "repo", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if "did not run" in line]
    assert lines == [f"3 checks did not run: ../shared is absent (corpus transcripts, "
                     f"REFI-QDA schema); put the shared folder beside the repository "
                     f"({tmp_path / 'shared'}) to run them"], done.stdout
