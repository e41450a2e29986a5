"""The entity panel's list of the open episode's suggestions, for reviewing them in one
pass: Up/Down move, Enter (or Confirm…) confirms and asks the scope, Delete (or Reject)
rejects, a click or Space shows the place in the reader.  The list is refilled after
each decision and keeps the row where the review was, so the next suggestion is under
the keys at once."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiviewer.model import Suggestion
from aiviewer.ui.views import rich_list
from aiviewer.ui.views.key_hint import KeyHint
from aiviewer.wording import plural

ROLE = Qt.ItemDataRole.UserRole


class SuggestionList(QWidget):
    confirm_requested = Signal(object)  # Suggestion
    reject_requested = Signal(object)  # Suggestion
    open_requested = Signal(object)  # Suggestion
    counted = Signal(int)  # how many the episode has (before they are listed)
    arrived = Signal(int)  # a newly opened episode's count (`set_later`)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.heading = QLabel("Suggestions")
        self.heading.setWordWrap(True)
        # the keys on a line of their own under the count (key_hint): one wording at
        # 1280 and 1920 px, the whole of it in the tooltip
        self.keys = KeyHint(["<b>Enter</b> confirms · <b>Del</b> rejects",
                             "<b>Enter</b> / <b>Del</b>: confirm / reject"],
                            "Enter confirms the selected suggestion (then asks where), Delete "
                            "rejects it, Space shows it in the reader; in the reader Y "
                            "confirms and X rejects the one at the caret, G / Shift+G step "
                            "through them")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Suggestions in this episode")
        rich_list.style(self.list)
        # the same two decisions for the mouse: the keys alone were not seen (review)
        self.confirm_button = QPushButton("Confirm…")
        self.confirm_button.setToolTip("Confirm the selected suggestion (Enter); then choose "
                                       "this episode or the whole library")
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("Reject the selected suggestion everywhere (Delete)")
        for button in (self.confirm_button, self.reject_button):
            button.setAutoDefault(False)
        # through `current`, which lists a newly opened episode's suggestions first: the
        # list's own row could still be the previous episode's until then
        self.confirm_button.clicked.connect(lambda: self._decide(self.confirm_requested))
        self.reject_button.clicked.connect(lambda: self._decide(self.reject_requested))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.keys)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.itemActivated.connect(lambda item: self._emit(self.confirm_requested, item))
        self.list.currentItemChanged.connect(
            lambda item, _: self._emit(self.open_requested, item))
        self.list.installEventFilter(self)
        self._pending: list[Suggestion] | None = None
        self.set_suggestions([])

    def set_later(self, found: list[Suggestion]) -> None:
        """Keep `found` to list at `flush()` (after the reader has painted the episode:
        16 rows of rich labels are ~60 ms); anything that reads or keys the list first
        fills it at once."""
        self._pending = list(found)
        self.counted.emit(len(found))
        self.arrived.emit(len(found))

    def flush(self) -> None:
        if self._pending is not None:
            found, self._pending = self._pending, None
            self.set_suggestions(found)

    def set_suggestions(self, found: list[Suggestion]) -> None:
        self._pending = None
        row = max(self.list.currentRow(), 0)
        self.list.blockSignals(True)
        self.list.clear()
        for s in found:
            before = escape(s.context[:s.context_start])
            hit = escape(s.context[s.context_start:s.context_end])
            after = escape(s.context[s.context_end:])
            times = f" · {s.count}×" if s.count > 1 else ""
            rich_list.add_row(self.list, f"heard as “<b>{hit}</b>” — <b>{escape(s.entity)}</b>?"
                              f" <i>{escape(s.kind)}</i>{times}<br>…{before}<u>{hit}</u>"
                              f"{after}…", s, ROLE)
        if found:
            self.list.setCurrentRow(min(row, len(found) - 1))
        self.list.blockSignals(False)
        self.heading.setText(
            f"<b>{plural(len(found), 'suggestion')}</b> · "
            f"{plural(sum(s.count for s in found), 'place')}"
            if found else "No suggestions in this episode.")
        self.keys.setVisible(bool(found))
        for button in (self.confirm_button, self.reject_button):
            button.setEnabled(bool(found))
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.counted.emit(len(found))

    def count(self) -> int:
        self.flush()
        return self.list.count()

    def current(self) -> Suggestion | None:
        self.flush()
        item = self.list.currentItem()
        return item.data(ROLE) if item is not None else None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.list and event.type() in (QEvent.Type.KeyPress, QEvent.Type.FocusIn,
                                                 QEvent.Type.MouseButtonPress):
            self.flush()
        if obj is self.list and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self._emit(self.reject_requested, self.list.currentItem())
                return True
            if event.key() == Qt.Key.Key_Space:
                self._emit(self.open_requested, self.list.currentItem())
                return True
        return False

    def _decide(self, signal) -> None:
        chosen = self.current()
        if chosen is not None:
            signal.emit(chosen)

    @staticmethod
    def _emit(signal, item) -> None:
        data = item.data(ROLE) if item is not None else None
        if isinstance(data, Suggestion):
            signal.emit(data)
