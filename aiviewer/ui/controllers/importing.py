"""Importing transcripts: files, a folder or dropped paths go to an `aiviewer
import` child job; its progress shows in the status bar (with Cancel), the
library list fills as episodes arrive, and the report says what happened."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from aiviewer.changes import Changes
from aiviewer.library import import_changes
from aiviewer.model import ImportOutcome, ImportReport
from aiviewer.ui.controllers import Controller
from aiviewer.ui.dialogs import ImportReportDialog

PROGRESS_DELAY_MS = 400
TRANSCRIPT_FILTER = "Transcripts (*.txt *.md *.vtt *.srt *.json *.html *.htm);;All files (*)"


def import_args(paths: list[str], seeds: bool) -> list[str]:
    return ["import", *paths, *(["--seeds"] if seeds else [])]


def report_from(result: dict) -> ImportReport:
    """The report an `import --json-lines` result describes."""
    return ImportReport([ImportOutcome(**{**f, "added_ids": tuple(f.get("added_ids", ()))})
                         for f in result.get("files", [])],
                        cancelled=bool(result.get("cancelled")))


class ImportingController(Controller):
    def __init__(self, window):
        super().__init__(window)
        self.job = None  # the running import
        self.seeds = False  # the running import is the sample library
        self.last_report: ImportReport | None = None
        self._report_dialog = None
        self._last_refresh = 0.0
        window.cancel_button.clicked.connect(self.cancel)

    def import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.window, "Import transcripts", "",
                                                TRANSCRIPT_FILTER)
        if files:
            self.start(files)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of transcripts")
        if folder:
            self.start([folder])

    def start(self, paths: list[str], seeds: bool = False) -> None:
        if self.job is not None:
            self.say("An import is already running.")
            return
        self.seeds = seeds
        job = self.job = self.window.new_job(import_args(paths, seeds))
        job.progress.connect(self._on_progress)
        job.succeeded.connect(lambda result: self._on_done(report_from(result)))
        job.failed.connect(lambda error: self._on_failed(
            f"The import stopped unexpectedly.\n{error}"))
        # a message until the import's summary replaces it: the library's line stays
        self.say("Importing the sample library…" if seeds else "Importing…", 0)
        self._last_refresh = 0.0
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show_progress)
        job.start()

    def _show_progress(self) -> None:
        if self.job is not None:
            self.window.progress.show()
            self.window.cancel_button.show()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.say("Cancelling after the current file…", 0)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        bar = self.window.progress
        bar.setRange(0, max(total, 1))
        bar.setValue(done)
        bar.setFormat(f"{done}/{total} files")
        now = time.monotonic()
        if done and now - self._last_refresh > 2.0:  # the library fills as episodes arrive
            self._last_refresh = now
            self.window.episodes.refresh_library_later()

    def _ended(self) -> None:
        self.job = None
        self.window.progress.hide()
        self.window.cancel_button.hide()

    def _on_done(self, report: ImportReport) -> None:
        self._ended()
        self.last_report = report
        if self.closing:
            return
        summary = (f"Import: {report.added} added, {report.updated} updated, "
                   f"{report.merged} merged, {len(report.failed)} failed"
                   + (f", {report.edits_unfit} of your turn edits no longer fit"
                      if report.edits_unfit else "")
                   + (" (cancelled)" if report.cancelled else ""))
        # what the user just brought in is what they want to see: the first new episode,
        # opened once the list has it (the sample library opens its newest)
        if report.added_ids and not self.seeds:
            self.window.episodes.open_when_listed(report.added_ids[0], summary)
        # the list (on the reader thread, then the search caches: both at once would
        # share the interpreter) and the open episode follow from the change
        self.publish(import_changes(report))
        self.say(summary, 8000)
        if report.failed or report.edits_unfit:
            self.show_report()
        if self.window.episodes.current is None:
            self.window.episodes.open_first()

    def _on_failed(self, message: str) -> None:
        self._ended()
        if self.closing:
            return
        self.publish(Changes(library=True))  # the files written before it stopped
        self.window.statusBar().clearMessage()  # not "Importing…" under the failure
        QMessageBox.warning(self.window, "Import failed", message)

    def show_report(self) -> None:
        if self.last_report is None:
            self.say("Nothing has been imported in this session.")
            return
        self._report_dialog = ImportReportDialog(self.last_report, self.window)
        self._report_dialog.show()

    def wait(self, ms: int) -> None:
        """Cancel the running import and wait for it to stop (the window closes)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait(ms)
