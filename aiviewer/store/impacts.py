"""The queries behind the impact index of the passage search (search/impacts.py).

FTS5's bm25 of a query is the sum, phrase by phrase, of what each phrase scores in a
row; a one-word phrase scores the same in any query (its idf, the row's length and
the average length are the index's, not the query's).  So the library's most
frequent words can have their score in every row they stand in read once, here,
from FTS5 itself, and a query made of such words scored without FTS5 running bm25
over tens of thousands of rows.  Everything here reads: the word list's fts5vocab table
lives in the connection's `temp` schema (a read-only connection may write there), and
queries are tokenised in a scratch in-memory database of their own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence

from sqlite_utils import Database

from aiviewer.search.filters import Filter
from aiviewer.store.fts import ALWAYS, SEGMENT_TOKENIZE, SEGMENT_WEIGHTS, _match_passing

TABLE = "fts_segments"
_VOCAB = "temp.aiviewer_segment_words"
_TOKENS = "aiviewer_tokenizer"
_TOKEN_VOCAB = "aiviewer_tokenizer_words"


def index_state(db: Database) -> bytes:
    """The passage index's structure record, which FTS5 rewrites on every write to the
    index, and its averages record (rows and tokens per column): scores read while they
    held these values hold while they still do, and another library at the same path
    (deleted and imported again) is told apart by its text's size too."""
    row = db.execute(f"SELECT (SELECT block FROM {TABLE}_data WHERE id = 10), "
                     f"(SELECT block FROM {TABLE}_data WHERE id = 1)").fetchone()
    return b"".join(bytes(b) for b in row if b is not None) if row else b""


def passage_count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM segments").fetchone()[0]


def frequent_words(db: Database, min_rows: int) -> list[tuple[str, int]]:
    """(indexed word, rows holding it) of the words in at least `min_rows` passages,
    most frequent first."""
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCAB} "
               f"USING fts5vocab(main, {TABLE}, 'row')")
    return db.execute(f"SELECT term, doc FROM {_VOCAB} WHERE doc >= ? ORDER BY doc DESC, term",
                      [min_rows]).fetchall()


def phrase_scores(db: Database, phrase: str) -> Iterator[tuple[int, float]]:
    """(passage id, what the one phrase `phrase` (FTS5 syntax) scores there), by id."""
    weights = ", ".join(str(w) for w in SEGMENT_WEIGHTS)
    return db.execute(f"SELECT rowid, -bm25({TABLE}, {weights}) FROM {TABLE} "
                      f"WHERE {TABLE} MATCH ? ORDER BY rowid", [phrase])


def tokens_of(texts: Sequence[str]) -> list[list[str]]:
    """What the passage index's tokenizer makes of each text (the words FTS5 looks up
    for a quoted phrase of it), through a scratch table with the same tokenizer in a
    database of its own: a write on the library's connection would move the write
    marker the search caches are keyed by."""
    with _scratch_lock:
        db = _scratch()
        out: list[list[str]] = [[] for _ in texts]
        try:
            db.executemany(f"INSERT INTO {_TOKENS}(rowid, text) VALUES (?, ?)",
                           list(enumerate(texts)))
            for doc, term in db.execute(f"SELECT doc, term FROM {_TOKEN_VOCAB} "
                                        "ORDER BY doc, offset"):
                out[doc].append(term)
        finally:
            db.execute(f"DELETE FROM {_TOKENS}")
        return out


_scratch_db: list[sqlite3.Connection] = []
_scratch_lock = threading.Lock()


def _scratch() -> sqlite3.Connection:
    if not _scratch_db:
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        db.execute(f"CREATE VIRTUAL TABLE {_TOKENS} USING fts5(text, "
                   f"tokenize='{SEGMENT_TOKENIZE}')")
        db.execute(f"CREATE VIRTUAL TABLE {_TOKEN_VOCAB} USING fts5vocab({_TOKENS}, 'instance')")
        _scratch_db.append(db)
    return _scratch_db[0]


def matching_ids(db: Database, match: str, where: Filter = ALWAYS) -> list[int]:
    """Ids of the passages that match and pass `where`, unscored, unordered."""
    joins, cond, params = _match_passing(TABLE, where)
    return [i for (i,) in db.execute(f"SELECT {TABLE}.rowid FROM {TABLE}{joins} WHERE {cond}",
                                     [match, *params])]


@contextlib.contextmanager
def snapshot(db: Database) -> Iterator[Database]:
    """A read transaction: every query inside sees the same library."""
    db.execute("BEGIN")
    try:
        yield db
    finally:
        db.execute("COMMIT")
