"""The Ctrl+K search box over the window: results as you type, keyboard only.

Each keystroke restarts a short timer; when it fires the query runs on the
reader pool, tagged with a generation number so that a slow, stale answer never
replaces a newer one.  Up/Down move through results, Enter opens the passage,
Esc closes and gives focus back; Up in an empty box recalls recent searches.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGraphicsDropShadowEffect,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from aiviewer.meaning.fusion import HYBRID_DEFAULT
from aiviewer.model import SearchHit, SearchResults
from aiviewer.ui.views import rich_list
from aiviewer.wording import format_ms

DEBOUNCE_MS = 120
# how a passage matched, said beside it when meaning took part
MATCHED = {"meaning": "by meaning", "both": "words + meaning"}
MAX_RECENT = 20


def hit_html(hit: SearchHit) -> str:
    where = " · ".join(x for x in (hit.speaker, format_ms(hit.start_ms) or None,
                                   hit.field if hit.field != "transcript" else None,
                                   MATCHED.get(hit.matched) if hit.field == "transcript"
                                   else None) if x)
    snippet = []
    pos = 0
    for start, end in sorted(hit.highlights):
        if start < pos:
            continue
        snippet.append(escape(hit.snippet[pos:start]))
        snippet.append(f"<b><u>{escape(hit.snippet[start:end])}</u></b>")
        pos = end
    snippet.append(escape(hit.snippet[pos:]))
    where_html = f' &nbsp;<span style="color:gray">{escape(where)}</span>' if where else ""
    body = "".join(snippet)
    title = hit.episode_title if len(hit.episode_title) <= 80 else hit.episode_title[:78] + "…"
    return f"<div><b>{escape(title)}</b>{where_html}<br>{body}</div>"


class SearchPopup(QFrame):
    hit_chosen = Signal(object)  # SearchHit
    closed = Signal()

    def __init__(self, searcher, parent=None):
        """`searcher()` gives the object that answers: `.run(query, generation,
        callback)` off the GUI thread, calling back with (generation, SearchResults),
        and `.run_similar(hit, generation, callback)` for More like this (Ctrl+M)."""
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setObjectName("searchPopup")
        self.setStyleSheet("#searchPopup { border: 1px solid palette(mid); border-radius: 6px;"
                           " background: palette(window); }")
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(28)
        shadow.setOffset(0, 6)
        self.setGraphicsEffect(shadow)
        self.edit = QLineEdit(placeholderText='Search: words, "phrases", speaker:, entity:, '
                                              'date:>2025, grpo~ …', clearButtonEnabled=True)
        self.edit.setAccessibleName("Search the library")
        # hybrid: word hits fused with passages close in meaning; on by default
        # because it ranked the relevance set better than words alone (README)
        self.meaning = QCheckBox("Also by &meaning")
        self.meaning.setChecked(HYBRID_DEFAULT)
        self.meaning.setToolTip('Fuse the word hits with passages close in meaning '
                                '(~~"text" searches by meaning only)')
        self.meaning.toggled.connect(lambda _on: self._start_search())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        rich_list.style(self.results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.edit)
        layout.addWidget(self.meaning)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._searcher = searcher
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_search)
        self.recent: list[str] = []
        self._recent_at = -1
        self.last_results: SearchResults | None = None
        self.edit.textChanged.connect(self._on_edit_changed)
        self.edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(self._on_results_activated)
        self.hide()

    # -- showing ------------------------------------------------------------------------

    def open(self) -> None:
        self.place()
        self.show()
        self.raise_()
        self.edit.setFocus()
        self.edit.selectAll()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(max(520, parent.width() * 6 // 10), parent.width() - 40)
        height = min(max(320, parent.height() * 7 // 10), parent.height() - 80)
        self.setGeometry((parent.width() - width) // 2, 56, width, height)
        rich_list.refit(self.results)

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
        self.results.clear()
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
        self._recent_at = -1
        self._timer.start()

    def _start_search(self) -> None:
        query = self.edit.text().strip()
        self._generation += 1
        if not query:
            self.results.clear()
            self.status.setText("")
            return
        self._searcher().run(query, self._generation, self._on_results)

    def _on_results(self, generation: int, results: SearchResults) -> None:
        if generation != self._generation or not self.isVisible():
            return  # stale: the user has typed since
        self.last_results = results
        self.results.clear()
        for hit in results.hits:
            rich_list.add_row(self.results, hit_html(hit), hit)
        if results.hits:
            self.results.setCurrentRow(0)
        parts = [f"{results.total:,} passage{'s' if results.total != 1 else ''}"]
        if results.understood and results.understood != results.query:
            parts.append(f"understood as <code>{escape(results.understood)}</code>")
        if results.error:
            parts.append(f"<span style='color:#c0392b'>{escape(results.error)}</span>")
        if results.suggestion:
            parts.append(f"did you mean <b>{escape(results.suggestion)}</b>? (Tab)")
        self.status.setText(" · ".join(parts))

    def show_error(self, generation: int, message: str) -> None:
        """The search for this generation failed: its box shows the failure, never
        the previous query's results as if they answered this one."""
        if generation != self._generation:
            return
        self.last_results = None
        self.results.clear()
        self.status.setText(f"<span style='color:#c0392b'>Search failed: "
                            f"{escape(message)}</span>")

    def _on_results_activated(self, item: QListWidgetItem) -> None:
        self._choose(item)

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        query = self.edit.text().strip()
        if query:
            self.recent = [query] + [q for q in self.recent if q != query][:MAX_RECENT - 1]
        self.hide()
        self.hit_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    # -- keys ---------------------------------------------------------------------------

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close_popup()
            return True
        if key == Qt.Key.Key_M and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            item = self.results.currentItem()
            self.more_like(item.data(Qt.ItemDataRole.UserRole) if item else None)
            return True
        if obj is self.edit:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                step = 1 if key == Qt.Key.Key_Down else 5
                row = min(self.results.currentRow() + step, self.results.count() - 1)
                self.results.setCurrentRow(max(row, 0))
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_PageUp):
                if (not self.edit.text() or self._recent_at >= 0) and self.recent:
                    self._recent_at = min(self._recent_at + 1, len(self.recent) - 1)
                    at = self._recent_at
                    self.edit.setText(self.recent[at])
                    self._recent_at = at
                    return True
                step = 1 if key == Qt.Key.Key_Up else 5
                self.results.setCurrentRow(max(self.results.currentRow() - step, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._timer.stop()
                if self.results.currentItem() is not None:
                    self._choose(self.results.currentItem())
                else:
                    self._start_search()
                return True
            if key == Qt.Key.Key_Tab and self.last_results and self.last_results.suggestion:
                self.edit.setText(self.last_results.suggestion)
                return True
        if obj is self.results and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self.results.currentItem())
            return True
        return False
