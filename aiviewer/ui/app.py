"""Starting the desktop app: QApplication, the library (restoring from a backup
when the store is damaged), the window, and the first-start seed import."""

from __future__ import annotations

import gc
import os
import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from aiviewer import __version__, paths
from aiviewer.errors import StoreCorrupt, StoreError
from aiviewer.library import Library

EXIT_AFTER_ENV = "AIVIEWER_EXIT_AFTER_MS"  # tests and benchmarks: quit after N ms


def open_library(data_dir: str) -> Library | None:
    """The library, or None when the user declines to restore a damaged store."""
    try:
        return Library(data_dir)
    except StoreCorrupt as exc:
        backups = list(exc.backups)
        box = QMessageBox(QMessageBox.Icon.Critical, "Library damaged",
                          f"{exc}\n\nThe damaged file is kept aside, never overwritten.")
        restore = None
        if backups:
            restore = box.addButton(f"Restore backup from {os.path.basename(backups[0])}",
                                    QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        if os.environ.get(EXIT_AFTER_ENV):
            print(f"error: {exc}", file=sys.stderr)
            return None
        box.exec()
        if restore is not None and box.clickedButton() is restore:
            Library.restore_backup(data_dir, backups[0])
            return Library(data_dir)
        return None
    except StoreError as exc:
        if not os.environ.get(EXIT_AFTER_ENV):
            QMessageBox.critical(None, "Cannot open the library", str(exc))
        print(f"error: {exc}", file=sys.stderr)
        return None


def settings_for(data_dir: str) -> QSettings:
    """Window state lives next to the library it belongs to, so two libraries
    (or a test's temporary one) never fight over one geometry."""
    return QSettings(os.path.join(data_dir, "window.ini"), QSettings.Format.IniFormat)


def settle_memory() -> None:
    """Once the window is up: what start-up built (Qt wrappers, the catalog, the
    window) lives as long as the app, so keep it out of the cyclic collector, whose
    full passes would otherwise walk it again and again — 25 ms on the GUI thread
    each time in a 6,000-episode library, 9 ms after this."""
    gc.collect()
    gc.freeze()


def run(data_dir: str | None = None) -> int:
    from aiviewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("aiviewer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.aiviewer.Aiviewer")
    directory = str(paths.data_dir(data_dir))
    library = open_library(directory)
    if library is None:
        return 2
    window = MainWindow(library, settings_for(directory))
    window.show()
    if library.is_empty():
        window.start_import([], seeds=True)
    else:
        window.restore_episode()
    exit_after = os.environ.get(EXIT_AFTER_ENV)
    if exit_after:
        QTimer.singleShot(int(exit_after), window.close)
    settle_memory()
    code = app.exec()
    library.close()
    return code
