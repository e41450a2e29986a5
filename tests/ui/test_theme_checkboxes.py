"""Check boxes show their square in both themes: Fusion draws it in the window colour
darkened by 40 %, which on the dark theme was the page's own colour (bare ticks)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox

from aiviewer.render.palette import contrast
from aiviewer.ui import theme


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_check_box_square_stands_off_the_page(qtbot, mode):
    app = QApplication.instance()
    before = theme.current()
    try:
        theme.apply(app, mode)
        box = QCheckBox("Also by meaning")
        qtbot.addWidget(box)
        box.ensurePolished()  # a class's palette is taken when the widget is polished
        pal = box.palette()
        edge = pal.color(QPalette.ColorRole.Window).darker(140).name()
        assert contrast(edge, pal.color(QPalette.ColorRole.Base).name()) >= 1.5
        assert contrast(edge, app.palette().color(QPalette.ColorRole.Window).name()) >= 1.5
        # the rest of the window keeps the theme's own window colour
        assert app.palette().color(QPalette.ColorRole.Window).name() == \
            theme.surfaces(mode)["window"]
    finally:
        theme.apply(app, before)
