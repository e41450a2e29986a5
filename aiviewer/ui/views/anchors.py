"""Finding the rendered links of a document: entity mentions and suggestions are
anchors whose href names them; stepping through either needs their cursors."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtGui import QTextCursor, QTextDocument


def span_cursor(doc: QTextDocument, start: int, end: int) -> QTextCursor:
    """A cursor selecting the document positions [start, end)."""
    c = QTextCursor(doc)
    c.setPosition(start)
    c.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return c


def _anchored(doc: QTextDocument, keep: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """(start, end) of each fragment whose anchor href `keep` accepts, in order."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if keep(frag.charFormat().anchorHref()):
                yield frag.position(), frag.position() + frag.length()
            it += 1
        block = block.next()


def cursors_where(doc: QTextDocument, keep: Callable[[str], bool]) -> list[QTextCursor]:
    """A selecting cursor over each fragment whose anchor href `keep` accepts, in order.

    The walk runs inside an (empty) edit block: a cursor placed outside one asks the
    layout for its x, which lays the document out up to that block — right after
    `setHtml` that was the whole 3-hour episode, before its first paint."""
    hold = QTextCursor(doc)
    hold.beginEditBlock()
    try:
        return [span_cursor(doc, s, e) for s, e in _anchored(doc, keep)]
    finally:
        hold.endEditBlock()

