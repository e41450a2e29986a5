"""The library-wide annotation browser: every annotation, filtered by text, tag,
episode, speaker, entity and status, sortable, with multi-select for bulk
tag / untag / delete; and the tag tree with counts, rename, merge, colour and
delete.  All changes go through the Library (undoable); the browser only shows, and is
redrawn with the window's panels from their one signal (`ui/changes_hub.py`)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcut,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiviewer.model import Annotation, Tag
from aiviewer.render import palette
from aiviewer.ui import theme
from aiviewer.ui.saving import save
from aiviewer.ui.views import rich_list
from aiviewer.ui.views.annotation_detail import AnnotationDetail
from aiviewer.ui.views.markdown_later import to_text as note_text
from aiviewer.ui.views.sort_header import use_sort_header
from aiviewer.wording import delete_annotations_text, format_ms

ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Episode", "Speaker", "Time", "Quote", "Tags", "Note", "Modified")
QUOTE, TAGS, NOTE = 3, 4, 5
EPISODE_MOST = 170  # px: a long title is cut (its tooltip has it all) to leave the quote room
TAGS_MOST = 260  # px: room for two or three tags' last parts (`tags_cell`)
NOTE_SHARE = 0.2  # of the table's width at most: the quote takes the rest
# (shown, status filtered by): the status is where an annotation's quote stands in its
# episode's text after a re-import (README, Annotations); "Any status" did not say so
STATUSES = (  # (a review read "in place, moved or orphan" as jargon)
    ("Every annotation", None),
    ("Quote found as written", "anchored"),
    ("Quote changed, found nearby", "fuzzy"),
    ("Quote gone from the text", "orphaned"),
)


class AnnotationTableModel(QAbstractTableModel):
    """The browser's rows, formatted only when the view asks for them: a library
    with tens of thousands of annotations scrolls without building every cell."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.annotations: list[Annotation] = []

    def set_annotations(self, annotations: list[Annotation]) -> None:
        self.beginResetModel()
        self.annotations = list(annotations)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.annotations)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and COLUMNS[section] == "Tags"):
            return "Each tag's last part; hover a cell for the whole paths"
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        a = self.annotations[index.row()]
        col = index.column()
        if role == SORT_ROLE:
            return (a.episode_title, a.speaker or "", a.start_ms if a.start_ms is not None
                    else -1, a.exact, ", ".join(a.tags), a.note_md, a.modified)[col]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            note = note_text(a.note_md) if role == Qt.ItemDataRole.DisplayRole else a.note_md
            # a transcript without times says so, not a blank cell (screenshot review)
            when = (format_ms(a.start_ms) if a.start_ms is not None
                    else "—" if role == Qt.ItemDataRole.DisplayRole else "no times in this transcript")
            tags = (tags_cell(a.tags) if role == Qt.ItemDataRole.DisplayRole
                    else "\n".join(a.tags))
            value = (a.episode_title, a.speaker or "", when, a.exact,
                     tags, note, a.modified[:16].replace("T", " "))[col]
            if role == Qt.ItemDataRole.DisplayRole:
                return " ".join(value.split())[:300]
            return value[:1000]
        if role == ROLE:
            return a
        return None


TAG_PANE = (200, 380)  # px: the tag pane's narrowest and widest
NO_ANNOTATIONS = ("No annotations yet. In the reader, select a passage and press <b>T</b> "
                  "to tag it or <b>A</b> to write a note about it: it is listed here at once.")


def swatch(colour: str, size: int = 12) -> QIcon:
    """A tag's colour as a square before its name in the tag tree — the colour of the
    margin bar the tag's annotations have in the reader (3:1 against the page).  The
    names had been written in their colours, and a review read the tree as a list of
    links; the names are now in the text's colour."""
    pix = QPixmap(size, size)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 2.5, 2.5)
    p.end()
    return QIcon(pix)


def tags_cell(tags: list[str]) -> str:
    """The Tags column's text: each tag's last part ("method/RL/inference-time" is
    "inference-time"), joined by " · " — the tree beside the table shows where each
    sits, the cell's tooltip the whole paths.  Whole paths joined by commas cut a
    row's second tag off at the column's edge (blind review)."""
    return " · ".join(t.rsplit("/", 1)[-1] for t in tags)


def tag_pane_width(tree: QTreeWidget, least: int) -> int:
    """The width that shows every tag name (indented as deep as it is nested) and
    its count without cutting, in TAG_PANE and at least `least` (the buttons)."""
    tree.expandAll()
    names = tree.sizeHintForColumn(0)  # the tree view adds each row's indentation
    counts = max(tree.sizeHintForColumn(1), tree.header().sectionSizeHint(1))
    chrome = 2 * tree.frameWidth() + tree.verticalScrollBar().sizeHint().width() + 12
    return max(TAG_PANE[0], least, min(TAG_PANE[1], names + counts + chrome))


class HintedTable(QTableView):
    """The annotation table, which says in its middle why it is empty: the message only
    in the detail pane below, one grey line under a blank table, was missed (review)."""

    def set_hint(self, text: str) -> None:
        self._hint = text
        self.viewport().update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        hint = getattr(self, "_hint", "")
        if hint and self.model() is not None and self.model().rowCount() == 0:
            rich_list.paint_hint(self, hint, 40, Qt.AlignmentFlag.AlignCenter)


class AnnotationBrowser(QDialog):
    open_requested = Signal(object)  # Annotation
    similar_requested = Signal(object)  # Annotation: M, More like this

    def __init__(self, library, parent=None):
        super().__init__(parent)
        self.library = library
        # filled with the tag tree (`refresh_tags`): tag -> colour for the detail's chips,
        # and the tags that exist themselves (Colour… needs one), asked per selection
        self._tag_colours: dict[str, str] = {}
        self._tag_names: set[str] = set()
        self._total = 0  # the library's annotations, whatever the filters
        self.setWindowTitle("Annotations")
        self.setModal(False)
        self.text = QLineEdit(placeholderText="Filter quote and note…", clearButtonEnabled=True)
        self.text.setAccessibleName("Filter annotations")
        self.speaker = QLineEdit(placeholderText="Speaker", clearButtonEnabled=True)
        self.entity = QLineEdit(placeholderText="Entity", clearButtonEnabled=True)
        self.episode = QComboBox()
        self.status = QComboBox()
        for text, value in STATUSES:
            self.status.addItem(text, value)
        self.status.setToolTip(
            "Where each annotation's quote stands in its episode's text: found as written, "
            "changed but found nearby, or gone from the text (the quote and note are kept)")
        self.status.setAccessibleName("Quote status")
        filters = QHBoxLayout()
        for w, stretch in ((self.text, 3), (self.speaker, 1), (self.entity, 1),
                           (self.episode, 2), (self.status, 0)):
            filters.addWidget(w, stretch)
        self.tags = QTreeWidget()
        self.tags.setHeaderLabels(["Tag", "Count"])
        # the counts of a tree's rows add up to more than "All annotations" whenever an
        # annotation has two tags: said where the counts are (blind review)
        self.tags.headerItem().setToolTip(
            1, "Annotations with the tag or a tag under it. One with several tags counts "
               "under each, so the rows add up to more than All annotations.")
        self.tags.setAccessibleName("Tags")
        self.tags.header().setStretchLastSection(False)  # the names stretch, the counts not
        self.tags.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tags.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # two rows of two: in one row the four buttons set the pane's width (350 px
        # for tags that need 200)
        tag_buttons = QGridLayout()
        self.rename_button = QPushButton("Rename…")
        self.merge_button = QPushButton("Merge into…")
        self.colour_button = QPushButton("Colour…")
        self.delete_tag_button = QPushButton("Delete tag…")  # not the annotations: say so
        for n, b in enumerate((self.rename_button, self.merge_button, self.colour_button,
                               self.delete_tag_button)):
            tag_buttons.addWidget(b, n // 2, n % 2)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tags, 1)
        left_layout.addLayout(tag_buttons)
        self.model = AnnotationTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = HintedTable()
        use_sort_header(self.table)  # ▲ while A→Z, ▼ while newest/most first
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Annotation list")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().hide()
        # the short columns as wide as their text, the quote and note share the rest:
        # fixed widths elided the quote, tags and note beside a wide "Modified"
        # (blind review); the episode and tags are fitted to their rows in `fit_columns`
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col in (1, 2, 6):  # Speaker, Time, Modified
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(QUOTE, QHeaderView.ResizeMode.Stretch)
        bulk = QHBoxLayout()
        self.count = QLabel("")
        self.bulk_tag = QPushButton("Tag selected…")
        self.bulk_untag = QPushButton("Untag selected…")
        self.bulk_delete = QPushButton(delete_annotations_text(0))
        bulk.addWidget(self.count, 1)
        for b in (self.bulk_tag, self.bulk_untag, self.bulk_delete):
            bulk.addWidget(b)
        # the chosen annotation in full under the table, whose cells cut quote and note
        self.detail = AnnotationDetail()
        self.table_split = QSplitter(Qt.Orientation.Vertical)
        self.table_split.addWidget(self.table)
        self.table_split.addWidget(self.detail)
        self.table_split.setStretchFactor(0, 3)
        self.table_split.setStretchFactor(1, 1)
        self.table_split.setSizes([300, 240])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.table_split, 1)
        right_layout.addLayout(bulk)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)  # a wider window widens the table, not the tags
        split.setSizes([230, 1050])
        self.split = split
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.resize(1180, 640)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh_table)
        for edit in (self.text, self.speaker, self.entity):
            edit.textChanged.connect(self._timer.start)
        self.episode.currentIndexChanged.connect(self._timer.start)
        self.status.currentIndexChanged.connect(self._timer.start)
        self.tags.currentItemChanged.connect(lambda *_: self._timer.start())
        self.table.activated.connect(self._on_table_activated)
        QShortcut(QKeySequence("L"), self.table, self._on_more_like_this,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.bulk_tag.clicked.connect(self.tag_selected)
        self.bulk_untag.clicked.connect(self.untag_selected)
        self.bulk_delete.clicked.connect(self.delete_selected)
        self.rename_button.clicked.connect(self.rename_tag)
        self.merge_button.clicked.connect(self.merge_tag)
        self.colour_button.clicked.connect(self.colour_tag)
        self.delete_tag_button.clicked.connect(self.delete_tag)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        self.tags.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    # -- filling ------------------------------------------------------------------------

    def refresh(self) -> None:
        every_ann = self.library.annotations()  # read once: the tag counts, the episodes
        self.refresh_tags(every_ann)
        self.fit_tag_pane()
        current = self.episode.currentData()
        self.episode.blockSignals(True)
        self.episode.clear()
        self.episode.addItem("All episodes", None)
        seen = {}
        for a in every_ann:
            seen.setdefault(a.episode_id, a.episode_title or a.episode_id)
        for eid, title in sorted(seen.items(), key=lambda kv: kv[1].lower()):
            self.episode.addItem(title[:60], eid)
        at = self.episode.findData(current)
        self.episode.setCurrentIndex(max(at, 0))
        self.episode.blockSignals(False)
        self.refresh_table()

    def refresh_tags(self, every_ann: list[Annotation] | None = None) -> None:
        """The tag tree, each row counting what choosing it lists among `every_ann`
        (every annotation of the library: read here when not given)."""
        if every_ann is None:
            every_ann = self.library.annotations()
        selected = self.selected_tag()
        self.tags.blockSignals(True)
        self.tags.clear()
        every = QTreeWidgetItem(["All annotations", ""])
        every.setData(0, ROLE, None)
        self.tags.addTopLevelItem(every)
        items: dict[str, QTreeWidgetItem] = {}
        tags: list[Tag] = self.library.tags()
        self._tag_colours = {t.name: t.colour for t in tags if t.colour}
        self._tag_names = {t.name for t in tags}
        for t in tags:
            parts = t.name.split("/")
            for depth in range(1, len(parts) + 1):
                path = "/".join(parts[:depth])
                if path in items:
                    continue
                item = QTreeWidgetItem([parts[depth - 1], ""])
                item.setData(0, ROLE, path)
                parent = items.get("/".join(parts[:depth - 1])) if depth > 1 else None
                (parent.addChild(item) if parent else self.tags.addTopLevelItem(item))
                items[path] = item
            if t.colour:
                items[t.name].setIcon(0, swatch(palette.annotation_bar(t.colour,
                                                                       theme.current())))
        # what choosing the row lists: the annotations carrying the tag or one under it,
        # each once (a parent and "All annotations" had no count: screenshot review)
        every.setText(1, str(len(every_ann)))
        self._total = len(every_ann)
        per_path: dict[str, int] = {}
        for a in every_ann:
            for path in {"/".join(t.split("/")[:d]) for t in a.tags
                         for d in range(1, t.count("/") + 2)}:
                per_path[path] = per_path.get(path, 0) + 1
        for path, item in items.items():
            item.setText(1, str(per_path.get(path, 0)))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        every.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tags.expandAll()
        for path, item in items.items():
            if path == selected:
                self.tags.setCurrentItem(item)
        self.tags.blockSignals(False)
        self._update_buttons()

    def fit_tag_pane(self) -> None:
        """The tag pane as wide as its deepest, longest tag and its counts, within
        TAG_PANE: a fixed share was too wide for a few short tags and cut long
        nested ones (screenshot review)."""
        sizes = self.split.sizes()
        total = sum(sizes) or self.split.width()
        width = tag_pane_width(self.tags, self.split.widget(0).minimumSizeHint().width())
        self.split.setSizes([width, max(total - width, 0)])

    def selected_tag(self) -> str | None:
        item = self.tags.currentItem()
        return item.data(0, ROLE) if item else None

    def hideEvent(self, event) -> None:
        self._timer.stop()  # a filter edit pending when the window closes needs no query
        super().hideEvent(event)

    def refresh_table(self) -> None:
        anns = self.library.annotations(
            episode_id=self.episode.currentData(), tag=self.selected_tag(),
            text=self.text.text().strip() or None, speaker=self.speaker.text().strip() or None,
            entity=self.entity.text().strip() or None, status=self.status.currentData())
        self.model.set_annotations(anns)
        self.fit_columns()
        self.count.setText(f"{len(anns)} annotation{'s' if len(anns) != 1 else ''}")
        self._update_buttons()
        if anns and not self.selected_annotations():  # the first row chosen, as a mail
            # client's list opens (a current row left unselected read as a bug: review)
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._show_detail()

    def fit_columns(self) -> None:
        """The episode, tags and note columns as wide as their rows need, up to
        EPISODE_MOST, TAGS_MOST (the longest row's tags, `tags_cell`) and NOTE_SHARE of
        the table, never narrower than their header; the quote takes the rest.  The user may still drag them."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        longest_tag = max((metrics.horizontalAdvance(tags_cell(a.tags))
                           for a in self.model.annotations), default=0) \
            + 2 * metrics.averageCharWidth()
        room = int(self.table.viewport().width() * NOTE_SHARE)
        for col, most in ((0, EPISODE_MOST), (TAGS, min(TAGS_MOST, longest_tag)),
                          (NOTE, room)):
            need = max(self.table.sizeHintForColumn(col), header.sectionSizeHint(col))
            self.table.setColumnWidth(col, max(min(need, most), header.sectionSizeHint(col)))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit_columns()  # the note's share follows the table's width

    def _update_buttons(self) -> None:
        """Each button enabled only while it has something to act on: with no row
        selected "Tag selected…" and "Delete selected" did nothing when clicked, and
        the tag buttons with no tag (or "All annotations") chosen (screenshot review).
        Untag needs a selected row that has a tag; Colour… a tag that exists itself,
        not only as the parent of others."""
        anns = self.selected_annotations()
        self.bulk_tag.setEnabled(bool(anns))
        self.bulk_delete.setEnabled(bool(anns))
        self.bulk_delete.setText(delete_annotations_text(len(anns)))  # "Delete 3 selected…"
        self.bulk_untag.setEnabled(any(a.tags for a in anns))
        tag = self.selected_tag()
        for b in (self.rename_button, self.merge_button, self.delete_tag_button):
            b.setEnabled(bool(tag))
        self.colour_button.setEnabled(bool(tag) and tag in self._tag_names)

    def _show_detail(self) -> None:
        anns = self.selected_annotations()
        empty = ""
        if not self.model.annotations:  # what to do, not "choose an annotation" (review)
            empty = (NO_ANNOTATIONS if not self._total else
                     "No annotation matches these filters. <b>All annotations</b> in the "
                     "tag list and <b>All episodes</b> above list every one.")
        self.detail.show_annotation(anns[0] if len(anns) == 1 else None, len(anns),
                                    self._tag_colours, empty)
        self.table.set_hint(QTextDocumentFragment.fromHtml(empty).toPlainText())

    def selected_annotations(self) -> list[Annotation]:
        rows = sorted({self.proxy.mapToSource(i).row()
                       for i in self.table.selectionModel().selectedRows()})
        return [self.model.annotations[r] for r in rows]

    def _on_table_activated(self, index) -> None:
        self.open_requested.emit(self.model.annotations[self.proxy.mapToSource(index).row()])

    def _on_more_like_this(self) -> None:
        chosen = self.selected_annotations()
        if chosen:
            self.similar_requested.emit(chosen[0])

    # -- bulk ---------------------------------------------------------------------------

    def tag_selected(self) -> None:
        anns = self.selected_annotations()
        if not anns:
            return
        names = [t.name for t in self.library.tags()]
        name, ok = QInputDialog.getItem(self, "Tag selected", f"Tag for {len(anns)} passages:",
                                        names, 0, True)
        if ok and name.strip():
            save(self, f"The tag “{name.strip()}”",
                 lambda: self.library.tag([a.id for a in anns], name), self)

    def untag_selected(self) -> None:
        anns = self.selected_annotations()
        names = sorted({t for a in anns for t in a.tags})
        if not names:
            return
        name, ok = QInputDialog.getItem(self, "Untag selected", "Remove tag:", names, 0, False)
        if ok:
            save(self, f"Removing the tag “{name}”",
                 lambda: self.library.untag([a.id for a in anns], name), self)

    def delete_selected(self) -> None:
        anns = self.selected_annotations()
        if anns:
            save(self, "Deleting the annotations",
                 lambda: self.library.delete_annotations([a.id for a in anns]), self)

    # -- tags ---------------------------------------------------------------------------

    def rename_tag(self) -> None:
        tag = self.selected_tag()
        if not tag:
            return
        new, ok = QInputDialog.getText(self, "Rename tag", f"New name for “{tag}”:", text=tag)
        if ok and new.strip() and new.strip() != tag:
            save(self, f"Renaming “{tag}”", lambda: self.library.rename_tag(tag, new), self)

    def merge_tag(self) -> None:
        tag = self.selected_tag()
        if not tag:
            return
        others = [t.name for t in self.library.tags() if not t.name.startswith(tag)]
        target, ok = QInputDialog.getItem(self, "Merge tag", f"Merge “{tag}” into:", others,
                                          0, True)
        if ok and target.strip():
            save(self, f"Merging “{tag}”", lambda: self.library.merge_tags(tag, target), self)

    def colour_tag(self) -> None:
        tag = self.selected_tag()
        if not tag or not any(t.name == tag for t in self.library.tags()):
            return
        colour = QColorDialog.getColor(parent=self, title=f"Colour of “{tag}”")
        if colour.isValid():
            save(self, f"The colour of “{tag}”",
                 lambda: self.library.set_tag_colour(tag, colour.name()), self)

    def delete_tag(self) -> None:
        tag = self.selected_tag()
        if not tag:
            return
        n = self.library.tag_usage(tag)
        answer = QMessageBox.question(
            self, "Delete tag", f"Remove the tag “{tag}” (and its sub-tags) from {n} "
            f"annotation{'s' if n != 1 else ''}? The annotations themselves stay. "
            "Edit → Undo brings it back.")
        if answer == QMessageBox.StandardButton.Yes:
            save(self, f"Deleting “{tag}”", lambda: self.library.delete_tag(tag), self)
