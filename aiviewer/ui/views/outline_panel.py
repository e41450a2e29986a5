"""The open episode's outline beside the entity and annotation panels: its chapters,
or a speaker turn every few minutes (`aiviewer.render.outline`).  Up/Down move,
Enter or a click jumps the reader; the section the reader shows is kept current as
it scrolls, without moving the keyboard focus."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from aiviewer.render.outline import Entry
from aiviewer.ui.views.rich_rows import draw_item_frame
from aiviewer.wording import format_ms

ENTRY_ROLE = Qt.ItemDataRole.UserRole
PAD_X, PAD_Y, GAP = 4, 3, 10


class OutlineRow(QStyledItemDelegate):
    """The time in a column of its own, muted, and the title wrapped beside it at word
    boundaries, never cut mid-word: a
    wrapped title ran back under the time ("legacy" below "09:58"), which read as a
    row of its own (the blind screenshot review)."""

    def __init__(self, view: QListWidget):
        super().__init__(view)
        self.view = view
        self.time_width = 0  # set for each outline: the widest time it shows

    def _parts(self, index) -> tuple[str, str]:
        entry = index.data(ENTRY_ROLE)
        if entry is None:
            return "", index.data(Qt.ItemDataRole.DisplayRole) or ""
        return format_ms(entry.start_ms) or "", entry.title

    def _title_rect(self, rect: QRect) -> QRect:
        left = rect.left() + PAD_X + (self.time_width + GAP if self.time_width else 0)
        return QRect(left, rect.top() + PAD_Y, max(40, rect.right() - PAD_X - left),
                     max(0, rect.height() - 2 * PAD_Y))

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt override)
        width = self.view.viewport().width()
        _when, title = self._parts(index)
        box = self._title_rect(QRect(0, 0, width, 10_000))
        text = self.view.fontMetrics().boundingRect(
            box, int(Qt.TextFlag.TextWordWrap), title)
        return QSize(width, text.height() + 2 * PAD_Y)

    def paint(self, painter, option, index) -> None:
        opt, _style, _text = draw_item_frame(self, painter, option, index)
        when, title = self._parts(index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = (QPalette.ColorRole.HighlightedText if selected
                     else QPalette.ColorRole.Text)
        placed = index.data(ENTRY_ROLE) is None or index.data(ENTRY_ROLE).segment_id is not None
        painter.save()
        painter.setFont(opt.font)
        if when:
            painter.setPen(opt.palette.color(text_role if selected
                                             else QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(opt.rect.left() + PAD_X, opt.rect.top() + PAD_Y,
                                   self.time_width, opt.rect.height() - 2 * PAD_Y),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                             when)
        painter.setPen(opt.palette.color(text_role if selected or placed
                                         else QPalette.ColorRole.PlaceholderText))
        painter.drawText(self._title_rect(opt.rect),
                         int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignTop), title)
        painter.restore()


class OutlinePanel(QWidget):
    entry_chosen = Signal(object)  # Entry

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Outline of this episode")
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows = OutlineRow(self.list)
        self.list.setItemDelegate(self.rows)
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
        metrics = self.list.fontMetrics()
        self.rows.time_width = max((metrics.horizontalAdvance(format_ms(e.start_ms))
                                    for e in entries if e.start_ms is not None), default=0)
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
