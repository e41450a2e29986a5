"""The reader's text view, which draws the two marks a character format cannot:
search hits as outlines (no fill, so a hit on an entity's tint stays one tone) and
annotations as a bar in the page margin beside their lines.

The marks are the view's extra selections; a mark's format says how it is drawn
(`mark(fmt, …)`), so the reader keeps one list in text order and this class only
paints what is visible.  Colours come from aiviewer/render/palette.py.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QTextCharFormat, QTextFormat
from PySide6.QtWidgets import QTextBrowser

from aiviewer.render.palette import ANNOTATION_BAR_WIDTH

KIND = QTextFormat.Property.UserProperty + 1  # "hit", "hit-current" or "annotation"
COLOUR = QTextFormat.Property.UserProperty + 2  # the outline's or the bar's colour

HIT_WIDTH = 1.5
CURRENT_HIT_WIDTH = 2.5


def mark(fmt: QTextCharFormat, kind: str, colour: str) -> QTextCharFormat:
    fmt.setProperty(KIND, kind)
    fmt.setProperty(COLOUR, colour)
    return fmt


class MarkedBrowser(QTextBrowser):
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        sels = self.extraSelections()
        if not sels:
            return
        vp = self.viewport()
        first = self.cursorForPosition(QPoint(0, 0)).position()
        last = self.cursorForPosition(QPoint(vp.width() - 1, vp.height() - 1)).position()
        painter = QPainter(vp)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for sel in sels:
            kind = sel.format.property(KIND)
            if not kind:
                continue
            c = sel.cursor
            start, end = c.selectionStart(), c.selectionEnd()
            if end < first or start > last:
                continue
            colour = QColor(sel.format.property(COLOUR))
            if kind == "annotation":
                self._paint_bar(painter, start, end, colour)
            else:
                width = CURRENT_HIT_WIDTH if kind == "hit-current" else HIT_WIDTH
                self._paint_outline(painter, start, end, colour, width)
        painter.end()

    def line_rects(self, start: int, end: int) -> list[QRectF]:
        """The boxes the text from `start` to `end` takes, one per line, in viewport
        coordinates."""
        doc = self.document()
        layout = doc.documentLayout()
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        out = []
        block = doc.findBlock(start)
        while block.isValid() and block.position() <= end:
            tl = block.layout()
            origin = layout.blockBoundingRect(block).topLeft()
            for i in range(tl.lineCount()):
                line = tl.lineAt(i)
                ls = block.position() + line.textStart()
                s, e = max(start, ls), min(end, ls + line.textLength())
                if s >= e:
                    continue
                x1 = _x(line, s - block.position())
                x2 = _x(line, e - block.position())
                out.append(QRectF(origin.x() + x1 - dx, origin.y() + line.y() - dy,
                                  x2 - x1, line.height()))
            block = block.next()
        return out

    def _paint_outline(self, painter: QPainter, start: int, end: int, colour: QColor,
                       width: float) -> None:
        painter.setPen(QPen(colour, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for r in self.line_rects(start, end):
            path = QPainterPath()
            path.addRoundedRect(r.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)
            painter.drawPath(path)

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
