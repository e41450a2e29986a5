"""The sort arrow over a table's column points the way users read it — up while the
column is sorted smallest first, down while largest first — in every sortable table
of the app (blind review: the arrow read backwards, Fusion draws Qt's ascending order
as a downward arrow).  The arrow is found in the header's own pixels: what the header
draws with its indicator shown and not shown."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor


def arrow_points_up(header) -> bool:
    """Which way the header's drawn sort arrow points: a ▲ is wider at its bottom.
    The arrow is the rightmost run of columns that differ between the header drawn
    with its indicator and without (the label, which moves over, lies left of it)."""
    k = header.sortIndicatorSection()
    left = header.sectionViewportPosition(k)
    right = left + header.sectionSize(k)
    shown = header.grab().toImage()
    header.setSortIndicatorShown(False)
    hidden = header.grab().toImage()
    header.setSortIndicatorShown(True)

    def differs(x, y):
        return QColor(shown.pixel(x, y)) != QColor(hidden.pixel(x, y))
    columns = [x for x in range(left, right)
               if any(differs(x, y) for y in range(shown.height()))]
    assert columns, "no arrow drawn"
    arrow = [columns[-1]]
    for x in reversed(columns[:-1]):
        if x != arrow[-1] - 1:
            break
        arrow.append(x)
    rows = {}
    for y in range(shown.height()):
        n = sum(differs(x, y) for x in arrow)
        if n:
            rows[y] = n
    return rows[max(rows)] > rows[min(rows)]


def click_header(qtbot, header, k):
    x = header.sectionViewportPosition(k) + header.sectionSize(k) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def test_the_annotation_browser_arrow_says_which_way_its_rows_run(qtbot, window):
    lib = window.library
    ep = lib.episodes()[0]
    for n, tag in enumerate(["mango", "apple", "zebra"]):
        lib.annotate(ep.id, 10 * n, 10 * n + 8, tags=[tag])
    qtbot.keyClick(window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    browser = window.annotating.browser
    assert browser is not None and browser.isVisible()
    header = browser.table.horizontalHeader()

    def tags():
        return [browser.proxy.index(r, 4).data() for r in range(browser.proxy.rowCount())]
    try:
        click_header(qtbot, header, 4)  # Tags
        assert header.sortIndicatorSection() == 4
        first = tags()
        assert first in (["apple", "mango", "zebra"], ["zebra", "mango", "apple"])
        assert arrow_points_up(header) == (first[0] == "apple")  # ▲ A→Z, ▼ Z→A
        click_header(qtbot, header, 4)  # again: the other way, and the arrow with it
        assert tags() == first[::-1]
        assert arrow_points_up(header) == (tags()[0] == "apple")
    finally:
        browser.close()


def test_the_insights_table_starts_most_first_under_a_down_arrow(qtbot, window):
    import pytest
    pytest.importorskip("pyqtgraph")
    from tests.ui.test_insights import _column, _open

    view = _open(qtbot, window)
    header = view.table.horizontalHeader()
    mentions = [int(x) for x in _column(view, 2)]  # the chart's measure, as its bars
    assert mentions == sorted(mentions, reverse=True) and len(set(mentions)) > 1
    assert not arrow_points_up(header)  # most first: ▼
    click_header(qtbot, header, 2)
    assert [int(x) for x in _column(view, 2)] == sorted(mentions)
    assert arrow_points_up(header)  # fewest first: ▲
