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

