"""The bar over a transcript whose speakers have only a transcriber's labels: it names
them, a button per speaker opens its rename (as F2 does), and it goes once every speaker has a
name — or for the episode when closed.  A blind review read "Speaker 1" and "Speaker 2"
through the Lex Fridman episode with no hint that they could be named."""

from __future__ import annotations

from modal import when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from aiviewer.ui.views.speaker_bar import unnamed_labels

LEX = "yt-EV7WhVT270Q"


def _name(qtbot, name: str) -> None:
    def answer():
        dialog = QApplication.activeModalWidget()
        edit = dialog.findChild(QComboBox).lineEdit()
        edit.selectAll()
        qtbot.keyClicks(edit, name)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    when_modal(answer)


def test_the_bar_names_the_unnamed_speakers_until_they_have_names(qtbot, window):
    window.episodes.open(LEX)
    bar = window.reader.speaker_bar
    ep = window.reader.episode
    labels = unnamed_labels(ep)
    assert labels[:2] == ["Speaker 1", "Speaker 2"]
    assert bar.isVisible() and "Speaker 1 and Speaker 2 have no name yet" in bar.text.text()
    shown = [b.text() for b in bar.buttons if b.isVisible()]
    assert "F2" in bar.text.text() and shown == [f"Name {x}…" for x in labels[:3]]
    window.resize(1280, 720)  # the narrowest window the app is made for: one line
    qtbot.waitUntil(lambda: bar.text.height() < 2 * bar.text.fontMetrics().height())
    # the second speaker's button names the second speaker
    _name(qtbot, "Nathan Lambert")
    qtbot.mouseClick(bar.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.reader.episode.speaker_names.get("Speaker 2")
                    == "Nathan Lambert")
    assert bar.isVisible() and bar.buttons[0].text() == "Name Speaker 1…"
    assert not bar.buttons[1].isVisible() and "Speaker 1 has no name yet" in bar.text.text()
    _name(qtbot, "Lex Fridman")
    window.reader.view.setFocus()
    bar.buttons[0].click()
    qtbot.waitUntil(lambda: not bar.isVisible())
    assert window.reader.episode.speaker_names.get("Speaker 1") == "Lex Fridman"
    # undone, the label is back and so is the bar
    window.actions_by_id["undo"].trigger()  # Edit ▸ Undo (Ctrl+Z)
    qtbot.waitUntil(lambda: unnamed_labels(window.reader.episode) == ["Speaker 1"])
    assert bar.isVisible() and bar.buttons[0].text() == "Name Speaker 1…"


def test_closed_it_stays_closed_for_that_episode_only(qtbot, window):
    window.episodes.open(LEX)
    bar = window.reader.speaker_bar
    assert bar.isVisible()
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    named = next(e for e in window.library.episodes() if e.id != LEX
                 and not unnamed_labels(window.library.episode(e.id)))
    window.episodes.open(named.id)
    assert not bar.isVisible()  # every speaker named (or none): nothing to say
    window.episodes.open(LEX)
    assert not bar.isVisible()


def test_the_bar_follows_the_theme(qtbot, window):
    """It was drawn in fixed colours chosen when shown: after a switch to the dark theme
    it stayed a light band under the dark theme's light text (screenshot review)."""
    from PySide6.QtGui import QPalette

    window.episodes.open(LEX)
    bar = window.reader.speaker_bar
    for theme, dark in (("dark", True), ("light", False), ("dark", True)):
        window.apply_theme(theme)
        image = bar.grab().toImage()
        back = image.pixelColor(4, 4)  # a corner: the band itself
        text = bar.text.palette().color(QPalette.ColorRole.WindowText)
        assert (back.lightness() < 128) == dark, theme
        assert abs(back.lightness() - text.lightness()) > 100, theme
