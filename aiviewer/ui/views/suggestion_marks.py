"""Suggestions in the reader's document: their quiet look, where they are, which one
the caret is on.

The renderer makes each suggestion a `suggest:` link with the kind's colour and a plain
underline; Qt's rich-text CSS cannot say "dotted", so the underline style is set here on
the document's fragments once after each render.  The cursors found on the way are what
the reader steps through (G / Shift+G) and what Y / X act on.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

from aiviewer.render.transcript import SUGGEST_SCHEME, parse_suggestion_href
from aiviewer.ui.views import anchors


def mark(doc: QTextDocument) -> list[QTextCursor]:
    """Give every suggestion a dotted underline; returns their cursors in text order."""
    found = anchors.cursors_where(doc, lambda h: h.startswith(SUGGEST_SCHEME))
    if found:
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        undo = doc.isUndoRedoEnabled()
        doc.setUndoRedoEnabled(False)  # a look, not an edit
        hold = QTextCursor(doc)
        hold.beginEditBlock()  # one change for the layout, not one per suggestion
        for c in found:
            c.mergeCharFormat(fmt)
        hold.endEditBlock()
        doc.setUndoRedoEnabled(undo)
    return found


def at(cursors: list[QTextCursor], position: int) -> int | None:
    """Index of the suggestion the caret is on (touching either end counts)."""
    for i, c in enumerate(cursors):
        if c.selectionStart() <= position <= c.selectionEnd():
            return i
    return None


def pairing(cursor: QTextCursor) -> tuple[str, str] | None:
    """(canonical, surface) of the suggestion under `cursor`."""
    probe = QTextCursor(cursor)
    probe.setPosition(cursor.selectionStart() + 1)
    return parse_suggestion_href(probe.charFormat().anchorHref())


def tooltip(canonical: str, surface: str, kind: str | None) -> str:
    """'heard as “Godot” — Gato?' and what to do about it."""
    what = f" <i>{escape(kind)}</i>" if kind else ""
    return (f"heard as “{escape(surface)}” — <b>{escape(canonical)}</b>?{what}"
            "<br><small>Y confirms · X rejects · G / Shift+G next / previous suggestion"
            "</small>")
