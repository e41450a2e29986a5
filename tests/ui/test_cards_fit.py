"""Annotation cards made while their tab is hidden wrap to the width the panel gets
when it is shown (they used to keep the hidden list's width and clip their text)."""

from __future__ import annotations


def test_cards_made_in_a_hidden_tab_fit_once_shown(qtbot, window):
    ross = next(e for e in window.library.episodes() if e.form == "apppage")
    window.resize(1280, 720)
    window.side.setCurrentWidget(window.entities)  # the annotations tab hidden
    text = window.library.episode(ross.id).text
    at = text.find("Papers with Code")
    window.library.annotate(ross.id, at, at + 200, note_md="a note long enough to wrap " * 4)
    window.open_episode(ross.id)
    window.side.setCurrentWidget(window.annotation_panel)
    panel = window.annotation_panel.list
    qtbot.waitUntil(lambda: panel.count() > 0 and panel.isVisible())
    room = panel.viewport().width()
    for i in range(panel.count()):
        label = panel.itemWidget(panel.item(i))
        qtbot.waitUntil(lambda lab=label: lab.width() <= room, timeout=3000)
        assert label.heightForWidth(label.width()) <= label.height() + 2
