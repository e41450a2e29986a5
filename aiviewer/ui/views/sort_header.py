"""A table header whose sort arrow points the way users read it: up while the
column is sorted smallest first (A→Z, 1→9), down while largest first.

Qt's QHeaderView hands the style Qt.AscendingOrder as `SortDown` and Fusion draws
`SortDown` as a downward arrow, so the app's tables showed ▼ over A→Z and ▲ over
the most-passages-first insights table (blind review: "the arrow reads backwards").
Which way a style draws each value is measured once, on the style itself, so the
arrow stays right if a later Qt or another style draws them the other way round."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

SortUp = QStyleOptionHeader.SortIndicator.SortUp
SortDown = QStyleOptionHeader.SortIndicator.SortDown

_points_up: dict[str, bool] = {}  # style name → does it draw SortUp pointing up?


def draws_up(style: QStyle, indicator=SortUp) -> bool:
    """True when `style` draws `indicator` as an arrow pointing up: the arrow's ink
    is wider in its bottom half (a ▲) than in its top half."""
    size = 16
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(255, 255, 255))
    option = QStyleOptionHeader()
    option.rect = QRect(0, 0, size, size)
    option.sortIndicator = indicator
    option.palette.setColor(option.palette.ColorRole.ButtonText, QColor(0, 0, 0))
    option.palette.setColor(option.palette.ColorRole.Text, QColor(0, 0, 0))
    option.palette.setColor(option.palette.ColorRole.WindowText, QColor(0, 0, 0))
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorHeaderArrow, option, painter)
    painter.end()
    rows = [sum(QColor(image.pixel(x, y)).lightness() < 200 for x in range(size))
            for y in range(size)]
    inked = [y for y, n in enumerate(rows) if n]
    if not inked:
        return indicator == SortUp  # draws nothing: Qt's documented meaning
    top, bottom = inked[0], inked[-1]
    return rows[bottom] > rows[top]


def indicator_for(order: Qt.SortOrder, style: QStyle) -> QStyleOptionHeader.SortIndicator:
    """The style's indicator that draws ▲ for ascending, ▼ for descending."""
    key = style.name() if hasattr(style, "name") else type(style).__name__
    if key not in _points_up:
        _points_up[key] = draws_up(style, SortUp)
    up, down = (SortUp, SortDown) if _points_up[key] else (SortDown, SortUp)
    return up if order == Qt.SortOrder.AscendingOrder else down


class SortHeader(QHeaderView):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        # not highlighted: the tables select whole rows, and every heading turned bold
        # whenever a row was chosen (the annotation browser opens on one)
        self.setHighlightSections(False)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logical: int) -> None:
        super().initStyleOptionForIndex(option, logical)
        if option.sortIndicator != QStyleOptionHeader.SortIndicator.None_:
            option.sortIndicator = indicator_for(self.sortIndicatorOrder(), self.style())


def use_sort_header(table) -> SortHeader:
    """Give a QTableView its horizontal header with the arrow the right way up."""
    header = SortHeader(table)
    table.setHorizontalHeader(header)
    return header
