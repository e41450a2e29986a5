"""An episode's outline: where a reader can jump to.

The episode's chapters when its file had any; where it had none, a speaker turn
every few minutes (or, in a transcript without times, every few pages of words), so
a 3-hour episode without chapters still has a table of contents to move through.

Each entry names the segment it starts at; a chapter whose time no segment reaches
(a show-notes page without a transcript's times) keeps `segment_id=None` and is
listed but cannot be jumped to.

Worked example: chapters [0:00 "Intro", 2:12 "Papers with Code"] over turns timed
0:00, 1:10, 2:15 → [Entry("Intro", 0, seg at 0:00), Entry("Papers with Code",
132000, seg at 2:15)].
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from aiviewer.model import Episode, Segment

EVERY_MS = 5 * 60 * 1000  # a turn every five minutes where there are no chapters
EVERY_WORDS = 750  # ~5 minutes of speech, for a transcript without times
LABEL_WORDS = 8


@dataclass(frozen=True)
class Entry:
    title: str
    start_ms: int | None
    segment_id: int | None
    chapter: bool  # a chapter of the file (else a turn the outline chose)


def outline(episode: Episode) -> list[Entry]:
    segments = [s for s in episode.segments if s.text.strip()]
    if episode.chapters:
        return _chapters(episode, segments)
    return _turns(segments)


def _chapters(episode: Episode, segments: list[Segment]) -> list[Entry]:
    timed = [s for s in segments if s.start_ms is not None]
    starts = [s.start_ms for s in timed]
    out = []
    for c in sorted(episode.chapters, key=lambda c: c.start_ms):
        i = bisect_left(starts, c.start_ms)
        seg = timed[i].id if i < len(timed) else None
        out.append(Entry(c.title, c.start_ms, seg, True))
    return out


def _turns(segments: list[Segment]) -> list[Entry]:
    out: list[Entry] = []
    next_ms, words = 0, EVERY_WORDS  # the first turn always opens the outline
    for seg in segments:
        n = len(seg.text.split())
        due = (seg.start_ms >= next_ms) if seg.start_ms is not None else words >= EVERY_WORDS
        if due and seg.kind != "heading" or seg.kind == "heading":
            out.append(Entry(_label(seg), seg.start_ms, seg.id, False))
            words = 0
            if seg.start_ms is not None:
                next_ms = seg.start_ms + EVERY_MS
        words += n
    return out


def _label(seg: Segment) -> str:
    words = seg.text.split()
    first = " ".join(words[:LABEL_WORDS]) + ("…" if len(words) > LABEL_WORDS else "")
    if seg.kind == "heading":
        return " ".join(words)[:120]
    return f"{seg.speaker}: {first}" if seg.speaker else first
