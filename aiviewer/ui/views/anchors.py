"""Finding the rendered links of a document: entity mentions and suggestions are
anchors whose href names them; stepping through either needs their cursors."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QTextCursor, QTextDocument


def cursors_where(doc: QTextDocument, keep: Callable[[str], bool]) -> list[QTextCursor]:
    """A selecting cursor over each fragment whose anchor href `keep` accepts, in order.

    The walk runs inside an (empty) edit block: a cursor placed outside one asks the
    layout for its x, which lays the document out up to that block — right after
    `setHtml` that was the whole 3-hour episode, before its first paint."""
    out = []
    hold = QTextCursor(doc)
    hold.beginEditBlock()
    try:
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if keep(frag.charFormat().anchorHref()):
                    c = QTextCursor(doc)
                    c.setPosition(frag.position())
                    c.setPosition(frag.position() + frag.length(),
                                  QTextCursor.MoveMode.KeepAnchor)
                    out.append(c)
                it += 1
            block = block.next()
    finally:
        hold.endEditBlock()
    return out


def ranges_outside(doc: QTextDocument, start: int, end: int,
                   skip: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The parts of [start, end) not covered by a fragment whose anchor href `skip`
    accepts — an annotation's fill goes around entity mentions, which keep their own
    tint: laid over the tint, the fill had to be so faint (4-10 % on the dark theme) to
    keep an entity's text at 4.5:1 that nobody saw it."""
    out: list[tuple[int, int]] = []
    at = start
    block = doc.findBlock(start)
    while block.isValid() and block.position() < end:
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fs, fe = frag.position(), frag.position() + frag.length()
            if fe > start and fs < end and skip(frag.charFormat().anchorHref()):
                if fs > at:
                    out.append((at, fs))
                at = max(at, fe)
            it += 1
        block = block.next()
    if at < end:
        out.append((at, end))
    return out
