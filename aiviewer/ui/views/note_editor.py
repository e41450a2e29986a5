"""Small editors: the tag popup (the library's tags listed as you type, Enter applies,
a new name creates the tag) and the Markdown note editor with a live rendered preview.  Both are
popovers (views/popover.py): the controller opens them next to the passage."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from aiviewer.ui.views.markdown_later import to_html as note_html
from aiviewer.ui.views.popover import SHADOW, Popover
from aiviewer.wording import plural


class TagPopup(Popover):
    """Tag a passage: type a name, or pick one of the library's tags.

    The list under the field shows the tags holding what is typed (all of them when
    nothing is), with how many passages each tags; the first row is what is typed —
    "Create tag …" for a new name — so Enter always applies what the reader sees
    highlighted, and Down / Up move to an existing tag without leaving the field.  A
    blind review found the bare field (a completer that only opened once typing
    matched, no buttons) gave no idea which tags existed or how to leave."""

    VISIBLE_ROWS = 7

    def __init__(self, tag_names: list[str], quote: str, parent=None,
                 counts: dict[str, int] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Tag passage")
        self.names = sorted(tag_names, key=str.casefold)
        self.counts = counts or {}
        self.edit = QLineEdit(placeholderText="tag, or path like method/RL/GRPO")
        self.edit.setAccessibleName("Tag name")
        self.list = QTreeWidget()  # a name column and a count column, right-aligned
        self.list.setAccessibleName("Tags")
        self.list.setColumnCount(2)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keys
        self.list.header().setStretchLastSection(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemDoubleClicked.connect(lambda *_: self._accept())
        hint = QLabel(f"<i>“{_short(quote)}”</i>")
        hint.setWordWrap(True)
        keys = QLabel("Enter applies the highlighted tag · ↓ ↑ choose · Esc cancels")
        keys.setEnabled(False)  # the theme's quiet text colour
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply tag")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        for b in self.buttons.buttons():
            b.setAutoDefault(False)  # Enter belongs to the field
            b.setIcon(QIcon())  # the style's green tick and red cross, on no other screen
        layout = QVBoxLayout(self)
        self.frame_layout(layout)
        layout.addWidget(hint)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        layout.addWidget(keys)
        layout.addWidget(self.buttons)
        self.edit.returnPressed.connect(self._accept)
        self.edit.textChanged.connect(self._refill)
        self.edit.installEventFilter(self)
        self._refill("")
        # as many rows as the library's tags and a "Create" row need, 3 to VISIBLE_ROWS:
        # fixed while typing (the popover never jumps), never rows of nothing (review)
        rows = max(3, min(self.VISIBLE_ROWS, len(self.names) + 1))
        row = self.list.sizeHintForRow(0) if self.list.topLevelItemCount() else 20
        self.list.setFixedHeight(row * rows + 2 * self.list.frameWidth() + 2)
        self.resize(420 + 2 * SHADOW, self.sizeHint().height())

    def _refill(self, text: str) -> None:
        typed = " ".join(text.split())
        want = typed.casefold()
        self.list.clear()
        exact = next((n for n in self.names if n.casefold() == want), None)
        # "orgs/" browses the tags under orgs: a tag is never a path ending in "/"
        if typed and exact is None and not typed.endswith("/"):
            self._row(f"Create tag “{typed}”", typed, bold=True)
        # names starting with what is typed first, then those holding it elsewhere
        hits = [n for n in self.names if want in n.casefold()]
        hits.sort(key=lambda n: (not n.casefold().startswith(want), n.casefold()))
        for name in hits:
            n = self.counts.get(name)
            self._row(name, name, count=plural(n, "passage") if n else "")
        if not self.names and not typed:
            self._row("No tags yet — type a name to create one", None)
        elif typed and not hits and exact is None and self.names:
            self._row("No tag holds these letters", None)
        first = next((r for r in range(self.list.topLevelItemCount())
                      if self._chosen(r) is not None), None)
        self._set_row(first)
        self._update_ok()

    def _row(self, label: str, name: str | None, bold: bool = False, count: str = "") -> None:
        item = QTreeWidgetItem([label, count])
        item.setData(0, Qt.ItemDataRole.UserRole, name)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if count:
            item.setToolTip(1, "Passages this tag marks in the library")
        if name is None:  # a message, not a choice
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        if bold:
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
        self.list.addTopLevelItem(item)

    def _set_row(self, row: int | None) -> None:
        item = self.list.topLevelItem(row) if row is not None else None
        self.list.setCurrentItem(item)
        if item is None:
            self.list.clearSelection()
        else:
            self.list.scrollToItem(item)

    def _current_row(self) -> int:
        item = self.list.currentItem()
        return self.list.indexOfTopLevelItem(item) if item is not None else -1

    def _chosen(self, row: int) -> str | None:
        item = self.list.topLevelItem(row) if row >= 0 else None
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.tag()))

    def eventFilter(self, obj, event) -> bool:
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                    Qt.Key.Key_PageDown: self.VISIBLE_ROWS,
                    Qt.Key.Key_PageUp: -self.VISIBLE_ROWS}.get(event.key())
            if step is not None:
                self._move(step)
                return True
        return super().eventFilter(obj, event)

    def _move(self, step: int) -> None:
        rows = [r for r in range(self.list.topLevelItemCount()) if self._chosen(r) is not None]
        if not rows:
            return
        at = self._current_row()
        now = rows.index(at) if at in rows else -1
        self._set_row(rows[max(0, min(len(rows) - 1, now + step))])
        self._update_ok()

    def _accept(self) -> None:
        if self.tag():
            self.accept()

    def tag(self) -> str:
        """The highlighted row's tag, else what is typed."""
        chosen = self._chosen(self._current_row())
        return chosen if chosen is not None else " ".join(self.edit.text().split())


class NoteEditor(Popover):
    """Markdown on the left, rendered on the right; Ctrl+Enter saves."""

    def __init__(self, quote: str, note_md: str = "", tags: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Annotate passage")
        quote_label = QLabel(f"<i>“{_short(quote, 300)}”</i>")
        quote_label.setWordWrap(True)
        self.tags = QLineEdit(tags, placeholderText="tags, comma separated (optional)")
        self.tags.setAccessibleName("Tags")
        self.source = QPlainTextEdit(note_md)
        self.source.setAccessibleName("Note in Markdown")
        self.source.setPlaceholderText("Your note, in Markdown…")
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.anchorClicked.connect(open_external)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.source)
        split.addWidget(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for b in buttons.buttons():
            b.setIcon(QIcon())  # as the tag popup's: words, no stock icons
        layout = QVBoxLayout(self)
        self.frame_layout(layout)
        layout.addWidget(quote_label)
        layout.addWidget(self.tags)
        layout.addWidget(split, 1)
        layout.addWidget(QLabel("Ctrl+Enter saves · Esc cancels"))
        layout.addWidget(buttons)
        from PySide6.QtGui import QKeySequence, QShortcut
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._render)
        self.source.textChanged.connect(self._timer.start)
        self._render()
        self.resize(720 + 2 * SHADOW, 380 + 2 * SHADOW)
        self.source.setFocus()

    def _render(self) -> None:
        self.preview.setHtml(note_html(self.source.toPlainText()))

    def note(self) -> str:
        return self.source.toPlainText().strip()

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.text().split(",") if t.strip()]


def open_external(url: QUrl) -> None:
    """A link in a rendered note: web and mail addresses open outside the app, nothing
    else (a note is the user's text, but may have been imported from a file)."""
    if url.scheme() in ("http", "https", "mailto"):
        QDesktopServices.openUrl(url)


def _short(text: str, limit: int = 160) -> str:
    from html import escape
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[:limit] + "…")
