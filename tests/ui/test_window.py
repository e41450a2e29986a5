"""The main window driven as a user would: keys, not slot calls."""

from __future__ import annotations

from modal import when_modal
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused, make_window


def _reader_text(window) -> str:
    return window.reader.view.toPlainText()


def test_first_start_imports_the_seeds_in_the_background(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path / "empty")
    assert window.library.is_empty()
    window.start_import([], seeds=True)
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.importing is None and not window.library.is_empty(),
                    timeout=60000)
    assert window.library.counts()["episodes"] == 64
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() >= 2, timeout=5000)
    # the newest episode opens once the final list is shown
    qtbot.waitUntil(lambda: window.reader.episode is not None, timeout=10000)
    window.tasks.wait()
    window.library.close()


def test_ctrl_k_grpo_down_enter_opens_a_passage(qtbot, window):
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.isVisible()
    qtbot.keyClicks(window.search.edit, "GRPO")
    # the ranked results (they replace the keystroke's first hits)
    qtbot.waitUntil(lambda: window.search.ranked and window.search.results.count() > 0,
                    timeout=10000)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Down)
    chosen = window.search.results.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    assert not window.search.isVisible()
    assert window.current_episode == chosen.episode_id
    sels = window.reader.view.extraSelections()
    assert sels, "the hits are marked"
    cursor = sels[0].cursor
    assert cursor.selectedText().lower() == "grpo"
    assert QApplication.focusWidget() is window.reader.view


def test_escape_clears_then_closes_search_and_up_recalls_recent(qtbot, window):
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search.edit, "reasoning")
    qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=10000)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    window.search.edit.clear()
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Up)
    assert window.search.edit.text() == "reasoning"
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Escape)  # the first Esc clears the box
    assert window.search.isVisible() and window.search.edit.text() == ""
    assert window.search.results.count() == 0
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Escape)  # the second closes it
    assert not window.search.isVisible()


def test_ctrl_f_finds_and_counts(qtbot, window):
    lex = next(e for e in window.library.episodes() if e.video_id == "EV7WhVT270Q")
    window.library_view.select(lex.id)
    assert window.current_episode == lex.id
    window.reader.view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.findbar.isVisible()
    qtbot.keyClicks(window.reader.findbar.edit, "Nathan")
    expected = _reader_text(window).lower().count("nathan")
    assert expected > 5
    assert window.reader.match_count() == expected
    assert window.reader.findbar.count.text() == f"1 of {expected}" or \
        window.reader.findbar.count.text().endswith(f"of {expected}")
    first = window.reader.view.textCursor().selectionStart()
    qtbot.keyClick(window.reader.findbar.edit, Qt.Key.Key_Return)
    assert window.reader.view.textCursor().selectionStart() != first
    qtbot.keyClick(window.reader.findbar.edit, Qt.Key.Key_Escape)
    assert not window.reader.findbar.isVisible()


def _first_entity_anchor(window):
    doc = window.reader.view.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().anchorHref().startswith("entity:"):
                return frag
            it += 1
        block = block.next()
    return None


def test_entities_are_highlighted_hovered_and_clicked(qtbot, window):
    from PySide6.QtGui import QTextCursor

    lex = next(e for e in window.library.episodes() if e.video_id == "EV7WhVT270Q")
    window.library_view.select(lex.id)
    assert window.entities.tree.topLevelItemCount() >= 3  # grouped by kind
    frag = _first_entity_anchor(window)
    assert frag is not None
    cursor = QTextCursor(window.reader.view.document())
    cursor.setPosition(frag.position() + 1)
    window.reader.view.setTextCursor(cursor)
    window.reader.view.ensureCursorVisible()
    rect = window.reader.view.cursorRect(cursor)
    point = QPoint(rect.center().x(), rect.center().y())
    qtbot.mouseMove(window.reader.view.viewport(), point)
    qtbot.waitUntil(lambda: window.reader.card.isVisible(), timeout=3000)
    assert "Click" in window.reader.card.text()
    qtbot.mouseClick(window.reader.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.entities.everywhere.count() > 0, timeout=3000)
    assert window.entities.current
    # n steps through the selected entity's mentions
    window.reader.view.setFocus()
    before = window.reader.view.textCursor().selectionStart()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_N)
    assert window.reader.view.textCursor().hasSelection()
    assert "mention" in window.entities.info.text()
    assert window.reader.view.textCursor().selectionStart() != before or \
        window.reader._entity_steps


def test_drop_a_vtt_file_imports_it(qtbot, window, tmp_path):
    vtt = tmp_path / "dropped talk.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada>Hello from a dropped file.\n\n"
                   "00:00:04.000 --> 00:00:07.000\n<v Bob>And a reply about GRPO.\n",
                   encoding="utf-8")
    before = window.library.counts()["episodes"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(vtt))])
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    qtbot.waitUntil(lambda: window.importing is None and
                    window.library.counts()["episodes"] == before + 1, timeout=20000)
    titles = [e.title for e in window.library.episodes()]
    assert "dropped talk" in titles
    # the new episode is selected in the list and open in the reader
    qtbot.waitUntil(lambda: window.reader.episode is not None
                    and window.reader.episode.title == "dropped talk", timeout=10000)
    chosen = window.library_view.list.currentIndex()
    assert window.library_view.model.episode(chosen).title == "dropped talk"
    assert "Import: 1 added" in window.statusBar().currentMessage()


def test_settings_are_restored_across_a_restart(qtbot, library_dir):
    first = make_window(qtbot, library_dir)
    lex = next(e for e in first.library.episodes() if e.video_id == "EV7WhVT270Q")
    first.library_view.select(lex.id)
    first.reader.view.setFocus()
    qtbot.keyClick(focused(first), Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focused(first), Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    size = first.reader.point_size
    qtbot.keyClick(focused(first), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    mode = first.mode
    first.resize(701, 503)
    first.reader.set_scroll_position(first.reader.view.verticalScrollBar().maximum() // 2)
    first.search.recent = ["grpo", "speaker:\"Ross Taylor\" open"]
    scroll = first.reader.scroll_position()
    first.close()
    first.library.close()

    second = make_window(qtbot, library_dir)
    second.restore_episode()
    qtbot.wait(50)
    assert second.reader.point_size == size
    assert second.mode == mode
    assert second.current_episode == lex.id
    assert (second.width(), second.height()) == (701, 503)
    assert abs(second.reader.scroll_position() - scroll) < 50
    assert second.search.recent == ["grpo", "speaker:\"Ross Taylor\" open"]
    second.close()
    second.library.close()


def test_transcript_markup_is_shown_not_run(qtbot, window, tmp_path):
    evil = tmp_path / "evil.txt"
    # entity-escaped markup survives import as literal text, which the reader must show
    evil.write_text("Alice: look &lt;img src=\"file:///etc/passwd\"&gt; here\n"
                    "Bob: and &lt;a href=\"http://example.com\"&gt;a link&lt;/a&gt; too\n"
                    "Alice: &lt;script&gt;alert(1)&lt;/script&gt; done\n", encoding="utf-8")
    report = window.library.import_paths([evil]).value
    assert not report.failed
    window.episodes.refresh_library()
    ep = next(e for e in window.library.episodes() if "Alice" in e.speakers)
    window.library_view.select(ep.id)
    html = window.reader.view.toHtml()
    assert "<img" not in html and "<script" not in html and "example.com\">" not in html
    shown = _reader_text(window)
    assert '<img src="file:///etc/passwd">' in shown and "<script>alert(1)</script>" in shown


def test_every_action_is_in_a_menu_and_shortcuts_do_not_conflict(window):
    from aiviewer.ui.actions import ACTIONS, check_conflicts

    assert check_conflicts() == []
    menu_actions = {a.objectName() for m in window.menuBar().actions()
                    for a in m.menu().actions()}
    assert {s.id for s in ACTIONS} <= menu_actions


def test_command_palette_runs_an_action(qtbot, window):

    def type_in_palette():
        palette = QApplication.activeModalWidget()
        qtbot.keyClicks(palette.edit, "dark theme")
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    before = window.mode
    when_modal(type_in_palette)
    qtbot.keyClick(focused(window), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert window.mode != before


def test_f2_renames_an_anonymous_speaker_everywhere(qtbot, window):
    from PySide6.QtWidgets import QComboBox

    lex = next(e for e in window.library.episodes() if e.video_id == "EV7WhVT270Q")
    window.library_view.select(lex.id)
    window.reader.view.setFocus()
    steps = []

    # the caret in a turn of Speaker 2; one dialog: the name, typed or picked
    second = next(s for s in window.library.episode(lex.id).segments
                  if s.speaker_label == "Speaker 2")
    window.reader.place_caret(second.char_start + 3)

    def type_name():
        dialog = QApplication.activeModalWidget()
        steps.append(dialog.labelText())
        edit = dialog.findChild(QComboBox).lineEdit()
        edit.selectAll()
        qtbot.keyClicks(edit, "Nathan Lambert")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    when_modal(type_name)
    qtbot.keyClick(focused(window), Qt.Key.Key_F2)
    assert steps and steps[0].startswith("Name for Speaker 2")
    assert "Nathan Lambert" in _reader_text(window)
    ep = window.library.episode(lex.id)
    assert ep.speaker_names.get("Speaker 2") == "Nathan Lambert"
    assert "Nathan Lambert" in next(e for e in window.library.episodes()
                                    if e.id == lex.id).speakers
    # the rename is one undo step, and the reader follows it both ways
    assert window.actions_by_id["undo"].text() == "&Undo Rename Speaker 2 to Nathan Lambert"
    named = _reader_text(window).count("Nathan Lambert")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=5000)
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _reader_text(window).count("Nathan Lambert") < named
    assert window.library.episode(lex.id).speaker_names.get("Speaker 2") != "Nathan Lambert"
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert _reader_text(window).count("Nathan Lambert") == named


def test_library_keys_fold_shows_and_walk_episodes(qtbot, window):
    """Ctrl+1, then a tree's keys: Left folds a show, Right unfolds it, Down walks
    the episodes; the filter box's Enter lands on the first match."""
    view = window.library_view
    qtbot.keyClick(focused(window), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is view.list
    heading = next(r for r in range(view.model.rowCount()) if view.model.show_at(r))
    show = view.model.show_at(heading)
    view.list.setCurrentIndex(view.model.index(heading, 0))
    before = view.model.rowCount()
    qtbot.keyClick(view.list, Qt.Key.Key_Left)
    assert view.model.rowCount() < before and view.model.show_at(heading) == show
    assert "▸" in view.model.data(view.model.index(heading, 0))
    qtbot.keyClick(view.list, Qt.Key.Key_Right)
    assert view.model.rowCount() == before
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    first = view.current_episode()
    assert first is not None and window.current_episode == first
    qtbot.keyClick(view.list, Qt.Key.Key_Left)  # from an episode: to its show's heading
    assert view.model.show_at(view.list.currentIndex().row()) == show
    qtbot.keyClick(view.list, Qt.Key.Key_Return)  # Enter on a heading folds it
    assert view.model.rowCount() < before
    view.select(first)  # an episode in a folded show unfolds it to be shown
    assert view.current_episode() == first and view.model.rowCount() == before
    qtbot.keyClicks(view.filter, "Ross Taylor")
    qtbot.keyClick(view.filter, Qt.Key.Key_Return)
    assert "Ross Taylor" in window.library.episode(view.current_episode()).title


def test_ctrl_backspace_removes_an_episode_and_ctrl_z_brings_it_back(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    lex = next(e for e in window.library.episodes() if e.video_id == "EV7WhVT270Q")
    window.library_view.select(lex.id)
    n = len(window.library.episodes())
    window.reader.view.setFocus()

    def confirm():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()
    when_modal(confirm)
    qtbot.keyClick(focused(window), Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert len(window.library.episodes()) == n - 1
    assert window.library_view.model.find(lex.id).isValid() is False
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.library.episodes()) == n
    qtbot.waitUntil(lambda: window.episodes.current == lex.id, timeout=5000)
    assert window.library_view.model.find(lex.id).isValid()


def test_publish_from_the_command_palette(qtbot, window):
    """File → Publish for Datasette, through the palette: the metadata is written
    beside the library and the command shown and put on the clipboard."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    seen = {}

    def type_in_palette():
        palette = QApplication.activeModalWidget()
        qtbot.keyClicks(palette.edit, "publish for datasette")
        QTimer.singleShot(300, close_report)  # before Return: the report is modal
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)

    def close_report():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "publish"
        seen["text"] = box.text()
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(200, type_in_palette)
    qtbot.keyClick(focused(window), Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "text" in seen, timeout=5000)
    assert (window.library.data_dir / "datasette.json").is_file()
    assert "datasette serve" in seen["text"]
    assert QApplication.clipboard().text().startswith("datasette serve")


def test_the_empty_mentions_list_says_what_it_is_for(qtbot, window):
    """The list under Previous / Next / Everywhere paints a hint while empty (a blank box
    read as unfinished) without holding an item for it."""
    from aiviewer.ui.views.entity_panel import EntityPanel

    everywhere = window.findChild(EntityPanel).everywhere
    assert everywhere.count() == 0 and "Everywhere" in everywhere.hint
    assert not everywhere.grab().isNull()  # paints the hint without error
