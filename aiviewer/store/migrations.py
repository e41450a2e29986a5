"""Named, append-only schema migrations, applied when a store is opened.

Never edit a migration that has shipped: add a new `m000N_…` function below.
A store that has a migration this code does not know is refused (see db.py).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("aiviewer")


def known_names() -> set[str]:
    return {m.name for m in MIGRATIONS._migrations}


@MIGRATIONS()
def m0001_core(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            sha256 TEXT,
            size INTEGER,
            form TEXT,
            imported_at TEXT,
            error TEXT
        );

        CREATE TABLE shows (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL UNIQUE COLLATE NOCASE,
            description TEXT
        );

        CREATE TABLE episodes (
            id TEXT PRIMARY KEY,
            show_id INTEGER REFERENCES shows(id),
            title TEXT NOT NULL,
            title_derived INTEGER NOT NULL DEFAULT 0,
            date TEXT,
            url TEXT,
            url_key TEXT,              -- normalised URL, for recognising duplicates
            video_id TEXT,
            description TEXT,
            mentioned TEXT,            -- JSON list, the source's own "We mention" list
            form TEXT,
            is_preview INTEGER NOT NULL DEFAULT 0,
            text_sha TEXT,
            n_segments INTEGER NOT NULL DEFAULT 0,
            n_words INTEGER NOT NULL DEFAULT 0,
            duration_ms INTEGER,
            created_at TEXT,
            updated_at TEXT
        );
        CREATE INDEX episodes_video_id ON episodes(video_id);
        CREATE INDEX episodes_url_key ON episodes(url_key);
        CREATE INDEX episodes_show ON episodes(show_id);

        CREATE TABLE episode_sources (
            episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL DEFAULT 0,   -- position of the episode in the file
            role TEXT NOT NULL,                   -- primary | duplicate | preview
            PRIMARY KEY (episode_id, source_id, ordinal)
        );
        CREATE INDEX episode_sources_source ON episode_sources(source_id);

        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL DEFAULT 'turn',
            speaker TEXT,
            start_ms INTEGER,
            end_ms INTEGER,
            text TEXT NOT NULL,
            char_start INTEGER NOT NULL,
            sounds TEXT                         -- JSON list of non-speech tags
        );
        CREATE UNIQUE INDEX segments_episode_seq ON segments(episode_id, seq);

        CREATE TABLE speakers (
            episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (episode_id, label)
        );

        CREATE TABLE chapters (
            id INTEGER PRIMARY KEY,
            episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            start_ms INTEGER NOT NULL,
            title TEXT NOT NULL
        );
        CREATE INDEX chapters_episode ON chapters(episode_id);

        -- shingle hashes of an episode's opening text, to find the same episode
        -- arriving from another file (derived; rebuilt with the episode)
        CREATE TABLE fingerprints (
            hash INTEGER NOT NULL,
            episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE
        );
        CREATE INDEX fingerprints_hash ON fingerprints(hash);
        CREATE INDEX fingerprints_episode ON fingerprints(episode_id);

        -- the user's own entities; the catalog itself stays in resources/
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            canonical TEXT NOT NULL UNIQUE COLLATE NOCASE,
            kind TEXT NOT NULL,
            description TEXT,
            aliases TEXT,                       -- JSON list
            parent TEXT,
            hidden INTEGER NOT NULL DEFAULT 0,  -- a catalog entity the user deleted
            created TEXT,
            modified TEXT
        );

        -- derived from segments + catalog + user entities
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            entity TEXT NOT NULL,               -- canonical name
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,             -- offsets in the segment text
            end INTEGER NOT NULL,
            surface TEXT NOT NULL,
            fuzzy INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX mentions_entity ON mentions(entity);
        CREATE INDEX mentions_episode ON mentions(episode_id);
        CREATE INDEX mentions_segment ON mentions(segment_id);

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,          -- full path, e.g. method/RL/GRPO
            colour TEXT,
            created TEXT
        );

        -- annotations are not cascaded from episodes: removing an episode
        -- orphans them, it never deletes the user's notes
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY,                -- uuid
            episode_id TEXT NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start INTEGER,
            end INTEGER,
            note_md TEXT NOT NULL DEFAULT '',
            colour TEXT,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'anchored'   -- anchored | fuzzy | orphaned
        );
        CREATE INDEX annotations_episode ON annotations(episode_id);

        CREATE TABLE annotation_tags (
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (annotation_id, tag_id)
        );
        CREATE INDEX annotation_tags_tag ON annotation_tags(tag_id);
        """
    )


@MIGRATIONS()
def m0002_fts(db: Database) -> None:
    """Full-text indexes, kept in step with their tables by triggers.

    `fts_segments` (porter stemming) ranks whole queries; `fts_prefix` holds the
    same text unstemmed with prefix indexes, because a stemmed index cannot answer
    `reasoni*` and as-you-type lookups need cheap prefixes.  Both read their text
    from `segments` (external content), so they cost index space only.  Episode
    titles/show notes and annotation notes/quotes get small self-contained tables.
    The triggers mean every transaction that writes those tables updates the index:
    it can never be stale.  The statements live in store/fts.py so that `reindex`
    can rebuild from the same definitions.
    """
    from aiviewer.store import fts

    # filters and facets read (episode, speaker, offset) of thousands of matching
    # segments: a covering index keeps them from reading whole rows, text and all
    db.execute("CREATE INDEX IF NOT EXISTS segments_cover "
               "ON segments(id, episode_id, speaker, char_start)")
    db.execute("CREATE INDEX IF NOT EXISTS mentions_kind ON mentions(kind, segment_id)")
    fts.create(db)
    fts.rebuild(db)


@MIGRATIONS()
def m0003_mentions_by_entity(db: Database) -> None:
    """Searching for an entity reads the segments of its (tens of thousands of)
    mentions: an index on (entity, segment_id) answers that from the index alone,
    where an index on entity had to fetch every mention row."""
    db.execute("CREATE INDEX IF NOT EXISTS mentions_entity_segment "
               "ON mentions(entity, segment_id)")
    db.execute("DROP INDEX IF EXISTS mentions_entity")


@MIGRATIONS()
def m0004_undo_log(db: Database) -> None:
    """Undo history lives in the library, not in one process: the CLI beside the
    window undoes what the window did and the other way round, and an entity edit made
    by a child job is undone like any other step.  `undone` marks the redo side."""
    db.execute("CREATE TABLE IF NOT EXISTS undo_log (seq INTEGER PRIMARY KEY, "
               "label TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, "
               "undone INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL)")


@MIGRATIONS()
def m0005_user_edits(db: Database) -> None:
    """The user's corrections over imported text and details (issue 16).

    `turn_edits`: splits, speaker assignments and merges of an episode's turns, in
    the order made, anchored by text (`ingest/overlay.py`); replayed over the parsed
    segments whenever a file rewrites the episode's text.  `status` says whether the
    last replay could place it (`applied`) or not (`unfit`).  `episode_edits`: the
    title, show, date, URL or description the user set, kept over what files say.
    Neither is cascaded from `episodes`: like annotations, they are the user's work
    and outlive a removed episode (a re-import finds them again)."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS turn_edits (
            id INTEGER PRIMARY KEY,
            episode_id TEXT NOT NULL,
            op TEXT NOT NULL,                 -- split | assign | merge
            anchor TEXT NOT NULL,             -- JSON
            speaker TEXT,
            status TEXT NOT NULL DEFAULT 'applied',
            created TEXT
        );
        CREATE INDEX IF NOT EXISTS turn_edits_episode ON turn_edits(episode_id, id);

        CREATE TABLE IF NOT EXISTS episode_edits (
            episode_id TEXT NOT NULL,
            field TEXT NOT NULL,              -- title | show | date | url | description
            value TEXT,
            PRIMARY KEY (episode_id, field)
        );
        """
    )


@MIGRATIONS()
def m0006_cjk_pairs(db: Database) -> None:
    """Text without word spaces (Chinese, Japanese) becomes searchable inside a run:
    a derived `segments.cjk` column holds it as character pairs, indexed as a third
    column of both segment FTS tables (search/cjk.py).  The tables are rebuilt."""
    from aiviewer.store import fts

    if "cjk" not in {r[1] for r in db.execute("PRAGMA table_info(segments)")}:
        db.execute("ALTER TABLE segments ADD COLUMN cjk TEXT")
    fts.fill_cjk(db)
    if not {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE name = 'fts_segments' "
                                     "AND sql LIKE '%cjk%'")}:
        fts.recreate_segment_tables(db)


@MIGRATIONS()
def m0007_passage_vectors(db: Database) -> None:
    """Passage vectors for search by meaning (derived; `aiviewer reindex` rebuilds
    them).  The statements live in store/vectors.py."""
    from aiviewer.store import vectors

    vectors.create(db)


@MIGRATIONS()
def m0008_suggestions_and_decisions(db: Database) -> None:
    """Suggestions (mentions below the confidence bar) and the reader's decisions on them.

    `suggestions` is derived, written beside `mentions` by the same re-match and rebuilt by
    `reindex`.  It is its own table rather than a flag on `mentions` because search
    (`entity:`, `kind:`, `has:entity`, facets), the entity counts and "everywhere" all read
    `mentions`: a flag would have to be excluded in each of those queries, forever, while a
    table of its own cannot leak into any of them.

    `entity_decisions` is user data: a confirmation or rejection of a surface → entity
    pairing, for one episode (`scope` = its id) or the whole library (`scope` = '').
    A rejection beats the matcher's confidence; a confirmation makes the surface a mention.
    """
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS suggestions (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
            entity TEXT NOT NULL,               -- the proposed entity's canonical name
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,             -- offsets in the segment text
            end INTEGER NOT NULL,
            surface TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS suggestions_episode ON suggestions(episode_id, segment_id);

        CREATE TABLE IF NOT EXISTS entity_decisions (
            id INTEGER PRIMARY KEY,
            surface TEXT NOT NULL COLLATE NOCASE,  -- the spelling as heard
            entity TEXT NOT NULL COLLATE NOCASE,   -- canonical name
            kind TEXT NOT NULL,
            verdict TEXT NOT NULL,                 -- confirm | reject
            scope TEXT NOT NULL DEFAULT '',        -- an episode id, or '' for the library
            created TEXT NOT NULL,
            UNIQUE (surface, entity, scope)
        );
        """
    )


@MIGRATIONS()
def m0009_fts_declared_for_tools(db: Database) -> None:
    """The library is also a team's read-only window through Datasette and
    `sqlite-utils search`; both find a table's FTS index by `content="segments"`
    in its declaration, and `fts_segments` said `content='segments'`, so
    `?_search=` was silently ignored.  Re-declare it and refill it from the
    segments (derived data: nothing of the user's is touched)."""
    from aiviewer.store import fts

    if db["segments"].exists() and not fts.declared_for_tools(db):
        fts.redeclare_segments(db)


@MIGRATIONS()
def m0010_qspeed_insight_indexes(db: Database) -> None:
    """Insights of the whole library read every mention and every passage, grouped;
    two covering indexes let SQLite read them in group order from the index alone.

    - mentions(entity, kind, segment_id): the passages of each entity (0.3 s at 100x
      on a loaded machine, where reading the table took 2.4 s).  It answers all the
      (entity, segment_id) index did (search reads segment ids by entity), so it
      replaces that one.
    - segments(episode_id, speaker, id): the passages of each episode and speaker
      (0.09–0.2 s, where the covering index by id needed a sort: 0.3–0.5 s).
    """
    db.execute("CREATE INDEX IF NOT EXISTS mentions_entity_kind "
               "ON mentions(entity, kind, segment_id)")
    db.execute("DROP INDEX IF EXISTS mentions_entity_segment")
    db.execute("CREATE INDEX IF NOT EXISTS segments_episode_speaker "
               "ON segments(episode_id, speaker, id)")


@MIGRATIONS()
def m0011_imp60_fingerprints_without_rowid(db: Database) -> None:
    """Fingerprints keyed by (hash, episode_id), without a rowid: every read of the
    duplicate check looks hashes up and wants their episodes, which the hash index
    reached through the table, row by row; and each import wrote three b-trees per
    hash (the table, the hash index, the episode index) where two do.  The sample of
    an episode holds each hash once (`dedupe._sample`), so the pair is a key.
    Derived data: copied as it is."""
    if not db["fingerprints"].exists():
        return
    # statement by statement: `executescript` would commit the migration's transaction
    # half-way, and a crash between the drop and the rename would lose the table
    for sql in (
        "CREATE TABLE fingerprints_by_hash ("
        " hash INTEGER NOT NULL,"
        " episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,"
        " PRIMARY KEY (hash, episode_id)) WITHOUT ROWID",
        "INSERT OR IGNORE INTO fingerprints_by_hash (hash, episode_id) "
        "SELECT hash, episode_id FROM fingerprints ORDER BY hash, episode_id",
        "DROP TABLE fingerprints",
        "ALTER TABLE fingerprints_by_hash RENAME TO fingerprints",
        "CREATE INDEX fingerprints_episode ON fingerprints(episode_id)",
    ):
        db.execute(sql)


@MIGRATIONS()
def m0012_imp60_fingerprint_per_episode(db: Database) -> None:
    """One fingerprint row per episode, its sample in a blob (`store/fingerprints.py`),
    searched in memory (`ingest/fingerprint_index.py`): a row per hash made each
    import's commits rewrite pages all over the hash index.  A value in `meta`, drawn
    afresh by triggers on every change (cascades too), tells a process holding the
    in-memory index that it is stale.  Derived data: the samples are copied as stored."""
    from itertools import groupby

    from aiviewer.store import fingerprints

    db.execute("CREATE TABLE IF NOT EXISTS episode_fingerprints ("
               " episode_id TEXT PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,"
               " hashes BLOB NOT NULL)")
    db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, 'none')",
               [fingerprints.GENERATION_KEY])
    # a fresh random value, not a count: a count rolled back with a transaction could
    # be reached again by other changes, and an index would take itself for current
    bump = ("UPDATE meta SET value = lower(hex(randomblob(8))) "
            f"WHERE key = '{fingerprints.GENERATION_KEY}'")
    for when in ("INSERT", "UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER IF NOT EXISTS episode_fingerprints_{when.lower()} "
                   f"AFTER {when} ON episode_fingerprints BEGIN {bump}; END")
    if db["fingerprints"].exists():
        rows = db.execute("SELECT episode_id, hash FROM fingerprints ORDER BY episode_id")
        for eid, group in groupby(rows, key=lambda r: r[0]):
            fingerprints.replace(db, eid, (h for _, h in group))
        db.execute("DROP TABLE fingerprints")
