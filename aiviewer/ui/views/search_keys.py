"""The search box's keys, one function over the popup's widgets.

Up/Down (PgUp/PgDn by five) move through results from the box, Enter opens the
passage, Esc clears the box and a second Esc closes it; Up in an empty box recalls
recent searches; Tab takes a "did you mean", else moves into the facet chips, then
the results; End, PgDn or Down on the list's last row fetch the next page (Enter
on its "Show all …" row the rest);
Ctrl+M shows the passages like the current one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt


def handle(popup, obj, event) -> bool:  # noqa: C901 - one branch per key and widget
    """The popup's event filter on its box, chips and list: True when the key was used."""
    if event.type() != QEvent.Type.KeyPress:
        return False
    key = event.key()
    if key == Qt.Key.Key_Escape:
        if popup.edit.text():  # first Esc clears, the second closes
            popup.edit.clear()
            popup.edit.setFocus()
        else:
            popup.close_popup()
        return True
    if obj is popup.chips:
        if key == Qt.Key.Key_Backtab:
            popup.edit.setFocus()
            return True
        if key == Qt.Key.Key_Tab:
            popup.results.setFocus()
            return True
        return False
    if key == Qt.Key.Key_M and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        item = popup.results.currentItem()
        popup.more_like(item.data(Qt.ItemDataRole.UserRole) if item else None)
        return True
    if obj is popup.edit:
        if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            step = 1 if key == Qt.Key.Key_Down else 5
            row = min(popup.results.currentRow() + step, popup.results.count() - 1)
            popup.results.setCurrentRow(max(row, 0))
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            if (not popup.edit.text() or popup._recent_at >= 0) and popup.recent:
                popup._recent_at = min(popup._recent_at + 1, len(popup.recent) - 1)
                at = popup._recent_at
                popup.edit.setText(popup.recent[at])
                popup._recent_at = at
                return True
            step = 1 if key == Qt.Key.Key_Up else 5
            popup.results.setCurrentRow(max(popup.results.currentRow() - step, 0))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup._timer.stop()
            if popup.results.currentItem() is not None:
                popup._choose(popup.results.currentItem())
            else:
                popup._start_search()
            return True
        if key == Qt.Key.Key_Tab:
            if popup.last_results and popup.last_results.suggestion:
                popup.edit.setText(popup.last_results.suggestion)
            elif popup.chips.isVisible():
                popup.chips.setFocus()
            else:
                popup.results.setFocus()
            return True
    if obj is popup.results:
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup._choose(popup.results.currentItem())
            return True
        if key in (Qt.Key.Key_End, Qt.Key.Key_PageDown, Qt.Key.Key_Down) and \
                popup.results.currentRow() >= popup.results.count() - 1:
            popup.load_more()  # at the bottom: the next page
        if key == Qt.Key.Key_Backtab:
            popup.chips.setFocus() if popup.chips.isVisible() else popup.edit.setFocus()
            return True
    return False
