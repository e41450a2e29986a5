"""The full-text index: FTS5 tables, their triggers, rebuilding, and vocabulary.

Four tables, all derived and rebuildable (see `rebuild`):

- `fts_segments(speaker, text)`: transcript text, porter + unicode61, ranked with
  bm25 (speaker weighted above text).  External content over `segments`.
- `fts_prefix(speaker, text)`: the same, unstemmed, `prefix='2 3'`, for prefix
  queries and the as-you-type path (a stemmed index cannot match `reasoni*`).
- `fts_episodes(episode_id, title, description)`: titles and show notes.
- `fts_annotations(annotation_id, episode_id, note, quote)`: the user's notes.

`fts_vocab` (fts5vocab over `fts_prefix`) lists the unstemmed words with their
document counts: the speller's dictionary.
"""

from __future__ import annotations

from sqlite_utils import Database

SEGMENT_TABLES = ("fts_segments", "fts_prefix")

# bm25 weights per column, in column order
SEGMENT_WEIGHTS = (2.0, 1.0)  # speaker, text
EPISODE_WEIGHTS = (0.0, 4.0, 1.0)  # episode_id (unindexed), title, description
ANNOTATION_WEIGHTS = (0.0, 0.0, 2.0, 1.0)  # ids, note, quote

_TABLES = """
CREATE VIRTUAL TABLE IF NOT EXISTS fts_segments USING fts5(
    speaker, text, content='segments', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_prefix USING fts5(
    speaker, text, content='segments', content_rowid='id',
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
            out.append(f"INSERT INTO {table}({table}, rowid, speaker, text) "
                       f"VALUES ('delete', {row}.id, {row}.speaker, {row}.text);")
        else:
            out.append(f"INSERT INTO {table}(rowid, speaker, text) "
                       f"VALUES ({row}.id, {row}.speaker, {row}.text);")
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
CREATE TRIGGER IF NOT EXISTS segments_fts_au AFTER UPDATE OF speaker, text ON segments BEGIN
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


def create(db: Database) -> None:
    """Create the FTS tables and triggers (idempotent)."""
    db.executescript(_TABLES + _TRIGGERS)


def rebuild(db: Database) -> None:
    """Recompute every FTS table from its source rows (`aiviewer reindex`).

    Run it inside a transaction; it is also what the migration does on a store
    that already holds episodes.
    """
    create(db)
    for table in SEGMENT_TABLES:
        db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    db.execute("DELETE FROM fts_episodes")
    db.execute("INSERT INTO fts_episodes(episode_id, title, description) "
               "SELECT id, title, COALESCE(description, '') FROM episodes")
    db.execute("DELETE FROM fts_annotations")
    db.execute("INSERT INTO fts_annotations(annotation_id, episode_id, note, quote) "
               "SELECT id, episode_id, note_md, exact FROM annotations")
    for table in (*SEGMENT_TABLES, "fts_episodes", "fts_annotations"):
        db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


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
    """A cheap fingerprint of the indexed text: changes whenever segments change."""
    return tuple(db.execute(
        "SELECT (SELECT MAX(id) FROM segments), (SELECT COUNT(*) FROM segments), "
        "(SELECT COUNT(*) FROM mentions), (SELECT MAX(id) FROM mentions)").fetchone())
