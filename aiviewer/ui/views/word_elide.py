"""Titles cut at a word boundary, not in the middle of a word.

Qt's own elision ("Interconnects: The Deep…ek moment") cuts wherever the pixels
run out; a title cut mid-word reads as a different word.  The library list cuts
after the last whole word that fits and keeps the full title in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate

ELLIPSIS = "…"
_PADDING = 10  # the item's own margins, left and right


def elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` if it fits in `width` pixels; else its longest run of whole words
    that fits with an ellipsis; a single word too long for the room is cut by Qt."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    lo, hi = 0, len(words) - 1  # how many leading words fit with the ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        head = " ".join(words[:mid]).rstrip(" ,;:–—-")
        if metrics.horizontalAdvance(head + ELLIPSIS) <= width:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0 or not " ".join(words[:lo]).strip():
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    return " ".join(words[:lo]).rstrip(" ,;:–—-") + ELLIPSIS


class WordElideDelegate(QStyledItemDelegate):
    """Paints a cell's text elided at a word boundary."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        room = option.rect.width() - _PADDING
        if option.text and room > 0:
            option.text = elide_words(option.text, option.fontMetrics, room)
