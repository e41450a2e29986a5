"""The Ctrl+K search box over the window: results as you type, keyboard only.

Typing has two phases.  Each keystroke asks at once for unranked first hits from
the prefix index (their own thread: a few milliseconds, shown within a frame or
two) and restarts a short timer; when it fires the ranked query runs on the
reader pool and its results, total and facets replace the first hits.  Every
answer carries the generation it was asked for, so a slow, stale one never
replaces a newer one.  The list holds a page of ranked results and, while more
remain, a last row "Show all 101 passages…" (`search_footer`): Enter on it, a
click on it or on the count line's "show all" loads the rest.  Scrolling the list
to its end with the mouse, or End / PgDn / Down on that last row, fetches the next
page; moving through the rows with the keys does not, so the last row can be
reached.  The facet chips under the box add and remove filters.

Up/Down move through results, Enter opens the passage, Esc clears the box and a
second Esc closes it, giving focus back; Up in an empty box recalls recent
searches; Tab takes a "did you mean", else moves into the chips.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette, QRegion
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiviewer.meaning.fusion import HYBRID_DEFAULT
from aiviewer.model import SearchHit, SearchResults
from aiviewer.ui.first_paint import AfterPaint
from aiviewer.ui.views import rich_rows, search_footer, search_keys
from aiviewer.ui.views.facet_chips import FacetChips
from aiviewer.ui.views.popup_shadow import PopupShadow
from aiviewer.ui.views.rich_list import SELECTION_STYLE
from aiviewer.ui.views.search_rows import (
    continued,
    count_line,
    grouped,
    hit_plain,
    hit_row,
    hit_where,
)

# from the last keystroke to the ranked query at the latest: long enough that a
# burst of keys runs one ranked search; the ranked query starts sooner, as soon as
# the keystroke's first hits are painted (`_rank_after_first`)
DEBOUNCE_MS = 40
PAGE = 30  # results a page asks for (as the search controller's first page)
MAX_RECENT = 20
SHOW_ALL = "#show-all"  # the count line's link
RADIUS = 6  # of the popup's corners, drawn by its shadow frame (popup_shadow)


class SearchPopup(QFrame):
    hit_chosen = Signal(object)  # SearchHit
    closed = Signal()
    # the list was filled: "first" (a keystroke's unranked hits), "ranked", "page"
    shown = Signal(str, int)  # phase, generation

    def __init__(self, searcher, parent=None, over=None):
        """`searcher()` gives the object that answers off the GUI thread:
        `.first(query, generation, callback, stale)` calling back with (generation,
        hits), `.run(query, generation, callback, offset, stale, limit)` with
        (generation, SearchResults), and `.run_similar(hit, generation, callback)`
        for More like this (Ctrl+M); `stale()` says whether the user has typed since.  `over`: the
        widget the popup is centred on and kept within (the reader), so that at
        1280 px it no longer covers the side panel's edge."""
        super().__init__(parent)
        self.over = over
        # opaque (no style sheet, which would turn the background fill off) and
        # masked at its rounded corners, which the shadow frame beneath draws: a
        # keystroke repaints the popup alone, not the reader and lists under it
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setContentsMargins(1, 1, 1, 1)  # the border (paintEvent)
        self.setObjectName("searchPopup")
        self._shadow = PopupShadow(self, parent)
        self.edit = QLineEdit(placeholderText='Search: words, "phrases", speaker:, entity:, '
                                              'date:>2025, grpo~ …', clearButtonEnabled=True)
        self.edit.setAccessibleName("Search the library")
        # hybrid: word hits fused with passages close in meaning; on by default
        # because it ranked the relevance set better than words alone (README)
        self.meaning = QCheckBox("Also by &meaning")
        self.meaning.setChecked(HYBRID_DEFAULT)
        self.meaning.setToolTip('Fuse the word hits with passages close in meaning '
                                '(~~"text" searches by meaning only)')
        self.meaning.toggled.connect(lambda _on: self._on_edit_changed(self.edit.text()))
        self.chips = FacetChips()
        self.chips.toggled.connect(self._on_chip_toggled)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.linkActivated.connect(lambda href: href == SHOW_ALL and self.show_all())
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.setStyleSheet(SELECTION_STYLE)
        self.results.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rich_rows.RichRows(self.results)
        self._rows_painted = AfterPaint(self.results.viewport())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.edit)
        layout.addWidget(self.chips)
        layout.addWidget(self.meaning)
        layout.addWidget(self.status)
        layout.addWidget(WholeRows(self.results), 1)
        self._searcher = searcher
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_search)
        self.recent: list[str] = []
        self._recent_at = -1
        self.last_results: SearchResults | None = None
        self.hits: list[SearchHit] = []  # the rows of the list, in order
        self.ranked = False  # whether the list holds this generation's ranked results
        self._paging = False  # a next page is on its way
        self._query = ""  # the query the list's ranked results answer
        self._chip_filters: list[str] = []  # filters the chips added, in order
        self.edit.textChanged.connect(self._on_edit_changed)
        self.edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self.chips.installEventFilter(self)
        self.results.itemActivated.connect(self._on_results_activated)
        self.results.itemClicked.connect(self._on_clicked)
        # the user's scrolling (wheel, the bar's arrows and drag), not the list
        # following the current row: keys moving to the last row must not page past it
        self.results.verticalScrollBar().actionTriggered.connect(self._on_scrolled)
        self.hide()

    # -- showing ------------------------------------------------------------------------

    def open(self) -> None:
        self.place()
        self.show()
        self.raise_()
        self.edit.setFocus()
        self.edit.selectAll()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._shadow.follow(shown=True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._shadow.follow(shown=False)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.setMask(opaque_region(self.width(), self.height()))
        self._shadow.follow()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """The border's straight edges (the background is filled by Qt; the
        rounded corners are the shadow frame's)."""
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def moveEvent(self, event) -> None:
        super().moveEvent(event)
        self._shadow.follow()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(max(520, parent.width() * 6 // 10), parent.width() - 40)
        height = min(max(320, parent.height() * 7 // 10), parent.height() - 80)
        left, room = (parent.width() - width) // 2, parent.width()
        if self.over is not None and self.over.isVisible():
            area = self.over.geometry()
            area.moveTopLeft(self.over.mapTo(parent, self.over.rect().topLeft()))
            width = min(width, max(520, area.width() - 16))
            left = area.center().x() - width // 2
        left = max(20, min(left, room - width - 20))
        self.setGeometry(left, 56, width, height)
        self.results.doItemsLayout()

    def _fit_rows(self) -> None:
        holder = self.results.parentWidget()
        if isinstance(holder, WholeRows):
            holder.fit()

    @property
    def hybrid(self) -> bool:
        return self.meaning.isChecked()

    def begin_similar(self, label: str) -> int:
        """Show the popup for More like this results; returns their generation."""
        self._timer.stop()
        self.edit.blockSignals(True)
        self.edit.clear()
        self.edit.blockSignals(False)
        self._generation += 1
        self._clear_list()
        self.chips.show_facets({}, [])
        self.status.setText(escape(label) + " …")
        self.open()
        self.results.setFocus()
        return self._generation

    def more_like(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        generation = self.begin_similar("More like this")
        self._searcher().run_similar(hit, generation, self._on_results)

    def close_popup(self) -> None:
        self.hide()
        self.closed.emit()

    # -- searching ----------------------------------------------------------------------

    def _on_edit_changed(self, text: str) -> None:
        """A keystroke: first hits now, the ranked search when the keys pause."""
        self._recent_at = -1
        query = text.strip()
        self._generation += 1
        self.ranked = False
        if not query:
            self._timer.stop()
            self._clear_list()
            self.status.setText("")
            self.chips.show_facets({}, [])
            return
        generation = self._generation
        self._searcher().first(query, generation, self._on_first, stale=self._stale(generation))
        self._timer.start()

    def _stale(self, generation: int):
        return lambda: generation != self._generation

    def _start_search(self) -> None:
        """The ranked search of what the box says (the first hits stay till it answers)."""
        query = self.edit.text().strip()
        if not query:
            return
        generation = self._generation
        self._searcher().run(query, generation, self._on_results, stale=self._stale(generation))

    def _on_first(self, generation: int, hits) -> None:
        if generation != self._generation or self.ranked or not self.isVisible():
            return  # stale, or the ranked results are already there
        if hits is None:  # syntax: no cheap first phase, so rank now
            if self._timer.isActive():
                self._timer.stop()
                self._start_search()
            return
        self._rows_painted.then(lambda: self._rank_after_first(generation))
        self._fill(hits)
        self.status.setText(f"{len(hits):,}{'+' if len(hits) else ''} passages · ranking …")
        self.shown.emit("first", generation)

    def _rank_after_first(self, generation: int) -> None:
        """The first hits are on the screen: the ranked search starts now rather
        than when the pause timer ends.  Not before their paint: the ranked search
        holds the interpreter for tens of milliseconds, and the rows' paint calls
        into Python for each row; nor on a fixed pause: waiting 40 ms after hits
        painted in 10 was a third of the wait for ranked results (bench gui)."""
        if generation == self._generation and self._timer.isActive():
            self._timer.stop()
            self._start_search()

    def _on_results(self, generation: int, results: SearchResults) -> None:
        if generation != self._generation or not self.isVisible():
            return  # stale: the user has typed since
        self.ranked = True
        self._paging = False
        self._query = results.query
        self.last_results = results
        self._fill(results.hits)
        self._chip_filters = [f for f in self._chip_filters if f in self.edit.text()]
        self.chips.show_facets(results.facets, self._chip_filters)
        self._say_status()
        self.shown.emit("ranked", generation)

    def _say_status(self) -> None:
        results = self.last_results
        if results is None:
            return
        parts = [count_line(len(self.hits), max(results.total, len(self.hits)))]
        if self.has_more and not self._paging:
            # said where the eye is, as well as by the list's last row (out of sight
            # until the list is scrolled to it)
            parts[0] += f" — <a href='{SHOW_ALL}'>show all</a>"
        if results.understood and results.understood != results.query:
            parts.append(f"understood as <code>{escape(results.understood)}</code>")
        if results.error:
            parts.append(f"<span style='color:{_error()}'>{escape(results.error)}</span>")
        if results.suggestion:
            parts.append(f"did you mean <b>{escape(results.suggestion)}</b>? (Tab)")
        if self._paging:
            parts.append("loading more …")
        if results.notice:
            parts.append(f"<i>{escape(results.notice)}</i>")
        self.status.setText(" · ".join(parts))

    def _clear_list(self) -> None:
        self.hits = []
        self.results.clear()
        self._fit_rows()

    def _fill(self, hits) -> None:
        self._clear_list()
        self._append(hits)
        if self.hits:
            self.results.setCurrentRow(0)
        self._fit_rows()

    def _append(self, hits) -> None:
        self.results.setUpdatesEnabled(False)
        search_footer.set_footer(self.results, None)
        hits = grouped(list(hits))  # an episode's passages together (within a page)
        for hit, under in continued(hits, self.hits[-1].episode_id if self.hits else None):
            item = rich_rows.add_row(self.results, hit_row(hit, under), hit_plain(hit), hit)
            item.setToolTip(hit_where(hit))  # the grey line whole, when the row cut it
        self.hits.extend(hits)
        self._say_footer()
        self.results.setUpdatesEnabled(True)

    def _say_footer(self) -> None:
        """The last row while results remain unshown: what Enter on it does."""
        if not self.has_more:
            search_footer.set_footer(self.results, None)
            return
        shown, total = len(self.hits), self.last_results.total
        search_footer.set_footer(
            self.results, search_footer.footer_text(shown, total, self._paging),
            search_footer.footer_tip(shown, total, PAGE))

    # -- paging -------------------------------------------------------------------------

    @property
    def has_more(self) -> bool:
        return (self.ranked and self.last_results is not None and bool(self._query)
                and len(self.hits) < self.last_results.total)

    def load_more(self, limit: int = PAGE) -> None:
        """Fetch the next `limit` of the ranked results (once at a time)."""
        if self._paging or not self.has_more:
            return
        self._paging = True
        self._say_status()
        self._say_footer()
        generation = self._generation
        self._searcher().run(self._query, generation, self._on_page, offset=len(self.hits),
                             stale=self._stale(generation), limit=limit)

    def show_all(self) -> None:
        """The footer row chosen: the rest of the results (ALL_AT_ONCE at most)."""
        if self.has_more:
            self.load_more(min(self.last_results.total - len(self.hits),
                               search_footer.ALL_AT_ONCE))

    def _on_page(self, generation: int, results: SearchResults) -> None:
        if generation != self._generation or not self.isVisible():
            return
        self._paging = False
        row = self.results.currentRow()
        if results.hits:
            self._append(results.hits)
        else:  # the library changed under the query: say what is there
            self.last_results = replace(self.last_results, total=len(self.hits))
            self._say_footer()
        # the footer's row (when it was current) is now the first new result
        self.results.setCurrentRow(min(row, self.results.count() - 1))
        self._say_status()
        self._fit_rows()
        self.shown.emit("page", generation)

    def _on_scrolled(self, _action: int) -> None:
        bar = self.results.verticalScrollBar()
        if bar.maximum() > 0 and bar.sliderPosition() >= bar.maximum() - bar.pageStep() // 2:
            self.load_more()

    # -- chips --------------------------------------------------------------------------

    def _on_chip_toggled(self, text: str, on: bool) -> None:
        """Add the chip's filter to the query, or take it out; the box searches again."""
        query = self.edit.text()
        if on:
            self._chip_filters.append(text)
            query = f"{query.rstrip()} {text}"
        else:
            self._chip_filters = [f for f in self._chip_filters if f != text]
            query = re.sub(r"\s*" + re.escape(text) + r"(?=\s|$)", "", query)
        self.edit.setText(query.strip())
        if self.chips.hasFocus() and self.chips.count():
            self.chips.setCurrentRow(0)

    def show_error(self, generation: int, message: str) -> None:
        """The search for this generation failed: its box shows the failure, never
        the previous query's results as if they answered this one."""
        if generation != self._generation:
            return
        self.last_results = None
        self.ranked = True  # no first hits after the failure
        self._paging = False
        self._clear_list()
        self.status.setText(f"<span style='color:{_error()}'>Search failed: "
                            f"{escape(message)}</span>")

    def _on_results_activated(self, item: QListWidgetItem) -> None:
        self._choose(item)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        """One click on the footer loads the rest (a result opens on activation)."""
        if search_footer.is_footer(item):
            self.show_all()

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        if search_footer.is_footer(item):
            self.show_all()
            return
        query = self.edit.text().strip()
        if query:
            self.recent = [query] + [q for q in self.recent if q != query][:MAX_RECENT - 1]
        self.hide()
        self.hit_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    # -- keys ---------------------------------------------------------------------------

    def eventFilter(self, obj, event) -> bool:
        return search_keys.handle(self, obj, event)


class WholeRows(QWidget):
    """Holds the result list at a height of whole rows: the popup's bottom edge
    cut the last visible row in half (screenshot review).  The popup keeps its
    size — growing and shrinking with each keystroke's rows would repaint the
    reader beneath it every time — and the list takes the whole rows that fit in
    the room the popup has for it, from the top; what is left (less than a row)
    stays blank under the list.  Rows are of several heights (one to three lines
    of text), so the snap is measured again whenever rows or room change."""

    def __init__(self, view: QListWidget):
        super().__init__()
        self.view = view
        view.setParent(self)
        view.setMinimumHeight(0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.view.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(0, 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        room = self.height()
        if self.view.width() != self.width():  # rows wrap at the width they will have
            self.view.resize(self.width(), room)
        self.view.setGeometry(0, 0, self.width(), whole_rows_height(self.view, room))


def whole_rows_height(view: QListWidget, room: int) -> int:
    """The list's height in `room`: all of it when every row fits (or there are
    none), else its frame and the whole rows that fit from the first."""
    frame = 2 * view.frameWidth()
    if view.count() == 0:
        return room
    view.doItemsLayout()
    used, last = 0, 0
    for i in range(view.count()):
        used += view.visualItemRect(view.item(i)).height()
        if used > room - frame:
            break
        last = used
    else:
        return room  # every row fits: nothing is cut
    return frame + last if last else room


def opaque_region(width: int, height: int) -> QRegion:
    """The popup less its corners' RADIUS squares.  An opaque widget is one Qt
    paints alone: while the popup was see-through (a style sheet with a border
    radius) every change in it — a key in the box, a new row, the count line —
    repainted everything beneath that spot (the reader's 3-hour episode, the
    library list, the side panel and the shadow's blur) before the popup itself."""
    region = QRegion(0, 0, width, height)
    for x in (0, width - RADIUS):
        for y in (0, height - RADIUS):
            region -= QRegion(x, y, RADIUS, RADIUS)
    return region


def _error() -> str:
    """The theme's error colour (#c0392b was 3.3:1 on the dark page)."""
    from aiviewer.render.palette import surfaces
    from aiviewer.ui.theme import current
    return surfaces(current())["error"]
