"""The PyInstaller one-folder app: built from the spec, it starts and imports the
bundled seeds with no Python installation behind it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
pytest.importorskip("PyInstaller")


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("frozen")
    _run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
          "--distpath", str(tmp / "dist"), "--workpath", str(tmp / "build"),
          str(REPO / "packaging" / "aiviewer.spec")], cwd=tmp)
    exe = tmp / "dist" / "aiviewer" / "aiviewer"
    assert exe.is_file()
    return exe


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIVIEWER_", "PYTHON", "VIRTUAL_ENV"))}
    return env | {"QT_QPA_PLATFORM": "offscreen", "AIVIEWER_DATA_DIR": str(tmp / "data")}


def test_frozen_app_imports_the_bundled_seeds_and_starts(frozen, tmp_path):
    env = _env(tmp_path)
    assert _run([str(frozen), "--version"], env=env, cwd=tmp_path).stdout.startswith("aiviewer ")
    report = json.loads(_run([str(frozen), "import", "--seeds", "--json"], env=env,
                             cwd=tmp_path).stdout)
    assert report["added"] >= 60
    done = _run([str(frozen)], env=env | {"AIVIEWER_EXIT_AFTER_MS": "1500"}, cwd=tmp_path)
    assert "Traceback" not in done.stderr
