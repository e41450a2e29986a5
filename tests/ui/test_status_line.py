"""The status bar's library line stays while messages come and go (blind review of
the screenshots: "Daily backup saved" had replaced "64 episodes · 2 shows")."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import make_window


def _line(window):
    return window.status_label


def test_the_daily_backup_message_sits_beside_the_library_line(qtbot, library_dir):
    window = make_window(qtbot, library_dir)
    try:
        bar = window.statusBar()
        # a fresh copy of the library has no backup of today: the check takes one
        qtbot.waitUntil(lambda: bar.currentMessage() == "Daily backup saved")
        assert "episodes" in _line(window).text()
        assert _line(window).isVisible()
        # both on screen, side by side: the message left of the line, not under it
        line = _line(window).geometry()
        assert line.width() > 0 and line.left() > bar.fontMetrics().horizontalAdvance(
            "Daily backup saved")
    finally:
        window.close()
        window.tasks.wait()
        window.library.close()


def test_a_message_from_a_key_leaves_the_library_line_visible(qtbot, window):
    qtbot.waitUntil(lambda: "episodes" in _line(window).text())
    summary = _line(window).text()
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Reading column"))
    assert _line(window).isVisible() and _line(window).text() == summary


def test_a_failure_stays_until_the_next_message(qtbot, window):
    """A note that could not be saved goes to the clipboard, and the bar says so until
    something else is said — not for a few seconds that the user may miss."""
    window.annotating._keep_typed("my note")
    bar = window.statusBar()
    assert bar.currentMessage().startswith("Not saved")
    qtbot.wait(50)
    assert bar.currentMessage().startswith("Not saved")
    assert _line(window).isVisible()
