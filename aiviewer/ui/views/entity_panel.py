"""The entity panel: what the open episode mentions, grouped by kind, with a
legend that toggles each kind's highlight; under it, two tabs share the room:
"Mentions" — every mention of the selected entity across the library, each
opening its passage — and "Suggestions", the episode's names heard below the
confidence bar, to confirm or reject (`suggestion_list.py`).  (Stacked, the tree,
the mentions and the suggestions each had a third of the panel and a scroll bar of
its own: a review found it cramped.)"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiviewer.model import EntityCount, MentionInContext
from aiviewer.ui.theme import ENTITY_COLOURS, KINDS
from aiviewer.ui.views import rich_list, search_rows
from aiviewer.ui.views.key_hint import KeyHint
from aiviewer.ui.views.suggestion_list import SuggestionList
from aiviewer.wording import format_ms, plural

NAME_ROLE = Qt.ItemDataRole.UserRole


class EntityPanel(QWidget):
    entity_selected = Signal(str)
    step_requested = Signal(str, int)  # canonical, +1/-1
    everywhere_requested = Signal(str)
    mention_chosen = Signal(object)  # MentionInContext
    kinds_toggled = Signal(frozenset)  # hidden kinds
    edit_requested = Signal(str)  # canonical
    remove_requested = Signal(str)  # canonical

    def __init__(self, parent=None):
        super().__init__(parent)
        self.legend = QWidget()
        grid = QGridLayout(self.legend)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for i, kind in enumerate(KINDS):
            box = QCheckBox(kind)
            box.setChecked(True)
            box.setToolTip(f"Highlight {kind} mentions")
            box.toggled.connect(self._on_kind_toggled)
            self.kind_boxes[kind] = box
            grid.addWidget(box, i // 3, i % 3)
        self._legend_columns = 3
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Entity", "Mentions"])
        self.tree.setAccessibleName("Entities in this episode")
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, self.tree.header().ResizeMode.ResizeToContents)
        self.info = QLabel("Select an entity to step through its mentions.")
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        # the keys on a line of their own under the count (key_hint): one wording at
        # 1280 and 1920 px, the whole of it in the tooltip
        self.keys = KeyHint(["<b>N</b> / <b>Shift+N</b>: next / previous mention",
                             "<b>N</b> / <b>Shift+N</b>: its mentions"],
                            "N / Shift+N (Go menu) step through the selected entity's "
                            "mentions in the reader; Everywhere lists them across the library")
        self.prev_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.everywhere_button = QPushButton("Everywhere")
        self.everywhere_button.setToolTip("Every mention in the library")
        buttons = QHBoxLayout()
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.everywhere_button)
        self.everywhere = rich_list.HintedList(
            # choosing an entity in the tree steps the reader to its mentions; what lists
            # them across the library is Everywhere, or a click on a name in the reader
            # (the hint had said "Click an entity": review)
            "Everywhere lists the chosen entity's mentions across the library; so does a "
            "click on a name in the reader")
        self.everywhere.setWordWrap(True)
        rich_list.style(self.everywhere)
        self.everywhere.setAccessibleName("Mentions across the library")
        # whose mentions the list holds ("DeepSeek — 12 mentions in 5 episodes"): the
        # cards alone did not say (blind review)
        self.everywhere_head = QLabel("")
        self.everywhere_head.setWordWrap(True)
        self.everywhere_head.setTextFormat(Qt.TextFormat.RichText)
        self.everywhere_head.hide()
        mentions_box = self.mentions_box = QWidget()
        mentions_layout = QVBoxLayout(mentions_box)
        mentions_layout.setContentsMargins(0, 4, 0, 0)
        mentions_layout.setSpacing(2)
        mentions_layout.addWidget(self.everywhere_head)
        mentions_layout.addWidget(self.everywhere, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.tree, 1)
        top_layout.addWidget(self.info)
        top_layout.addWidget(self.keys)
        top_layout.addLayout(buttons)
        self.suggestion_list = SuggestionList()
        self.lower = QTabWidget()
        self.lower.setDocumentMode(True)
        self.lower.addTab(mentions_box, "Mentions")
        self.lower.addTab(self.suggestion_list, "Suggestions")
        self.lower.setTabToolTip(0, "Every mention of the selected entity in the library")
        self.lower.setTabToolTip(1, "Names heard in this episode that may be known entities: "
                                    "confirm or reject them")
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.lower)
        split.setCollapsible(1, False)
        split.setSizes([420, 320])
        self.suggestion_list.counted.connect(self._on_suggestions_counted)
        self.suggestion_list.arrived.connect(self._on_episode_suggestions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.legend)
        layout.addWidget(split, 1)
        self.current: str | None = None
        self._mode = "light"
        self.tree.currentItemChanged.connect(self._on_tree_current)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_tree_context)
        self.tree.itemActivated.connect(lambda item, col: self._step(1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.everywhere_button.clicked.connect(self._on_everywhere)
        self.everywhere.itemActivated.connect(
            lambda item: self.mention_chosen.emit(item.data(NAME_ROLE)))

    def set_theme(self, mode: str) -> None:
        self._mode = mode
        for kind, box in self.kind_boxes.items():
            fg, bg = ENTITY_COLOURS[mode][kind]
            box.setStyleSheet(f"QCheckBox {{ color: {fg}; background: {bg}; padding: 1px 4px;"
                              " border-radius: 3px; }")

    def set_entities(self, counts: list[EntityCount]) -> None:
        self.tree.clear()
        self.everywhere.clear()
        self.everywhere_head.hide()
        by_kind: dict[str, list[EntityCount]] = {}
        for c in counts:
            by_kind.setdefault(c.kind, []).append(c)
        for kind in sorted(by_kind, key=lambda k: KINDS.index(k) if k in KINDS else 99):
            items = sorted(by_kind[kind], key=lambda c: (-c.mentions, c.canonical.lower()))
            top = QTreeWidgetItem([f"{kind}  ({len(items)})", str(sum(c.mentions for c in items))])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for c in items:
                child = QTreeWidgetItem([c.canonical, str(c.mentions)])
                child.setData(0, NAME_ROLE, c.canonical)
                if c.description:
                    child.setToolTip(0, c.description)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        # a new episode: the previous one's "mention 3 of 14" no longer says anything
        self.current = None
        self.info.setText(f"{plural(len(counts), 'entity', 'entities')} in this episode"
                          if counts else "No known entities in this episode.")
        self.keys.setVisible(bool(counts))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._reflow_legend(event.size().width())

    def _reflow_legend(self, width: int) -> None:
        """Three kinds a row when they fit whole, else two — and in a very narrow panel
        "organization" says "org." (its tooltip says it in full): a narrow panel cut it
        to "organizatic" (screenshot review)."""
        grid = self.legend.layout()
        room = width - 12
        org = self.kind_boxes.get("organization")

        def fits(columns: int) -> bool:
            boxes = list(self.kind_boxes.values())
            widths = [max(b.sizeHint().width() for b in boxes[c::columns])
                      for c in range(columns)]
            return sum(widths) + (columns - 1) * grid.horizontalSpacing() <= room

        if org is not None:
            org.setText("organization")
        columns = 3 if fits(3) else 2
        if columns == 2 and not fits(2) and org is not None:
            org.setText("org.")
        if columns == self._legend_columns:
            return
        self._legend_columns = columns
        for i, box in enumerate(self.kind_boxes.values()):
            grid.removeWidget(box)
            grid.addWidget(box, i // columns, i % columns)

    def select(self, canonical: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, NAME_ROLE) == canonical:
                    self.tree.setCurrentItem(top.child(j))
                    return
        self.current = canonical

    def _quiet(self) -> str:
        return "#b4b8bf" if self._mode == "dark" else "#55595f"  # ≥ 4.5:1 on either

    def show_step(self, canonical: str, at: int, total: int, description: str = "") -> None:
        quiet = self._quiet()
        desc = f"<br><span style='color:{quiet}'>{escape(description)}</span>" \
            if description else ""
        where = f"mention {at} of {total}" if total else "not highlighted in this episode"
        self.info.setText(f"<b>{escape(canonical)}</b> — {where}{desc}")

    def set_everywhere(self, canonical: str, mentions: list[MentionInContext],
                       total: int | None = None, breakdown: str = "") -> None:
        """One card per passage, headed by the entity's name and counts; `total` is
        the count of every mention when `mentions` is only the first of them;
        `breakdown` how they divide between the entity and its family
        (`wording.family_breakdown`)."""
        self.everywhere.clear()
        # an episode's passages together under its title, given once: each card had
        # repeated a three-line title (blind review), as the search popup's rows did
        for card, under in search_rows.continued(search_rows.grouped(
                passage_cards(mentions), place=lambda c: c.first.char_start)):
            m = card.first
            who = " · ".join(x for x in (m.speaker, format_ms(m.start_ms) or None,
                                         plural(card.count, "mention")
                                         if card.count > 1 else None) if x)
            if under:
                label = rich_list.add_row(
                    self.everywhere, f"<span style='color:{self._quiet()}'>"
                    f"{escape(who or 'the same episode')}</span><br>…{card.html()}…",
                    m, NAME_ROLE)
                label.setContentsMargins(22, 3, 8, 5)  # under its episode's first card
            else:
                rich_list.add_row(self.everywhere, f"<b>{escape(m.episode_title)}</b>"
                                  f"{' · ' + escape(who) if who else ''}<br>…"
                                  f"{card.html()}…", m, NAME_ROLE)
        self.everywhere_head.setText(everywhere_heading(canonical, mentions, total, breakdown))
        self.everywhere_head.show()
        self.show_mentions()
        if not mentions:
            self.everywhere.addItem(f"No mentions of {canonical} in the library.")

    def show_mentions(self) -> None:
        """The mentions tab, at least a third of the panel (it has just been filled)."""
        self.lower.setCurrentWidget(self.mentions_box)
        self._make_room_for_lower()

    def show_suggestions(self) -> None:
        self.lower.setCurrentWidget(self.suggestion_list)
        self._make_room_for_lower()

    def _make_room_for_lower(self) -> None:
        sizes = self.split.sizes()
        total = sum(sizes)
        want = total // 3
        if total > 0 and sizes[1] < want:
            self.split.setSizes([total - want, want])

    def _on_suggestions_counted(self, n: int) -> None:
        """The tab says how many (after a decision too: the last one decided leaves the
        tab in place, saying there are none, under the keys of the review)."""
        self.lower.setTabText(1, f"Suggestions ({n})" if n else "Suggestions")

    def _on_episode_suggestions(self, n: int) -> None:
        """An episode opened: until the user lists an entity's mentions, its suggestions
        come forward when it has some, else the mentions' tab and its hint (an empty
        suggestions tab had stayed in front from the episode before)."""
        if self.everywhere_head.isHidden():
            self.lower.setCurrentWidget(self.suggestion_list if n else self.mentions_box)

    def _on_tree_current(self, item, previous) -> None:
        if item is not None and item.data(0, NAME_ROLE):
            self.current = item.data(0, NAME_ROLE)
            self.entity_selected.emit(self.current)

    def _on_tree_context(self, pos) -> None:
        from PySide6.QtWidgets import QMenu
        item = self.tree.itemAt(pos)
        name = item.data(0, NAME_ROLE) if item else None
        if not name:
            return
        menu = QMenu(self)
        menu.addAction("Everywhere in the library", lambda: self.everywhere_requested.emit(name))
        menu.addAction("Edit entity or add aliases…", lambda: self.edit_requested.emit(name))
        menu.addAction("Remove entity…", lambda: self.remove_requested.emit(name))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _step(self, delta: int) -> None:
        if self.current:
            self.step_requested.emit(self.current, delta)

    def _on_everywhere(self) -> None:
        if self.current:
            self.everywhere_requested.emit(self.current)

    def _on_kind_toggled(self) -> None:
        hidden = frozenset(k for k, box in self.kind_boxes.items() if not box.isChecked())
        self.kinds_toggled.emit(hidden)


@dataclass(frozen=True)
class PassageCard:
    """One passage's mentions of an entity, as one card: a passage that names it twice
    was listed twice, the same text on two cards (blind review)."""

    first: MentionInContext  # what Enter opens: the passage, at its first mention
    text: str  # the windows around its mentions, joined (" … " between apart ones)
    marks: tuple[tuple[int, int], ...]  # each mention's place in `text`
    count: int

    @property
    def episode_id(self) -> str:  # grouped by it (search_rows.grouped)
        return self.first.episode_id

    def html(self) -> str:
        out, at = [], 0
        for a, b in self.marks:
            out.append(f"{escape(self.text[at:a])}<b>{escape(self.text[a:b])}</b>")
            at = b
        return "".join(out) + escape(self.text[at:])


GAP = " … "


def passage_cards(mentions: list[MentionInContext]) -> list[PassageCard]:
    """The mentions grouped by passage, in the order of each passage's first one.
    Each mention's context is a window of its segment's text and `char_start` its
    place in the episode, so windows of one passage that overlap are joined into
    one stretch of text, and windows apart are joined with " … "."""
    groups: dict[tuple[str, int], list[MentionInContext]] = {}
    for m in mentions:
        groups.setdefault((m.episode_id, m.segment_id), []).append(m)
    cards = []
    for group in groups.values():
        group.sort(key=lambda m: m.char_start)
        first = group[0]
        text = first.context
        marks = [(first.context_start, first.context_end)]
        base, at = first.char_start - first.context_start, 0  # the last window's start
        for m in group[1:]:
            start = m.char_start - m.context_start  # its window, in the episode's text
            end_here = base + len(text) - at  # the joined text's end, likewise
            if base <= start <= end_here:  # overlapping or touching: one stretch
                joined = text + m.context[end_here - start:]
                a = at + m.char_start - base
                b = a + m.context_end - m.context_start
                if joined[a:b] == m.context[m.context_start:m.context_end]:
                    text = joined
                    if a >= marks[-1][1]:  # not the same words twice
                        marks.append((a, b))
                    continue
            text += GAP
            at, base = len(text), start
            text += m.context
            marks.append((at + m.context_start, at + m.context_end))
        cards.append(PassageCard(first, text, tuple(marks), len(group)))
    return cards


def everywhere_heading(canonical: str, mentions: list[MentionInContext],
                       total: int | None = None, breakdown: str = "") -> str:
    """ "DeepSeek — 12 mentions in 5 episodes"; when only the first are listed,
    how many there are in all; `breakdown` on a second line."""
    name = f"<b>{escape(canonical)}</b>"
    if not mentions:
        return f"{name} — no mentions in the library"
    episodes = plural(len({m.episode_id for m in mentions}), "episode")
    if total is not None and total > len(mentions):
        head = (f"{name} — {plural(total, 'mention')}; the first {len(mentions):,}, "
                f"in {episodes}, listed")
    else:
        head = f"{name} — {plural(len(mentions), 'mention')} in {episodes}"
    return f"{head}<br>{escape(breakdown)}" if breakdown else head
