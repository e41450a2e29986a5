"""Suggestions in the window, driven by keys: step to one in the reader (S), confirm it
(Y, Enter takes the whole library), see it become a mention in the reader and the entity
panel; reject another (X); review the panel's list (Enter, Delete); Ctrl+Z undoes each."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from aiviewer.library import Library
from aiviewer.render.transcript import entity_href
from aiviewer.ui.views.reader import _anchor_cursors
from tests.ui.conftest import focused, make_window

TEXT = """---
title: Small models week
show: Test Show
date: 2026-01-02
---

Alice: We tried Nemotorn yesterday, and Nemotorn was quick. Claude was slower.

Bob: The Lama paper, again. Anthropic said Claude would be faster next month.
"""


@pytest.fixture
def small_dir(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(TEXT, encoding="utf-8")
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([folder])
        assert {(s.surface, s.entity) for s in lib.suggestions()} == {
            ("Nemotorn", "Nemotron"), ("Lama", "LaMDA")}
    return tmp_path / "lib"


@pytest.fixture
def win(qtbot, small_dir):
    w = make_window(qtbot, small_dir)
    w.open_episode(w.library.episodes()[0].id)
    w.reader.view.setFocus()
    yield w
    w.close()
    w.tasks.wait()
    w.library.close()


def in_modal(qtbot, key, tabs=0, tries=200):
    """Answer the next modal dialog with `tabs` Tab presses, then `key` (it is looked
    for every 50 ms: on a busy machine it may take a while to open)."""
    def run(left=tries):
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            assert left, "a dialog asks"
            QTimer.singleShot(50, lambda: run(left - 1))
            return
        # to the dialog's own focus (the app's may still be in the window behind it)
        for _ in range(tabs):
            qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Tab)
        qtbot.keyClick(dialog.focusWidget() or dialog, key)
    QTimer.singleShot(50, run)


def entity_names(w):
    tree = w.entities.tree
    return {tree.topLevelItem(i).child(j).text(0) for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())}


def highlighted(w, canonical):
    return len(_anchor_cursors(w.reader.view.document(), entity_href(canonical)))


def key(qtbot, w, k, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(w), k, mod)


def test_step_confirm_reject_and_undo_from_the_reader(qtbot, win):
    w = win
    assert w.reader.suggestion_count() == 3
    assert w.entities.suggestion_list.count() == 2
    assert "Nemotron" not in entity_names(w)
    key(qtbot, w, Qt.Key.Key_G)
    assert w.reader.suggestion_at_caret() == ("Nemotron", "Nemotorn")
    assert w.reader.view.textCursor().selectedText() == "Nemotorn"
    assert "Heard as “Nemotorn” — Nemotron?" in w.statusBar().currentMessage()
    in_modal(qtbot, Qt.Key.Key_Return)  # Enter: the whole library
    key(qtbot, w, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: highlighted(w, "Nemotron") == 2, timeout=20000)
    assert "Nemotron" in entity_names(w)
    assert w.reader.suggestion_count() == 1
    assert w.entities.suggestion_list.count() == 1
    assert w.library.decisions()[0].episode_id is None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reader.view, timeout=3000)
    # the next suggestion, rejected
    key(qtbot, w, Qt.Key.Key_G)
    assert w.reader.suggestion_at_caret() == ("LaMDA", "Lama")
    key(qtbot, w, Qt.Key.Key_X)
    qtbot.waitUntil(lambda: w.reader.suggestion_count() == 0, timeout=20000)
    assert w.entities.suggestion_list.count() == 0
    key(qtbot, w, Qt.Key.Key_G)
    assert w.statusBar().currentMessage() == "No suggestions in this episode"
    # Ctrl+Z undoes the rejection, then the confirmation
    assert "Reject “Lama”" in w.actions_by_id["undo"].text()
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.reader.suggestion_count() == 1, timeout=20000)
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.reader.suggestion_count() == 3, timeout=20000)
    assert highlighted(w, "Nemotron") == 0 and "Nemotron" not in entity_names(w)
    assert w.library.decisions() == []
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.ShiftModifier)  # redo
    qtbot.waitUntil(lambda: highlighted(w, "Nemotron") == 2, timeout=20000)


def test_review_in_the_entity_panel_in_one_pass(qtbot, win):
    w = win
    panel = w.entities.suggestion_list
    w.side.setCurrentWidget(w.entities)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    qtbot.keyClick(panel.list, Qt.Key.Key_Up)
    assert panel.current().surface == "Nemotorn"
    assert w.reader.view.textCursor().selectedText() == "Nemotorn"  # shown in the reader
    in_modal(qtbot, Qt.Key.Key_Return, tabs=1)  # Tab to "This Episode", Enter
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.count() == 1, timeout=20000)
    [d] = w.library.decisions()
    assert d.verdict == "confirm" and d.episode_id == w.current_episode
    assert highlighted(w, "Nemotron") == 2
    assert panel.current().surface == "Lama"  # the review goes on where it was
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: panel.count() == 0, timeout=20000)
    assert "No suggestions" in panel.heading.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.list, timeout=3000)
    key(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.count() == 1, timeout=20000)


def test_esc_in_the_scope_question_decides_nothing(qtbot, win):
    w = win
    key(qtbot, w, Qt.Key.Key_G)
    in_modal(qtbot, Qt.Key.Key_Escape)
    key(qtbot, w, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=3000)
    assert w.library.decisions() == [] and w.reader.suggestion_count() == 3


def test_hover_says_what_was_heard(qtbot, win):
    from PySide6.QtCore import QUrl

    from aiviewer.render.transcript import suggestion_href

    win.reader._on_view_hover(QUrl(suggestion_href("Nemotron", "Nemotorn")))
    assert win.reader.card.isVisible()
    assert "heard as “Nemotorn” — <b>Nemotron</b>? <i>model</i>" in win.reader.card.text()


def test_suggestion_keys_are_in_the_sheet_and_the_palette(qtbot, win):
    from aiviewer.ui.actions import check_conflicts
    from aiviewer.ui.dialogs import CommandPalette, shortcuts_html

    assert check_conflicts() == []
    sheet = shortcuts_html()
    for text in ("Next Suggestion", "Confirm Suggestion", "Reject Suggestion", "Shift+G"):
        assert text in sheet
    palette = CommandPalette(win.actions_by_id, win)
    qtbot.keyClicks(palette.edit, "suggestion")
    names = [palette.list.item(i).text() for i in range(palette.list.count())]
    assert len(names) == 4 and any(n.startswith("Confirm Suggestion") for n in names)
    palette.close()


def test_screenshot_of_a_suggestion_light_and_dark(qtbot, win, tmp_path):
    """Offscreen pictures for a person to look at (kept when AIVIEWER_SHOTS is set)."""
    out = os.environ.get("AIVIEWER_SHOTS") or str(tmp_path)
    os.makedirs(out, exist_ok=True)
    w = win
    w.resize(1200, 700)
    key(qtbot, w, Qt.Key.Key_G)
    w.reader.view.moveCursor(w.reader.view.textCursor().MoveOperation.StartOfLine)
    for mode in ("light", "dark"):
        w.apply_theme(mode)
        qtbot.wait(50)
        assert w.reader.grab().save(os.path.join(out, f"suggestion-{mode}.png"))
        assert w.entities.grab().save(os.path.join(out, f"suggestion-panel-{mode}.png"))


def test_the_panels_buttons_confirm_and_reject_with_the_mouse(qtbot, win):
    """Enter and Delete were the only way to decide in the panel (review): Confirm… and
    Reject under the list do the same for the selected suggestion."""
    w = win
    panel = w.entities.suggestion_list
    w.side.setCurrentWidget(w.entities)
    w.entities.show_suggestions()
    panel.flush()
    panel.list.setCurrentRow(0)
    assert panel.current().surface == "Nemotorn"
    assert panel.confirm_button.isEnabled() and panel.reject_button.isEnabled()
    in_modal(qtbot, Qt.Key.Key_Return, tabs=1)  # "This Episode"
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.count() == 1, timeout=20000)
    [d] = w.library.decisions()
    assert d.verdict == "confirm" and d.episode_id == w.current_episode
    assert panel.current().surface == "Lama"
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.count() == 0, timeout=20000)
    assert {d.verdict for d in w.library.decisions()} == {"confirm", "reject"}
    assert not panel.confirm_button.isEnabled() and not panel.reject_button.isEnabled()
