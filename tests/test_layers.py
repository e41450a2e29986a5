"""The core runs without Qt: importing it with PySide6 blocked must work."""

from __future__ import annotations

import subprocess
import sys

BLOCK_QT = """
import sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is blocked in this test")
sys.meta_path.insert(0, BlockQt())
import aiviewer.library, aiviewer.cli, aiviewer.search, aiviewer.entities
import aiviewer.ingest.detect as d
for m in d.form_modules():
    pass
print("ok")
"""


def test_core_imports_without_pyside6():
    out = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
