"""Searching the library: queries run on the reader thread, a chosen hit opens
its passage with the terms marked, and the search caches are built ahead."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer

from aiviewer.errors import SearchInterrupted
from aiviewer.model import SearchHit
from aiviewer.ui.controllers import Controller
from aiviewer.ui.tasks import thread_library

PAGE = 30  # rows a page of the popup: one screenful and a half
FIRST = 12  # a keystroke's first hits: a screenful, each row costs layout before paint
_STALE = object()  # a job's answer when the user had typed past it
PREPARE_AFTER_EDITS_MS = 10_000


class SearchController(Controller):
    """The search box's two phases: on a keystroke the popup asks `first` (unranked
    hits from the prefix index, on their own thread) and `run` (ranked, with the
    total and the facets, on the reader thread); `run` with an offset is the next
    page.  `stale()` (the popup's "has the user typed since?") is asked when the
    job's turn comes, so a burst of keys runs one ranked search, not one per key;
    one already running when a key comes is stopped."""

    def __init__(self, window):
        super().__init__(window)
        # an edit of the text (a turn split, merged or corrected, an episode removed)
        # leaves the impact index stale (search/impacts.py): searches rank through
        # FTS5 alone until `prepare` builds it again, once the edits pause
        self._after_edits = QTimer(self, singleShot=True, interval=PREPARE_AFTER_EDITS_MS)
        self._after_edits.timeout.connect(self.prepare)
        self._flight_lock = threading.Lock()
        # (generation, the reader thread's Library, its stop) of the ranked search running
        self._in_flight: tuple[int, object, threading.Event] | None = None

    def run(self, query: str, generation: int, callback, offset: int = 0,
            stale=None, limit: int = PAGE) -> None:
        """The search popup's query (or its `limit` results at `offset`: a page, or
        the rest when its "Show all" row is chosen), on the reader thread;
        stopped part-way (`_stop_older`) when the user types past it."""
        data_dir = self.window.data_dir
        hybrid = self.window.search.hybrid

        def job(progress):
            if stale is not None and stale():
                return None  # typed past: nobody will look at it
            lib = thread_library(data_dir)
            stop = threading.Event()
            with self._flight_lock:
                self._in_flight = (generation, lib, stop)
            try:
                return lib.search(query, limit=limit, offset=offset, hybrid=hybrid, stop=stop)
            except SearchInterrupted:
                return None
            finally:
                with self._flight_lock:
                    self._in_flight = None
        self._read(job, generation, lambda g, results: results is not None
                   and callback(g, results))

    def first(self, query: str, generation: int, callback, stale=None) -> None:
        """A keystroke's first hits: unranked, from the prefix index, on the quick
        thread; None when the query has syntax only the ranked search answers.  A
        failure is left to the ranked search to report."""
        data_dir = self.window.data_dir
        self._stop_older(generation)

        def job(progress):
            if stale is not None and stale():
                return _STALE
            return thread_library(data_dir).first_hits(query, limit=FIRST)
        self.window.tasks.run_quick(
            job, lambda hits: hits is not _STALE and callback(generation, hits))

    def _stop_older(self, generation: int) -> None:
        """A keystroke: a ranked search still running for an earlier one is stopped
        (SQLite's interrupt), so the reader thread and its cores are free for this
        keystroke's search rather than finishing one nobody will see."""
        with self._flight_lock:
            if self._in_flight is not None and self._in_flight[0] < generation:
                # the stop holds for its statements still to come; the interrupt ends
                # the one running now at once
                self._in_flight[2].set()
                self._in_flight[1].interrupt_search()

    def _read(self, job, generation: int, callback) -> None:
        self.window.tasks.run_read(
            job, lambda results: callback(generation, results),
            lambda message: self.window.search.show_error(generation, message))

    # -- more like this --------------------------------------------------------------

    def run_similar(self, hit: SearchHit, generation: int, callback) -> None:
        """More like a search hit: its passage, an annotation, or its snippet."""
        data_dir = self.window.data_dir
        if hit.segment_id is not None:
            args = {"segment_ids": (hit.segment_id,)}
        elif hit.annotation_id is not None:
            args = {"annotation_id": hit.annotation_id}
        else:
            args = {"text": hit.snippet}
        self._read(lambda progress: thread_library(data_dir).similar(limit=30, **args),
                   generation, callback)

    def more_like_this(self) -> None:
        """M in the reader: passages like the selection, or like the passage at the
        cursor when nothing is selected."""
        reader = self.window.reader
        text = reader.view.textCursor().selectedText().replace("\u2029", " ").strip()
        if not text:
            cursor = reader.view.textCursor()
            cursor.select(cursor.SelectionType.BlockUnderCursor)
            text = cursor.selectedText().replace("\u2029", " ").strip()
        if not text:
            self.window.statusBar().showMessage("Select a passage to find more like it", 4000)
            return
        self.similar_to(text=text)

    def similar_to(self, text: str = "", annotation_id: str | None = None) -> None:
        """Show the passages closest in meaning in the search popup."""
        data_dir = self.window.data_dir
        shown = text if len(text) <= 50 else text[:48] + "…"
        popup = self.window.search
        generation = popup.begin_similar(f"More like “{shown}”" if text else
                                         "More like this annotation")
        self._read(lambda progress: thread_library(data_dir).similar(
            text, annotation_id=annotation_id, limit=30), generation, popup._on_results)

    def open_hit(self, hit: SearchHit) -> None:
        self.window.episodes.open(hit.episode_id)
        terms = tuple(dict.fromkeys(hit.snippet[a:b] for a, b in hit.highlights))
        if hit.segment_id is not None:
            self.window.reader.show_segment(hit.segment_id, terms)
        self.window.reader.view.setFocus()

    def on_changes(self, changes, initiator) -> None:
        if changes.episodes:
            self._after_edits.start()

    def prepare(self) -> None:
        """Build the search caches (speller, entity names, facets: about a second at
        100x) on the search thread now, rather than in the user's first query."""
        if self.closing:  # a child job that outlived the window reports late
            return
        data_dir = self.window.data_dir
        self.window.tasks.run_read(lambda progress: thread_library(data_dir).prepare_search(),
                                   None)
