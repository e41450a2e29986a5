"""Automatic copies of the library, and putting one back without losing work.

A backup holds what cannot be rebuilt — the imported text, the episodes'
metadata, and everything the user wrote (annotations, tags, notes, speaker names,
their own entities) — and leaves out what is derived (the full-text indexes,
entity mentions, duplicate fingerprints), which a restore rebuilds.  At 100x the
seeds that is a fifth of the library file.

Every copy is made through SQLite (ATTACH in a read transaction: a consistent
snapshot that respects other processes' locks), written under a temporary name,
checked with `quick_check` and only then renamed to its final name, so a kill
part way leaves nothing that counts as a backup.  Nothing here opens the library
file with Python's own file functions (see `store/db.py` for why).

Restoring never overwrites or deletes the damaged file: it is set aside under a
new name.  Before that, whatever SQLite can still read from it is salvaged and
merged into the restored copy (`store/salvage.py`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from aiviewer.errors import StoreError

DAY_S = 24 * 3600
KEEP_DAILY = 3
KINDS = ("pre-migration", "daily", "backup")
PARTIAL = ".partial"

# Derived tables: rebuilt by a restore (`Library.reindex`), so never copied.
DERIVED_TABLES = frozenset({"mentions", "suggestions", "episode_fingerprints", "passage_vectors"})


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"


def backup_path(db_path: Path, kind: str) -> Path:
    return db_path.with_name(f"{db_path.stem}.{kind}-{_stamp()}{db_path.suffix}")


def list_backups(db_path: Path) -> list[Path]:
    """Complete backups of `db_path`, newest first (pre-migration and daily alike);
    a copy still under its temporary name is not one."""
    found = []
    for kind in KINDS:
        for p in db_path.parent.glob(f"{db_path.stem}.{kind}-*{db_path.suffix}"):
            try:
                found.append((p.stat().st_mtime, p))
            except OSError:
                continue
    return [p for _, p in sorted(found, reverse=True)]


def file_uri(path: Path, **params: str) -> str:
    """A `file:` URI for SQLite (`mode=ro`, `immutable=1`), with the path quoted."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return path.resolve().as_uri() + (f"?{query}" if query else "")


def quick_check(path: Path) -> str | None:
    """SQLite's `quick_check` of a file, on a connection of its own: None when
    sound, else what it found."""
    conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True, timeout=10)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    finally:
        conn.close()
    return None if rows == ["ok"] else "; ".join(str(r) for r in rows)


def _shadow_tables(schema: list[tuple[str, str, str, str]]) -> set[str]:
    """Tables an FTS5 virtual table makes for itself (`x_data`, `x_idx`, …)."""
    virtual = [name for kind, name, _, sql in schema
               if kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return {name for kind, name, _, _ in schema if kind == "table"
            for v in virtual if name.startswith(v + "_")}


def take(db_path: Path, kind: str = "backup") -> Path:
    """A light backup of the library: every table but the derived ones, with the
    whole schema (indexes, triggers, empty full-text tables).  Returns its path."""
    target = backup_path(db_path, kind)
    partial = target.with_name(target.name + PARTIAL)
    try:
        _copy_light(db_path, partial)
        problem = quick_check(partial)
        if problem:
            raise StoreError(f"{partial}: the new backup did not verify ({problem})")
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        _remove(partial)
        raise StoreError(f"{db_path}: cannot write a backup ({exc})") from exc
    except BaseException:
        _remove(partial)
        raise
    return target


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal")):
        try:
            p.unlink()
        except OSError:
            pass


def _copy_light(db_path: Path, target: Path) -> None:
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        dest.execute("PRAGMA synchronous = FULL")
        dest.execute("ATTACH DATABASE ? AS src", (file_uri(db_path, mode="ro"),))
        dest.execute("BEGIN")  # one read transaction on src: a consistent snapshot
        schema = [tuple(r) for r in dest.execute(
            "SELECT type, name, tbl_name, sql FROM src.sqlite_master "
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
        shadows = _shadow_tables(schema)
        later = []
        for kind, name, _, sql in schema:
            if kind != "table" or name in shadows:
                if kind in ("index", "trigger"):
                    later.append(sql)
                continue
            dest.execute(sql)
            if sql.upper().startswith("CREATE VIRTUAL TABLE") or name in DERIVED_TABLES:
                continue
            dest.execute(f'INSERT INTO main."{name}" SELECT * FROM src."{name}"')
        for sql in later:
            dest.execute(sql)
        dest.execute("COMMIT")
        dest.execute("DETACH DATABASE src")
    finally:
        dest.close()


def daily_backup_due(db_path: Path, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    daily = [p for p in list_backups(db_path) if ".daily-" in p.name]
    return not daily or now - daily[0].stat().st_mtime > DAY_S


def prune_daily(db_path: Path, keep: int = KEEP_DAILY) -> None:
    daily = [p for p in list_backups(db_path) if ".daily-" in p.name]
    for old in daily[keep:]:
        old.unlink(missing_ok=True)
    # copies a kill left under their temporary name
    for stale in db_path.parent.glob(f"{db_path.stem}.*{db_path.suffix}{PARTIAL}*"):
        try:
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
        except OSError:
            continue


def restore(db_path: Path, backup: Path):
    """Put `backup` in place of `db_path`, with whatever can still be read from
    `db_path` salvaged and merged in.  Returns where the damaged file went (None
    when there was none) and the `salvage.Salvage` to merge once it is open.  No connection to `db_path`
    may be open in this process (the caller closes them first)."""
    from aiviewer.store import db as db_mod
    from aiviewer.store import salvage

    if db_mod.open_connections(db_path):
        raise StoreError(f"{db_path}: close the library before restoring it")
    try:
        problem = quick_check(backup)
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem:
        raise StoreError(f"{backup}: cannot restore this backup: it is damaged too ({problem})")
    rescued = salvage.read(db_path) if db_path.exists() else salvage.Salvage()
    aside = None
    try:
        incoming = db_path.with_name(db_path.name + ".restoring")
        _remove(incoming)
        src = sqlite3.connect(file_uri(backup, mode="ro"), uri=True)
        dest = sqlite3.connect(str(incoming))
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
        if db_path.exists() or any(db_path.with_name(db_path.name + x).exists()
                                   for x in ("-wal", "-shm")):
            aside = db_path.with_name(f"{db_path.stem}.damaged-{_stamp()}{db_path.suffix}")
            for extra in ("", "-wal", "-shm"):
                side = db_path.with_name(db_path.name + extra)
                if side.exists():
                    side.rename(aside.with_name(aside.name + extra))
        os.replace(incoming, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{backup}: cannot restore this backup ({exc})") from exc
    db_mod.forget_damage(db_path)
    return aside, rescued
