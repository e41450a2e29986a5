"""A real main window over a real library, driven by key presses (offscreen)."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6.QtWidgets")

# A wait for the window's background work (a reader thread, a child job, a paint that
# follows another) is given at least this long: it returns as soon as its condition
# holds, so a passing test costs no more, and on a busy 2-core machine (CI beside a
# CPU hog, load 7) a 3-second wait for an outline filled on the reader thread ran out.
WAIT_AT_LEAST_MS = 20_000


@pytest.fixture(autouse=True)
def _patient_waits(monkeypatch):
    from pytestqt.qtbot import QtBot

    real = QtBot.waitUntil

    def wait_until(self, callback, *, timeout=5000):
        return real(self, callback, timeout=max(timeout, WAIT_AT_LEAST_MS))
    monkeypatch.setattr(QtBot, "waitUntil", wait_until)


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
