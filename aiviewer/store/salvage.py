"""What can still be read from a damaged library, merged into a restored backup.

A backup is up to a day old; the damaged file usually holds that day's work in
pages SQLite can still read.  A restore must not trade it away, so before the
damaged file is set aside every row SQLite will give of the user's data —
annotations and their tags, tags, speaker names, the user's entities, the reader's
decisions on suggestions — and of episodes the backup does not have is read, and
merged: a newer copy of an annotation wins, an annotation whose episode is gone is
kept as an orphan.

Reading goes table by table in rowid order; where a damaged page stops a scan,
it resumes past it (seeking by rowid walks interior pages, not the broken leaf),
so one bad page costs the rows on it, not the rest of the table.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from aiviewer.store import backups
from aiviewer.store.rows import insert as insert_row

USER_TABLES = ("annotations", "annotation_tags", "tags", "speakers", "entities")
EDIT_TABLES = ("turn_edits", "episode_edits")  # the user's corrections (turn_edits.py)


@dataclass
class Salvage:
    rows: dict[str, list[dict]] = field(default_factory=dict)
    complete: dict[str, bool] = field(default_factory=dict)
    episodes: list[dict] = field(default_factory=list)
    segments: dict[str, list[dict]] = field(default_factory=dict)
    chapters: dict[str, list[dict]] = field(default_factory=dict)
    shows: dict[int, str] = field(default_factory=dict)

    def summary(self) -> dict:
        return {"annotations": len(self.rows.get("annotations", [])),
                "tags": len(self.rows.get("tags", [])),
                "speaker_names": len(self.rows.get("speakers", [])),
                "entities": len(self.rows.get("entities", [])),
                "episodes": len(self.episodes),
                "complete": all(self.complete.get(t, False) for t in USER_TABLES)}


def read(path: Path) -> Salvage:
    """Everything readable from the file at `path`; an unreadable file gives an
    empty salvage, never an error."""
    out = Salvage()
    try:
        conn = sqlite3.connect(backups.file_uri(path, mode="ro"), uri=True, timeout=5)
    except sqlite3.Error:
        return out
    conn.row_factory = sqlite3.Row
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            return out
        for table in USER_TABLES:
            out.rows[table], out.complete[table] = _read_table(conn, table)
        for table in EDIT_TABLES:  # absent from a library older than them: nothing read
            out.rows[table], _ = _read_table(conn, table)
        # the reader's decisions on suggestions (absent from files before they existed)
        out.rows["entity_decisions"], _ = _read_table(conn, "entity_decisions")
        episodes, _ = _read_table(conn, "episodes")
        segments, _ = _read_table(conn, "segments")
        chapters, _ = _read_table(conn, "chapters")
        shows, _ = _read_table(conn, "shows")
        out.shows = {s["id"]: s["title"] for s in shows}
        by_episode: dict[str, list[dict]] = {}
        for s in segments:
            by_episode.setdefault(s["episode_id"], []).append(s)
        for c in chapters:
            out.chapters.setdefault(c["episode_id"], []).append(c)
        for ep in episodes:
            segs = sorted(by_episode.get(ep["id"], []), key=lambda s: s["seq"])
            if len(segs) == ep["n_segments"]:  # only whole episodes
                out.episodes.append(ep)
                out.segments[ep["id"]] = segs
    finally:
        conn.close()
    return out


def _read_table(conn: sqlite3.Connection, table: str) -> tuple[list[dict], bool]:
    """(rows, whether every row was read)."""
    try:
        top = conn.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.Error:
        top = None
    rows: list[dict] = []
    after, complete, step = None, True, 1
    while True:
        sql = f'SELECT rowid AS _rowid_, * FROM "{table}"'
        args: list = []
        if after is not None:
            sql += " WHERE rowid > ?"
            args = [after]
        try:
            for r in conn.execute(sql + " ORDER BY rowid", args):
                row = dict(r)
                after = row.pop("_rowid_")
                rows.append(row)
            return rows, complete
        except sqlite3.Error:
            complete = False
            if top is None or (after is not None and after >= top):
                return rows, complete
            # skip past the unreadable page, further each time it still fails
            after = (after if after is not None else 0) + step
            step *= 2


def merge(db, rescued: Salvage) -> dict:
    """Merge a salvage into the restored library `db` (inside a transaction).
    Returns counts of what it brought back."""
    brought = {"annotations": 0, "tags": 0, "speaker_names": 0, "entities": 0, "episodes": 0}
    existing_eps = {r[0] for r in db.execute("SELECT id FROM episodes")}
    brought["episodes"] = _merge_episodes(db, rescued, existing_eps)
    existing_eps = {r[0] for r in db.execute("SELECT id FROM episodes")}
    # before annotations: their positions are in the corrected text
    brought["turn_edits"], brought["episode_details"] = _merge_edits(db, rescued, existing_eps)

    tag_ids: dict[int, int] = {}
    names = {name: tid for tid, name in db.execute("SELECT id, name FROM tags")}
    for t in rescued.rows.get("tags", []):
        if t["name"] not in names:
            cur = db.execute("INSERT INTO tags (name, colour, created) VALUES (?, ?, ?)",
                             [t["name"], t.get("colour"), t.get("created")])
            names[t["name"]] = cur.lastrowid
            brought["tags"] += 1
        tag_ids[t["id"]] = names[t["name"]]

    links: dict[str, list[int]] = {}
    for link in rescued.rows.get("annotation_tags", []):
        if link["tag_id"] in tag_ids:
            links.setdefault(link["annotation_id"], []).append(tag_ids[link["tag_id"]])
    salvaged_ids = set()
    for a in rescued.rows.get("annotations", []):
        salvaged_ids.add(a["id"])
        row = db.execute("SELECT modified FROM annotations WHERE id = ?", [a["id"]]).fetchone()
        if row is not None and (row[0] or "") >= (a.get("modified") or ""):
            continue
        a = dict(a)
        if a["episode_id"] not in existing_eps:
            a["status"] = "orphaned"
        insert_row(db, "annotations", a, replace=True)
        db.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", [a["id"]])
        for tid in links.get(a["id"], []):
            db.execute("INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) "
                       "VALUES (?, ?)", [a["id"], tid])
        brought["annotations"] += 1
    if rescued.complete.get("annotations") and rescued.complete.get("annotation_tags"):
        # every annotation was read: one the backup has and the file does not was deleted
        for (aid,) in list(db.execute("SELECT id FROM annotations")):
            if aid not in salvaged_ids:
                db.execute("DELETE FROM annotations WHERE id = ?", [aid])

    for s in rescued.rows.get("speakers", []):
        if s["episode_id"] in existing_eps:
            db.execute("INSERT OR REPLACE INTO speakers (episode_id, label, name) "
                       "VALUES (?, ?, ?)", [s["episode_id"], s["label"], s["name"]])
            brought["speaker_names"] += 1

    for e in rescued.rows.get("entities", []):
        row = db.execute("SELECT modified FROM entities WHERE canonical = ?",
                         [e["canonical"]]).fetchone()
        if row is not None and (row[0] or "") >= (e.get("modified") or ""):
            continue
        db.execute("DELETE FROM entities WHERE canonical = ?", [e["canonical"]])
        insert_row(db, "entities", e, without=("id",))
        brought["entities"] += 1

    for d in rescued.rows.get("entity_decisions", []):
        cur = db.execute(
            "INSERT OR IGNORE INTO entity_decisions (surface, entity, kind, verdict, scope, "
            "created) VALUES (?, ?, ?, ?, ?, ?)",
            [d["surface"], d["entity"], d["kind"], d["verdict"], d["scope"], d["created"]])
        brought["decisions"] = brought.get("decisions", 0) + cur.rowcount
    return brought


def _merge_episodes(db, rescued: Salvage, existing: set[str]) -> int:
    """Episodes imported after the backup was taken, with their text."""
    n = 0
    shows = {title.casefold(): sid for sid, title in db.execute("SELECT id, title FROM shows")}
    for ep in rescued.episodes:
        if ep["id"] in existing:
            continue
        ep = dict(ep)
        title = rescued.shows.get(ep.get("show_id"))
        if title is None:
            ep["show_id"] = None
        elif title.casefold() in shows:
            ep["show_id"] = shows[title.casefold()]
        else:
            ep["show_id"] = shows[title.casefold()] = db.execute(
                "INSERT INTO shows (title) VALUES (?)", [title]).lastrowid
        insert_row(db, "episodes", ep)
        for s in rescued.segments.get(ep["id"], []):
            insert_row(db, "segments", s, without=("id",))
        for c in rescued.chapters.get(ep["id"], []):
            db.execute("INSERT INTO chapters (episode_id, start_ms, title) VALUES (?, ?, ?)",
                       [ep["id"], c["start_ms"], c["title"]])
        n += 1
    return n


def _merge_edits(db, rescued: Salvage, existing: set[str]) -> tuple[int, int]:
    """Turn edits the restored copy lacks are replayed over its text, in order;
    details the user set are written over the episode's columns."""
    import json

    from aiviewer.ingest import overlay
    from aiviewer.store import episodes as episodes_q
    from aiviewer.store import fts
    from aiviewer.store import segments as segments_q
    from aiviewer.store import turn_edits as turn_edits_q

    def key(r):
        return (r["op"], r["anchor"], r["speaker"], r["created"])
    n_turns = 0
    indexed = False
    by_episode: dict[str, list[dict]] = {}
    for r in rescued.rows.get("turn_edits", []):
        if r["episode_id"] in existing:
            by_episode.setdefault(r["episode_id"], []).append(r)
    for eid, rows in by_episode.items():
        have = {key(r) for r in turn_edits_q.edit_rows(db, eid)}
        new = [r for r in rows if key(r) not in have]
        if not new:
            continue
        if not indexed:
            # a backup's full-text tables are empty and the segment triggers would
            # delete from them: fill them first (the restore rebuilds them anyway)
            fts.fill_segment_tables(db)
            indexed = True
        edits = [overlay.TurnEdit(r["op"], json.loads(r["anchor"]), r["speaker"]) for r in new]
        segs, unfit = overlay.apply(turn_edits_q.parsed_segments(db, eid), edits)
        segments_q.replace_segments(db, eid, tuple(segs))
        turn_edits_q.set_segment_count(db, eid, len(segs))
        episodes_q.ensure_speakers(db, eid, {s.speaker for s in segs if s.speaker})
        for r, e in zip(new, edits, strict=True):
            insert_row(db, "turn_edits", {**r, "status": "unfit" if e in unfit else "applied"},
                       without=("id",))
        n_turns += len(new)
    n_details = 0
    for r in rescued.rows.get("episode_edits", []):
        if r["episode_id"] in existing:
            turn_edits_q.set_detail(db, r["episode_id"], r["field"], r["value"])
            turn_edits_q.apply_details(db, r["episode_id"], {r["field"]: r["value"]})
            n_details += 1
    return n_turns, n_details
