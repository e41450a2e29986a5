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
from aiviewer.library import Library, library_error
from aiviewer.ui.tasks import close_thread_libraries

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
            return restore_and_open(data_dir, backups[0])
        return None
    except StoreError as exc:
        if not os.environ.get(EXIT_AFTER_ENV):
            QMessageBox.critical(None, "Cannot open the library", str(exc))
        print(f"error: {exc}", file=sys.stderr)
        return None


def restore_and_open(data_dir: str, backup: str) -> Library | None:
    """Restore `backup` with the damaged file's readable data merged in, say what
    was brought back, and open the result."""
    try:
        result = Library.restore_backup(data_dir, backup)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if not os.environ.get(EXIT_AFTER_ENV):
            QMessageBox.critical(None, "Cannot restore the backup", str(exc))
        return None
    print(result, file=sys.stderr)
    if not os.environ.get(EXIT_AFTER_ENV):
        QMessageBox.information(None, "Library restored", str(result))
    return open_library(data_dir)


def install_error_hook() -> None:
    """An error nobody caught in a slot must not pass silently: a library error is
    shown to the user (it names the file); anything else is printed as before."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        if library_error(value) is not None:
            print(f"error: {value}", file=sys.stderr)
            if not os.environ.get(EXIT_AFTER_ENV) and QApplication.instance() is not None:
                QMessageBox.critical(QApplication.activeWindow(), "Library error", str(value))
            return
        previous(kind, value, tb)
    sys.excepthook = hook


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
    install_error_hook()
    directory = str(paths.data_dir(data_dir))
    library = open_library(directory)
    while library is not None:
        window = MainWindow(library, settings_for(directory))
        window.show()
        if library.is_empty() and not library.read_only:
            window.start_import([], seeds=True)
        else:  # once the window is on the screen, as the rest of the start-up
            window.first_paint.then(window.restore_episode, first=True)
        exit_after = os.environ.get(EXIT_AFTER_ENV)
        if exit_after:
            QTimer.singleShot(int(exit_after), window.close)
        window.first_paint.then(settle_memory)
        code = app.exec()
        restore = window.restore_requested
        close_thread_libraries()
        library.close()
        if not restore:
            return code
        found = library.backups()
        window.deleteLater()
        library = restore_and_open(directory, str(found[0])) if found else open_library(directory)
    return 2
