"""The library list and the open episode: opening, reopening after a change,
removing an episode, showing its source files (speakers and turns: `turns.py`)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from aiviewer.errors import AiviewerError
from aiviewer.ui.controllers import Controller
from aiviewer.ui.saving import save
from aiviewer.ui.tasks import thread_library
from aiviewer.wording import library_line


class EpisodesController(Controller):
    def __init__(self, window):
        super().__init__(window)
        self.current: str | None = None  # the episode in the reader
        self._pending: tuple[str, str] | None = None  # (just imported, the import's result)

    # -- redrawing after a change ---------------------------------------------------------

    def on_changes(self, changes, initiator) -> None:
        """The list follows renames, removals, details and imports; the reader shows
        the open episode again when its text, speakers or details changed, clears when
        it was removed, and opens an episode an undo brought back into an empty reader."""
        if changes.library or changes.speakers:
            if changes.episodes or not changes.library:
                self.refresh_library()
            else:  # the whole library (an import): listed on the reader thread
                self.refresh_library_later(then=self.window.searching.prepare)
        w = self.window
        if self.current is not None and self.current in changes.episodes:
            if not self.library.episode_exists(self.current):
                self.current = None
                w.reader.clear()
                w.entities.set_entities([])
            elif changes.speakers or changes.library:
                self.reopen()
        elif self.current is None and changes.library and changes.episodes:
            back = [e for e in sorted(changes.episodes) if self.library.episode_exists(e)]
            if back:
                self.open(back[0])

    # -- the list -----------------------------------------------------------------------

    def refresh_library(self) -> None:
        self._show_library(self.library.episodes())

    def list_at_start(self) -> None:
        """The list the first frame shows: titles and dates only (the speakers, which
        the filter and the tooltips use, cost most of listing 6,400 episodes); the
        full list follows on the reader thread once the window is painted."""
        self._show_library(self.library.episodes(speakers=False))
        self.window.first_paint.then(self.refresh_library_later)

    def refresh_library_later(self, then=None) -> None:
        """During an import: read the list on the reader thread (a large library takes
        a while to list) and only fill the tree here; `then()` runs after that."""
        data_dir = self.window.data_dir

        def job(progress):
            lib = thread_library(data_dir)
            return lib.episodes()

        def show(result):
            self._show_library(result)
            self._open_pending()
            if then is not None:
                then()
        self.window.tasks.run_read(job, show)

    def open_when_listed(self, episode_id: str, message: str) -> None:
        """Open `episode_id` (just imported) once the list shows it, and say `message`
        (the import's result) rather than the opened episode's line."""
        self._pending = (episode_id, message)

    def _open_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None or self.closing:
            return
        # not while the user is in the middle of something (a dialog, a popup): the
        # episode under a tag being typed must not change
        if QApplication.activeModalWidget() or QApplication.activePopupWidget():
            return
        episode_id, message = pending
        if self.library.episode_exists(episode_id):
            self.open(episode_id)
            self.say(message, 8000)

    def _show_library(self, episodes) -> None:
        """The list and the status bar's line, both from the same episodes: the
        line counts shows as the list groups them (no separate count query)."""
        self.window.library_view.set_episodes(episodes)
        self.window.status_label.setText(library_line([e.show for e in episodes]))

    # -- the reader ---------------------------------------------------------------------

    def open(self, episode_id: str) -> float:
        """Show an episode; returns the seconds it took (the benchmark reads it)."""
        w = self.window
        if episode_id == self.current and w.reader.episode is not None:
            return 0.0
        started = time.perf_counter()
        try:
            episode = self.library.episode(episode_id)
        except AiviewerError as exc:
            self.say(str(exc), 5000)
            return 0.0
        self.current = episode_id
        w.reader.show_episode(episode, self.library.segment_mentions(episode_id, True))
        w.entities.set_entities(self.library.episode_entities(episode_id))
        w.entity_control.suggestions.show_list(self.library.suggestions(episode_id))
        w.annotating.refresh()
        w.library_view.select(episode_id, emit=False)
        w.setWindowTitle(f"{episode.title} — aiviewer")
        # nothing said: the title bar names the episode, the reader shows it; "… opened
        # in 119 ms" was the developer's figure, not the user's news (blind review).
        # A failure to open says so above; the benchmark reads the time returned
        return time.perf_counter() - started

    def reopen(self) -> None:
        """Show the open episode again, as it is stored now, where the reader was."""
        if self.current:
            reader = self.window.reader
            scroll = reader.scroll_position()
            episode_id, self.current = self.current, None
            self.open(episode_id)
            reader.set_scroll_position(scroll)

    def open_first(self) -> None:
        episodes = self.library.episodes(speakers=False)
        if episodes:
            best = max(episodes, key=lambda e: (e.date or "", e.n_words))
            self.open(best.id)

    def restore(self, episode_id, scroll: int) -> None:
        """Reopen the episode and scroll position of the last session — unless the
        user opened one already (the window reopens it after its first paint)."""
        if self.current is not None:
            return
        if episode_id and self.library.episode_exists(str(episode_id)):
            self.open(str(episode_id))
            QTimer.singleShot(0, lambda: self.window.reader.set_scroll_position(scroll))
        else:
            self.open_first()

    # -- episode actions ----------------------------------------------------------------

    def _target(self) -> str | None:
        return self.window.library_view.current_episode() or self.current

    def context_menu(self, episode_id: str, pos) -> None:
        menu = QMenu(self.window)
        for key in ("edit_details", "rename_speaker", "remove_episode", "reveal_sources"):
            menu.addAction(self.window.actions_by_id[key])
        menu.exec(pos)

    def remove_episode(self) -> None:
        episode_id = self._target()
        if not episode_id:
            return
        title = self.library.episode(episode_id).title
        answer = QMessageBox.question(
            self.window, "Remove Episode",
            f"Remove “{title}” from the library?\n\nIts source files are not touched; "
            "Edit → Undo brings it back. Notes on it are kept.")
        if answer == QMessageBox.StandardButton.Yes:
            ok, _ = save(self.window, "Removing the episode",
                         lambda: self.library.remove_episode(episode_id), self)
            if ok:
                self.say(f"Removed “{title}” — Ctrl+Z brings it back")
        # the question is gone: keys go to the library list (Ctrl+Z, arrows, Enter)
        self.focus(self.window.library_view.list)

    def reveal_sources(self) -> None:
        episode_id = self._target()
        if not episode_id:
            return
        ep = self.library.episode(episode_id)
        lines = "\n".join(f"{s.role}: {s.path}  ({s.form})" for s in ep.sources)
        QMessageBox.information(self.window, "Sources", lines or "No source files recorded.")
