"""The reader's text view, which draws the marks a character format cannot: search
hits as outlines (no fill, so a hit on an entity's tint stays one tone), and
annotations as a bar in the page margin beside their lines plus a band beneath them,
ruled under each line in the bar's colour.

An annotation's band fills its lines' whole height, the leading between them
included, so a passage reads as one highlighted block; an entity's tint is the
height of its letters and is drawn over the band.  Laid as a character background
the fill had the tint's shape, and a pale orange fill read as a technique's pale
olive chip (review): at 22 % strength no tag hue is far from every pale tint (ΔE*76
≤ 13 at best), so the two are told apart by their shape.

The reader hands over its marks as plain (start, end, kind, colour) tuples
(`set_marks`); the view paints only the visible ones, found by bisection.  Find in
page's up to 2,000 matches are not extra selections: QTextEdit walks every extra
selection for every block it paints, and with 2,000 of them a repaint of the 3-hour
episode took a median 61 ms (fills) to 89 ms (outlines read back from the selections)
against 6 ms with none.  A mark that is also an extra selection (an annotation's fill,
an opened passage's few hits) carries its kind in its format (`mark(fmt, …)`).
Colours come from aiviewer/render/palette.py.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser

from aiviewer.render.palette import ANNOTATION_BAR_WIDTH

KIND = QTextFormat.Property.UserProperty + 1  # "hit", "hit-current" or "annotation"
COLOUR = QTextFormat.Property.UserProperty + 2  # the outline's or the bar's colour
FILL = QTextFormat.Property.UserProperty + 3  # an annotation's band, "#aarrggbb"

HIT_WIDTH = 1.5
CURRENT_HIT_WIDTH = 2.5
CURRENT_HIT_TINT = 120  # alpha of the current hit's wash (70 read as a faint peach: review)
# The current hit also stands on a bar of the hit colour under its outline: a 1 px
# thicker outline alone did not tell it from the others at a glance (screenshot review).
# Its wash is painted before the text, beneath it: an entity's tint is drawn over it,
# so an entity's text keeps its 4.5:1 on its own tint (render/palette.py; laid over the
# letters, the wash brought a product chip's text to 3.2:1), and plain text on it keeps
# 7.7:1 (light) and 6.9:1 (dark).
CURRENT_HIT_BAR = 3.0
ANNOTATION_RULE = 2.0  # px: the line under each line of an annotation, in its bar's colour


class Mark(NamedTuple):
    start: int  # document positions
    end: int
    kind: str  # "hit", "hit-current" or "annotation"
    colour: str
    fill: str = ""  # an annotation's band beneath its lines ("#aarrggbb"); "": none


def mark(fmt: QTextCharFormat, kind: str, colour: str, fill: str = "") -> QTextCharFormat:
    fmt.setProperty(KIND, kind)
    fmt.setProperty(COLOUR, colour)
    if fill:
        fmt.setProperty(FILL, fill)
    return fmt


def marks_of(selections) -> list[Mark]:
    """The marks carried by extra selections' formats (`mark`)."""
    out = []
    for sel in selections:
        kind = sel.format.property(KIND)
        if kind:
            c = sel.cursor
            out.append(Mark(c.selectionStart(), c.selectionEnd(), kind,
                            sel.format.property(COLOUR), sel.format.property(FILL) or ""))
    return out


class MarkedBrowser(QTextBrowser):
    painted = Signal()  # a paint of the text (and its marks) is done: what the user sees

    def __init__(self, parent=None):
        super().__init__(parent)
        self.set_marks([])

    def set_marks(self, marks: list[Mark]) -> None:
        self._bars = [m for m in marks if m.kind == "annotation"]
        self._hits = sorted((m for m in marks if m.kind != "annotation"),
                            key=lambda m: m.start)
        self._starts = [m.start for m in self._hits]
        self._current = next((m for m in self._hits if m.kind == "hit-current"), None)
        self._longest = max((m.end - m.start for m in self._hits), default=0)
        self.viewport().update()

    def marks(self) -> list[Mark]:
        return self._bars + self._hits

    def paintEvent(self, event) -> None:
        self._paint_marks(event)
        self.painted.emit()

    def _paint_marks(self, event) -> None:
        if not self._bars and not self._hits:  # no marks: not even the range in view,
            super().paintEvent(event)  # two hit tests of the layout on every scroll
            return
        first, last = self._visible_range()
        self._paint_bands(first, last)
        self._paint_current_wash()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for m in self._bars:
            if m.end >= first and m.start <= last:
                self._paint_bar(painter, m.start, m.end, QColor(m.colour))
        lo = bisect_left(self._starts, first - self._longest)
        hi = bisect_right(self._starts, last)
        for m in self._hits[lo:hi]:
            if m.end >= first:
                current = m.kind == "hit-current"
                self._paint_outline(painter, m.start, m.end, QColor(m.colour),
                                    CURRENT_HIT_WIDTH if current else HIT_WIDTH, current)
        painter.end()

    def _visible_range(self) -> tuple[int, int]:
        vp = self.viewport()
        return (self.cursorForPosition(QPoint(0, 0)).position(),
                self.cursorForPosition(QPoint(vp.width() - 1, vp.height() - 1)).position())

    def _paint_bands(self, first: int, last: int) -> None:
        """Annotations' bands, beneath the text about to be painted (entity tints and
        the selection are drawn over them).  Overlapping annotations add up."""
        bands = [m for m in self._bars if m.fill and m.end >= first and m.start <= last]
        if not bands:
            return
        painter = QPainter(self.viewport())
        for m in bands:
            fill, rule = QColor(m.fill), QColor(m.colour)
            for r in self.line_rects(m.start, m.end, leading=True):
                painter.fillRect(r, fill)
                # a rule in the bar's colour under each line, in the leading below the
                # letters, so under an entity's chip too: a pale band alone still read as
                # a technique's pale tint (second review)
                painter.fillRect(QRectF(r.left(), r.bottom() - ANNOTATION_RULE, r.width(),
                                        ANNOTATION_RULE), rule)
        painter.end()

    def line_rects(self, start: int, end: int, leading: bool = False) -> list[QRectF]:
        """The boxes the text from `start` to `end` takes, one per line, in viewport
        coordinates; with `leading`, each the whole height its line takes in the
        block (the space a proportional line height adds, shared above and below), so
        that the boxes of consecutive lines meet."""
        doc = self.document()
        layout = doc.documentLayout()
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        out = []
        block = doc.findBlock(start)
        while block.isValid() and block.position() <= end:
            tl = block.layout()
            origin = layout.blockBoundingRect(block).topLeft()
            fmt = block.blockFormat()
            proportional = (leading and fmt.lineHeightType()
                            == QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            share = max(0.0, fmt.lineHeight() / 100 - 1) if proportional else 0.0
            for i in range(tl.lineCount()):
                line = tl.lineAt(i)
                ls = block.position() + line.textStart()
                s, e = max(start, ls), min(end, ls + line.textLength())
                if s >= e:
                    continue
                x1 = _x(line, s - block.position())
                x2 = _x(line, e - block.position())
                extra = line.height() * share
                out.append(QRectF(origin.x() + x1 - dx, origin.y() + line.y() - dy - extra / 2,
                                  x2 - x1, line.height() + extra))
            block = block.next()
        return out

    def _paint_current_wash(self) -> None:
        """The current hit's wash, as browsers mark theirs, beneath the text about to be
        painted; not when it is the selection, whose own colour marks it (the two
        together left lavender text on grey-purple)."""
        m = self._current
        if m is None:
            return
        cursor = self.textCursor()
        if (cursor.selectionStart(), cursor.selectionEnd()) == (m.start, m.end):
            return
        wash = QColor(m.colour)
        wash.setAlpha(CURRENT_HIT_TINT)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for r in self.line_rects(m.start, m.end):
            path = QPainterPath()
            path.addRoundedRect(_box(r), 3, 3)
            painter.fillPath(path, wash)
        painter.end()

    def _paint_outline(self, painter: QPainter, start: int, end: int, colour: QColor,
                       width: float, barred: bool = False) -> None:
        painter.setPen(QPen(colour, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for r in self.line_rects(start, end):
            path = QPainterPath()
            box = _box(r)
            path.addRoundedRect(box, 3, 3)
            painter.drawPath(path)
            if barred:
                painter.fillRect(QRectF(box.left(), box.bottom(), box.width(),
                                        CURRENT_HIT_BAR), colour)

    def _paint_bar(self, painter: QPainter, start: int, end: int, colour: QColor) -> None:
        rects = self.line_rects(start, end)
        if not rects:
            return
        margin = self.document().rootFrame().frameFormat().leftMargin()
        x = margin - self.horizontalScrollBar().value() - 10 - ANNOTATION_BAR_WIDTH
        top, bottom = rects[0].top(), rects[-1].bottom()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(x, top + 1, ANNOTATION_BAR_WIDTH, bottom - top - 2),
                                1.5, 1.5)


def _x(line, pos: int) -> float:
    x = line.cursorToX(pos)
    return x[0] if isinstance(x, tuple) else x


def _box(line: QRectF) -> QRectF:
    """A hit's box on one line: the line's text, a little wider, inside its height."""
    return line.adjusted(-1.5, 0.5, 1.5, -0.5)
