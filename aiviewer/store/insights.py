"""The rows insights are counted from (`aiviewer.insights` counts them).

One scope — the library, a show, an episode, a tag's passages, or a list of
passage ids (a search's) — becomes one SQL condition on segments `s`, and every
query here reads through it.  The counting is left to Python: one pass over a
scope's mentions gives every chart, where a GROUP BY per chart would read the
mentions again each time.  Nothing here writes (not even a temporary table), so
the write marker the cache is keyed by moves only when the library changes.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from aiviewer.insights.model import Passage, Scope
from aiviewer.store import fts
from aiviewer.store.tags import _like_prefix

_TAGGED = ("EXISTS (SELECT 1 FROM annotations a JOIN annotation_tags at ON at.annotation_id = a.id "
           "JOIN tags t ON t.id = at.tag_id WHERE a.episode_id = s.episode_id "
           "AND a.status != 'orphaned' AND a.start < s.char_start + length(s.text) "
           "AND a.end > s.char_start AND (t.name = ? OR t.name LIKE ? ESCAPE '\\'))")
_SPEAKER = ("LEFT JOIN speakers sp ON sp.episode_id = s.episode_id AND sp.label = s.speaker")


def condition(scope: Scope, segment_ids: list[int] | None = None) -> tuple[str, list]:
    """(SQL on segments `s`, parameters) selecting the scope's passages.  A search
    scope passes the ids of its passages in `segment_ids`."""
    if segment_ids is not None:
        return "s.id IN (SELECT value FROM json_each(?))", [json.dumps(segment_ids)]
    if scope.kind == "library":
        return "1", []
    if scope.kind == "episode":
        return "s.episode_id = ?", [scope.value]
    if scope.kind == "show":
        return ("s.episode_id IN (SELECT e.id FROM episodes e JOIN shows sh ON sh.id = e.show_id "
                "WHERE sh.title = ?)", [scope.value])
    if scope.kind == "tag":
        return _TAGGED, [scope.value, _like_prefix(scope.value)]
    raise ValueError(f"scope {scope} needs the ids of its passages")


def mention_groups(db: Database, cond: tuple[str, list]) -> list[tuple[str, str, str]]:
    """(canonical, kind, the segment id of each of its mentions joined by commas) for
    every entity mentioned in the scope.  One row per entity instead of one per
    mention: at 100x the library's 550,000 mentions become 600 rows, read for the
    whole library from the covering index on (entity, kind, segment_id) alone."""
    sql, params = cond
    if sql == "1":
        return db.execute("SELECT entity, kind, group_concat(segment_id) FROM mentions "
                          "INDEXED BY mentions_entity_kind GROUP BY entity, kind").fetchall()
    if sql == "s.episode_id = ?":
        return db.execute("SELECT entity, kind, group_concat(segment_id) FROM mentions "
                          "WHERE episode_id = ? GROUP BY entity, kind", params).fetchall()
    return db.execute("SELECT m.entity, m.kind, group_concat(m.segment_id) FROM mentions m "
                      f"JOIN segments s ON s.id = m.segment_id WHERE {sql} "
                      "GROUP BY m.entity, m.kind", params).fetchall()


def passage_groups(db: Database, cond: tuple[str, list]) -> list[tuple[str, str | None, str]]:
    """(episode id, speaker's display name, the ids of its passages joined by commas)
    for every episode and speaker in the scope.  The whole library is read in order
    from the covering index on (episode_id, speaker, id): no row, no text, no sort."""
    sql, params = cond
    names = {(e, label): name for e, label, name in db.execute(
        "SELECT episode_id, label, name FROM speakers")}
    source = "segments s INDEXED BY segments_episode_speaker" if sql == "1" else "segments s"
    return [(eid, names.get((eid, who), who), ids) for eid, who, ids in db.execute(
        f"SELECT s.episode_id, s.speaker, group_concat(s.id) FROM {source} "
        f"WHERE {sql} GROUP BY s.episode_id, s.speaker", params)]


def passage_positions(db: Database, segment_ids) -> dict[int, tuple[int | None, int]]:
    """Segment id → (start ms, seq): where passages stand in their episode."""
    return {sid: (start, seq) for sid, start, seq in db.execute(
        "SELECT id, start_ms, seq FROM segments WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(segment_ids))])}


def mention_rows(db: Database, cond: tuple[str, list]) -> list[tuple[int, str, str]]:
    """(segment id, canonical, kind) of every mention in the scope."""
    sql, params = cond
    if sql == "1":
        return db.execute("SELECT segment_id, entity, kind FROM mentions").fetchall()
    if sql == "s.episode_id = ?":
        return db.execute("SELECT segment_id, entity, kind FROM mentions WHERE episode_id = ?",
                          params).fetchall()
    return db.execute("SELECT m.segment_id, m.entity, m.kind FROM mentions m "
                      f"JOIN segments s ON s.id = m.segment_id WHERE {sql}", params).fetchall()


def passage_rows(db: Database, cond: tuple[str, list]
                 ) -> dict[int, tuple[str, str | None, int | None, int]]:
    """Segment id → (episode id, speaker's display name, start ms, seq) for every
    passage in the scope.  Display names are looked up in Python: joining the
    speakers for each of 250,000 passages took twice as long at 100x."""
    sql, params = cond
    names = {(e, label): name for e, label, name in db.execute(
        "SELECT episode_id, label, name FROM speakers")}
    return {sid: (eid, names.get((eid, who), who), start, seq)
            for sid, eid, who, start, seq in db.execute(
                f"SELECT s.id, s.episode_id, s.speaker, s.start_ms, s.seq FROM segments s "
                f"WHERE {sql}", params)}


def episode_rows(db: Database, episode_ids) -> dict[str, tuple[str, str | None]]:
    """Episode id → (title, date) for the given episodes (None: every episode, read
    in one scan rather than one seek each)."""
    if episode_ids is None:
        return {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, title, date FROM episodes")}
    return {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT id, title, date FROM episodes WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(episode_ids))])}


def tag_mention_rows(db: Database, cond: tuple[str, list]) -> list[tuple[str, int, str, str]]:
    """(tag, segment id, canonical, kind) of each mention inside an annotation with the tag."""
    if not _any_tagged(db):  # the join costs 0.4 s at 100x even when nothing is tagged
        return []
    sql, params = cond
    rows = db.execute(
        "SELECT DISTINCT t.name, m.id, m.segment_id, m.entity, m.kind FROM annotations a "
        "JOIN annotation_tags at ON at.annotation_id = a.id JOIN tags t ON t.id = at.tag_id "
        "JOIN segments s ON s.episode_id = a.episode_id AND s.char_start < a.end "
        "AND s.char_start + length(s.text) > a.start "
        "JOIN mentions m ON m.segment_id = s.id AND s.char_start + m.start >= a.start "
        f"AND s.char_start + m.end <= a.end WHERE a.status != 'orphaned' AND {sql}",
        params).fetchall()
    return [(r[0], r[2], r[3], r[4]) for r in rows]


def tag_passage_rows(db: Database, cond: tuple[str, list]) -> list[tuple[str, int, str | None]]:
    """(tag, segment id, speaker) of each passage an annotation with the tag covers."""
    if not _any_tagged(db):
        return []
    sql, params = cond
    return db.execute(
        "SELECT DISTINCT t.name, s.id, COALESCE(sp.name, s.speaker) FROM annotations a "
        "JOIN annotation_tags at ON at.annotation_id = a.id JOIN tags t ON t.id = at.tag_id "
        "JOIN segments s ON s.episode_id = a.episode_id AND s.char_start < a.end "
        f"AND s.char_start + length(s.text) > a.start {_SPEAKER} "
        f"WHERE a.status != 'orphaned' AND {sql}", params).fetchall()


def _any_tagged(db: Database) -> bool:
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM annotation_tags)").fetchone()[0])


def mention_spans(db: Database, segment_ids: list[int]) -> list[tuple[int, int, int, str, str]]:
    """(segment id, start, end, entity, kind) of every mention in these passages."""
    return db.execute("SELECT segment_id, start, end, entity, kind FROM mentions "
                      "WHERE segment_id IN (SELECT value FROM json_each(?)) "
                      "ORDER BY segment_id, start", [json.dumps(list(segment_ids))]).fetchall()


def passages(db: Database, segment_ids: list[int], text_chars: int = 4000) -> list[Passage]:
    """The passages of these ids, in episode (date, title) and reading order."""
    return [Passage(*r) for r in db.execute(
        "SELECT s.id, s.episode_id, e.title, COALESCE(sp.name, s.speaker), s.start_ms, "
        f"s.char_start, substr(s.text, 1, ?) FROM segments s JOIN episodes e ON e.id = s.episode_id "
        f"{_SPEAKER} WHERE s.id IN (SELECT value FROM json_each(?)) "
        "ORDER BY e.date IS NULL, e.date, e.title, s.seq",
        [text_chars, json.dumps(list(segment_ids))])]


def show_titles(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT title FROM shows ORDER BY title COLLATE NOCASE")]


def change_marker(db: Database) -> tuple[int, int]:
    """Moves whenever anything is written to the library, by any connection: the key
    cached insights are kept under."""
    return fts.write_marker(db)


def group_by_reference(db: Database) -> list[tuple]:
    """The plain SQL a benchmark compares with: mentions and episodes per entity."""
    return db.execute("SELECT entity, kind, COUNT(*), COUNT(DISTINCT episode_id) FROM mentions "
                      "GROUP BY entity, kind ORDER BY COUNT(*) DESC").fetchall()
