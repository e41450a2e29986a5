"""What the user waits for is painted first: at start the window with its library
list, then the last episode; opening an episode, its text, then the minimap's marks,
the suggestion underlines and the suggestion list (`ui/first_paint.py`)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from aiviewer.ui.controllers.episodes import EpisodesController
from tests.ui.conftest import make_window


def test_the_app_paints_its_list_then_reopens_the_last_episode(qtbot, library_dir,
                                                               monkeypatch):
    """Through `ui/app.run` as `aiviewer` starts it: the last session's episode is
    reopened after the first paint, which already listed every episode."""
    from aiviewer.library import Library
    from aiviewer.ui.app import run, settings_for

    with Library(library_dir) as lib:
        episodes = lib.episodes()
    lex = next(e for e in episodes if e.video_id == "EV7WhVT270Q")
    settings = settings_for(str(library_dir))
    settings.setValue("episode", lex.id)
    settings.sync()
    del settings
    opened = []
    real_open = EpisodesController.open

    def open_(self, episode_id):
        w = self.window
        opened.append((episode_id, w.first_paint.painted,
                       len(w.library_view.model.episode_rows())))
        return real_open(self, episode_id)
    monkeypatch.setattr(EpisodesController, "open", open_)
    monkeypatch.setenv("AIVIEWER_EXIT_AFTER_MS", "3000")
    seen = []

    def look():  # the window as the user sees it, while the app runs
        found = [w for w in QApplication.topLevelWidgets() if hasattr(w, "first_paint")]
        if found and found[0].isVisible():
            w = found[0]
            seen.append((w.current_episode, w.library_view.model.rowCount()))
        if not seen or seen[-1][0] is None:
            QTimer.singleShot(10, look)
    QTimer.singleShot(0, look)
    assert run(str(library_dir)) == 0
    assert opened == [(lex.id, True, len(episodes))]  # after the paint, all listed
    assert seen[-1][0] == lex.id


def test_the_first_list_has_every_episode_and_speakers_follow(qtbot, library_dir):
    """The first list is read without speakers (quick at 100x); the full one replaces
    it on the reader thread once the window is up — a speaker filter then finds them."""
    window = make_window(qtbot, library_dir)
    view = window.library_view
    total = window.library.counts()["episodes"]
    assert len(view.model.episode_rows()) == total
    qtbot.waitUntil(lambda: any(e.speakers for e in view._episodes), timeout=20000)
    view.filter.setText("Ross Taylor")
    rows = view.model.episode_rows()
    assert rows and all("Ross Taylor" in view.model.rows[r].speakers for r in rows)
    # scrolled to the end, the list still shows every episode
    view.filter.clear()
    view.list.scrollToBottom()
    last = view.model.episode_rows()[-1]
    assert view.list.rowAt(view.list.viewport().height() - 2) in range(last - 40, last + 1)
    assert len(view.model.episode_rows()) == total
    window.close()
    window.tasks.wait()
    window.library.close()


def _episode_with_suggestions(window):
    lib = window.library
    return next((e.id for e in lib.episodes() if lib.suggestions(e.id)), None)


def test_after_the_reader_paints_the_minimap_marks_and_suggestions_fill(qtbot, window):
    w = window
    lex = next(e for e in w.library.episodes() if e.video_id == "EV7WhVT270Q")
    painted = []
    w.reader.view.painted.connect(lambda: painted.append(
        (w.reader.minimap._fractions is None, w.reader._suggestions is None,
         w.entities.suggestion_list._pending is not None)))
    w.open_episode(lex.id)
    qtbot.waitUntil(lambda: bool(painted), timeout=5000)
    assert painted[0][0]  # the minimap's marks are not placed on the way to the paint
    qtbot.waitUntil(lambda: w.reader.minimap._fractions is not None, timeout=5000)
    w.reader.open_find()
    qtbot.keyClicks(w.reader.findbar.edit, "model")
    qtbot.waitUntil(lambda: w.reader.minimap._fractions is not None
                    and bool(w.reader.minimap.marks("hits")), timeout=5000)
    assert len(w.reader.minimap.fractions("hits")) == len(w.reader.minimap.marks("hits"))
    w.reader.close_find()

    episode_id = _episode_with_suggestions(w)
    if episode_id is not None:
        painted.clear()
        w.open_episode(episode_id)
        qtbot.waitUntil(lambda: bool(painted), timeout=5000)
        # at the paint, the underlines and the list were still to come …
        assert painted[0][1:] == (True, True)
        # … and they follow without anyone asking
        qtbot.waitUntil(lambda: w.reader._suggestions is not None
                        and w.entities.suggestion_list._pending is None, timeout=5000)
        assert w.entities.suggestion_list.list.count() > 0


def test_the_suggestions_are_there_at_once_when_asked_for(qtbot, window):
    """Stepping with G or reading the list right after opening does not wait."""
    w = window
    episode_id = _episode_with_suggestions(w)
    if episode_id is None:
        return
    w.open_episode(episode_id)
    assert w.entities.suggestion_list._pending is not None  # not filled yet
    assert w.entities.suggestion_list.count() == len(w.library.suggestions(episode_id))
    assert w.reader.suggestion_count() > 0


def test_first_paint_waits_for_the_window_unless_it_is_not_shown(qtbot):
    from PySide6.QtWidgets import QWidget

    from aiviewer.ui.first_paint import FirstPaint

    hidden = QWidget()
    qtbot.addWidget(hidden)
    ran = []
    FirstPaint(hidden).then(lambda: ran.append("hidden"))
    qtbot.waitUntil(lambda: ran == ["hidden"], timeout=2000)  # nothing to wait for

    shown = QWidget()
    qtbot.addWidget(shown)
    first = FirstPaint(shown)
    first.then(lambda: ran.append(("later", first.painted)))
    first.then(lambda: ran.append(("first", first.painted)), first=True)
    shown.show()
    qtbot.waitUntil(lambda: len(ran) == 3, timeout=5000)
    assert ran[1:] == [("first", True), ("later", True)]


def test_the_outline_follows_in_a_window_never_shown(qtbot, library_dir):
    """Nothing waits for a paint that cannot come: a window never shown (a test's)
    still runs what follows the paint, the outline's place included."""
    from aiviewer.library import Library
    from aiviewer.ui.app import settings_for
    from aiviewer.ui.main_window import MainWindow

    lib = Library(library_dir)
    w = MainWindow(lib, settings_for(str(library_dir)))
    qtbot.addWidget(w)
    lex = next(e for e in lib.episodes() if e.video_id == "EV7WhVT270Q")
    w.open_episode(lex.id)
    qtbot.waitUntil(lambda: not w.reader.after_paint.waiting, timeout=5000)
    w.reading.follow()
    assert w.reading.panel.list.count() and w.reading._positions  # placed, not waiting
    w.tasks.wait()
    lib.close()
