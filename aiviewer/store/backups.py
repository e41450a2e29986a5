"""Automatic copies of the library file, and putting one back.

The store is the only place user-written data (tags, notes) lives, so it is
copied before every schema migration and once a day.  Restoring never
overwrites or deletes the damaged file: it is set aside under a new name, in
case a recovery tool can still read something from it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from aiviewer.errors import StoreError

DAY_S = 24 * 3600
KEEP_DAILY = 3
HEADER = b"SQLite format 3\x00"


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"


def backup_path(db_path: Path, kind: str) -> Path:
    return db_path.with_name(f"{db_path.stem}.{kind}-{_stamp()}{db_path.suffix}")


def list_backups(db_path: Path) -> list[Path]:
    """Backups of `db_path`, newest first (pre-migration and daily alike)."""
    found = [p for kind in ("pre-migration", "daily", "backup")
             for p in db_path.parent.glob(f"{db_path.stem}.{kind}-*{db_path.suffix}")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def copy_live(conn: sqlite3.Connection, target: Path) -> Path:
    """SQLite's online backup: a consistent copy even while others write."""
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def daily_backup_due(db_path: Path, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    daily = [p for p in list_backups(db_path) if ".daily-" in p.name]
    return not daily or now - daily[0].stat().st_mtime > DAY_S


def prune_daily(db_path: Path, keep: int = KEEP_DAILY) -> None:
    daily = [p for p in list_backups(db_path) if ".daily-" in p.name]
    for old in daily[keep:]:
        old.unlink(missing_ok=True)


def damage(db_path: Path) -> str | None:
    """A reason the file is unreadable, judged from its header without opening it
    (opening a damaged file in WAL mode could write to it)."""
    try:
        size = db_path.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return None  # a new, empty store
    with db_path.open("rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(HEADER):
        return "it is not an SQLite database (the header is damaged)"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1):
        return "the header is damaged (impossible page size)"
    if pages and pages * page_size > size:
        return (f"the file is truncated ({size:,} bytes on disk, "
                f"{pages * page_size:,} expected)")
    return None


def restore(db_path: Path, backup: Path) -> Path:
    """Put `backup` in place of `db_path`; return where the damaged file went."""
    try:
        return _restore(db_path, backup)
    except (OSError, sqlite3.DatabaseError) as exc:
        raise StoreError(f"{backup}: cannot restore this backup ({exc})") from exc


def _restore(db_path: Path, backup: Path) -> Path:
    check = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        ok = str(exc)
    finally:
        check.close()
    if ok != "ok":
        raise sqlite3.DatabaseError(f"the backup {backup.name} is damaged too ({ok})")
    aside = db_path.with_name(f"{db_path.stem}.damaged-{_stamp()}{db_path.suffix}")
    if db_path.exists():
        db_path.rename(aside)
    for extra in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + extra)
        if side.exists():
            side.rename(aside.with_name(aside.name + extra))
    tmp = db_path.with_name(db_path.name + ".restoring")
    tmp.write_bytes(backup.read_bytes())
    tmp.replace(db_path)
    return aside
