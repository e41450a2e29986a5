"""Undo as reversible operations: each user change to annotations or tags is
recorded as the state of the rows it touched before and after.

Snapshots rather than inverse commands, because bulk tagging, merges and
renames touch many rows in ways whose inverses are easy to get wrong; restoring
the recorded rows is the same small piece of code for every operation.  Tag ids
are kept, so links and exports stay stable across undo and redo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from sqlite_utils import Database

from aiviewer.store import annotations as annotations_q
from aiviewer.store import decisions as decisions_q
from aiviewer.store import tags as tags_q
from aiviewer.store import turn_edits as turn_edits_q
from aiviewer.store.episodes import show_id
from aiviewer.store.rows import insert as insert_row


@dataclass
class Snapshot:
    annotations: dict[str, tuple[dict | None, list[str]]] = field(default_factory=dict)
    tags: dict[int, dict | None] = field(default_factory=dict)
    # (episode id, speaker label) → display name, None when the label had none
    speakers: dict[tuple[str, str], str | None] = field(default_factory=dict)
    # episode id → its stored rows (episode, segments, speakers, chapters, sources),
    # None when it did not exist; derived rows (mentions, fingerprints) are re-derived
    episodes: dict[str, dict | None] = field(default_factory=dict)
    # the user's entity rows by canonical name (case-folded), None when absent
    entities: dict[str, dict | None] = field(default_factory=dict)
    # episode id → its segments and turn edits (a split, assign or merge of turns)
    texts: dict[str, dict] = field(default_factory=dict)
    # episode id → the details the user set and the episode's own columns for them
    details: dict[str, dict] = field(default_factory=dict)
    # the reader's decisions by (surface key, entity folded, scope), None when absent
    decisions: dict[tuple[str, str, str], dict | None] = field(default_factory=dict)


@dataclass
class Operation:
    label: str
    before: Snapshot
    after: Snapshot


def max_tag_id(db: Database) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM tags").fetchone()[0]


def tag_ids_above(db: Database, high: int) -> set[int]:
    """Tags created after `max_tag_id` returned `high`."""
    return {r[0] for r in db.execute("SELECT id FROM tags WHERE id > ?", [high])}


def _episode_rows(db: Database, episode_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM episodes WHERE id = ?", [episode_id]))
    if not rows:
        return None
    return {
        "episode": rows[0],
        "segments": list(db.query(
            "SELECT * FROM segments WHERE episode_id = ? ORDER BY seq", [episode_id])),
        "speakers": list(db.query("SELECT * FROM speakers WHERE episode_id = ?", [episode_id])),
        "chapters": list(db.query("SELECT * FROM chapters WHERE episode_id = ?", [episode_id])),
        "links": list(db.query(
            "SELECT es.*, s.path, s.sha256, s.size, s.form AS source_form, s.imported_at, "
            "s.error FROM episode_sources es JOIN sources s ON s.id = es.source_id "
            "WHERE es.episode_id = ?", [episode_id])),
    }


def _put_episode(db: Database, episode_id: str, state: dict | None) -> None:
    exists = db.execute("SELECT 1 FROM episodes WHERE id = ?", [episode_id]).fetchone()
    if state is None:
        if exists:
            db.execute("DELETE FROM episodes WHERE id = ?", [episode_id])
            db.execute("DELETE FROM sources WHERE id NOT IN "
                       "(SELECT source_id FROM episode_sources)")
        return
    if exists:
        return
    insert_row(db, "episodes", state["episode"])
    for seg in state["segments"]:
        insert_row(db, "segments", seg, without=("id",))
    for row in state["speakers"]:
        insert_row(db, "speakers", row)
    for row in state["chapters"]:
        insert_row(db, "chapters", row, without=("id",))
    for link in state["links"]:
        found = db.execute("SELECT id FROM sources WHERE path = ?", [link["path"]]).fetchone()
        sid = found[0] if found else insert_row(db, "sources", {
            "path": link["path"], "sha256": link["sha256"], "size": link["size"],
            "form": link["source_form"], "imported_at": link["imported_at"],
            "error": link["error"]})
        db.execute("INSERT OR IGNORE INTO episode_sources (episode_id, source_id, ordinal, role) "
                   "VALUES (?, ?, ?, ?)", [episode_id, sid, link["ordinal"], link["role"]])


def take_entities(db: Database, names) -> Snapshot:
    """The user's entity rows for these names (an entity edit's before or after)."""
    snap = Snapshot()
    for name in names:
        rows = list(db.query("SELECT * FROM entities WHERE canonical = ? COLLATE NOCASE",
                             [name]))
        snap.entities[name.casefold()] = rows[0] if rows else None
    return snap


DETAIL_COLUMNS = ("title", "title_derived", "show_id", "date", "url", "url_key", "description")

def take_decisions(db: Database, keys) -> Snapshot:
    """The reader's decision rows for these keys (`decisions.key`)."""
    snap = Snapshot()
    for k in keys:
        surface, entity, scope = k
        snap.decisions[k] = decisions_q.get(db, surface, entity, scope or None)
    return snap


def take(db: Database, annotation_ids, tag_ids, speakers=(), episodes=(), texts=(),
         details=()) -> Snapshot:
    snap = Snapshot()
    for episode_id in texts:
        snap.texts[episode_id] = {"segments": turn_edits_q.segment_rows(db, episode_id),
                                  "edits": turn_edits_q.edit_rows(db, episode_id)}
    for episode_id in details:
        row = db.execute(f"SELECT {', '.join(DETAIL_COLUMNS)}, (SELECT title FROM shows "
                         "WHERE id = show_id) FROM episodes WHERE id = ?",
                         [episode_id]).fetchone()
        # the show by name: a show the edit emptied is gone from `shows` by undo time
        snap.details[episode_id] = {"edits": turn_edits_q.details(db, episode_id),
                                    "row": dict(zip(DETAIL_COLUMNS, row)) if row else None,
                                    "show": row[-1] if row else None}
    for episode_id in episodes:
        snap.episodes[episode_id] = _episode_rows(db, episode_id)
    for episode_id, label in speakers:
        row = db.execute("SELECT name FROM speakers WHERE episode_id = ? AND label = ?",
                         [episode_id, label]).fetchone()
        snap.speakers[(episode_id, label)] = row[0] if row else None
    for aid in annotation_ids:
        row = annotations_q.get_row(db, aid)
        snap.annotations[aid] = (row, annotations_q.tag_names(db, aid) if row else [])
    for tid in tag_ids:
        rows = list(db.query("SELECT * FROM tags WHERE id = ?", [tid]))
        snap.tags[tid] = rows[0] if rows else None
    return snap


def widen(snap: Snapshot, other: Snapshot) -> Snapshot:
    """Rows the other snapshot knows about and this one does not did not exist here."""
    for aid in other.annotations:
        snap.annotations.setdefault(aid, (None, []))
    for tid in other.tags:
        snap.tags.setdefault(tid, None)
    for key in other.speakers:
        snap.speakers.setdefault(key, None)
    for eid in other.episodes:
        snap.episodes.setdefault(eid, None)
    return snap


def merge(label: str, operations: list[Operation]) -> Operation:
    """Several operations as one step: each row as it was before the first that
    touched it, and as it is after the last.  Every field of `Snapshot` is merged
    the same way, so a kind of row added to it later cannot be forgotten here."""
    before, after = Snapshot(), Snapshot()
    for op in operations:
        for f in fields(Snapshot):
            first = getattr(before, f.name)
            for key, state in getattr(op.before, f.name).items():
                first.setdefault(key, state)
            getattr(after, f.name).update(getattr(op.after, f.name))
    widen(before, after)
    widen(after, before)
    return Operation(label, before, after)


def restore(db: Database, snap: Snapshot) -> None:
    for k, row in snap.decisions.items():
        decisions_q.restore_row(db, k, row)
    for name, row in snap.entities.items():
        db.execute("DELETE FROM entities WHERE canonical = ? COLLATE NOCASE", [name])
        if row is not None:
            insert_row(db, "entities", row, without=("id",))
    for episode_id, state in snap.episodes.items():  # first: annotations may point at it
        _put_episode(db, episode_id, state)
    for episode_id, state in snap.texts.items():
        turn_edits_q.put_segment_rows(db, episode_id, state["segments"])
        turn_edits_q.put_rows(db, episode_id, state["edits"])
    for episode_id, state in snap.details.items():
        turn_edits_q.put_details(db, episode_id, state["edits"])
        if state["row"] is not None:
            row = {**state["row"], "show_id": show_id(db, state["show"])}
            db.execute(f"UPDATE episodes SET {', '.join(c + ' = ?' for c in row)} WHERE id = ?",
                       [*row.values(), episode_id])
            turn_edits_q.drop_empty_shows(db)
    for (episode_id, label), name in snap.speakers.items():
        if name is None:
            db.execute("DELETE FROM speakers WHERE episode_id = ? AND label = ?",
                       [episode_id, label])
        else:
            db.execute("INSERT INTO speakers (episode_id, label, name) VALUES (?, ?, ?) "
                       "ON CONFLICT (episode_id, label) DO UPDATE SET name = excluded.name",
                       [episode_id, label, name])
    for tid, row in snap.tags.items():
        if row is None:
            tags_q.delete(db, tid)
    # two steps so that swapped or merged names never collide on the unique index
    for tid, row in snap.tags.items():
        if row is None:
            continue
        temp = f"\x00restoring-{tid}"
        if db.execute("SELECT 1 FROM tags WHERE id = ?", [tid]).fetchone():
            tags_q.rename(db, tid, temp)
        else:
            db.execute("INSERT INTO tags (id, name, colour, created) VALUES (?, ?, ?, ?)",
                       [tid, temp, row["colour"], row["created"]])
    for tid, row in snap.tags.items():
        if row is not None:
            db.execute("UPDATE tags SET name = ?, colour = ? WHERE id = ?",
                       [row["name"], row["colour"], tid])
    for aid, (row, names) in snap.annotations.items():
        annotations_q.delete(db, aid)
        if row is None:
            continue
        annotations_q.insert(db, row)
        for name in names:
            tags_q.link(db, aid, tags_q.ensure(db, name))


# -- the history, kept in the library ------------------------------------------------------

def _encode(snap: Snapshot) -> str:
    """A snapshot as JSON: every field is a dict whose keys may be tuples or ints,
    so each is written as a list of [key, value] pairs (JSON, not pickle: a library
    file from elsewhere must never run code when its history is undone)."""
    return json.dumps({f.name: [[list(k) if isinstance(k, tuple) else k, v]
                                for k, v in getattr(snap, f.name).items()]
                       for f in fields(Snapshot)}, ensure_ascii=False)


def _decode(text: str) -> Snapshot:
    data = json.loads(text)
    snap = Snapshot()
    for f in fields(Snapshot):
        getattr(snap, f.name).update(
            (tuple(k) if isinstance(k, list) else k, v) for k, v in data.get(f.name, ()))
    return snap


def push(db: Database, operation: Operation, stamp: str, keep: int) -> None:
    """A new step: the redo side is dropped, the oldest steps beyond `keep` too."""
    db.execute("DELETE FROM undo_log WHERE undone = 1")
    db.execute("INSERT INTO undo_log (label, before, after, created) VALUES (?, ?, ?, ?)",
               [operation.label, _encode(operation.before), _encode(operation.after), stamp])
    db.execute("DELETE FROM undo_log WHERE seq NOT IN "
               "(SELECT seq FROM undo_log ORDER BY seq DESC LIMIT ?)", [keep])


def _top(db: Database, undone: bool) -> tuple | None:
    order = "ASC" if undone else "DESC"  # redo the step undone last = the oldest undone
    return db.execute(f"SELECT seq, label, before, after FROM undo_log WHERE undone = ? "
                      f"ORDER BY seq {order} LIMIT 1", [int(undone)]).fetchone()


def top_label(db: Database, undone: bool) -> str | None:
    row = db.execute(f"SELECT label FROM undo_log WHERE undone = ? ORDER BY seq "
                     f"{'ASC' if undone else 'DESC'} LIMIT 1", [int(undone)]).fetchone()
    return row[0] if row else None


def take_top(db: Database, undone: bool) -> tuple[int, Operation] | None:
    """The next step to undo (`undone=False`) or redo, without moving it."""
    row = _top(db, undone)
    if row is None:
        return None
    return row[0], Operation(row[1], _decode(row[2]), _decode(row[3]))


def mark(db: Database, seq: int, undone: bool) -> None:
    db.execute("UPDATE undo_log SET undone = ? WHERE seq = ?", [int(undone), seq])


def history(db: Database, limit: int = 50) -> list[tuple[str, bool, str]]:
    """(label, undone, created) newest first, for `aiviewer history`."""
    return [(r[0], bool(r[1]), r[2]) for r in db.execute(
        "SELECT label, undone, created FROM undo_log ORDER BY seq DESC LIMIT ?", [limit])]
