"""The side panel's counts and key hints at 1280 and 1920 px: "222 entities in this
episode — N / Shift+N step through the selected one's mentions" and "15 suggestions
(26 places) — Enter confirms, Delete rejects (Y / X in the reader)" wrapped onto
two or three lines at 1280 (blind screenshot review).  The count keeps its line and
the keys get one of their own, worded to fit, the full wording in the tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from aiviewer.ui.views.key_hint import KeyHint, plain


def _one_line(label) -> bool:
    """Drawn on one line: its text as wide as the label at most, and its height a
    line's (a wrapping label grows with its lines)."""
    text = plain(label.text())
    line = label.fontMetrics().height()
    return (label.fontMetrics().horizontalAdvance(text) <= label.contentsRect().width()
            and label.height() < 2 * line)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_counts_and_key_hints_stay_on_one_line_each(qtbot, window, size):
    window.resize(*size)
    busiest = max(window.library.episodes(),
                  key=lambda e: len(window.library.episode_entities(e.id)))
    window.open_episode(busiest.id)
    window.side.setCurrentWidget(window.entities)
    panel = window.entities
    suggestions = panel.suggestion_list
    suggestions.flush()
    qtbot.waitUntil(lambda: panel.keys.isVisible() and suggestions.keys.isVisible())
    qtbot.wait(50)  # the labels' layout after the tab is shown
    count = len(window.library.episode_entities(busiest.id))
    assert panel.info.text() == f"{count} entities in this episode"
    assert suggestions.heading.text().startswith(f"<b>{suggestions.count()} suggestions</b> · ")
    for label in (panel.info, panel.keys, suggestions.heading, suggestions.keys):
        assert _one_line(label), (size, label.text(), label.width())
    # one wording at every width (blind review: "Del rejects" at 1280 and "Delete
    # rejects (Y / X in the reader)" at 1920 read as two different instructions)
    assert plain(panel.keys.text()) == "N / Shift+N: next / previous mention"
    assert plain(suggestions.keys.text()) == "Enter confirms · Del rejects"
    # the short wordings lose nothing: the tooltips say it in full
    assert "N / Shift+N" in panel.keys.toolTip()
    tip = suggestions.keys.toolTip()
    assert all(k in tip for k in ("Enter confirms", "Delete rejects", "Y confirms", "X rejects"))
    # a real key: N steps to the selected entity's first mention; the hint stays
    first = panel.tree.topLevelItem(0).child(0)
    panel.tree.setCurrentItem(first)
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_N)
    assert " of " in panel.info.text()
    assert panel.keys.isVisible() and _one_line(panel.keys)


def test_the_panel_hints_have_one_wording_for_both_window_widths(qtbot, window):
    for hint in (window.entities.keys, window.entities.suggestion_list.keys):
        shown = set()
        for width in (257, 417, 600):  # the side panel at 1280 and 1920 px, and wider
            hint.resize(width, 30)
            shown.add(hint.text())
        assert shown == {hint.variants[0]}, shown


def test_a_narrower_panel_shows_a_shorter_wording(qtbot):
    hint = KeyHint(["<b>Enter</b> confirms, <b>Delete</b> rejects (<b>Y</b> / <b>X</b> in the "
                    "reader)", "<b>Enter</b> / <b>Del</b>: confirm / reject"])
    qtbot.addWidget(hint)
    hint.resize(2000, 30)
    hint.show()
    assert hint.text() == hint.variants[0]
    hint.resize(150, 30)
    assert hint.text() == hint.variants[1]
    assert hint.toolTip() == "Enter confirms, Delete rejects (Y / X in the reader)"
    assert hint.minimumSizeHint().width() == 0  # never what widens the panel
