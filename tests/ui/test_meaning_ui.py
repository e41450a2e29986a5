"""Search by meaning in the window: the popup's hybrid toggle and More like this
from the reader (M), a search hit (Ctrl+M) and the annotation browser (M)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import focused
from tests.ui.test_annotating import _open_ross, _select

pytest.importorskip("wordllama")


def _hits(window):
    lst = window.search.results
    found = (lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lst.count()))
    return [h for h in found if h is not None]  # not the "Show all" row


def _search(qtbot, window, text):
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search.edit, text)
    qtbot.waitUntil(lambda: window.search.ranked and window.search.results.count() > 0,
                    timeout=10000)


def test_popup_toggle_switches_hybrid_off_and_on(qtbot, window):
    popup = window.search
    assert popup.meaning.isChecked()  # hybrid is the default (README: it ranked better)
    _search(qtbot, window, "reward hacking")
    qtbot.waitUntil(lambda: any(h.matched == "meaning" for h in _hits(window)), timeout=10000)
    row = next(i for i, h in enumerate(_hits(window)) if h.matched == "meaning")
    widget = popup.results.itemWidget(popup.results.item(row))
    shown = widget.text() if hasattr(widget, "text") else popup.results.item(row).text()
    assert "by meaning" in shown
    popup.meaning.setFocus()
    qtbot.keyClick(popup.meaning, Qt.Key.Key_Space)
    assert not popup.meaning.isChecked()
    qtbot.waitUntil(lambda: _hits(window) and all(h.matched == "words" for h in _hits(window)),
                    timeout=10000)
    qtbot.keyClick(popup.meaning, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: any(h.matched != "words" for h in _hits(window)), timeout=10000)


def test_meaning_only_query_in_the_popup(qtbot, window):
    _search(qtbot, window, '~~"reward hacking"')
    qtbot.waitUntil(lambda: _hits(window) and all(h.matched == "meaning"
                                                  for h in _hits(window)), timeout=10000)


def test_m_in_the_reader_finds_more_like_the_selection(qtbot, window):
    _open_ross(window)
    _select(window, qtbot, "leaderboards")
    qtbot.keyClick(window.reader.view, Qt.Key.Key_L)
    assert window.search.isVisible()
    qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=10000)
    assert all(h.matched == "meaning" for h in _hits(window))
    assert "like" in window.search.status.text()


def test_ctrl_m_on_a_hit_finds_more_like_it(qtbot, window):
    _search(qtbot, window, "KernelBench")
    first = _hits(window)[0]
    qtbot.keyClick(window.search.edit, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.search.results.count() > 0 and
                    all(h.matched == "meaning" for h in _hits(window)), timeout=10000)
    assert first.segment_id not in {h.segment_id for h in _hits(window)}


def test_m_in_the_annotation_browser_finds_more_like_the_annotation(qtbot, window):
    ep = _open_ross(window)
    lib = window.library
    text = lib.episode(ep.id).text
    at = text.index("Galactica")
    lib.annotate(ep.id, at, at + len("Galactica"), note_md="a science model pulled after a demo")
    window.annotating.open_browser()
    browser = window.annotating.browser
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1, timeout=3000)
    browser.table.setFocus()
    browser.table.selectRow(0)
    qtbot.keyClick(browser.table, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=10000)
    assert all(h.matched == "meaning" for h in _hits(window))
    browser.close()
