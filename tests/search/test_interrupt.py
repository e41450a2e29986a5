"""A ranked search the user has typed past is stopped part-way from another thread
(`Library.interrupt_search`, SQLite's interrupt) and says so with its own error,
which the search box ignores; the library searches normally afterwards."""

from __future__ import annotations

import pytest

from aiviewer.errors import SearchInterrupted
from aiviewer.library import Library
from aiviewer.store import fts

_LONG = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000) "
         "SELECT x FROM c")


def test_an_interrupted_search_raises_search_interrupted(tmp_path, monkeypatch):
    lib = Library(tmp_path / "lib")
    try:
        real = fts.match_scores

        def interrupted_midway(db, *args, **kwargs):
            cursor = db.execute(_LONG)
            cursor.fetchone()  # a statement is running ...
            lib.interrupt_search()  # ... when the user types on
            cursor.fetchall()
            return real(db, *args, **kwargs)
        monkeypatch.setattr(fts, "match_scores", interrupted_midway)
        with pytest.raises(SearchInterrupted):
            lib.search("reasoning")
        monkeypatch.setattr(fts, "match_scores", real)
        assert lib.search("reasoning").total == 0
        lib.interrupt_search()  # nothing running: a no-op
        assert lib.search("reasoning").total == 0
    finally:
        lib.close()
