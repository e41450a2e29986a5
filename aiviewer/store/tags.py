"""Tags: hierarchical names (`method/RL/GRPO`), colours, and their links to annotations."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from aiviewer.export.neutral import colour as valid_colour
from aiviewer.model import Tag
from aiviewer.render.palette import TAG_DEFAULTS
from aiviewer.store.sources import now

# new tags' colours: the visual system's defaults, away from every entity colour
PALETTE = TAG_DEFAULTS


def normalise(name: str) -> str:
    """`  Method / RL/ GRPO ` → `Method/RL/GRPO`; empty parts dropped."""
    return "/".join(p.strip() for p in name.replace("\\", "/").split("/") if p.strip())


def family_colour(db: Database, name: str) -> str:
    """A new tag's colour: that of the first tag of its family (the part before the
    first "/": `method/GRPO` is of `method`'s family), so a family reads as one colour in
    the margin; a new family takes the palette's next colour.  (Each tag took the next
    colour, and a review saw `method/RL` and `method/GRPO` in unrelated colours.)"""
    family = name.split("/", 1)[0]
    row = db.execute(
        "SELECT colour FROM tags WHERE name = ? OR substr(name, 1, ?) = ? ORDER BY id LIMIT 1",
        [family, len(family) + 1, family + "/"]).fetchone()
    if row and valid_colour(row[0]):
        return row[0]
    families = db.execute(
        "SELECT count(DISTINCT substr(name, 1, instr(name || '/', '/') - 1)) FROM tags"
    ).fetchone()[0]
    return PALETTE[families % len(PALETTE)]


def get(db: Database, name: str) -> dict | None:
    rows = list(db.query("SELECT * FROM tags WHERE name = ?", [name]))
    return rows[0] if rows else None


def ensure(db: Database, name: str, colour: str | None = None) -> int:
    """The tag's id, creating it (and a colour: `family_colour`) when new.  A colour
    that is not `#rgb`/`#rrggbb` (an imported file's) is replaced by that one."""
    row = get(db, name)
    if row:
        return row["id"]
    colour = valid_colour(colour) or family_colour(db, name)
    cur = db.execute("INSERT INTO tags (name, colour, created) VALUES (?, ?, ?)",
                     [name, colour, now()])
    return cur.lastrowid


def all_tags(db: Database) -> list[Tag]:
    rows = db.execute(
        "SELECT t.id, t.name, t.colour, count(at.annotation_id) FROM tags t "
        "LEFT JOIN annotation_tags at ON at.tag_id = t.id GROUP BY t.id ORDER BY t.name "
        "COLLATE NOCASE").fetchall()
    return [Tag(r[0], r[1], r[2], r[3]) for r in rows]


def with_children(db: Database, name: str) -> list[dict]:
    return list(db.query("SELECT * FROM tags WHERE name = ? OR name LIKE ? ESCAPE '\\'",
                         [name, _like_prefix(name)]))


def _like_prefix(name: str) -> str:
    return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"


def annotation_ids_with(db: Database, tag_ids: Iterable[int]) -> set[str]:
    ids = list(tag_ids)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    return {r[0] for r in db.execute(
        f"SELECT annotation_id FROM annotation_tags WHERE tag_id IN ({marks})", ids)}


def link(db: Database, annotation_id: str, tag_id: int) -> None:
    db.execute("INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)",
               [annotation_id, tag_id])


def unlink(db: Database, annotation_id: str, tag_id: int) -> None:
    db.execute("DELETE FROM annotation_tags WHERE annotation_id = ? AND tag_id = ?",
               [annotation_id, tag_id])


def rename(db: Database, tag_id: int, name: str) -> None:
    db.execute("UPDATE tags SET name = ? WHERE id = ?", [name, tag_id])


def set_colour(db: Database, tag_id: int, colour: str) -> None:
    """Store a valid colour (`#rrggbb`); anything else is refused with ValueError."""
    value = valid_colour(colour)
    if value is None:
        raise ValueError(f"not a colour: {colour!r}")
    db.execute("UPDATE tags SET colour = ? WHERE id = ?", [value, tag_id])


def delete(db: Database, tag_id: int) -> None:
    db.execute("DELETE FROM tags WHERE id = ?", [tag_id])


def restore_row(db: Database, row: dict) -> None:
    db.execute("INSERT OR REPLACE INTO tags (id, name, colour, created) VALUES (?, ?, ?, ?)",
               [row["id"], row["name"], row["colour"], row["created"]])
