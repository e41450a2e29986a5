"""Drawing one insight `Chart` with pyqtgraph, and finding the cell under a click.

Bars are horizontal (entity names read on the left axis however long), a matrix
is an image with one pixel per cell and the counts written in it, lines are one
series per entity over months or stretches of an episode.  A click anywhere on
the plot is mapped to view coordinates and then to the nearest mark's `Cell`
(`cell_at`), so bars, cells and points all lead to their passages the same way.

pyqtgraph is imported here only, when the Insights window is first opened: it
costs about 0.4 s to import (numpy included) and the app's start pays nothing.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph import exporters
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsPathItem, QGraphicsWidget

from aiviewer.insights import Cell, Chart
from aiviewer.render.palette import contrast, surfaces

LINE_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442",
                "#999999")
LEGEND_HEIGHT = 150  # px of the colour scale beside a matrix
CELL_FONT_MIN_PX = 9  # a matrix cell's number: the small PMI cells' size (7 pt) ...
CELL_FONT_SHARE = 0.4  # ... growing with the cell, up to the app's text size


class InsightChart(pg.PlotWidget):
    """A plot of one chart; `cell_clicked(Cell)` when a mark is clicked."""

    cell_clicked = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chart: Chart | None = None
        self.mode = "light"
        self._grid: dict[tuple[int, int], Cell] = {}
        self._labels: list[pg.TextItem] = []
        self._numbers: list[pg.TextItem] = []  # a matrix's cell numbers (sized to the cell)
        # what a row's own cell says: "own name" (speakers), "—" (an entity with itself)
        self._own_names: list[pg.TextItem] = []
        self._marked = self._marked_cell = None
        self.legend: pg.ColorBarItem | None = None
        self.hatched: QGraphicsPathItem | None = None
        self.empty_key: EmptyKey | None = None
        self.setMenuEnabled(False)
        self.plotItem.hideButtons()
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.set_theme("light")

    # -- theme -----------------------------------------------------------------------

    def set_theme(self, mode: str) -> None:
        self.mode = mode
        dark = mode == "dark"
        self.fg = QColor("#e8eaed" if dark else "#202124")
        self.page = "#17181a" if dark else "#ffffff"
        self.setBackground(self.page)
        self._axis_lines(True)
        if self.chart is not None:
            marked = self._marked_cell
            self.show_chart(self.chart)
            self.mark(marked)

    def _axis_lines(self, drawn: bool) -> None:
        """The axes' lines and ticks in the text colour, or none (a matrix): its row
        and column names say what the cells are, and the bottom axis line ran under
        the rotated column names, a frame ~165 px below the grid (screenshot review)."""
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.setPen(pg.mkPen(self.fg) if drawn else pg.mkPen(None))
            axis.setTextPen(pg.mkPen(self.fg))

    def axis_lines_drawn(self) -> bool:
        """Whether the left and bottom axis lines are painted (for tests)."""
        return any(self.getAxis(side).pen().style() != Qt.PenStyle.NoPen
                   and self.getAxis(side).pen().color().alpha() > 0
                   for side in ("left", "bottom"))

    # -- drawing ---------------------------------------------------------------------

    def show_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.clear()
        self._drop_legend()
        self._marked = self._marked_cell = None  # the outlined mark (cleared with the rest)
        self._labels.clear()
        self._numbers.clear()
        self._own_names.clear()
        self._grid.clear()
        self._axis_lines(chart.shape != "matrix" or drawn_as_bars(chart))
        self.plotItem.setTitle(chart.title, color=self.fg, size="11pt")
        self._room: tuple[int, float] | None = None
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.setTicks(None)
            axis.enableAutoSIPrefix(False)
            axis.showLabel(False)
        self.setMouseEnabled(x=False, y=False)
        if not chart.cells:
            self._say("nothing to count in this scope" + (
                ": " + "; ".join(chart.notes) if chart.notes else ""))
        elif drawn_as_bars(chart):
            self._bars(chart)
        elif chart.shape == "matrix":
            self._matrix(chart)
        else:
            self._lines(chart)

    def _say(self, text: str) -> None:
        item = pg.TextItem(text, color=self.fg, anchor=(0.5, 0.5))
        self.addItem(item)
        item.setPos(0.5, 0.5)
        self.setXRange(0, 1)
        self.setYRange(0, 1)

    def _bars(self, chart: Chart) -> None:
        n = len(chart.cells)
        ys = [n - 1 - i for i in range(n)]  # the first bar on top
        partners = chart.shape != "bars"  # one entity's partners: the bar is the partner
        colour = "#56b4e9" if self.mode == "dark" else "#0072b2"
        self.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.7, width=[c.value for c in chart.cells],
                                     brush=colour, pen=pg.mkPen(None)))
        for i, c in enumerate(chart.cells):
            self._grid[(0, ys[i])] = c
            said = (f"{c.count} passages" if partners else
                    f"{c.count:,}" + (f" · {c.episodes} ep" if c.episodes else ""))
            text = pg.TextItem(said, color=self.fg, anchor=(0, 0.5))
            self.addItem(text)
            text.setPos(max(c.value, 0), ys[i])
        self.getAxis("left").setTicks([[(ys[i], _short(c.col if partners else chart.name(c.row),
                                                       28))
                                        for i, c in enumerate(chart.cells)]])
        self.getAxis("bottom").setLabel(chart.measure, color=self.fg.name())
        top = max(max(c.value for c in chart.cells), 0)
        low = min(min(c.value for c in chart.cells), 0)
        self.setXRange(low * 1.1, top * 1.18 + 0.01, padding=0)
        self.setYRange(-0.6, n - 0.4, padding=0)

    def _matrix(self, chart: Chart) -> None:
        import numpy as np

        rows, cols = list(chart.rows), list(chart.cols)
        data = np.full((len(cols), len(rows)), np.nan)  # ImageItem is indexed [x, y]
        symmetric = chart.insight == "cooccur" and rows == cols
        y_of = {r: len(rows) - 1 - i for i, r in enumerate(rows)}
        x_of = {c: i for i, c in enumerate(cols)}
        for c in chart.cells:
            for r, k in ((c.row, c.col), (c.col, c.row)) if symmetric else ((c.row, c.col),):
                if r in y_of and k in x_of:
                    data[x_of[k], y_of[r]] = c.value
                    self._grid[(x_of[k], y_of[r])] = c
        values = [c.value for c in chart.cells]
        if chart.insight == "cooccur":
            top = max(1.0, max(abs(v) for v in values))
            cmap, levels = pg.colormap.get("CET-D1"), (-top, top)
        else:
            cmap, levels = pg.colormap.get("viridis"), (0, max(values))
        image = pg.ImageItem(_rgba(cmap, levels, data, QColor(self.page).getRgb()))
        image.setRect(-0.5, -0.5, len(cols), len(rows))
        self.addItem(image)
        # a row's own cell, when empty, is no pair: a speaker's own name is left out of
        # the counts, and an entity with itself is no co-occurrence (a review read its
        # hatching as pairs too rare to show).  Plain cells that say so, not hatched.
        itself = "own\nname" if chart.insight == "speakers" else "—" if symmetric else None
        plain = [r for r in rows if itself and r in x_of and np.isnan(data[x_of[r], y_of[r]])]
        self._hatch_empty(data, {(x_of[r], y_of[r]) for r in plain})
        for r in plain:
            label = pg.TextItem(itself, anchor=(0.5, 0.5), color=self.fg)
            label.setZValue(2)
            self.addItem(label)
            label.setPos(x_of[r], y_of[r])
            self._own_names.append(label)
        self._add_legend(cmap, levels, chart)
        for (x, y), c in self._grid.items():
            text = pg.TextItem(f"{c.count}", anchor=(0.5, 0.5),
                               color="#000000" if _light_cell(cmap, levels, c.value) else "#ffffff")
            self.addItem(text)
            text.setPos(x, y)
            self._numbers.append(text)
        self.getAxis("left").setTicks([[(y_of[r], _short(r, 24)) for r in rows]])
        self.getAxis("bottom").setTicks([[]])
        for x, k in enumerate(cols):  # column names written upwards under the matrix
            label = pg.TextItem(_short(k, 22), color=self.fg, angle=90, anchor=(1, 0.5))
            self.addItem(label)
            label.setPos(x, -0.6)
        self.setXRange(-0.5, len(cols) - 0.5, padding=0.02)
        longest = max((len(_short(k, 22)) for k in cols), default=0)
        self._room = (len(rows), 6.2 * longest + 12)
        self._fit_matrix()

    def _hatch_empty(self, data, plain: set[tuple[int, int]] = frozenset()) -> None:
        """Cells of no data (a pair never said together, a speaker who never names
        the entity) in the page's colour, outlined and hatched faintly.  A grey fill
        read as a low value on the dark theme, where viridis starts near-black and
        the diverging map's ends are dark too (screenshot review)."""
        import numpy as np

        path = QPainterPath()
        outline = QPainterPath()  # `plain` cells: outlined, not hatched ("own name")
        for x, y in zip(*np.nonzero(np.isnan(data)), strict=True):
            (outline if (int(x), int(y)) in plain else path).addRect(
                QRectF(x - 0.5, y - 0.5, 1.0, 1.0))
        faint, hatch = _empty_colours(self.fg)
        if not outline.isEmpty():
            box = QGraphicsPathItem(outline)
            box.setPen(QPen(faint, 0))
            box.setZValue(1)
            self.addItem(box)
        if path.isEmpty():
            return
        pen = QPen(faint, 0)  # cosmetic: one pixel at any zoom
        item = QGraphicsPathItem(path)
        item.setPen(pen)
        item.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        item.setZValue(1)
        self.addItem(item)
        self.hatched = item

    def _add_legend(self, cmap, levels, chart: Chart) -> None:
        """A compact colour scale right of the matrix: its gradient from low to high
        with the numbers of its two ends (the colours had no key)."""
        low, high = levels
        bar = pg.ColorBarItem(values=(low, high), colorMap=cmap, width=12, interactive=False,
                              colorMapMenu=False)
        label = "PMI" if chart.insight == "cooccur" else chart.measure
        for side in ("left", "top", "bottom", "right"):
            axis = bar.getAxis(side)
            axis.setPen(pg.mkPen(self.fg))
            axis.setTextPen(pg.mkPen(self.fg))
        bar.axis.setTicks([[(low, _legend_number(low)), (high, _legend_number(high))]])
        bar.axis.setLabel(label, color=self.fg.name())
        bar.setMaximumHeight(LEGEND_HEIGHT)
        bar.setMinimumHeight(LEGEND_HEIGHT)
        self.plotItem.layout.addItem(bar, 2, 5)
        self.plotItem.layout.setAlignment(bar, Qt.AlignmentFlag.AlignTop)
        self.legend = bar
        if self.hatched is not None:  # the hatching's key under the scale (it had none)
            key = EmptyKey(self.fg, "too few" if chart.insight == "cooccur" else "none")
            key.setParentItem(bar)
            key.setPos(0, LEGEND_HEIGHT + 8)
            self.empty_key = key

    def _drop_legend(self) -> None:
        self.empty_key = None
        if getattr(self, "legend", None) is not None:
            self.plotItem.layout.removeItem(self.legend)
            self.scene().removeItem(self.legend)
            self.legend = None
        self.hatched = None

    def legend_ends(self) -> tuple[str, str] | None:
        """The numbers written at the scale's two ends (for tests)."""
        if self.legend is None:
            return None
        ticks = self.legend.axis._tickLevels[0]
        return ticks[0][1], ticks[-1][1]

    def _fit_matrix(self) -> None:
        """Leave room under the matrix for its column names, which are sized in
        pixels while the matrix is sized in cells."""
        if getattr(self, "_room", None) is None:  # pyqtgraph resizes before __init__ ends
            return
        n, label_px = self._room
        h = max(self.plotItem.vb.height(), label_px + 60)
        room = label_px * n / (h - label_px)
        self.setYRange(-0.6 - room, n - 0.5, padding=0.01)
        self._size_numbers()

    def cell_pixels(self) -> tuple[float, float]:
        """A matrix cell's width and height on screen, in pixels."""
        vb = self.plotItem.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        return (vb.width() / ((x1 - x0) or 1), vb.height() / ((y1 - y0) or 1))

    def number_pixel_size(self) -> int:
        """The cell numbers' size: 9 px in the PMI chart's small cells, growing with
        the cell up to the app's text size — the speakers chart's large cells held
        the same 7-pt digits, lost in them (screenshot review)."""
        from PySide6.QtGui import QFontInfo

        w, h = self.cell_pixels()
        digits = max((len(t.textItem.toPlainText()) for t in self._numbers), default=1)
        fits = min(h * CELL_FONT_SHARE, (w - 4) / (0.62 * digits))
        app_px = QFontInfo(QApplication.font()).pixelSize()
        return int(max(CELL_FONT_MIN_PX, min(fits, max(app_px, CELL_FONT_MIN_PX))))

    def _size_numbers(self) -> None:
        if not self._numbers:
            return
        font = QFont(QApplication.font().family())
        font.setPixelSize(self.number_pixel_size())
        for text in (*self._numbers, *self._own_names):
            text.setFont(font)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_matrix()

    def _lines(self, chart: Chart) -> None:
        cols = list(chart.cols)
        x_of = {c: i for i, c in enumerate(cols)}
        self.addLegend(offset=(10, 10), labelTextColor=self.fg)
        for n, row in enumerate(chart.rows):
            mine = {c.col: c for c in chart.cells if c.row == row}
            ys = [mine[c].value if c in mine else 0 for c in cols]
            colour = LINE_COLOURS[n % len(LINE_COLOURS)]
            self.plot(list(range(len(cols))), ys, pen=pg.mkPen(colour, width=2), symbol="o",
                      symbolBrush=colour, symbolPen=None, symbolSize=7, name=row)
            for col, c in mine.items():
                self._grid[(x_of[col], n)] = c
        step = max(1, math.ceil(len(cols) / 12))
        self.getAxis("bottom").setTicks([[(i, c) for i, c in enumerate(cols) if i % step == 0]])
        self.getAxis("left").setLabel(chart.measure, color=self.fg.name())
        self.setXRange(-0.5, len(cols) - 0.5, padding=0.02)
        self.setYRange(0, max(c.value for c in chart.cells) * 1.1, padding=0.02)

    # -- clicking --------------------------------------------------------------------

    def cell_at(self, x: float, y: float) -> Cell | None:
        """The mark at view coordinates (x, y), or None."""
        chart = self.chart
        if chart is None or not chart.cells:
            return None
        if drawn_as_bars(chart):
            c = self._grid.get((0, round(y)))
            lo, hi = sorted((0.0, c.value)) if c is not None else (0.0, 0.0)
            return c if c is not None and lo - 0.5 <= x <= hi * 1.18 + 0.5 else None
        if chart.shape == "matrix":
            return self._grid.get((round(x), round(y)))
        col = round(x)
        near = [(abs(c.value - y), c) for (cx, _n), c in self._grid.items() if cx == col]
        if not near:
            return None
        span = max((c.value for c in chart.cells), default=1) or 1
        dist, cell = min(near, key=lambda t: t[0])
        return cell if dist <= span * 0.08 + 0.5 else None

    def mark(self, cell: Cell | None) -> None:
        """Outline the mark whose passages are listed (nothing said which bar, cell or
        point the list below belonged to: the blind screenshot review)."""
        if self._marked is not None:
            self.removeItem(self._marked)
            self._marked = None
        self._marked_cell = cell
        where = next(((x, y) for (x, y), c in self._grid.items() if c is cell), None)
        if cell is None or where is None or self.chart is None:
            return
        x, y = where
        pen = pg.mkPen(surfaces(self.mode)["hit"], width=2.5)  # the reader's hit outline
        if drawn_as_bars(self.chart):
            item = pg.BarGraphItem(x0=min(0, cell.value), y=[y], height=0.82,
                                   width=[abs(cell.value)], brush=None, pen=pen)
        elif self.chart.shape == "matrix":
            item = pg.BarGraphItem(x0=x - 0.5, y=[y], height=1.0, width=[1.0], brush=None,
                                   pen=pen)
        else:
            item = pg.ScatterPlotItem([x], [cell.value], symbol="o", size=14, pen=pen,
                                      brush=None)
        item.setZValue(10)
        self.addItem(item)
        self._marked = item

    def point_of(self, cell: Cell) -> QPointF:
        """Where a cell's mark is, in the widget's own coordinates (for tests)."""
        for (x, y), c in self._grid.items():
            if c is cell:
                if drawn_as_bars(self.chart):
                    x = c.value / 2
                elif self.chart.shape == "lines":
                    y = c.value
                scene = self.plotItem.vb.mapViewToScene(QPointF(x, y))
                return self.mapFromScene(scene).toPointF()
        raise KeyError(cell)

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = vb.mapSceneToView(event.scenePos())
        cell = self.cell_at(p.x(), p.y())
        if cell is not None:
            self.cell_clicked.emit(cell)

    # -- export ----------------------------------------------------------------------

    def export(self, path: str | os.PathLike[str]) -> None:
        """PNG or SVG by the name's ending; written beside and renamed into place, so
        a failed export leaves the previous file untouched."""
        path = Path(path)
        fmt = path.suffix.lower()
        if fmt not in (".png", ".svg"):
            raise ValueError(f"{path.name}: a chart exports as .png or .svg")
        tmp = path.with_name(f".{path.stem}.partial{fmt}")
        try:
            if fmt == ".svg":
                self._svg(tmp)
            else:
                exporter = exporters.ImageExporter(self.plotItem)
                exporter.parameters()["width"] = max(800, self.width() * 2)
                exporter.export(str(tmp))
            if not tmp.exists():
                raise OSError(f"{path}: the chart could not be written")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


    def _svg(self, path: Path) -> None:
        """Qt's own SVG painter over the widget: pyqtgraph 0.14's SVG exporter fails on
        the paths Qt 6.11 writes ("not enough values to unpack")."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(self.size())
        gen.setViewBox(QRect(0, 0, self.width(), self.height()))
        gen.setTitle(self.chart.title if self.chart else "aiviewer insight")
        painter = QPainter(gen)
        try:
            self.render(painter)
        finally:
            painter.end()


def _legend_number(value: float) -> str:
    """A scale's end as the cells write their numbers: whole counts plainly, PMI
    to two decimals."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.2f}"


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def drawn_as_bars(chart: Chart) -> bool:
    """Bars, and one entity's partners (a one-row matrix reads better as bars)."""
    return chart.shape == "bars" or (chart.insight == "cooccur"
                                     and bool(chart.params.get("focus")))


def _rgba(cmap, levels, data, empty=(0, 0, 0, 0)):
    """The matrix as RGBA bytes, a pair never said together in the quiet `empty`
    colour: through a lookup table its NaN came out black, a grid of holes on the dark
    theme, and the page's own colour would hide where the matrix ends."""
    import numpy as np

    low, high = levels
    t = np.clip((np.nan_to_num(data, nan=low) - low) / ((high - low) or 1.0), 0.0, 1.0)
    rgba = np.asarray(cmap.map(t.ravel(), mode="byte"), dtype=np.uint8)
    rgba = rgba.reshape(data.shape + (rgba.shape[-1],)).copy()
    if rgba.shape[-1] == 3:
        rgba = np.concatenate([rgba, np.full(data.shape + (1,), 255, np.uint8)], axis=-1)
    rgba[np.isnan(data)] = empty
    return rgba


def _light_cell(cmap, levels, value: float) -> bool:
    """Whether black text reads better than white on the cell's colour, by WCAG
    contrast: HSL lightness called the darkest reds light (black numbers on them)."""
    lo, hi = levels
    t = 0.5 if hi == lo else (value - lo) / (hi - lo)
    colour = cmap.map(min(1.0, max(0.0, t)), mode="qcolor").name()
    return contrast("#000000", colour) >= contrast("#ffffff", colour)


def _empty_colours(fg: QColor) -> tuple[QColor, QColor]:
    """(outline, hatching) of a cell with no data, from the theme's text colour: the
    outline at 0.55 (0.22 read, in dark, as viridis's near-black lowest), the hatching at
    0.4, or 0.25 on the dark theme (light text) where light lines glared."""
    faint, hatch = QColor(fg), QColor(fg)
    faint.setAlphaF(0.55)
    hatch.setAlphaF(0.25 if fg.lightness() > 128 else 0.4)
    return faint, hatch


class EmptyKey(QGraphicsWidget):
    """The key of a matrix's hatched cells, under its colour scale: a hatched square
    and, under it, what it means ("none": never said; "too few": fewer passages together
    than a pair needs).  A blind review read the hatching as a colour of the scale.
    Under, not beside: the scale stands at the plot's right edge, which cut a word
    beside the square ("too fev")."""

    def __init__(self, fg: QColor, text: str):
        super().__init__()
        self.fg = QColor(fg)
        self.text = text
        self.resize(QSizeF(max(14, QFontMetrics(self.font()).horizontalAdvance(text) + 2), 36))

    def paint(self, painter, option, widget=None) -> None:
        faint, hatch = _empty_colours(self.fg)  # as `_hatch_empty` draws the cells
        painter.setPen(QPen(faint, 1))
        painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        painter.drawRect(QRectF(0.5, 2.5, 13, 13))
        painter.setPen(self.fg)
        painter.drawText(QRectF(0, 18, self.size().width(), 18),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         self.text)
