"""The Insights window, driven as a user would: a key or the palette opens it, a
click on a bar or a matrix cell lists its passages, Enter opens one in the reader."""

from __future__ import annotations

import pytest
from modal import when_modal
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused

pytest.importorskip("pyqtgraph")


def _wait_chart(qtbot, view, insight: str):
    qtbot.waitUntil(lambda: view.chart_data is not None and view.chart_data.insight == insight
                    and view.notes.text() != "Counting…", timeout=20000)
    return view.chart_data


def _open(qtbot, window):
    qtbot.keyClick(focused(window), Qt.Key.Key_I,
                  Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window.insight_control.view
    assert view is not None and view.isVisible()
    _wait_chart(qtbot, view, "entities")
    return view


def _click(qtbot, view, cell):
    point = view.plot.point_of(cell).toPoint()
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_ctrl_i_then_a_bar_click_lists_its_passages_and_enter_reads_one(qtbot, window):
    view = _open(qtbot, window)
    qtbot.keyClicks(view.kind, "model")  # the kind picker, by keyboard
    chart = _wait_chart(qtbot, view, "entities")
    assert chart.params["kind"] == "model"
    for name in ("DeepSeek", "Qwen", "Kimi"):
        assert name in chart.rows[:10]
    # DeepSeek's row counts the lab's models: the axis and the table say so
    ticks = [t for _, t in view.plot.getAxis("left")._tickLevels[0]]
    assert "DeepSeek models" in ticks and "DeepSeek" not in ticks
    names = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert "DeepSeek models" in names and "DeepSeek" not in names
    kimi = chart.cell("Kimi", "model")
    _click(qtbot, view, kimi)
    assert view.cell is kimi
    assert view.plot._marked is not None and view.plot._marked_cell is kimi  # outlined
    listed = [view.passages.item(i).data(Qt.ItemDataRole.UserRole)
              for i in range(view.passages.count())]
    assert [p.segment_id for p in listed] == sorted(kimi.passages, key=lambda s: [
        p.segment_id for p in listed].index(s))
    assert {p.segment_id for p in listed} == set(kimi.passages)
    assert view.passages.hasFocus()
    # rows as the search popup's: title, a where column, the text wrapped, no sideways
    # scrolling; numbers right-aligned in a table whose names take its width
    from aiviewer.ui.views.rich_rows import ROW
    row = view.passages.item(0).data(ROW)
    assert row.title == listed[0].episode_title and row.body
    # each passage shows why it is listed: the Kimi mentions it holds, marked, in view
    rows = [view.passages.item(i).data(ROW) for i in range(view.passages.count())]
    assert all(r.marks for r in rows)
    # each episode's passages together, its title once: the rest indented under it
    episodes = [p.episode_id for p in listed]
    assert episodes == sorted(episodes, key=episodes.index)  # grouped
    for i, (p, r) in enumerate(zip(listed, rows)):
        again = i > 0 and listed[i - 1].episode_id == p.episode_id
        assert r.continued == again and (r.title == "") == again
    assert any(r.continued for r in rows)  # Kimi's passages share episodes
    surfaces = {r.body[a:b].lower() for r in rows for a, b in r.marks}
    assert any("kimi" in x for x in surfaces), surfaces
    assert view.passages.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    from aiviewer.ui.views.rich_list import SELECTION_STYLE
    assert view.passages.styleSheet() == SELECTION_STYLE  # a tint: black text stays legible
    assert view.table.item(0, 2).textAlignment() & Qt.AlignmentFlag.AlignRight
    qtbot.keyClick(view.passages, Qt.Key.Key_Return)
    assert window.current_episode == listed[0].episode_id


def test_a_cooccurrence_cell_leads_to_the_passages_with_both(qtbot, window):
    view = _open(qtbot, window)
    view.choose("Said together (PMI)")
    qtbot.keyClicks(view.entity, "GRPO")
    qtbot.keyClick(view.entity, Qt.Key.Key_Return)
    chart = _wait_chart(qtbot, view, "cooccur")
    assert chart.params["focus"] == "GRPO"
    cell = chart.cell("GRPO", "DeepSeek")
    assert cell is not None
    _click(qtbot, view, cell)
    assert view.cell is cell and view.passages.count() == cell.count
    for i in range(view.passages.count()):
        p = view.passages.item(i).data(Qt.ItemDataRole.UserRole)
        text = next(s.text for s in window.library.episode(p.episode_id).segments
                    if s.id == p.segment_id)
        assert "GRPO" in text and "DeepSeek" in text
    qtbot.keyClick(view.passages, Qt.Key.Key_Return)
    assert window.current_episode == view.passages.item(0).data(Qt.ItemDataRole.UserRole
                                                                ).episode_id


def test_the_speaker_matrix_by_keyboard_and_exports(qtbot, window, tmp_path):
    view = _open(qtbot, window)
    view.scope.setEditText("episode:t-337583a487")  # the Ross Taylor interview
    view.choose("Speakers × entities")
    chart = _wait_chart(qtbot, view, "speakers")
    assert {"Ross Taylor", "Nathan Lambert"} <= set(chart.rows)
    # hatched cells have a key under the colour scale, and Ross Taylor's own name (left
    # out of his row) says so in its cell instead of looking like one he never said
    plot = view.plot
    assert plot.hatched is not None and plot.empty_key is not None
    assert plot.empty_key.text == "none" and plot.empty_key.parentItem() is plot.legend
    assert plot.empty_key.isVisible()
    # inside the plot: beside the square, the word ran past its right edge ("too fev")
    key = plot.mapFromScene(plot.empty_key.sceneBoundingRect()).boundingRect()
    assert plot.viewport().rect().contains(key), (key, plot.viewport().rect())
    assert ["own\nname"] == [t.textItem.toPlainText() for t in plot._own_names]
    assert chart.cell("Ross Taylor", "Ross Taylor") is None
    own = plot._own_names[0].pos()  # a plain cell: the key's "none" would be untrue
    assert not plot.hatched.path().contains(own)
    # the caption counts the cells the grid has, and says what the others are
    n, grid = len(chart.cells), len(chart.rows) * len(chart.cols)
    assert f"{n} of {grid} cells have mentions" in view.notes.text()
    assert "hatched: none" in view.notes.text()
    view.table.setFocus()
    view.table.setCurrentCell(0, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # a row of the table, as a mark
    first = view.table.item(0, 0).data(Qt.ItemDataRole.UserRole)  # the most mentions
    assert first.value == max(c.value for c in chart.cells)
    assert view.cell is first and view.passages.count() == len(first.passages)
    for fmt in ("png", "svg", "csv"):
        assert view.export(fmt, str(tmp_path / f"speakers.{fmt}"))
    assert (tmp_path / "speakers.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "speakers.svg").read_text(encoding="utf-8")
    assert (tmp_path / "speakers.csv").read_text(encoding="utf-8").startswith("row,column")


def test_the_palette_opens_insights(qtbot, window):
    def type_in_palette():
        palette = QApplication.activeModalWidget()
        qtbot.keyClicks(palette.edit, "insights")
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    when_modal(type_in_palette)
    qtbot.keyClick(focused(window), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert window.insight_control.view is not None and window.insight_control.view.isVisible()


def test_a_pair_never_said_together_is_a_transparent_cell_not_a_black_one():
    """The matrix is drawn as RGBA: NaN (no passage has both) went through the lookup
    table as black, a grid of holes on the dark theme."""
    import numpy as np
    import pyqtgraph as pg

    from aiviewer.ui.views.insight_chart import _rgba

    data = np.array([[np.nan, 1.0], [-1.0, 0.0]])
    rgba = _rgba(pg.colormap.get("CET-D1"), (-1.0, 1.0), data, (43, 45, 49, 255))
    assert rgba.shape == (2, 2, 4) and rgba.dtype == np.uint8
    assert tuple(rgba[0, 0]) == (43, 45, 49, 255) and (rgba[0, 1, 3], rgba[1, 0, 3], rgba[1, 1, 3]) == (255,) * 3
    assert tuple(rgba[0, 1, :3]) != tuple(rgba[1, 0, :3])  # red and blue ends differ


def test_the_caption_says_what_the_marks_of_this_chart_are():
    from aiviewer.insights import Chart
    from aiviewer.ui.views.insights_window import chart_caption

    bars = Chart("entities", "Top", None, "bars", "mentions", (), (), ())
    assert chart_caption(bars).startswith("0 bars; each is an entity's mentions")
    matrix = Chart("speakers", "Who", None, "matrix", "mentions", (), (), ())
    assert "cells or points" not in chart_caption(matrix)
    assert chart_caption(matrix).startswith("0 cells")


def test_one_entitys_partners_drawn_as_bars_are_not_captioned_as_a_red_blue_matrix(
        qtbot, window):
    view = _open(qtbot, window)
    view.choose("Said together (PMI)")
    qtbot.keyClicks(view.entity, "GRPO")
    qtbot.keyClick(view.entity, Qt.Key.Key_Return)
    _wait_chart(qtbot, view, "cooccur")
    assert "red more often" not in view.notes.text()
    assert "Each bar is the PMI of a pair" in view.notes.text()


def test_matrix_numbers_take_the_text_colour_that_reads_on_their_cell():
    """Black or white by WCAG contrast with the cell, at every level of both colour
    maps: each number keeps at least 4.5:1 against its cell (HSL lightness put black
    on the darkest reds)."""
    import pyqtgraph as pg

    from aiviewer.render.palette import contrast
    from aiviewer.ui.views.insight_chart import _light_cell

    for name, levels in (("CET-D1", (-1.0, 1.0)), ("viridis", (0.0, 1.0))):
        cmap = pg.colormap.get(name)
        for i in range(21):
            value = levels[0] + (levels[1] - levels[0]) * i / 20
            t = (value - levels[0]) / (levels[1] - levels[0])
            cell = cmap.map(t, mode="qcolor").name()
            text = "#000000" if _light_cell(cmap, levels, value) else "#ffffff"
            assert contrast(text, cell) >= 4.5, (name, value, cell, text)


def _row_image(view, rect):
    return view.viewport().grab(rect).toImage()


def test_the_pair_table_says_the_passages_once_and_draws_no_focus_box(qtbot, window):
    """The co-occurrence table showed the passages with both twice ("count" and
    "passages"); a focused list or table drew a focus frame inside its selected row,
    which read as a stray box: the selection alone says where the keys are."""
    view = _open(qtbot, window)
    view.choose("Said together (PMI)")
    chart = _wait_chart(qtbot, view, "cooccur")
    heads = [view.table.horizontalHeaderItem(k).text() for k in range(5)
             if not view.table.isColumnHidden(k)]
    assert heads == ["Entity", "With", "PMI", "Passages"]
    view.show_cell(chart.cells[0])
    view.activateWindow()
    qtbot.waitUntil(lambda: view.passages.hasFocus())
    rect = view.passages.visualItemRect(view.passages.item(0))
    focused_row = _row_image(view.passages, rect)
    view.table.setFocus()
    view.table.setCurrentCell(0, 1)
    qtbot.waitUntil(lambda: view.table.hasFocus())
    assert _row_image(view.passages, rect) == focused_row
    cell = view.table.visualItemRect(view.table.item(0, 1))
    focused_cell = _row_image(view.table, cell)
    view.passages.setFocus()
    qtbot.waitUntil(lambda: view.passages.hasFocus())
    assert _row_image(view.table, cell) == focused_cell


def test_a_matrix_has_a_colour_key_and_hatched_empty_cells(qtbot, window):
    """The colour scale had no key, and on the dark theme a pair never said together
    (grey) looked like a low value: a legend gives the scale's two ends, and empty
    cells are the page's colour, hatched and outlined."""
    from aiviewer.ui.views.insight_chart import _legend_number

    view = _open(qtbot, window)
    assert view.plot.legend is None  # bars need no colour key
    for theme in ("light", "dark"):
        window.apply_theme(theme)
        view.choose("Said together (PMI)")
        chart = _wait_chart(qtbot, view, "cooccur")
        top = max(1.0, max(abs(c.value) for c in chart.cells))
        assert view.plot.legend_ends() == (_legend_number(-top), _legend_number(top))
        assert view.plot.legend.isVisible()
        hatched = view.plot.hatched
        assert hatched is not None and not hatched.path().isEmpty()
        assert hatched.brush().style() == Qt.BrushStyle.BDiagPattern
        # the diagonal (an entity with itself) is no pair: a plain cell with a dash,
        # not the hatching of pairs too rare to show (a review read it so)
        from PySide6.QtCore import QPointF
        n = len(chart.rows)
        assert not hatched.path().contains(QPointF(0, n - 1))  # the first row's own cell
        dashes = {(round(t.pos().x()), round(t.pos().y())) for t in view.plot._own_names
                  if t.toPlainText() == "—"}
        assert (0, n - 1) in dashes and len(dashes) == n
        assert any(hatched.path().contains(QPointF(x + 0.25, y)) for x in range(n)
                   for y in range(n) if x != n - 1 - y)  # pairs never said together
    view.choose("Top entities")
    _wait_chart(qtbot, view, "entities")
    assert view.plot.legend is None and view.plot.hatched is None


def test_a_matrix_draws_no_axis_frame_and_sizes_its_numbers_to_its_cells(qtbot, window):
    """The left and bottom axis lines framed the rotated column names too, the bottom
    one far below the grid; the speakers chart's big cells held the PMI chart's tiny
    digits; an empty cell's faint hatching looked like the darkest colour in dark."""
    view = _open(qtbot, window)
    view.resize(1300, 880)
    assert view.plot.axis_lines_drawn()  # bars keep their value axis
    window.apply_theme("dark")
    view.choose("Said together (PMI)")
    _wait_chart(qtbot, view, "cooccur")
    assert not view.plot.axis_lines_drawn()
    pmi_px = view.plot.number_pixel_size()
    view.scope.setEditText("episode:t-337583a487")
    view.choose("Speakers × entities")
    _wait_chart(qtbot, view, "speakers")
    assert not view.plot.axis_lines_drawn()
    speakers_px = view.plot.number_pixel_size()
    w, h = view.plot.cell_pixels()
    assert pmi_px >= 9 and speakers_px > pmi_px and speakers_px < min(w, h)
    assert all(t.textItem.font().pixelSize() == speakers_px for t in view.plot._numbers)
    hatch = view.plot.hatched.brush().color()
    assert hatch.alphaF() >= 0.35  # lighter than the lowest viridis colour on the page
    view.choose("Top entities")
    _wait_chart(qtbot, view, "entities")
    assert view.plot.axis_lines_drawn()


def test_the_scope_is_elided_with_an_ellipsis_and_the_entity_field_keeps_its_room(
        qtbot, window):
    window.resize(1280, 720)
    summary = next(e for e in window.library.episodes() if e.id == "t-337583a487")
    window.library_view.select(summary.id)
    qtbot.waitUntil(lambda: window.reader.episode is not None)
    view = _open(qtbot, window)
    view.resize(1300, 880)
    qtbot.waitUntil(lambda: view.scope.currentText().endswith("…"))
    shown = view.scope.currentText()
    edit = view.scope.lineEdit()
    assert edit.fontMetrics().horizontalAdvance(shown) <= edit.width()
    full = view.scope.currentData(Qt.ItemDataRole.ToolTipRole)
    assert full.startswith(shown[:-1]) and len(full) > len(shown)
    assert full in view.scope.toolTip()
    from aiviewer.insights import Scope
    assert view.current_scope() == Scope.parse("episode:t-337583a487")
    placeholder = view.entity.fontMetrics().horizontalAdvance(view.entity.placeholderText())
    assert view.entity.width() >= placeholder
    # a scope typed by hand is not replaced when the field is laid out again
    view.scope.setEditText("library")
    view.resize(1250, 880)
    qtbot.wait(50)
    assert view.scope.currentText() == "library"


def _column(view, k):
    return [view.table.item(r, k).text() for r in range(view.table.rowCount())]


def test_the_table_sorts_by_a_clicked_header_and_follows_the_chart(qtbot, window):
    """The tables' headers were lower case and did not sort (screenshot review): they
    read as the app's other tables, start with the chart's measure, largest first, sort by a
    clicked header (numbers as numbers), and a mark clicked in the chart selects its
    row wherever the sort put it."""
    view = _open(qtbot, window)
    view.scope.setEditText("episode:t-337583a487")  # the Ross Taylor interview
    view.choose("Speakers × entities")
    chart = _wait_chart(qtbot, view, "speakers")
    heads = [view.table.horizontalHeaderItem(k).text() for k in range(5)
             if not view.table.isColumnHidden(k)]
    assert heads == ["Speaker", "Entity", "Mentions", "Passages"]
    # Ross Taylor naming himself is left out, and the line above the chart says so
    assert chart.cell("Ross Taylor", "Ross Taylor") is None
    assert "cells have" in view.notes.text() and "own name" in view.notes.text()
    first = [int(x) for x in _column(view, 2)]  # mentions, the matrix's colour
    assert first == sorted(first, reverse=True) and len(set(first)) > 2
    header = view.table.horizontalHeader()

    def click_header(k):
        x = header.sectionViewportPosition(k) + header.sectionSize(k) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(x, header.height() // 2))

    click_header(2)  # Mentions
    mentions = [int(x) for x in _column(view, 2)]
    order = header.sortIndicatorOrder()
    assert header.sortIndicatorSection() == 2
    assert mentions == sorted(mentions, reverse=order == Qt.SortOrder.DescendingOrder)
    assert max(mentions) >= 10 > min(mentions)  # "9" < "10" as numbers, not as text
    click_header(2)  # again: the other way
    assert [int(x) for x in _column(view, 2)] == sorted(
        mentions, reverse=order != Qt.SortOrder.DescendingOrder)
    click_header(1)  # names, ignoring case
    names = _column(view, 1)
    assert [n.lower() for n in names] in (sorted(n.lower() for n in names),
                                          sorted((n.lower() for n in names), reverse=True))

    # the chart's mark ↔ the table's row, whatever the sort
    cell = max(chart.cells, key=lambda c: (c.row != chart.cells[0].row, c.count))
    _click(qtbot, view, cell)
    assert view.cell is cell
    row = view.table.currentRow()
    assert view.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == cell
    view.table.setFocus()
    other = (row + 1) % view.table.rowCount()
    view.table.setCurrentCell(other, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.cell == view.table.item(other, 0).data(Qt.ItemDataRole.UserRole)
    assert view.plot._marked_cell == view.cell


def test_table_numbers_are_whole_counts_and_two_decimal_pmi():
    from aiviewer.ui.views.insights_window import _number

    assert _number(1234.0) == "1234"  # `.3g` wrote 1.23e+03
    assert _number(24) == "24"
    assert [_number(x) for x in (1.1, 1.85, -0.544, 3.5)] == ["1.10", "1.85", "-0.54", "3.50"]


def test_the_table_lists_the_bars_in_the_charts_order_from_the_top(qtbot, window):
    """Blind review: the chart was ordered by mentions and the table by passages, so an
    entity was 6th in one and 9th in the other; row numbers read as ranks; a one-kind
    chart's table said "model" on every row; and the table opened scrolled down."""
    view = _open(qtbot, window)
    all_kinds = view.chart_data
    assert not view.table.isColumnHidden(1)  # several kinds: the column tells them apart
    assert len({c.col for c in all_kinds.cells}) > 1
    view.table.scrollToBottom()
    qtbot.keyClicks(view.kind, "model")
    chart = _wait_chart(qtbot, view, "entities")
    assert chart.params["kind"] == "model"
    assert _column(view, 0) == [chart.name(r) for r in chart.rows]  # the bars, top to bottom
    mentions = [int(x) for x in _column(view, 2)]
    assert mentions == sorted(mentions, reverse=True)
    assert view.table.horizontalHeaderItem(2).text() == "Mentions"
    # the bars' "· 44 ep" has its column too
    assert view.table.horizontalHeaderItem(5).text() == "Episodes"
    assert not view.table.isColumnHidden(5)
    assert [int(x) for x in _column(view, 5)] == [
        chart.cell(r, "model").episodes for r in chart.rows]
    assert view.table.horizontalHeader().sortIndicatorSection() == 2
    assert not view.table.verticalHeader().isVisible()
    assert view.table.isColumnHidden(1)  # "Kind": model on every row
    assert view.table.verticalScrollBar().value() == 0
    assert view.table.rowAt(0) == 0
    # the chart ↔ table link holds: a bar's row is selected, a row lists its passages
    cell = chart.cell(chart.rows[5], "model")
    _click(qtbot, view, cell)
    assert view.table.currentRow() == 5
    assert view.table.rowAt(0) == 0  # the first row still in view
    view.table.setFocus()
    view.table.setCurrentCell(2, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.cell == chart.cell(chart.rows[2], "model")
    assert view.plot._marked_cell == view.cell
