"""The Insights window: a scope, a chart, its table, and the passages behind a mark.

Pick a scope (the library, a show, the open episode, a tag, a search) and a
chart; the window asks for it through `compute(name, scope, params, on_done)`
(the controller runs it on the reader thread) and draws it.  Clicking a bar,
cell or point — or Enter on a row of the table — lists the passages that mark
counts; Enter on a passage emits `passage_chosen` and the reader opens it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiviewer.insights import Cell, Chart, Passage, Scope
from aiviewer.ui.theme import KINDS
from aiviewer.ui.views import rich_rows, search_rows
from aiviewer.ui.views.insight_chart import InsightChart, drawn_as_bars
from aiviewer.ui.views.rich_list import SELECTION_STYLE
from aiviewer.ui.views.sort_header import use_sort_header
from aiviewer.wording import format_ms, plural

ROLE = Qt.ItemDataRole.UserRole
FULL_LABEL = Qt.ItemDataRole.UserRole + 1  # a scope's label before it was elided
SORT_KEY = Qt.ItemDataRole.UserRole + 2  # a table cell's number (or folded name) to sort by
VALUE_COLUMN = 2  # the chart's measure: what its bars are long by, its cells coloured by
SCOPE_HINT = "library, show:TITLE, episode:ID, tag:NAME or search:QUERY"
PASSAGE_LIMIT = 500  # listed at once; the count says how many there are

# (menu text, insight, fixed parameters)
CHARTS = (
    ("Top entities", "entities", {}),
    ("Said together (PMI)", "cooccur", {}),
    ("Speakers × entities", "speakers", {}),
    ("Tags × entities", "tags", {"by": "entity"}),
    ("Tags × speakers", "tags", {"by": "speaker"}),
    ("Mentions per month", "timeline", {"by": "month"}),
    ("Along the episode", "timeline", {"by": "episode"}),
)
USES_KIND = {"entities", "cooccur", "speakers"}
USES_ENTITY = {"cooccur", "timeline"}


class _SortItem(QTableWidgetItem):
    """A table cell sorted by its SORT_KEY: numbers as numbers ("10" after "9", and
    a PMI of -0.5 before 0.3), names without regard to case."""

    def __lt__(self, other) -> bool:
        mine, theirs = self.data(SORT_KEY), other.data(SORT_KEY)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


def _number(value: float) -> str:
    """A chart value as the table shows it: a count whole ("1234", where `.3g` had
    written "1.23e+03" for the top entities of a big library), a PMI with two
    decimals, so that the column's numbers line up ("1.10", not "1.1" beside "1.85")."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def table_heads(chart: Chart) -> list[str]:
    """The table's column names, capitalised as the app's other tables are, naming
    what the rows and columns hold ("Speaker", "Entity") rather than "row, column"."""
    if chart.shape == "bars":
        heads = ["Entity", "Kind"]
    elif chart.shape == "lines":
        heads = ["Entity", "When"]
    elif chart.insight == "speakers":
        heads = ["Speaker", "Entity"]
    elif chart.insight == "tags":
        heads = ["Tag", str(chart.params.get("by", "entity")).capitalize()]
    elif chart.insight == "cooccur":
        heads = ["Entity", "With"]
    else:
        heads = ["Row", "Column"]
    measure = chart.measure.split(" (")[0]
    return [*heads, measure[:1].upper() + measure[1:], "Count", "Passages", "Episodes"]


class InsightsWindow(QWidget):
    passage_chosen = Signal(object)  # a Passage

    def __init__(self, compute, load_passages, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Insights — aiviewer")
        self.compute = compute
        self.load_passages = load_passages
        self.chart_data: Chart | None = None
        self.cell: Cell | None = None
        self._asked = 0
        self._build()

    def _build(self) -> None:
        self.scope = QComboBox()
        self.scope.setEditable(True)
        self.scope.setToolTip(SCOPE_HINT)
        self.scope.setMinimumContentsLength(32)
        # as wide as 32 characters, not as the longest label ("This episode: <title>"):
        # the labels are elided to it with "…" (`_elide_scopes`), the entity field
        # keeps its room, and the tooltip has the whole label
        self.scope.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope.installEventFilter(self)
        self.scope.currentIndexChanged.connect(lambda _i: self._scope_tooltip())
        self.which = QComboBox()
        self.which.addItems([c[0] for c in CHARTS])
        self.kind = QComboBox()
        self.kind.addItems(["all kinds", *KINDS])
        self.entity = QLineEdit()
        self.entity.setPlaceholderText("entity (co-occurrence, timeline)")
        # room for the whole placeholder: squeezed, it read "entity (co-oc…"
        self.entity.setMinimumWidth(
            self.entity.fontMetrics().horizontalAdvance(self.entity.placeholderText()) + 24)
        self.members = QCheckBox("Versions apart")
        self.members.setToolTip("Count Qwen 3 and Qwen 2.5 apart instead of as Qwen")
        controls = QHBoxLayout()
        for label, w in (("&Scope", self.scope), ("&Chart", self.which), ("&Kind", self.kind)):
            lab = QLabel(label)
            lab.setBuddy(w)
            controls.addWidget(lab)
            controls.addWidget(w)
        controls.addWidget(self.entity, 1)
        controls.addWidget(self.members)
        self.buttons = {}
        for key, text in (("png", "PNG…"), ("svg", "SVG…"), ("csv", "CSV…")):
            b = QPushButton(text)
            b.setToolTip(f"Export the {'table' if key == 'csv' else 'chart'} as {key.upper()}")
            b.clicked.connect(lambda _=False, k=key: self.ask_export(k))
            controls.addWidget(b)
            self.buttons[key] = b
        self.plot = InsightChart()
        self.plot.cell_clicked.connect(self.show_cell)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        use_sort_header(self.table)  # ▼ over the largest-first column
        self.table.setHorizontalHeaderLabels(["", "", "Value", "Count", "Passages"])
        # a click on a header sorts by it (again: the other way); at first by the
        # chart's own measure, largest first, so that the table lists the marks in the
        # chart's order (sorted by passages, an entity was 6th in the chart and 9th in
        # the table: blind review)
        self.table.horizontalHeader().setSortIndicator(VALUE_COLUMN,
                                                       Qt.SortOrder.DescendingOrder)
        # row numbers read as ranks, and they are not (after a header click they are
        # just positions): the first column names the row
        self.table.verticalHeader().hide()
        # rows a line high, as the annotation browser's: the style's 30 px showed
        # nine rows, so the 10th bar's row, selected, scrolled the first out of view
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemActivated.connect(lambda item: self.show_cell(item.data(ROLE)))
        # the row's selection shows where the keys are, as in the app's other lists;
        # the style's focus frame around one cell of it looked like a stray box
        self.table.setItemDelegate(rich_rows.PlainFocus(self.table))
        self.passage_head = QLabel("Click a bar, cell or point (or Enter on a row) for its "
                                   "passages")
        self.passage_head.setWordWrap(True)
        self.passages = QListWidget()
        # the search popup's rows: the title cut with an ellipsis, the speaker and time
        # a right-aligned column, the text wrapped (no sideways scrolling)
        rich_rows.RichRows(self.passages)
        self.passages.setStyleSheet(SELECTION_STYLE)  # a tint: the row's text stays legible
        self.passages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.passages.itemActivated.connect(
            lambda item: self.passage_chosen.emit(item.data(ROLE)))
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.passage_head)
        rv.addWidget(self.passages, 1)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.table)
        lower.addWidget(right)
        lower.setSizes([420, 520])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot)
        split.addWidget(lower)
        split.setSizes([460, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.notes)
        layout.addWidget(split, 1)
        self.scope.activated.connect(lambda _i: self.refresh())
        self.scope.lineEdit().returnPressed.connect(self.refresh)
        self.which.currentIndexChanged.connect(lambda _i: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.members.toggled.connect(lambda _b: self.refresh())
        self.entity.returnPressed.connect(self.refresh)
        self.resize(1100, 820)

    # -- choosing --------------------------------------------------------------------

    def set_scopes(self, scopes: list[tuple[str, str]], current: str = "library") -> None:
        """(label, scope text) pairs for the picker; typing any scope text works too."""
        self.scope.blockSignals(True)
        self.scope.clear()
        for i, (label, value) in enumerate(scopes):
            self.scope.addItem(label, value)
            self.scope.setItemData(i, label, FULL_LABEL)
            self.scope.setItemData(i, label, Qt.ItemDataRole.ToolTipRole)
        index = next((i for i, (_l, v) in enumerate(scopes) if v == current), 0)
        self.scope.setCurrentIndex(index)
        self.scope.blockSignals(False)
        self._elide_scopes()

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent

        if obj is self.scope and event.type() == QEvent.Type.Resize:
            self._elide_scopes()
        return super().eventFilter(obj, event)

    def _elide_scopes(self) -> None:
        """Each label cut after its last whole word that fits the field, with "…":
        a long episode title was cut mid-word with no sign of it (screenshot review).
        The items' own text is elided (the edit shows the current item's text, and
        `current_scope` matches the two), so the drop-down list shows them elided too,
        each with its whole label as its tooltip."""
        from aiviewer.ui.views.word_elide import elide_words

        edit = self.scope.lineEdit()
        room = edit.width() - 8 if edit.width() > 40 else (
            self.scope.fontMetrics().averageCharWidth() * self.scope.minimumContentsLength())
        current = self.scope.currentIndex()
        shown = current >= 0 and self.scope.currentText() == self.scope.itemText(current)
        self.scope.blockSignals(True)
        for i in range(self.scope.count()):
            full = self.scope.itemData(i, FULL_LABEL)
            if full:
                short = elide_words(full, edit.fontMetrics(), room)
                if self.scope.itemText(i) != short:
                    self.scope.setItemText(i, short)
        if shown and self.scope.currentText() != self.scope.itemText(current):  # not typed
            self.scope.setEditText(self.scope.itemText(current))
        self.scope.blockSignals(False)
        self._scope_tooltip()

    def _scope_tooltip(self) -> None:
        i = self.scope.currentIndex()
        full = self.scope.itemData(i, FULL_LABEL) if i >= 0 else None
        self.scope.setToolTip(f"{full}\n\n{SCOPE_HINT}" if full else SCOPE_HINT)

    def current_scope(self) -> Scope:
        i = self.scope.currentIndex()
        text = self.scope.currentText()
        if i >= 0 and self.scope.itemText(i) == text and self.scope.itemData(i):
            text = self.scope.itemData(i)
        return Scope.parse(text)

    def choose(self, chart_text: str) -> None:
        self.which.setCurrentIndex(next(i for i, c in enumerate(CHARTS) if c[0] == chart_text))

    def request(self) -> tuple[str, Scope, dict]:
        _text, name, fixed = CHARTS[self.which.currentIndex()]
        params = dict(fixed)
        params["families"] = not self.members.isChecked()
        kind = self.kind.currentText()
        if name in USES_KIND and kind in KINDS:
            params["kinds" if name == "cooccur" else "kind"] = (kind,) if name == "cooccur" else kind
        entities = tuple(e.strip() for e in self.entity.text().split(",") if e.strip())
        if name == "cooccur" and entities:
            params["focus"] = entities[0]
        if name == "timeline" and entities:
            params["entities"] = entities
        return name, self.current_scope(), params

    def refresh(self) -> None:
        try:
            name, scope, params = self.request()
        except ValueError as exc:
            self.notes.setText(str(exc))
            return
        self._asked += 1
        asked = self._asked
        self.notes.setText("Counting…")
        self.compute(name, scope, params, lambda chart: self._on_chart(asked, chart),
                     lambda message: self._on_failed(asked, message))

    def _on_failed(self, asked: int, message: str) -> None:
        if asked == self._asked:
            self.notes.setText(message)

    def _on_chart(self, asked: int, chart: Chart) -> None:
        if asked != self._asked:  # a newer request is on its way
            return
        self.show_chart(chart)

    # -- showing ---------------------------------------------------------------------

    def show_chart(self, chart: Chart) -> None:
        self.chart_data = chart
        notes = list(chart.notes) or [chart_caption(chart)]
        if chart.insight == "speakers":  # its notes add to the caption, not replace it
            notes = [chart_caption(chart), *chart.notes]
        if not self.members.isChecked() and chart.insight in ("entities", "speakers", "tags"):
            # the entity panel counts each version apart: say why the figures differ
            notes.append("Versions count under their family (GPT includes GPT-5, GPT-oss…); "
                         "tick “Versions apart” to count them separately.")
        if chart.insight == "cooccur" and not drawn_as_bars(chart):
            notes.append("Colour: PMI — red more often together than chance, blue less; "
                         "the number is the passages with both.")
        elif chart.insight == "cooccur":  # one entity's partners, drawn as bars
            notes.append("Each bar is the PMI of a pair — right of zero more often together "
                         "than chance, left less; the label says the passages with both.")
        self.notes.setText(" · ".join(notes))
        self.plot.show_chart(chart)
        self.table.setHorizontalHeaderLabels(table_heads(chart))
        self.table.setSortingEnabled(False)  # rows stay where they are put while filling
        self.table.setRowCount(len(chart.cells))
        for r, c in enumerate(chart.cells):
            for k, (text, key) in enumerate((
                    (chart.name(c.row), chart.name(c.row).lower()), (c.col, c.col.lower()),
                    (_number(c.value), float(c.value)), (str(c.count), c.count),
                    (str(len(c.passages)), len(c.passages)),
                    (str(c.episodes) if c.episodes else "", c.episodes))):
                item = _SortItem(text)
                item.setData(ROLE, c)
                item.setData(SORT_KEY, key)
                if k >= 2:  # numbers line up on their last digit
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, k, item)
        # one column says a number once: a bar's count is its value, and a pair's
        # count is the passages with both (the co-occurrence table showed it twice)
        self.table.setColumnHidden(3, all(_number(c.value) == str(c.count)
                                          or c.count == len(c.passages)
                                          for c in chart.cells))
        # the bars say "305 · 44 ep": the table has the episodes too (a review found the
        # chart's two units and the table's two different ones); charts counting none
        # have no column of blanks
        self.table.setColumnHidden(5, not any(c.episodes for c in chart.cells))
        # a bar chart of one kind said "model" on every row: the title says the kind
        self.table.setColumnHidden(1, chart.shape == "bars"
                                   and len({c.col for c in chart.cells}) <= 1)
        header = self.table.horizontalHeader()
        if self.table.isColumnHidden(header.sortIndicatorSection()):
            header.setSortIndicator(VALUE_COLUMN, Qt.SortOrder.DescendingOrder)
        # sorted as the header says (the user's last choice, else the chart's measure,
        # largest first); ties keep the chart's order (the sort is stable)
        self.table.setSortingEnabled(True)
        # a new chart's table starts at its first row, not where the last one was
        self.table.scrollToTop()
        self.table.resizeColumnsToContents()
        # the names take the width the table has (they sat in a narrow column beside
        # an empty half of the table); the numbers keep their own
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def show_cell(self, cell: Cell) -> None:
        """List the passages a mark counts; the first one is selected, Enter opens it."""
        self.cell = cell
        self.plot.mark(cell)
        self._select_row_of(cell)
        chart = self.chart_data
        both = " and ".join(x for x in (cell.row, cell.col) if x)
        if chart is not None and chart.shape == "bars":
            both = chart.name(cell.row)
        # the mentions the cell counts are marked in each passage (a row or column that
        # is a speaker, a month or a tag marks nothing: no entity is named so)
        names = [x for x in (cell.row, cell.col) if x]
        shown = self.load_passages(cell.passages[:PASSAGE_LIMIT], names,
                                   not self.members.isChecked())
        more = (f" (the first {PASSAGE_LIMIT})" if len(cell.passages) > PASSAGE_LIMIT else "")
        self.passage_head.setText(f"{both}: {len(cell.passages):,} passages{more} — Enter opens "
                                  "one in the reader")
        self.passages.clear()
        # each episode's passages together, in its order: the list reads as the search
        # popup's, a title once over its passages (a review saw one title repeated)
        for p, under in search_rows.continued(
                search_rows.grouped(shown, place=lambda p: p.char_start)):
            row = _passage_row(p, continued=under)
            rich_rows.add_row(self.passages, row, _passage_text(row, p), p, ROLE)
        if shown:
            self.passages.setCurrentRow(0)
        self.passages.setFocus()

    def _select_row_of(self, cell: Cell) -> None:
        """The table row of a mark clicked in the chart is selected and scrolled to,
        wherever the table's sort has put it."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(ROLE) == cell:
                if self.table.currentRow() != r:
                    self.table.setCurrentCell(r, 0)
                self.table.scrollToItem(item)
                return

    def set_theme(self, mode: str) -> None:
        self.plot.set_theme(mode)

    # -- export ----------------------------------------------------------------------

    def ask_export(self, fmt: str) -> None:
        if self.chart_data is None:
            return
        name = f"{self.chart_data.insight}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, f"Export as {fmt.upper()}", name,
                                              f"{fmt.upper()} (*.{fmt})")
        if path:
            self.export(fmt, path if path.lower().endswith(f".{fmt}") else f"{path}.{fmt}")

    def export(self, fmt: str, path: str) -> bool:
        from aiviewer.errors import AiviewerError
        from aiviewer.export.files import write_text

        try:
            if fmt == "csv":
                write_text(path, self.chart_data.to_csv())
            else:
                self.plot.export(path)
        except (OSError, ValueError, AiviewerError) as exc:
            QMessageBox.warning(self, "Export failed", f"{path}: {exc}")
            return False
        return True


SNIPPET_CHARS = 240
BEFORE_MARK = 70  # characters of context kept before the first marked mention


def _passage_row(p: Passage, continued: bool = False) -> rich_rows.Row:
    """Title, where, and a snippet of the passage that shows its first marked mention
    (from its start it often did not: "Kimi" said two hundred characters in).
    `continued`: the row above is of the same episode, so the title is left out and
    the row sits indented under it."""
    where = " · ".join(x for x in (p.speaker, format_ms(p.start_ms)
                                   if p.start_ms is not None else None) if x)
    text = p.text
    start = 0
    if p.marks and p.marks[0][0] > SNIPPET_CHARS - 40:
        start = max(0, p.marks[0][0] - BEFORE_MARK)
        space = text.find(" ", start, p.marks[0][0])
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    head, tail = ("…" if start else ""), ("…" if end < len(text) else "")
    shift = len(head) - start
    marks = tuple((a + shift, min(b, end) + shift) for a, b in p.marks
                  if a >= start and a < end)
    return rich_rows.Row("" if continued else p.episode_title, where,
                         f"{head}{text[start:end]}{tail}", marks, continued=continued)


def _passage_text(row: rich_rows.Row, p: Passage) -> str:
    """The row's plain form (screen readers, tests): always with its episode's title."""
    return f"{p.episode_title}{' · ' + row.where if row.where else ''}\n{row.body}"


def chart_caption(chart: Chart) -> str:
    """Say what this chart's marks are — "20 bars, cells or points" left the reader to
    work out which of the three they were looking at."""
    n = len(chart.cells)
    measure = chart.measure.split(" (")[0]
    if chart.shape == "bars":
        return f"{plural(n, 'bar')}; each is an entity's {measure} (· ep: in how many episodes)"
    if chart.shape == "matrix":
        grid = len(chart.rows) * len(chart.cols)
        if chart.insight == "cooccur" and chart.rows == chart.cols:
            grid = len(chart.rows) * (len(chart.rows) - 1)  # both halves, no diagonal
            n *= 2
        of = f" of {grid:,}" if grid > n else ""
        # "36 cells" under a 3 × 15 grid left the 9 hatched ones unexplained (review)
        return (f"{n:,}{of} cells have {measure}, in colour and as a number"
                + ("; hatched: none" if of else ""))
    return f"{plural(n, 'point')}; each is an entity's {measure} in one period"
