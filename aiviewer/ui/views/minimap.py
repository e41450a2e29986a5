"""A narrow strip beside the reader's scroll bar: where the open episode's search
hits, annotations (in their tag colour) and the chosen entity's mentions are, which
one is the current find match (a pointer and a taller tick), and which part of the
episode the view shows.  A click or a drag scrolls the reader so that point is in the
middle of the view.

Marks are document positions; their heights come from the document's layout, which
is asked once per change of marks or of the document's size (zoom, a new width, a
new episode) and cached — a paint only scales the cached fractions, so a 3-hour
episode with 2,000 marks is not laid out per paint.

Placing marks all over the episode lays the whole document out (~80 ms for the
3-hour episode), which Qt otherwise does lazily, the part in view first.  So a paint
never places them: it draws the view's box from the scroll bar (the height laid out
so far) and, when the marks are not placed yet, places them on the next turn of the
event loop — after the reader has shown the text the user opened.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPixmap, QTextDocument
from PySide6.QtWidgets import QStyle, QStyleOptionSlider, QTextEdit, QWidget

from aiviewer.render.palette import surfaces

# lanes, drawn in this order (later on top): x range as fractions of the strip's width.
# The hits, across the strip and often hundreds, go first: drawn last they covered the
# annotations' few marks (review)
LANES = {"hits": (0.0, 1.0), "annotations": (0.0, 0.5), "entity": (0.5, 1.0)}
MIN_MARK = {"hits": 2.0, "annotations": 3.0, "entity": 2.0}  # px: the least a mark is tall
WIDTH = 14
MAX_MARKS = 2000  # per lane: more do not show as more at a few hundred pixels


class Minimap(QWidget):
    def __init__(self, view: QTextEdit, parent=None):
        super().__init__(parent)
        self.view = view
        self.setFixedWidth(WIDTH)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("<b>Episode overview</b> — the framed box is what you see.<br>"
                        "Across the strip: search hits (the hit colour)<br>"
                        "Left half: annotations, in their tag's colour<br>"
                        "Right half: the chosen entity's mentions (N / Shift+N)<br>"
                        "A pointer and a tall tick: the current find match (F3)<br>"
                        "Click or drag to go there.")
        self.setAccessibleName("Episode overview")
        self._marks: dict[str, list[tuple[int, int, QColor]]] = {lane: [] for lane in LANES}
        self._current: tuple[int, int] | None = None  # the current find match
        self._current_at: float | None = None  # its top, a fraction; None: not placed
        self._current_colour = QColor(surfaces("light")["hit"])
        self._fractions: dict[str, list[tuple[float, float, QColor]]] | None = None
        self._pixmap: QPixmap | None = None  # the marks drawn at the strip's size
        self._pixmap_track: tuple[float, float] | None = None  # ... and on this track
        self._layout = None
        self._placing = False  # a placement is queued for the next turn of the loop
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self.update)
        bar.rangeChanged.connect(self._on_range_changed)
        self.relayouts = 0  # how often the marks were placed (tests: not per paint)

    # -- marks --------------------------------------------------------------------------

    def set_marks(self, lane: str, marks: list[tuple[int, int, QColor]]) -> None:
        """(start, end, colour) document positions for one lane."""
        marks = list(marks[:MAX_MARKS])
        if marks == self._marks[lane]:  # F3 repaints the selections, not the marks
            return
        self._marks[lane] = marks
        self.invalidate()

    def marks(self, lane: str) -> list[tuple[int, int, QColor]]:
        return list(self._marks[lane])

    def set_current(self, span: tuple[int, int] | None, colour: QColor | None = None) -> None:
        """The current find match's (start, end), or None, drawn in `colour` (the hit
        colour).  It is drawn over the cached marks, so stepping through 2,000 matches
        with F3 redraws one tick, not all."""
        if colour is not None:
            self._current_colour = QColor(colour)
        if span == self._current:
            return
        self._current, self._current_at = span, None
        self.update()

    def current_fraction(self) -> float | None:
        """The current match's top as a fraction of the document's height (laid out
        once the marks are placed), or None."""
        if self._current is None or self._fractions is None:
            return None
        if self._current_at is None:
            y0, _y1 = _Placer(self.view.document()).span(*self._current)
            self._current_at = y0 / self.document_height()
        return self._current_at

    def clear(self) -> None:
        for lane in LANES:
            self._marks[lane] = []
        self._current, self._current_at = None, None
        self.invalidate()

    def invalidate(self) -> None:
        """The document or the marks changed: place the marks again at the next paint."""
        self._watch_layout()
        self._fractions, self._pixmap, self._current_at = None, None, None
        self.update()

    def _watch_layout(self) -> None:
        layout = self.view.document().documentLayout()
        if layout is not self._layout:
            self._layout = layout
            layout.documentSizeChanged.connect(lambda _size: self.invalidate())

    def _on_range_changed(self, _lo: int, _hi: int) -> None:
        self._fractions, self._pixmap, self._current_at = None, None, None
        self.update()

    def fractions(self, lane: str) -> list[tuple[float, float, QColor]]:
        """Each mark as (top, bottom) fractions of the document's height."""
        if self._fractions is None:
            self._fractions = self._place()
        return self._fractions[lane]

    def _place(self) -> dict[str, list[tuple[float, float, QColor]]]:
        self.relayouts += 1
        self._pixmap = None
        doc = self.view.document()
        placer = _Placer(doc)
        height = placer.layout.documentSize().height() or 1.0
        return {lane: [(y0 / height, y1 / height, colour)
                       for start, end, colour in marks
                       for y0, y1 in [placer.span(start, end)]]
                for lane, marks in self._marks.items()}

    # -- scrolling ------------------------------------------------------------------------

    def document_height(self) -> float:
        return self.view.document().documentLayout().documentSize().height() or 1.0

    def scroll_to_fraction(self, fraction: float) -> None:
        """Put that point of the episode in the middle of the view."""
        bar = self.view.verticalScrollBar()
        target = fraction * self.document_height() - self.view.viewport().height() / 2
        bar.setValue(int(max(bar.minimum(), min(bar.maximum(), target))))

    def track(self) -> tuple[float, float]:
        """(top, height) of the part of the strip the episode is drawn over: level with
        the scroll bar's groove beside it (between its arrows), so that the box of the
        part in view stands level with the scroll bar's handle.  Over the strip's whole
        height the box sat 10-15 px above the handle, and two position marks side by
        side that disagree read as broken (review)."""
        bar = self.view.verticalScrollBar()
        if not bar.isVisible() or bar.height() <= 0:
            return 0.0, float(max(1, self.height() - 1))
        opt = QStyleOptionSlider()
        bar.initStyleOption(opt)
        groove = bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, opt,
                                            QStyle.SubControl.SC_ScrollBarGroove, bar)
        top = bar.mapTo(self.window(), groove.topLeft()).y() \
            - self.mapTo(self.window(), QPoint(0, 0)).y()
        height = min(groove.height(), self.height() - top)
        if height <= 8:
            return 0.0, float(max(1, self.height() - 1))
        return float(top), float(height)

    def y_of(self, fraction: float) -> float:
        top, height = self.track()
        return top + fraction * height

    def fraction_at(self, y: float) -> float:
        top, height = self.track()
        return min(1.0, max(0.0, (y - top) / height))

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.scroll_to_fraction(self.fraction_at(event.position().y()))

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.scroll_to_fraction(self.fraction_at(event.position().y()))

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.alternateBase())
        if self.view.document().isEmpty():
            p.end()
            return
        h = self.height()
        edge = QColor(pal.text().color())
        edge.setAlpha(40)
        p.fillRect(QRectF(0, 0, 1, h), edge)  # a rule between the scroll bar and the strip
        box = QColor(pal.text().color())
        box.setAlpha(36)
        shown = self.visible_box()
        p.fillRect(shown, box)
        if self._fractions is not None:
            p.drawPixmap(0, 0, self._marks_pixmap())
            self._paint_current(p, pal)
        elif not self._placing:
            self._placing = True
            QTimer.singleShot(0, self._place_later)
        # the part of the episode on screen, framed over the marks: a 14 % wash alone
        # was not seen as "you are here" (screenshot review)
        frame = QColor(pal.text().color())
        frame.setAlpha(150)
        p.setPen(frame)
        p.drawRect(shown.adjusted(0.5, 0.5, -0.5, -0.5))
        p.end()

    def _paint_current(self, p: QPainter, pal) -> None:
        """The current find match: a pointer in the text's colour at the strip's left
        edge and a hit tick three times as tall as the others, ringed by the strip's
        background so it stands apart from the ticks next to it.  A hit-coloured tick
        alone was lost among hundreds, and a bar in the text's colour alone read as an
        edge of the visible part's frame, which holds it (reviews)."""
        at = self.current_fraction()
        if at is None:
            return
        w, h = self.width(), self.height()
        y = min(max(3.0, self.y_of(at) + 1), h - 4.0)  # the tick's middle
        p.fillRect(QRectF(0, y - 4, w, 8), pal.alternateBase())
        p.fillRect(QRectF(5, y - 3, w - 5, 6), self._current_colour)
        pointer = QPainterPath()
        pointer.moveTo(0, y - 4)
        pointer.lineTo(5, y)
        pointer.lineTo(0, y + 4)
        pointer.closeSubpath()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillPath(pointer, pal.text())

    def visible_box(self) -> QRectF:
        """The part of the episode in view, on the track: its top is where the scroll
        bar's handle starts (unless the handle is held at its least length)."""
        bar = self.view.verticalScrollBar()
        # the height the view scrolls over: the document as laid out so far (asking
        # the layout for the document's size would lay out all of it now)
        doc_h = float(max(1, bar.maximum() + bar.pageStep()))
        top, height = self.track()
        return QRectF(0, top + bar.value() / doc_h * height, self.width(),
                      max(4.0, self.view.viewport().height() / doc_h * height))

    def _place_later(self) -> None:
        self._placing = False
        if self._fractions is None and not self.view.document().isEmpty():
            self.fractions("hits")
            self.update()

    def _marks_pixmap(self) -> QPixmap:
        """The marks, drawn once per change (2,000 find matches are 2,000 rectangles;
        scrolling repaints only the box over this picture)."""
        ratio = self.devicePixelRatioF()
        track = self.track()
        if (self._pixmap is None or self._pixmap.size() != self.size() * ratio
                or self._pixmap_track != track):
            fractions = {lane: self.fractions(lane) for lane in LANES}
            pix = QPixmap(self.size() * ratio)
            pix.setDevicePixelRatio(ratio)
            pix.fill(Qt.GlobalColor.transparent)
            w = self.width()
            top, h = track
            p = QPainter(pix)
            for lane, (x0, x1) in LANES.items():
                least = MIN_MARK[lane]
                for f0, f1, colour in fractions[lane]:
                    p.fillRect(QRectF(x0 * w, top + f0 * h, (x1 - x0) * w,
                                      max(least, (f1 - f0) * h)), colour)
            p.end()
            self._pixmap, self._pixmap_track = pix, track
        return self._pixmap


class _Placer:
    """Document y of positions, one line's top and bottom per mark (a mark is a word
    or a phrase: its first line stands for it unless it runs far), block rectangles
    cached — 2,000 marks took ~200 ms with two look-ups each and no cache."""

    LONG = 80  # characters: a mark longer than this is measured at both ends

    def __init__(self, doc: QTextDocument):
        self.doc = doc
        self.layout = doc.documentLayout()
        self.last = max(0, doc.characterCount() - 1)
        self.tops: dict[int, float] = {}

    def span(self, start: int, end: int) -> tuple[float, float]:
        y0, y1 = self._line(start)
        if end - start > self.LONG:
            y1 = self._line(end)[1]
        return y0, y1

    def _line(self, position: int) -> tuple[float, float]:
        block = self.doc.findBlock(min(max(0, position), self.last))
        if not block.isValid():
            return 0.0, 0.0
        n = block.blockNumber()
        top = self.tops.get(n)
        if top is None:
            top = self.tops[n] = self.layout.blockBoundingRect(block).top()
        lines = block.layout()
        if lines is not None and lines.lineCount():
            line = lines.lineForTextPosition(position - block.position())
            if line.isValid():
                return top + line.y(), top + line.y() + line.height()
        return top, top + 1.0
