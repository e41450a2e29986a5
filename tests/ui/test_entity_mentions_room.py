"""Under the entity tree two tabs share the room: the selected entity's mentions
across the library, and the open episode's suggestions.  (Stacked, the tree, the
mentions and the suggestions had a third of the panel each, each with a scroll bar:
a review found the panel cramped.)"""

from __future__ import annotations

from PySide6.QtCore import Qt


def _open_busiest(qtbot, window, width, height):
    window.resize(width, height)
    window.side.setCurrentWidget(window.entities)
    busiest = max(window.library.episodes(),
                  key=lambda e: len(window.library.suggestions(e.id)))
    window.library_view.select(busiest.id)
    qtbot.waitUntil(lambda: window.entities.tree.topLevelItemCount() >= 3)
    qtbot.wait(50)  # the splitter lays out at the new size
    return busiest


def test_mentions_and_suggestions_share_the_room_under_the_tree(qtbot, window):
    panel = window.entities
    for width, height in ((1280, 720), (1920, 1080)):
        episode = _open_busiest(qtbot, window, width, height)
        n = len(window.library.suggestions(episode.id))
        assert n > 0
        # no entity chosen yet: the episode's suggestions, counted on their tab
        qtbot.waitUntil(lambda n=n: panel.lower.tabText(1) == f"Suggestions ({n})")
        assert panel.lower.currentWidget() is panel.suggestion_list
        assert panel.suggestion_list.count() == n
        # the tree keeps most of the panel
        assert panel.tree.height() > panel.lower.height() // 2
        assert panel.lower.tabText(0) == "Mentions"

    # a real selection and a real click on Everywhere: the mentions tab comes forward
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    assert panel.current
    qtbot.mouseClick(panel.everywhere_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.everywhere.count() > 0)
    qtbot.wait(50)
    assert panel.lower.currentWidget() is panel.mentions_box
    assert panel.everywhere.isVisible() and panel.everywhere_head.isVisible()
    assert panel.lower.height() >= sum(panel.split.sizes()) // 3 - 2
    # an episode's passages together, its title on the first of them only
    rows = [panel.everywhere.item(r) for r in range(panel.everywhere.count())]
    episodes = [row.data(Qt.ItemDataRole.UserRole).episode_id for row in rows]
    assert episodes == sorted(episodes, key=episodes.index)  # each episode's rows together
    titled = [panel.everywhere.itemWidget(row).text().startswith("<b>") for row in rows]
    assert titled == [i == 0 or episodes[i] != episodes[i - 1] for i in range(len(rows))]
    assert len(set(episodes)) < len(rows)  # some episode has several passages here
    # the suggestions tab a key away: Ctrl+Tab is the reader's; a click on the tab
    bar = panel.lower.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert panel.lower.currentWidget() is panel.suggestion_list
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    # Enter on a row still opens it
    panel.everywhere.setFocus()
    panel.everywhere.setCurrentRow(0)
    chosen = panel.everywhere.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(panel.everywhere, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.reader.episode is not None
                    and window.reader.episode.id == chosen.episode_id)

    # another episode: the mentions list empties; its suggestions come forward if any
    other = next(e for e in window.library.episodes()
                 if e.id != window.reader.episode.id and window.library.suggestions(e.id))
    window.library_view.select(other.id)
    qtbot.waitUntil(lambda: panel.everywhere.count() == 0)
    qtbot.waitUntil(lambda: panel.lower.currentWidget() is panel.suggestion_list)
    assert not panel.everywhere_head.isVisible()
    # and an episode without any: the mentions' tab, with its hint, not an empty list
    quiet = next(e for e in window.library.episodes()
                 if not window.library.suggestions(e.id))
    window.library_view.select(quiet.id)
    qtbot.waitUntil(lambda: panel.lower.currentWidget() is panel.mentions_box)
    assert panel.lower.tabText(1) == "Suggestions"
