"""A search asked to stop stops, whenever the stop comes: SQLite's interrupt alone ends
only the statement running at that instant, and one asked between two statements was
lost (an endless search in a test then held the reader thread for the rest of the run)."""

from __future__ import annotations

import threading

import pytest

from aiviewer.errors import SearchInterrupted
from aiviewer.library import Library
from aiviewer.store import fts


@pytest.fixture(scope="module")
def lib(seeded_copy):
    with Library(seeded_copy("stop")) as library:
        yield library


def test_a_stop_set_before_the_search_reaches_sqlite_still_stops_it(lib):
    stop = threading.Event()
    stop.set()
    with pytest.raises(SearchInterrupted):
        lib.search("reasoning", stop=stop)
    assert lib.search("reasoning").total > 0  # the next search runs: the check is gone


def test_a_stop_set_between_statements_stops_the_next_one(lib, monkeypatch):
    """The stop comes while Python runs between two statements (no statement to
    interrupt); the next statement, an endless one, is stopped all the same."""
    stop = threading.Event()
    real = fts.match_scores

    def slow_then_endless(db, *args, **kwargs):
        stop.set()  # meanwhile, the user typed on
        lib.interrupt_search()  # a no-op here: nothing runs
        db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                   "SELECT count(*) FROM c").fetchall()
        return real(db, *args, **kwargs)
    monkeypatch.setattr(fts, "match_scores", slow_then_endless)
    # should the stop be lost, a watchdog ends the endless statement (as the lost stop
    # did not), so that the failure is reported instead of hanging the run
    watchdog = threading.Timer(30, lib.interrupt_search)
    watchdog.start()
    try:
        with pytest.raises(SearchInterrupted):
            lib.search("distillation", stop=stop)  # not a cached run
    finally:
        fired = not watchdog.is_alive()
        watchdog.cancel()
    assert not fired, "the stop was lost: only the watchdog ended the search"
