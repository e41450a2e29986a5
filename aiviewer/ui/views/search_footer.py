"""The last row of the search popup's list while results remain unshown: "Show all
101 passages…".  The count line said "showing 30 of 101 passages" and nothing showed
how to see the rest (the blind screenshot review): the next page came only when the
list was scrolled or keyed to its end, which nothing on the screen told.  The row
is reached as any row is (Down to it, Enter, or a click) and names what it does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from aiviewer.wording import plural

FOOTER = Qt.ItemDataRole.UserRole + 2  # True on the footer row
ALL_AT_ONCE = 500  # the most rows "Show all" adds in one go; a larger rest comes in steps


def footer_text(shown: int, total: int, loading: bool) -> str:
    rest = total - shown
    if loading:
        return "Loading more passages …"
    if rest <= ALL_AT_ONCE:
        return f"Show all {plural(total, 'passage')}…"
    return f"Show {ALL_AT_ONCE:,} more of {plural(total, 'passage')}…"


def footer_tip(shown: int, total: int, page: int) -> str:
    rest = total - shown
    return (f"Enter or click: {min(rest, ALL_AT_ONCE):,} more below the {shown:,} shown; "
            f"End or PgDn here, or scrolling to the end: the next {min(rest, page):,}")


def is_footer(item: QListWidgetItem | None) -> bool:
    return item is not None and bool(item.data(FOOTER))


def footer(view: QListWidget) -> QListWidgetItem | None:
    last = view.item(view.count() - 1) if view.count() else None
    return last if is_footer(last) else None


def set_footer(view: QListWidget, text: str | None, tip: str = "") -> None:
    """The footer row with `text`, added after the results when missing; None takes it
    away.  Its data under UserRole is None, so nothing takes it for a hit."""
    item = footer(view)
    if text is None:
        if item is not None:
            view.takeItem(view.count() - 1)
        return
    if item is None:
        item = QListWidgetItem()
        item.setData(FOOTER, True)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setForeground(view.palette().color(QPalette.ColorRole.Link))
        view.addItem(item)
    item.setText(text)
    item.setToolTip(tip)
