"""A real main window over a real library, driven by key presses (offscreen)."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6.QtWidgets")


@pytest.fixture
def library_dir(tmp_path, seeded_dir):
    target = tmp_path / "lib"
    shutil.copytree(seeded_dir, target)
    return target


def make_window(qtbot, data_dir, **kw):
    """`kw` goes to `MainWindow` (`jobs=SyncJob` runs child jobs synchronously)."""
    from aiviewer.library import Library
    from aiviewer.ui.app import settings_for
    from aiviewer.ui.main_window import MainWindow

    lib = Library(data_dir)
    window = MainWindow(lib, settings_for(str(data_dir)), **kw)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)  # shortcuts need an active window, as on a desktop
    return window


def focused(window):
    """Where a key press goes on a desktop: the focus widget (the window if none)."""
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget() or window


@pytest.fixture
def window(qtbot, library_dir):
    w = make_window(qtbot, library_dir)
    yield w
    w.close()  # as the user quits: tool windows and pending jobs end before the store closes
    w.tasks.wait()
    w.library.close()
