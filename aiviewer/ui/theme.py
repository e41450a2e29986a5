"""Light and dark palettes, and the reader's style sheet.

Entity colours come from the Okabe–Ito palette (distinguishable with the common
colour-vision deficiencies) and are tuned per theme so that text on the tint
keeps a contrast ratio above 4.5:1.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

KINDS = ("model", "organization", "person", "product", "technique", "benchmark", "dataset",
         "hardware", "paper")

# (text colour, background tint) per kind and theme
ENTITY_COLOURS = {
    "light": {
        "model": ("#0b4f8a", "#dcebf8"), "organization": ("#7a3f00", "#fbe7cf"),
        "person": ("#0d6148", "#d5f0e6"), "product": ("#6b2d5c", "#f3dcec"),
        "technique": ("#5a4a00", "#f6efc6"), "benchmark": ("#8a1f11", "#f9ddd8"),
        "dataset": ("#3d3d8f", "#e3e3f7"), "hardware": ("#44525e", "#e4e9ee"),
        "paper": ("#4d5b12", "#e9efd2"),
    },
    "dark": {
        "model": ("#8cc4f2", "#1d3550"), "organization": ("#f2b777", "#47300f"),
        "person": ("#79d8b6", "#123f31"), "product": ("#e7a3d4", "#44223b"),
        "technique": ("#e8d777", "#3f3710"), "benchmark": ("#f29a8c", "#4a1f19"),
        "dataset": ("#b3b3f2", "#2b2b55"), "hardware": ("#b7c4cf", "#2f3840"),
        "paper": ("#c6d98a", "#323a16"),
    },
}


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
    p = QPalette()
    if dark:
        roles = {
            QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
            QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#232427",
            QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2a2b2e",
            QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#3d6fb4",
            QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2a2b2e",
            QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.PlaceholderText: "#8a8d91",
            QPalette.ColorRole.Link: "#8cc4f2", QPalette.ColorRole.Mid: "#3a3b3e",
            QPalette.ColorRole.Mid: "#3a3b3e",
        }
    else:
        roles = {
            QPalette.ColorRole.Window: "#f3f3f2", QPalette.ColorRole.WindowText: "#1f2023",
            QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f6f6f5",
            QPalette.ColorRole.Text: "#1f2023", QPalette.ColorRole.Button: "#ebebea",
            QPalette.ColorRole.ButtonText: "#1f2023", QPalette.ColorRole.Highlight: "#2f65ad",
            QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffff",
            QPalette.ColorRole.ToolTipText: "#1f2023", QPalette.ColorRole.PlaceholderText: "#7b7e83",
            QPalette.ColorRole.Link: "#0b4f8a",
        }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    app.setPalette(p)
    app.setStyleSheet(
        "QToolTip { padding: 4px 6px; }"
        "QLineEdit { padding: 4px 6px; }"
        "QTreeView::item, QListView::item { padding: 3px 2px; }")
    return "dark" if dark else "light"


def reader_css(mode: str, hidden_kinds: frozenset[str] = frozenset()) -> str:
    dark = mode == "dark"
    muted = "#9aa0a6" if dark else "#6b6f75"
    speaker = "#f1f3f4" if dark else "#202124"
    heading = "#c9d1d9" if dark else "#3c4043"
    rules = [
        "body { }",
        f"h1.title {{ font-size: 135%; font-weight: 600; margin-bottom: 2px; color: {speaker}; }}",
        f"p.meta {{ color: {muted}; margin-top: 0px; margin-bottom: 14px; }}",
        f"div.notes {{ color: {muted}; }}",
        f"p.outline {{ color: {muted}; }}",
        f"h2.chapter {{ font-size: 118%; font-weight: 600; color: {heading}; margin-top: 22px;"
        " margin-bottom: 4px; }",
        f"h3.heading {{ font-size: 108%; font-weight: 600; color: {heading}; margin-top: 14px; }}",
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
