"""Imports run in a child process (`aiviewer import --json --progress-lines`).

Parsing a megabyte feed is regex work that holds Python's GIL for long
stretches; in a thread that would freeze the window for a second at a time.  A
child process keeps the event loop free, writes through its own connection
(SQLite WAL lets the app keep reading), and Cancel is SIGTERM, which the CLI
turns into "stop after the current file" — each file being one transaction,
even a hard kill leaves the store consistent.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QObject, QProcess, Signal

from aiviewer.model import ImportOutcome, ImportReport


def cli_command(data_dir: str, args: list[str]) -> tuple[str, list[str]]:
    """Program and arguments that run an `aiviewer` CLI command (frozen app or Python)."""
    args = ["--data-dir", data_dir, *args]
    if getattr(sys, "frozen", False):
        return sys.executable, args
    return sys.executable, ["-m", "aiviewer", *args]


def command(data_dir: str, paths: list[str], seeds: bool) -> tuple[str, list[str]]:
    """The CLI import of `paths` (and the bundled seeds)."""
    return cli_command(data_dir, ["import", "--json", "--progress-lines", *paths,
                                  *(["--seeds"] if seeds else [])])


class ImportProcess(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object, str)  # ImportReport or None, error message

    def __init__(self, data_dir: str, paths: list[str], seeds: bool = False, parent=None):
        super().__init__(parent)
        self.process = QProcess(self)
        self._stderr = b""
        self._errors: list[str] = []
        program, args = command(data_dir, paths, seeds)
        self.process.setProgram(program)
        self.process.setArguments(args)
        self.process.readyReadStandardError.connect(self._on_stderr)
        self.process.finished.connect(self._on_finished)
        self.process.errorOccurred.connect(self._on_error)

    def start(self) -> None:
        self.process.start()

    def cancel(self) -> None:
        self.process.terminate()

    def wait(self, ms: int = 60000) -> None:
        self.process.waitForFinished(ms)

    def _on_stderr(self) -> None:
        self._stderr += bytes(self.process.readAllStandardError())
        *lines, self._stderr = self._stderr.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace")
            if line.startswith("progress "):
                parts = line.split(" ", 3)
                try:
                    self.progress.emit(int(parts[1]), int(parts[2]),
                                       parts[3] if len(parts) > 3 else "")
                except (ValueError, IndexError):
                    continue
            elif line.strip() and not line.startswith("error: "):
                self._errors.append(line)

    def _on_finished(self, code: int, status) -> None:
        self._on_stderr()
        out = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        try:
            data = json.loads(out)
        except json.JSONDecodeError:
            detail = "\n".join(self._errors[-8:]) or f"exit status {code}"
            self.finished.emit(None, f"The import stopped unexpectedly.\n{detail}")
            return
        report = ImportReport([ImportOutcome(**f) for f in data.get("files", [])],
                              cancelled=bool(data.get("cancelled")))
        self.finished.emit(report, "")

    def _on_error(self, error) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.finished.emit(None, f"Could not start the importer ({self.process.program()}).")
