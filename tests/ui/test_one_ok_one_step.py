"""One OK in a dialog is one undo step, and one Ctrl+Z takes it back (issue 13).

Each test drives a dialog with real keys, then checks that the library's history
grew by exactly one step, that the window's views redrew from the one changes
signal (`ui/changes_hub.py`) without being told, and that one Ctrl+Z in the window
restores what was there before."""

from __future__ import annotations

import pytest
from modal import when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from tests.ui.conftest import focused, make_window

LEX = "yt-EV7WhVT270Q"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _steps(lib) -> list[str]:
    """The steps Ctrl+Z can take back, newest first."""
    return [label for label, undone, _ in lib.history(200) if not undone]


class OneStep:
    """Around one dialog: the history before, the state before, and the checks."""

    def __init__(self, qtbot, window, state):
        self.qtbot, self.window, self.state = qtbot, window, state
        self.before_steps = _steps(window.library)
        self.before = state()

    def done(self) -> str:
        """The dialog's OK made exactly one step, and it changed the state."""
        qtbot, window = self.qtbot, self.window
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=10000)
        after = _steps(window.library)
        assert len(after) == len(self.before_steps) + 1, after[:4]
        assert after[1:] == self.before_steps
        assert self.state() != self.before
        assert window.actions_by_id["undo"].text() == f"&Undo {after[0]}"  # the menu follows
        return after[0]

    def undo(self) -> None:
        """One Ctrl+Z in the main window puts everything back."""
        qtbot, window = self.qtbot, self.window
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        if QApplication.focusWidget() is None:
            window.reader.view.setFocus()
        qtbot.keyClick(focused(window), Qt.Key.Key_Z, CTRL)
        assert self.state() == self.before
        assert _steps(window.library) == self.before_steps


@pytest.fixture
def lex(qtbot, window):
    window.open_episode(LEX)
    window.reader.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=5000)
    return window


def _select(qtbot, window, phrase: str) -> None:
    """The caret before `phrase` (Ctrl+F, Esc, Left), then Shift+Right over it."""
    qtbot.keyClick(focused(window), Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.reader.findbar.edit, phrase)
    qtbot.keyClick(window.reader.findbar.edit, Qt.Key.Key_Escape)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_Left)
    for _ in phrase:
        qtbot.keyClick(window.reader.view, Qt.Key.Key_Right, SHIFT)
    assert window.reader.view.textCursor().selectedText() == phrase


def _annotations(window):
    return [(a.exact, a.note_md, a.tags) for a in window.library.annotations(episode_id=LEX)]


def test_tag_popover(qtbot, lex):
    one = OneStep(qtbot, lex, lambda: _annotations(lex))
    _select(qtbot, lex, "scaling laws")

    def answer():
        dialog = QApplication.activeModalWidget()
        qtbot.keyClicks(dialog.edit, "scaling")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    when_modal(answer)
    qtbot.keyClick(lex.reader.view, Qt.Key.Key_T)
    assert one.done() == "Tag “scaling”"
    assert lex.annotation_panel.list.count() == 1  # the panel redrew from the signal
    one.undo()
    assert lex.annotation_panel.list.count() == 0


def test_note_editor(qtbot, lex):
    one = OneStep(qtbot, lex, lambda: _annotations(lex))
    _select(qtbot, lex, "scaling laws")

    def answer():
        dialog = QApplication.activeModalWidget()
        qtbot.keyClicks(dialog.source, "the **bitter** lesson")
        qtbot.keyClick(dialog.tags, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.tags, "a, b")
        qtbot.keyClick(dialog.source, Qt.Key.Key_Return, CTRL)
    when_modal(answer)
    qtbot.keyClick(lex.reader.view, Qt.Key.Key_A)
    one.done()
    [(_, note, tags)] = _annotations(lex)
    assert note == "the **bitter** lesson" and sorted(tags) == ["a", "b"]
    assert lex.reader._annotation_marks  # the reader redrew from the signal
    one.undo()
    assert not lex.reader._annotation_marks


def test_annotation_edit_dialog(qtbot, lex):
    text = lex.library.episode(LEX).text
    at = text.index("scaling laws")
    lex.library.annotate(LEX, at, at + 12, note_md="first", tags=["old"])
    lex.annotating.refresh()
    one = OneStep(qtbot, lex, lambda: _annotations(lex))
    qtbot.keyClick(focused(lex), Qt.Key.Key_4, CTRL)
    lex.annotation_panel.list.setCurrentRow(0)

    def answer():
        dialog = QApplication.activeModalWidget()
        dialog.source.selectAll()
        qtbot.keyClicks(dialog.source, "second")
        dialog.tags.selectAll()
        qtbot.keyClicks(dialog.tags, "new, newer")
        qtbot.keyClick(dialog.source, Qt.Key.Key_Return, CTRL)
    when_modal(answer)
    qtbot.keyClick(lex.annotation_panel.list, Qt.Key.Key_E)
    assert one.done() == "Edit annotation"  # a note and three tags: one step
    one.undo()


def _answer_picker(qtbot, name: str) -> None:
    def answer():
        combo = QApplication.activeModalWidget().findChild(QComboBox)
        combo.lineEdit().selectAll()
        qtbot.keyClicks(combo.lineEdit(), name)
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    when_modal(answer)


def test_speaker_rename(qtbot, lex):
    one = OneStep(qtbot, lex, lambda: (lex.library.episode(LEX).speaker_names,
                                       lex.reader.view.toPlainText().count("Ada Lovelace")))
    _answer_picker(qtbot, "Ada Lovelace")
    qtbot.keyClick(lex.reader.view, Qt.Key.Key_F2)
    assert one.done().endswith("to Ada Lovelace")
    assert "Ada Lovelace" in lex.reader.view.toPlainText()  # the reader reopened itself
    model = lex.library_view.model
    assert "Ada Lovelace" in model.episode(model.find(LEX)).speakers  # the list followed
    one.undo()


def test_assign_speaker(qtbot, lex):
    def state():
        return [s.speaker for s in lex.library.episode(LEX).segments], \
            [s.speaker for s in lex.reader.episode.segments]
    one = OneStep(qtbot, lex, state)
    _select(qtbot, lex, "scaling laws")  # the caret in a turn
    _answer_picker(qtbot, "Grace Hopper")
    qtbot.keyClick(lex.reader.view, Qt.Key.Key_P)
    assert one.done().endswith("to Grace Hopper")
    assert "Grace Hopper" in [s.speaker for s in lex.reader.episode.segments]
    one.undo()


def test_episode_details_dialog(qtbot, lex):
    one = OneStep(qtbot, lex, lambda: (lex.library.episode_details(LEX), lex.windowTitle()))

    def answer():
        dialog = QApplication.activeModalWidget()
        dialog.title.selectAll()
        qtbot.keyClicks(dialog.title, "A new title")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Tab)
        dialog.date.selectAll()
        qtbot.keyClicks(dialog.date, "2026-02-01")
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    when_modal(answer)
    qtbot.keyClick(lex.reader.view, Qt.Key.Key_I, CTRL)
    assert one.done().startswith("Edit title, date of")
    assert lex.windowTitle().startswith("A new title")  # reopened from the signal
    one.undo()


def test_remove_episode_question(qtbot, lex):
    one = OneStep(qtbot, lex, lambda: ([e.id for e in lex.library.episodes()],
                                       lex.current_episode))
    when_modal(lambda: qtbot.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Return))
    qtbot.keyClick(lex.reader.view, Qt.Key.Key_Backspace, CTRL)
    one.done()
    assert lex.current_episode is None and lex.reader.episode is None
    one.undo()  # the episode comes back, and the empty reader opens it


@pytest.fixture
def browser(qtbot, lex):
    lib = lex.library
    text = lib.episode(LEX).text
    for quote, tag in (("scaling laws", "eval/scale"), ("reasoning", "eval/reason"),
                       ("open weight", "models")):
        at = text.index(quote)
        lib.annotate(LEX, at, at + len(quote), tags=[tag])
    lex.annotating.open_browser()
    b = lex.annotating.browser
    qtbot.waitUntil(lambda: b.proxy.rowCount() == 3, timeout=5000)
    yield b
    b.close()


def _tags(window):
    return sorted((t.name, t.count) for t in window.library.tags()), \
        sorted(a for _, _, tags in _annotations(window) for a in tags)


def _choose_tag(qtbot, browser, name: str) -> None:
    item = browser.tags.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
                                  0)[0]
    browser.tags.setCurrentItem(item)
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow, timeout=5000)


def test_browser_tag_rename(qtbot, lex, browser):
    one = OneStep(qtbot, lex, lambda: _tags(lex))
    _choose_tag(qtbot, browser, "eval")

    def answer():
        edit = QApplication.activeModalWidget().findChild(QLineEdit)
        edit.selectAll()
        qtbot.keyClicks(edit, "evaluation")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    when_modal(answer)
    qtbot.keyClick(browser.rename_button, Qt.Key.Key_Space)
    assert one.done() == "Rename tag “eval” to “evaluation”"
    assert browser.tags.findItems("evaluation", Qt.MatchFlag.MatchExactly, 0)  # redrew
    one.undo()
    assert browser.tags.findItems("eval", Qt.MatchFlag.MatchExactly, 0)


def test_browser_tag_merge(qtbot, lex, browser):
    one = OneStep(qtbot, lex, lambda: _tags(lex))
    _choose_tag(qtbot, browser, "models")
    _answer_picker(qtbot, "topics")  # a new name: no completion pops up
    qtbot.keyClick(browser.merge_button, Qt.Key.Key_Space)
    assert one.done() == "Merge tag “models” into “topics”"
    one.undo()


def test_browser_tag_delete(qtbot, lex, browser):
    one = OneStep(qtbot, lex, lambda: _tags(lex))
    _choose_tag(qtbot, browser, "eval")
    when_modal(lambda: qtbot.keyClick(QApplication.activeModalWidget(), Qt.Key.Key_Return))
    qtbot.keyClick(browser.delete_tag_button, Qt.Key.Key_Space)
    assert one.done() == "Delete tag “eval” from 2 passages"
    assert lex.annotation_panel.list.count() == 3  # the annotations stay, redrawn
    one.undo()


def test_browser_bulk_tag(qtbot, lex, browser):
    one = OneStep(qtbot, lex, lambda: _tags(lex))
    browser.activateWindow()
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_A, CTRL)  # every row
    assert len(browser.selected_annotations()) == 3
    _answer_picker(qtbot, "bulk")
    qtbot.keyClick(browser.bulk_tag, Qt.Key.Key_Space)
    assert one.done() == "Tag “bulk” on 3 passages"
    one.undo()


def test_import_annotations(qtbot, lex, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    text = lex.library.episode(LEX).text
    at = text.index("scaling laws")
    lex.library.annotate(LEX, at, at + 12, note_md="exported", tags=["x"])
    out = tmp_path / "notes.jsonld"
    lex.library.export_annotations("w3c", out)
    lex.library.delete_annotations([a.id for a in lex.library.annotations()])
    lex.annotating.refresh()
    one = OneStep(qtbot, lex, lambda: _annotations(lex))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    seen: list[str] = []

    def answer():
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)
    when_modal(answer)
    lex.actions_by_id["import_annotations"].trigger()  # File → Import Annotations…
    assert one.done() == "Import 1 annotation"
    assert ": 1 added, 0 updated" in seen[0]  # the report the user read
    assert lex.annotation_panel.list.count() == 1
    one.undo()
    assert lex.annotation_panel.list.count() == 0


def test_entity_dialog(qtbot, library_dir):
    from aiviewer.ui.jobs import SyncJob

    window = make_window(qtbot, library_dir, jobs=SyncJob)  # the entity job, synchronous
    lib = window.library
    try:
        window.open_episode(LEX)
        window.reader.view.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=5000)
        one = OneStep(qtbot, window, lambda: lib.entity("Zorblax") is not None)

        def answer():
            dialog = QApplication.activeModalWidget()
            dialog.name.selectAll()
            qtbot.keyClicks(dialog.name, "Zorblax")
            dialog.findChild(QComboBox).setCurrentText("model")
            qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        when_modal(answer)
        qtbot.keyClick(window.reader.view, Qt.Key.Key_N, CTRL | SHIFT)
        assert one.done() == "New entity “Zorblax”"  # made by the child job: one step
        one.undo()
    finally:
        window.close()
        window.tasks.wait()
        lib.close()


def test_the_initiator_is_named_and_every_view_hears_once(qtbot, lex):
    """The hub carries (changes, initiator); `save` names who asked."""
    heard = []
    lex.changes_hub.changed.connect(lambda changes, who: heard.append((changes, who)))
    text = lex.library.episode(LEX).text
    at = text.index("scaling laws")
    from aiviewer.ui.saving import save

    ok, made = save(lex, "x", lambda: lex.library.annotate(LEX, at, at + 5), lex.annotating)
    assert ok and len(heard) == 1
    changes, who = heard[0]
    assert who is lex.annotating and changes is made and LEX in changes.episodes
    assert lex.annotation_panel.list.count() == 1
