"""The library list's titles: cut at a word boundary, the full title in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from aiviewer.ui.views.word_elide import ELLIPSIS, elide_words

TITLE = "Interconnects: The DeepSeek moment, reasoning models and the open-weight frontier"


def test_a_title_is_cut_after_a_whole_word(qapp):
    metrics = QFontMetrics(QApplication.font())
    words = set(TITLE.replace(",", "").split())
    for width in range(40, metrics.horizontalAdvance(TITLE), 7):
        cut = elide_words(TITLE, metrics, width)
        assert metrics.horizontalAdvance(cut) <= width
        if cut.endswith(ELLIPSIS) and " " in cut:
            last = cut[:-1].split()[-1].rstrip(",:")
            assert last in words, (width, cut)  # never half a word
    assert elide_words(TITLE, metrics, 10_000) == TITLE


def test_the_list_paints_word_cut_titles_and_tips_the_full_one(qtbot, window):
    view = window.library_view
    episode = max(window.library.episodes(), key=lambda e: len(e.title))
    view.select(episode.id, emit=False)
    index = view.list.currentIndex()
    view.list.setColumnWidth(0, 120)
    option = QStyleOptionViewItem()
    option.rect = view.list.visualRect(index)
    option.rect.setWidth(120)
    delegate = view.list.itemDelegateForColumn(0)
    delegate.initStyleOption(option, index)
    assert option.text.endswith(ELLIPSIS)
    shown = option.text[:-1].strip()
    assert episode.title.startswith(shown) and episode.title[len(shown)] in " ,:;"
    assert episode.title in view.model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_a_mostly_empty_date_column_gives_its_room_to_the_titles(qtbot, window):
    view = window.library_view
    episodes = window.library.episodes()
    assert sum(1 for e in episodes if e.date) * 2 < len(episodes)  # the sample library
    assert view.list.isColumnHidden(1)
    dated = [e for e in episodes if e.date]
    view.set_episodes(dated)
    assert not view.list.isColumnHidden(1)
    index = view.model.find(dated[0].id)
    assert dated[0].date in view.model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_the_browser_shows_a_note_as_words_not_markdown():
    from aiviewer.export.safe_markdown import to_text

    assert to_text("The **DeepSeek moment**: [cheap](https://x.y) `code`\n\n- a\n- b") == \
        "The DeepSeek moment: cheap code a b"
    assert to_text("<script>x</script> & more") == "<script>x</script> & more"


def test_the_kind_legend_wraps_instead_of_cutting_names(qtbot, window):
    panel = window.entities
    window.side.setCurrentWidget(panel)
    for size in ((800, 600), (1280, 720), (1920, 1080)):
        window.resize(*size)
        qtbot.wait(50)
        panel.legend.layout().activate()
        for box in panel.kind_boxes.values():
            assert box.width() >= box.sizeHint().width(), (size, box.text(), box.width())
            assert box.toolTip().startswith("Highlight ")


def test_the_status_line_counts_what_the_list_groups(qtbot, window):
    """The sample library lists three groups (two shows and the episodes with none):
    the status bar said "64 episodes · 2 shows" above them (screenshot review)."""
    view = window.library_view
    headings = [view.model.show_at(r) for r in range(view.model.rowCount())]
    headings = [h for h in headings if h is not None]
    assert headings[-1] == "Without a show" and "No show named" not in headings
    episodes = window.library.episodes()
    without = sum(1 for e in episodes if not e.show)
    assert window.status_label.text() == (
        f"{len(episodes)} episodes · {len(headings) - 1} shows · {without} without a show")
    # typing in the filter folds nothing away from the line: it counts the library
    qtbot.keyClicks(view.filter, "zzzz-no-such-episode")
    assert "without a show" in window.status_label.text()


def test_the_status_line_reads_naturally():
    from aiviewer.wording import library_line

    assert library_line(["A", "B", None, "A"]) == "4 episodes · 2 shows · 1 without a show"
    assert library_line(["A"]) == "1 episode · 1 show"
    assert library_line([None, ""]) == "2 episodes · 0 shows · 2 without a show"
    assert library_line([]) == "0 episodes · 0 shows"
