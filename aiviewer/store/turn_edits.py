"""The user's turn edits (split, assign, merge) and episode detail edits, as stored.

They are user data over imported text: written the moment they are made, replayed
by an import that rewrites the episode's text (`store/importing.py`), kept in undo
snapshots and backups.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from aiviewer.ingest.overlay import TurnEdit
from aiviewer.model import ParsedSegment
from aiviewer.store.sources import now

DETAIL_FIELDS = ("title", "show", "date", "url", "description")


def edits(db: Database, episode_id: str) -> list[TurnEdit]:
    return [TurnEdit(op, json.loads(anchor), speaker, eid) for eid, op, anchor, speaker in
            db.execute("SELECT id, op, anchor, speaker FROM turn_edits WHERE episode_id = ? "
                       "ORDER BY id", [episode_id])]


def edit_rows(db: Database, episode_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM turn_edits WHERE episode_id = ? ORDER BY id",
                         [episode_id]))


def add(db: Database, episode_id: str, edit: TurnEdit) -> None:
    db.execute("INSERT INTO turn_edits (episode_id, op, anchor, speaker, status, created) "
               "VALUES (?, ?, ?, ?, 'applied', ?)",
               [episode_id, edit.op, json.dumps(edit.anchor, ensure_ascii=False), edit.speaker,
                now()])


def set_statuses(db: Database, episode_id: str, unfit_ids: set[int]) -> None:
    db.execute("UPDATE turn_edits SET status = 'applied' WHERE episode_id = ?", [episode_id])
    db.conn.executemany("UPDATE turn_edits SET status = 'unfit' WHERE id = ?",
                        [(i,) for i in unfit_ids])


def put_rows(db: Database, episode_id: str, rows: list[dict]) -> None:
    """Replace the episode's edits with snapshot rows (undo)."""
    from aiviewer.store.rows import insert

    db.execute("DELETE FROM turn_edits WHERE episode_id = ?", [episode_id])
    for row in rows:
        insert(db, "turn_edits", row)


def parsed_segments(db: Database, episode_id: str) -> list[ParsedSegment]:
    """The stored segments of an episode as the overlay works on them."""
    out = []
    for kind, speaker, start, end, text, sounds in db.execute(
            "SELECT kind, speaker, start_ms, end_ms, text, sounds FROM segments "
            "WHERE episode_id = ? ORDER BY seq", [episode_id]):
        out.append(ParsedSegment(text, speaker, start, end, kind,
                                 tuple(json.loads(sounds)) if sounds else ()))
    return out


def segment_rows(db: Database, episode_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM segments WHERE episode_id = ? ORDER BY seq",
                         [episode_id]))


def put_segment_rows(db: Database, episode_id: str, rows: list[dict]) -> None:
    """Replace the episode's segments with snapshot rows (undo; new ids, derived rows
    are re-derived by the caller)."""
    from aiviewer.store.rows import insert

    db.execute("DELETE FROM segments WHERE episode_id = ?", [episode_id])
    for row in rows:
        insert(db, "segments", row, without=("id",))
    db.execute("UPDATE episodes SET n_segments = ? WHERE id = ?", [len(rows), episode_id])


def set_segment_count(db: Database, episode_id: str, n: int) -> None:
    db.execute("UPDATE episodes SET n_segments = ? WHERE id = ?", [n, episode_id])


def shift_annotations(db: Database, episode_id: str, move) -> None:
    """Move the stored positions of an episode's placed annotations by `move`."""
    rows = db.execute("SELECT id, start, end FROM annotations WHERE episode_id = ? "
                      "AND start IS NOT NULL AND status != 'orphaned'", [episode_id]).fetchall()
    db.conn.executemany("UPDATE annotations SET start = ?, end = ? WHERE id = ?",
                        [(move(s), move(e), aid) for aid, s, e in rows])


# -- episode details ---------------------------------------------------------------------


def details(db: Database, episode_id: str) -> dict[str, str | None]:
    return dict(db.execute("SELECT field, value FROM episode_edits WHERE episode_id = ?",
                           [episode_id]))


def set_detail(db: Database, episode_id: str, field: str, value: str | None) -> None:
    db.execute("INSERT INTO episode_edits (episode_id, field, value) VALUES (?, ?, ?) "
               "ON CONFLICT (episode_id, field) DO UPDATE SET value = excluded.value",
               [episode_id, field, value])


def put_details(db: Database, episode_id: str, values: dict[str, str | None]) -> None:
    db.execute("DELETE FROM episode_edits WHERE episode_id = ?", [episode_id])
    for field, value in values.items():
        set_detail(db, episode_id, field, value)


def apply_details(db: Database, episode_id: str, values: dict[str, str | None] | None = None
                  ) -> None:
    """Write the user's details (`values`, else those stored) over the episode's own
    columns: what a file says is kept only where the user said nothing."""
    from aiviewer.ingest.dedupe import normalize_url
    from aiviewer.store.episodes import show_id

    values = details(db, episode_id) if values is None else values
    cols: dict = {}
    for field, value in values.items():
        if field == "show":
            cols["show_id"] = show_id(db, value) if value else None
        elif field == "url":
            cols["url"], cols["url_key"] = value, normalize_url(value)
        elif field == "title":
            cols["title"], cols["title_derived"] = value, 0
        elif field in DETAIL_FIELDS:
            cols[field] = value
    if cols:
        db.execute(f"UPDATE episodes SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                   [*cols.values(), episode_id])
    if "show" in values:  # a show the user moved the last episode out of goes
        drop_empty_shows(db)


def drop_empty_shows(db: Database) -> None:
    db.execute("DELETE FROM shows WHERE id NOT IN (SELECT show_id FROM episodes "
               "WHERE show_id IS NOT NULL)")
