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
        said = [bar.currentMessage()]
        bar.messageChanged.connect(said.append)
        # a fresh copy of the library has no backup of today: the check takes one (the
        # start-up re-matching may say something after it: every message is kept)
        qtbot.waitUntil(lambda: "Daily backup saved" in said)
        qtbot.waitUntil(lambda: "episodes" in _line(window).text())
        assert _line(window).isVisible()
        # both on screen, side by side: the message left of the line, not under it
        line = _line(window).geometry()
        bar.showMessage("Daily backup saved", 4000)  # as the check says it
        assert line.width() > 0 and line.left() > bar.fontMetrics().horizontalAdvance(
            "Daily backup saved")
        assert _line(window).isVisible() and bar.currentMessage() == "Daily backup saved"
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


def test_a_failure_stays_until_the_next_message(qtbot, window, monkeypatch):
    """A note that could not be saved goes to the clipboard, and the bar says so until
    something else is said (a timeout of 0) — not for ten seconds the user may miss."""
    bar = window.statusBar()
    shown = []
    real = bar.showMessage
    monkeypatch.setattr(bar, "showMessage",
                        lambda text, ms=0: (shown.append((text, ms)), real(text, ms)))
    window.annotating._keep_typed("my note")
    assert shown == [("Not saved — your note is on the clipboard", 0)]
    assert bar.currentMessage().startswith("Not saved") and _line(window).isVisible()


def test_opening_an_episode_says_no_developer_figures(qtbot, window):
    """Blind review: "… opened in 119 ms" after each open was the developer's figure.
    A normal open says nothing (the title bar names the episode); a failed one says why."""
    bar = window.statusBar()
    said = []
    bar.messageChanged.connect(said.append)
    view = window.library_view.list
    view.setFocus()
    qtbot.waitUntil(lambda: view.hasFocus(), timeout=5000)
    before = window.current_episode
    for _ in range(6):  # down the list, past a show's heading, to another episode
        qtbot.keyClick(view, Qt.Key.Key_Down)
        if window.current_episode != before:
            break
    assert window.current_episode != before
    assert window.windowTitle().startswith(window.reader.episode.title)
    assert not any(" ms" in s or "opened in" in s for s in said), said
    window.episodes.open("no-such-episode")
    assert bar.currentMessage(), "a failed open says why"
