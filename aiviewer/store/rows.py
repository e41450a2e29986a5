"""Writing a row given as a dict, for the code that copies rows between libraries
or back from a snapshot (undo, salvage), where the columns are whatever was read."""

from __future__ import annotations


def insert(db, table: str, row: dict, *, replace: bool = False,
           without: tuple[str, ...] = ()) -> int:
    """INSERT (or INSERT OR REPLACE) `row` into `table`, leaving out the `without`
    columns (an id the target assigns anew); returns the new rowid."""
    cols = [c for c in row if c not in without]
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    return db.execute(f"{verb} INTO {table} ({', '.join(cols)}) "
                      f"VALUES ({', '.join('?' for _ in cols)})",
                      [row[c] for c in cols]).lastrowid
