"""The wheel is what users install: built, installed into a fresh venv, and run
from there (version, the bundled seeds, an offscreen GUI start)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with only the built wheel (and its dependencies) installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    # Build from a copy of the tracked files, as a release would, not from a dirty tree.
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (REPO / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, src / name)
    _run([sys.executable, "-m", "build", "--outdir", str(tmp / "dist"), str(src)])
    wheel = next((tmp / "dist").glob("aiviewer-*.whl"))
    assert next((tmp / "dist").glob("aiviewer-*.tar.gz"))
    venv.create(tmp / "venv", with_pip=True)
    _run([str(tmp / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
    return tmp


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIVIEWER_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["AIVIEWER_DATA_DIR"] = str(tmp / "data")
    return env


def test_installed_wheel_reports_its_version(installed):
    out = _run([str(installed / "venv" / "bin" / "aiviewer"), "--version"],
               env=_env(installed), cwd=installed).stdout
    from aiviewer import __version__
    assert out.strip() == f"aiviewer {__version__}"


def test_installed_wheel_imports_the_bundled_seeds(installed):
    exe = str(installed / "venv" / "bin" / "aiviewer")
    out = _run([exe, "import", "--seeds", "--json"], env=_env(installed), cwd=installed).stdout
    report = json.loads(out)
    assert report["added"] >= 60
    assert all(f["status"] != "failed" for f in report["files"])
    listed = json.loads(_run([exe, "list", "--json"], env=_env(installed),
                             cwd=installed).stdout)
    assert len(listed["episodes"]) == report["added"]


def test_installed_wheel_starts_the_gui_offscreen(installed):
    env = _env(installed) | {"AIVIEWER_EXIT_AFTER_MS": "1500"}
    done = _run([str(installed / "venv" / "bin" / "aiviewer")], env=env, cwd=installed)
    assert "Traceback" not in done.stderr
