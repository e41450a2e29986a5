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
