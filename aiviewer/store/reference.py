"""The import benchmark's floor, timed beside the real import: raw lines stored in
one plain table in one transaction (sqlite3 alone, none of the library's schema)."""

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
