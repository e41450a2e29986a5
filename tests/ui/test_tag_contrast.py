"""Tag colours as the window draws them, in both themes: the chips of the annotation
panel reach WCAG AA (blind review: olive chips read 3.6–3.9:1); the browser's tag tree
writes names in the text's colour, each after a swatch of its margin bar's colour."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from aiviewer.render import palette as p
from aiviewer.ui.views.annotation_panel import annotation_html


def _chips(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<span style='color:(#[0-9a-f]{6});background:(#[0-9a-f]{6});'>", html)


def test_every_default_tag_reads_in_panel_and_browser_in_both_themes(qtbot, window):
    lib = window.library
    ep = lib.episodes()[0]
    names = [f"tag{n}" for n in range(len(p.TAG_DEFAULTS))]
    for n, name in enumerate(names):
        lib.annotate(ep.id, 10 * n, 10 * n + 8, tags=[name])
    colours = {t.name: t.colour for t in lib.tags()}
    assert set(colours.values()) == set(p.TAG_DEFAULTS)  # new tags take every default
    qtbot.keyClick(window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    browser = window.annotating.browser
    assert browser is not None and browser.isVisible()
    try:
        for theme in ("light", "dark"):
            window.apply_theme(theme)
            browser.refresh_tags()
            base = browser.tags.palette().color(browser.tags.viewport().backgroundRole()).name()
            for a in lib.annotations():
                for fg, bg in _chips(annotation_html(a, colours, theme=theme)):
                    assert p.contrast(fg, bg) >= p.CHIP_TEXT, (theme, a.tags, fg, bg)
            for name in names:
                item = browser.tags.findItems(name, Qt.MatchFlag.MatchExactly
                                              | Qt.MatchFlag.MatchRecursive, 0)[0]
                assert item.foreground(0).style() == Qt.BrushStyle.NoBrush  # the text's
                icon = item.icon(0).pixmap(12, 12).toImage()
                seen = icon.pixelColor(6, 6).name()
                assert seen == p.annotation_bar(colours[name], theme).lower(), (theme, name)
                assert p.contrast(seen, base) >= 3.0  # a graphic that carries meaning
    finally:
        browser.close()
