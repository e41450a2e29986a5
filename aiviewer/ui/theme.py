"""Applies the one palette (aiviewer/render/palette.py; README, "Visual system") to Qt:
the application palette, the frames of popups and tooltips, and the reader's style
sheet.  No colour is chosen here; they all come from the palette module.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from aiviewer.render.palette import ENTITY_COLOURS, KINDS, surfaces

__all__ = ["ENTITY_COLOURS", "KINDS", "apply", "is_dark", "reader_css"]


# which of the palette's roles each of Qt's colour roles takes
QT_ROLES = {
    QPalette.ColorRole.Window: "window", QPalette.ColorRole.WindowText: "text",
    QPalette.ColorRole.Base: "page", QPalette.ColorRole.AlternateBase: "alternate",
    QPalette.ColorRole.Text: "text", QPalette.ColorRole.Button: "button",
    QPalette.ColorRole.ButtonText: "text", QPalette.ColorRole.Highlight: "selection",
    QPalette.ColorRole.HighlightedText: "selection_text",
    QPalette.ColorRole.ToolTipBase: "card", QPalette.ColorRole.ToolTipText: "text",
    QPalette.ColorRole.PlaceholderText: "placeholder", QPalette.ColorRole.Link: "link",
    QPalette.ColorRole.Mid: "mid",
}


def current() -> str:
    """The theme in force ("light" or "dark"), read off the application's palette."""
    app = QApplication.instance()
    dark = app is not None and app.palette().base().color().lightness() < 128
    return "dark" if dark else "light"


def is_dark(theme: str) -> bool:
    if theme == "system":
        app = QApplication.instance()
        if app is None:
            return False
        hints = app.styleHints()
        scheme = getattr(hints, "colorScheme", None)
        if scheme is not None:
            from PySide6.QtCore import Qt
            return scheme() == Qt.ColorScheme.Dark
        return app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return theme == "dark"


def apply(app: QApplication, theme: str) -> str:
    """Set the application palette; returns "light" or "dark"."""
    app.setStyle("Fusion")
    dark = is_dark(theme)
    s = surfaces("dark" if dark else "light")
    p = QPalette()
    for role, key in QT_ROLES.items():
        p.setColor(role, QColor(s[key]))
    # setColor(role, …) sets every colour group, the disabled one too: a disabled
    # button or field read exactly like an enabled one (the annotation browser's
    # buttons, disabled with nothing to act on, looked clickable).  Disabled text
    # takes the placeholder's colour, the palette's "not content" grey
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(s["placeholder"]))
    app.setPalette(p)
    # Fusion draws a check box's square in the window colour darkened by 40 %: on the
    # dark theme that is the page's own colour, and the boxes were bare ticks (the
    # blind screenshot review, twice).  Check boxes take a window colour whose
    # darkened edge stands off the page, the `border` colour's (3:1, as popups' frames)
    boxes = QPalette(p)
    if dark:
        boxes.setColor(QPalette.ColorRole.Window, QColor(s["border"]).lighter(140))
    QApplication.setPalette(boxes, "QCheckBox")
    # text fields the same way: Fusion draws a field's frame in the window colour
    # darkened by 40 % too, and on the dark theme the find bar's and the command
    # palette's fields had no visible edge (screenshot review)
    QApplication.setPalette(boxes, "QLineEdit")
    # tooltips are framed in the theme's border colour: in the dark theme they had no
    # visible edge against the page (the search popup draws its own frame)
    app.setStyleSheet(
        f"QToolTip {{ padding: 4px 6px; border: 1px solid {s['border']}; }}"
        "QLineEdit { padding: 4px 6px; }"
        "QTreeView::item, QListView::item { padding: 3px 2px; }")
    return "dark" if dark else "light"


def reader_css(mode: str, hidden_kinds: frozenset[str] = frozenset()) -> str:
    dark = mode == "dark"
    s = surfaces(mode)
    muted, speaker, heading = s["muted"], s["text"], s["heading"]
    rules = [
        "body { }",
        # x-large: 1.5 times the text (Qt's rich text takes no percentage for a heading:
        # a "135%" here left h1's own 2 times, and a long title took four lines at
        # 1280 px, a quarter of the view: review)
        f"h1.title {{ font-size: x-large; font-weight: 600; margin-bottom: 2px; "
        f"color: {speaker}; }}",
        f"p.meta {{ color: {muted}; margin-top: 0px; margin-bottom: 14px; }}",
        f"div.notes {{ color: {muted}; }}",
        f"p.outline {{ color: {muted}; }}",
        # large and medium, as Qt takes them: 1.2 and 1 times the text (not 118 % and
        # 108 %, which Qt ignored, leaving chapters as large as the title)
        f"h2.chapter {{ font-size: large; font-weight: 600; color: {heading}; margin-top: 22px;"
        " margin-bottom: 4px; }",
        f"h3.heading {{ font-size: medium; font-weight: 600; color: {heading}; margin-top: 14px; }}",
        f"p.turnhead {{ margin-top: 14px; margin-bottom: 2px; color: {speaker}; }}",
        "span.speaker { font-weight: 600; }",
        f"span.time {{ color: {muted}; }}",
        f"span.sound {{ color: {muted}; font-style: italic; }}",
        "p.turn, p.para { margin-top: 0px; margin-bottom: 8px; line-height: 135%;"
        " white-space: pre-wrap; }",
        "a.ent { text-decoration: none; }",
        "a.fuzzy { text-decoration: underline; }",
    ]
    # suggestions: the kind's colour, no fill; the reader makes the underline dotted
    # (Qt's rich-text CSS has no underline style)
    rules.append("a.sug { text-decoration: underline; }")
    for kind, (fg, bg) in ENTITY_COLOURS["dark" if dark else "light"].items():
        if kind in hidden_kinds:
            rules.append(f"a.ent-{kind} {{ color: {speaker}; }}")
        else:
            rules.append(f"a.ent-{kind} {{ color: {fg}; background-color: {bg}; }}")
        rules.append(f"a.sug-{kind} {{ color: {fg}; }}")
    return "\n".join(rules)
