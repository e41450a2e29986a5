"""Searching the library: queries run on the reader thread, a chosen hit opens
its passage with the terms marked, and the search caches are built ahead."""

from __future__ import annotations

from aiviewer.model import SearchHit
from aiviewer.ui.controllers import Controller
from aiviewer.ui.tasks import thread_library


class SearchController(Controller):
    def run(self, query: str, generation: int, callback) -> None:
        """The search popup's query, answered on the reader thread."""
        data_dir = self.window.data_dir

        def job(progress):
            return thread_library(data_dir).search(query, limit=30)
        self.window.tasks.run_read(
            job, lambda results: callback(generation, results),
            lambda message: self.window.search.show_error(generation, message))

    def open_hit(self, hit: SearchHit) -> None:
        self.window.episodes.open(hit.episode_id)
        terms = tuple(dict.fromkeys(hit.snippet[a:b] for a, b in hit.highlights))
        if hit.segment_id is not None:
            self.window.reader.show_segment(hit.segment_id, terms)
        self.window.reader.view.setFocus()

    def prepare(self) -> None:
        """Build the search caches (speller, entity names, facets: about a second at
        100x) on the search thread now, rather than in the user's first query."""
        if self.closing:  # a child job that outlived the window reports late
            return
        data_dir = self.window.data_dir
        self.window.tasks.run_read(lambda progress: thread_library(data_dir).prepare_search(),
                                   None)
