"""Correcting the seed Lex episode's turns from the keyboard (issue 16): the captions
alternate two labels for three people, and turn 3 holds Lex's question and Nathan
Lambert's answer.  Find puts the caret, S splits, P assigns, M merges, Ctrl+Z and
Ctrl+Shift+Z step through them; the edits are there after quitting and reopening,
and after importing seed 003 again."""

from __future__ import annotations

import pytest
from modal import when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from tests.ui.conftest import focused, make_window

LEX = "yt-EV7WhVT270Q"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _caret_to(qtbot, window, words: str) -> None:
    """Ctrl+F, the words, Esc, Left: the caret before the first place they are said."""
    qtbot.keyClick(focused(window), Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.reader.findbar.edit, words)
    qtbot.keyClick(window.reader.findbar.edit, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.reader.view
    qtbot.keyClick(window.reader.view, Qt.Key.Key_Left)


def _answer_picker(qtbot, name: str, seen: list[str]) -> None:
    """Type `name` into the speaker picker that the next key opens, and Enter."""
    def answer():
        dialog = QApplication.activeModalWidget()
        combo = dialog.findChild(QComboBox)
        seen.extend(combo.itemText(i) for i in range(combo.count()))
        seen.append(dialog.labelText())
        combo.lineEdit().selectAll()
        qtbot.keyClicks(combo.lineEdit(), name)
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    when_modal(answer)


def _back_in_reader(qtbot, window) -> None:
    """After a dialog the window is active again and keys go to the reader."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=5000)


def _speakers(window, n: int = 5) -> list[str | None]:
    return [s.speaker for s in window.library.episode(LEX).segments[:n]]


def _shown(window) -> list[str | None]:
    """The speakers the reader shows for the first turns (the episode it drew)."""
    return [s.speaker for s in window.reader.episode.segments[:5]]


@pytest.fixture
def lex_window(qtbot, library_dir):
    w = make_window(qtbot, library_dir)
    w.open_episode(LEX)
    w.reader.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reader.view, timeout=5000)
    yield w
    w.close()
    w.tasks.wait()
    w.library.close()


def test_split_and_assign_a_mixed_turn_from_the_keyboard(qtbot, lex_window, library_dir,
                                                          seeds_dir):
    window = lex_window
    lib = window.library
    note = lib.annotate_quote(LEX, "put different energy", note_md="labs differ").value
    before = len(lib.episode(LEX).segments)
    assert _speakers(window, 4) == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]

    _caret_to(qtbot, window, "you see the labs")
    qtbot.keyClick(window.reader.view, Qt.Key.Key_S)
    assert len(lib.episode(LEX).segments) == before + 1
    assert lib.episode(LEX).segments[2].text == "Uh Nathan, what do you think?"
    seen: list[str] = []
    _answer_picker(qtbot, "Nathan Lambert", seen)
    qtbot.keyClick(focused(window), Qt.Key.Key_P)  # the caret is in the new turn
    _back_in_reader(qtbot, window)
    assert "Who speaks in turn 4?" in seen
    assert {"Speaker 1", "Speaker 2", "Nathan Lambert", "Sebastian Raschka"} <= set(seen)

    _caret_to(qtbot, window, "what do you think? ")
    _answer_picker(qtbot, "Lex Fridman", [])
    qtbot.keyClick(focused(window), Qt.Key.Key_P)
    _back_in_reader(qtbot, window)
    assert _speakers(window) == ["Speaker 1", "Speaker 2", "Lex Fridman", "Nathan Lambert",
                                 "Speaker 2"]
    assert _shown(window)[2:4] == ["Lex Fridman", "Nathan Lambert"]
    moved = lib.annotation(note.id)
    assert moved.status == "anchored" and moved.speaker == "Nathan Lambert"

    # three undo steps, the reader and the list following
    assert window.actions_by_id["undo"].text() == "&Undo Assign turn 3 to Lex Fridman"
    for _ in range(3):
        qtbot.keyClick(focused(window), Qt.Key.Key_Z, CTRL)
    assert _speakers(window, 4) == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]
    assert _shown(window)[2:4] == ["Speaker 1", "Speaker 2"]
    assert lib.annotation(note.id).status == "anchored"
    for _ in range(3):
        qtbot.keyClick(focused(window), Qt.Key.Key_Z, CTRL | SHIFT)
    assert _speakers(window)[2:4] == ["Lex Fridman", "Nathan Lambert"]
    assert _shown(window)[2:4] == ["Lex Fridman", "Nathan Lambert"]
    assert any("Nathan Lambert" in e.speakers for e in lib.episodes() if e.id == LEX)

    # quit and reopen: the edits are the library's
    window.close()
    window.tasks.wait()
    lib.close()
    again = make_window(qtbot, library_dir)
    try:
        again.open_episode(LEX)
        assert _shown(again)[2:4] == ["Lex Fridman", "Nathan Lambert"]
        assert _speakers(again)[2:4] == ["Lex Fridman", "Nathan Lambert"]
        # importing seed 003 again keeps them
        report = again.library.import_paths([seeds_dir / "003_2e3fad989d5a5666.txt"]).value
        assert not report.failed
        assert _speakers(again)[2:4] == ["Lex Fridman", "Nathan Lambert"]
        kept = again.library.annotation(note.id)
        assert kept.status == "anchored" and kept.speaker == "Nathan Lambert"
    finally:
        again.close()
        again.tasks.wait()
        again.library.close()


def test_merge_joins_a_turn_to_the_one_before(qtbot, lex_window):
    window = lex_window
    lib = window.library
    before = lib.episode(LEX).segments
    _caret_to(qtbot, window, "So some of these models like deepseek")
    qtbot.keyClick(window.reader.view, Qt.Key.Key_M)
    after = lib.episode(LEX).segments
    assert len(after) == len(before) - 1
    assert after[2].text == f"{before[2].text} {before[3].text}"
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, CTRL)
    assert len(lib.episode(LEX).segments) == len(before)


def test_f2_names_the_speaker_at_the_caret_in_one_step(qtbot, lex_window):
    window = lex_window
    _caret_to(qtbot, window, "Um so winning is a very broad")  # a Speaker 2 turn
    seen: list[str] = []
    _answer_picker(qtbot, "Nathan Lambert", seen)
    qtbot.keyClick(focused(window), Qt.Key.Key_F2)
    assert seen[-1] == "Name for Speaker 2 (200 turns):"
    assert "Sebastian Raschka" in seen
    assert window.library.episode(LEX).speaker_names["Speaker 2"] == "Nathan Lambert"
    assert window.actions_by_id["undo"].text() == "&Undo Rename Speaker 2 to Nathan Lambert"


def test_f2_on_a_library_row_edits_the_details(qtbot, lex_window):
    from PySide6.QtWidgets import QLineEdit

    window = lex_window
    window.library_view.select(LEX, emit=False)
    window.library_view.list.setFocus()
    qtbot.waitUntil(lambda: window.library_view.list.hasFocus(), timeout=5000)

    def fill():
        dialog = QApplication.activeModalWidget()
        assert dialog.windowTitle() == "Episode Details"
        title = dialog.findChild(QLineEdit)  # the title field has the focus
        title.selectAll()
        qtbot.keyClicks(title, "State of AI 2026")
        qtbot.keyClick(title, Qt.Key.Key_Tab)
        show = dialog.show_box.lineEdit()
        show.selectAll()
        qtbot.keyClicks(show, "Lex Fridman")
        qtbot.keyClick(show, Qt.Key.Key_Tab)
        dialog.date.selectAll()
        qtbot.keyClicks(dialog.date, "2026-02-01")
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    when_modal(fill)
    qtbot.keyClick(window.library_view.list, Qt.Key.Key_F2)
    row = next(e for e in window.library.episodes() if e.id == LEX)
    assert (row.title, row.show, row.date) == ("State of AI 2026", "Lex Fridman", "2026-02-01")
    assert window.windowTitle().startswith("State of AI 2026")
    assert "State of AI 2026" in window.reader.view.toPlainText()  # the reader's heading
    assert window.library_view.model.find(LEX).isValid()
    assert "Lex Fridman" in window.searching.library.search("scaling").facets["show"]
    qtbot.waitUntil(lambda: window.library_view.list.hasFocus(), timeout=5000)
    qtbot.keyClick(window.library_view.list, Qt.Key.Key_Z, CTRL)
    row = next(e for e in window.library.episodes() if e.id == LEX)
    assert (row.show, row.date) == ("Lex Fridman Podcast", "2026-01-31")  # seed 004's date


def test_p_assigns_every_selected_turn_in_one_step(qtbot, lex_window):
    window = lex_window
    segs = window.reader.episode.segments
    window.reader.select_span(segs[1].char_start + 5, segs[2].char_start + 10)  # turns 2-3
    seen: list[str] = []
    _answer_picker(qtbot, "Sebastian Raschka", seen)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_P)
    picked = seen[-1]
    assert picked.startswith("Who speaks in ") and picked.endswith(" turns?")
    n = int(picked.split()[3])
    speakers = _speakers(window, 1 + n + 1)
    assert speakers[1:1 + n] == ["Sebastian Raschka"] * n and speakers[1 + n] != "Sebastian Raschka"
    assert window.library.undo_label() == f"Assign {n} turns to Sebastian Raschka"
    _back_in_reader(qtbot, window)
    qtbot.keyClick(focused(window), Qt.Key.Key_Z, CTRL)
    assert "Sebastian Raschka" not in _speakers(window, 1 + n + 1)


def test_an_edit_makes_the_window_build_the_impact_index_again(qtbot, lex_window,
                                                                 monkeypatch, tmp_path):
    """A split changes the passage index: the impact index (search/impacts.py) is stale,
    searches rank through FTS5 alone, and the window builds it again once the edits
    pause (here 50 ms rather than 10 s; any library counts as big enough here)."""
    from aiviewer.search import impacts
    from aiviewer.ui.controllers import search

    window = lex_window
    monkeypatch.setattr(impacts, "MIN_ROWS", 20)
    window.searching._after_edits.setInterval(50)
    assert search.PREPARE_AFTER_EDITS_MS >= 5000  # real edits come in bursts
    impacts.build(window.library.store)
    assert impacts.current(window.library.store) is not None
    _caret_to(qtbot, window, "you see the labs")
    qtbot.keyClick(window.reader.view, Qt.Key.Key_S)
    assert impacts.current(window.library.store) is None
    qtbot.waitUntil(lambda: impacts.current(window.library.store) is not None, timeout=20000)
    before = window.library.search("the model", limit=50)
    monkeypatch.setattr(impacts, "current", lambda store: None)
    from aiviewer.search import engine
    engine._runs.drop(window.library.store)
    after = window.library.search("the model", limit=50)
    assert [(h.segment_id, h.score) for h in before.hits] == [
        (h.segment_id, h.score) for h in after.hits]
