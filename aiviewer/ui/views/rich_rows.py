"""Rich-text rows painted by a delegate: no widget per row, no HTML per row.

The search popup first showed each result as a QLabel set into its row: filling
30 rows took ~500 ms, half of it in `setItemWidget`.  A delegate then laid out
each row's HTML in a QTextDocument: ~0.3 ms a row (parse, document, layout), 9 ms
of CPU for a page of ranked results and 4 ms for a keystroke's first hits — the
largest part of the window's own work per keystroke.  A row here is a `Row` (a
bold title, a muted "where", and a body with marked spans) laid out by one
QTextLayout (~0.08 ms): the same lines, heights and look as the HTML gave.  The
item's text is the row's plain form, for accessibility and tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

ROW = Qt.ItemDataRole.UserRole + 1
MARGIN_X, MARGIN_Y = 8, 5
INDENT = 18  # px: a continued row (`Row.continued`) sits this far in, under its episode
CACHE = 400  # laid-out rows kept (a few pages)
WHERE_COLOUR = "gray"  # the muted "where", right of the title (as the HTML rows had it)
# the most of a row's width its right-hand "where" takes; a longer one is cut at its
# right end, so the bold title keeps the rest (a where of show, date, speaker and time
# left the title a word or two)
WHERE_SHARE = 0.55
NARROW_TITLE = 150  # px: a title given less than this has the where follow it instead


@dataclass(frozen=True, slots=True)
class Row:
    """Not a tuple: an item's data keeps a Python object as it is, a tuple it would
    turn into a list."""

    title: str  # bold, on the first line
    where: str  # muted, after the title
    body: str  # from the next line
    marks: tuple[tuple[int, int], ...] = ()  # spans of `body` in bold and underlined
    # the marks are words near the query in meaning, not its words: a dashed underline
    # at the body's weight (in bold they read as literal hits: the screenshot review)
    loose: bool = False
    # another passage of the episode the row above names: no title, its where (who and
    # when) leads the body, and the row is indented under the one that named it
    continued: bool = False

    def text(self) -> str:
        """The laid-out text: title, a space and a no-break space before the where
        (as ' &nbsp;' gave), a line separator (as <br> gave), the body with its
        line breaks as spaces (HTML folded them so)."""
        head = f"{self.title} \u00a0{self.where}" if self.where else self.title
        body = self.body.translate(_SPACES)
        return f"{head}\u2028{body}"


_SPACES = str.maketrans("\n\r\t\u2028\u2029", "     ")


class RichRows(QStyledItemDelegate):
    def __init__(self, view: QListWidget):
        super().__init__(view)
        self.view = view
        # (row, width) → its layout and height: a view asks a row's size several
        # times per layout
        self._layouts: dict[tuple[Row, int], tuple[QTextLayout, int]] = {}
        self._formats: tuple[QFont, list[QTextCharFormat]] | None = None
        view.setItemDelegate(self)
        view.setResizeMode(QListView.ResizeMode.Adjust)  # rows re-measured on resize

    def _char_formats(self) -> list[QTextCharFormat]:
        """Bold (title), muted (where), bold underlined (marks), dash underlined
        (marks of meaning), for the view's font."""
        font = self.view.font()
        if self._formats is None or self._formats[0] != font:
            bold = QTextCharFormat()
            bold.setFontWeight(QFont.Weight.Bold)
            muted = QTextCharFormat()
            muted.setForeground(QColor(WHERE_COLOUR))
            marked = QTextCharFormat()
            marked.setFontWeight(QFont.Weight.Bold)
            marked.setFontUnderline(True)
            near = QTextCharFormat()
            near.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            self._formats = (QFont(font), [bold, muted, marked, near])
            self._layouts.clear()
        return self._formats[1]

    def _layout(self, row: Row, width: int) -> tuple[QTextLayout, int, int | None, str]:
        """The row laid out at `width`, its height, where its "where" starts on the
        first line when it is drawn right-aligned (None: it follows the title), and
        that where as painted (cut to its share of the row)."""
        key = (row, width)
        found = self._layouts.get(key)
        if found is None:
            bold, muted, marked, near = self._char_formats()
            if row.loose:
                marked = near
            if len(self._layouts) > CACHE:
                self._layouts.clear()
            if row.continued:  # "Nathan Lambert at 12:03 — …the passage…", one flow
                head = f"{row.where} \u2014 " if row.where else ""
                text = head + row.body.translate(_SPACES)
                ranges = [format_range(0, len(row.where), muted)] if row.where else []
                where_x, where = None, ""
            else:
                title, where_x, where = self._fitting_title(row, width)
                inline = row.where if where_x is None else ""
                text = Row(title, inline, row.body).text()
                ranges = [format_range(0, len(title), bold)]
                if inline:
                    ranges.append(format_range(len(title) + 2, len(inline), muted))
            start = len(text) - len(row.body)
            ranges += [format_range(start + a, b - a, marked) for a, b in row.marks]
            layout = QTextLayout(text, self.view.font())
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            layout.setTextOption(option)
            layout.setFormats(ranges)
            layout.beginLayout()
            height = 0.0
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                line.setPosition(QPointF(0, height))
                height += line.height()
            layout.endLayout()
            found = self._layouts[key] = (layout, int(height), where_x, where)
        return found

    def _fitting_title(self, row: Row, width: int) -> tuple[str, int | None, str]:
        """The title, cut with an ellipsis so that the where ("Interconnects ·
        2025-06-12 · Nathan Lambert at 1:06:28") stays on the first line,
        right-aligned: after the title it started wherever each title ended, a ragged
        column the eye had to hunt for (the blind screenshot review); wrapped, its last
        word stood alone on a line of its own.  A where wider than WHERE_SHARE of the
        row is cut at its right end.  Too narrow for both on one line: the where
        follows the title and wraps with it (x None).  Returns the title, the where's x
        and the where as painted."""
        font = self.view.font()
        bold = QFont(font)
        bold.setBold(True)
        if not row.where:  # one line too: a row without a where wrapped its title
            return QFontMetrics(bold).elidedText(row.title, Qt.TextElideMode.ElideRight,
                                                 width - 2), None, ""
        metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
        gap = metrics.horizontalAdvance(" " * 3)
        most = int(width * WHERE_SHARE)
        if width - most - gap < NARROW_TITLE:
            return row.title, None, row.where
        # a short title leaves the where more than its share
        title_w = bold_metrics.horizontalAdvance(row.title)
        where = metrics.elidedText(row.where, Qt.TextElideMode.ElideRight,
                                   max(most, width - title_w - gap))
        where_w = metrics.horizontalAdvance(where)
        room = width - where_w - gap
        if title_w > room:
            title = bold_metrics.elidedText(row.title, Qt.TextElideMode.ElideRight, room)
        else:
            title = row.title
        return title, width - where_w, where

    def _text_width(self) -> int:
        return max(self.view.viewport().width() - 6, 200) - 2 * MARGIN_X

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt override)
        row = index.data(ROW)
        if row is None:
            return super().sizeHint(option, index)
        width = self._text_width()
        height = self._layout(row, width - (INDENT if row.continued else 0))[1]
        return QSize(width + 2 * MARGIN_X, height + 2 * MARGIN_Y + 4)

    def paint(self, painter, option, index) -> None:
        row = index.data(ROW)
        if row is None:  # a plain row (the search popup's "Show all" row)
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            no_focus_frame(opt)
            # selected, its text keeps its colour: the selection is a light tint
            # (SELECTION_STYLE), on which the style's white selected text was unreadable
            opt.palette.setColor(QPalette.ColorRole.HighlightedText,
                                 opt.palette.color(QPalette.ColorRole.Text))
            style = opt.widget.style() if opt.widget else self.view.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
            return
        opt, _style, _text = draw_item_frame(self, painter, option, index)
        indent = INDENT if row.continued else 0
        width = self._text_width() - indent
        layout, _height, where_x, where = self._layout(row, width)
        painter.save()
        if indent:  # a rule down the indent: these passages belong to the row above
            painter.setPen(QPen(QColor(WHERE_COLOUR), 1))
            x = opt.rect.left() + MARGIN_X + indent // 2 - 2
            painter.drawLine(QPointF(x, opt.rect.top() + 2), QPointF(x, opt.rect.bottom() - 2))
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        painter.translate(QPointF(opt.rect.left() + MARGIN_X + indent,
                                  opt.rect.top() + MARGIN_Y))
        painter.setClipRect(0, 0, opt.rect.width() - MARGIN_X, opt.rect.height())
        layout.draw(painter, QPointF(0, 0))
        if where_x is not None and layout.lineCount():
            first = layout.lineAt(0)
            painter.setFont(self.view.font())
            painter.setPen(QColor(WHERE_COLOUR))
            painter.drawText(QPointF(where_x, first.y() + first.ascent()), where)
        painter.restore()


def draw_item_frame(delegate: QStyledItemDelegate, painter, option, index
                    ) -> tuple[QStyleOptionViewItem, QStyle, str]:
    """Draw an item's background, selection and frame as the style does, without its
    text, for a delegate that lays the text out itself; returns the item's style
    option, the style and the text it held."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    text, opt.text = opt.text, ""
    no_focus_frame(opt)
    style = opt.widget.style() if opt.widget else delegate.parent().style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
    return opt, style, text


def no_focus_frame(opt: QStyleOptionViewItem) -> None:
    """No focus frame inside a row: these lists select one row at a time, and the
    selection (its tint and left bar) is where the keys act.  The style drew a
    second box inset in the selected row of a focused list — a stray frame to the
    eye (screenshot review) that the library list and the popup's rows never showed."""
    opt.state &= ~QStyle.StateFlag.State_HasFocus


class PlainFocus(QStyledItemDelegate):
    """A plain item delegate without the focus frame (a table selecting whole rows)."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt override)
        super().initStyleOption(option, index)
        no_focus_frame(option)


def format_range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    """One span of a QTextLayout in a format."""
    found = QTextLayout.FormatRange()
    found.start, found.length, found.format = start, length, fmt
    return found


def add_row(view: QListWidget, row: Row, plain: str, data,
            role=Qt.ItemDataRole.UserRole) -> QListWidgetItem:
    item = QListWidgetItem(plain)
    item.setData(ROW, row)
    item.setData(role, data)
    view.addItem(item)
    return item
