"""Opening the SQLite store: pragmas, schema checks, migrations, transactions.

One `Store` wraps one connection.  The UI keeps one for the serial writer and
opens others for read queries; WAL lets them run side by side.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from aiviewer.errors import SchemaTooNew, StoreError
from aiviewer.store.migrations import MIGRATIONS, known_names

BUSY_TIMEOUT_MS = 10_000


class Store:
    """An open library database, migrated to the current schema."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True):
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                isolation_level=None,
            )
            self.db = sqlite_utils.Database(conn)
            self.conn = conn
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and str(self.path) != ":memory:":
                raise StoreError(f"{self.path}: cannot switch the store to WAL mode ({mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._check_not_newer()
            if migrate:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the library file cannot be read ({exc})") from exc

    # -- schema ----------------------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        return [m.name for m in MIGRATIONS.applied(self.db)]

    def _check_not_newer(self) -> None:
        unknown = [n for n in self.applied_migrations() if n not in known_names()]
        if unknown:
            raise SchemaTooNew(
                f"{self.path} was created by a newer version of aiviewer "
                f"(unknown schema steps: {', '.join(unknown)}); it is left untouched. "
                "Update aiviewer to open it."
            )

    def _migrate(self) -> None:
        pending = MIGRATIONS.pending(self.db)
        if not pending:
            return
        if self.applied_migrations():
            self.backup(suffix="pre-migration")
        with self._lock:
            MIGRATIONS.apply(self.db)

    def backup(self, suffix: str = "backup") -> Path:
        """Copy the store with SQLite's online backup, next to the file."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.{suffix}-{stamp}{self.path.suffix}")
        dest = sqlite3.connect(str(target))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        return target

    # -- transactions ----------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction; nested calls become savepoints.

        The outer transaction starts with BEGIN IMMEDIATE so that a second
        process waits for the write lock up front (busy timeout) instead of
        failing half way when it upgrades a read transaction.
        """
        with self._lock:
            if self.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


def copy_file(src: Path, dest: Path) -> None:
    """Copy a store file byte for byte (used to restore backups)."""
    shutil.copyfile(src, dest)
