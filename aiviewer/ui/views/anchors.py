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
