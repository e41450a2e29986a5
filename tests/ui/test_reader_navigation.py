"""Finding one's way in an episode: the minimap beside the scroll bar, the outline
tab, show notes with links and chapter times, Esc (the selection, then the find
bar), the reading column's measure from the View menu, and a reader that keeps a
readable width in a narrow window.  Real keys and clicks on the real window."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication

from aiviewer.render import palette
from aiviewer.render.transcript import seek_href
from tests.ui.conftest import focused


def _open(window, prefix: str):
    summary = next(e for e in window.library.episodes()
                   if e.id.startswith(prefix) or e.video_id == prefix)
    window.library_view.select(summary.id)
    return window.library.episode(summary.id)


def _in_view(window, position: int, band=(0.0, 1.0)) -> bool:
    c = QTextCursor(window.reader.view.document())
    c.setPosition(position)
    y = window.reader.view.cursorRect(c).center().y()
    h = window.reader.view.viewport().height()
    return band[0] * h - 2 <= y <= band[1] * h + 2


def _choose_first_entity(qtbot, window):
    tree = window.entities.tree
    frag = next(tree.topLevelItem(i).child(0) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).childCount())
    tree.setCurrentItem(frag)
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_N)


def test_minimap_shows_the_entity_and_a_click_goes_to_its_last_mention(qtbot, window):
    _open(window, "EV7WhVT270Q")
    window.reader.speaker_bar.close_button.click()  # the view's full height, as before it
    qtbot.wait(50)  # laid out again
    _choose_first_entity(qtbot, window)
    minimap = window.reader.minimap
    marks = minimap.marks("entity")
    assert len(marks) >= 3
    start = marks[-1][0]
    assert not _in_view(window, start)  # the last mention is far below
    top, _bottom, _colour = minimap.fractions("entity")[-1]
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton,
                     pos=QPoint(minimap.width() // 2, round(minimap.y_of(top))))
    assert _in_view(window, start, (0.25, 0.75))  # near the middle, not the edge


def test_minimap_places_marks_once_per_change_not_per_paint(qtbot, window):
    _open(window, "EV7WhVT270Q")
    _choose_first_entity(qtbot, window)
    minimap = window.reader.minimap
    minimap.fractions("entity")
    before = minimap.relayouts
    for _ in range(5):
        minimap.repaint()
        window.reader.view.verticalScrollBar().setValue(
            window.reader.view.verticalScrollBar().value() + 40)
        minimap.repaint()
    assert minimap.relayouts == before


def test_minimap_shows_find_hits_and_annotations_in_their_tag_colour(qtbot, window):
    from modal import when_modal

    _open(window, "t-9c24c2")
    doc = window.reader.view.document()
    found = doc.find("Papers with Code", window.reader.doc_position(0))
    window.reader.view.setTextCursor(found)
    window.reader.view.setFocus()

    def type_tag(dialog):
        qtbot.keyClicks(dialog.edit, "projects/PwC")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    when_modal(lambda: type_tag(QApplication.activeModalWidget()))
    qtbot.keyClick(window.reader.view, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: len(window.reader.minimap.marks("annotations")) == 1, timeout=5000)
    [(start, end, colour)] = window.reader.minimap.marks("annotations")
    assert (start, end) == (found.selectionStart(), found.selectionEnd())
    tag = next(t for t in window.library.tags() if t.name == "projects/PwC")
    if tag.colour:  # the margin bar's colour: the tag's, moved off any entity colour
        from aiviewer.render import palette
        bar = palette.annotation_bar(tag.colour, window.reader._mode())
        assert colour.name().lower() == bar.lower()
    window.reader.view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.reader.findbar.edit, "reasoning")
    assert len(window.reader.minimap.marks("hits")) == window.reader.match_count() > 1


def test_outline_enter_jumps_and_follows_the_scroll(qtbot, window):
    episode = _open(window, "EV7WhVT270Q")  # no chapters: a turn every few pages
    window.reader.view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    outline = window.reading.panel
    assert QApplication.focusWidget() is outline.list
    assert outline.list.count() > 10
    for _ in range(4):
        qtbot.keyClick(outline.list, Qt.Key.Key_Down)
    entry = outline.list.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(outline.list, Qt.Key.Key_Return)
    target = window.reader.segment_position(entry.segment_id)
    assert _in_view(window, target, (0.0, 0.2))  # the section starts at the top
    assert QApplication.focusWidget() is window.reader.view  # read on from there
    assert any(s.id == entry.segment_id for s in episode.segments)
    bar = window.reader.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: outline.list.currentRow() == outline.list.count() - 1,
                    timeout=3000)


def test_chapter_time_links_in_the_notes_jump_the_reader(qtbot, window):
    episode = _open(window, "t-9c24c2")  # an app page: notes and 13 timed chapters
    chapter = episode.chapters[5]
    doc = window.reader.view.document()
    found = doc.find("Chapters:")
    assert not found.isNull()
    link = next(c for c in _anchors(doc) if c[1] == seek_href(chapter.start_ms))
    _click_at(qtbot, window, link[0])
    seg = next(s for s in episode.segments if s.start_ms is not None
               and s.start_ms >= chapter.start_ms)
    assert _in_view(window, window.reader.segment_position(seg.id), (0.0, 0.2))
    qtbot.waitUntil(lambda: window.reading.panel.list.count() == len(episode.chapters),
                    timeout=3000)


def test_a_follow_asked_while_other_work_waits_for_the_paint_still_comes(qtbot, window):
    """CI once lost the outline: the follow timer fired while the suggestion list
    waited for the reader's paint, returned, and nothing asked for it again."""
    episode = _open(window, "t-9c24c2")
    reading = window.reading
    qtbot.waitUntil(lambda: reading.panel.list.count() == len(episode.chapters))
    qtbot.waitUntil(lambda: not window.reader.after_paint.waiting)
    reading.panel.set_entries([])
    reading._episode, reading._stale = None, True  # a render not yet in the outline
    window.reader.after_paint.then(lambda: None)  # other work waits for the paint
    reading.follow()
    qtbot.waitUntil(lambda: reading.panel.list.count() == len(episode.chapters))


def test_show_notes_are_markdown_and_a_link_opens_in_the_browser(qtbot, window, monkeypatch):
    from aiviewer.ui.views import reader as reader_module

    opened = []
    monkeypatch.setattr(reader_module.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toString()) or True))
    episode = window.library.episode(_open(window, "t-9c24c2").id)
    notes = ("We read *the paper* at [arXiv](https://arxiv.org/abs/2211.09085) "
             "<b>raw</b> [bad](javascript:alert(1))")
    window.reader.show_episode(dataclasses.replace(episode, description=notes), {})
    doc = window.reader.view.document()
    text = doc.toPlainText()
    assert "the paper" in text and "*the paper*" not in text  # emphasis, not stars
    assert "<b>raw</b>" in text  # raw HTML shown as text, never rendered
    hrefs = [h for _pos, h in _anchors(doc)]
    assert "https://arxiv.org/abs/2211.09085" in hrefs
    assert not any(h.startswith("javascript") for h in hrefs)
    pos = next(p for p, h in _anchors(doc) if h.startswith("https://arxiv"))
    _click_at(qtbot, window, pos)
    assert opened == ["https://arxiv.org/abs/2211.09085"]


def test_escape_clears_the_selection_then_closes_the_find_bar(qtbot, window):
    _open(window, "EV7WhVT270Q")
    view = window.reader.view
    view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.reader.findbar.edit, "model")
    view.setFocus()  # the found word is selected in the reader
    assert view.textCursor().hasSelection()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.textCursor().hasSelection()
    assert window.reader.findbar.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not window.reader.findbar.isVisible()
    assert QApplication.focusWidget() is view


def test_the_reading_column_is_adjustable_and_remembered(qtbot, window):
    window.resize(1600, 900)
    _open(window, "EV7WhVT270Q")
    before = window.reader.measure
    window.reader.view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.measure == before + 4
    assert int(window.settings.value("measure")) == before + 4
    assert abs(window.reader.line_length() - window.reader.measure) < 8
    qtbot.keyClick(focused(window), Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.measure == before


def test_a_narrow_window_keeps_a_readable_reader(qtbot, window):
    window.resize(800, 600)
    _open(window, "EV7WhVT270Q")
    qtbot.waitUntil(lambda: window.width() <= 820, timeout=3000)
    qtbot.waitUntil(lambda: window.reader.line_length() >= 40, timeout=3000)  # was ~10 (92 px)
    assert window.reader.width() >= window.split.sizes()[0]


# -- helpers ----------------------------------------------------------------------------

def _anchors(doc) -> list[tuple[int, str]]:
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().anchorHref():
                out.append((frag.position(), frag.charFormat().anchorHref()))
            it += 1
        block = block.next()
    return out


def _click_at(qtbot, window, position: int) -> None:
    view = window.reader.view
    c = QTextCursor(view.document())
    c.setPosition(position + 1)
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.cursorRect(c).top() - 40)
    rect = view.cursorRect(c)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_chapter_link_without_times_opens_the_video_there(qtbot, window, monkeypatch):
    from aiviewer.ui.views import reader as reader_module

    opened = []
    monkeypatch.setattr(reader_module.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toString()) or True))
    _open(window, "EV7WhVT270Q")  # captions without times, a YouTube id
    window.reader.seek(754_000)
    assert opened == ["https://www.youtube.com/watch?v=EV7WhVT270Q&t=754s"]


def test_minimap_shows_a_searchs_hits_in_the_whole_episode(qtbot, window):
    import re

    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search.edit, "GRPO")
    qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=10000)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    text = window.reader.episode.text
    said = len(re.findall("grpo", text, re.IGNORECASE))
    marks = window.reader.minimap.marks("hits")
    assert said > 1 and len(marks) == said  # every place, not only the passage opened
    assert len({round(f0, 3) for f0, _f1, _c in window.reader.minimap.fractions("hits")}) > 1


def test_the_minimap_explains_its_lanes_and_frames_the_visible_part(qtbot, window):
    _open(window, "t-9c24c2")
    minimap = window.reader.minimap
    tip = minimap.toolTip()
    for words in ("framed box", "search hits", "annotations", "entity's mentions"):
        assert words in tip
    image = minimap.grab().toImage()
    top = int(minimap.visible_box().top())
    row = [image.pixelColor(x, top) for x in range(2, minimap.width() - 2)]
    background = minimap.palette().alternateBase().color()
    assert any(abs(c.lightness() - background.lightness()) > 40 for c in row)  # the frame


def test_the_minimaps_box_stands_level_with_the_scroll_bars_handle(qtbot, window):
    """Over the strip's whole height the box sat 10-15 px above the handle beside it,
    which read as broken (review): the strip's track is the scroll bar's groove."""
    from PySide6.QtWidgets import QStyle, QStyleOptionSlider

    window.resize(1280, 720)
    _open(window, "t-9c24c2")
    qtbot.waitUntil(lambda: window.reader.episode is not None)
    minimap, bar = window.reader.minimap, window.reader.view.verticalScrollBar()
    for part in (0.25, 0.5, 0.8):
        bar.setValue(int(bar.maximum() * part))
        QApplication.processEvents()
        opt = QStyleOptionSlider()
        bar.initStyleOption(opt)
        handle = bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, opt,
                                            QStyle.SubControl.SC_ScrollBarSlider, bar)
        handle_top = bar.mapTo(window, handle.topLeft()).y() - minimap.mapTo(
            window, QPoint(0, 0)).y()
        # level, but for what the handle's least length moves it (a handle held longer
        # than the part in view runs that much less far); over the whole strip the box
        # had been 10-15 px above
        box = minimap.visible_box()
        slack = max(0.0, handle.height() - box.height()) * part
        assert abs(box.top() - handle_top) <= slack + 2, (part, handle_top, box, handle)
    # a click on the strip at a point brings that point of the episode to the middle
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton,
                     pos=QPoint(minimap.width() // 2, round(minimap.y_of(0.5))))
    box = minimap.visible_box()
    assert abs((box.top() + box.bottom()) / 2 - minimap.y_of(0.5)) <= 3


def test_a_wrapped_chapter_title_hangs_beside_its_time(qtbot):
    """The time is a column of its own: a title's second line starts under its first
    word, not under the time (it read as a row of its own)."""
    from aiviewer.render.outline import Entry
    from aiviewer.ui.views.outline_panel import OutlinePanel

    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.resize(240, 400)
    panel.show()
    qtbot.waitExposed(panel)
    long = "Evaluating the effectiveness of language models as judges for human preference data"
    panel.set_entries([Entry(title=long, start_ms=2_423_000, segment_id=1, chapter=True),
                       Entry(title="Papers", start_ms=132_000, segment_id=2, chapter=True)])
    rows = panel.rows
    assert rows.time_width == panel.list.fontMetrics().horizontalAdvance("40:23")
    one_line = panel.list.fontMetrics().height()
    tall = panel.list.visualItemRect(panel.list.item(0)).height()
    short = panel.list.visualItemRect(panel.list.item(1)).height()
    assert tall >= short + one_line  # wrapped, and measured so
    title = rows._title_rect(panel.list.visualItemRect(panel.list.item(0)))
    assert title.left() > rows.time_width  # the hanging indent
    assert panel.list.item(0).text().startswith("40:23")  # the plain text, for screen readers
    assert not panel.list.viewport().grab().isNull()


def _current_match_in_view(window) -> bool:
    """The current find match's rectangle lies inside the reader's viewport."""
    reader = window.reader
    cursor = reader._find_matches[reader._find_at]
    start = QTextCursor(cursor)
    start.setPosition(cursor.selectionStart())
    top = reader.view.cursorRect(start)
    bottom = reader.view.cursorRect(cursor)
    return reader.view.viewport().rect().contains(top.united(bottom))


def test_the_current_find_match_is_scrolled_into_view_after_enter_and_f3(qtbot, window):
    window.resize(1280, 720)
    summary = next(e for e in window.library.episodes()
                   if e.form == "apppage" and e.duration_ms)
    window.library_view.select(summary.id)
    qtbot.waitUntil(lambda: window.reader.episode is not None)
    view = window.reader.view
    view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.reader.findbar.edit, "RLHF")
    total = window.reader.match_count()
    assert total >= 5
    seen = set()
    for _ in range(total):
        qtbot.keyClick(window.reader.findbar.edit, Qt.Key.Key_Return)
        assert _current_match_in_view(window), window.reader.findbar.count.text()
        seen.add(view.verticalScrollBar().value())
    view.setFocus()
    for _ in range(3):
        qtbot.keyClick(focused(window), Qt.Key.Key_F3)
        assert _current_match_in_view(window), window.reader.findbar.count.text()
    assert len(seen) > 2  # the matches are spread over the episode: the view moved
    assert window.reader.findbar.count.text().endswith(f"of {total}")


def _find_in(qtbot, window, words: str):
    """The Ross Taylor interview open, Ctrl+F and `words` typed: the find bar's box."""
    _open(window, "t-9c24c2")
    qtbot.waitUntil(lambda: window.reader.episode is not None)
    window.reader.view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.reader.findbar.edit, words)
    return window.reader.findbar.edit


def test_the_minimap_marks_the_current_find_match_apart_from_the_hits(qtbot, window):
    """Among a find's ticks the current match has a pointer and a tick three times as
    tall, which follow Enter and go with the find bar."""
    edit = _find_in(qtbot, window, "reasoning")
    minimap = window.reader.minimap
    assert window.reader.match_count() > 3

    def current_is_placed_at_its_tick() -> float:
        match = window.reader.view.textCursor()
        starts = [a for a, _b, _c in minimap.marks("hits")]
        tick = minimap.fractions("hits")[starts.index(match.selectionStart())][0]
        at = minimap.current_fraction()
        assert at is not None and abs(at - tick) < 1e-6
        return at
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    first = current_is_placed_at_its_tick()
    for _ in range(2):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert current_is_placed_at_its_tick() > first  # it followed the steps down

    image = minimap.grab().toImage()
    text = minimap.palette().text().color()
    y = round(minimap.y_of(minimap.current_fraction())) + 1
    hit = QColor(palette.surfaces(window.reader._mode())["hit"])
    # a pointer in the text's colour at the left edge, a tall hit tick beside it
    assert abs(image.pixelColor(1, y).lightness() - text.lightness()) < 30
    for dy in (-2, 0, 2):  # three times a hit tick's 2 px
        seen = image.pixelColor(minimap.width() - 3, y + dy)
        assert abs(seen.red() - hit.red()) + abs(seen.green() - hit.green()) < 20

    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    qtbot.keyClick(focused(window), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.reader.findbar.isVisible())
    assert minimap.current_fraction() is None


def test_find_goes_on_from_where_the_reader_went(qtbot, window):
    """After the reader moved elsewhere (an annotation opened, a click), Enter in the find
    bar goes to the first match after the caret, Shift+Enter to the last before it — not
    to the match after one now out of sight."""
    edit = _find_in(qtbot, window, "model")
    total = window.reader.match_count()
    assert total > 8
    starts = [c.selectionStart() for c in window.reader._find_matches]
    view = window.reader.view

    def caret_at(position: int) -> None:  # as a click there, or an annotation opened
        c = QTextCursor(view.document())
        c.setPosition(position)
        view.setTextCursor(c)
    caret_at(starts[6] + 1)  # inside the seventh match, past its start
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.reader.view.textCursor().selectionStart() == starts[7]
    assert window.reader.findbar.count.text() == f"8 of {total}"
    caret_at(starts[3] + 1)
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.view.textCursor().selectionStart() == starts[2]
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # not moved since: simply the next one
    assert window.reader.view.textCursor().selectionStart() == starts[3]
