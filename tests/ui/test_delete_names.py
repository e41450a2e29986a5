"""The delete commands name what they delete (blind review: "Delete…" beside
"Delete selected" in the annotation browser — which deletes what?): the tag's button
says tag, the annotations' button, menu item and palette entry say how many
annotations."""

from __future__ import annotations

from modal import when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused


def _annotate(window, n):
    ep = next(e for e in window.library.episodes() if e.form == "apppage")
    window.library_view.select(ep.id)
    for k in range(n):
        window.library.annotate(ep.id, 10 * k, 10 * k + 8, tags=[f"t{k}"])
    window.annotating.refresh()
    return ep


def test_the_browser_buttons_say_tag_or_how_many_annotations(qtbot, window):
    _annotate(window, 3)
    qtbot.keyClick(window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    browser = window.annotating.browser
    try:
        assert browser.delete_tag_button.text() == "Delete tag…"
        # the browser opens on its first row, selected: "Delete selected annotation"
        browser.table.clearSelection()
        assert browser.bulk_delete.text() == "Delete selected annotations"
        table = browser.table
        rect = table.visualRect(browser.proxy.index(0, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert browser.bulk_delete.text() == "Delete selected annotation"
        qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        assert browser.bulk_delete.text() == "Delete 3 selected annotations"
        qtbot.mouseClick(browser.bulk_delete, Qt.MouseButton.LeftButton)
        assert window.library.annotations() == []
        texts = [b.text() for b in (browser.rename_button, browser.merge_button,
                                    browser.colour_button, browser.delete_tag_button,
                                    browser.bulk_tag, browser.bulk_untag,
                                    browser.bulk_delete)]
        assert len({t.rstrip("…").lower() for t in texts if "delete" in t.lower()}) == 2
    finally:
        browser.close()


def test_the_annotate_menu_and_palette_delete_the_panels_selection(qtbot, window):
    ep = _annotate(window, 3)
    action = window.actions_by_id["delete_annotations"]
    annotate_menu = next(a.menu() for a in window.menuBar().actions()
                         if a.text().replace("&", "") == "Annotate")
    assert action in annotate_menu.actions()
    qtbot.keyClick(focused(window), Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    panel = window.annotation_panel.list
    assert focused(window) is panel
    qtbot.keyClick(panel, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert action.text().replace("&", "") == "Delete 3 Selected Annotations"
    panel.setCurrentRow(0)  # one selected
    assert action.text().replace("&", "") == "Delete Selected Annotation"

    def type_in_palette():
        palette = QApplication.activeModalWidget()
        qtbot.keyClicks(palette.edit, "delete selected annotations")
        assert palette.list.count() == 1
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    when_modal(type_in_palette)
    qtbot.keyClick(focused(window), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(window.library.annotations(episode_id=ep.id)) == 2)
    assert window.statusBar().currentMessage().startswith("Deleted 1 annotation —")
