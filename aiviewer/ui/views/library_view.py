"""The library panel: shows → episodes, a filter box and a sort choice."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiviewer.model import EpisodeSummary

EPISODE_ROLE = Qt.ItemDataRole.UserRole
NO_SHOW = "Other episodes"


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
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Episode", "Date"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, self.tree.header().ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter, 1)
        top.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self._episodes: list[EpisodeSummary] = []
        self.filter.textChanged.connect(self._refill)
        self.sort.currentIndexChanged.connect(self._refill)
        self.tree.itemActivated.connect(self._on_tree_activated)
        self.tree.currentItemChanged.connect(self._on_tree_current)
        self.tree.customContextMenuRequested.connect(self._on_tree_context)
        self.filter.returnPressed.connect(self._focus_first)

    def set_episodes(self, episodes: list[EpisodeSummary]) -> None:
        current = self.current_episode()
        self._episodes = list(episodes)
        self._refill()
        if current:
            self.select(current, emit=False)

    def current_episode(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, EPISODE_ROLE) if item else None

    def select(self, episode_id: str, emit: bool = True) -> None:
        for item in self._episode_items():
            if item.data(0, EPISODE_ROLE) == episode_id:
                self.tree.blockSignals(not emit)
                self.tree.setCurrentItem(item)
                self.tree.blockSignals(False)
                self.tree.scrollToItem(item)
                return

    def step(self, delta: int) -> None:
        items = self._episode_items()
        if not items:
            return
        ids = [i.data(0, EPISODE_ROLE) for i in items]
        cur = self.current_episode()
        at = ids.index(cur) + delta if cur in ids else 0
        at = max(0, min(at, len(items) - 1))
        self.tree.setCurrentItem(items[at])

    def _episode_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.extend(top.child(j) for j in range(top.childCount()))
        return out

    def _refill(self) -> None:
        words = self.filter.text().lower().split()
        by_title = self.sort.currentIndex() == 1
        groups: dict[str, list[EpisodeSummary]] = {}
        for e in self._episodes:
            hay = " ".join([e.title, e.show or "", " ".join(e.speakers), e.date or ""]).lower()
            if all(w in hay for w in words):
                groups.setdefault(e.show or NO_SHOW, []).append(e)
        expanded = {self.tree.topLevelItem(i).text(0).rsplit("  (", 1)[0]
                    for i in range(self.tree.topLevelItemCount())
                    if self.tree.topLevelItem(i).isExpanded()}
        self.tree.blockSignals(True)
        self.tree.clear()
        for show in sorted(groups, key=lambda s: (s == NO_SHOW, s.lower())):
            eps = groups[show]
            if by_title:
                eps.sort(key=lambda e: e.title.lower())
            else:
                # undated episodes keep the order their source gave (feeds: newest first)
                eps.sort(key=lambda e: e.date or "", reverse=True)
            top = QTreeWidgetItem([f"{show}  ({len(eps)})", ""])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for e in eps:
                item = QTreeWidgetItem([e.title, e.date or ""])
                item.setData(0, EPISODE_ROLE, e.id)
                speakers = ", ".join(e.speakers[:4]) or "no named speakers"
                item.setToolTip(0, f"{e.title}\n{speakers}\n{e.n_words:,} words · "
                                   f"{e.n_segments} passages · {e.n_sources} source(s)")
                top.addChild(item)
            self.tree.addTopLevelItem(top)
            top.setExpanded(bool(words) or not expanded or show in expanded)
        self.tree.blockSignals(False)

    def _focus_first(self) -> None:
        items = self._episode_items()
        if items:
            self.tree.setCurrentItem(items[0])
            self.tree.setFocus()

    def _on_tree_activated(self, item: QTreeWidgetItem, column: int) -> None:
        episode_id = item.data(0, EPISODE_ROLE)
        if episode_id:
            self.episode_activated.emit(episode_id)

    def _on_tree_current(self, item: QTreeWidgetItem | None, previous) -> None:
        if item is not None and item.data(0, EPISODE_ROLE):
            self.episode_activated.emit(item.data(0, EPISODE_ROLE))

    def _on_tree_context(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is not None and item.data(0, EPISODE_ROLE):
            self.tree.setCurrentItem(item)
            self.context_requested.emit(item.data(0, EPISODE_ROLE),
                                        self.tree.viewport().mapToGlobal(pos))
