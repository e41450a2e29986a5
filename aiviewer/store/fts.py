"""The full-text index: FTS5 tables, their triggers, rebuilding, and vocabulary.

Four tables, all derived and rebuildable (see `rebuild`):

- `fts_segments(speaker, text)`: transcript text, porter + unicode61, ranked with
  bm25 (speaker weighted above text).  External content over `segments`.
- `fts_prefix(speaker, text)`: the same, unstemmed, `prefix='2 3'`, for prefix
  queries and the as-you-type path (a stemmed index cannot match `reasoni*`).
- `fts_episodes(episode_id, title, description)`: titles and show notes.
- `fts_annotations(annotation_id, episode_id, note, quote)`: the user's notes.

`fts_segments` names its content table as `content="segments"` (double quotes)
on purpose: Datasette (`?_search=`) and `sqlite-utils search` find a table's
full-text index by that spelling (or `[segments]`) in `sqlite_master`, and take
the first match — `fts_prefix` keeps `'segments'` so that the stemmed, ranked
index is the one they find.

`fts_vocab` (fts5vocab over `fts_prefix`) lists the unstemmed words with their
document counts: the speller's dictionary.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Iterator, Sequence

from sqlite_utils import Database

from aiviewer.search.filters import EPISODE, Always, Filter, segment_only
from aiviewer.store.filters import ids_query, render

SEGMENT_TABLES = ("fts_segments", "fts_prefix")

# how fts_segments splits text into words (in its CREATE below; the impact index's
# scratch tokenizer must split queries the same way: store/impacts.py)
SEGMENT_TOKENIZE = "porter unicode61 remove_diacritics 2"
# bm25 weights per column, in column order
SEGMENT_WEIGHTS = (2.0, 1.0, 1.0)  # speaker, text, cjk (search/cjk.py)
EPISODE_WEIGHTS = (0.0, 4.0, 1.0)  # episode_id (unindexed), title, description
ANNOTATION_WEIGHTS = (0.0, 0.0, 2.0, 1.0)  # ids, note, quote

_TABLES = """
CREATE VIRTUAL TABLE IF NOT EXISTS fts_segments USING fts5(
    speaker, text, cjk, content="segments", content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_prefix USING fts5(
    speaker, text, cjk, content='segments', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts_prefix, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_episodes USING fts5(
    episode_id UNINDEXED, title, description,
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_annotations USING fts5(
    annotation_id UNINDEXED, episode_id UNINDEXED, note, quote,
    tokenize='porter unicode61 remove_diacritics 2');
"""


def _segment_writes(row: str, op: str) -> str:
    """The statements that add (op='') or remove (op='delete') one segment row."""
    out = []
    for table in SEGMENT_TABLES:
        if op:
            out.append(f"INSERT INTO {table}({table}, rowid, speaker, text, cjk) "
                       f"VALUES ('delete', {row}.id, {row}.speaker, {row}.text, {row}.cjk);")
        else:
            out.append(f"INSERT INTO {table}(rowid, speaker, text, cjk) "
                       f"VALUES ({row}.id, {row}.speaker, {row}.text, {row}.cjk);")
    return "\n".join(out)


_EPISODE_ADD = ("INSERT INTO fts_episodes(episode_id, title, description) "
                "VALUES (new.id, new.title, COALESCE(new.description, ''));")
_EPISODE_DEL = "DELETE FROM fts_episodes WHERE episode_id = old.id;"
_NOTE_ADD = ("INSERT INTO fts_annotations(annotation_id, episode_id, note, quote) "
             "VALUES (new.id, new.episode_id, new.note_md, new.exact);")
_NOTE_DEL = "DELETE FROM fts_annotations WHERE annotation_id = old.id;"

_TRIGGERS = f"""
CREATE TRIGGER IF NOT EXISTS segments_fts_ai AFTER INSERT ON segments BEGIN
{_segment_writes('new', '')}
END;
CREATE TRIGGER IF NOT EXISTS segments_fts_ad AFTER DELETE ON segments BEGIN
{_segment_writes('old', 'delete')}
END;
CREATE TRIGGER IF NOT EXISTS segments_fts_au AFTER UPDATE OF speaker, text, cjk ON segments BEGIN
{_segment_writes('old', 'delete')}
{_segment_writes('new', '')}
END;
CREATE TRIGGER IF NOT EXISTS episodes_fts_ai AFTER INSERT ON episodes BEGIN
{_EPISODE_ADD}
END;
CREATE TRIGGER IF NOT EXISTS episodes_fts_ad AFTER DELETE ON episodes BEGIN
{_EPISODE_DEL}
END;
CREATE TRIGGER IF NOT EXISTS episodes_fts_au AFTER UPDATE OF title, description ON episodes BEGIN
{_EPISODE_DEL}
{_EPISODE_ADD}
END;
CREATE TRIGGER IF NOT EXISTS annotations_fts_ai AFTER INSERT ON annotations BEGIN
{_NOTE_ADD}
END;
CREATE TRIGGER IF NOT EXISTS annotations_fts_ad AFTER DELETE ON annotations BEGIN
{_NOTE_DEL}
END;
CREATE TRIGGER IF NOT EXISTS annotations_fts_au AFTER UPDATE OF note_md, exact ON annotations
BEGIN
{_NOTE_DEL}
{_NOTE_ADD}
END;
"""


def declared_for_tools(db: Database) -> bool:
    """Whether `fts_segments` is declared so Datasette and sqlite-utils find it."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'fts_segments'").fetchone()
    return bool(row) and 'content="segments"' in row[0]


def redeclare_segments(db: Database) -> None:
    """Re-create `fts_segments` with the current declaration and refill it from
    `segments` (its declaration text is what the tools read; the index is the
    same).  Run inside a transaction."""
    db.execute("DROP TABLE IF EXISTS fts_segments")
    create(db)
    rebuild_table(db, "fts_segments")


def create(db: Database) -> None:
    """Create the FTS tables and triggers (idempotent)."""
    if "cjk" not in {r[1] for r in db.execute("PRAGMA table_info(segments)")}:
        # the column the segment tables index text without word spaces in
        # (search/cjk.py); here, not in a migration, because the migration that
        # first creates these tables runs the current definitions
        db.execute("ALTER TABLE segments ADD COLUMN cjk TEXT")
    db.executescript(_TABLES + _TRIGGERS)


def fill_cjk(db: Database, only_missing: bool = True) -> int:
    """Write the derived `cjk` column of every segment holding such text; returns
    how many hold it."""
    from aiviewer.search.cjk import index_text

    rows = db.execute("SELECT id, text FROM segments"
                      + (" WHERE cjk IS NULL" if only_missing else "")).fetchall()
    found = [(derived, sid) for sid, text in rows if (derived := index_text(text))]
    db.conn.executemany("UPDATE segments SET cjk = ? WHERE id = ?", found)
    return len(found)


# FTS5 gathers new terms in an in-memory hash and writes a segment of the index each
# time it passes `hashsize` (1 MB by default); a rebuild of all the text then spends
# much of its time merging those small segments.  With 64 MB, the 100x library's two
# segment indexes took 15.1 s of CPU instead of 22.7 s (same run, SQLite 3.40), for
# ~100 MB more peak memory during the rebuild only (256 MB was no faster).
REBUILD_HASH_BYTES = 64 * 1024 * 1024
DEFAULT_HASH_BYTES = 1024 * 1024  # FTS5's own default, restored after a rebuild


def rebuild_table(db: Database, table: str) -> None:
    """Index every row of `table`'s content afresh, with a large in-memory hash for the
    rebuild only: the setting is stored in the table's config, so small writes
    afterwards (the triggers, file by file) keep FTS5's default."""
    db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)",
               [REBUILD_HASH_BYTES])
    db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)",
               [DEFAULT_HASH_BYTES])


def fill_segment_tables(db: Database) -> None:
    """Index every segment afresh in the segment tables (their content is `segments`)."""
    for table in SEGMENT_TABLES:
        rebuild_table(db, table)


def recreate_segment_tables(db: Database) -> None:
    """Drop and build again the segment tables and their triggers (a column added)."""
    for trigger in ("segments_fts_ai", "segments_fts_ad", "segments_fts_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("fts_vocab", *SEGMENT_TABLES):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    create(db)
    fill_segment_tables(db)


DEFERRED_KEY = "fts_segments_deferred"
_SEGMENT_TRIGGERS = ("segments_fts_ai", "segments_fts_ad", "segments_fts_au")


def defer_segment_index(db: Database, owner: int) -> None:
    """Stop indexing segments as they are written, for a bulk import (`owner`: its pid).

    Kept up row by row, the two segment indexes cost five times the CPU of one
    `rebuild` at the end (10x corpus, a commit per file: 10.0 s against 2.1 s),
    because every commit flushes a small FTS5 segment that later merges rewrite.
    The triggers are dropped and a marker is left in `meta` in the same
    transaction; until `finish_segment_index` runs, new text is stored (and
    committed, file by file) but not yet found by search.  The marker names the
    process so that a library left so by a killed import is finished when next
    opened (`deferred_by`)."""
    for trigger in _SEGMENT_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               [DEFERRED_KEY, str(owner)])


def deferring_pays(db: Database, new_bytes: int) -> bool:
    """Whether an import of `new_bytes` of files should defer the segment index.

    A rebuild costs in proportion to all the text the library will hold, keeping
    up in proportion to the new text times about five; a library file holds about
    five bytes for each byte of text imported (10x corpus: 73 MB for 14 MB).  So
    deferring pays once the files are more than about a twentieth of the file."""
    if new_bytes < 64 * 1024:
        return False
    return new_bytes * 16 >= file_bytes(db)


def file_bytes(db: Database) -> int:
    """The size of the library file as SQLite counts it (pages times page size)."""
    pages, size = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
    return pages * size


def deferred_by(db: Database) -> int | None:
    """The pid of the import that deferred the segment index (0 if unreadable), or None."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [DEFERRED_KEY]).fetchone()
    if row is None:
        return None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        return 0


def finish_segment_index(db: Database) -> bool:
    """Index every segment afresh and restore the triggers, if indexing was deferred
    (by this process or another: whichever finishes first does it for both, and a
    later writer's rows are indexed by the restored triggers).  Run inside a
    transaction; returns whether there was anything to do."""
    if deferred_by(db) is None:
        return False
    create(db)
    fill_segment_tables(db)
    db.execute("DELETE FROM meta WHERE key = ?", [DEFERRED_KEY])
    return True


def rebuild(db: Database) -> None:
    """Recompute every FTS table from its source rows (`aiviewer reindex`).

    Run it inside a transaction; it is also what the migration does on a store
    that already holds episodes.
    """
    create(db)
    fill_cjk(db)
    fill_segment_tables(db)
    db.execute("DELETE FROM fts_episodes")
    db.execute("INSERT INTO fts_episodes(episode_id, title, description) "
               "SELECT id, title, COALESCE(description, '') FROM episodes")
    db.execute("DELETE FROM fts_annotations")
    db.execute("INSERT INTO fts_annotations(annotation_id, episode_id, note, quote) "
               "SELECT id, episode_id, note_md, exact FROM annotations")
    for table in (*SEGMENT_TABLES, "fts_episodes", "fts_annotations"):
        db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    db.execute("DELETE FROM meta WHERE key = ?", [DEFERRED_KEY])  # done here too


def check(db: Database) -> bool:
    """True when the segment indexes agree with `segments` (FTS5 integrity check)."""
    try:
        for table in SEGMENT_TABLES:
            db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    except Exception:  # noqa: BLE001 - sqlite3.DatabaseError: "database disk image is malformed"
        return False
    return True


def vocabulary(db: Database, min_docs: int = 1) -> list[tuple[str, int]]:
    """Every unstemmed indexed word with the number of segments it occurs in, sorted."""
    return [(t, n) for t, n in db.execute(
        "SELECT term, doc FROM fts_vocab WHERE doc >= ? ORDER BY term", [min_docs])]


def doc_count(db: Database, term: str) -> int:
    """Segments containing `term` (an unstemmed, lower-case word); 0 when unknown."""
    row = db.execute("SELECT doc FROM fts_vocab WHERE term = ?", [term]).fetchone()
    return row[0] if row else 0


def terms_like(db: Database, pattern: str, limit: int = 50) -> list[str]:
    """Indexed words matching a GLOB pattern (`gr?o`, `distil*`), most frequent first."""
    return [t for (t,) in db.execute(
        "SELECT term FROM fts_vocab WHERE term GLOB ? ORDER BY doc DESC LIMIT ?",
        [pattern, limit])]


def signature(db: Database) -> tuple:
    """A fingerprint of the indexed words and the mentions, for caches derived from them.

    Cheap when nothing was written: `data_version` (other connections' commits) and
    this connection's change counter are checked first, and the row counts are
    only recounted when one of them moved.
    """
    quick = write_marker(db)
    memo = _signatures.get(db)
    if memo and memo[0] == quick:
        return memo[1]
    # the FTS5 structure record (row 10 of the %_data table) changes on every write
    # to the index, whatever the write was
    full = tuple(db.execute(
        "SELECT (SELECT block FROM fts_prefix_data WHERE id = 10), "
        "(SELECT MAX(id) FROM mentions), (SELECT COUNT(*) FROM mentions)").fetchone())
    _signatures[db] = (quick, full)
    return full


def write_marker(db: Database) -> tuple[int, int]:
    """Changes whenever anything is written, by this connection or another one."""
    return (db.execute("PRAGMA data_version").fetchone()[0], db.conn.total_changes)


_signatures: weakref.WeakKeyDictionary[Database, tuple[tuple, tuple]] = (
    weakref.WeakKeyDictionary())


def entity_names(db: Database) -> list[str]:
    """Canonical names of every entity mentioned somewhere."""
    return [n for (n,) in db.execute("SELECT DISTINCT entity FROM mentions")]


def entity_surfaces(db: Database) -> list[tuple[str, str, int]]:
    """(surface text, canonical name, fuzzy) of every distinct way an entity was found:
    the exact ones are aliases a query may name, all of them what a search scores
    a passage found through a mention by."""
    return db.execute("SELECT DISTINCT surface, entity, fuzzy FROM mentions").fetchall()


# --- search queries (the engine composes these; `where` is a filter node from
# search.compile, rendered by store.filters; its `reads` choose the joins) ---

MARK_OPEN, MARK_CLOSE, ELLIPSIS = "\x02", "\x03", "…"
SNIPPET_TOKENS = 24
ALWAYS = Always()


def episode_ids(db: Database, where: Filter) -> set[str]:
    """Ids of the episodes passing an episode-only filter."""
    sql, params = render(where)
    return {i for (i,) in db.execute(f"SELECT e.id FROM episodes e WHERE {sql}", list(params))}


def segment_ids(db: Database, where: Filter) -> list[int]:
    """Ids of the segments passing a segment-only filter, unordered, read from the
    covering index (an id-driven filter seeks it rather than the wide rows).

    A filter that is exactly "id in (a query)" (entity:, kind:) runs that query alone."""
    query = ids_query(where)
    if query is not None:
        return [i for (i,) in db.execute(f"SELECT DISTINCT * FROM ({query[0]})",
                                         list(query[1]))]
    sql, params = render(where)
    return [i for (i,) in db.execute(
        f"SELECT s.id FROM segments s INDEXED BY segments_cover WHERE {sql}", list(params))]


def match_scores(db: Database, table: str, match: str,
                 where: Filter = ALWAYS) -> list[tuple[int, float]]:
    """(segment id, bm25 score, higher is better) of every segment matching, unsorted.

    One pass over the match gives the total, the page and the facets (the engine
    sorts and counts in Python): cheaper than asking FTS5 three times.  Segments
    and episodes are joined only when a filter reads them.
    """
    weights = ", ".join(str(w) for w in SEGMENT_WEIGHTS)
    joins, cond, params = _match_passing(table, where)
    return db.execute(f"SELECT {table}.rowid, -bm25({table}, {weights}) FROM {table}{joins} "
                      f"WHERE {cond}", [match, *params]).fetchall()


def first_matches(db: Database, table: str, match: str, where: Filter,
                  limit: int) -> list[tuple[int, str]]:
    """The first `limit` (segment id, snippet) in index order that match and pass
    `where`: a half-typed query with fields (`speaker:ross gr*`), unranked."""
    joins, cond, params = _match_passing(table, where)
    return db.execute(f"SELECT {table}.rowid, snippet({table}, 1, ?, ?, ?, ?) FROM {table}"
                      f"{joins} WHERE {cond} LIMIT ?",
                      [MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS, match, *params, limit]
                      ).fetchall()


def _match_passing(table: str, where: Filter) -> tuple[str, str, list]:
    """(joins, condition, its parameters after the match's) for the rows of `table`
    that match (the first parameter) and pass `where`: segments and episodes joined
    only when the filter reads them."""
    cond = f"{table} MATCH ?"
    if isinstance(where, Always):
        return "", cond, []
    if segment_only(where):  # only the segment's id: no row of segments is needed
        # `+` keeps FTS5 from taking `rowid IN (…)` as a lookup: it would run the
        # match once per listed id
        sql, params = render(where, sid=f"+{table}.rowid")
        return "", f"{cond} AND {sql}", list(params)
    sql, params = render(where)
    joins = f" JOIN segments s INDEXED BY segments_cover ON s.id = {table}.rowid"
    if EPISODE in where.reads:
        joins += " JOIN episodes e ON e.id = s.episode_id"
    return joins, f"{cond} AND {sql}", list(params)


def first_filtered(db: Database, where: Filter, limit: int) -> list[int]:
    """The first `limit` segment ids passing a filter without text, in no order."""
    sql, params = render(where)
    joins = " JOIN episodes e ON e.id = s.episode_id" if EPISODE in where.reads else ""
    return [i for (i,) in db.execute(
        f"SELECT s.id FROM segments s INDEXED BY segments_cover{joins} WHERE {sql} LIMIT ?",
        [*params, limit])]


def filtered_ids(db: Database, where: Filter,
                 among: Iterable[int] | None = None) -> list[int]:
    """Segments passing a filter without text, newest episode first, in reading order.

    `among`, when given, are the only candidates: they drive the query (one seek
    each in the covering index), so a handful of them costs a handful of lookups
    whatever the size of the library.
    """
    among = list(among) if among is not None else None
    sql, params = render(where, per_row=among is not None and len(among) <= PER_ROW_AT_MOST)
    params = list(params)
    if among is not None:
        if not among:
            return []
        sql = f"s.id IN (SELECT value FROM json_each(?)) AND {sql}"
        params = [json.dumps(among), *params]
    return [i for (i,) in db.execute(
        "SELECT s.id FROM segments s INDEXED BY segments_cover "
        f"JOIN episodes e ON e.id = s.episode_id WHERE {sql} "
        "ORDER BY e.date DESC, s.episode_id, s.id", params)]


# candidates up to which an among-driven filter looks up each one's mentions rather
# than build the set of every segment mentioning the entity or kind (`kind:model`
# checked on the 400 passages nearest in meaning at 100x: 27 ms -> ~1 ms)
PER_ROW_AT_MOST = 2000


def mention_lists(db: Database) -> Iterator[tuple[str, str, str]]:
    """(entity, its kind, the ids of the segments mentioning it, comma-separated) for
    every entity mentioned: one row an entity, the id lists joined in SQLite, which is
    far cheaper than a Python tuple per mention."""
    return db.execute("SELECT entity, max(kind), group_concat(segment_id) FROM mentions "
                      "GROUP BY entity")


def segment_owners(db: Database) -> Iterator[tuple[int, str, str | None]]:
    """(segment id, episode id, speaker label) of every segment (covering index scan),
    streamed: a list of a few hundred thousand tuples costs tens of milliseconds just
    to free, with every other thread of the process waiting."""
    return db.execute("SELECT id, episode_id, speaker FROM segments "
                      "INDEXED BY segments_cover")


def segment_kinds(db: Database) -> Iterator[tuple[int, str]]:
    """(segment id, its entity kinds as one sorted comma-separated string), streamed."""
    return db.execute(
        "SELECT segment_id, group_concat(kind) FROM (SELECT DISTINCT segment_id, kind "
        "FROM mentions ORDER BY segment_id, kind) GROUP BY segment_id")


def max_segment_id(db: Database) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM segments").fetchone()[0]


def segment_snippets(db: Database, table: str, match: str,
                     ids: Sequence[int]) -> dict[int, str]:
    """FTS5 snippets of the text column for a page of hits, terms between the marks."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return dict(db.execute(
        f"SELECT rowid, snippet({table}, 1, ?, ?, ?, ?) FROM {table} "
        f"WHERE {table} MATCH ? AND rowid IN ({marks})",
        [MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS, match, *ids]).fetchall())


def segment_rows(db: Database, ids: Sequence[int]) -> dict[int, dict]:
    """What a hit shows about its segment: episode, show, date, speaker name, time, text."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = db.query(
        "SELECT s.id, s.episode_id, e.title, sh.title AS show, e.date, "
        "COALESCE(sp.name, s.speaker) AS speaker, s.start_ms, s.char_start, s.text "
        "FROM segments s JOIN episodes e ON e.id = s.episode_id "
        "LEFT JOIN shows sh ON sh.id = e.show_id "
        "LEFT JOIN speakers sp ON sp.episode_id = s.episode_id AND sp.label = s.speaker "
        f"WHERE s.id IN ({marks})", list(ids))
    return {r["id"]: r for r in rows}


def mention_spans(db: Database, ids: Sequence[int],
                  names: Sequence[str]) -> dict[int, tuple[int, int]]:
    """The first mention of one of `names` in each segment: (start, end) in its text."""
    if not ids or not names:
        return {}
    out: dict[int, tuple[int, int]] = {}
    rows = db.execute(
        f"SELECT segment_id, start, end FROM mentions WHERE segment_id IN "
        f"({', '.join('?' * len(ids))}) AND entity IN ({', '.join('?' * len(names))}) "
        "ORDER BY segment_id, start", [*ids, *names])
    for sid, start, end in rows:
        out.setdefault(sid, (start, end))
    return out


def episode_facts(db: Database) -> dict[str, tuple[str | None, str | None]]:
    """episode id → (show title, date), for facets."""
    return {eid: (show, date) for eid, show, date in db.execute(
        "SELECT e.id, sh.title, e.date FROM episodes e LEFT JOIN shows sh ON sh.id = e.show_id")}


def speaker_names(db: Database) -> dict[tuple[str, str], str]:
    """(episode id, label) → display name, for facets."""
    return {(eid, label): name for eid, label, name in db.execute(
        "SELECT episode_id, label, name FROM speakers")}


def episode_scores(db: Database, match: str, column: str,
                   where: Filter) -> list[tuple[str, float]]:
    """(episode id, score) of episodes whose title (column='title') or show notes
    ('description') match, best first."""
    weights = ", ".join(str(w) for w in EPISODE_WEIGHTS)
    sql, params = render(where)
    return db.execute(
        f"SELECT e.id, -bm25(fts_episodes, {weights}) AS score "
        "FROM fts_episodes JOIN episodes e ON e.id = fts_episodes.episode_id "
        f"WHERE fts_episodes MATCH ? AND {sql} ORDER BY score DESC",
        [f"{{{column}}} : ({match})", *params]).fetchall()


def episode_snippets(db: Database, match: str, column: str,
                     ids: Sequence[str]) -> dict[str, dict]:
    """Title, show, date and a marked snippet of `column` for a page of episode hits."""
    if not ids:
        return {}
    col = 1 if column == "title" else 2
    rows = db.query(
        f"SELECT e.id, e.title, sh.title AS show, e.date, "
        f"snippet(fts_episodes, {col}, ?, ?, ?, ?) AS snippet "
        "FROM fts_episodes JOIN episodes e ON e.id = fts_episodes.episode_id "
        "LEFT JOIN shows sh ON sh.id = e.show_id "
        f"WHERE fts_episodes MATCH ? AND e.id IN ({', '.join('?' * len(ids))})",
        [MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS, f"{{{column}}} : ({match})", *ids])
    return {r["id"]: r for r in rows}


def annotation_hits(db: Database, match: str | None, where: Filter) -> list[dict]:
    """The user's annotations whose note or quote match (all that pass `where` if no text)."""
    sql, params = render(where, on="annotation")
    head = ("SELECT a.id, a.episode_id, e.title, sh.title AS show, e.date, a.start, "
            "a.note_md, a.exact")
    tail = ("LEFT JOIN episodes e ON e.id = a.episode_id "
            "LEFT JOIN shows sh ON sh.id = e.show_id")
    if match is None:
        return list(db.query(
            f"{head}, 0.0 AS score, NULL AS snippet FROM annotations a {tail} "
            f"WHERE {sql} ORDER BY a.modified DESC", list(params)))
    weights = ", ".join(str(w) for w in ANNOTATION_WEIGHTS)
    return list(db.query(
        f"{head}, -bm25(fts_annotations, {weights}) AS score, "
        "snippet(fts_annotations, 2, ?, ?, ?, ?) AS snippet, "
        "snippet(fts_annotations, 3, ?, ?, ?, ?) AS quote_snippet "
        "FROM fts_annotations JOIN annotations a ON a.id = fts_annotations.annotation_id "
        f"{tail} WHERE fts_annotations MATCH ? AND {sql} ORDER BY score DESC",
        [MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS,
         MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS, match, *params]))


def prefix_hits(db: Database, match: str, limit: int) -> list[tuple[int, str]]:
    """Unranked (segment id, snippet) from the prefix index: the per-keystroke path."""
    return db.execute(
        "SELECT rowid, snippet(fts_prefix, 1, ?, ?, ?, ?) FROM fts_prefix "
        "WHERE fts_prefix MATCH ? LIMIT ?",
        [MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS, match, limit]).fetchall()
