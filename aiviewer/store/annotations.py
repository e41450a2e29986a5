"""Annotations: rows, their tags, and the context (episode, speaker, time) that
lists and exports show with them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from aiviewer.export.neutral import colour as valid_colour
from aiviewer.model import Annotation

COLUMNS = ("id", "episode_id", "exact", "prefix", "suffix", "start", "end", "note_md",
           "colour", "created", "modified", "status")

_SELECT = """
SELECT a.id, a.episode_id, a.exact, a.prefix, a.suffix, a.start, a."end", a.note_md, a.colour,
       a.created, a.modified, a.status,
       (SELECT group_concat(t.name, char(31)) FROM annotation_tags at JOIN tags t
          ON t.id = at.tag_id WHERE at.annotation_id = a.id) AS tags,
       e.title, sh.title, e.date, e.url,
       s.id, s.start_ms, coalesce(sp.name, s.speaker)
FROM annotations a
LEFT JOIN episodes e ON e.id = a.episode_id
LEFT JOIN shows sh ON sh.id = e.show_id
LEFT JOIN segments s ON s.id = (
    SELECT id FROM segments WHERE episode_id = a.episode_id AND a.start IS NOT NULL
      AND char_start <= a.start ORDER BY char_start DESC LIMIT 1)
LEFT JOIN speakers sp ON sp.episode_id = a.episode_id AND sp.label = s.speaker
"""


def _from_row(r) -> Annotation:
    tags = tuple(sorted(r[12].split(chr(31)))) if r[12] else ()
    return Annotation(id=r[0], episode_id=r[1], exact=r[2], prefix=r[3], suffix=r[4],
                      start=r[5], end=r[6], note_md=r[7], colour=r[8], created=r[9],
                      modified=r[10], status=r[11], tags=tags, episode_title=r[13] or "",
                      show=r[14], date=r[15], url=r[16], segment_id=r[17], start_ms=r[18],
                      speaker=r[19])


def get(db: Database, annotation_id: str) -> Annotation | None:
    rows = db.execute(_SELECT + " WHERE a.id = ?", [annotation_id]).fetchall()
    return _from_row(rows[0]) if rows else None


def get_row(db: Database, annotation_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM annotations WHERE id = ?", [annotation_id]))
    return rows[0] if rows else None


def tag_names(db: Database, annotation_id: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag_id "
        "WHERE at.annotation_id = ? ORDER BY t.name", [annotation_id])]


def query(db: Database, episode_id: str | None = None, tag: str | None = None,
          text: str | None = None, speaker: str | None = None, entity: str | None = None,
          status: str | None = None) -> list[Annotation]:
    """Annotations filtered by episode, tag (children included), text in quote or
    note, speaker, entity mentioned inside the passage, or anchoring status."""
    where, params = [], []
    if episode_id:
        where.append("a.episode_id = ?")
        params.append(episode_id)
    if tag:
        where.append("a.id IN (SELECT at.annotation_id FROM annotation_tags at JOIN tags t "
                     "ON t.id = at.tag_id WHERE t.name = ? OR t.name LIKE ? ESCAPE '\\')")
        params += [tag, tag.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"]
    if text:
        where.append("(a.exact LIKE ? OR a.note_md LIKE ?)")
        params += [f"%{text}%", f"%{text}%"]
    if status:
        where.append("a.status = ?")
        params.append(status)
    if entity:
        where.append("EXISTS (SELECT 1 FROM mentions m JOIN segments sg ON sg.id = m.segment_id "
                     "WHERE m.episode_id = a.episode_id AND m.entity = ? COLLATE NOCASE "
                     "AND sg.char_start + m.start < a.\"end\" AND sg.char_start + m.\"end\" > a.start)")
        params.append(entity)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY e.date DESC, a.episode_id, coalesce(a.start, 1e12), a.created"
    out = [_from_row(r) for r in db.execute(sql, params)]
    if speaker:
        out = [a for a in out if a.speaker and a.speaker.lower() == speaker.lower()]
    return out


def insert(db: Database, row: dict) -> None:
    """A new annotation; its colour is kept only when valid (`neutral.colour`)."""
    row = {**row, "colour": valid_colour(row.get("colour"))}
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    db.execute(f"INSERT INTO annotations ({cols}) VALUES ({', '.join('?' * len(COLUMNS))})",
               [row.get(c) for c in COLUMNS])


def update(db: Database, annotation_id: str, values: dict) -> None:
    if "colour" in values:
        values = {**values, "colour": valid_colour(values["colour"])}
    sets = ", ".join(f'"{k}" = ?' for k in values)
    db.execute(f"UPDATE annotations SET {sets} WHERE id = ?", [*values.values(), annotation_id])


def delete(db: Database, annotation_id: str) -> None:
    db.execute("DELETE FROM annotations WHERE id = ?", [annotation_id])


def rows_for_episode(db: Database, episode_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM annotations WHERE episode_id = ?", [episode_id]))


def has_any(db: Database, episode_id: str) -> bool:
    return db.execute("SELECT 1 FROM annotations WHERE episode_id = ? LIMIT 1",
                      [episode_id]).fetchone() is not None


def ids_exist(db: Database, ids: Iterable[str]) -> set[str]:
    ids = list(ids)
    if not ids:
        return set()
    return {r[0] for r in db.execute(
        f"SELECT id FROM annotations WHERE id IN ({','.join('?' * len(ids))})", ids)}


def all_ids(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM annotations")]


def orphan_episode(db: Database, episode_id: str) -> None:
    """Mark an episode's annotations orphaned (its text is gone)."""
    db.execute("UPDATE annotations SET status = 'orphaned' WHERE episode_id = ?", [episode_id])


def episodes_of(db: Database, ids: Iterable[str]) -> frozenset[str]:
    """The episodes these annotations are on (what a change to them redraws)."""
    ids = list(ids)
    found: set[str] = set()
    for at in range(0, len(ids), 500):  # below SQLite's limit on bound parameters
        chunk = ids[at:at + 500]
        found.update(r[0] for r in db.execute(
            f"SELECT DISTINCT episode_id FROM annotations WHERE id IN "
            f"({','.join('?' * len(chunk))})", chunk))
    return frozenset(found)
