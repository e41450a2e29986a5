"""The reader's decisions on entity pairings (user data) and the suggestions they act on
(derived, beside `mentions`).

A decision is "this surface is (confirm) / is not (reject) this entity", in one episode
(`scope` = its id) or in the whole library (`scope` = '').  Decisions are applied each time
an episode's mentions are written (`mentions.write_episode_mentions`), so an import, a
re-match and `reindex` all honour them; see `entities/decisions.py` for the rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from aiviewer.entities.decisions import Decision, surface_key
from aiviewer.model import Mention, Suggestion
from aiviewer.store.sources import now

LIBRARY = ""  # the scope of a library-wide decision
CONTEXT_CHARS = 60


# -- decisions -------------------------------------------------------------------------


def for_episode(db: Database, episode_id: str) -> list[Decision]:
    """The decisions that apply to an episode: its own and the library's."""
    return [Decision(r[0], r[1], r[2], r[3], r[4] or None) for r in db.execute(
        "SELECT surface, entity, kind, verdict, scope FROM entity_decisions "
        "WHERE scope IN ('', ?) ORDER BY id", [episode_id])]


def all_decisions(db: Database) -> list[Decision]:
    return [Decision(r[0], r[1], r[2], r[3], r[4] or None) for r in db.execute(
        "SELECT surface, entity, kind, verdict, scope FROM entity_decisions ORDER BY id")]


def key(surface: str, entity: str, scope: str | None) -> tuple[str, str, str]:
    """How a decision row is named in undo snapshots."""
    return surface_key(surface), entity.casefold(), scope or LIBRARY


def get(db: Database, surface: str, entity: str, scope: str | None) -> dict | None:
    rows = list(db.query(
        "SELECT * FROM entity_decisions WHERE surface = ? AND entity = ? AND scope = ?",
        [surface_key(surface), entity, scope or LIBRARY]))
    return rows[0] if rows else None


def put(db: Database, surface: str, entity: str, kind: str, verdict: str,
        scope: str | None) -> None:
    """Record a decision; one for the same pairing and scope is replaced (a rejection
    after a confirmation, or the reverse, is the reader changing their mind)."""
    delete(db, surface, entity, scope)
    db.execute("INSERT INTO entity_decisions (surface, entity, kind, verdict, scope, created) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               [surface_key(surface), entity, kind, verdict, scope or LIBRARY, now()])


def delete(db: Database, surface: str, entity: str, scope: str | None) -> None:
    db.execute("DELETE FROM entity_decisions WHERE surface = ? AND entity = ? AND scope = ?",
               [surface_key(surface), entity, scope or LIBRARY])


def restore_row(db: Database, k: tuple[str, str, str], row: dict | None) -> None:
    """Put a decision back as an undo snapshot recorded it (None: there was none)."""
    surface, entity, scope = k
    db.execute("DELETE FROM entity_decisions WHERE surface = ? AND entity = ? AND scope = ?",
               [surface, entity, scope])
    if row is not None:
        db.execute("INSERT INTO entity_decisions (surface, entity, kind, verdict, scope, "
                   "created) VALUES (?, ?, ?, ?, ?, ?)",
                   [row["surface"], row["entity"], row["kind"], row["verdict"], row["scope"],
                    row["created"]])


# -- suggestions (derived) ---------------------------------------------------------------


def write_suggestions(db: Database, episode_id: str,
                      rows: Iterable[tuple[int, Mention]]) -> None:
    """Replace the episode's suggestions: (segment id, suggested mention) pairs."""
    db.execute("DELETE FROM suggestions WHERE episode_id = ?", [episode_id])
    db.conn.executemany(
        "INSERT INTO suggestions (segment_id, episode_id, entity, kind, start, end, surface) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(seg, episode_id, m.canonical, m.kind, m.start, m.end, m.surface) for seg, m in rows])


def segment_suggestions(db: Database, episode_id: str) -> dict[int, list[Mention]]:
    """An episode's suggestions keyed by segment id, as `Mention(suggested=True)`."""
    out: dict[int, list[Mention]] = {}
    for seg, start, end, surface, entity, kind in db.execute(
            "SELECT segment_id, start, end, surface, entity, kind FROM suggestions "
            "WHERE episode_id = ? ORDER BY segment_id, start", [episode_id]):
        out.setdefault(seg, []).append(
            Mention(start, end, surface, entity, kind, fuzzy=True, suggested=True))
    return out


def list_suggestions(db: Database, episode_id: str | None = None) -> list[Suggestion]:
    """Suggestions grouped by episode, surface and entity, with a count and the first
    place each is heard (for the CLI and the entity panel), in text order."""
    where, params = "", []
    if episode_id is not None:
        where, params = "WHERE s.episode_id = ?", [episode_id]
    groups: dict[tuple[str, str, str], Suggestion] = {}
    for eid, title, seg, surface, entity, kind, start, end, text, char_start in db.execute(
            "SELECT s.episode_id, e.title, s.segment_id, s.surface, s.entity, s.kind, s.start, "
            "s.end, g.text, g.char_start FROM suggestions s "
            "JOIN segments g ON g.id = s.segment_id JOIN episodes e ON e.id = s.episode_id "
            f"{where} ORDER BY e.date IS NULL, e.date, e.title, g.seq, s.start", params):
        k = (eid, surface_key(surface), entity.casefold())
        if k in groups:
            g = groups[k]
            groups[k] = Suggestion(**{**g.__dict__, "count": g.count + 1})
            continue
        lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        groups[k] = Suggestion(
            surface=surface, entity=entity, kind=kind, count=1, episode_id=eid,
            episode_title=title, segment_id=seg, char_start=char_start + start,
            context=text[lo:hi], context_start=start - lo, context_end=end - lo)
    return list(groups.values())


def count_suggestions(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0]
