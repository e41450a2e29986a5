"""The annotation browser's tag pane is as wide as its tags need, within bounds."""

from __future__ import annotations

from PySide6.QtCore import Qt

from aiviewer.ui.views.annotation_browser import TAG_PANE


def _annotate(window, tags):
    lib = window.library
    ep = lib.episodes()[0]
    for n, tag in enumerate(tags):
        lib.annotate(ep.id, 10 * n, 10 * n + 8, tags=[tag])


def _browser(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    browser = window.annotating.browser
    assert browser is not None and browser.isVisible()
    browser.resize(1300, 560)
    qtbot.wait(50)
    return browser


def _names_fit(browser):
    tree = browser.tags
    return tree.header().sectionSize(0) >= tree.sizeHintForColumn(0)


def test_a_few_short_tags_make_a_narrow_pane(qtbot, window):
    _annotate(window, ["orgs/Meta", "models/open"])
    browser = _browser(qtbot, window)
    left = browser.split.sizes()[0]
    assert TAG_PANE[0] <= left <= 260, left  # one row of four buttons made it 350
    assert _names_fit(browser)
    # a wider window widens the table, not the tags
    browser.resize(1600, 560)
    qtbot.wait(50)
    assert abs(browser.split.sizes()[0] - left) <= 2


def test_a_long_nested_tag_widens_the_pane_up_to_its_maximum(qtbot, window):
    _annotate(window, ["method/RL/inference-time/test-time compute scaling"])
    browser = _browser(qtbot, window)
    left = browser.split.sizes()[0]
    assert left > 260 and left <= TAG_PANE[1], left
    assert _names_fit(browser)
    _annotate(window, ["a/b/c/d/e/an extremely long tag name that no pane should be as wide as"])
    browser.refresh()
    qtbot.wait(50)
    assert browser.split.sizes()[0] == TAG_PANE[1]



def test_buttons_are_enabled_only_while_they_can_act(qtbot, window):
    """With no row selected "Tag selected…", "Untag selected…" and "Delete selected"
    were enabled and did nothing; so were Rename…/Delete… with no tag chosen."""
    _annotate(window, ["orgs/Meta", "models/open"])
    lib = window.library
    ep = lib.episodes()[0]
    lib.annotate(ep.id, 100, 108, tags=[])  # an untagged annotation
    browser = _browser(qtbot, window)
    bulk = (browser.bulk_tag, browser.bulk_untag, browser.bulk_delete)
    tag_buttons = (browser.rename_button, browser.merge_button, browser.colour_button,
                   browser.delete_tag_button)
    # it opens on its first row, selected (the detail pane shows it): with none selected
    assert browser.proxy.rowCount() == 3 and len(browser.selected_annotations()) == 1
    browser.table.clearSelection()
    assert not browser.selected_annotations()
    assert not any(b.isEnabled() for b in bulk + tag_buttons)
    # and they look it: the theme gave disabled text the enabled colour
    from PySide6.QtGui import QPalette
    for theme in ("light", "dark"):
        window.apply_theme(theme)
        pal = browser.bulk_tag.palette()
        assert (pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
                != pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText))
        disabled = browser.bulk_tag.grab().toImage()
        browser.bulk_tag.setEnabled(True)
        enabled = browser.bulk_tag.grab().toImage()
        browser.bulk_tag.setEnabled(False)
        assert disabled != enabled
    qtbot.mouseClick(browser.bulk_delete, Qt.MouseButton.LeftButton)  # does nothing
    assert len(lib.annotations()) == 3
    # a click on a tagged row: all three act on it
    table = browser.table
    untagged = next(r for r in range(3) if not browser.model.annotations[
        browser.proxy.mapToSource(browser.proxy.index(r, 0)).row()].tags)
    tagged = (untagged + 1) % 3
    rect = table.visualRect(browser.proxy.index(tagged, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert all(b.isEnabled() for b in bulk)
    # the untagged row alone: nothing to untag
    rect = table.visualRect(browser.proxy.index(untagged, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert browser.bulk_tag.isEnabled() and browser.bulk_delete.isEnabled()
    assert not browser.bulk_untag.isEnabled()
    # Ctrl+A selects every row
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert all(b.isEnabled() for b in bulk)
    # the tags: "All annotations" is no tag; "models" (a parent only) has no colour
    tree = browser.tags
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Home)
    assert tree.currentItem().text(0) == "All annotations"
    assert not any(b.isEnabled() for b in tag_buttons)
    meta = tree.findItems("Meta", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 0)[0]
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(meta).center())
    assert all(b.isEnabled() for b in tag_buttons)
    models = tree.findItems("models", Qt.MatchFlag.MatchExactly, 0)[0]
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(models).center())
    assert browser.rename_button.isEnabled() and browser.delete_tag_button.isEnabled()
    assert not browser.colour_button.isEnabled()
    # the table follows the tag: its rows are new, the first chosen (the pane shows it)
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1)
    assert len(browser.selected_annotations()) == 1
    assert browser.detail.annotation == browser.selected_annotations()[0]
    browser.close()


def test_columns_fit_their_text_and_the_quote_and_note_take_the_rest(qtbot, window):
    """Blind review: Episode, Quote, Tags and Note were cut while "Modified" was wide;
    the status filter said "Any status" without saying what status."""
    from PySide6.QtWidgets import QHeaderView

    from aiviewer.ui.views.annotation_browser import NOTE, QUOTE, TAGS, TAGS_MOST

    lib = window.library
    ep = lib.episodes()[0]
    lib.annotate(ep.id, 0, 60, tags=["orgs/Papers with Code"], note_md="Origin story")
    lib.annotate(ep.id, 100, 120, tags=["method/RL/inference-time"])
    browser = _browser(qtbot, window)
    table, header = browser.table, browser.table.horizontalHeader()
    assert browser.proxy.rowCount() == 2
    for col in (1, 2, 6):  # Speaker, Time, Modified: as wide as their text, no wider
        need = max(table.sizeHintForColumn(col), header.sectionSizeHint(col))
        assert header.sectionSize(col) <= need + 2, (col, header.sectionSize(col), need)
    leaf = table.fontMetrics().horizontalAdvance("Papers with Code")
    assert leaf < header.sectionSize(TAGS) <= TAGS_MOST
    assert header.sectionResizeMode(QUOTE) == QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(QUOTE) > max(header.sectionSize(c) for c in range(7)
                                           if c != QUOTE)
    note = table.fontMetrics().horizontalAdvance("Origin story")
    assert header.sectionSize(NOTE) > note  # the short note whole
    # the columns fill the table: no empty band at the right
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert abs(used - table.viewport().width()) <= 2
    # the status filter names what it filters, and filters by it
    shown = [browser.status.itemText(i) for i in range(browser.status.count())]
    assert "Any status" not in shown and any("found nearby" in s for s in shown)
    assert "quote" in browser.status.toolTip().lower()
    browser.status.setFocus()
    qtbot.keyClick(browser.status, Qt.Key.Key_End)  # the orphans: none here
    assert browser.status.currentData() == "orphaned"
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 0)
    qtbot.keyClick(browser.status, Qt.Key.Key_Home)
    assert browser.status.currentData() is None
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 2)
    browser.close()


def test_the_detail_pane_shows_the_chosen_annotation_in_full(qtbot, window):
    """Blind review: the table cut quote and note to a line each, and nothing showed
    them whole.  The pane under the table does, for the row the keys choose."""
    lib = window.library
    ep = lib.episodes()[0]
    text = "".join(s.text + "\n\n" for s in lib.episode(ep.id).segments)
    long_note = "A **long** note — " + "the point goes on and on " * 20 + "[src](https://example.org)"
    lib.annotate(ep.id, 0, 120, note_md=long_note, tags=["method/RL"])
    lib.annotate(ep.id, 200, 240, tags=["orgs/Meta"])
    lib.set_tag_colour("method/RL", "#cc3311")
    browser = _browser(qtbot, window)
    detail = browser.detail
    # the table opens on its first row, selected, shown in the pane
    [first] = browser.selected_annotations()
    assert detail.annotation == first
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_Down)  # the second row
    chosen = browser.selected_annotations()
    assert chosen != [first]
    assert len(chosen) == 1 and detail.annotation == chosen[0]
    shown = detail.toPlainText()
    assert " ".join(chosen[0].exact.split()) in " ".join(shown.split())
    assert ep.title in shown and "Enter opens it in the reader" in shown
    if chosen[0].note_md:
        assert "the point goes on and on " * 3 in shown and "long" in shown
        assert "**" not in shown  # rendered, not the Markdown source
    else:
        assert "No note" in shown
    # the tags are chips in their own colours, as the annotations panel draws them
    from aiviewer.render import palette
    from aiviewer.ui.theme import current
    tagged = next(r for r in range(browser.proxy.rowCount()) if "method/RL" in
                  browser.model.annotations[browser.proxy.mapToSource(
                      browser.proxy.index(r, 0)).row()].tags)
    browser.table.selectRow(tagged)
    _fg, bg = palette.chip_colours("#cc3311", current())
    assert bg in detail.toHtml().lower()
    qtbot.keyClick(browser.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert "2 annotations selected" in detail.toPlainText()
    browser.text.setText("no annotation says this")  # nothing left to show
    qtbot.waitUntil(lambda: browser.model.rowCount() == 0)
    assert "No annotation matches these filters" in detail.toPlainText()
    assert text  # the episode had text to quote


def test_every_tag_row_counts_what_choosing_it_lists(qtbot, window):
    """A parent counts the annotations under it once each, "All annotations" counts
    them all, and a time the transcript lacks reads "—" (screenshot review)."""
    lib = window.library
    ep = next(e for e in lib.episodes() if not e.duration_ms)
    lib.annotate(ep.id, 0, 8, tags=["method/RL", "method/DPO"])  # one annotation, two tags
    lib.annotate(ep.id, 20, 28, tags=["method/RL/GRPO"])
    lib.annotate(ep.id, 40, 48, tags=["orgs/Meta"])
    browser = _browser(qtbot, window)
    tree = browser.tags
    counts = {}
    for item in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive):
        counts[item.data(0, Qt.ItemDataRole.UserRole)] = int(item.text(1))
    assert counts[None] == 3  # All annotations
    assert counts["method"] == 2 and counts["method/RL"] == 2 and counts["method/DPO"] == 1
    assert counts["method/RL/GRPO"] == 1 and counts["orgs"] == 1
    for path, n in counts.items():  # each count is what choosing the row lists
        browser.tags.setCurrentItem(next(i for i in tree.findItems(
            "", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
            if i.data(0, Qt.ItemDataRole.UserRole) == path))
        qtbot.waitUntil(lambda n=n: browser.model.rowCount() == n, timeout=2000)
    times = {browser.model.index(r, 2).data() for r in range(browser.model.rowCount())}
    assert times == {"—"}


def test_a_rows_tags_are_all_in_its_cell_and_whole_in_its_tooltip(qtbot, window):
    """A row with two tags showed the first path and cut the second at the edge
    (blind review): the cell lists each tag's last part, the tooltip the paths."""
    from aiviewer.ui.views.annotation_browser import TAGS

    lib = window.library
    ep = lib.episodes()[0]
    lib.annotate(ep.id, 0, 60, tags=["events/DeepSeek moment", "models/open-weight"])
    browser = _browser(qtbot, window)
    table = browser.table
    cell = browser.proxy.index(0, TAGS)
    assert cell.data() == "DeepSeek moment · open-weight"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "events/DeepSeek moment\nmodels/open-weight"
    shown = table.fontMetrics().horizontalAdvance(cell.data())
    assert shown < table.horizontalHeader().sectionSize(TAGS)  # whole, not elided
    assert "whole paths" in browser.model.headerData(TAGS, Qt.Orientation.Horizontal,
                                                     Qt.ItemDataRole.ToolTipRole)
    # why the tree's counts add up to more than the total: said on its header
    assert "counts under each" in browser.tags.headerItem().toolTip(1)
    browser.close()


def test_an_empty_browser_says_how_to_make_an_annotation_and_filters_say_so(qtbot, window):
    """With no annotations the detail said "Choose an annotation…" over an empty table
    (blind review): it now says how to make one, and a filter that hides every row says
    that instead."""
    browser = _browser(qtbot, window)
    assert browser.proxy.rowCount() == 0
    text = browser.detail.toPlainText()
    assert "No annotations yet" in text and "press T" in text and "Choose" not in text
    # said in the middle of the empty table too, where the eye is
    assert "No annotations yet" in browser.table._hint
    image = browser.table.viewport().grab().toImage()
    mid = image.height() // 2
    base = image.pixelColor(2, 2)
    assert any(image.pixelColor(x, y) != base for x in range(0, image.width(), 2)
               for y in range(mid - 12, mid + 12))  # the words, painted
    lib = window.library
    lib.annotate(lib.episodes()[0].id, 0, 40, tags=["orgs/Hugging Face"])
    window.annotating.open_browser()  # as Ctrl+Shift+B again: refreshed
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1)
    assert "No annotations yet" not in browser.detail.toPlainText()
    qtbot.keyClicks(browser.text, "zzzz no such words")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 0)
    qtbot.waitUntil(lambda: "matches these filters" in browser.detail.toPlainText())
    browser.close()
