"""bm25 of every match, computed in two halves at once.

A ranked search scores every passage that matches (the total, the facets and any
page come from that one list), and FTS5's bm25 costs about 0.75 µs a match on
this machine: 44,000 matches for `open models` at 100x, 130,000 for `model`.
SQLite computes it while stepping, with the GIL released, so the segment ids
are split in two ranges at the middle and the upper half is scored on the
store's second connection in a worker thread while this thread scores the lower
half.  The scores are FTS5's own (each half sees the whole index for its idf and
average lengths), so the ranking is the same; on two idle cores the pass takes
about half the time.  It costs 10-25 % more CPU (each half pays FTS5's fixed
cost per query), so it is done only when a core is to spare: on this 2-core
machine under a load of 8 (four engineers and a test run) the split searches
took more CPU and more time than one pass.  A small library, an in-memory one,
or a search inside a write transaction is scored in one pass.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from aiviewer.search.filters import Filter
from aiviewer.store import Store, fts

SPLIT_FROM = 20_000  # passages in the library below which one pass is quicker
SPARE = 0.5  # the 1-minute load average must leave this much more than a core idle

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _worker() -> ThreadPoolExecutor:
    """One thread for every store's upper halves (each store's second connection
    is then only ever used by it)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bm25-half")
        return _pool


def match_scores(store: Store, table: str, match: str,
                 where: Filter = fts.ALWAYS) -> list[tuple[int, float]]:
    """(segment id, -bm25) of every segment matching, unsorted, as `fts.match_scores`."""
    db = store.db
    top = fts.max_segment_id(db)
    second = store.second_reader() if top >= SPLIT_FROM and core_to_spare() else None
    if second is None:
        return fts.match_scores(db, table, match, where)
    middle = top // 2
    upper = _worker().submit(fts.match_scores, second, table, match, where,
                             (middle + 1, 1 << 62))
    try:
        lower = fts.match_scores(db, table, match, where, (0, middle))
    finally:
        higher = upper.result()
    return lower + higher


def core_to_spare() -> bool:
    """Whether another thread would get a core of its own (the load average, with
    this search counted, leaves one); False where the load is unknown."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return False
    return load + 1 + SPARE <= (os.cpu_count() or 1)
