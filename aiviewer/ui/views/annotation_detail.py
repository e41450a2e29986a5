"""The annotation browser's detail pane: the chosen annotation in full.

The table's cells cut the quote and the note to a line each; a blind review could not read
an annotation without opening it in the reader.  This pane shows the one annotation the
table's current row holds: where it is (episode, speaker, time, where its quote stands),
the quote with the words around it, its tags, the note rendered from Markdown by the app's
one safe renderer, and the keys that act on it."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from aiviewer.model import Annotation
from aiviewer.render.palette import surfaces
from aiviewer.ui.views.annotation_panel import tag_chips_html
from aiviewer.ui.views.markdown_later import to_html as note_html
from aiviewer.ui.views.note_editor import open_external
from aiviewer.ui.views.popover import theme_of
from aiviewer.wording import format_ms, plural

# where the quote stands in its episode's text, when not as written (nothing to say then)
STANDING = {"fuzzy": "the text changed: the quote was found nearby",
            "orphaned": "the quote's text is gone from the episode (kept here)"}


class AnnotationDetail(QTextBrowser):
    """Read-only; links in a note open outside the app (as in the note editor)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Annotation detail")
        self.setOpenLinks(False)
        self.anchorClicked.connect(open_external)
        self.annotation: Annotation | None = None
        self.show_annotation(None)

    def show_annotation(self, a: Annotation | None, selected: int = 1,
                        tag_colours: dict[str, str] | None = None, empty: str = "") -> None:
        """`a` in full, its tags in their colours (name -> colour); None with `selected`
        rows chosen says what to do instead, or `empty` (HTML) when nothing is listed."""
        self.annotation = a
        self.setHtml(detail_html(a, selected, theme_of(self), tag_colours or {}, empty))


def detail_html(a: Annotation | None, selected: int, theme: str,
                tag_colours: dict[str, str], empty: str = "") -> str:
    quiet = f"color:{surfaces(theme)['muted']}"
    if a is None and empty:
        return f"<p style='{quiet}'>{empty}</p>"
    if a is None:
        if selected > 1:
            return (f"<p style='{quiet}'>{plural(selected, 'annotation')} selected — "
                    "the buttons below act on all of them.</p>")
        return (f"<p style='{quiet}'>Choose an annotation to read its quote and note in "
                "full.</p>")
    where = " · ".join(x for x in (a.speaker, format_ms(a.start_ms) or None,
                                   STANDING.get(a.status)) if x)
    before = " ".join(a.prefix.split())
    after = " ".join(a.suffix.split())
    quote = (f"<span style='{quiet}'>…{escape(before)} </span>" if before else "") \
        + f"<b>{escape(' '.join(a.exact.split()))}</b>" \
        + (f"<span style='{quiet}'> {escape(after)}…</span>" if after else "")
    tags = tag_chips_html(a.tags, tag_colours, theme)  # as the annotations panel draws them
    note = note_html(a.note_md) if a.note_md.strip() else (
        f"<p style='{quiet}'>No note — Enter opens the passage, where <b>A</b> writes one.</p>")
    modified = a.modified[:16].replace("T", " ")
    return (f"<p><b>{escape(a.episode_title)}</b><br><span style='{quiet}'>"
            f"{escape(where)}</span></p>"
            f"<blockquote>{quote}</blockquote>"
            + (f"<p>{tags}</p>" if tags else "")
            + note
            + f"<p style='{quiet}'>Modified {escape(modified)} · Enter opens it in the reader "
              "· L lists passages like it</p>")

