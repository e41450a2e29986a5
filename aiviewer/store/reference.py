"""The benchmarks' floors, timed beside the real thing: for the import, raw lines
stored in one plain table in one transaction (sqlite3 alone, none of the library's
schema); for search as you type, the same FTS5 tables queried with nothing around
them (no parsing, entities, facets or widgets)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable


def store_raw_lines(path: str | os.PathLike[str], rows: Iterable[tuple[str, str]]) -> None:
    """Write (file, line) rows into a new database at `path`."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE lines (file TEXT, line TEXT)")
        with conn:
            conn.executemany("INSERT INTO lines VALUES (?, ?)", rows)
    finally:
        conn.close()


# --- the search benchmarks' floor: FTS5 alone on the library's own file ---------------


def open_read_only(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A plain read-only connection to a library file (none of the app's code)."""
    return sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True)


def raw_ranked(conn: sqlite3.Connection, match: str, limit: int = 30) -> int:
    """What a ranked page costs FTS5 alone: the top `limit` passages by bm25 with
    snippets, and the count of every match; returns the count."""
    conn.execute(
        "SELECT rowid, snippet(fts_segments, 1, '[', ']', '…', 24) FROM fts_segments "
        "WHERE fts_segments MATCH ? ORDER BY bm25(fts_segments, 2.0, 1.0, 1.0) LIMIT ?",
        [match, limit]).fetchall()
    return conn.execute("SELECT count(*) FROM fts_segments WHERE fts_segments MATCH ?",
                        [match]).fetchone()[0]


def raw_prefix(conn: sqlite3.Connection, match: str, limit: int = 30) -> int:
    """What a keystroke's unranked first hits cost FTS5 alone (the prefix index)."""
    return len(conn.execute(
        "SELECT rowid, snippet(fts_prefix, 1, '[', ']', '…', 24) FROM fts_prefix "
        "WHERE fts_prefix MATCH ? LIMIT ?", [match, limit]).fetchall())



def build_fts(library: str | os.PathLike[str], path: str | os.PathLike[str]) -> int:
    """The scale benchmark's reference: the two full-text indexes the library keeps over
    its passages (stemmed; unstemmed with 2- and 3-letter prefixes: `store/fts.py`),
    built by SQLite alone from the library's passage text in one transaction, into a
    new database at `path`.  Returns the number of passages indexed."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("ATTACH DATABASE ? AS lib", [os.fspath(library)])
        conn.execute("CREATE VIRTUAL TABLE stemmed USING fts5(speaker, text, cjk, "
                     "tokenize='porter unicode61 remove_diacritics 2')")
        conn.execute("CREATE VIRTUAL TABLE prefixed USING fts5(speaker, text, cjk, "
                     "tokenize='unicode61 remove_diacritics 2', prefix='2 3')")
        with conn:
            n = 0
            for table in ("stemmed", "prefixed"):
                n = conn.execute(f"INSERT INTO {table}(rowid, speaker, text, cjk) "
                                 "SELECT id, speaker, text, cjk FROM lib.segments").rowcount
        return n
    finally:
        conn.close()
