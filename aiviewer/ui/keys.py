"""Single-character keys matched by the character they type.

A QShortcut for "?" never fires on a US keyboard: the key arrives as Shift+/ and
Qt's shortcut map finds it ambiguous.  Punctuation keys are therefore matched on
the key press's text, where the layout has already been applied."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class TextKey(QObject):
    """Call `fn` when `widget` has the focus and a key typing `text` is pressed."""

    def __init__(self, widget: QWidget, text: str, fn: Callable[[], object]):
        super().__init__(widget)
        self.text, self.fn = text, fn
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.text() == self.text:
            self.fn()
            return True
        return False
