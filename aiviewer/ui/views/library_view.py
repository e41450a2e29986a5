"""The library panel: shows → episodes, a filter box and a sort choice.

One flat list of rows — a heading per show, then its episodes unless the show is
folded — in a QTableView.  A tree view lays out every expanded row on each
refill (one Python call per row: 30 ms at 6,000 episodes, on the GUI thread,
every few seconds during an import); a table asks only for the rows it paints,
so a refill costs the same at 60 episodes and at 6,000.

Keys work as in a tree: Left folds the show (or moves to its heading), Right
unfolds it, Enter or Space on a heading toggles it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aiviewer.model import EpisodeSummary
from aiviewer.ui.views.word_elide import WordElideDelegate
from aiviewer.wording import plural

EPISODE_ROLE = Qt.ItemDataRole.UserRole
NO_SHOW = "Without a show"  # episodes whose source names no show (status bar: "1 without a show")
_INDENT = "    "
# computed once: flags() is asked for on every paint and key press
_SHOW_FLAGS = Qt.ItemFlag.ItemIsEnabled
_EPISODE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class LibraryModel(QAbstractTableModel):
    """Rows are `(show, count, folded)` headings or EpisodeSummary items."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[str, int, bool] | EpisodeSummary] = []
        self._row_of: dict[str, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = rows
        # episode id -> row: opening an episode selects its row (a scan of 6,400 rows
        # was ~10 ms of opening one at 100x)
        self._row_of = {row.id: r for r, row in enumerate(rows) if not isinstance(row, tuple)}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Episode", "Date")[section]
        return None

    def flags(self, index):
        row = self.rows[index.row()] if index.isValid() else None
        if row is None:
            return Qt.ItemFlag.NoItemFlags
        return _SHOW_FLAGS if isinstance(row, tuple) else _EPISODE_FLAGS

    def episode(self, index: QModelIndex) -> EpisodeSummary | None:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        return None if isinstance(row, tuple) else row

    def show_at(self, row: int) -> str | None:
        """The show heading at `row`, or None for an episode row."""
        item = self.rows[row] if 0 <= row < len(self.rows) else None
        return item[0] if isinstance(item, tuple) else None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if isinstance(row, tuple):
            show, count, folded = row
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{'▸' if folded else '▾'} {show}  ({count})"
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{show}: {plural(count, 'episode')} (Enter folds or unfolds)"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _INDENT + row.title if index.column() == 0 else (row.date or "")
        if role == EPISODE_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            speakers = ", ".join(row.speakers[:4]) or "no named speakers"
            return (f"{row.title}\n{row.date or 'no date'} · {speakers}\n{row.n_words:,} "
                    f"words · {row.n_segments} passages · {row.n_sources} source(s)")
        return None

    def find(self, episode_id: str) -> QModelIndex:
        r = self._row_of.get(episode_id)
        return self.index(r, 0) if r is not None else QModelIndex()

    def episode_rows(self) -> list[int]:
        return [r for r, row in enumerate(self.rows) if not isinstance(row, tuple)]


class _Table(QTableView):
    """The table with a tree's keys for folding shows."""

    toggle = Signal(int, object)  # row, True = fold / False = unfold / None = toggle

    def keyPressEvent(self, event) -> None:
        model: LibraryModel = self.model()
        row = self.currentIndex().row()
        key = event.key()
        show = model.show_at(row)
        if show is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.toggle.emit(row, None)
            return
        if key == Qt.Key.Key_Left and not event.modifiers():
            if show is not None:
                self.toggle.emit(row, True)
            else:  # to the episode's show heading, as a tree does
                while row > 0 and model.show_at(row) is None:
                    row -= 1
                self.setCurrentIndex(model.index(row, 0))
            return
        if key == Qt.Key.Key_Right and not event.modifiers() and show is not None:
            self.toggle.emit(row, False)
            return
        super().keyPressEvent(event)


class LibraryView(QWidget):
    episode_activated = Signal(str)
    context_requested = Signal(str, object)  # episode id, global pos

    def __init__(self, parent=None):
        super().__init__(parent)
        self.filter = QLineEdit(placeholderText="Filter episodes…", clearButtonEnabled=True)
        self.filter.setAccessibleName("Filter episodes")
        self.sort = QComboBox()
        self.sort.addItems(["Newest first", "Title"])
        self.sort.setAccessibleName("Sort episodes")
        self.model = LibraryModel(self)
        self.list = _Table()
        self.list.setAccessibleName("Library")
        self.list.setModel(self.model)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        self.list.setItemDelegateForColumn(0, WordElideDelegate(self.list))
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setTabKeyNavigation(False)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.list.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.list.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.fontMetrics().horizontalAdvance("2026-12-31") + 16)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter, 1)
        top.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self._episodes: list[EpisodeSummary] = []
        self._folded: set[str] = set()
        self._quiet = False
        self.filter.textChanged.connect(self._refill)
        self.sort.currentIndexChanged.connect(self._refill)
        self.list.activated.connect(self._on_activated)
        self.list.clicked.connect(self._on_clicked)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        self.list.toggle.connect(self._toggle)
        self.list.customContextMenuRequested.connect(self._on_context)
        self.filter.returnPressed.connect(self._focus_first)

    def set_episodes(self, episodes: list[EpisodeSummary]) -> None:
        current = self.current_episode()
        self._episodes = list(episodes)
        # a Date column that is mostly empty takes the titles' room (the sample library:
        # 2 of 64 dated); the date stays in the filter and the tooltip
        dated = sum(1 for e in self._episodes if e.date)
        self.list.setColumnHidden(1, dated * 2 < len(self._episodes))
        self._refill()
        if current:
            self.select(current, emit=False)

    def current_episode(self) -> str | None:
        e = self.model.episode(self.list.currentIndex())
        return e.id if e else None

    def select(self, episode_id: str, emit: bool = True) -> None:
        index = self.model.find(episode_id)
        if not index.isValid():  # in a folded show: unfold it
            show = next((e.show or NO_SHOW for e in self._episodes if e.id == episode_id), None)
            if show is None or show not in self._folded:
                return
            self._folded.discard(show)
            self._refill()
            index = self.model.find(episode_id)
        if index.isValid():
            self._quiet = not emit
            self.list.setCurrentIndex(index)
            self._quiet = False
            self.list.scrollTo(index)

    def step(self, delta: int) -> None:
        rows = self.model.episode_rows()
        if not rows:
            return
        cur = self.list.currentIndex().row()
        if cur in rows:
            at = rows.index(cur) + delta
        else:  # on a heading: the first episode after (or before) it
            after = [i for i, r in enumerate(rows) if r > cur]
            at = after[0] if after and delta > 0 else (after[0] - 1 if after else len(rows) - 1)
        self.list.setCurrentIndex(self.model.index(rows[max(0, min(at, len(rows) - 1))], 0))

    def _refill(self) -> None:
        words = self.filter.text().lower().split()
        by_title = self.sort.currentIndex() == 1
        groups: dict[str, list[EpisodeSummary]] = {}
        for e in self._episodes:
            if words:
                hay = " ".join([e.title, e.show or "", " ".join(e.speakers),
                                e.date or ""]).lower()
                if not all(w in hay for w in words):
                    continue
            groups.setdefault(e.show or NO_SHOW, []).append(e)
        rows: list = []
        spans = []
        for show in sorted(groups, key=lambda s: (s == NO_SHOW, s.lower())):
            eps = groups[show]
            if by_title:
                eps.sort(key=lambda e: e.title.lower())
            else:
                # undated episodes keep the order their source gave (feeds: newest first)
                eps.sort(key=lambda e: e.date or "", reverse=True)
            folded = show in self._folded and not words
            spans.append(len(rows))
            rows.append((show, len(eps), folded))
            if not folded:
                rows.extend(eps)
        self._quiet = True
        self.model.set_rows(rows)
        self.list.clearSpans()
        for r in spans:  # a heading reads across both columns
            self.list.setSpan(r, 0, 1, 2)
        self._quiet = False

    def _toggle(self, row: int, fold: bool | None) -> None:
        show = self.model.show_at(row)
        if show is None:
            return
        fold = (show not in self._folded) if fold is None else fold
        if fold == (show in self._folded):
            return
        if fold:
            self._folded.add(show)
        else:
            self._folded.discard(show)
        self._refill()
        heading = next((r for r in range(len(self.model.rows))
                        if self.model.show_at(r) == show), 0)
        self._quiet = True
        self.list.setCurrentIndex(self.model.index(heading, 0))
        self._quiet = False

    def _focus_first(self) -> None:
        rows = self.model.episode_rows()
        if rows:
            self.list.setCurrentIndex(self.model.index(rows[0], 0))
            self.list.setFocus()

    def _on_clicked(self, index: QModelIndex) -> None:
        if self.model.show_at(index.row()) is not None:
            self._toggle(index.row(), None)

    def _on_activated(self, index: QModelIndex) -> None:
        e = self.model.episode(index)
        if e:
            self.episode_activated.emit(e.id)

    def _on_current(self, index: QModelIndex, previous) -> None:
        e = self.model.episode(index)
        if e is not None and not self._quiet:
            self.episode_activated.emit(e.id)

    def _on_context(self, pos) -> None:
        index = self.list.indexAt(pos)
        e = self.model.episode(index)
        if e is not None:
            self.list.setCurrentIndex(index)
            self.context_requested.emit(e.id, self.list.viewport().mapToGlobal(pos))
