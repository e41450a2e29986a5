"""The side panel's "mentions across the library" list takes little room while it is
empty and grows when it lists something (screenshot review: its empty hint box took
~100 px at 1280 and ~170 px at 1920 from the entity list and the suggestions)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _open_lex(qtbot, window, width, height):
    window.resize(width, height)
    window.side.setCurrentWidget(window.entities)
    lex = next(e for e in window.library.episodes() if e.video_id == "EV7WhVT270Q")
    window.library_view.select(lex.id)
    qtbot.waitUntil(lambda: window.entities.tree.topLevelItemCount() >= 3)
    qtbot.wait(50)  # the splitter lays out at the new size


def test_the_empty_mentions_list_is_a_line_or_two_and_grows_with_rows(qtbot, window):
    panel = window.entities
    for width, height in ((1280, 720), (1920, 1080)):
        _open_lex(qtbot, window, width, height)
        everywhere = panel.everywhere
        assert everywhere.count() == 0
        assert everywhere.hint == "Click an entity, or press Everywhere, to list its mentions"
        line = everywhere.fontMetrics().height()
        # the hint wrapped to the panel's width, no more (was 100-170 px of blank box)
        assert everywhere.height() <= everywhere.hint_height() + 1
        assert everywhere.height() <= 3 * line + 20
        # and the splitter's slot around it (with its heading, hidden) no taller
        assert panel.mentions_box.height() <= everywhere.hint_height() + 1
        assert panel.tree.height() > 2 * everywhere.height()

    # a real selection and a real click on Everywhere: the list gets rows and room
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    assert panel.current
    collapsed = panel.everywhere.height()
    qtbot.mouseClick(panel.everywhere_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.everywhere.count() > 0)
    qtbot.wait(50)
    assert panel.everywhere.height() >= sum(panel.split.sizes()) // 4
    assert panel.everywhere.height() > 3 * collapsed
    # Enter on a row still opens it
    panel.everywhere.setFocus()
    panel.everywhere.setCurrentRow(0)
    chosen = panel.everywhere.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(panel.everywhere, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.reader.episode is not None
                    and window.reader.episode.id == chosen.episode_id)

    # another episode: the list empties and gives its room back
    other = next(e for e in window.library.episodes()
                 if e.id != window.reader.episode.id)
    window.library_view.select(other.id)
    qtbot.waitUntil(lambda: panel.everywhere.count() == 0)
    qtbot.wait(50)
    assert panel.everywhere.height() <= panel.everywhere.hint_height() + 1
    assert panel.mentions_box.height() <= panel.everywhere.hint_height() + 1
    assert not panel.everywhere_head.isVisible()
