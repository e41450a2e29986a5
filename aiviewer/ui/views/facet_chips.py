"""The row of facet chips under the search box: show, speaker, year and entity kind
with their counts, each a filter the query can take (`show:"Latent Space"`,
`speaker:"Nathan Lambert"`, `date:2025`, `kind:model`).

A horizontal list rather than a row of buttons, so that the keyboard works as in
any list: Tab into it, Left/Right between chips, Space or Enter toggles one,
Backspace or Delete removes an active one; a click toggles too.  The row only
says what was toggled (`toggled(filter, on)`); the popup edits the query.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from aiviewer.ingest.speakers import is_transcriber_label

# facet (as SearchResults.facets names it) → the query field that filters by it
FIELDS = {"show": "show", "speaker": "speaker", "year": "date", "kind": "kind"}
# chips shown per facet: the most frequent values
SHOWN = {"show": 3, "speaker": 3, "year": 3, "kind": 4}
FILTER = Qt.ItemDataRole.UserRole


def filter_text(facet: str, value: str) -> str:
    """The query filter a chip adds: `show:"Latent Space"`, `date:2025`."""
    field = FIELDS[facet]
    plain = value and all(c.isalnum() or c in "-_./" for c in value)
    return f"{field}:{value}" if plain else f'{field}:"{value.replace(chr(34), "")}"'


def per_episode(speaker: str) -> bool:
    """Whether a speaker label is a transcriber's (`is_transcriber_label`): such labels
    are per episode, and a chip "speaker: Speaker 1 · 4" read as one person across the
    library.  The chip stays (filtering by it is still what the query does, and useful
    within an episode or a show) and says "(per episode)" — leaving it out would have
    hidden passages' speakers without a word."""
    return is_transcriber_label(speaker)


class FacetChips(QListWidget):
    toggled = Signal(str, bool)  # filter text, on

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Filter the results")
        self.setFlow(QListView.Flow.LeftToRight)
        # chips wrap onto as many lines as they need: every chip in sight, none
        # behind a horizontal scroll
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(3)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setStyleSheet(
            "QListWidget { border: none; background: transparent; }"
            "QListWidget::item { border: 1px solid palette(mid); border-radius: 9px;"
            " padding: 1px 8px; }"
            "QListWidget::item:selected { border: 2px solid #3d6fb4; color: palette(text);"
            " background: transparent; }")
        self.itemClicked.connect(self._toggle)
        self.hide()

    def show_facets(self, facets: dict[str, dict[str, int]], active: list[str]) -> None:
        """Active filters first (marked, removable), then each facet's top values."""
        self.clear()
        for text in active:
            self._add(f"✕ {text}", text, True, f"Remove the filter {text} (Backspace)")
        for facet, field in FIELDS.items():
            for value, count in list(facets.get(facet, {}).items())[:SHOWN[facet]]:
                text = filter_text(facet, value)
                if text in active or not value:
                    continue
                tip = f"Only passages with {text} ({count:,})"
                shown = value
                if facet == "speaker" and per_episode(value):
                    shown = f"{value} (per episode)"
                    tip += (" — a transcriber's label: each episode numbers its own voices, "
                            "so this is not one person across episodes (rename the speaker "
                            "in an episode to name them)")
                self._add(f"{field if facet != 'year' else 'year'}: {shown} · {count:,}",
                          text, False, tip)
        self.setVisible(self.count() > 0)
        self.fit()

    def fit(self) -> None:
        """As tall as the wrapped chips (laid out now: a click may come before a paint)."""
        self.doItemsLayout()
        bottom = max((self.visualItemRect(self.item(i)).bottom() for i in range(self.count())),
                     default=0) + self.verticalScrollBar().value()
        self.setFixedHeight(bottom + 2 * self.frameWidth() + 6)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()
    def _add(self, label: str, text: str, on: bool, tip: str) -> None:
        item = QListWidgetItem(label)
        item.setData(FILTER, (text, on))
        item.setToolTip(tip)
        if on:
            font = QFont(self.font())
            font.setBold(True)
            item.setFont(font)
            item.setBackground(self.palette().highlight())
            item.setForeground(self.palette().highlightedText())
        self.addItem(item)

    def chip(self, row: int) -> tuple[str, bool]:
        return self.item(row).data(FILTER)

    def _toggle(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            text, on = item.data(FILTER)
            self.toggled.emit(text, not on)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        item = self.currentItem()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._toggle(item)
            return
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            if item is not None and item.data(FILTER)[1]:
                self._toggle(item)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if self.currentRow() < 0 and self.count():
            self.setCurrentRow(0)
