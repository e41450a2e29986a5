"""Answering a modal dialog from a test, whatever the machine's load.

A dialog's `exec()` blocks the test until something closes it.  A fixed
`QTimer.singleShot(150, answer)` fired before the dialog had opened on a busy
2-core machine, found no dialog, and the test then waited in `exec()` for ever.
`when_modal` polls until a modal dialog is up, then answers it once."""

from __future__ import annotations

import time

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

_alive: list[QTimer] = []  # a timer must outlive the function that started it


def when_modal(answer, timeout_s: float = 60.0, interval_ms: int = 20) -> QTimer:
    """Call `answer()` once a modal dialog is open and visible (it finds the dialog
    with `QApplication.activeModalWidget()`).  Returns the polling timer: stop it
    when no dialog may come after all."""
    timer = QTimer()
    timer.setInterval(interval_ms)
    give_up = time.monotonic() + timeout_s

    def tick() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            if time.monotonic() > give_up:
                timer.stop()
            return
        timer.stop()
        # keys meant for a shortcut of the dialog (Ctrl+Enter) only reach it once it is
        # the active window, which lags behind `exec()` on a loaded machine
        dialog.activateWindow()
        wait = QElapsedTimer()
        wait.start()
        while not dialog.isActiveWindow() and wait.elapsed() < 10_000:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        answer()
        # an answer that did not close it fails the test instead of hanging it
        QTimer.singleShot(30_000, lambda: _close_if_open(dialog))

    timer.timeout.connect(tick)
    timer.start()
    _alive[:] = [t for t in _alive if t.isActive()] + [timer]
    return timer


def _close_if_open(dialog) -> None:
    """Reject a dialog the answer left open (it may long be deleted by then)."""
    import shiboken6

    if shiboken6.isValid(dialog) and dialog.isVisible():
        dialog.reject()
