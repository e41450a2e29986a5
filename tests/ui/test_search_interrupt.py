"""A ranked search still running when the user types on is stopped, so the next
keystroke's search is not queued behind one nobody will see."""

from __future__ import annotations

from PySide6.QtCore import Qt

from aiviewer.store import fts
from tests.ui.conftest import focused

_ENDLESS = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
            "SELECT count(*) FROM c")


def test_typing_on_stops_the_ranked_search_in_flight(qtbot, window, monkeypatch):
    real = fts.match_scores
    calls = []

    def first_never_ends(db, *args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            db.execute(_ENDLESS).fetchall()  # until interrupted
        return real(db, *args, **kwargs)
    monkeypatch.setattr(fts, "match_scores", first_never_ends)
    qtbot.keyClick(focused(window), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.search
    qtbot.keyClicks(popup.edit, "reasoning")
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=15000)  # the endless one runs
    qtbot.keyClicks(popup.edit, " models")
    qtbot.waitUntil(lambda: popup.ranked and popup.last_results is not None
                    and popup.last_results.query == "reasoning models", timeout=15000)
    assert popup.results.count() > 0 and "Search failed" not in popup.status.text()
