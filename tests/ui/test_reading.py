"""Reading that keeps its place: a column of comfortable width, hits and mentions in
the middle of the view, zoom that stays on the passage, Esc that drops a selection,
and the entity panel that forgets the previous episode's step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused


def _lex(window):
    lex = next(e for e in window.library.episodes() if e.video_id == "EV7WhVT270Q")
    window.library_view.select(lex.id)
    return lex


def _in_middle_third(window, cursor) -> bool:
    rect = window.reader.view.cursorRect(cursor)
    h = window.reader.view.viewport().height()
    return h / 3 - 2 <= rect.center().y() <= 2 * h / 3 + 2


def test_lines_stay_near_the_measure_on_a_wide_window(qtbot, window):
    window.resize(1920, 1080)
    _lex(window)
    qtbot.waitUntil(lambda: window.reader.line_length() < window.reader.measure + 8,
                    timeout=3000)
    assert window.reader.line_length() > window.reader.measure - 8
    window.reader.set_measure(100)
    assert window.reader.line_length() > 92


def test_n_steps_land_in_the_middle_of_the_view(qtbot, window):
    _lex(window)
    frag = None
    for i in range(window.entities.tree.topLevelItemCount()):
        top = window.entities.tree.topLevelItem(i)
        if top.childCount():
            frag = top.child(0)
            break
    window.entities.tree.setCurrentItem(frag)
    window.reader.view.setFocus()
    for _ in range(3):
        qtbot.keyClick(window.reader.view, Qt.Key.Key_N)
        cursor = window.reader.view.textCursor()
        assert cursor.hasSelection()
        bar = window.reader.view.verticalScrollBar()
        if 0 < bar.value() < bar.maximum():  # not pinned at either end of the document
            assert _in_middle_third(window, cursor)


def test_zoom_keeps_the_passage_at_the_top(qtbot, window):
    _lex(window)
    bar = window.reader.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    top = window.reader.top_position()
    block = window.reader.view.document().findBlock(top).blockNumber()
    window.reader.view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.point_size > 12
    after = window.reader.view.document().findBlock(window.reader.top_position()).blockNumber()
    assert abs(after - block) <= 1


def test_escape_clears_the_selection_in_the_reader(qtbot, window):
    _lex(window)
    view = window.reader.view
    c = QTextCursor(view.document())
    c.setPosition(window.reader.doc_position(0) + 5)
    view.setTextCursor(c)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V)
    assert view.textCursor().hasSelection()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.textCursor().hasSelection()
    assert QApplication.focusWidget() is view


def test_v_after_opening_a_hit_selects_what_was_said(qtbot, window):
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search.edit, "GRPO")
    qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=10000)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    cursor = window.reader.view.textCursor()
    assert _in_middle_third(window, cursor) or \
        window.reader.view.verticalScrollBar().value() in (
            0, window.reader.view.verticalScrollBar().maximum())
    qtbot.keyClick(window.reader.view, Qt.Key.Key_V)
    selected = window.reader.view.textCursor().selectedText()
    assert "grpo" in selected.lower(), selected


def test_the_entity_panel_forgets_the_previous_episodes_step(qtbot, window):
    _lex(window)
    frag = window.entities.tree.topLevelItem(0).child(0)
    window.entities.tree.setCurrentItem(frag)
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_N)
    assert " of " in window.entities.info.text()
    other = next(e for e in window.library.episodes() if e.video_id != "EV7WhVT270Q")
    window.library_view.select(other.id)
    assert " of " not in window.entities.info.text()
    assert window.entities.current is None
