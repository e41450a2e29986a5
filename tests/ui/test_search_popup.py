"""The search popup driven by keys and clicks: every result reachable page by page
or all at once from the list's last row, rows that say the show, date, speaker and
time the same way, facet chips that filter, entity hits heard otherwise among the first rows, two-phase
typing, and Esc that clears before it closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from aiviewer.model import SearchHit
from aiviewer.ui.views import rich_rows, search_footer
from aiviewer.ui.views.search_rows import hit_where
from tests.ui.conftest import focused, make_window


def _open(qtbot, window, text):
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.search
    assert popup.isVisible()
    qtbot.keyClicks(popup.edit, text)
    _ranked(qtbot, popup)
    return popup


def _ranked(qtbot, popup):
    qtbot.waitUntil(lambda: popup.ranked and not popup._timer.isActive()
                    and popup.last_results is not None
                    and popup.last_results.query == popup.edit.text().strip(), timeout=15000)


def _rows(popup):
    """The hits the list shows, in order (not its "Show all" row)."""
    items = [popup.results.item(i) for i in range(popup.results.count())]
    return [i.data(Qt.ItemDataRole.UserRole) for i in items if not search_footer.is_footer(i)]


def test_end_and_pgdn_at_the_bottom_page_through_every_result(qtbot, window):
    popup = _open(qtbot, window, "claude code")
    total = popup.last_results.total
    assert total > 2 * 30, "a query with more than two pages"
    assert len(_rows(popup)) == 30
    assert popup.status.text().startswith(f"showing 30 of {total} passages")
    popup.results.setFocus()
    keys = [Qt.Key.Key_End, Qt.Key.Key_PageDown]
    for turn in range(total // 30 + 3):
        if len(_rows(popup)) >= total:
            break
        before = len(_rows(popup))
        qtbot.keyClick(popup.results, Qt.Key.Key_End)  # to the last row ("Show all")
        assert len(_rows(popup)) == before, "reaching the last row fetches nothing"
        qtbot.keyClick(popup.results, keys[turn % 2])  # on it: the next page
        qtbot.waitUntil(lambda n=before: len(_rows(popup)) > n, timeout=15000)
    assert len(_rows(popup)) == total == popup.results.count()  # no "Show all" row left
    ids = [(h.field, h.segment_id, h.episode_id, h.annotation_id) for h in _rows(popup)]
    assert len(set(ids)) == total, "every result once"
    qtbot.waitUntil(lambda: "loading" not in popup.status.text(), timeout=5000)
    assert popup.status.text().startswith(f"{total} passages")
    # Enter on a row of a later page opens it
    qtbot.keyClick(popup.results, Qt.Key.Key_End)
    chosen = popup.results.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(popup.results, Qt.Key.Key_Return)
    assert window.current_episode == chosen.episode_id


def test_scrolling_to_the_end_loads_the_next_page(qtbot, window):
    popup = _open(qtbot, window, "claude code")
    bar = popup.results.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    view = popup.results.viewport()
    at = QPointF(view.width() / 2, view.height() / 2)
    for _ in range(200):  # the mouse wheel, a notch at a time, till the next page comes
        if len(_rows(popup)) > 30:
            break
        QApplication.sendEvent(view, QWheelEvent(
            at, QPointF(view.mapToGlobal(at.toPoint())), QPoint(0, 0), QPoint(0, -120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False))
        qtbot.wait(5)
    qtbot.waitUntil(lambda: len(_rows(popup)) == 60, timeout=15000)
    assert popup.status.text().startswith(f"showing 60 of {popup.last_results.total}")


def test_down_reaches_the_show_all_row_and_enter_shows_every_result(qtbot, window):
    """The count line said "showing 30 of N" with no way to see the rest on the
    screen (blind review): the last row says it, and the keys reach it without the
    next page coming first."""
    popup = _open(qtbot, window, "claude code")
    total = popup.last_results.total
    assert total > 2 * 30 and search_footer.ALL_AT_ONCE >= total
    last = popup.results.item(popup.results.count() - 1)
    assert search_footer.is_footer(last) and last.text() == f"Show all {total} passages…"
    assert last.data(Qt.ItemDataRole.UserRole) is None
    for _ in range(30):  # from the box, as a user goes down the list
        qtbot.keyClick(popup.edit, Qt.Key.Key_Down)
    assert popup.results.currentRow() == 30 and popup.results.currentItem() is last
    assert len(_rows(popup)) == 30, "moving to the last row fetched nothing"
    qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    assert popup.isVisible(), "Enter on the row loads, it opens nothing"
    qtbot.waitUntil(lambda: len(_rows(popup)) == total, timeout=15000)
    assert search_footer.footer(popup.results) is None
    assert popup.status.text().startswith(f"{total} passages")
    # the row that stood there is now the 31st result, and Enter opens it
    assert popup.results.currentRow() == 30
    chosen = popup.results.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    assert window.current_episode == chosen.episode_id


def test_a_click_on_the_show_all_row_shows_every_result(qtbot, window):
    popup = _open(qtbot, window, "claude code")
    total = popup.last_results.total
    last = search_footer.footer(popup.results)
    popup.results.scrollToItem(last)
    rect = popup.results.visualItemRect(last)
    qtbot.mouseClick(popup.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(_rows(popup)) == total, timeout=15000)
    assert search_footer.footer(popup.results) is None


def test_the_count_line_links_to_all_results(qtbot, window):
    """The list's last row is out of sight until scrolled to: the count line, where
    the eye is, says "show all" too, and a click on it loads the rest."""
    popup = _open(qtbot, window, "claude code")
    total = popup.last_results.total
    status = popup.status
    assert "show all</a>" in status.text()
    before = f"showing 30 of {total} passages — "
    assert status.text().startswith(before)
    metrics = status.fontMetrics()
    x = status.contentsRect().left() + metrics.horizontalAdvance(before + "show")
    y = status.contentsRect().top() + metrics.height() // 2
    qtbot.mouseClick(status, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.waitUntil(lambda: len(_rows(popup)) == total, timeout=15000)
    assert "show all" not in status.text()


def test_every_row_says_its_show_and_date_then_who_and_when(qtbot, window):
    """The grey text right of a title said a speaker and time on some rows, a bare
    name on one and nothing on most (blind review): every row now begins with the
    show (or "Without a show") and the date when known."""
    popup = _open(qtbot, window, "GRPO")
    for i, hit in enumerate(_rows(popup)):
        row = popup.results.item(i).data(rich_rows.ROW)
        where = row.where
        if hit.speaker:
            assert f"{hit.speaker} at " in where or f"said by {hit.speaker}" in where
        if row.continued:  # the episode's row above said its show and date
            assert popup.results.item(i).toolTip().endswith(where)
            continue
        assert where.startswith(f"{hit.show or 'Without a show'}"), where
        if hit.date:
            assert where.split(" · ")[1] == hit.date
        assert popup.results.item(i).toolTip() == where


def test_an_episodes_passages_are_listed_together_under_its_title(qtbot, window):
    """Blind review: one episode's passages were scattered down the list, its title
    repeated on each.  Grouped, in the order of each episode's best passage, and in
    the episode's own order within it; the rows after an episode's first say only who
    spoke when, indented under it."""
    popup = _open(qtbot, window, "GRPO")
    hits = _rows(popup)
    assert len({h.episode_id for h in hits}) < len(hits)  # some episode has several
    seen: list[str] = []
    for i, hit in enumerate(hits):
        row = popup.results.item(i).data(rich_rows.ROW)
        if seen and seen[-1] == hit.episode_id:
            assert row.continued and row.title == ""
            assert hit.show is None or hit.show not in row.where
        else:
            assert hit.episode_id not in seen, "an episode's passages in one run"
            assert not row.continued and row.title
            seen.append(hit.episode_id)
    # within an episode, the passages found by the words first, each kind in the order
    # they come in the episode
    for a, b in zip(hits, hits[1:]):
        if a.episode_id != b.episode_id:
            continue
        assert (a.matched == "meaning") <= (b.matched == "meaning")
        if (a.matched == "meaning") == (b.matched == "meaning") and a.char_start is not None \
                and b.char_start is not None:
            assert a.char_start <= b.char_start
    # the continued rows sit further in, and Enter still opens the chosen passage
    cont = next(i for i in range(len(hits))
                if popup.results.item(i).data(rich_rows.ROW).continued)
    popup.results.setCurrentRow(cont)
    qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_episode == hits[cont].episode_id)


def _hit(**kw) -> SearchHit:
    base = dict(episode_id="e", episode_title="T", show=None, date=None, segment_id=1,
                speaker=None, start_ms=None, score=1.0, snippet="s")
    return SearchHit(**{**base, **kw})


def test_the_where_never_shows_a_bare_name():
    assert hit_where(_hit()) == "Without a show"
    assert hit_where(_hit(show="Interconnects", date="2025-06-12")) == \
        "Interconnects · 2025-06-12"
    assert hit_where(_hit(show="Latent Space", speaker="Nathan Lambert")) == \
        "Latent Space · said by Nathan Lambert"
    assert hit_where(_hit(show="S", speaker="Lucas Atkins", start_ms=3_988_000)) == \
        "S · Lucas Atkins at 1:06:28"
    assert hit_where(_hit(start_ms=132_000, matched="meaning")) == \
        "Without a show · at 02:12 · by meaning"
    assert hit_where(_hit(field="notes", segment_id=None, show="S")) == "S · in the show notes"


def _chip_row(popup, text):
    return next(i for i in range(popup.chips.count()) if popup.chips.chip(i)[0] == text)


def test_facet_chips_filter_from_the_keyboard(qtbot, window):
    popup = _open(qtbot, window, "claude code")
    facets = popup.last_results.facets
    show = next(iter(facets["show"]))
    text = f'show:"{show}"' if " " in show else f"show:{show}"
    qtbot.keyClick(popup.edit, Qt.Key.Key_Tab)  # into the chip row
    assert popup.chips.hasFocus()
    row = _chip_row(popup, text)
    for _ in range(row):
        qtbot.keyClick(popup.chips, Qt.Key.Key_Right)
    assert popup.chips.currentRow() == row
    qtbot.keyClick(popup.chips, Qt.Key.Key_Space)
    assert popup.edit.text() == f"claude code {text}"
    _ranked(qtbot, popup)
    assert _rows(popup) and all(h.show == show for h in _rows(popup))
    assert popup.last_results.total <= sum(facets["show"].values()) + 10
    # the active chip comes first, marked, and Backspace removes it
    assert popup.chips.chip(0) == (text, True)
    assert popup.chips.item(0).text().startswith("✕")
    popup.chips.setFocus()
    popup.chips.setCurrentRow(0)
    qtbot.keyClick(popup.chips, Qt.Key.Key_Backspace)
    assert popup.edit.text() == "claude code"
    _ranked(qtbot, popup)
    assert not any(on for _, on in (popup.chips.chip(i) for i in range(popup.chips.count())))


def test_facet_chips_filter_by_click(qtbot, window):
    window.search.meaning.setChecked(False)  # words only: the counts are exact
    popup = _open(qtbot, window, "claude code")
    kind, count = next(iter(popup.last_results.facets["kind"].items()))
    row = _chip_row(popup, f"kind:{kind}")
    rect = popup.chips.visualItemRect(popup.chips.item(row))
    qtbot.mouseClick(popup.chips.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert popup.edit.text() == f"claude code kind:{kind}"
    _ranked(qtbot, popup)
    # as many passages as the chip said
    assert popup.last_results.total == count == popup.last_results.facets["kind"][kind]
    rect = popup.chips.visualItemRect(popup.chips.item(0))
    qtbot.mouseClick(popup.chips.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert popup.edit.text() == "claude code"


@pytest.fixture
def with_captions(qtbot, library_dir, shared_file):
    """The seeds plus the shared corpus's YouTube caption file."""
    from aiviewer.library import Library

    captions = shared_file("corpus/srt_lex333_karpathy_youtube-captions_excerpt.srt",
                           "a caption file of the shared corpus")
    with Library(library_dir) as lib:
        lib.import_paths([captions])
    window = make_window(qtbot, library_dir)
    yield window
    window.close()
    window.tasks.wait()
    window.library.close()


@pytest.mark.parametrize("query", ["Claude Code", '"Claude Code"'])
def test_claude_code_shows_the_captions_cloud_code_on_the_first_page(qtbot, with_captions,
                                                                     query):
    window = with_captions
    if not window.library.store.db.execute(
            "SELECT 1 FROM mentions WHERE surface = 'cloud code'").fetchone():
        pytest.skip("no 'cloud code' mention in the seeds")
    popup = _open(qtbot, window, query)
    rows = _rows(popup)
    heard = [i for i, h in enumerate(rows) if h.heard_as == "cloud code"]
    assert heard, "a caption heard as 'cloud code' among the first 30 rows"
    row = popup.results.item(heard[0]).data(rich_rows.ROW)
    assert "heard as ‘cloud code’" in row.where
    assert any(h.heard_as is None for h in rows[:heard[0]] + rows[heard[0] + 1:])


def test_first_hits_come_before_the_ranked_results(qtbot, window):
    phases = []
    window.search.shown.connect(lambda phase, generation: phases.append(phase))
    popup = _open(qtbot, window, "reinforcement")
    assert "first" in phases and phases[-1] == "ranked"
    assert popup.results.count() > 0


def test_the_ranked_search_follows_the_first_hits_paint_not_the_pause(qtbot, window):
    """With a pause timer that would never fire in the test, the ranked results
    still come: the first hits' paint starts the ranked search."""
    popup = _open(qtbot, window, "grp")
    phases = []
    popup.shown.connect(lambda phase, generation: phases.append(phase))
    popup._timer.setInterval(600_000)
    qtbot.keyClicks(popup.edit, "o")
    qtbot.waitUntil(lambda: popup.ranked, timeout=15000)
    assert popup._timer.isActive() is False
    assert phases == ["first", "ranked"]
    assert popup.last_results.query == "grpo"


def test_escape_clears_the_box_then_closes_it(qtbot, window):
    popup = _open(qtbot, window, "grpo")
    popup.results.setFocus()
    qtbot.keyClick(popup.results, Qt.Key.Key_Escape)
    assert popup.isVisible() and popup.edit.text() == "" and popup.results.count() == 0
    assert popup.edit.hasFocus()
    qtbot.keyClick(popup.edit, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_the_popup_stays_over_the_reader_and_off_the_side_panel_at_1280(qtbot, window):
    window.resize(1280, 720)
    window.split.setSizes([250, 730, 300])
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.search
    assert popup.isVisible()
    side = window.side.geometry()
    side.moveTopLeft(window.side.mapTo(window, window.side.rect().topLeft()))
    assert popup.geometry().right() < side.left(), (popup.geometry(), side)
    assert popup.width() >= 520


def test_typing_repaints_the_popup_alone_not_what_lies_under_it(qtbot, window):
    """The popup is opaque: a key, its first hits and its ranked results repaint
    the popup, never the reader, the library list or the side panel beneath it
    (they did, once per change in the popup, while it was see-through)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    popup = _open(qtbot, window, "gr")
    beneath = {"reader": window.reader.view.viewport(), "library": window.library_view,
               "side": window.side}
    painted = dict.fromkeys(beneath, 0)

    class Count(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                for name, widget in beneath.items():
                    if obj is widget or widget.isAncestorOf(obj):
                        painted[name] += 1
            return False
    count = Count()
    QApplication.instance().installEventFilter(count)
    try:
        for ch in "po":
            qtbot.keyClicks(popup.edit, ch)
            _ranked(qtbot, popup)
            qtbot.wait(50)  # its paints
        assert popup.results.count() > 0
    finally:
        QApplication.instance().removeEventFilter(count)
    assert painted == dict.fromkeys(beneath, 0), painted


def _cut_rows(popup):
    """Rows the list's viewport shows only in part."""
    view = popup.results
    port = view.viewport().rect()
    cut = []
    for i in range(view.count()):
        rect = view.visualItemRect(view.item(i))
        if rect.intersects(port) and not port.contains(rect):
            cut.append((i, rect, port))
    return cut


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_result_list_shows_whole_rows_only(qtbot, window, size, theme):
    """The popup's bottom edge cut the last visible row in half (screenshot review):
    the list is as tall as the whole rows that fit, from the first."""
    window.resize(*size)
    window.apply_theme(theme)
    popup = _open(qtbot, window, "grpo")
    qtbot.waitUntil(lambda: popup.results.verticalScrollBar().maximum() > 0)
    assert _cut_rows(popup) == []
    shown = [i for i in range(popup.results.count())
             if popup.results.visualItemRect(popup.results.item(i))
             .intersects(popup.results.viewport().rect())]
    assert len(shown) >= 3
    # what is left under the list is less than a row
    holder = popup.results.parentWidget()
    next_row = popup.results.visualItemRect(popup.results.item(shown[-1] + 1)).height()
    assert 0 <= holder.height() - popup.results.height() < next_row
    assert popup.geometry().bottom() < window.height()


def test_a_numbered_speaker_chip_says_it_is_per_episode(qtbot, window):
    """"Speaker 1" in one episode is not "Speaker 1" in the next: the chip says so
    (it still filters by the label, as the query does); named speakers are as they were."""
    from aiviewer.ui.views.facet_chips import FacetChips, per_episode

    assert per_episode("Speaker 1") and per_episode("SPEAKER_00") and per_episode("Speaker B")
    assert not per_episode("Nathan Lambert") and not per_episode("Speaker of the House")
    chips = FacetChips()
    qtbot.addWidget(chips)
    chips.show_facets({"speaker": {"Nathan Lambert": 12, "Speaker 1": 4, "SPEAKER_01": 2}}, [])
    labels = [chips.item(i).text() for i in range(chips.count())]
    assert labels == ["speaker: Nathan Lambert · 12", "speaker: Speaker 1 (per episode) · 4",
                      "speaker: SPEAKER_01 (per episode) · 2"]
    assert chips.chip(1)[0] == 'speaker:"Speaker 1"'
    assert "not one person" in chips.item(1).toolTip()
    popup = _open(qtbot, window, "grpo")
    shown = [popup.chips.item(i).text() for i in range(popup.chips.count())]
    assert not [s for s in shown if s.startswith("speaker: Speaker ")
                and "(per episode)" not in s], shown
