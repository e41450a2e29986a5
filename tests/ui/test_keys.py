"""Every key the README lists does what it says — here the ones a QShortcut missed."""

from __future__ import annotations

from modal import when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from aiviewer.ui.dialogs import ShortcutSheet


def _opens_the_sheet(qtbot, widget, *key) -> bool:
    seen = {}

    def look():
        dialog = QApplication.activeModalWidget()
        seen["sheet"] = isinstance(dialog, ShortcutSheet)
        if dialog is not None:
            dialog.reject()
    poll = when_modal(look)
    qtbot.keyClick(widget, *key)  # returns after the sheet's exec() when it opened
    poll.stop()
    return seen.get("sheet", False)


def test_question_mark_opens_the_shortcut_sheet_from_the_reader_and_library(qtbot, window):
    window.reader.view.setFocus()
    assert _opens_the_sheet(qtbot, window.reader.view, Qt.Key.Key_Question,
                            Qt.KeyboardModifier.ShiftModifier)
    window.library_view.list.setFocus()
    assert _opens_the_sheet(qtbot, window.library_view.list, "?")
