"""The open episode's outline beside the entity and annotation panels: its chapters,
or a speaker turn every few minutes (`aiviewer.render.outline`).  Up/Down move,
Enter or a click jumps the reader; the section the reader shows is kept current as
it scrolls, without moving the keyboard focus."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiviewer.render.outline import Entry
from aiviewer.wording import format_ms

ENTRY_ROLE = Qt.ItemDataRole.UserRole


class OutlinePanel(QWidget):
    entry_chosen = Signal(object)  # Entry

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Outline of this episode")
        self.list.setWordWrap(True)  # titles wrap at word boundaries, never cut mid-word
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.info)
        layout.addWidget(self.list, 1)
        self.list.itemActivated.connect(self._on_list_activated)  # Enter, double-click
        self.list.itemClicked.connect(self._on_list_activated)

    def set_entries(self, entries: list[Entry]) -> None:
        self.list.clear()
        chapters = any(e.chapter for e in entries)
        for e in entries:
            when = format_ms(e.start_ms)
            item = QListWidgetItem(f"{when}   {e.title}" if when else e.title)
            item.setData(ENTRY_ROLE, e)
            if e.segment_id is None:
                item.setForeground(self.palette().placeholderText())
                item.setToolTip("The transcript has no times: this chapter has no place "
                                "to jump to")
            self.list.addItem(item)
        if not entries:
            self.info.setText("Nothing to outline.")
        elif chapters:
            self.info.setText(f"{len(entries)} chapters — Enter or a click jumps there")
        else:
            self.info.setText("No chapters in the file: a turn every few minutes — Enter "
                              "or a click jumps there")

    def entries(self) -> list[Entry]:
        return [self.list.item(i).data(ENTRY_ROLE) for i in range(self.list.count())]

    def follow(self, row: int) -> None:
        """Mark the section the reader shows, without emitting a jump."""
        if row == self.list.currentRow() or not 0 <= row < self.list.count():
            return
        self.list.blockSignals(True)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self.list.scrollToItem(self.list.item(row))

    def _on_list_activated(self, item: QListWidgetItem) -> None:
        self.entry_chosen.emit(item.data(ENTRY_ROLE))
