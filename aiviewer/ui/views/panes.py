"""The main window's three panes side by side: the library list, the reader and
the side panel, and how they share a window that grows or shrinks.

The reader alone took every pixel the window gained: the library list opened at
about 250 px on a 1280 px screen stayed 250 px at 1920, cutting most episode
titles, while the reader's text keeps its measure in a column that grows no
wider.  A change of the window's width is now shared 1 : 2 : 1 (the reading
controller applies it, since it also narrows the panels for the reader's line at
small sizes).  The sizes a user drags are saved and restored as before
(`MainWindow.save_settings`); the factors only say how a later resize shares its
pixels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

STRETCH = (1, 2, 1)  # library list, reader, side panel
START_SIZES = (300, 840, 320)  # before any saved sizes: the first start's proportions


def three_panes(library: QWidget, reader: QWidget, side: QWidget) -> QSplitter:
    split = QSplitter(Qt.Orientation.Horizontal)
    for n, pane in enumerate((library, reader, side)):
        split.addWidget(pane)
        split.setStretchFactor(n, STRETCH[n])
    split.setSizes(list(START_SIZES))
    return split
