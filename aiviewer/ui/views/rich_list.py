"""Rich-text rows in a QListWidget: a wrapped QLabel per item, sized to the width
the list really has, and a selection style that keeps the label's text legible."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem

SELECTION_STYLE = (
    "QListWidget::item { border-bottom: 1px solid palette(mid); }"
    "QListWidget::item:selected { background: rgba(61, 111, 180, 0.22);"
    " border-left: 3px solid #3d6fb4; }"
)


class _RefitOnResize(QObject):
    """Rows sized while their list was hidden (a panel in a tab not shown yet) were
    measured at a width the list never gets: its layout runs only once it is shown,
    and the panel around it may not be resized again.  The viewport's own resize
    is the moment the real width is known."""

    def __init__(self, widget: QListWidget):
        super().__init__(widget)
        self.widget = widget
        widget.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            refit(self.widget)
        return False


def style(widget: QListWidget) -> None:
    widget.setStyleSheet(SELECTION_STYLE)
    widget.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    _RefitOnResize(widget)


def add_row(widget: QListWidget, html: str, data, role=Qt.ItemDataRole.UserRole) -> QLabel:
    item = QListWidgetItem()
    item.setData(role, data)
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setContentsMargins(8, 5, 8, 5)
    label.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
    widget.addItem(item)
    widget.setItemWidget(item, label)
    fit(widget, item, label)
    return label


def fit(widget: QListWidget, item: QListWidgetItem, label: QLabel) -> None:
    width = max(widget.viewport().width() - 6, 200)
    m = label.contentsMargins()
    text_width = width - m.left() - m.right()
    doc_height = label.heightForWidth(width)
    if doc_height < 0:
        doc_height = label.sizeHint().height()
    # heightForWidth can measure at the label's current width; measure the text itself
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    doc.setTextWidth(text_width)
    height = max(doc_height, int(doc.size().height()) + m.top() + m.bottom())
    item.setSizeHint(QSize(width, height + 4))


def refit(widget: QListWidget) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        label = widget.itemWidget(item)
        if isinstance(label, QLabel):
            fit(widget, item, label)


class HintedList(QListWidget):
    """A list that says what it is for while it is empty — a blank box under the
    entity panel's buttons read as unfinished (screenshot review).  The hint is
    painted, not an item, so the list's count stays the count of what it lists."""

    PAD = 6  # the hint's margin inside the viewport, each side

    def __init__(self, hint: str, parent=None):
        super().__init__(parent)
        self.hint = hint

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if self.count() == 0 and self.hint:
            paint_hint(self, self.hint, self.PAD,
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)


def paint_hint(view, text: str, pad: int, align: Qt.AlignmentFlag) -> None:
    """`text` in the placeholder colour, wrapped, inside an empty item view's viewport
    (`pad` px in from each side): why it is empty, painted, not a row."""
    painter = QPainter(view.viewport())
    painter.setPen(view.palette().color(QPalette.ColorRole.PlaceholderText))
    painter.drawText(view.viewport().rect().adjusted(pad, pad, -pad, -pad),
                     int(align | Qt.TextFlag.TextWordWrap), text)
    painter.end()
