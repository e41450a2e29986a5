"""Query tree → one FTS5 MATCH expression plus SQL filters (pure: no store access).

The engine runs what this produces.  Design, after Anki's parser → sqlwriter:

- Every word and phrase becomes a quoted FTS5 string (`"GPT-4o"`), so FTS5's own
  tokenizer splits it exactly as it split the indexed text, and no user input is
  ever read as FTS5 syntax.
- The top-level AND parts that are pure text (words, phrases, prefixes, OR/AND of
  them, and `NOT text`) are joined into ONE MATCH expression that drives the
  ranked query (bm25).  Field filters become SQL over `s` (segments) and `e`
  (episodes).  Text mixed into an OR with a filter becomes a `s.id IN (… MATCH ?)`
  subquery, which is correct but unranked.
- A prefix (`distill*`) anywhere sends the whole query to the unstemmed
  `fts_prefix` table: on the porter table `reasoni*` finds nothing.
- Fuzzy terms and wildcards are expanded into ORs of indexed words through the
  `Lookups` the engine passes in (the speller and the vocabulary).
- A word or phrase that names an entity gets a second, `broad` form in which it
  also matches segments where that entity is mentioned; the engine ranks those
  extra hits after the text hits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiviewer.search import tree as t

STEMMED = "fts_segments"
UNSTEMMED = "fts_prefix"
SEGMENT_ONLY = frozenset({"speaker", "entity", "kind", "tag", "has"})
NOT_FOR_ANNOTATIONS = frozenset({"speaker", "entity", "kind"})
MAX_EXPANSIONS = 20


def _no_names(_text: str) -> frozenset[str]:
    return frozenset()


def _no_words(*_args) -> list[str]:
    return []


@dataclass(frozen=True)
class Lookups:
    """What the compiler may ask the library, injected so it stays pure.

    `entity_names(text)` → canonical entity names that `text` names (empty when it
    names none), for bare words and phrases; `entity_family(text)` → the same
    widened to a family's members, for `entity:` filters (None: as entity_names);
    `fuzzy(word, maxdist)` and `wildcard(glob)` → indexed words.
    """

    entity_names: Callable[[str], frozenset[str]] = _no_names
    entity_family: Callable[[str], frozenset[str]] | None = None
    fuzzy: Callable[[str, int], list[str]] = _no_words
    wildcard: Callable[[str], list[str]] = _no_words


@dataclass(frozen=True)
class Sql:
    sql: str = "1"
    params: tuple = ()
    # when `sql` is exactly `s.id IN (ids)`: that query (same params), which the
    # engine may run alone instead of seeking every id in the segments
    ids: str | None = None

    def __and__(self, other: Sql) -> Sql:
        if self.sql == "1":
            return other
        if other.sql == "1":
            return self
        return Sql(f"{self.sql} AND {other.sql}", self.params + other.params)


def _segment_ids(query: str, params: tuple) -> Sql:
    return Sql(f"s.id IN ({query})", params, ids=query)


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs to run one query."""

    table: str  # the segment FTS table `match` is for: fts_segments or fts_prefix
    match: str | None  # drives the ranked segment query; None → filters only
    where: Sql  # over s (segments) and e (episodes)
    broad: Sql | None = None  # whole query with entity words widened; None → no entity words
    entity_words: tuple[str, ...] = ()
    text_match: str | None = None  # for titles/show notes (fts_episodes) and annotations
    episode_where: Sql | None = None  # on e; None → the query cannot match titles/notes
    annotation_where: Sql | None = None  # on a and e; None → cannot match annotations
    empty: bool = False  # nothing can match (empty query, wildcard matching no word)
    entity_fields: tuple[str, ...] = ()  # values of entity: filters
    # the query is one entity word or phrase and nothing else: every segment
    # mentioning its entity matches `broad`, no SQL needed to check it
    broad_is_mentions: bool = False


def fts_string(text: str) -> str:
    """A literal FTS5 string: FTS5 tokenizes it; nothing in it is syntax."""
    return '"' + text.replace('"', '""') + '"'


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def compile_query(root: t.Node, lookups: Lookups | None = None) -> Plan:
    """Compile a parsed query tree into a Plan."""
    c = _Compiler(lookups or Lookups())
    root = c.expand(root)
    if isinstance(root, t.Not) and isinstance(root.item, t.Nothing):
        root = t.Nothing()
    table = UNSTEMMED if any(isinstance(n, t.Prefix) for n in t.walk(root)) else STEMMED
    c.table = table
    if isinstance(root, t.Nothing):
        return Plan(table, None, Sql("0"), empty=True)
    items = root.items if isinstance(root, t.And) else (root,)
    pos = [c.fts(i) for i in items if not isinstance(i, t.Not)]
    neg = [c.fts(i.item) for i in items if isinstance(i, t.Not)]
    text_items = [i for i in items if c.fts(i.item if isinstance(i, t.Not) else i) is not None]
    rest = [i for i in items if i not in text_items]
    match = None
    if any(p is not None for p in pos):
        match = " AND ".join(f"({p})" for p in pos if p is not None)
        match += "".join(f" NOT ({n})" for n in neg if n is not None)
        where = _all(c.sql(i) for i in rest)
    else:
        rest = list(items)
        where = _all(c.sql(i) for i in items)
    entity_words = tuple(dict.fromkeys(
        w for i in items if not isinstance(i, t.Not) for w in c.entity_words(i)))
    broad = _all(c.sql(i, widen=True) for i in items) if entity_words else None
    names = {n.name for n in rest if isinstance(n, t.Field)}
    plain = all(isinstance(n, t.Field | t.DateRange) for n in rest)
    episode_where = annotation_where = None
    if match is not None and plain and not names & SEGMENT_ONLY:
        episode_where = _all(c.sql(i) for i in rest)
    if plain and not names & NOT_FOR_ANNOTATIONS and (match is not None or names):
        annotation_where = _all(c.sql(i, target="annotation") for i in rest)
    entity_fields = tuple(dict.fromkeys(
        n.value for n in t.walk(root) if isinstance(n, t.Field) and n.name == "entity"))
    return Plan(table, match, where, broad, entity_words,
                match if (episode_where or annotation_where) else None,
                episode_where, annotation_where, entity_fields=entity_fields,
                broad_is_mentions=(broad is not None and len(items) == 1
                                   and isinstance(items[0], t.Word | t.Phrase)))


def _all(parts) -> Sql:
    out = Sql()
    for p in parts:
        out = out & p
    return out


class _Compiler:
    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.table = STEMMED
        self._names: dict[str, frozenset[str]] = {}

    # -- fuzzy and wildcard expansion ---------------------------------------------------

    def expand(self, node: t.Node) -> t.Node:
        """Replace fuzzy terms and wildcards by ORs of indexed words (Nothing: none)."""
        if isinstance(node, t.Fuzzy):
            words = [node.text.lower()] + [w for w in self.lookups.fuzzy(node.text, node.maxdist)
                                          if w.lower() != node.text.lower()]
            return _or([t.Word(w) for w in words[:MAX_EXPANSIONS]])
        if isinstance(node, t.Wildcard):
            glob = node.pattern.lower()
            if glob.endswith("*") and not any(c in glob[:-1] for c in "*?"):
                return t.Prefix(glob[:-1])
            return _or([t.Word(w) for w in self.lookups.wildcard(glob)[:MAX_EXPANSIONS]])
        if isinstance(node, t.And):
            items = [i for i in (self.expand(i) for i in node.items)
                     if not (isinstance(i, t.Not) and isinstance(i.item, t.Nothing))]
            if not items or any(isinstance(i, t.Nothing) for i in items):
                return t.Nothing()
            return items[0] if len(items) == 1 else t.And(tuple(items))
        if isinstance(node, t.Or):
            return _or([i for i in (self.expand(i) for i in node.items)
                        if not isinstance(i, t.Nothing)])
        if isinstance(node, t.Not):
            inner = self.expand(node.item)
            # NOT (a wildcard matching no word) excludes nothing: an And drops it, and
            # alone it is an empty query
            return t.Not(inner)
        return node

    # -- FTS5 -----------------------------------------------------------------------

    def fts(self, node: t.Node) -> str | None:
        """The node as an FTS5 expression, or None when it needs SQL (filters, a lone NOT)."""
        match node:
            case t.Word(text):
                return fts_string(text)
            case t.Phrase(words):
                return fts_string(" ".join(words))
            case t.Prefix(text):
                return fts_string(text) + "*"
            case t.Or(items):
                parts = [self.fts(i) for i in items]
                if any(p is None for p in parts) or any(isinstance(i, t.Not) for i in items):
                    return None
                return " OR ".join(f"({p})" for p in parts)
            case t.And(items):
                pos = [self.fts(i) for i in items if not isinstance(i, t.Not)]
                neg = [self.fts(i.item) for i in items if isinstance(i, t.Not)]
                if not pos or None in pos or None in neg:
                    return None
                return (" AND ".join(f"({p})" for p in pos)
                        + "".join(f" NOT ({n})" for n in neg))
        return None

    # -- entities ---------------------------------------------------------------------

    def names(self, text: str) -> frozenset[str]:
        if text not in self._names:
            self._names[text] = frozenset(self.lookups.entity_names(text))
        return self._names[text]

    def entity_words(self, node: t.Node) -> list[str]:
        """Words/phrases (not under NOT) that name an entity."""
        if isinstance(node, t.Word | t.Phrase):
            text = node.text if isinstance(node, t.Word) else " ".join(node.words)
            return [text] if self.names(text) else []
        if isinstance(node, t.And | t.Or):
            return [w for i in node.items for w in self.entity_words(i)]
        return []

    # -- SQL ------------------------------------------------------------------------

    def sql(self, node: t.Node, widen: bool = False, target: str = "segment") -> Sql:
        expr = None if (widen and self.entity_words(node)) else self.fts(node)
        if expr is not None:
            return Sql(f"s.id IN (SELECT rowid FROM {self.table} WHERE {self.table} MATCH ?)",
                       (expr,))
        match node:
            case t.Word() | t.Phrase():  # widened: the text, or a mention of the entity
                text = Sql(f"s.id IN (SELECT rowid FROM {self.table} WHERE {self.table} MATCH ?)",
                           (self.fts(node),))
                names = sorted(self.names(node.text if isinstance(node, t.Word)
                                          else " ".join(node.words)))
                marks = ", ".join("?" * len(names))
                return Sql(f"({text.sql} OR s.id IN (SELECT segment_id FROM mentions "
                           f"WHERE entity IN ({marks})))", text.params + tuple(names))
            case t.Field():
                return self.field(node, target)
            case t.DateRange():
                return _date(node)
            case t.And(items) | t.Or(items):
                parts = [self.sql(i, widen, target) for i in items]
                glue = " AND " if isinstance(node, t.And) else " OR "
                return Sql("(" + glue.join(p.sql for p in parts) + ")",
                           sum((p.params for p in parts), ()))
            case t.Not(item):
                inner = self.sql(item, widen=False, target=target)
                return Sql(f"NOT {inner.sql}" if inner.sql.startswith("(")
                           else f"NOT ({inner.sql})", inner.params)
        return Sql("0")

    def field(self, node: t.Field, target: str) -> Sql:  # noqa: C901 - one branch per field
        name, value = node.name, node.value.strip()
        like = f"%{like_escape(value)}%"
        if name == "show":
            return Sql("e.show_id IN (SELECT id FROM shows WHERE title LIKE ? ESCAPE '\\')",
                       (like,))
        if name == "episode":
            return Sql("(e.id = ? OR e.id LIKE ? ESCAPE '\\')", (value, like_escape(value) + "%"))
        if name == "tag":
            tag = ("(tg.name = ? COLLATE NOCASE OR tg.name LIKE ? ESCAPE '\\')",
                   (value.strip("/"), like_escape(value.strip("/")) + "/%"))
            if target == "annotation":
                return Sql("a.id IN (SELECT at.annotation_id FROM annotation_tags at "
                           f"JOIN tags tg ON tg.id = at.tag_id WHERE {tag[0]})", tag[1])
            return Sql(_OVERLAP.format(
                join="JOIN annotation_tags at ON at.annotation_id = a.id "
                     "JOIN tags tg ON tg.id = at.tag_id",
                cond=tag[0]), tag[1])
        if name == "has":
            return _has(value.lower(), target)
        if target == "annotation":
            return Sql("0")
        if name == "speaker":
            return Sql("(s.speaker LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM speakers sp "
                       "WHERE sp.episode_id = s.episode_id AND sp.label = s.speaker "
                       "AND sp.name LIKE ? ESCAPE '\\'))", (like, like))
        if name == "entity":
            names = sorted((self.lookups.entity_family or self.names)(value))
            if not names:
                return Sql("0")
            marks = ", ".join("?" * len(names))
            return _segment_ids(f"SELECT segment_id FROM mentions WHERE entity IN ({marks})",
                                tuple(names))
        if name == "kind":  # kinds are lower-case words (model, lab, benchmark…)
            return _segment_ids("SELECT segment_id FROM mentions WHERE kind = ?",
                                (value.lower(),))
        return Sql("0")


# segments overlapping one of the user's (anchored) annotations
_OVERLAP = ("EXISTS (SELECT 1 FROM annotations a {join} WHERE a.episode_id = s.episode_id "
            "AND a.status != 'orphaned' AND a.start < s.char_start + length(s.text) "
            "AND a.end > s.char_start AND {cond})")

HAS_VALUES = ("note", "annotation", "tag", "entity")


def _has(value: str, target: str) -> Sql:
    value = {"notes": "note", "annotations": "annotation", "highlight": "annotation",
             "tags": "tag", "mention": "entity", "mentions": "entity",
             "entities": "entity"}.get(value, value)
    if target == "annotation":
        return Sql({"note": "trim(a.note_md) != ''", "annotation": "1",
                    "tag": "EXISTS (SELECT 1 FROM annotation_tags at WHERE at.annotation_id "
                           "= a.id)"}.get(value, "0"))
    if value == "entity":
        return Sql("EXISTS (SELECT 1 FROM mentions m WHERE m.segment_id = s.id)")
    cond = {"note": "trim(a.note_md) != ''", "annotation": "1",
            "tag": "EXISTS (SELECT 1 FROM annotation_tags at WHERE at.annotation_id = a.id)"}
    if value not in cond:
        return Sql("0")
    return Sql(_OVERLAP.format(join="", cond=cond[value]))


def _date(node: t.DateRange) -> Sql:
    parts, params = ["e.date IS NOT NULL"], []
    if node.start:
        parts.append(f"substr(e.date, 1, 10) {'>' if node.start_excl else '>='} ?")
        params.append(node.start)
    if node.end:
        parts.append(f"substr(e.date, 1, 10) {'<' if node.end_excl else '<='} ?")
        params.append(node.end)
    return Sql("(" + " AND ".join(parts) + ")", tuple(params))


def _or(items: list[t.Node]) -> t.Node:
    if not items:
        return t.Nothing()
    return items[0] if len(items) == 1 else t.Or(tuple(items))
