"""Queries for the passages a search finds through an entity's mentions rather than
its words ("cloud code" for `Claude Code`): what each one said, and its bm25 score.

The engine puts these passages among the word hits by score, so it needs a score
made the same way (bm25 of the same index, higher is better) and the spelling that
was heard, to say so beside the hit.  Candidate ids are passed as one JSON array
(`json_each`): there can be thousands at 100x, more than SQLite's bound parameters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from aiviewer.store.fts import SEGMENT_WEIGHTS


def heard(db: Database, ids: Sequence[int],
          names: Sequence[str]) -> dict[int, tuple[int, int, str, str]]:
    """The first mention of one of `names` in each segment: (start, end, surface,
    entity), offsets in the segment's text."""
    if not ids or not names:
        return {}
    out: dict[int, tuple[int, int, str, str]] = {}
    rows = db.execute(
        "SELECT segment_id, start, end, surface, entity FROM mentions "
        "WHERE segment_id IN (SELECT value FROM json_each(?)) "
        f"AND entity IN ({', '.join('?' * len(names))}) ORDER BY segment_id, start",
        [json.dumps(list(ids)), *names])
    for sid, start, end, surface, entity in rows:
        out.setdefault(sid, (start, end, surface, entity))
    return out


def scores_among(db: Database, table: str, match: str,
                 ids: Sequence[int]) -> dict[int, float]:
    """-bm25 of `match` for the segments `ids` that it matches.

    One pass over the match, the ids filtered from it (the `+` keeps FTS5 from
    seeking each id: at 100x a seek cost 0.7-30 ms an id, 16 ids 32 ms against
    3 ms for the pass, 1,394 ids 8 s against 16 ms)."""
    if not ids:
        return {}
    weights = ", ".join(str(w) for w in SEGMENT_WEIGHTS)
    column = f"+{table}.rowid"
    return dict(db.execute(
        f"SELECT {table}.rowid, -bm25({table}, {weights}) FROM {table} "
        f"WHERE {table} MATCH ? AND {column} IN (SELECT value FROM json_each(?))",
        [match, json.dumps(list(ids))]).fetchall())

