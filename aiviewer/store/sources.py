"""Imported files and which episodes each one contributed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

from aiviewer.model import SourceRef


def now() -> str:
    # milliseconds: two edits of one annotation within a second must still be ordered
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def get_by_path(db: Database, path: str) -> dict | None:
    rows = list(db.query("SELECT * FROM sources WHERE path = ?", [path]))
    return rows[0] if rows else None


def upsert(db: Database, path: str, sha256: str | None, size: int | None, form: str | None,
           error: str | None = None) -> int:
    existing = get_by_path(db, path)
    values = {"sha256": sha256, "size": size, "form": form, "imported_at": now(), "error": error}
    if existing:
        db["sources"].update(existing["id"], values)
        return existing["id"]
    return db["sources"].insert({"path": path, **values}).last_pk


def link(db: Database, episode_id: str, source_id: int, ordinal: int, role: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO episode_sources (episode_id, source_id, ordinal, role) "
        "VALUES (?, ?, ?, ?)",
        [episode_id, source_id, ordinal, role],
    )


def unlink_source(db: Database, source_id: int) -> list[str]:
    """Forget which episodes a file gave (before re-reading it); returns their ids."""
    ids = [r[0] for r in db.execute(
        "SELECT DISTINCT episode_id FROM episode_sources WHERE source_id = ?", [source_id])]
    db.execute("DELETE FROM episode_sources WHERE source_id = ?", [source_id])
    return ids


def episode_ids_of_source(db: Database, source_id: int) -> set[str]:
    return {r[0] for r in db.execute(
        "SELECT episode_id FROM episode_sources WHERE source_id = ?", [source_id])}


def demote_primary(db: Database, episode_id: str) -> None:
    db.execute(
        "UPDATE episode_sources SET role = 'duplicate' WHERE episode_id = ? AND role = 'primary'",
        [episode_id],
    )


def source_refs(db: Database, episode_id: str) -> tuple[SourceRef, ...]:
    rows = db.execute(
        "SELECT s.path, es.role, s.form FROM episode_sources es JOIN sources s "
        "ON s.id = es.source_id WHERE es.episode_id = ? "
        "ORDER BY CASE es.role WHEN 'primary' THEN 0 WHEN 'duplicate' THEN 1 ELSE 2 END, s.path",
        [episode_id],
    )
    return tuple(SourceRef(path=p, role=r, form=f or "") for p, r, f in rows)


def sources_without_episodes(db: Database) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM sources WHERE id NOT IN (SELECT source_id FROM episode_sources)")]


def delete(db: Database, source_id: int) -> None:
    db.execute("DELETE FROM sources WHERE id = ?", [source_id])


def previous_links(db: Database, path: str) -> list[tuple[str, int, str]]:
    """(episode id, position in the file, role) of what a file gave on its last import."""
    row = get_by_path(db, path)
    if not row:
        return []
    return [(eid, ordinal, role) for eid, ordinal, role in db.execute(
        "SELECT episode_id, ordinal, role FROM episode_sources WHERE source_id = ?",
        [row["id"]])]


def has_source(db: Database, episode_id: str) -> bool:
    """Whether any imported file still provides the episode."""
    return db.execute("SELECT 1 FROM episode_sources WHERE episode_id = ? LIMIT 1",
                      [episode_id]).fetchone() is not None
