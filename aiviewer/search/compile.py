"""Query tree → one FTS5 MATCH expression plus filter nodes (pure: no store access).

The engine runs what this produces.  Design, after Anki's parser → sqlwriter:

- Every word and phrase becomes a quoted FTS5 string (`"GPT-4o"`), so FTS5's own
  tokenizer splits it exactly as it split the indexed text, and no user input is
  ever read as FTS5 syntax.
- The top-level AND parts that are pure text (words, phrases, prefixes, OR/AND of
  them, and `NOT text`) are joined into ONE MATCH expression that drives the
  ranked query (bm25).  Field filters become typed filter nodes
  (`search.filters`), rendered to SQL by `store/filters.py`.  Text mixed into an OR
  with a filter becomes a `TextMatch` node (a MATCH subquery), correct but unranked.
- A prefix (`distill*`) anywhere sends the whole query to the unstemmed
  `fts_prefix` table: on the porter table `reasoni*` finds nothing.
- Fuzzy terms and wildcards are expanded into ORs of indexed words through the
  `Lookups` the engine passes in (the speller and the vocabulary).
- A word or phrase that names an entity gets a second, `broad` form in which it
  also matches segments where that entity is mentioned; the engine scores those
  extra hits by what was heard and ranks them among the text hits.  Adjacent bare
  words that together name an entity (`Claude Code` unquoted) widen as the quoted
  phrase does: the words still match anywhere in a passage, and the mentions of
  the entity they name are added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiviewer.search import cjk
from aiviewer.search import filters as f
from aiviewer.search import tree as t
from aiviewer.search.filters import HAS_VALUES

STEMMED = "fts_segments"
UNSTEMMED = "fts_prefix"
SEGMENT_ONLY = frozenset({"speaker", "entity", "kind", "tag", "has"})
NOT_FOR_ANNOTATIONS = frozenset({"speaker", "entity", "kind"})
MAX_EXPANSIONS = 20
MAX_RUN = 5  # the most bare words read together as one entity name


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
class Plan:
    """Everything the engine needs to run one query."""

    table: str  # the segment FTS table `match` is for: fts_segments or fts_prefix
    match: str | None  # drives the ranked segment query; None → filters only
    where: f.Filter  # on segments (and their episodes)
    broad: f.Filter | None = None  # whole query with entity words widened; None → no entity words
    entity_words: tuple[str, ...] = ()
    text_match: str | None = None  # for titles/show notes (fts_episodes) and annotations
    episode_where: f.Filter | None = None  # on episodes; None → cannot match titles/notes
    annotation_where: f.Filter | None = None  # on annotations; None → cannot match them
    empty: bool = False  # nothing can match (empty query, wildcard matching no word)
    entity_fields: tuple[str, ...] = ()  # values of entity: filters


def fts_string(text: str) -> str:
    """A literal FTS5 string: FTS5 tokenizes it; nothing in it is syntax."""
    return '"' + text.replace('"', '""') + '"'


def _words_string(text: str) -> str:
    """A word or phrase as an FTS5 string; one written without word spaces (Chinese,
    Japanese) as the phrase of its character pairs, which the `cjk` column holds."""
    if not cjk.has_cjk(text):
        return fts_string(text)
    pairs, prefix = cjk.query_text(text)
    return fts_string(pairs) + ("*" if prefix else "")


def compile_query(root: t.Node, lookups: Lookups | None = None) -> Plan:
    """Compile a parsed query tree into a Plan."""
    c = _Compiler(lookups or Lookups())
    root = c.group_runs(c.expand(root))
    if isinstance(root, t.Not) and isinstance(root.item, t.Nothing):
        root = t.Nothing()
    table = UNSTEMMED if any(isinstance(n, t.Prefix) for n in t.walk(root)) else STEMMED
    c.table = table
    if isinstance(root, t.Nothing):
        return Plan(table, None, f.Never(), empty=True)
    items = root.items if isinstance(root, t.And) and root not in c.runs else (root,)
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
        annotation_where = _all(c.sql(i) for i in rest)
    entity_fields = tuple(dict.fromkeys(
        n.value for n in t.walk(root) if isinstance(n, t.Field) and n.name == "entity"))
    return Plan(table, match, where, broad, entity_words,
                match if (episode_where or annotation_where) else None,
                episode_where, annotation_where, entity_fields=entity_fields)


def _all(parts) -> f.Filter:
    return f.all_of(parts)


class _Compiler:
    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.table = STEMMED
        self._names: dict[str, frozenset[str]] = {}
        # And nodes of adjacent bare words that together name an entity → that name
        self.runs: dict[t.And, str] = {}

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
                return _words_string(text)
            case t.Phrase(words):
                return _words_string(" ".join(words))
            case t.Prefix(text):
                return _words_string(text).rstrip("*") + "*"
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

    def group_runs(self, node: t.Node) -> t.Node:
        """In every AND, the longest runs of adjacent bare words that name an entity
        (`Claude Code`) become one And node remembered in `runs`, widened as a whole:
        otherwise only `Claude` would name an entity, and the captions' "cloud code"
        would be found by the quoted phrase and not by the same two words unquoted."""
        if isinstance(node, t.Or):
            return t.Or(tuple(self.group_runs(i) for i in node.items))
        if not isinstance(node, t.And):
            return node
        items = [self.group_runs(i) for i in node.items]
        out: list[t.Node] = []
        i = 0
        while i < len(items):
            for size in range(min(MAX_RUN, len(items) - i), 1, -1):
                run = items[i:i + size]
                if all(isinstance(w, t.Word) for w in run):
                    text = " ".join(w.text for w in run)
                    if self.names(text):
                        group = t.And(tuple(run))
                        self.runs[group] = text
                        out.append(group)
                        i += size
                        break
            else:
                out.append(items[i])
                i += 1
        if len(out) == 1:
            return out[0]
        return t.And(tuple(out))

    def entity_words(self, node: t.Node) -> list[str]:
        """Words/phrases (not under NOT) that name an entity."""
        if node in self.runs:
            return [self.runs[node]]
        if isinstance(node, t.Word | t.Phrase):
            text = node.text if isinstance(node, t.Word) else " ".join(node.words)
            return [text] if self.names(text) else []
        if isinstance(node, t.And | t.Or):
            return [w for i in node.items for w in self.entity_words(i)]
        return []

    # -- SQL ------------------------------------------------------------------------

    def sql(self, node: t.Node, widen: bool = False) -> f.Filter:
        """The node as a filter (applied to segments, or to annotations)."""
        expr = None if (widen and self.entity_words(node)) else self.fts(node)
        if expr is not None:
            return f.TextMatch(self.table, expr)
        if node in self.runs:  # widened: the words, or a mention of the entity
            return f.AnyOf((f.TextMatch(self.table, self.fts(node)),
                            f.EntityIs(tuple(sorted(self.names(self.runs[node]))))))
        match node:
            case t.Word() | t.Phrase():  # widened: the text, or a mention of the entity
                names = sorted(self.names(node.text if isinstance(node, t.Word)
                                          else " ".join(node.words)))
                return f.AnyOf((f.TextMatch(self.table, self.fts(node)),
                                f.EntityIs(tuple(names))))
            case t.Field():
                return self.field(node)
            case t.DateRange():
                return f.DateRange(node.start, node.end, node.start_excl, node.end_excl)
            case t.And(items):
                return f.AllOf(tuple(self.sql(i, widen) for i in items))
            case t.Or(items):
                return f.AnyOf(tuple(self.sql(i, widen) for i in items))
            case t.Not(item):
                return f.Not(self.sql(item, widen=False))
        return f.Never()

    def field(self, node: t.Field) -> f.Filter:
        name, value = node.name, node.value.strip()
        if name == "show":
            return f.ShowIs(value)
        if name == "episode":
            return f.EpisodeIs(value)
        if name == "tag":
            return f.TagUnder(value.strip("/"))
        if name == "has":
            value = _HAS_SYNONYMS.get(value.lower(), value.lower())
            return f.Has(value) if value in HAS_VALUES else f.Never()
        if name == "speaker":
            return f.SpeakerIs(value)
        if name == "entity":
            names = sorted((self.lookups.entity_family or self.names)(value))
            return f.EntityIs(tuple(names)) if names else f.Never()
        if name == "kind":  # kinds are lower-case words (model, lab, benchmark…)
            return f.KindIs(value.lower())
        return f.Never()


_HAS_SYNONYMS = {"notes": "note", "annotations": "annotation", "highlight": "annotation",
                 "tags": "tag", "mention": "entity", "mentions": "entity", "entities": "entity"}


def _or(items: list[t.Node]) -> t.Node:
    if not items:
        return t.Nothing()
    return items[0] if len(items) == 1 else t.Or(tuple(items))
