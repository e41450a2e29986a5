"""Search filter nodes (`aiviewer.search.filters`) rendered to SQL.

The SQL reads `s` (segments), `e` (episodes) and, for annotations, `a`; which of
them a query joins is chosen from the nodes' `reads`, not from this text.
"""

from __future__ import annotations

from aiviewer.search import filters as f
from aiviewer.search.filters import like_escape

# segments overlapping one of the user's (anchored) annotations
_OVERLAP = ("EXISTS (SELECT 1 FROM annotations a {join} WHERE a.episode_id = s.episode_id "
            "AND a.status != 'orphaned' AND a.start < s.char_start + length(s.text) "
            "AND a.end > s.char_start AND {cond})")
_HAS_ON_ANNOTATION = {
    "note": "trim(a.note_md) != ''",
    "annotation": "1",
    "tag": "EXISTS (SELECT 1 FROM annotation_tags at WHERE at.annotation_id = a.id)",
}

Sql = tuple[str, tuple]


def render(node: f.Filter, on: str = "segment", sid: str = "s.id",
           per_row: bool = False) -> Sql:
    """(SQL, parameters) of a filter applied to segments (`on="segment"`) or to
    annotations (`on="annotation"`); `sid` is what stands for the segment's id.

    `per_row`: entity and kind filters as a lookup per segment (an index seek in
    the mentions) rather than `id IN (every segment mentioning it)`, which SQLite
    builds whole — for a query driven by a few candidate segments."""
    return _Render(on, sid, per_row).sql(node)


def ids_query(node: f.Filter) -> Sql | None:
    """When the filter is exactly "segment id in (a query)": that query, which may run
    alone instead of seeking every id in the segments."""
    if isinstance(node, f.EntityIs) and node.names:
        marks = ", ".join("?" * len(node.names))
        return f"SELECT segment_id FROM mentions WHERE entity IN ({marks})", tuple(node.names)
    if isinstance(node, f.KindIs):
        return "SELECT segment_id FROM mentions WHERE kind = ?", (node.kind,)
    return None


class _Render:
    def __init__(self, on: str, sid: str, per_row: bool = False):
        self.on = on
        self.sid = sid
        self.per_row = per_row

    def sql(self, node: f.Filter) -> Sql:  # noqa: C901 - one branch per node type
        sid = self.sid
        match node:
            case f.Always():
                return "1", ()
            case f.Never():
                return "0", ()
            case f.AllOf(items) | f.AnyOf(items):
                parts = [self.sql(i) for i in items]
                glue = " AND " if isinstance(node, f.AllOf) else " OR "
                return "(" + glue.join(p for p, _ in parts) + ")", sum((p for _, p in parts), ())
            case f.Not(item):
                inner, params = self.sql(item)
                return (f"NOT {inner}" if inner.startswith("(") else f"NOT ({inner})"), params
            case f.TextMatch(table, expr):
                return f"{sid} IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", (expr,)
            case f.ShowIs(text):
                return ("e.show_id IN (SELECT id FROM shows WHERE title LIKE ? ESCAPE '\\')",
                        (f"%{like_escape(text)}%",))
            case f.EpisodeIs(ref):
                return "(e.id = ? OR e.id LIKE ? ESCAPE '\\')", (ref, like_escape(ref) + "%")
            case f.DateRange():
                return _date(node)
            case f.TagUnder(tag):
                cond = "(tg.name = ? COLLATE NOCASE OR tg.name LIKE ? ESCAPE '\\')"
                params = (tag, like_escape(tag) + "/%")
                if self.on == "annotation":
                    return ("a.id IN (SELECT at.annotation_id FROM annotation_tags at "
                            f"JOIN tags tg ON tg.id = at.tag_id WHERE {cond})", params)
                return _OVERLAP.format(
                    join="JOIN annotation_tags at ON at.annotation_id = a.id "
                         "JOIN tags tg ON tg.id = at.tag_id", cond=cond), params
            case f.Has(what):
                if self.on == "annotation":
                    return _HAS_ON_ANNOTATION.get(what, "0"), ()
                if what == "entity":
                    return f"EXISTS (SELECT 1 FROM mentions m WHERE m.segment_id = {sid})", ()
                if what not in _HAS_ON_ANNOTATION:
                    return "0", ()
                return _OVERLAP.format(join="", cond=_HAS_ON_ANNOTATION[what]), ()
        if self.on == "annotation":  # speaker, entity, kind: segments only
            return "0", ()
        match node:
            case f.SpeakerIs(text):
                like = f"%{like_escape(text)}%"
                return ("(s.speaker LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM speakers sp "
                        "WHERE sp.episode_id = s.episode_id AND sp.label = s.speaker "
                        "AND sp.name LIKE ? ESCAPE '\\'))", (like, like))
            case f.EntityIs(names) if self.per_row and names:
                marks = ", ".join("?" * len(names))
                return (f"EXISTS (SELECT 1 FROM mentions m INDEXED BY mentions_segment "
                        f"WHERE m.segment_id = {sid} "
                        f"AND m.entity IN ({marks}))", tuple(names))
            case f.KindIs(kind) if self.per_row:
                return (f"EXISTS (SELECT 1 FROM mentions m INDEXED BY mentions_kind "
                        f"WHERE m.kind = ? AND m.segment_id = {sid})", (kind,))
            case f.EntityIs() | f.KindIs():
                query = ids_query(node)
                if query is None:
                    return "0", ()
                return f"{sid} IN ({query[0]})", query[1]
        return "0", ()


def _date(node: f.DateRange) -> Sql:
    parts, params = ["e.date IS NOT NULL"], []
    if node.start:
        parts.append(f"substr(e.date, 1, 10) {'>' if node.start_excl else '>='} ?")
        params.append(node.start)
    if node.end:
        parts.append(f"substr(e.date, 1, 10) {'<' if node.end_excl else '<='} ?")
        params.append(node.end)
    return "(" + " AND ".join(parts) + ")", tuple(params)
