"""Reciprocal rank fusion: one ranking from a words ranking and a meaning ranking.

RRF (Cormack, Clarke & Büttcher 2009) adds 1 / (K + rank) over the rankings a
passage appears in.  It needs no score calibration — bm25 and cosine live on
different scales — and K = 60 is the value the paper found robust.
"""

from __future__ import annotations

from collections.abc import Sequence

K = 60
# hybrid is the default in the app and the CLI: on the relevance set it beats words
# only (README, `aiviewer bench semantic`) at a few milliseconds more per query
HYBRID_DEFAULT = True


def fuse(words: Sequence[int], meaning: Sequence[int], k: int = K) -> list[tuple[int, float, str]]:
    """(segment id, fused score, "words" | "meaning" | "both"), best first; ties keep
    the words ranking's order."""
    score: dict[int, float] = {}
    how: dict[int, str] = {}
    for rank, sid in enumerate(words):
        score[sid] = score.get(sid, 0.0) + 1.0 / (k + rank + 1)
        how[sid] = "words"
    for rank, sid in enumerate(meaning):
        score[sid] = score.get(sid, 0.0) + 1.0 / (k + rank + 1)
        how[sid] = "both" if sid in how else "meaning"
    order = sorted(score, key=lambda s: -score[s])
    return [(sid, score[sid], how[sid]) for sid in order]
