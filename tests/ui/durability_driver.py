"""The real window in a process of its own, for `tests/ui/test_durability.py`.

    python tests/ui/durability_driver.py DATA_DIR IMPORT_FILE

builds the main window offscreen over DATA_DIR, as `aiviewer.ui.app.run()` does,
and writes through the window's own code paths (`tag_selection`,
`annotate_selection`, `rename_speaker`, with their dialogs answered as a user
would), imports IMPORT_FILE with the window's import child, runs CLI commands
against the same library in between, reads on the reader thread, and then keeps
tagging until it is killed.  After each write the window reported saved it
prints one line to stdout, flushed:

    saved N ANNOTATION_ID      N annotations saved so far (window and CLI)
    renamed EPISODE LABEL NAME
    imported EPISODE_ID
    entity NAME

The helpers above `main` are shared with the in-process tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QInputDialog, QMessageBox

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# -- answering the window's dialogs ----------------------------------------------------


class Answer:
    """Poll (every few ms, on the event loop the dialog's exec() runs) for the modal
    dialog `match` accepts, then answer it with `fn(dialog)`; `done` once answered."""

    def __init__(self, match: Callable[[object], bool], fn: Callable[[object], None],
                 give_up_s: float = 60.0):
        self.match, self.fn, self.done, self.cancelled = match, fn, False, False
        self._until = time.monotonic() + give_up_s  # only to stop polling, never asserted
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if self.cancelled or self.done:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is not None and self.match(dialog):
            self.done = True
            self.fn(dialog)
            return
        if time.monotonic() < self._until:
            QTimer.singleShot(5, self._poll)

    def cancel(self) -> None:
        self.cancelled = True


def is_tag_popup(d) -> bool:
    from aiviewer.ui.views.note_editor import TagPopup
    return isinstance(d, TagPopup)


def is_note_editor(d) -> bool:
    from aiviewer.ui.views.note_editor import NoteEditor
    return isinstance(d, NoteEditor)


def is_write_failure(d) -> bool:
    return isinstance(d, QMessageBox) and d.objectName() == "write-failure"


def type_tag(tag: str) -> Callable[[object], None]:
    def fn(dialog):
        QTest.keyClicks(dialog.edit, tag)
        QTest.keyClick(dialog.edit, Qt.Key.Key_Return)
    return fn


def write_note(note: str, tags: str = "", typed: bool = True) -> Callable[[object], None]:
    """Type the note (or paste a long one) and press Ctrl+Return."""
    def fn(dialog):
        if typed:
            QTest.keyClicks(dialog.source, note)
        else:
            dialog.source.setPlainText(note)
        if tags:
            dialog.tags.setText(tags)
        QTest.keyClick(dialog.source, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if dialog.isVisible():  # the shortcut needs an active dialog; not every driver has one
            dialog.accept()
    return fn


def answer_rename(name: str, index: int = 0) -> Answer:
    """Answer `rename_speaker`'s one dialog (F2): type `name` as the speaker's name.
    (The speaker is the one at the caret: `rename_through_window` puts it there.)"""
    def is_name(d):
        return isinstance(d, QInputDialog) and d.labelText().startswith("Name for")

    def type_name(dialog):
        edit = dialog.findChild(QComboBox).lineEdit()
        edit.selectAll()
        QTest.keyClicks(edit, name)
        QTest.keyClick(edit, Qt.Key.Key_Return)
    return Answer(is_name, type_name)


# -- selecting and writing through the window -------------------------------------------


def paragraphs(window, room: int = 30) -> list[tuple[int, int, int]]:
    """The reader's transcript paragraphs (text start, document position, length)."""
    return [p for p in window.reader._paragraphs if p[2] > room]


def select_span(window, i: int, n: int = 14) -> tuple[int, int]:
    """Select n characters inside the i-th long paragraph (as the reader's own
    select_span does when the user opens an annotation)."""
    start, _, _ = paragraphs(window)[i % len(paragraphs(window))]
    window.reader.select_span(start + 3, start + 3 + n)
    span = window.reader.selected_span()
    assert span is not None
    return span


def status(window) -> str:
    return window.statusBar().currentMessage()


def reported_saved(window) -> bool:
    """What the window says after a write it committed."""
    msg = status(window)
    return msg.endswith("— saved") or msg == "Annotation saved"


def tag_through_window(window, i: int, tag: str) -> str | None:
    """`tag_selection` (what `t` runs) with the popup answered; the new annotation's
    id if the window reported it saved."""
    span = select_span(window, i)
    where = (window.reader.episode.id, *span)
    window.statusBar().clearMessage()
    before = _annotation_ids(window)
    answer = Answer(is_tag_popup, type_tag(tag))
    window.annotating.tag_selection()
    answer.cancel()
    assert answer.done, "the tag popup was shown"
    if not reported_saved(window):
        return None
    return _made(window, before, where)


def annotate_through_window(window, i: int, note: str) -> str | None:
    """`annotate_selection` (what `a` runs) with the note editor answered."""
    span = select_span(window, i)
    where = (window.reader.episode.id, *span)
    window.statusBar().clearMessage()
    before = _annotation_ids(window)
    answer = Answer(is_note_editor, write_note(note, typed=False))
    window.annotating.annotate_selection()
    answer.cancel()
    assert answer.done, "the note editor was shown"
    if not reported_saved(window):
        return None
    return _made(window, before, where)


def _annotation_ids(window) -> set[str]:
    return {a.id for a in window.library.annotations()}


def _made(window, before: set[str], where: tuple[str, int, int]) -> str:
    """The annotation the window just saved: the one new in the library on the span
    selected, in the episode it was selected in — also when an import opened its own
    episode while the dialog was up, so the panel lists another episode (a CLI child
    may have added others meanwhile)."""
    episode_id, start, end = where
    made = [a for a in window.library.annotations(episode_id=episode_id)
            if a.id not in before and (a.start, a.end) == (start, end)]
    assert len(made) == 1, (where, made)
    return made[0].id


def rename_through_window(window, episode_id: str, name: str, index: int = 0) -> bool:
    """`rename_speaker` (F2) with both dialogs answered; True if reported saved."""
    window.library_view.select(episode_id)
    window.statusBar().clearMessage()
    labels = list(dict.fromkeys(s.speaker_label for s in window.reader.episode.segments
                                if s.speaker_label))
    label = labels[min(index, len(labels) - 1)] if labels else None
    first = next((s for s in window.reader.episode.segments if s.speaker_label == label), None)
    if first is not None:  # F2 names the speaker of the turn at the caret
        window.reader.place_caret(first.char_start)
    window.reader.view.setFocus()  # F2 on the library list edits the details instead
    answer = answer_rename(name, index)
    window.turns.rename_speaker()
    answer.cancel()
    assert answer.done, "the speaker dialog was shown"
    return status(window).endswith("— saved")


def cli(data_dir: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "aiviewer", "--data-dir", str(data_dir), *args]


def pump(until: Callable[[], bool], give_up_s: float = 120.0) -> bool:
    """Run the event loop until `until()` (the driver has no qtbot)."""
    stop = time.monotonic() + give_up_s
    while not until():
        if time.monotonic() > stop:
            return False
        QApplication.processEvents()
        time.sleep(0.005)
    return True


def small_episode(library):
    """The shortest episode with two or more speakers (fast to render)."""
    eps = [e for e in library.episodes() if len(e.speakers) >= 2]
    return min(eps, key=lambda e: e.n_words)


# -- the driver ------------------------------------------------------------------------


def main(data_dir: str, import_file: str) -> int:
    from aiviewer.library import Library
    from aiviewer.ui.app import install_error_hook, settings_for
    from aiviewer.ui.main_window import MainWindow
    from aiviewer.ui.tasks import thread_library

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_error_hook()
    library = Library(data_dir)
    window = MainWindow(library, settings_for(data_dir))
    window.show()
    if library.is_empty():
        window.start_import([], seeds=True)
        pump(lambda: window.importing is None)
    else:
        window.restore_episode()
    n = 0

    def say(line: str) -> None:
        print(line, flush=True)

    def saved(aid: str | None) -> None:
        nonlocal n
        assert aid is not None, "the window did not report the write saved"
        n += 1
        say(f"saved {n} {aid}")

    ep = small_episode(library)
    def opened() -> bool:  # the list is refilled on the reader thread: select again
        if window.current_episode != ep.id:
            window.library_view.select(ep.id)
        return window.current_episode == ep.id
    assert pump(opened), "the episode did not open"
    for i in range(3):
        saved(tag_through_window(window, i, f"kill/tag{i}"))
    saved(annotate_through_window(window, 3, "A note **before** the kill"))
    if rename_through_window(window, ep.id, "Renamed Before Kill"):
        say(f"renamed {ep.id} - Renamed Before Kill")
    # the CLI writes while the window's connections are open
    out = subprocess.run(cli(data_dir, "annotate", ep.id, "--quote",
                             window.library.episode(ep.id).segments[1].text[:20],
                             "--tag", "kill/cli", "--json"),
                         capture_output=True, text=True, check=True)
    saved(json.loads(out.stdout)["annotation"]["id"])
    subprocess.run(cli(data_dir, "entities", "add", "Killtest Labs", "--kind", "organization"),
                   capture_output=True, text=True, check=True)
    say("entity Killtest Labs")
    # the window's import child, with window writes while it runs
    before = {e.id for e in library.episodes()}
    window.start_import([import_file])
    saved(tag_through_window(window, 4, "kill/during-import"))
    pump(lambda: window.importing is None)
    new = {e.id for e in library.episodes()} - before
    for eid in new:
        say(f"imported {eid}")
    if new:  # the window opens what was just imported: back to the long episode
        pump(lambda: window.current_episode in new)
    assert pump(opened), "the episode did not open again after the import"
    # readers on the reader thread, a refresher child, and more writes
    window.episodes.refresh_library_later()
    window.searching.run("reasoning", 1, lambda generation, results: None)
    window.entity_control.refresh_stale()
    i = 5
    while True:  # until killed
        window.tasks.run_read(lambda progress: thread_library(data_dir).counts())
        saved(tag_through_window(window, i, f"kill/loop{i % 7}"))
        if i % 6 == 0:
            subprocess.Popen(cli(data_dir, "list"), stdout=subprocess.DEVNULL)
        QApplication.processEvents()
        i += 1
    return app.exec()  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
