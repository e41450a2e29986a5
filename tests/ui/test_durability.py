"""Every write the app reports as saved is on disk, whatever else touches the library
(issue 11): the real window, offscreen, with its real child processes (seed
import, file import, the entity refresher) and CLI commands run against the same
library while it is open; then a fresh process counts what is there and asks
SQLite for `PRAGMA integrity_check`.  Also: the same with `kill -9` of the app
right after its last "saved", a randomized soak, forced write failures (the
dialog, and no "saved"), and a failing search."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from tests.ui.conftest import focused
from tests.ui.durability_driver import (
    REPO,
    Answer,
    annotate_through_window,
    answer_rename,
    cli,
    is_note_editor,
    is_tag_popup,
    is_write_failure,
    paragraphs,
    rename_through_window,
    reported_saved,
    small_episode,
    tag_through_window,
    type_tag,
    write_note,
)

DRIVER = Path(__file__).with_name("durability_driver.py")
CHILD_MS = 120_000  # generous: two cores, shared with another test run

FRESH = r"""
import json, sys
from aiviewer.library import Library
lib = Library(sys.argv[1])
out = {
    "annotations": {a.id: a.note_md for a in lib.annotations()},
    "speakers": {e.id: list(e.speakers) for e in lib.episodes()},
    "entities": [e.canonical for e in lib.user_entities()],
    "integrity": [r[0] for r in lib.store.conn.execute("PRAGMA integrity_check")],
}
lib.close()
print(json.dumps(out))
"""


def fresh_look(data_dir) -> dict:
    """What a new process finds in the library."""
    done = subprocess.run([sys.executable, "-c", FRESH, str(data_dir)], capture_output=True,
                          text=True, cwd=REPO, timeout=CHILD_MS / 1000)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def transcript(path: Path, name: str) -> Path:
    path.write_text(
        f"{name}: Welcome to a short talk about durable storage and write-ahead logs.\n"
        f"Guest {name}: Thanks. Every write that says saved must really be on the disk.\n"
        f"{name}: And a checkpoint must never lose a committed transaction, right?\n"
        f"Guest {name}: Right, and closing a file descriptor must not drop the locks.\n",
        encoding="utf-8")
    return path


class Unexpected:
    """Any message box nobody expects (an import that failed, a write that was not
    saved) is recorded and closed, so that the test fails with its text instead of
    waiting for a click."""

    def __init__(self):
        self.seen: list[str] = []
        self.timer = QTimer(interval=50)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _check(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.seen.append(f"{box.windowTitle()}: {box.text()} {box.informativeText()}")
            box.reject()

    def stop(self) -> list[str]:
        self.timer.stop()
        return self.seen


def wait_done(qtbot, proc: subprocess.Popen) -> subprocess.CompletedProcess:
    """Keep the window's event loop running while a CLI child works."""
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=CHILD_MS)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def run_cli(data_dir, *args) -> subprocess.Popen:
    return subprocess.Popen(cli(str(data_dir), *args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)


# -- key presses, as a user would -----------------------------------------------------


def caret_into(qtbot, window, i: int) -> None:
    """The caret into the i-th paragraph, the reader focused."""
    _, pos, _ = paragraphs(window)[i % len(paragraphs(window))]
    c = QTextCursor(window.reader.view.document())
    c.setPosition(pos + 3)
    window.reader.view.setTextCursor(c)
    if QApplication.activeWindow() is not window:
        window.activateWindow()  # what the window manager does when a dialog closes
    window.reader.view.setFocus()
    # after a dialog the window is active again a moment later (as on a desktop)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=30000)


def key_select(qtbot, window, i: int, n: int = 12) -> None:
    """Caret into a paragraph, then Shift+Right n times."""
    caret_into(qtbot, window, i)
    for _ in range(n):
        qtbot.keyClick(window.reader.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.selected_span() is not None


def key_tag(qtbot, window, i: int, tag: str) -> str | None:
    """Select, `t`, type the tag, Enter: the new annotation's id if reported saved."""
    key_select(qtbot, window, i)
    window.statusBar().clearMessage()
    answer = Answer(is_tag_popup, type_tag(tag))
    qtbot.keyClick(window.reader.view, Qt.Key.Key_T)
    answer.cancel()
    assert answer.done, "t opened the tag popup"
    return window.annotation_panel.current().id if reported_saved(window) else None


def key_note(qtbot, window, i: int, note: str) -> str | None:
    """Caret in a sentence, `v`, `a`, type the note, Ctrl+Enter."""
    caret_into(qtbot, window, i)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_V)
    assert window.reader.selected_span() is not None
    window.statusBar().clearMessage()
    answer = Answer(is_note_editor, write_note(note))
    qtbot.keyClick(window.reader.view, Qt.Key.Key_A)
    answer.cancel()
    assert answer.done, "a opened the note editor"
    return window.annotation_panel.current().id if reported_saved(window) else None


def open_in_window(qtbot, window, episode_id: str) -> None:
    def opened() -> bool:
        # the list may not show the episode yet (it is refilled on the reader thread
        # after an import): select it again until it is there and open
        if window.current_episode != episode_id:
            window.library_view.select(episode_id)
        return window.current_episode == episode_id
    qtbot.waitUntil(opened, timeout=CHILD_MS)


def quit_app(window, library) -> None:
    """What `run()` does when the event loop ends."""
    from aiviewer.ui.tasks import close_thread_libraries

    window.close()
    window.tasks.wait()
    close_thread_libraries()
    library.close()


# -- 1. the whole scripted run, in process ----------------------------------------------


@pytest.mark.slow
def test_window_cli_and_children_at_once_lose_nothing(qtbot, tmp_path):
    from aiviewer.library import Library
    from aiviewer.ui.app import settings_for
    from aiviewer.ui.main_window import MainWindow

    data = tmp_path / "lib"
    library = Library(data)  # first start, as run() does
    window = MainWindow(library, settings_for(str(data)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    assert library.is_empty()
    unexpected = Unexpected()
    window.start_import([], seeds=True)  # the seed import child
    qtbot.waitUntil(lambda: window.importing is None, timeout=CHILD_MS)
    assert library.counts()["episodes"] == 64
    refresher = window.entity_control.refresher  # the re-matching child, started with the window
    qtbot.waitUntil(lambda: not refresher.running, timeout=CHILD_MS)
    saved: list[str | None] = []
    ep = small_episode(library)
    open_in_window(qtbot, window, ep.id)

    saved.append(key_tag(qtbot, window, 0, "durable/first"))
    saved.append(key_note(qtbot, window, 1, "Kept **for good**"))
    # F2: rename a speaker (two input dialogs)
    answer = answer_rename("Durable Dana", 0)
    window.reader.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=30000)
    qtbot.keyClick(focused(window), Qt.Key.Key_F2)
    assert answer.done
    assert window.statusBar().currentMessage().endswith("— saved")
    # the window's import child, with a tag while it runs
    talk = transcript(tmp_path / "durable_talk.txt", "Host")
    before = {e.id for e in library.episodes()}
    window.start_import([str(talk)])
    saved.append(key_tag(qtbot, window, 2, "durable/during-import"))
    qtbot.waitUntil(lambda: window.importing is None, timeout=CHILD_MS)
    [imported] = {e.id for e in library.episodes()} - before
    open_in_window(qtbot, window, imported)
    saved.append(key_tag(qtbot, window, 0, "durable/imported"))
    open_in_window(qtbot, window, ep.id)
    # CLI commands against the same library while the window is open, each with a
    # window write while it runs
    quote = library.episode(ep.id).segments[2].text[:24]
    child = run_cli(data, "annotate", ep.id, "--quote", quote, "--note", "from the CLI",
                    "--json")
    saved.append(key_tag(qtbot, window, 3, "durable/during-cli"))
    saved.append(json.loads(wait_done(qtbot, child).stdout)["annotation"]["id"])
    child = run_cli(data, "entities", "add", "Durable Storage Inc", "--kind", "organization")
    saved.append(key_note(qtbot, window, 4, "while an entity is added"))
    wait_done(qtbot, child)
    child = run_cli(data, "reindex")
    results = []
    window.searching.run("checkpoint", 1, lambda generation, r: results.append(r))
    saved.append(key_tag(qtbot, window, 5, "durable/during-reindex"))
    wait_done(qtbot, child)
    qtbot.waitUntil(lambda: bool(results), timeout=CHILD_MS)
    # the refresher child again (the user's entities changed), with a write
    window.entity_control.refresh_stale()
    saved.append(key_tag(qtbot, window, 6, "durable/during-refresh"))
    qtbot.waitUntil(lambda: not window.entity_control.refresher.running, timeout=CHILD_MS)
    window.episodes.refresh_library_later()
    saved.append(key_tag(qtbot, window, 7, "durable/last"))
    assert all(saved), f"every write reported saved: {saved}"
    assert not unexpected.stop()
    quit_app(window, library)

    found = fresh_look(data)
    assert found["integrity"] == ["ok"]
    assert len(found["annotations"]) == len(saved)
    assert set(found["annotations"]) == set(saved)
    assert "Kept **for good**" in found["annotations"].values()
    assert "Durable Dana" in found["speakers"][ep.id]
    assert imported in found["speakers"]
    assert "Durable Storage Inc" in found["entities"]


# -- 2. kill -9 of the app right after its last "saved" ----------------------------------


@pytest.mark.slow
def test_kill_9_right_after_the_last_saved_loses_nothing(library_dir, tmp_path):
    talk = transcript(tmp_path / "kill_talk.txt", "Killer")
    log = open(tmp_path / "driver.stderr", "w+", encoding="utf-8")
    driver = subprocess.Popen(
        [sys.executable, str(DRIVER), str(library_dir), str(talk)], stdout=subprocess.PIPE,
        stderr=log, text=True, cwd=REPO, start_new_session=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    lines: queue.Queue[str | None] = queue.Queue()

    def read():
        for line in driver.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    saved, renamed, imported, entities = [], [], [], []
    try:
        while True:
            try:
                line = lines.get(timeout=CHILD_MS / 1000)
            except queue.Empty:
                line = None
            if line is None:
                log.seek(0)
                pytest.fail(f"the driver stopped before the kill:\n{log.read()[-3000:]}")
            word, *rest = line.split(" ")
            if word == "saved":
                saved.append(rest[1])
                if len(saved) >= 14:
                    os.kill(driver.pid, signal.SIGKILL)  # right after the last "saved"
                    break
            elif word == "renamed":
                renamed.append((rest[0], " ".join(rest[2:])))
            elif word == "imported":
                imported.append(rest[0])
            elif word == "entity":
                entities.append(" ".join(rest))
    finally:
        if driver.poll() is None:
            os.kill(driver.pid, signal.SIGKILL)
        driver.wait()
        try:  # and whatever children it left (CLI list, the import child)
            os.killpg(driver.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        log.close()
    assert driver.returncode == -signal.SIGKILL
    assert renamed and imported and entities, "the scripted run reached the loop"

    found = fresh_look(library_dir)
    assert found["integrity"] == ["ok"]
    missing = [a for a in saved if a not in found["annotations"]]
    assert not missing, f"{len(missing)} of {len(saved)} writes reported saved are lost"
    for episode_id, name in renamed:
        assert name in found["speakers"][episode_id]
    for episode_id in imported:
        assert episode_id in found["speakers"]
    for name in entities:
        assert name in found["entities"]


# -- 3. randomized soak -----------------------------------------------------------------


@pytest.mark.slow
def test_randomized_soak_of_window_writes_readers_and_children(qtbot, library_dir, tmp_path):
    from tests.ui.conftest import make_window

    rng = random.Random(11)
    window = make_window(qtbot, library_dir)
    library = window.library
    window.tasks.wait()
    unexpected = Unexpected()
    expected = {a.id for a in library.annotations()}
    cli_undone: set[str] = set()
    mine: list[tuple[str, str]] = []  # the window's own annotations: (episode, id)
    undo_mirror: list[tuple[str, str]] = []  # what the window's undo would revert
    episodes = sorted((e for e in library.episodes() if len(e.speakers) >= 2),
                      key=lambda e: e.n_words)[:3]
    names: dict[tuple[str, int], str] = {}
    children: list[tuple[str, subprocess.Popen]] = []
    imports: list[Path] = []
    searches: list[object] = []
    counts = dict.fromkeys(("tag", "note", "delete", "undo", "rename", "switch", "read",
                            "child", "import"), 0)
    open_in_window(qtbot, window, episodes[0].id)

    def reap(block: bool = False) -> None:
        for kind, proc in list(children):
            if block:
                qtbot.waitUntil(lambda p=proc: p.poll() is not None, timeout=CHILD_MS)
            if proc.poll() is None:
                continue
            out, err = proc.communicate()
            assert proc.returncode == 0, f"{kind}: {err}"
            if kind == "annotate":
                made = json.loads(out)["annotation"]["id"]
                if made not in cli_undone:  # unless the window's Ctrl+Z already took it back
                    expected.add(made)
            children.remove((kind, proc))

    ops = ["tag"] * 6 + ["note"] * 2 + ["delete"] * 2 + ["undo"] + ["rename", "switch"] \
        + ["read"] * 3 + ["child"] * 2 + ["import"]
    for step in range(300):
        op = rng.choice(ops)
        if window.current_episode not in {e.id for e in episodes}:
            # an import finished and the window opened its episode: go back, as a user would
            open_in_window(qtbot, window, rng.choice(episodes).id)
        ep = window.current_episode
        if op == "tag":
            aid = tag_through_window(window, rng.randrange(40), f"soak/t{rng.randrange(9)}")
            assert aid, window.statusBar().currentMessage()
            expected.add(aid)
            mine.append((ep, aid))
            undo_mirror.append(("add", aid))
        elif op == "note":
            aid = annotate_through_window(window, rng.randrange(40), f"soak note {step}")
            assert aid
            expected.add(aid)
            mine.append((ep, aid))
            undo_mirror.append(("add", aid))
        elif op == "delete":  # the panel's Delete key
            here = [aid for e, aid in mine if e == ep and aid in expected]
            if not here:
                continue
            aid = rng.choice(here)
            window.annotation_panel.select(aid)
            window.annotation_panel.list.setFocus()
            qtbot.keyClick(window.annotation_panel.list, Qt.Key.Key_Delete)
            assert window.statusBar().currentMessage().startswith("Deleted 1")
            expected.discard(aid)
            undo_mirror.append(("delete", aid))
        elif op == "undo":
            if library.undo_label() == "Tag “soak/cli”":
                # the history is the library's: the newest step may be a CLI child's
                # annotation, and Ctrl+Z in the window takes that back
                tags = {a.id: a.tags for a in library.annotations()}
                window.annotating.undo()
                assert window.statusBar().currentMessage().startswith("Undone")
                gone = set(tags) - {a.id for a in library.annotations()}
                assert len(gone) == 1 and "soak/cli" in tags[next(iter(gone))], gone
                expected.difference_update(gone)
                cli_undone.update(gone)
                counts[op] += 1
                continue
            if not undo_mirror or not (library.undo_label() or "Rename").startswith(
                    ("Tag", "Annotate", "Delete", "Edit")):
                continue  # nothing of the mirror's on top (a rename's step): no undo
            kind, aid = undo_mirror.pop()
            window.annotating.undo()
            assert window.statusBar().currentMessage().startswith("Undone")
            if kind == "add":
                expected.discard(aid)
            else:
                expected.add(aid)
        elif op == "rename":
            index = rng.randrange(2)
            name = f"Soak Speaker {step}"
            assert rename_through_window(window, ep, name, index)
            names[(ep, index)] = name
        elif op == "switch":
            open_in_window(qtbot, window, rng.choice(episodes).id)
        elif op == "read":  # reader-thread connections: a search, the library list
            query = rng.choice(["reasoning", "grpo", "data", "speaker:nathan scaling"])
            window.searching.run(query, step, lambda g, r: searches.append(r))
            window.episodes.refresh_library_later()
        elif op == "child" and not children:
            which = rng.choice(["annotate", "list", "reindex"])
            if which == "annotate":
                target = rng.choice(episodes).id
                quote = library.episode(target).segments[rng.randrange(1, 6)].text[:20]
                args = ("annotate", target, "--quote", quote, "--tag", "soak/cli", "--json")
            elif which == "list":
                args = ("list",)
            else:
                args = ("reindex", "--entities-if-stale", "--json")
            children.append((which, run_cli(library_dir, *args)))
        elif op == "import" and window.importing is None:
            path = transcript(tmp_path / f"soak_{step}.txt", f"Soak{step}")
            imports.append(path)
            window.start_import([str(path)])
        else:
            continue
        counts[op] += 1
        qtbot.wait(1)  # deliver finished signals and reader results
        reap()
        assert not unexpected.seen, f"step {step} ({op}): {unexpected.seen}"
    reap(block=True)
    qtbot.waitUntil(lambda: window.importing is None, timeout=CHILD_MS)
    window.tasks.wait()
    assert not unexpected.stop()
    assert counts["tag"] > 50 and counts["child"] > 3 and counts["import"] > 1, counts
    assert searches, "the reader thread answered"
    # the window's own view agrees with its connection before quitting
    assert {a.id for a in library.annotations()} == expected
    quit_app(window, library)

    found = fresh_look(library_dir)
    assert found["integrity"] == ["ok"]
    assert set(found["annotations"]) == expected, counts
    for (episode_id, _), name in names.items():
        assert name in found["speakers"][episode_id]
    titles = len(found["speakers"])
    assert titles >= 64 + counts["import"]


# -- 4. a forced write failure: the dialog, and no "saved" ------------------------------


def _said_saved(messages: list[str]) -> list[str]:
    return [m for m in messages if "saved" in m.lower() and "not saved" not in m.lower()]


def _settled(qtbot, window) -> list[str]:
    """Once the start-up check and backup are done: record every status message.
    (They start after the window's first paint: waited for until they have.)"""
    qtbot.waitUntil(lambda: not window.first_paint.waiting, timeout=20000)
    window.tasks.wait()
    qtbot.wait(50)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    return messages


def test_read_only_connection_shows_the_dialog_and_no_saved(qtbot, window):
    ep = small_episode(window.library)
    open_in_window(qtbot, window, ep.id)
    messages = _settled(qtbot, window)
    before = len(window.library.annotations())
    shown = window.annotation_panel.list.count()
    window.library.store.conn.execute("PRAGMA query_only = ON")
    seen = {}

    def on_failure(box):
        seen.update(title=box.windowTitle(), text=box.text(), info=box.informativeText(),
                    buttons={b.objectName() for b in box.buttons()})
        box.findChild(QPushButton, "close").click()

    def tag(dialog):
        seen["failure"] = Answer(is_write_failure, on_failure)
        type_tag("readonly/tag")(dialog)
    popup = Answer(is_tag_popup, tag)
    key_select(qtbot, window, 0)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_T)
    popup.cancel()
    seen["failure"].cancel()
    window.library.store.conn.execute("PRAGMA query_only = OFF")
    assert seen.get("title") == "Not saved", seen
    path = str(window.library.db_path)
    assert path in seen["info"]
    assert "“readonly/tag”" in seen["text"]
    assert {"retry", "reveal", "close"} <= seen["buttons"]
    assert not _said_saved(messages), messages
    assert window.annotation_panel.list.count() == shown
    assert len(window.library.annotations()) == before
    assert "readonly/tag" not in {t.name for t in window.library.tags()}


def test_full_disk_shows_the_dialog_keeps_the_note_and_retry_saves(qtbot, window):
    ep = small_episode(window.library)
    open_in_window(qtbot, window, ep.id)
    messages = _settled(qtbot, window)
    conn = window.library.store.conn
    shown = window.annotation_panel.list.count()
    before = len(window.library.annotations())
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    note = "A long note that does not fit. " * ((free + 8) * page_size // 31 + 1)
    note = note.strip()

    def fill_disk():
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    def free_disk():
        conn.execute("PRAGMA max_page_count = 2147483646")

    seen: list[dict] = []

    def failure(then: str):
        def on_failure(box):
            seen.append(dict(info=f"{box.text()} {box.informativeText()}"))
            if then == "retry":
                free_disk()  # the user freed some space
            box.findChild(QPushButton, then).click()
        return on_failure

    def editor(then: str):
        def fn(dialog):
            failures.append(Answer(is_write_failure, failure(then)))
            write_note(note, typed=False)(dialog)
        return fn

    failures: list[Answer] = []
    # first attempt: the disk is full; Close
    fill_disk()
    key_select(qtbot, window, 1)
    first = Answer(is_note_editor, editor("close"))
    qtbot.keyClick(window.reader.view, Qt.Key.Key_A)
    first.cancel()
    assert first.done, "a opened the note editor"
    assert len(seen) == 1, "the Not-saved dialog was shown"
    assert "disk is full" in seen[0]["info"]
    assert str(window.library.db_path) in seen[0]["info"]
    assert not _said_saved(messages), messages
    assert window.annotation_panel.list.count() == shown
    assert len(window.library.annotations()) == before
    assert QApplication.clipboard().text() == note, "the note is on the clipboard"
    assert "clipboard" in window.statusBar().currentMessage()
    # second attempt: full again; space is freed while the dialog is up; Try Again
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader.view, timeout=30000)
    fill_disk()
    key_select(qtbot, window, 2)
    second = Answer(is_note_editor, editor("retry"))
    qtbot.keyClick(window.reader.view, Qt.Key.Key_A)
    second.cancel()
    assert second.done, "a opened the note editor again"
    for answer in failures:
        answer.cancel()
    free_disk()
    assert len(seen) == 2
    assert _said_saved(messages) == ["Annotation saved"]
    assert window.annotation_panel.list.count() == shown + 1
    assert note in {a.note_md for a in window.library.annotations()}
    assert len(window.library.annotations()) == before + 1


# -- 5. a failing search shows the failure, not the previous query's results -----------


def test_failed_search_keeps_no_results_of_the_previous_query(qtbot, window, monkeypatch):
    from aiviewer.errors import StoreError
    from aiviewer.library import Library

    real = Library.search

    def search(self, query, *args, **kwargs):
        if query != "grpo":
            raise StoreError(f"{self.db_path}: disk I/O error (forced by the test)")
        return real(self, query, *args, **kwargs)
    monkeypatch.setattr(Library, "search", search)
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.search
    qtbot.waitUntil(popup.isVisible, timeout=30000)
    qtbot.keyClicks(popup.edit, "grpo")
    qtbot.waitUntil(lambda: popup.results.count() > 0, timeout=30000)
    popup.edit.selectAll()
    qtbot.keyClicks(popup.edit, "dpo")
    qtbot.waitUntil(lambda: "Search failed" in popup.status.text(), timeout=30000)
    assert popup.results.count() == 0
    assert popup.last_results is None
    assert "disk I/O error" in popup.status.text()
    qtbot.keyClick(popup.edit, Qt.Key.Key_Escape)
