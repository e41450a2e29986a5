"""Small editors: the tag popup (autocomplete, Enter applies, a new name creates
the tag) and the Markdown note editor with a live rendered preview.  Both are
popovers (views/popover.py): the controller opens them next to the passage."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCompleter,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from aiviewer.ui.views.markdown_later import to_html as note_html
from aiviewer.ui.views.popover import SHADOW, Popover


class TagPopup(Popover):
    def __init__(self, tag_names: list[str], quote: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Tag passage")
        self.edit = QLineEdit(placeholderText="tag, or path like method/RL/GRPO")
        self.edit.setAccessibleName("Tag name")
        completer = QCompleter(tag_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        hint = QLabel(f"<i>“{_short(quote)}”</i><br>Enter applies; a new name creates the tag.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        self.frame_layout(layout)
        layout.addWidget(hint)
        layout.addWidget(self.edit)
        self.edit.returnPressed.connect(self._accept)
        self.resize(420 + 2 * SHADOW, self.sizeHint().height())

    def _accept(self) -> None:
        if self.edit.text().strip():
            self.accept()

    def tag(self) -> str:
        return self.edit.text().strip()


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
        self.preview.anchorClicked.connect(_open_external)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.source)
        split.addWidget(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
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


def _open_external(url: QUrl) -> None:
    if url.scheme() in ("http", "https", "mailto"):
        QDesktopServices.openUrl(url)


def _short(text: str, limit: int = 160) -> str:
    from html import escape
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[:limit] + "…")
