"""The ordered text units of an episode, with offsets into its canonical text."""

from __future__ import annotations

import json

from sqlite_utils import Database

from aiviewer.model import ParsedSegment, Segment
from aiviewer.search.cjk import index_text

SEPARATOR = "\n\n"  # between segments in an episode's canonical text


def replace_segments(db: Database, episode_id: str,
                     segments: tuple[ParsedSegment, ...]) -> list[tuple[int, str]]:
    """Write an episode's segments (replacing any), returning (id, text) pairs."""
    db.execute("DELETE FROM segments WHERE episode_id = ?", [episode_id])
    rows = []
    offset = 0
    for seq, seg in enumerate(segments):
        rows.append({
            "episode_id": episode_id,
            "seq": seq,
            "kind": seg.kind,
            "speaker": seg.speaker,
            "start_ms": seg.start_ms,
            "end_ms": seg.end_ms,
            "text": seg.text,
            "char_start": offset,
            "sounds": json.dumps(list(seg.sounds)) if seg.sounds else None,
            "cjk": index_text(seg.text),
        })
        offset += len(seg.text) + len(SEPARATOR)
    db["segments"].insert_all(rows, batch_size=500)
    # the ids only: the texts are the ones just written (reading them back built a
    # second copy of every string)
    ids = [r[0] for r in db.execute(
        "SELECT id FROM segments WHERE episode_id = ? ORDER BY seq", [episode_id])]
    return list(zip(ids, (r["text"] for r in rows), strict=True))


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
