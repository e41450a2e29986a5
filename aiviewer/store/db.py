"""Opening the SQLite store: pragmas, schema checks, migrations, transactions.

One `Store` wraps one connection.  The app holds several at once (the window's,
one per worker thread) while child processes and the CLI open their own, so two
rules keep every write on disk:

- **No ordinary file I/O on the library file while a connection to it is open in
  the process.**  On POSIX, closing *any* descriptor of a file drops every fcntl
  lock the process holds on it, including the shared lock SQLite keeps on a WAL
  database; another process then believes it is the last one, checkpoints and
  deletes the `-wal`, and this process goes on writing into an unlinked file.  So
  nothing here opens, copies or reads the file with `open`, `shutil` or `os.open`:
  damage is judged by SQLite, and copies are made through SQLite
  (`tests/store/test_no_file_io.py` holds the rule).
- **Damage is what SQLite says it is** (an error on opening or reading, or
  `PRAGMA quick_check`), never a stricter reading of the header: during another
  process's checkpoint the header may promise pages the file has not grown to
  yet, and SQLite reads such a file correctly.  Once any connection in the process
  sees damage, no connection in the process writes to that file again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from aiviewer.errors import (
    SchemaTooNew,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreReadOnly,
)
from aiviewer.store import backups
from aiviewer.store.migrations import MIGRATIONS, known_names

BUSY_TIMEOUT_MS = 10_000

# Process-wide, keyed by the resolved path and the file's inode: every connection
# in this process to a file one of them found damaged refuses to write to it, until
# a restore (here or in another process) puts another file in its place.
_damaged: dict[str, tuple[int, str]] = {}
_damaged_lock = threading.Lock()
_open_stores: weakref.WeakSet[Store] = weakref.WeakSet()


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path)


def _inode(path: Path) -> int:
    try:
        return path.stat().st_ino  # a stat opens nothing
    except OSError:
        return -1


def mark_damaged(path: str | os.PathLike[str], reason: str) -> None:
    """Remember for the whole process that this library file is damaged."""
    with _damaged_lock:
        _damaged.setdefault(_key(Path(path)), (_inode(Path(path)), reason))


def damage_of(path: str | os.PathLike[str]) -> str | None:
    """The damage some connection in this process found in the file, if any."""
    found = _damaged.get(_key(Path(path)))
    if found is None or found[0] != _inode(Path(path)):
        return None
    return found[1]


def forget_damage(path: str | os.PathLike[str]) -> None:
    """A restore put a new file in place: it starts with a clean record."""
    with _damaged_lock:
        _damaged.pop(_key(Path(path)), None)


def open_connections(path: str | os.PathLike[str]) -> int:
    """How many `Store`s in this process have this file open (restores need none)."""
    key = _key(Path(path))
    return sum(1 for s in list(_open_stores) if s.conn is not None and s.key == key)


def is_interrupt(exc: BaseException) -> bool:
    """Whether SQLite stopped a statement because `Store.interrupt` asked it to."""
    return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc).lower()


def is_damage(exc: BaseException) -> bool:
    """SQLite's own word that the file is damaged (not busy, not full, not I/O)."""
    if isinstance(exc, sqlite3.DatabaseError):
        code = getattr(exc, "sqlite_errorcode", None)
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


class Store:
    """An open library database, migrated to the current schema."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True,
                 read_only: bool = False):
        self.path = Path(path)
        self.memory = str(self.path) == ":memory:"
        self.key = ":memory:" if self.memory else _key(self.path)
        self._lock = threading.RLock()
        self.conn: sqlite3.Connection | None = None
        self.read_only_reason = ""
        if not self.memory:
            self._refuse_empty_with_backups()
            self.read_only_reason = "opened read-only" if read_only else _not_writable(self.path)
            known = damage_of(self.path)
            if known:
                self._refuse(known)
        self.read_only = bool(self.read_only_reason)
        try:
            conn = self._connect()
            self.conn = conn
            self.db = sqlite_utils.Database(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # SQLite reads the header and the schema here: a file that is not a
            # database, or whose schema pages are damaged, fails now, before
            # anything could write to it (journal mode, migrations).
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self._check_not_newer()
            conn.execute("PRAGMA foreign_keys = ON")
            if not self.read_only:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal" and not self.memory:
                    raise StoreError(f"{self.path}: cannot switch the store to WAL mode ({mode})")
                conn.execute("PRAGMA synchronous = NORMAL")
                if migrate:
                    self._migrate()
            elif MIGRATIONS.pending(self.db) and self.applied_migrations():
                raise StoreReadOnly(
                    f"{self.path} needs an update of its format, which a read-only library "
                    f"cannot take ({self.read_only_reason}); make it writable and open it again.")
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            if is_damage(exc):
                if not self.memory:
                    mark_damaged(self.path, str(exc))
                self._refuse(str(exc))
            raise StoreError(f"{self.path}: the library file cannot be read ({exc})") from exc
        except BaseException:
            self._close_quietly()
            raise
        _open_stores.add(self)

    def _connect(self) -> sqlite3.Connection:
        timeout = BUSY_TIMEOUT_MS / 1000
        if self.memory:
            return sqlite3.connect(":memory:", timeout=timeout, check_same_thread=False,
                                   isolation_level=None)
        if not self.read_only:
            return sqlite3.connect(str(self.path), timeout=timeout, check_same_thread=False,
                                   isolation_level=None)
        try:
            conn = sqlite3.connect(backups.file_uri(self.path, mode="ro"), uri=True,
                                   timeout=timeout,
                                   check_same_thread=False, isolation_level=None)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            # a WAL library in a folder we cannot write: SQLite cannot make the
            # shared-memory file, so read the file as it is (nothing else can be
            # writing to it either)
            return sqlite3.connect(backups.file_uri(self.path, immutable="1"), uri=True,
                                   timeout=timeout,
                                   check_same_thread=False, isolation_level=None)

    def _refuse_empty_with_backups(self) -> None:
        """A zero-length library is a new one, unless backups say it held a library:
        then it is refused with the newest backup offered (`stat` opens nothing)."""
        try:
            if self.path.is_dir():
                raise StoreError(f"{self.path} is a folder, not a library file; "
                                 "choose another data directory.")
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot be read ({exc.strerror or exc})") from exc
        if size == 0 and backups.list_backups(self.path):
            self._refuse("the file is empty (0 bytes)")

    def _refuse(self, reason: str) -> None:
        found = tuple(str(p) for p in backups.list_backups(self.path))
        hint = (f" A backup from {_when(found[0])} can be restored "
                "(aiviewer restore); whatever can still be read from this file "
                "(annotations, tags, notes, speaker names, your entities) is merged into it."
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
            problem = self.verify()
            if problem:
                self._refuse(problem)
            self.backup(kind="pre-migration")
        with self._lock:
            MIGRATIONS.apply(self.db)

    # -- health and backups ------------------------------------------------------------

    def verify(self) -> str | None:
        """Ask SQLite whether the file is sound (`PRAGMA quick_check`: every page and
        record, without cross-checking indexes).  Returns the problem, and remembers
        it for the whole process, or None.  Runs on a connection of its own so that
        a second of checking never holds up this one."""
        if self.memory:
            return None
        known = damage_of(self.path)
        if known:
            return known
        try:
            problem = backups.quick_check(self.path)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                return None  # busy or unreadable just now is not damage
            problem = str(exc)
        if problem:
            mark_damaged(self.path, problem)
        return problem

    def refuse_if_damaged(self) -> None:
        """Verify, and raise `StoreCorrupt` (naming the backups) if the file is damaged:
        what a command that is about to write calls first."""
        problem = self.verify()
        if problem:
            self._refuse(problem)

    @property
    def damaged(self) -> str | None:
        return None if self.memory else damage_of(self.path)

    def backup(self, kind: str = "backup") -> Path:
        """A light, verified copy of what cannot be rebuilt, next to the file."""
        self._refuse_to_copy_damage()
        return backups.take(self.path, kind)

    def daily_backup(self) -> Path | None:
        """Take the once-a-day copy if it is due (the app calls this, not the CLI);
        keep the last few.  A damaged library is never copied."""
        if self.memory:
            return None
        target = None
        if backups.daily_backup_due(self.path):
            problem = self.verify()
            if problem:
                self._refuse(problem)
            target = self.backup("daily")
        backups.prune_daily(self.path)
        return target

    def _refuse_to_copy_damage(self) -> None:
        problem = self.damaged
        if problem:
            self._refuse(problem)

    # -- transactions ----------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction; nested calls become savepoints.

        The outer transaction starts with BEGIN IMMEDIATE so that a second
        process waits for the write lock up front (busy timeout) instead of
        failing half way when it upgrades a read transaction.  A read-only or
        damaged library refuses before anything is written.
        """
        with self._lock:
            if self.conn is None:
                raise StoreError(f"{self.path}: the library is closed; this change was not saved.")
            if self.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            if self.read_only:
                raise StoreReadOnly(f"{self.path} is read-only ({self.read_only_reason}); "
                                    "this change was not saved.")
            self._refuse_to_write_damage()
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
                raise self.translate(exc) from exc

    def _refuse_to_write_damage(self) -> None:
        problem = self.damaged
        if problem:
            found = tuple(str(p) for p in backups.list_backups(self.path))
            raise StoreCorrupt(f"{self.path} is damaged ({problem}); this change was not "
                               "saved and nothing more is written to the file.",
                               str(self.path), found)

    def translate(self, exc: sqlite3.DatabaseError) -> StoreError:
        """SQLite's failures as our errors, with the file named and what happened
        to the change said plainly."""
        text = str(exc).lower()
        code = getattr(exc, "sqlite_errorcode", None)
        if code == sqlite3.SQLITE_FULL or "full" in text:
            return StoreFull(f"{self.path}: the disk is full; this change was not saved "
                             "and the library is as it was before it.")
        if is_damage(exc):
            if not self.memory:
                mark_damaged(self.path, str(exc))
            found = tuple(str(p) for p in backups.list_backups(self.path))
            return StoreCorrupt(f"{self.path} is damaged: {exc}. This change was not saved.",
                                str(self.path), found)
        if code == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
            return StoreReadOnly(f"{self.path} cannot be written ({exc}); "
                                 "this change was not saved.")
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text \
                or "busy" in text:
            return StoreBusy(f"{self.path}: another aiviewer is writing to this library "
                              "and did not finish in time; this change was not saved; "
                              "try again.")
        return StoreError(f"{self.path}: {exc}; this change was not saved.")

    def set_busy_timeout(self, ms: int) -> None:
        """How long a write waits for another writer's lock before `StoreBusy`.  The
        window waits briefly and shows that it is waiting instead of freezing."""
        with self._lock:
            self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

    @contextlib.contextmanager
    def bulk_load(self, cache_mb: int = 64):
        """A larger page cache for this connection while a bulk import runs (SQLite's
        default is 2 MB): the fingerprint, mention and segment indexes take random
        inserts, and with a small cache each file's transaction reads their pages
        again.  Only this connection, only until the import ends."""
        with self._lock:
            before = self.conn.execute("PRAGMA cache_size").fetchone()[0]
            self.conn.execute(f"PRAGMA cache_size = {-int(cache_mb) * 1024}")
        try:
            yield
        finally:
            with self._lock:
                if self.conn is not None:
                    self.conn.execute(f"PRAGMA cache_size = {int(before)}")

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def give_back_space(self) -> None:
        """Shrink the write-ahead log to nothing after a write that failed for want of
        space: a rolled-back transaction leaves the log at the size it reached, and on
        a full disk that is the room the next small write needs.  Best effort (another
        connection reading keeps the log)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    @contextlib.contextmanager
    def stoppable(self, stop: threading.Event):
        """Statements run inside stop as soon as `stop` is set, whenever it is set: SQLite
        checks it every few thousand steps.  `interrupt` alone stops only a statement
        running at that instant; one set between two statements (or before the first
        began) was lost, and the search it meant to stop ran on to the end — an endless
        one in a test held the reader thread for the rest of the run."""
        conn = self.conn
        if conn is None:
            yield
            return
        conn.set_progress_handler(lambda: 1 if stop.is_set() else 0, 1000)
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.set_progress_handler(None, 0)

    def interrupt(self) -> None:
        """Stop the statements running on this store's connections (from any thread):
        they raise an error that `is_interrupt` recognises.  A no-op when none runs."""
        conn = self.conn
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.interrupt()

    def _close_quietly(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        with self._lock:
            self._close_quietly()
        _open_stores.discard(self)


def _not_writable(path: Path) -> str:
    """Why the library cannot be written, or "" (WAL needs the folder too)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK):
        return "its folder is read-only"
    return ""


def _when(path: str) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(Path(path).stat().st_mtime))
