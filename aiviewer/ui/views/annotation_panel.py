"""The open episode's annotations in text order: quote, tags, rendered note.
j/k move, Enter scrolls the reader to it, Delete removes, e edits the note."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from aiviewer.export.neutral import colour as valid_colour
from aiviewer.model import Annotation
from aiviewer.render import palette
from aiviewer.ui.theme import current as current_theme
from aiviewer.ui.views import rich_list
from aiviewer.ui.views.markdown_later import to_html as note_html
from aiviewer.wording import format_ms

ANN_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_COLOUR = "#999999"


def annotation_html(a: Annotation, colours: dict[str, str], with_episode: bool = False,
                    theme: str | None = None) -> str:
    """One row of the panel and the browser.  Every value is escaped; a colour reaches
    the `style` attribute only as the palette's `#rrggbb` (render/palette.py; an
    imported colour cannot add markup); the note is rendered by the export's sanitiser.
    Chips are the tag's colour with text at ≥ 4.5:1 on it, in the theme in force."""
    theme = theme or current_theme()
    chips = tag_chips_html(a.tags, colours, theme)
    where = " · ".join(x for x in (a.speaker, format_ms(a.start_ms) or None) if x)
    status = {"fuzzy": " · <i>moved (text changed)</i>",
              "orphaned": f" · <b style='color:{palette.surfaces(theme)['error']}'>orphaned — select new text and "
                          "choose Re-attach</b>"}.get(a.status, "")
    head = f"<b>{escape(a.episode_title)}</b><br>" if with_episode else ""
    quote = escape(a.exact if len(a.exact) < 400 else a.exact[:400] + "…")
    return (f"{head}<span style='color:{palette.surfaces(theme)['muted']}'>{escape(where)}{status}</span><br>"
            f"<i>“{quote}”</i><br>{chips}{note_html(a.note_md)}")


def tag_chips_html(tags, colours: dict[str, str], theme: str) -> str:
    """The tags as chips: each in its tag's colour, its text at 7:1 on it
    (`palette.chip_colours`); the colour reaches `style` only as `#rrggbb`."""
    return " ".join(
        "<span style='color:{};background:{};'>&nbsp;{}&nbsp;</span>".format(
            *palette.chip_colours(valid_colour(colours.get(t)) or DEFAULT_COLOUR, theme),
            escape(t))
        for t in tags)


class AnnotationPanel(QWidget):
    open_requested = Signal(object)  # Annotation
    delete_requested = Signal(list)  # ids
    edit_requested = Signal(object)  # Annotation

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Annotations in this episode")
        self.list.setWordWrap(True)
        rich_list.style(self.list)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.empty = QLabel("No annotations yet. Select text in the reader and press "
                            "<b>t</b> to tag or <b>a</b> to annotate.")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        self.list.installEventFilter(self)
        self.list.itemActivated.connect(
            lambda item: self.open_requested.emit(item.data(ANN_ROLE)))

    def set_annotations(self, annotations: list[Annotation], colours: dict[str, str]) -> None:
        self._shown = (annotations, colours)
        current = self.current()
        self.list.clear()
        ordered = sorted(annotations, key=lambda a: (a.start is None, a.start or 0, a.created))
        for a in ordered:
            rich_list.add_row(self.list, annotation_html(a, colours), a, ANN_ROLE)
        self.empty.setVisible(not annotations)
        if current is not None:
            self.select(current.id)

    def changeEvent(self, event) -> None:
        """A new theme: the chips' colours are the theme's, so draw the rows again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_shown", None):
            self.set_annotations(*self._shown)

    def current(self) -> Annotation | None:
        item = self.list.currentItem()
        return item.data(ANN_ROLE) if item else None

    def selected(self) -> list[Annotation]:
        return [i.data(ANN_ROLE) for i in self.list.selectedItems()]

    def select(self, annotation_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ANN_ROLE).id == annotation_id:
                self.list.setCurrentRow(i)
                return

    def eventFilter(self, obj, event) -> bool:
        if obj is not self.list or event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if key in (Qt.Key.Key_J, Qt.Key.Key_K):
            step = 1 if key == Qt.Key.Key_J else -1
            row = max(0, min(self.list.currentRow() + step, self.list.count() - 1))
            self.list.setCurrentRow(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current():
            self.open_requested.emit(self.current())
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected():
            self.delete_requested.emit([a.id for a in self.selected()])
            return True
        if key == Qt.Key.Key_E and self.current():
            self.edit_requested.emit(self.current())
            return True
        return False
