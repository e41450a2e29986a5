"""A one-line hint of the keys that act on a panel: "N / Shift+N: next / previous
mention".  The hints had shared a label with the panel's counts and wrapped onto two
or three ragged lines at 1280 px (blind screenshot review); on a line of their own
they never wrap.  A panel says its keys in one wording, the one that fits the side
panel at 1280 px, at every window width — a longer one at 1920 read as a different
instruction (blind review) — and the whole of it is the tooltip.  Shorter wordings
are kept only for a panel dragged narrower than that."""

from __future__ import annotations

import re
from html import unescape

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel

_TAGS = re.compile(r"<[^>]+>")


def plain(rich: str) -> str:
    """The text of a hint's rich text: tags dropped, entities decoded (a no-break space
    as a space)."""
    return unescape(_TAGS.sub("", rich)).replace("\xa0", " ")


class KeyHint(QLabel):
    def __init__(self, variants: list[str], tip: str = "", parent=None):
        """`variants`: rich text (keys in <b>), the panel's wording first, then
        shorter ones for a narrower panel; `tip`: the tooltip, the full wording (the
        first variant when empty)."""
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(False)
        self.variants = list(variants)
        self.setToolTip(tip or plain(self.variants[0]))
        self._choose(self.width())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Never what makes the panel wider: a narrower one shows a shorter variant."""
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(0, super().sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._choose(event.size().width())

    def fits(self, html: str, width: int) -> bool:
        """Measured in bold throughout: a little wider than the text drawn, never
        narrower."""
        bold = QFont(self.font())
        bold.setBold(True)
        m = self.contentsMargins()
        return QFontMetrics(bold).horizontalAdvance(plain(html)) <= width - m.left() - m.right()

    def _choose(self, width: int) -> None:
        chosen = next((v for v in self.variants if self.fits(v, width)), self.variants[-1])
        if chosen != self.text():
            self.setText(chosen)
