"""Episodes, their shows, chapters, speaker names and dedupe fingerprints."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database

from aiviewer.ingest import dedupe
from aiviewer.model import Chapter, EpisodeSummary, Show
from aiviewer.store.sources import now

EPISODE_FIELDS = (
    "show_id", "title", "title_derived", "date", "url", "url_key", "video_id", "description", "mentioned",
    "form", "is_preview", "text_sha", "n_segments", "n_words", "duration_ms",
)


def show_id(db: Database, title: str | None, description: str | None = None) -> int | None:
    if not title:
        return None
    row = list(db.execute("SELECT id, description FROM shows WHERE title = ?", [title]))
    if row:
        sid, old = row[0]
        if description and not old:
            db.execute("UPDATE shows SET description = ? WHERE id = ?", [description, sid])
        return sid
    return db["shows"].insert({"title": title, "description": description}).last_pk


def shows(db: Database) -> list[Show]:
    return [Show(*r) for r in db.execute("SELECT id, title, description FROM shows ORDER BY title")]


def exists(db: Database, episode_id: str) -> bool:
    return bool(list(db.execute("SELECT 1 FROM episodes WHERE id = ?", [episode_id])))


def ids_starting_with(db: Database, prefix: str) -> set[str]:
    """Stored episode ids that start with `prefix` (a range of the primary key)."""
    return {r[0] for r in db.execute("SELECT id FROM episodes WHERE id >= ? AND id < ?",
                                     [prefix, prefix + "\U0010ffff"])}


def get_row(db: Database, episode_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM episodes WHERE id = ?", [episode_id]))
    return rows[0] if rows else None


def insert(db: Database, episode_id: str, values: dict) -> None:
    """One new episode row; `values` are its columns (merge plan fields: plain
    strings and numbers).  A plain INSERT: sqlite-utils' `insert` read the table's
    schema and converted each value first, 1.7 ms per episode at 20x."""
    stamp = now()
    row = {"id": episode_id, **values, "created_at": stamp, "updated_at": stamp}
    names = ", ".join(f'"{name}"' for name in row)
    db.execute(f"INSERT INTO episodes ({names}) VALUES ({', '.join('?' * len(row))})",
               list(row.values()))


def update(db: Database, episode_id: str, values: dict) -> None:
    if values:
        db["episodes"].update(episode_id, {**values, "updated_at": now()})


def delete(db: Database, episode_id: str) -> None:
    db.execute("DELETE FROM episodes WHERE id = ?", [episode_id])


def find_by_video_id(db: Database, video_id: str) -> str | None:
    rows = list(db.execute("SELECT id FROM episodes WHERE video_id = ? LIMIT 1", [video_id]))
    return rows[0][0] if rows else None


def find_by_url(db: Database, url_key: str) -> str | None:
    """`url_key` is dedupe.normalize_url() of the URL."""
    rows = list(db.execute("SELECT id FROM episodes WHERE url_key = ? LIMIT 1", [url_key]))
    return rows[0][0] if rows else None


def replace_fingerprint(db: Database, episode_id: str, hashes: Iterable[int]) -> None:
    db.execute("DELETE FROM fingerprints WHERE episode_id = ?", [episode_id])
    db.conn.executemany(
        "INSERT INTO fingerprints (hash, episode_id) VALUES (?, ?)",
        [(h, episode_id) for h in hashes],
    )


COMMON_HASH = 16  # a hash stored for more episodes than this is a stop-shingle
PROBED = 10  # candidates (by rare hashes shared) whose full overlap is counted


def fingerprint_candidates(db: Database, hashes: list[int],
                           exclude: set[str]) -> list[tuple[str, int, int]]:
    """(episode id, shared hashes, that episode's sample size), best first (at most 5).

    Bounded per new episode, whatever the library's size: a hash stored for more than
    COMMON_HASH episodes ("you know what I mean", a show's standing intro, or the same
    passage in a hundred near-copies) is treated like a stop-word when *finding*
    candidates — counting it costs at most COMMON_HASH + 1 index entries — and the
    episodes sharing the rare hashes are the candidates.  For the PROBED best of them
    the overlap is then counted over every hash, common ones included, so the ratio
    `dedupe.is_duplicate` judges is the same as before.  Only when the common hashes
    alone could make a copy (three quarters of the sample or more) are they walked in
    full, as every query did before: at 100x the last copies of the replicated seeds
    walked ~7,600 stored hashes each, 12 ms of CPU per new episode and growing.
    """
    if not hashes:
        return []
    # the sample goes in as one JSON array (`json_each`), not through a temporary table
    # filled and emptied three times per episode: those writes, and a count query per
    # candidate, were a sixth of the lookup at 100x
    sample = list(dict.fromkeys(hashes))
    n = len(sample)
    common = [h for h, in db.execute(
        # index-only and bounded: at most COMMON_HASH + 1 entries per hash
        "SELECT value FROM json_each(?) WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM "
        "fingerprints g WHERE g.hash = value LIMIT ?)) > ?",
        [json.dumps(sample), COMMON_HASH + 1, COMMON_HASH])]
    if len(common) * 4 >= n * 3:
        rows = db.execute(
            # CROSS JOIN keeps SQLite from scanning every stored fingerprint per import
            # (quadratic in the library's size): walk the new sample, probe the index
            "SELECT f.episode_id, COUNT(*) AS shared FROM json_each(?) j CROSS JOIN "
            "fingerprints f ON f.hash = j.value "
            "GROUP BY f.episode_id ORDER BY shared DESC, f.episode_id LIMIT 5",
            [json.dumps(sample)]).fetchall()
        sizes = _sample_sizes(db, [eid for eid, _ in rows])
        return [(eid, shared, sizes[eid]) for eid, shared in rows if eid not in exclude]
    stop = set(common)
    rare_hashes = [h for h in sample if h not in stop]
    probed = db.execute(
        "SELECT f.episode_id, COUNT(*) FROM json_each(?) j CROSS JOIN fingerprints f "
        "ON f.hash = j.value GROUP BY f.episode_id ORDER BY COUNT(*) DESC, f.episode_id "
        "LIMIT ?", [json.dumps(rare_hashes), PROBED]).fetchall()
    sizes = _sample_sizes(db, [eid for eid, _ in probed])
    counted = []
    for eid, rare in probed:
        size = sizes[eid]
        if common and dedupe.is_duplicate(rare + len(common), n, size):
            # the common hashes could tip it: count the overlap in full
            rare = db.execute(
                "SELECT COUNT(*) FROM fingerprints f WHERE f.episode_id = ? "
                "AND f.hash IN (SELECT value FROM json_each(?))",
                [eid, json.dumps(sample)]).fetchone()[0]
        counted.append((eid, rare, size))
    counted.sort(key=lambda r: (-r[1], r[0]))
    return [r for r in counted[:5] if r[0] not in exclude]


def _sample_sizes(db: Database, episode_ids: list[str]) -> dict[str, int]:
    """Each episode's number of stored fingerprints, in one query."""
    if not episode_ids:
        return {}
    marks = ", ".join("?" * len(episode_ids))
    found = dict(db.execute(
        f"SELECT episode_id, COUNT(*) FROM fingerprints WHERE episode_id IN ({marks}) "
        "GROUP BY episode_id", episode_ids).fetchall())
    return {eid: found.get(eid, 0) for eid in episode_ids}


def replace_chapters(db: Database, episode_id: str, chapters: Iterable[Chapter]) -> None:
    db.execute("DELETE FROM chapters WHERE episode_id = ?", [episode_id])
    db.conn.executemany(
        "INSERT INTO chapters (episode_id, start_ms, title) VALUES (?, ?, ?)",
        [(episode_id, c.start_ms, c.title) for c in chapters],
    )


def chapters(db: Database, episode_id: str) -> tuple[Chapter, ...]:
    return tuple(Chapter(ms, t) for ms, t in db.execute(
        "SELECT start_ms, title FROM chapters WHERE episode_id = ? ORDER BY start_ms, id",
        [episode_id]))


def count_chapters(db: Database, episode_id: str) -> int:
    return db.execute("SELECT COUNT(*) FROM chapters WHERE episode_id = ?", [episode_id]).fetchone()[0]


def ensure_speakers(db: Database, episode_id: str, labels: Iterable[str]) -> None:
    """Record every label with itself as display name, keeping existing renames."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO speakers (episode_id, label, name) VALUES (?, ?, ?)",
        [(episode_id, lb, lb) for lb in labels],
    )


def rename_speaker(db: Database, episode_id: str, label: str, name: str) -> None:
    db.execute(
        "INSERT INTO speakers (episode_id, label, name) VALUES (?, ?, ?) "
        "ON CONFLICT (episode_id, label) DO UPDATE SET name = excluded.name",
        [episode_id, label, name],
    )


def speaker_names(db: Database, episode_id: str) -> dict[str, str]:
    return dict(db.execute("SELECT label, name FROM speakers WHERE episode_id = ?", [episode_id]))


_SPEAKERS_SQL = """(SELECT json_group_array(name) FROM (
            SELECT COALESCE(sp.name, g.speaker) AS name, MIN(g.seq) AS first
            FROM segments g LEFT JOIN speakers sp
              ON sp.episode_id = g.episode_id AND sp.label = g.speaker
            WHERE g.episode_id = e.id AND g.speaker IS NOT NULL
            GROUP BY COALESCE(sp.name, g.speaker) ORDER BY first))"""

_SUMMARY_SQL = """
SELECT e.id, e.title, s.title, e.date, e.url, e.video_id, e.form, e.n_segments, e.n_words,
       e.duration_ms, {speakers},
       (SELECT COUNT(DISTINCT source_id) FROM episode_sources es WHERE es.episode_id = e.id)
FROM episodes e LEFT JOIN shows s ON s.id = e.show_id
"""


def _summary(row) -> EpisodeSummary:
    (eid, title, show, date, url, vid, form, nseg, nwords, dur, speakers, nsrc) = row
    return EpisodeSummary(
        id=eid, title=title, show=show, date=date, url=url, video_id=vid, form=form or "",
        n_segments=nseg, n_words=nwords, duration_ms=dur,
        speakers=tuple(json.loads(speakers)) if speakers else (), n_sources=nsrc,
    )


def summaries(db: Database, speakers: bool = True) -> list[EpisodeSummary]:
    """By show, newest first; undated episodes in the order they were imported (a feed
    lists its newest first), not by title — "Newest first" must not read alphabetical.

    `speakers=False` leaves each summary's speakers empty: gathering them visits every
    passage of the library (about 130 of the 170 ms at 6,400 episodes), and the list
    the window paints first needs only titles and dates."""
    sql = _SUMMARY_SQL.format(speakers=_SPEAKERS_SQL if speakers else "NULL")
    rows = db.execute(sql + " ORDER BY COALESCE(s.title, ''), e.date DESC, e.rowid")
    return [_summary(r) for r in rows]


def summary(db: Database, episode_id: str) -> EpisodeSummary | None:
    rows = db.execute(_SUMMARY_SQL.format(speakers=_SPEAKERS_SQL) + " WHERE e.id = ?",
                      [episode_id]).fetchall()
    return _summary(rows[0]) if rows else None


def resolve(db: Database, ref: str) -> list[str]:
    """Episode ids matching `ref`: an exact id, an id prefix, or a title substring."""
    exact = [r[0] for r in db.execute("SELECT id FROM episodes WHERE id = ?", [ref])]
    if exact:
        return exact
    pref = [r[0] for r in db.execute("SELECT id FROM episodes WHERE id LIKE ? || '%'", [ref])]
    if pref:
        return pref
    return [r[0] for r in db.execute(
        "SELECT id FROM episodes WHERE title LIKE '%' || ? || '%' ORDER BY date DESC", [ref])]


def mentioned(row: dict) -> tuple[str, ...]:
    return tuple(json.loads(row["mentioned"])) if row.get("mentioned") else ()


def counts(db: Database) -> dict[str, int]:
    one = db.execute(
        "SELECT (SELECT COUNT(*) FROM shows), (SELECT COUNT(*) FROM episodes), "
        "(SELECT COUNT(*) FROM segments), (SELECT COUNT(*) FROM annotations), "
        "(SELECT COUNT(*) FROM tags)").fetchone()
    return dict(zip(("shows", "episodes", "segments", "annotations", "tags"), one))


def fingerprint_version(db: Database) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint_version'").fetchone()
    return row[0] if row else None


def set_fingerprint_version(db: Database, version: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('fingerprint_version', ?)",
               [version])


def all_ids(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM episodes ORDER BY id")]
