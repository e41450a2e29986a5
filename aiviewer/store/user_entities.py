"""The user's own entities (and catalog entities they hid), in the `entities` table.
They override the catalog; the matcher reads them through `Matcher.for_library`."""

from __future__ import annotations

import json

from sqlite_utils import Database

from aiviewer.model import Entity
from aiviewer.store.sources import now


def get(db: Database, canonical: str) -> dict | None:
    rows = list(db.query("SELECT * FROM entities WHERE canonical = ? COLLATE NOCASE",
                         [canonical]))
    return rows[0] if rows else None


def upsert(db: Database, entity: Entity) -> None:
    row = get(db, entity.canonical)
    values = [entity.kind, entity.description, json.dumps(list(entity.aliases)), entity.parent]
    if row:
        db.execute("UPDATE entities SET kind = ?, description = ?, aliases = ?, parent = ?, "
                   "hidden = 0, modified = ? WHERE id = ?", [*values, now(), row["id"]])
    else:
        db.execute("INSERT INTO entities (canonical, kind, description, aliases, parent, hidden, "
                   "created, modified) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                   [entity.canonical, *values, now(), now()])


def hide(db: Database, canonical: str, kind: str) -> None:
    """A catalog entity the user removed: remembered as hidden, so the catalog's
    next version does not bring it back."""
    row = get(db, canonical)
    if row:
        db.execute("UPDATE entities SET hidden = 1, modified = ? WHERE id = ?", [now(), row["id"]])
    else:
        db.execute("INSERT INTO entities (canonical, kind, hidden, created, modified) "
                   "VALUES (?, ?, 1, ?, ?)", [canonical, kind, now(), now()])


def delete(db: Database, canonical: str) -> None:
    db.execute("DELETE FROM entities WHERE canonical = ? COLLATE NOCASE", [canonical])


def all_user(db: Database) -> list[Entity]:
    out = []
    for r in db.query("SELECT * FROM entities WHERE hidden = 0 ORDER BY canonical"):
        out.append(Entity(r["canonical"], r["kind"], r["description"] or "",
                          tuple(json.loads(r["aliases"])) if r["aliases"] else (),
                          r["parent"], user=True))
    return out


def any_rows(db: Database) -> bool:
    """Whether the library has entities of the user's own (or hidden catalog ones)."""
    return db.execute("SELECT 1 FROM entities LIMIT 1").fetchone() is not None
