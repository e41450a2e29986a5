"""The ordered text units of an episode, with offsets into its canonical text."""

from __future__ import annotations

import json

from sqlite_utils import Database

from aiviewer.model import ParsedSegment, Segment
from aiviewer.search.cjk import index_text

SEPARATOR = "\n\n"  # between segments in an episode's canonical text


_COLUMNS = ("episode_id", "seq", "kind", "speaker", "start_ms", "end_ms", "text",
            "char_start", "sounds", "cjk")
_INSERT = (f"INSERT INTO segments ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(_COLUMNS))})")


def replace_segments(db: Database, episode_id: str,
                     segments: tuple[ParsedSegment, ...]) -> list[tuple[int, str]]:
    """Write an episode's segments (replacing any), returning (id, text) pairs.

    Tuples through one prepared statement: sqlite-utils' `insert_all` checked and
    converted every value of every row in Python (`jsonify_if_needed`, building
    multi-row statements), two thirds of this function's CPU at 20x."""
    db.execute("DELETE FROM segments WHERE episode_id = ?", [episode_id])
    rows = []
    texts = []
    offset = 0
    for seq, seg in enumerate(segments):
        text = seg.text
        rows.append((episode_id, seq, seg.kind, seg.speaker, seg.start_ms, seg.end_ms, text,
                     offset, json.dumps(list(seg.sounds)) if seg.sounds else None,
                     index_text(text)))
        texts.append(text)
        offset += len(text) + len(SEPARATOR)
    db.conn.executemany(_INSERT, rows)
    # the ids only: the texts are the ones just written (reading them back built a
    # second copy of every string)
    ids = [r[0] for r in db.execute(
        "SELECT id FROM segments WHERE episode_id = ? ORDER BY seq", [episode_id])]
    return list(zip(ids, texts, strict=True))


def load_segments(db: Database, episode_id: str, names: dict[str, str]) -> tuple[Segment, ...]:
    out = []
    for row in db.execute(
        "SELECT id, seq, kind, speaker, start_ms, end_ms, text, char_start, sounds "
        "FROM segments WHERE episode_id = ? ORDER BY seq", [episode_id]
    ):
        sid, seq, kind, label, start, end, text, char_start, sounds = row
        out.append(Segment(
            id=sid, episode_id=episode_id, seq=seq, kind=kind,
            speaker=names.get(label, label) if label else None, speaker_label=label,
            start_ms=start, end_ms=end, text=text, char_start=char_start,
            sounds=tuple(json.loads(sounds)) if sounds else (),
        ))
    return tuple(out)


def segment_texts(db: Database, episode_id: str) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in db.execute(
        "SELECT id, text FROM segments WHERE episode_id = ? ORDER BY seq", [episode_id])]


def segment_text(db: Database, episode_id: str) -> str:
    return SEPARATOR.join(t for _, t in segment_texts(db, episode_id))
