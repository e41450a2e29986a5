"""The README documents every command and every keyboard shortcut the app has."""

from __future__ import annotations

from pathlib import Path

from aiviewer.cli import COMMANDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme():
    missing = [name for name in COMMANDS if f"`aiviewer {name}" not in README]
    assert not missing, missing


def test_every_shortcut_is_in_the_readme():
    import pytest

    pytest.importorskip("PySide6")
    from aiviewer.ui.actions import ACTIONS

    missing = [f"{a.id}: {a.keys}" for a in ACTIONS
               if a.keys and not any(k in README or k.lower() in README for k in a.keys)]
    assert not missing, missing


def test_readme_screenshots_exist():
    import re

    root = Path(__file__).resolve().parents[1]
    images = re.findall(r"\]\((resources/screenshots/[^)]+\.png)\)", README)
    assert len(images) >= 6
    assert all((root / i).is_file() for i in images)
