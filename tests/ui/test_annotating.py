"""Tagging and annotating from the keyboard, undo/redo, tags and the browser."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import focused


def _open_ross(window):
    ep = next(e for e in window.library.episodes() if e.form == "apppage")
    window.library_view.select(ep.id)
    return ep


def _select(window, qtbot, phrase):
    """Put the cursor on a phrase and select it with Shift+Right, as a user would."""
    doc = window.reader.view.document()
    transcript_start = window.reader.doc_position(0)  # past the title and show notes
    found = doc.find(phrase, transcript_start)
    assert not found.isNull()
    c = QTextCursor(doc)
    c.setPosition(found.selectionStart())
    window.reader.view.setTextCursor(c)
    window.reader.view.setFocus()
    for _ in phrase:
        qtbot.keyClick(window.reader.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.view.textCursor().selectedText() == phrase


def _in_modal(qtbot, fn, delay=150):
    def run():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        fn(dialog)
    QTimer.singleShot(delay, run)


def test_select_t_type_tag_enter_then_undo_redo(qtbot, window):
    ep = _open_ross(window)
    _select(window, qtbot, "Papers with Code")

    def type_tag(dialog):
        qtbot.keyClicks(dialog.edit, "projects/PwC")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    _in_modal(qtbot, type_tag)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=3000)
    [a] = window.library.annotations(episode_id=ep.id)
    assert a.exact == "Papers with Code" and a.tags == ("projects/PwC",)
    assert window.annotation_panel.list.count() == 1
    assert window.reader._annotation_marks, "drawn in the text"
    assert "Undo" in window.actions_by_id["undo"].text()
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.library.annotations(episode_id=ep.id) == []
    assert window.annotation_panel.list.count() == 0
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.library.annotations(episode_id=ep.id)) == 1


def test_v_selects_a_sentence_and_a_writes_a_note(qtbot, window):
    ep = _open_ross(window)
    doc = window.reader.view.document()
    found = doc.find("Thanks for having me.", window.reader.doc_position(0))
    c = QTextCursor(doc)
    c.setPosition(found.selectionStart() + 3)
    window.reader.view.setTextCursor(c)
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_V)
    assert window.reader.view.textCursor().selectedText().startswith("Thanks for having me.")

    def write_note(dialog):
        qtbot.keyClicks(dialog.source, "A **polite** start <script>x</script>")
        qtbot.wait(250)
        assert "<b>polite</b>" in dialog.preview.toHtml() or "polite" in \
            dialog.preview.toPlainText()
        assert "<script>" in dialog.preview.toPlainText()  # shown as text
        qtbot.keyClick(dialog.source, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _in_modal(qtbot, write_note)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=3000)
    [a] = window.library.annotations(episode_id=ep.id)
    assert a.note_md.startswith("A **polite** start")
    assert a.speaker == "Ross Taylor"
    # the panel: j/k, e to edit, Delete to remove (undoable)
    window.annotation_panel.list.setFocus()
    window.annotation_panel.list.setCurrentRow(0)
    qtbot.keyClick(window.annotation_panel.list, Qt.Key.Key_Delete)
    assert window.library.annotations(episode_id=ep.id) == []
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.library.annotations(episode_id=ep.id)) == 1


def test_tag_rename_merge_and_browser_filter(qtbot, window):
    ep = _open_ross(window)
    lib = window.library
    text = lib.episode(ep.id).text
    for quote, tag in (("Galactica", "models/Galactica"), ("leaderboards", "eval/boards"),
                       ("reasoning", "eval/reasoning")):
        at = text.index(quote)
        lib.annotate(ep.id, at, at + len(quote), tags=[tag])
    window.annotating.open_browser()
    browser = window.annotating.browser
    assert browser.proxy.rowCount() == 3
    qtbot.keyClicks(browser.text, "Galac")
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 1, timeout=3000)
    browser.text.clear()
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 3, timeout=3000)
    lib.rename_tag("eval", "evaluation")
    lib.merge_tags("models", "evaluation")
    browser.refresh()
    names = {t.name for t in lib.tags()}
    assert names == {"evaluation/boards", "evaluation/reasoning", "evaluation/Galactica"}
    # the tag tree filters the table (a tag matches its children)
    item = browser.tags.findItems("evaluation", Qt.MatchFlag.MatchExactly, 0)[0]
    browser.tags.setCurrentItem(item)
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == 3, timeout=3000)
    window.annotating.undo()
    assert "models/Galactica" in {t.name for t in lib.tags()}
    browser.close()


def test_new_entity_from_the_selection_is_highlighted(qtbot, window):
    from PySide6.QtWidgets import QComboBox

    ep = _open_ross(window)
    _select(window, qtbot, "incubator")

    def fill(dialog):
        dialog.findChild(QComboBox).setCurrentText("organization")
        dialog.description.setText("where Papers with Code started")
        dialog.accept()
    _in_modal(qtbot, fill)
    qtbot.keyClick(focused(window), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.library.entity("incubator") is not None, timeout=30000)
    qtbot.waitUntil(lambda: any(c.canonical == "incubator"
                                for c in window.library.episode_entities(ep.id)),
                    timeout=30000)
    assert window.library.entity("incubator").kind == "organization"


def test_one_ok_in_the_edit_dialog_is_one_undo_step(qtbot, window):
    ep = _open_ross(window)
    _select(window, qtbot, "Papers with Code")
    start, end = window.reader.selected_span()
    window.library.annotate(ep.id, start, end, note_md="first", tags=["old"])
    window.annotating.refresh()
    qtbot.keyClick(focused(window), Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert focused(window) is window.annotation_panel.list
    window.annotation_panel.list.setCurrentRow(0)

    def edit(dialog):
        dialog.source.selectAll()
        qtbot.keyClicks(dialog.source, "second thoughts")
        dialog.tags.selectAll()
        qtbot.keyClicks(dialog.tags, "new, newer")
        qtbot.keyClick(dialog.source, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _in_modal(qtbot, edit)
    qtbot.keyClick(window.annotation_panel.list, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: window.library.annotations(episode_id=ep.id)[0].note_md
                    == "second thoughts", timeout=5000)
    [a] = window.library.annotations(episode_id=ep.id)
    assert sorted(a.tags) == ["new", "newer"]
    assert window.actions_by_id["undo"].text() == "&Undo Edit annotation"
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=3000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.annotation_panel.list,
                    timeout=3000)  # focus came back where e was pressed
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    [a] = window.library.annotations(episode_id=ep.id)
    assert a.note_md == "first" and a.tags == ("old",)


def test_the_edit_menu_follows_an_undo_made_by_the_cli_beside_it(qtbot, window):
    """The history is the library's: a step the CLI undid is offered as Redo when the
    user comes back to the window, and Ctrl+Z there undoes the step before it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from aiviewer.cli import main

    lib = window.library
    eid = lib.episodes()[0].id
    label = next(s.speaker_label for s in lib.episode(eid).segments if s.speaker_label)
    lib.rename_speaker(eid, label, "Someone Else")
    window.annotating.update_undo_actions()
    assert window.actions_by_id["undo"].text().startswith("&Undo Rename")
    assert main(["--data-dir", str(lib.data_dir), "undo"]) == 0
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert window.actions_by_id["redo"].text().startswith("&Redo Rename")
