"""Every change the window makes goes through `save`: it says "saved" only after
the library committed it, and when a write fails it says so in a dialog that
names the library file and what happened, with what can be done about it —
try again, restore the newest backup, show the file — instead of a message in
the status bar that is gone in three seconds, or a traceback on a terminal
nobody reads.  A committed mutation's `Changes` go to the window's one signal
(`ui/changes_hub.py`), from which every view redraws, so what the window shows
is what is really stored."""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog, QWidget

from aiviewer.errors import StoreBusy, StoreCorrupt, StoreError, StoreFull, StoreReadOnly

T = TypeVar("T")

NOT_SAVED = "Not saved"
WINDOW_WAIT_MS = 300  # how long a window write waits for a lock before showing it waits
RETRY_EVERY_MS = 250


def _what_happened(exc: StoreError) -> tuple[str, str]:
    """(what went wrong, what to do), in the user's words; the store's own message
    for anything else."""
    if isinstance(exc, StoreFull):
        return "the disk is full", "Free some space on the disk, then click Try Again."
    if isinstance(exc, StoreReadOnly):
        return ("the library file cannot be written",
                "Make the library file and its folder writable, then click Try Again.")
    if isinstance(exc, StoreCorrupt):
        return ("the library file is damaged",
                "Nothing more is written to it. Restoring the newest backup keeps "
                "everything that can still be read from the damaged file.")
    if isinstance(exc, StoreBusy):
        return ("another program kept the library busy", "Click Try Again in a moment.")
    return "the library could not be written", f"{exc}"


def failure_box(parent: QWidget | None, what: str, exc: StoreError, path: str,
                can_restore: bool) -> QMessageBox:
    happened, advice = _what_happened(exc)
    box = QMessageBox(QMessageBox.Icon.Critical, NOT_SAVED,
                      f"{what} was not saved: {happened}.", parent=parent)
    box.setObjectName("write-failure")
    box.setInformativeText(f"Nothing in your library changed. {advice}\n\n"
                           f"Library file: {path}")
    retry = box.addButton("Try Again", QMessageBox.ButtonRole.AcceptRole)
    retry.setObjectName("retry")
    box.setDefaultButton(retry)
    if can_restore and isinstance(exc, StoreCorrupt):  # never for a full disk
        box.addButton("Restore Newest Backup…", QMessageBox.ButtonRole.DestructiveRole
                      ).setObjectName("restore")
    box.addButton("Show Library File", QMessageBox.ButtonRole.HelpRole
                  ).setObjectName("reveal")
    box.addButton("Discard Change", QMessageBox.ButtonRole.RejectRole).setObjectName("close")
    return box


def _main_window(widget: QWidget) -> QWidget:
    """The main window (the one that can restore), also from a tool window of it."""
    w = widget.window()
    while not hasattr(w, "request_restore") and w.parentWidget() is not None:
        w = w.parentWidget().window()
    return w


def save(parent: QWidget, what: str, fn: Callable[[], T],
         initiator: object = None) -> tuple[bool, T | None]:
    """Run the write `fn`; (True, result) once committed, (False, None) when the user
    gave up after a failure.  `what` names the change ("The tag “RL”").  A result that
    is `Changes` is published to the window's views, naming `initiator`."""
    window = _main_window(parent)
    library = getattr(window, "library", None)
    path = str(library.db_path) if library is not None else ""
    waiting: QProgressDialog | None = None
    try:
        while True:
            try:
                result = fn()
            except StoreBusy:
                # an import (or another aiviewer) is writing: wait where the user can
                # see it, keep their change, and save it the moment the lock is free
                if waiting is None:
                    waiting = _waiting_dialog(parent, what)
                if not _wait_a_moment(waiting):
                    return False, None
                continue
            except StoreError as exc:
                if waiting is not None:
                    waiting.close()
                    waiting = None
                if not _failed(window, parent, what, exc, library, path):
                    return False, None
                continue
            if waiting is not None:
                waiting.close()
                waiting = None
            hub = getattr(window, "changes_hub", None)
            if hub is not None:
                hub.publish(result, initiator)
            return True, result
    finally:
        if waiting is not None:
            waiting.close()


def _waiting_dialog(parent: QWidget, what: str) -> QProgressDialog:
    dialog = QProgressDialog("", "Discard Change", 0, 0, parent)
    label = QLabel(f"<b>Waiting to save {escape(what[0].lower() + what[1:])}</b><br><br>"
                   "An import is writing to the library. Your change is kept and is saved "
                   "as soon as the import lets go of the library.")
    label.setWordWrap(True)
    label.setMinimumWidth(380)
    dialog.setLabel(label)
    dialog.setObjectName("waiting-for-writer")
    dialog.setWindowTitle("Waiting to save")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.show()
    return dialog


def _wait_a_moment(dialog: QProgressDialog) -> bool:
    """Let the window run for a moment; False when the user cancelled."""
    loop = QEventLoop()
    QTimer.singleShot(RETRY_EVERY_MS, loop.quit)
    loop.exec()
    return not dialog.wasCanceled()


def _failed(window, parent, what, exc, library, path) -> bool:
    """Show the failure; True when the user wants to try again."""
    status = getattr(window, "statusBar", None)
    if status is not None:
        status().clearMessage()
    backups = library.backups() if library is not None else []
    restore = getattr(window, "request_restore", None)
    box = failure_box(parent, what, exc, path, bool(backups) and restore is not None)
    box.exec()
    chosen = box.clickedButton()
    name = chosen.objectName() if chosen is not None else "close"
    if name == "retry":
        return True
    if name == "reveal" and path:
        QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(path)))
    if name == "restore" and restore is not None:
        restore()
    return False
