"""The reader: one episode as speaker turns with entity highlights, find in page,
zoom, and stepping through chapters and an entity's mentions.

The episode is rendered once to escaped HTML by `aiviewer.render` (entities are
links with a class per kind, coloured by the theme's style sheet); a read-only
QTextBrowser shows it, which keeps the 3-hour episode well under 300 ms.
"""

from __future__ import annotations

from urllib.parse import unquote

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aiviewer.model import Annotation, Episode, Mention
from aiviewer.render import palette
from aiviewer.render.transcript import (
    ENTITY_SCHEME,
    episode_html,
    parse_seek_href,
    parse_suggestion_href,
    segment_anchor,
)
from aiviewer.ui.first_paint import AfterPaint
from aiviewer.ui.views import anchors, marked_text, popover, suggestion_marks
from aiviewer.ui.views.markdown_later import to_html as notes_html
from aiviewer.ui.views.marked_text import Mark, MarkedBrowser, mark, marks_of
from aiviewer.ui.views.minimap import Minimap
from aiviewer.ui.views.speaker_bar import SpeakerBar

DEFAULT_POINT_SIZE = 12
DEFAULT_MEASURE = 78  # characters per line: a comfortable reading column


class FindBar(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = QLineEdit(placeholderText="Find in episode", clearButtonEnabled=True)
        self.edit.setAccessibleName("Find in episode")
        self.count = QLabel("")
        self.count.setMinimumWidth(90)
        self.prev = QToolButton(text="▲", toolTip="Previous match (Shift+Enter)")
        self.next = QToolButton(text="▼", toolTip="Next match (Enter)")
        self.close_button = QToolButton(text="✕", toolTip="Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.prev)
        layout.addWidget(self.next)
        layout.addWidget(self.close_button)


class Reader(QWidget):
    entity_clicked = Signal(str)
    search_requested = Signal()  # "/" pressed in the reader
    message = Signal(str)  # something to say in the status bar
    rendered = Signal()  # the document was laid out anew (positions moved) or cleared

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = MarkedBrowser()
        self.view.setOpenLinks(False)
        self.view.setOpenExternalLinks(False)
        self.view.setAccessibleName("Transcript")
        self.card = popover.Card(self.view)  # what a hovered entity or suggestion is
        self.card.watch(self.view)
        # a caret and Shift+arrows selection: annotating without the mouse
        self.view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.view.document().setDocumentMargin(24)
        self.view.setPlaceholderText("Select an episode in the library, or press Ctrl+K to search.")
        self.findbar = FindBar()
        self.findbar.hide()
        self.minimap = Minimap(self.view)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.view, 1)
        row.addWidget(self.minimap)
        self.speaker_bar = SpeakerBar()  # while the speakers have no names
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.speaker_bar)
        layout.addLayout(row, 1)
        layout.addWidget(self.findbar)
        self.episode: Episode | None = None
        self.entity_info = lambda canonical: None  # set by the window: canonical → Entity
        self._mentions: dict[int, list[Mention]] = {}
        self._css = ""
        self._hidden: frozenset[str] = frozenset()
        self._highlights = True
        self._find_matches: list[QTextCursor] = []
        self._find_at = -1
        self._marks: list[QTextEdit.ExtraSelection] = []
        self._annotation_marks: list[QTextEdit.ExtraSelection] = []
        self._annotations: list[Annotation] = []
        self._tag_colours: dict[str, str] = {}
        self._paragraphs: list[tuple[int, int, int]] = []  # (canonical start, doc pos, length)
        self._starts: list[int] = []  # the paragraphs' canonical starts, for bisect
        self._entity_steps: list[QTextCursor] = []
        self._entity_at = -1
        self._entity_href: str | None = None  # the entity the minimap shows
        self._segment_pos: dict[int, int] = {}  # segment id -> document position
        self._term_spans: list[tuple[int, int]] = []  # a search's words: document positions
        # in text order (suggestion_marks); None: not marked yet (`_suggestion_cursors`)
        self._suggestions: list[QTextCursor] | None = []
        self.after_paint = AfterPaint(self.view.viewport())  # what can follow the text
        self.point_size = DEFAULT_POINT_SIZE
        self.view.anchorClicked.connect(self._on_view_anchor)
        self.view.highlighted.connect(self._on_view_hover)
        self.findbar.edit.textChanged.connect(self._run_find)
        self.findbar.edit.returnPressed.connect(self.find_next)
        self.findbar.next.clicked.connect(self.find_next)
        self.findbar.prev.clicked.connect(self.find_previous)
        self.findbar.close_button.clicked.connect(self.close_find)
        QShortcut(QKeySequence("Shift+Return"), self.findbar.edit, self.find_previous)
        QShortcut(QKeySequence("Escape"), self.findbar, self.close_find,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("/"), self.view, self.search_requested.emit,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.measure = DEFAULT_MEASURE
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)  # Esc drops a selection (a key, not a shortcut:
        # the search popup and the find bar keep their own Esc)
        self.set_point_size(self.point_size)

    # -- content ------------------------------------------------------------------------

    def set_style(self, css: str) -> None:
        self._css = css
        if self.episode is not None:
            self._render(keep_position=True)

    def set_highlights(self, on: bool) -> None:
        self._highlights = on
        if self.episode is not None:
            self._render(keep_position=True)

    def show_episode(self, episode: Episode, mentions: dict[int, list[Mention]]) -> int:
        self.episode = episode
        self.speaker_bar.show_for(episode)
        self._mentions = mentions
        self._entity_href = None  # the panel starts afresh with each episode
        self._term_spans = []
        return self._render(keep_position=False)

    def update_mentions(self, mentions: dict[int, list[Mention]]) -> None:
        """The open episode's mentions changed (a suggestion decided, undone): render
        again with the scroll position and the caret where they were."""
        if self.episode is None:
            return
        caret = self.view.textCursor().position()
        self._mentions = mentions
        self._render(keep_position=True)
        c = QTextCursor(self.view.document())
        c.setPosition(min(caret, self.view.document().characterCount() - 1))
        scroll = self.view.verticalScrollBar().value()
        self.view.setTextCursor(c)
        self.view.verticalScrollBar().setValue(scroll)

    def clear(self) -> None:
        self.episode = None
        self.speaker_bar.show_for(None)
        self.view.clear()
        self._suggestions = []
        self._segment_pos, self._paragraphs = {}, []
        self.minimap.clear()
        self.rendered.emit()

    def _render(self, keep_position: bool) -> int:
        scroll = self.view.verticalScrollBar().value()
        rendered = episode_html(self.episode, self._mentions if self._highlights else {},
                                self._hidden, notes_html)
        doc = self.view.document()
        doc.setDefaultStyleSheet(self._css)
        self.view.setHtml(rendered.html)
        self._marks = []
        self._entity_steps, self._entity_at = [], -1
        # the dotted underlines (and the cursors G steps through) after the paint:
        # walking every fragment of the 3-hour episode is not what the user waits for
        self._suggestions = None if any(
            m.suggested for ms in self._mentions.values() for m in ms) else []
        if self._suggestions is None:
            self.after_paint.then(self._suggestion_cursors)
        self._index_segments()
        self._annotation_marks = self._annotation_selections()
        self._run_find(self.findbar.edit.text()) if self.findbar.isVisible() else None
        self._apply_selections()
        self._fit_column()
        self._mark_entity()
        if keep_position:
            self.view.verticalScrollBar().setValue(scroll)
        self.rendered.emit()
        return rendered.n_mentions

    # -- the reading column -------------------------------------------------------------

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if obj is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_column()
        elif obj is self.view and event.type() == QEvent.Type.ShortcutOverride \
                and event.key() == Qt.Key.Key_Escape and self.view.textCursor().hasSelection():
            event.accept()  # the key, not the find bar's Esc: a selection goes first
            return True
        elif obj is self.view and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:
            if self.view.textCursor().hasSelection():  # Esc: the selection first,
                self.clear_selection()
                return True
            if self.findbar.isVisible():  # then the find bar
                self.close_find()
                return True
        return False

    def set_measure(self, chars: int) -> None:
        """Characters per line of the reading column (the rest of a wide window is margin)."""
        self.measure = max(40, min(int(chars), 200))
        self._fit_column()

    def _fit_column(self) -> None:
        """Side margins that keep lines near `measure` characters however wide the
        window: at 1920 px a full-width line ran to ~150 characters."""
        from PySide6.QtGui import QFontMetricsF
        width = self.view.viewport().width()
        column = QFontMetricsF(self.view.document().defaultFont()).averageCharWidth() \
            * self.measure
        side = max(24.0, (width - column) / 2)
        root = self.view.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) < 1:
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        root.setFrameFormat(fmt)

    def line_length(self) -> float:
        """Characters that fit on one line of the column now (tests, settings)."""
        from PySide6.QtGui import QFontMetricsF
        fmt = self.view.document().rootFrame().frameFormat()
        usable = self.view.viewport().width() - fmt.leftMargin() - fmt.rightMargin()
        return usable / QFontMetricsF(self.view.document().defaultFont()).averageCharWidth()

    # -- keeping the place ----------------------------------------------------------------

    def center_on(self, cursor: QTextCursor) -> None:
        """Scroll so the cursor sits in the middle third of the view: a hit or a mention
        at the very top or bottom edge is easy to miss."""
        rect = self.view.cursorRect(cursor)
        height = self.view.viewport().height()
        if height / 3 <= rect.center().y() <= 2 * height / 3:
            return
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.value() + rect.center().y() - height // 2)

    def top_position(self) -> int:
        """The document position at the top of the view (what zoom keeps in place)."""
        from PySide6.QtCore import QPoint
        return self.view.cursorForPosition(QPoint(4, 4)).position()

    def bottom_position(self) -> int:
        from PySide6.QtCore import QPoint
        return self.view.cursorForPosition(
            QPoint(4, self.view.viewport().height() - 4)).position()

    def clear_selection(self) -> None:
        """Esc in the reader: drop the selection, keep the caret where it was."""
        c = self.view.textCursor()
        if c.hasSelection():
            c.clearSelection()
            self.view.setTextCursor(c)

    # -- positions ----------------------------------------------------------------------

    def scroll_position(self) -> int:
        return self.view.verticalScrollBar().value()

    def set_scroll_position(self, value: int) -> None:
        self.view.verticalScrollBar().setValue(value)

    def show_segment(self, segment_id: int, terms: tuple[str, ...] = ()) -> None:
        """Scroll a passage into view and mark the search terms in it."""
        self.view.scrollToAnchor(segment_anchor(segment_id))
        cursor = self._anchor_cursor(segment_anchor(segment_id))
        marks = []
        if cursor is not None:
            block = cursor.block()
            end_block = block
            for _ in range(8):  # the turn head and the turn's paragraphs
                nxt = end_block.next()
                if not nxt.isValid() or _has_anchor(nxt, "seg-"):
                    break
                end_block = nxt
            start, end = block.position(), end_block.position() + end_block.length()
            fmt = mark(QTextCharFormat(), "hit", self._colours()["hit"])  # an outline
            doc = self.view.document()
            for term in terms:
                if len(term) < 2:
                    continue
                found = doc.find(term, start)
                while not found.isNull() and found.selectionStart() < end:
                    sel = QTextEdit.ExtraSelection()
                    sel.cursor, sel.format = found, fmt
                    marks.append(sel)
                    found = doc.find(term, found)
            # the caret goes to the first hit (else the turn's text, past its speaker
            # line), so `v` right after opening a hit selects what was said
            c = QTextCursor(doc)
            if marks:
                c.setPosition(marks[0].cursor.selectionStart())
            elif block != end_block:
                c.setPosition(block.next().position())
            else:
                c.setPosition(start)
            self.view.setTextCursor(c)
            self.center_on(c)
        self._marks = marks
        self._term_spans = []
        for start, end in (_term_spans(self.episode, terms) if self.episode else []):
            a, b = self.doc_position(start), self.doc_position(end)
            if a is not None and b is not None:
                self._term_spans.append((a, b))
        self._apply_selections()

    def _anchor_cursor(self, name: str) -> QTextCursor | None:
        block = self.view.document().begin()
        while block.isValid():
            if _has_anchor(block, name, exact=True):
                c = QTextCursor(block)
                return c
            block = block.next()
        return None

    def chapter_step(self, delta: int) -> None:
        if self.episode is None or not self.episode.chapters:
            return
        top = self.view.cursorForPosition(self.view.viewport().rect().topLeft()).position()
        anchors = []
        block = self.view.document().begin()
        while block.isValid():
            if _has_anchor(block, "chapter-"):
                anchors.append(block.position())
            block = block.next()
        if not anchors:
            return
        if delta > 0:
            target = next((i for i, p in enumerate(anchors) if p > top + 2), len(anchors) - 1)
        else:
            before = [i for i, p in enumerate(anchors) if p < top - 2]
            target = before[-1] if before else 0
        self.view.scrollToAnchor(f"chapter-{target}")

    # -- canonical text offsets <-> document positions ------------------------------------

    def _index_segments(self) -> None:
        """Where each paragraph of each segment sits in the document, so that
        annotation offsets (into `Episode.text`) map to the view and back."""
        self._paragraphs, self._starts = [], []
        self._segment_pos = {}
        if self.episode is None:
            return
        segs = {seg.id: seg for seg in self.episode.segments}
        block = self.view.document().begin()
        while block.isValid():
            seg = None
            it = block.begin()
            while not it.atEnd() and seg is None:
                for name in it.fragment().charFormat().anchorNames():
                    if name.startswith("seg-"):
                        seg = segs.get(int(name[4:]))
                it += 1
            if seg is None:
                block = block.next()
                continue
            self._segment_pos[seg.id] = block.position()
            if seg.kind != "heading" and (seg.speaker or seg.start_ms is not None):
                block = block.next()  # the speaker/time line
            offset = seg.char_start
            for para in seg.text.split("\n\n"):
                if not block.isValid():
                    break
                self._paragraphs.append((offset, block.position(), len(para)))
                offset += len(para) + 2
                block = block.next()

    def doc_position(self, offset: int) -> int | None:
        from bisect import bisect_right
        if len(self._starts) != len(self._paragraphs):
            self._starts = [p[0] for p in self._paragraphs]
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        start, pos, length = self._paragraphs[i]
        return pos + min(offset - start, length)

    def text_offset(self, position: int) -> int | None:
        """The canonical text offset of a document position (None outside the transcript)."""
        for start, pos, length in self._paragraphs:
            if pos <= position <= pos + length:
                return start + (position - pos)
        return None

    def selected_span(self) -> tuple[int, int] | None:
        c = self.view.textCursor()
        if not c.hasSelection():
            return None
        a, b = self.text_offset(c.selectionStart()), self.text_offset(c.selectionEnd())
        if a is None or b is None or b <= a:
            return None
        return a, b

    def select_span(self, start: int, end: int) -> None:
        a, b = self.doc_position(start), self.doc_position(end)
        if a is None or b is None:
            return
        c = anchors.span_cursor(self.view.document(), a, b)
        self.view.setTextCursor(c)
        self.center_on(c)

    def place_caret(self, offset: int) -> None:
        """Put the caret at a text offset (after a turn edit redrew the episode)."""
        pos = self.doc_position(offset)
        if pos is not None:
            c = QTextCursor(self.view.document())
            c.setPosition(pos)
            self.view.setTextCursor(c)
            self.center_on(c)

    def extend_by_sentence(self) -> None:
        """`v`: select the sentence at the cursor; again: add the next sentence."""
        import re
        c = self.view.textCursor()
        block = c.block()
        text = block.text()
        rel_end = (c.selectionEnd() if c.hasSelection() else c.position()) - block.position()
        ends = [m.end() for m in re.finditer(r"[.!?…]+[\"”’)]*(?:\s+|$)", text)] + [len(text)]
        if c.hasSelection():
            start = c.selectionStart()
            end_rel = next((e for e in ends if e > rel_end), len(text))
        else:
            starts = [0] + [e for e in ends if e <= rel_end]
            start = block.position() + max(starts)
            end_rel = next((e for e in ends if e > rel_end), len(text))
        c.setPosition(start)
        c.setPosition(block.position() + end_rel, QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(c)

    # -- annotations --------------------------------------------------------------------

    def set_annotations(self, annotations: list[Annotation], tag_colours: dict[str, str]) -> None:
        self._annotations = [a for a in annotations if a.start is not None]
        self._tag_colours = tag_colours
        self._annotation_marks = self._annotation_selections()
        self._apply_selections()

    def annotations_at(self, position: int) -> list[Annotation]:
        offset = self.text_offset(position)
        if offset is None:
            return []
        return [a for a in self._annotations if a.start <= offset < a.end]

    def _annotation_selections(self) -> list[QTextEdit.ExtraSelection]:
        out = []
        doc = self.view.document()
        mode = self._mode()
        for a in self._annotations:
            s, e = self.doc_position(a.start), self.doc_position(a.end)
            if s is None or e is None:
                continue
            chosen = next((self._tag_colours[t] for t in a.tags if t in self._tag_colours),
                          a.colour)
            # a bar in the margin plus a quiet band beneath the lines, both in the tag's
            # colour (moved off an entity colour if the user picked one close to it:
            # render/palette.py); the view paints both (views/marked_text.py), and
            # entity mentions keep their own tint, drawn over the band
            tint = QColor(palette.annotation_colour(chosen, mode))
            tint.setAlphaF(palette.fill_strength(chosen, mode))
            out.append(_selection(doc, s, e, mark(
                QTextCharFormat(), "annotation", palette.annotation_bar(chosen, mode),
                tint.name(QColor.NameFormat.HexArgb))))
        return out

    # -- find in page -------------------------------------------------------------------

    def open_find(self) -> None:
        self.findbar.show()
        sel = self.view.textCursor().selectedText()
        if sel and len(sel) < 80:
            self.findbar.edit.setText(sel)
        self.findbar.edit.setFocus()
        self.findbar.edit.selectAll()

    def close_find(self) -> None:
        self.findbar.hide()
        self._find_matches, self._find_at = [], -1
        self._apply_selections()
        self.view.setFocus()

    def _run_find(self, text: str) -> None:
        self._find_matches = []
        doc = self.view.document()
        if text:
            found = doc.find(text, 0)
            while not found.isNull() and len(self._find_matches) < 10000:
                self._find_matches.append(found)
                found = doc.find(text, found)
        self._find_at = -1
        if self._find_matches:
            self._find_at = self._first_match_from_caret()
            self._goto_match()
        else:
            self.findbar.count.setText("No matches" if text else "")
            self._apply_selections()

    def find_next(self) -> None:
        if not self.findbar.isVisible():
            self.open_find()
            return
        if self._find_matches:
            if self._moved_away():  # from where the caret is now, as browsers do
                self._find_at = self._first_match_from_caret()
            else:
                self._find_at = (self._find_at + 1) % len(self._find_matches)
            self._goto_match()

    def find_previous(self) -> None:
        if self._find_matches:
            if self._moved_away():
                here = self.view.textCursor().position()
                self._find_at = next((i for i in range(len(self._find_matches) - 1, -1, -1)
                                      if self._find_matches[i].selectionEnd() <= here),
                                     len(self._find_matches) - 1)
            else:
                self._find_at = (self._find_at - 1) % len(self._find_matches)
            self._goto_match()

    def _first_match_from_caret(self) -> int:
        """The first match at or after the caret (the first of all past the last)."""
        here = self.view.textCursor().position()
        return next((i for i, c in enumerate(self._find_matches)
                     if c.selectionStart() >= here), 0)

    def _moved_away(self) -> bool:
        """The caret is off the current match: the reader went elsewhere since (an
        annotation or a hit opened, N, a click), and the next match is the one after
        the caret, not after a match now out of sight (review: "1 of 12" while the
        matches in view were all plain)."""
        if not 0 <= self._find_at < len(self._find_matches):
            return True
        current = self._find_matches[self._find_at]
        caret = self.view.textCursor().position()
        return not current.selectionStart() <= caret <= current.selectionEnd()

    def match_count(self) -> int:
        return len(self._find_matches)

    def _goto_match(self) -> None:
        cursor = self._find_matches[self._find_at]
        self.view.setTextCursor(cursor)
        self.center_on(cursor)
        self.findbar.count.setText(f"{self._find_at + 1} of {len(self._find_matches)}")
        self._apply_selections()

    def _apply_selections(self) -> None:
        sels = list(self._annotation_marks) + list(self._marks)
        self.view.setExtraSelections(sels)
        marks = marks_of(sels)
        if self._find_matches:
            # outlines, not fills: a match on an entity keeps the entity's one tone; painted
            # by the view, not extra selections (views/marked_text.py: repaint cost)
            hit = self._colours()["hit"]
            marks += [Mark(c.selectionStart(), c.selectionEnd(),
                           "hit-current" if i == self._find_at else "hit", hit)
                      for i, c in enumerate(self._find_matches[:2000])]
        self.view.set_marks(marks)
        self._update_minimap()

    def _mode(self) -> str:
        """The theme in force, read off the view's palette (set by ui/theme.py)."""
        return "dark" if self.view.palette().base().color().lightness() < 128 else "light"

    def _colours(self) -> dict[str, str]:
        return palette.surfaces(self._mode())

    # -- the minimap --------------------------------------------------------------------

    def _update_minimap(self) -> None:
        hit = QColor(self._colours()["hit"])  # the palette's hit colour, as in the text
        spans = [(c.selectionStart(), c.selectionEnd())
                 for c in [m.cursor for m in self._marks] + self._find_matches[:2000]]
        spans += self._term_spans  # the search's words in the rest of the episode
        self.minimap.set_marks("hits", [(a, b, hit) for a, b in sorted(set(spans))])
        self.minimap.set_marks("annotations", [
            (m.cursor.selectionStart(), m.cursor.selectionEnd(),
             QColor(m.format.property(marked_text.COLOUR)))  # the margin bar's colour
            for m in self._annotation_marks if m.format.property(marked_text.KIND)])
        current = self._find_matches[self._find_at] if self._find_at >= 0 else None
        self.minimap.set_current(
            None if current is None else (current.selectionStart(), current.selectionEnd()),
            hit)

    def _mark_entity(self, steps: list[QTextCursor] | None = None) -> None:
        """Show the chosen entity's mentions on the minimap, in the kind's colour."""
        if self._entity_href is None or self.episode is None:
            self.minimap.set_marks("entity", [])
            return
        if steps is None:
            steps = _anchor_cursors(self.view.document(), self._entity_href)
        colour = QColor()
        if steps:  # every mention has its kind's colour: the first one's says it
            probe = QTextCursor(steps[0])
            probe.setPosition(steps[0].selectionStart() + 1)
            colour = probe.charFormat().foreground().color()
        self.minimap.set_marks("entity", [(c.selectionStart(), c.selectionEnd(), colour)
                                          for c in steps])

    # -- the outline: segments and times ------------------------------------------------

    def segment_position(self, segment_id: int) -> int | None:
        """Where a segment starts in the document (its speaker line, for a turn)."""
        return self._segment_pos.get(segment_id)

    def section_start(self, segment_id: int) -> int | None:
        """Where a section opening at this segment starts: the chapter heading above
        the segment when there is one."""
        pos = self.segment_position(segment_id)
        if pos is None:
            return None
        heading = self.view.document().findBlock(pos).previous()
        if heading.isValid() and _has_anchor(heading, "chapter-"):
            return heading.position()
        return pos

    def jump_to_segment(self, segment_id: int) -> bool:
        """Bring a segment to the top of the view with the caret at its start."""
        pos = self.segment_position(segment_id)
        if pos is None:
            return False
        c = QTextCursor(self.view.document())
        c.setPosition(pos)
        self.view.setTextCursor(c)
        top = QTextCursor(c)
        top.setPosition(self.section_start(segment_id))
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.value() + self.view.cursorRect(top).top() - 8)
        return True

    def seek(self, ms: int) -> None:
        """A chapter's time link: the first turn at or after that time; in a transcript
        without times, the video at that time when the episode has one."""
        ep = self.episode
        if ep is None:
            return
        seg = next((s for s in ep.segments if s.start_ms is not None and s.start_ms >= ms), None)
        if seg is not None and self.jump_to_segment(seg.id):
            return
        if ep.summary.video_id:
            QDesktopServices.openUrl(QUrl(
                f"https://www.youtube.com/watch?v={ep.summary.video_id}&t={ms // 1000}s"))
        else:
            self.message.emit("This transcript has no times to go to")

    # -- entities -----------------------------------------------------------------------

    def set_hidden_kinds(self, kinds: frozenset[str]) -> None:
        self._hidden = kinds
        if self.episode is not None:
            self._render(keep_position=True)

    def step_entity(self, canonical: str, delta: int) -> int:
        """Select the next/previous mention of an entity; returns how many there are."""
        from aiviewer.render.transcript import entity_href
        href = entity_href(canonical)
        if not self._entity_steps or self._entity_href != href:
            self._entity_href = href
            self._entity_steps = _anchor_cursors(self.view.document(), href)
            self._entity_at = -1 if delta > 0 else 0
            self._mark_entity(self._entity_steps)
        if not self._entity_steps:
            return 0
        self._entity_at = (self._entity_at + delta) % len(self._entity_steps)
        self.view.setTextCursor(self._entity_steps[self._entity_at])
        self.center_on(self._entity_steps[self._entity_at])
        return len(self._entity_steps)

    def step_suggestion(self, delta: int) -> int:
        """Select the next/previous suggestion after/before the caret (wrapping);
        returns how many the episode shows."""
        steps = self._suggestion_cursors()
        if not steps:
            return 0
        here = self.view.textCursor()
        if delta > 0:
            pos = here.selectionEnd()
            i = next((i for i, c in enumerate(steps) if c.selectionStart() >= pos), 0)
        else:
            pos = here.selectionStart()
            before = [i for i, c in enumerate(steps) if c.selectionEnd() <= pos]
            i = before[-1] if before else len(steps) - 1
        self.view.setTextCursor(QTextCursor(steps[i]))
        self.center_on(steps[i])
        return len(steps)

    def suggestion_at_caret(self) -> tuple[str, str] | None:
        """(canonical, surface) of the suggestion the caret is on, if any."""
        steps = self._suggestion_cursors()
        i = suggestion_marks.at(steps, self.view.textCursor().position())
        return None if i is None else suggestion_marks.pairing(steps[i])

    def suggestion_count(self) -> int:
        return len(self._suggestion_cursors())

    def _suggestion_cursors(self) -> list[QTextCursor]:
        """The suggestions' cursors, underlined on first use after a render."""
        if self._suggestions is None:
            self._suggestions = suggestion_marks.mark(self.view.document())
        return self._suggestions

    def entity_position(self) -> int:
        """Which mention `step_entity` selected last (0-based; -1 before the first)."""
        return self._entity_at

    def _on_view_anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith(ENTITY_SCHEME):
            self.entity_clicked.emit(unquote(href[len(ENTITY_SCHEME):]))
        elif (ms := parse_seek_href(href)) is not None:
            self.seek(ms)
        elif url.scheme() in ("http", "https", "mailto"):  # show notes: in the browser
            QDesktopServices.openUrl(url)
        elif href.startswith("#"):  # a footnote of the notes
            self.view.scrollToAnchor(href[1:])

    def _on_view_hover(self, url: QUrl) -> None:
        href = url.toString()
        suggested = parse_suggestion_href(href)
        if suggested is not None:
            info = self.entity_info(suggested[0])
            self._show_card(href, suggestion_marks.tooltip(
                *suggested, info.kind if info else None))
            return
        if not href.startswith(ENTITY_SCHEME):
            self.card.hide()
            return
        canonical = unquote(href[len(ENTITY_SCHEME):])
        self._show_card(href, self.entity_tooltip(canonical))

    def _show_card(self, href: str, html: str) -> None:
        """An entity's or a suggestion's card, just below the name (at the mouse it
        covered the line being read)."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QCursor
        mouse = QCursor.pos()
        at = self.view.cursorForPosition(self.view.viewport().mapFromGlobal(mouse)).position()
        span = popover.link_span(self.view, at, href) or popover.link_span(
            self.view, max(0, at - 1), href)
        rect = popover.selection_rect(self.view, span) if span else None
        self.card.show_text(html, rect or QRect(mouse, mouse))

    def entity_tooltip(self, canonical: str) -> str:
        from html import escape
        info = self.entity_info(canonical)
        if info is None:
            return f"<b>{escape(canonical)}</b>"
        desc = f"<br>{escape(info.description)}" if info.description else ""
        return (f"<b>{escape(info.canonical)}</b> <i>{escape(info.kind)}</i>{desc}"
                f"<br><small>Click for every mention</small>")

    # -- zoom ---------------------------------------------------------------------------

    def set_point_size(self, size: int) -> None:
        """Zoom, keeping the passage at the top of the view where it was."""
        top = self.top_position() if self.episode is not None else None
        self.point_size = max(7, min(size, 32))
        font = self.view.font()
        font.setPointSize(self.point_size)
        self.view.setFont(font)
        self.view.document().setDefaultFont(font)
        self._fit_column()
        if top:
            doc = self.view.document()
            # a new font lays the document out again, a piece at a time: finish it first
            height = doc.documentLayout().documentSize().height()
            c = QTextCursor(doc)
            c.setPosition(top)
            bar = self.view.verticalScrollBar()
            # the view takes the new height into its scroll range only on a later event;
            # until then the range still ends near the top and the view would land there
            bar.setMaximum(max(bar.maximum(), int(height) - self.view.viewport().height()))
            bar.setValue(bar.value() + self.view.cursorRect(c).top())

    def zoom(self, delta: int) -> None:
        self.set_point_size(self.point_size + delta if delta else DEFAULT_POINT_SIZE)


def _selection(doc: QTextDocument, start: int, end: int,
               fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
    sel = QTextEdit.ExtraSelection()
    sel.cursor, sel.format = anchors.span_cursor(doc, start, end), fmt
    return sel


def _has_anchor(block, prefix: str, exact: bool = False) -> bool:
    it = block.begin()
    while not it.atEnd():
        fmt = it.fragment().charFormat()
        for name in fmt.anchorNames():
            if (name == prefix) if exact else name.startswith(prefix):
                return True
        it += 1
    return False


def _term_spans(episode: Episode, terms: tuple[str, ...], limit: int = 2000
                ) -> list[tuple[int, int]]:
    """Where a search's highlighted words occur in the episode's text (canonical
    offsets, case-insensitive): the minimap shows the search's hits in the whole
    episode, not only in the passage opened.  Python over the segments' text, not
    QTextDocument.find, which walks the 3-hour document once per occurrence."""
    import re
    words = sorted({t for t in terms if len(t) >= 2}, key=len, reverse=True)
    if not words:
        return []
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out: list[tuple[int, int]] = []
    for seg in episode.segments:
        for m in pattern.finditer(seg.text):
            out.append((seg.char_start + m.start(), seg.char_start + m.end()))
            if len(out) >= limit:
                return out
    return out


def _anchor_cursors(doc: QTextDocument, href: str) -> list[QTextCursor]:
    return anchors.cursors_where(doc, lambda h: h == href)
