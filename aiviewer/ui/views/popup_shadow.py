"""The search popup's shadow: a plain sibling frame behind the popup with a blur
effect, kept at the popup's geometry.

Drawn by a sibling, not by an effect on the popup itself: with the effect every
repaint of the result list re-rendered and blurred the whole popup and repainted
the library list under it (~60 ms a paint at 100x on the loaded 2-core machine,
more than the query).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGraphicsDropShadowEffect, QWidget


class PopupShadow:
    def __init__(self, popup: QWidget, parent: QWidget | None):
        self.popup = popup
        self.frame = QFrame(parent) if parent is not None else None
        if self.frame is not None:
            self.frame.setObjectName("searchPopupShadow")
            # the popup's rounded corners: the popup itself is square, opaque and
            # masked at its corners (search_popup.opaque_region)
            self.frame.setStyleSheet("#searchPopupShadow { border-radius: 6px;"
                                     " border: 1px solid palette(mid);"
                                     " background: palette(window); }")
            effect = QGraphicsDropShadowEffect(self.frame)
            effect.setBlurRadius(28)
            effect.setOffset(0, 6)
            self.frame.setGraphicsEffect(effect)
            self.frame.hide()

    def follow(self, shown: bool | None = None) -> None:
        """Match the popup's geometry; `shown` True/False shows it under the popup or
        hides it."""
        if self.frame is None:
            return
        if shown is False:
            self.frame.hide()
            return
        self.frame.setGeometry(self.popup.geometry())
        if shown:
            self.frame.show()
            self.frame.stackUnder(self.popup)
