"""The Insights window: opened by a key or the palette, its charts counted on the
reader thread (the first count of a large library takes a moment; a repeat is
cached by the library), and a chosen passage opened in the reader."""

from __future__ import annotations

from aiviewer.insights import Passage
from aiviewer.ui.controllers import Controller
from aiviewer.ui.tasks import thread_library


class InsightsController(Controller):
    def __init__(self, window):
        super().__init__(window)
        self.view = None

    def open(self) -> None:
        if self.view is None:  # pyqtgraph is imported with the window, not at start
            from aiviewer.ui.views.insights_window import InsightsWindow

            self.view = InsightsWindow(self.compute, self.library.insight_passages, self.window)
            self.view.passage_chosen.connect(self.open_passage)
            self.window.actions_by_id["theme_dark"].toggled.connect(
                lambda _dark: self.view.set_theme(self.window.mode))
        self.view.set_theme(self.window.mode)
        episode = self.window.current_episode
        self.view.set_scopes(self.scopes(), f"episode:{episode}" if episode else "library")
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        self.view.which.setFocus()
        self.view.refresh()

    def on_changes(self, changes, initiator) -> None:
        """An open Insights window counts again what a change may have moved (speakers,
        mentions, tags, episodes); a closed one counts when opened."""
        if self.view is not None and self.view.isVisible() and not changes.empty:
            self.view.refresh()

    def scopes(self) -> list[tuple[str, str]]:
        out = [("Library", "library")]
        episode = self.window.current_episode
        if episode:
            title = self.library.episode(episode).summary.title
            out.append((f"This episode: {title[:50]}", f"episode:{episode}"))
        out += [(f"Show: {s}", f"show:{s}") for s in self.library.insight_shows()]
        out += [(f"Tag: {t.name}", f"tag:{t.name}") for t in self.library.tags()]
        out += [(f"Search: {q}", f"search:{q}") for q in self.window.search.recent[:5]]
        return out

    def compute(self, name: str, scope, params: dict, on_done, on_failed) -> None:
        data_dir = self.window.data_dir
        self.window.tasks.run_read(
            lambda progress: thread_library(data_dir).insight(name, scope, **params),
            on_done, on_failed)

    def open_passage(self, passage: Passage) -> None:
        self.window.episodes.open(passage.episode_id)
        self.window.reader.show_segment(passage.segment_id)
        self.window.activateWindow()
        self.window.reader.view.setFocus()

    def close(self) -> None:
        if self.view is not None:
            self.view.close()
