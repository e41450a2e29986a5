"""Rich-text rows painted by a delegate: no widget per row.

The search popup first showed each result as a QLabel set into its row
(`rich_list`).  Measured on the seeds (2 busy cores), filling 30 rows that way
took ~500 ms, half of it in `setItemWidget` (a widget created and styled per
row), while the query itself took 2–40 ms: the list, not the search, was what a
keystroke waited for.  Here a row is a plain item (its text the plain form, for
accessibility and tests) whose HTML a delegate lays out once per width and paints.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

HTML = Qt.ItemDataRole.UserRole + 1
MARGIN_X, MARGIN_Y = 8, 5
CACHE = 400  # laid-out documents kept (a few pages of rows)


class RichRows(QStyledItemDelegate):
    def __init__(self, view: QListWidget):
        super().__init__(view)
        self.view = view
        # (html, width) → the laid-out document and its height: a view asks a row's
        # size several times per layout, and QTextDocument.size() is not free
        self._docs: dict[tuple[str, int], tuple[QTextDocument, int]] = {}
        view.setItemDelegate(self)
        view.setResizeMode(QListView.ResizeMode.Adjust)  # rows re-measured on resize

    def _doc(self, html: str, width: int) -> tuple[QTextDocument, int]:
        key = (html, width)
        found = self._docs.get(key)
        if found is None:
            if len(self._docs) > CACHE:
                self._docs.clear()
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(self.view.font())
            doc.setHtml(html)
            doc.setTextWidth(width)
            found = self._docs[key] = (doc, int(doc.size().height()))
        return found

    def _text_width(self) -> int:
        return max(self.view.viewport().width() - 6, 200) - 2 * MARGIN_X

    def sizeHint(self, option, index) -> QSize:
        html = index.data(HTML)
        if html is None:
            return super().sizeHint(option, index)
        width = self._text_width()
        height = self._doc(html, width)[1]
        return QSize(width + 2 * MARGIN_X, height + 2 * MARGIN_Y + 4)

    def paint(self, painter, option, index) -> None:
        html = index.data(HTML)
        if html is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the frame, background and selection only
        style = opt.widget.style() if opt.widget else self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._doc(html, self._text_width())[0]
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = QPalette(opt.palette)
        context.palette.setColor(QPalette.ColorRole.Text,
                                 opt.palette.color(QPalette.ColorRole.Text))
        painter.save()
        painter.translate(QPointF(opt.rect.left() + MARGIN_X, opt.rect.top() + MARGIN_Y))
        painter.setClipRect(0, 0, opt.rect.width() - MARGIN_X, opt.rect.height())
        doc.documentLayout().draw(painter, context)
        painter.restore()


def add_row(view: QListWidget, html: str, plain: str, data,
            role=Qt.ItemDataRole.UserRole) -> QListWidgetItem:
    item = QListWidgetItem(plain)
    item.setData(HTML, html)
    item.setData(role, data)
    view.addItem(item)
    return item
