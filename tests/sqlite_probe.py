"""One value read from a library file on a fresh connection of the test's own, the
way a later process would see it."""

from __future__ import annotations

import sqlite3


def scalar(path, sql: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()
