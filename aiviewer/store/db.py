"""Opening the SQLite store: pragmas, schema checks, migrations, transactions.

One `Store` wraps one connection.  The UI keeps one for the serial writer and
opens others for read queries; WAL lets them run side by side.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from aiviewer.errors import SchemaTooNew, StoreCorrupt, StoreError, StoreFull
from aiviewer.store import backups
from aiviewer.store.migrations import MIGRATIONS, known_names

BUSY_TIMEOUT_MS = 10_000


class Store:
    """An open library database, migrated to the current schema."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True):
        self.path = Path(path)
        self._lock = threading.RLock()
        if str(self.path) != ":memory:":
            self._refuse_if_damaged(backups.damage(self.path))
        try:
            conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                isolation_level=None,
            )
            self.db = sqlite_utils.Database(conn)
            self.conn = conn
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Checked before anything that could write (journal mode, migrations).
            self._check_not_newer()
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and str(self.path) != ":memory:":
                raise StoreError(f"{self.path}: cannot switch the store to WAL mode ({mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):
                self._refuse_if_damaged(str(exc))
            raise StoreError(f"{self.path}: the library file cannot be read ({exc})") from exc

    def _refuse_if_damaged(self, reason: str | None) -> None:
        if reason:
            found = tuple(str(p) for p in backups.list_backups(self.path))
            hint = (f" A backup from {_when(found[0])} can be restored."
                    if found else " No backup of it exists.")
            raise StoreCorrupt(f"{self.path} is damaged: {reason}. It has not been changed."
                               + hint, str(self.path), found)

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
        return backups.copy_live(self.conn, backups.backup_path(self.path, suffix))

    def daily_backup(self) -> Path | None:
        """Take the once-a-day copy if it is due; keep the last few."""
        if str(self.path) == ":memory:":
            return None
        target = self.backup("daily") if backups.daily_backup_due(self.path) else None
        backups.prune_daily(self.path)
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
            try:
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
            except sqlite3.DatabaseError as exc:
                raise self._translate(exc) from exc

    def _translate(self, exc: sqlite3.DatabaseError) -> StoreError:
        """SQLite's write failures as our errors, with the file named."""
        text = str(exc).lower()
        if "full" in text:
            return StoreFull(f"{self.path}: the disk is full; this change was not saved "
                             "and the library is as it was before it.")
        if _is_damage(exc):
            found = tuple(str(p) for p in backups.list_backups(self.path))
            return StoreCorrupt(f"{self.path} is damaged: {exc}.", str(self.path), found)
        if "locked" in text or "busy" in text:
            return StoreError(f"{self.path}: another aiviewer is writing to this library "
                              "and did not finish in time; try again.")
        return StoreError(f"{self.path}: {exc}")

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _when(path: str) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(Path(path).stat().st_mtime))
