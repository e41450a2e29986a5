"""Work the window hands to a child process: imports, the start-up re-matching of
entity mentions and entity edits all run an `aiviewer` CLI command with
`--json-lines`.

Parsing a megabyte feed or re-matching every episode is regex work that holds
Python's GIL for long stretches; in a thread that would freeze the window.  A
child keeps the event loop free and writes through its own connection (SQLite
WAL lets the window keep reading).  The child speaks one JSON object a line on
stdout — `{"progress": [done, total, message]}` as it goes, then `{"result":
{...}}` or `{"error": "..."}` — and `ChildJob` turns that into signals.  Cancel
is SIGTERM, which the CLI import turns into "stop now, roll back the current
file".  `SyncJob` runs the same command and returns when it has finished, for
tests that want no event-loop polling.
"""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import QObject, QProcess, Signal


def cli_command(data_dir: str, args: list[str]) -> tuple[str, list[str]]:
    """Program and arguments that run an `aiviewer` CLI command (frozen app or Python)."""
    args = ["--data-dir", data_dir, *args]
    if getattr(sys, "frozen", False):
        return sys.executable, args
    return sys.executable, ["-m", "aiviewer", *args]


def read_lines(buffer: bytes) -> tuple[list[tuple[str, object]], bytes]:
    """The complete protocol lines in `buffer` as (kind, value) pairs — kind is
    "progress", "result" or "error" — and the incomplete rest.  Anything else on
    stdout (a stray print) is skipped."""
    *lines, rest = buffer.split(b"\n")
    events: list[tuple[str, object]] = []
    for raw in lines:
        try:
            obj = json.loads(raw)
        except ValueError:
            continue
        if isinstance(obj, dict) and len(obj) == 1:
            [(kind, value)] = obj.items()
            if kind == "progress" and isinstance(value, list) and len(value) == 3:
                events.append((kind, (int(value[0]), int(value[1]), str(value[2]))))
            elif kind in ("result", "error"):
                events.append((kind, value))
    return events, rest


def failure_text(error: str | None, stderr: bytes, code: int) -> str:
    """What to tell the user when a child ended without a result."""
    if error:
        return str(error)
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return "\n".join(lines[-8:]) or f"exit status {code}"


class _Job(QObject):
    """The signals and bookkeeping both runners share."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)  # the result object
    failed = Signal(str)  # what went wrong, for the user
    finished = Signal()  # after succeeded or failed

    def __init__(self, data_dir: str, args: list[str], parent=None):
        super().__init__(parent)
        self.program, self.args = cli_command(data_dir, [*args, "--json-lines"])
        self.result: object = None
        self.error: str | None = None
        self._stdout = b""

    def _feed(self, data: bytes) -> None:
        events, self._stdout = read_lines(self._stdout + data)
        for kind, value in events:
            if kind == "progress":
                self.progress.emit(*value)
            elif kind == "result":
                self.result = value
            else:
                self.error = str(value)

    def _end(self, code: int, stderr: bytes) -> None:
        self._feed(b"\n")
        if self.result is not None:
            self.succeeded.emit(self.result)
        else:
            self.error = failure_text(self.error, stderr, code)
            self.failed.emit(self.error)
        self.finished.emit()


class ChildJob(_Job):
    """`aiviewer ARGS --json-lines` as a child process, reporting by signal."""

    def __init__(self, data_dir: str, args: list[str], parent=None):
        super().__init__(data_dir, args, parent)
        self.process = QProcess(self)
        self.process.setProgram(self.program)
        self.process.setArguments(self.args)
        self.process.readyReadStandardOutput.connect(self._read_output)
        self.process.finished.connect(self._on_finished)
        self.process.errorOccurred.connect(self._on_error)
        self._ended = False

    def _read_output(self) -> None:
        # output can still arrive while the window that owned the job is being torn down
        # (its QProcess already deleted): there is nothing left to report it to
        import shiboken6

        if shiboken6.isValid(self.process):
            self._feed(bytes(self.process.readAllStandardOutput()))

    @property
    def running(self) -> bool:
        return not self._ended

    def start(self) -> None:
        self.process.start()

    def cancel(self) -> None:
        """SIGTERM: the CLI stops at once, keeping what it had committed."""
        self.process.terminate()

    def wait(self, ms: int = 60000) -> bool:
        """Block until the child has ended (its signals delivered); False on timeout."""
        if not self._ended:
            self.process.waitForFinished(ms)
        return self._ended

    def _on_finished(self, code: int, status) -> None:
        if self._ended:
            return
        self._ended = True
        self._feed(bytes(self.process.readAllStandardOutput()))
        self._end(code, bytes(self.process.readAllStandardError()))

    def _on_error(self, error) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self._ended:
            self._ended = True
            self.error = f"Could not start {self.program}."
            self.failed.emit(self.error)
            self.finished.emit()


class SyncJob(_Job):
    """The same command, run to its end inside `start()`: every signal has been
    emitted when `start()` returns.  For tests (`MainWindow(..., jobs=SyncJob)`)."""

    running = False

    def start(self) -> None:
        done = subprocess.run([self.program, *self.args], capture_output=True)
        self._feed(done.stdout)
        self._end(done.returncode, done.stderr)

    def cancel(self) -> None:
        """Nothing to stop: the command has already run to its end in `start()`."""

    def wait(self, ms: int = 60000) -> bool:
        return True


def run_job(data_dir: str, args: list[str]) -> object:
    """Run a CLI command synchronously; its result, or RuntimeError with the failure."""
    job = SyncJob(data_dir, args)
    job.start()
    if job.error is not None:
        raise RuntimeError(job.error)
    return job.result
