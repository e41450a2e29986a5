"""Every key the README lists does what it says — here the ones a QShortcut missed."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from aiviewer.ui.dialogs import ShortcutSheet


def _opens_the_sheet(qtbot, widget, *key) -> bool:
    seen = {}

    def look():
        dialog = QApplication.activeModalWidget()
        seen["sheet"] = isinstance(dialog, ShortcutSheet)
        if dialog is not None:
            dialog.reject()
    QTimer.singleShot(200, look)
    qtbot.keyClick(widget, *key)
    qtbot.waitUntil(lambda: "sheet" in seen, timeout=5000)
    return seen["sheet"]


def test_question_mark_opens_the_shortcut_sheet_from_the_reader_and_library(qtbot, window):
    window.reader.view.setFocus()
    assert _opens_the_sheet(qtbot, window.reader.view, Qt.Key.Key_Question,
                            Qt.KeyboardModifier.ShiftModifier)
    window.library_view.list.setFocus()
    assert _opens_the_sheet(qtbot, window.library_view.list, "?")
