"""Running a query: parse (whoosh) → compile → FTS5 through the store → SearchResults.

Results are listed in this order, one page cut from the whole list:
episode titles, the user's annotations, transcript passages ranked by bm25, then
show notes.  Passages that only mention an entity the query names (`Qwen` finding
a caption that says "Quen") are ranked among the others by their own bm25 — the
query with what was heard standing for the name — and say what was heard
(`SearchHit.heard_as`).  The total counts all of them;
facets (show, speaker, year, entity kind) count transcript passages.

`first_hits` is the per-keystroke path: unranked hits from the unstemmed prefix
index, shown at once and replaced by `search` after a pause.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import repeat
from operator import itemgetter

from aiviewer.meaning import why
from aiviewer.meaning.embedder import MeaningUnavailable
from aiviewer.meaning.fusion import fuse
from aiviewer.model import SearchHit, SearchResults
from aiviewer.search import cjk, filters, meaning, spelling
from aiviewer.search import query as query_mod
from aiviewer.search import tree as t
from aiviewer.search.cache import PerStore
from aiviewer.search.compile import Lookups, Plan, compile_query, fts_string
from aiviewer.store import Store, alias_hits, fts

EntityFamily = Callable[[str], set[str]]

_SYNTAX = re.compile(r'[:"()*?~]|(?:^|\s)[-+]|\b(?:AND|OR|NOT)\b')
_WORDS = re.compile(r"\w[\w'.+#-]*")
WINDOW = 160  # characters of context around a mention when FTS5 has no snippet


def search(store: Store, query: str, limit: int = 20, offset: int = 0, *,
           entity_family: EntityFamily | None = None, suggest: bool = True,
           hybrid: bool = False) -> SearchResults:
    """Search transcripts, titles, show notes and annotations; never raises on bad syntax.

    `entity_family(name)` returns the canonical names a name stands for (its
    aliases resolved, a family's members); by default a name stands for itself.
    `hybrid` fuses the ranked passages with the passages closest in meaning to the
    query's words (reciprocal rank fusion); `~~"text"` in the query searches by
    meaning only, within whatever the rest of the query (filters, words) allows.
    """
    query = plain_query(query)
    rest, meaning_text = query_mod.split_meaning(query)
    parsed = query_mod.parse(rest)
    speller = spelling.speller_for(store)
    known = entities_for(store)
    lookups = Lookups(
        entity_names=known.names,
        entity_family=lambda text: known.names(text, entity_family),
        fuzzy=lambda word, dist: speller.expand(word, dist),
        wildcard=lambda glob: fts.terms_like(store.db, glob),
    )
    plan = compile_query(parsed.tree, lookups)
    suggestion = _did_you_mean(parsed, speller, known) if suggest else None
    if meaning_text is not None:
        try:
            return _by_meaning(store, query, parsed, plan, known, entity_family, meaning_text,
                               limit, offset, suggestion)
        except MeaningUnavailable as e:
            # the words of the meaning query, searched as words, with the rest of the query
            words = " ".join([rest, *_WORDS.findall(meaning_text)]).strip()
            results = search(store, words, limit, offset, entity_family=entity_family,
                             suggest=suggest)
            return replace(results, query=query, notice=_words_only(e))
    if plan.empty:
        return SearchResults(query, parsed.understood, (), 0, {}, suggestion, parsed.error)
    words = " ".join(dict.fromkeys(_positive_words(parsed.tree))) if hybrid else ""
    # the popup asks for the next pages of the same query as the user scrolls: the
    # run (every match with its score) is kept for the store's latest query
    key = (query, words, entity_family is None, fts.write_marker(store.db))
    run = _runs.get(store, key, lambda: _Run(store, plan, known, entity_family, words))
    hits, total = run.page(limit, offset)
    return SearchResults(query, parsed.understood, tuple(hits), total, run.facets(),
                         suggestion, parsed.error, run.notice)


def _words_only(problem: Exception) -> str:
    """The one line a search says when meaning could not take part."""
    return f"search by meaning is unavailable ({problem}): words only"


def _by_meaning(store: Store, query: str, parsed: query_mod.ParsedQuery, plan: Plan,
                known: KnownEntities, family: EntityFamily | None, text: str, limit: int,
                offset: int, suggestion: str | None) -> SearchResults:
    """`~~"text"`: the passages closest in meaning, among those the rest of the query
    (filters, words) allows; each hit says it matched by meaning."""
    understood = " ".join(filter(None, ['~~"' + text + '"', parsed.understood]))
    among: list[int] | None = None
    if plan.empty and parsed.text.strip():
        return SearchResults(query, understood, (), 0, {}, suggestion, parsed.error)
    if not plan.empty:
        run = _Run(store, plan, known, family)
        among = [sid for sid, _ in run.strict] + run.extra
    found = meaning.nearest(store, text, meaning.MEANING_LIMIT, among)
    page = found[offset:offset + limit]
    rows = fts.segment_rows(store.db, [s.segment_id for s in page])
    shown = _meaning_snippets(store, text, rows)
    hits = tuple(_segment_hit(rows[s.segment_id], s.score, *shown[s.segment_id],
                              matched="meaning")
                 for s in page if s.segment_id in rows)
    owners, masks = facet_index(store).count([s.segment_id for s in found])
    return SearchResults(query, understood, hits, len(found),
                         _facet_counts(facet_index(store), owners, masks), suggestion,
                         parsed.error)


def plain_query(text: str) -> str:
    """A query SQLite can take: NULs (which SQLite reads as the end of a string, or
    refuses) become spaces, lone surrogates U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") \
        if any("\ud800" <= c <= "\udfff" for c in text) else text


def first_hits(store: Store, text: str, limit: int = 10,
               ranked_fallback: bool = True) -> tuple[SearchHit, ...] | None:
    """Hits for a half-typed query, fast: the last word is a prefix, nothing is ranked.

    Text with query syntax (fields, quotes, operators) goes through `search`, or,
    without `ranked_fallback`, gives None: the search box then ranks at once
    rather than run the same search twice on two threads (each thread would also
    build its own speller and facet index: seconds and a gigabyte at 100x).
    """
    text = plain_query(text)
    if _SYNTAX.search(text):
        if not ranked_fallback:
            return None
        return search(store, text, limit=limit, suggest=False).hits
    words = _WORDS.findall(text)
    if not words:
        return ()
    parts = [fts_string(cjk.pairs(w)) if cjk.has_cjk(w) else fts_string(w) for w in words]
    if not text[-1].isspace():
        if len(words[-1]) < 2:
            parts.pop()
        else:
            parts[-1] += "*"
    if not parts:
        return ()
    match = "{text cjk} : (" + " AND ".join(parts) + ")"
    found = fts.prefix_hits(store.db, match, limit)
    rows = fts.segment_rows(store.db, [sid for sid, _ in found])
    return tuple(_segment_hit(rows[sid], 0.0, *_unmark(snip)) for sid, snip in found
                 if sid in rows)


def prepare(store: Store) -> None:
    """Build the caches a search reads (each is rebuilt only when what it derives
    from changed), so that the first query does not pay for them."""
    spelling.speller_for(store)
    entities_for(store)
    facet_index(store)
    meaning.prepare(store)


def reindex(store: Store) -> None:
    """Rebuild every FTS table from the store and drop the cached speller."""
    with store.atomic() as db:
        fts.rebuild(db)
    spelling.invalidate(store)
    for cache in (_entities, _facets, _segment_groups, _runs):
        cache.drop(store)


# --- entity names ------------------------------------------------------------------------


class KnownEntities:
    """Entity names that occur in the mentions, and the surface texts they were found as."""

    def __init__(self, names: Iterable[str], surfaces: Iterable[tuple[str, str]]):
        self.by_lower = {n.lower(): n for n in names}
        self.by_surface: dict[str, set[str]] = defaultdict(set)
        for surface, name in surfaces:
            self.by_surface[_norm(surface)].add(name)

    def names(self, text: str, family: EntityFamily | None = None) -> frozenset[str]:
        """Canonical names (with mentions) that `text` names: itself, an alias, a family."""
        key = _norm(text)
        base = {self.by_lower[key]} if key in self.by_lower else set(self.by_surface.get(key, ()))
        if family is not None:
            for name in list(base) or [text]:
                base |= set(family(name))
        return frozenset(self.by_lower[n.lower()] for n in base if n.lower() in self.by_lower)

    def __contains__(self, text: str) -> bool:
        key = _norm(text)
        return key in self.by_lower or key in self.by_surface


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


_entities: PerStore[KnownEntities] = PerStore()
_runs: PerStore[_Run] = PerStore()


def entities_for(store: Store) -> KnownEntities:
    return _entities.get(store, fts.signature(store.db), lambda: KnownEntities(
        fts.entity_names(store.db), fts.entity_surfaces(store.db)))


# --- one search --------------------------------------------------------------------------


@dataclass
class _Source:
    """One block of the result list: how many hits it has and how to fetch a slice."""

    count: int
    fetch: Callable[[int, int], list[SearchHit]]


class _Run:
    """One query against the store: every matching segment id is fetched once (with
    its bm25 score), then the total, the page and the facets come from that list."""

    def __init__(self, store: Store, plan: Plan, known: KnownEntities,
                 family: EntityFamily | None, meaning_text: str = ""):
        self.db = store.db
        self.plan = plan
        self._facets: dict[str, dict[str, int]] | None = None
        where = plan.where
        # (id, score) of every text hit, unsorted; filter-only hits come in reading order
        self.strict: list[tuple[int, float]]
        self.sorted = plan.match is None
        self.store = store
        # an episode filter no episode passes (a date before the library) rules out
        # every segment at once
        nothing = (not isinstance(where, filters.Always) and filters.episode_only(where)
                   and not fts.any_episode(self.db, where))
        if nothing:
            self.strict = []
        elif plan.match is not None:
            self.strict = fts.match_scores(self.db, plan.table, plan.match, where)
        elif filters.segment_only(where):
            ids = fts.segment_ids(self.db, where)
            facet_index(store).sort(ids)
            self.strict = list(zip(ids, repeat(0.0)))
        else:
            self.strict = [(sid, 0.0) for sid in fts.filtered_ids(self.db, where)]
        self.extra: list[int] = []
        # a bare word stands for its entity under any spelling; `entity:` for its family
        widened = sorted({n for w in plan.entity_words for n in known.names(w)})
        self.mention_names: list[str] = sorted(
            set(widened) | {n for value in plan.entity_fields for n in known.names(value, family)})
        # passages found through a mention: segment id → (start, end, surface, entity)
        self.heard: dict[int, tuple[int, int, str, str]] = {}
        if plan.broad is not None and not nothing:
            # a passage the broad form adds mentions one of the widened words' entities
            # and is not a text hit already: those few candidates drive the query
            candidates = fts.mentioning_ids(self.db, widened)
            candidates.difference_update(sid for sid, _ in self.strict)
            broad = filters.Always() if plan.broad_is_mentions else plan.broad
            self.extra = fts.filtered_ids(self.db, broad, among=candidates)
            if self.extra:
                self.heard = alias_hits.heard(self.db, self.extra, self.mention_names)
            if self.extra and plan.match is not None:
                self._interleave()
        # hybrid: the fused head of the passage list (id, score, how it matched)
        self.head: list[tuple[int, float, str]] = []
        self.meaning_only: list[int] = []
        self.meaning_text = meaning_text
        self.notice: str | None = None
        if meaning_text and plan.match is not None and not nothing:
            try:
                self._fuse(meaning_text)
            except MeaningUnavailable as e:  # the model cannot load: the words alone
                self.head, self.meaning_only = [], []
                self.notice = _words_only(e)
        self.titles: list[tuple[str, float]] = []
        self.notes: list[tuple[str, float]] = []
        self.notes_hits: list[dict] = []
        if plan.text_match and plan.episode_where is not None:
            where = plan.episode_where
            self.titles = fts.episode_scores(self.db, plan.text_match, "title", where)
            seen = {eid for eid, _ in self.titles}
            self.notes = [r for r in fts.episode_scores(self.db, plan.text_match, "description",
                                                        where) if r[0] not in seen]
        if plan.annotation_where is not None:
            self.notes_hits = fts.annotation_hits(self.db, plan.text_match,
                                                  plan.annotation_where)

    def _interleave(self) -> None:
        """Score the passages found through a mention and rank them with the text
        hits: each gets the bm25 of the query widened by the spellings heard (what
        it would have scored had the caption spelled the name), so a passage that
        says "cloud code" twice beside "agents" ranks as high as its words earn.
        One that the widened match cannot score (a spelling FTS5 splits otherwise)
        gets the lowest text score."""
        spoken = sorted({surface for _, _, surface, _ in self.heard.values()})
        match = " OR ".join([f"({self.plan.match})", *(fts_string(s) for s in spoken)])
        scores = alias_hits.scores_among(self.db, self.plan.table, match, self.extra)
        floor = min((score for _, score in self.strict), default=0.0)
        self.strict = self.strict + [(sid, scores.get(sid, floor)) for sid in self.extra]
        self.extra = []

    def _fuse(self, text: str) -> None:
        """Reciprocal rank fusion of the top word hits and the passages nearest in
        meaning that pass the same filters.

        With a filter, the nearest few hundred passages of the whole library are
        checked against it (a seek each), not the filter's whole result turned into
        candidates: `date:2025` passes 200,000 passages at 100x."""
        where = self.plan.where
        if isinstance(where, filters.Always):
            near = meaning.nearest(self.store, text, meaning.HYBRID_DEPTH)
        else:
            near = meaning.nearest(self.store, text, 4 * meaning.HYBRID_DEPTH)
            passing = set(fts.filtered_ids(self.db, where,
                                           among=[s.segment_id for s in near]))
            near = [s for s in near if s.segment_id in passing][:meaning.HYBRID_DEPTH]
        if not near:
            return
        words = [sid for sid, _ in heapq.nlargest(meaning.HYBRID_DEPTH, self.strict,
                                                   key=itemgetter(1))]
        self.head = fuse(words, [s.segment_id for s in near])
        self.meaning_only = [sid for sid, _, how in self.head if how == "meaning"]

    def _hybrid_hits(self, limit: int, offset: int) -> list[SearchHit]:
        """The fused head, then the other word hits by bm25."""
        end = offset + limit
        picked = [(sid, score, how) for sid, score, how in self.head[offset:end]]
        if end > len(self.head):
            in_head = {sid for sid, _, _ in self.head}
            skip = max(0, offset - len(self.head))
            need = end - max(offset, len(self.head))
            ranked = heapq.nlargest(len(self.head) + skip + need, self.strict,
                                    key=itemgetter(1))
            rest = [(sid, score, "words") for sid, score in ranked if sid not in in_head]
            picked += rest[skip:skip + need]
        ids = [sid for sid, _, _ in picked]
        rows = fts.segment_rows(self.db, ids)
        worded = [sid for sid, _, how in picked if how != "meaning" and sid not in self.heard]
        snippets = fts.segment_snippets(self.db, self.plan.table, self.plan.match, worded)
        by_meaning = _meaning_snippets(self.store, self.meaning_text, {
            sid: rows[sid] for sid, _, how in picked if how == "meaning" and sid in rows})
        out = []
        for sid, score, how in picked:
            if sid not in rows:
                continue
            if sid in self.heard:
                out.append(self._heard_hit(rows[sid], score, how))
                continue
            shown = (_unmark(snippets.get(sid, "")) if how != "meaning" else by_meaning[sid])
            out.append(_segment_hit(rows[sid], score, *shown, matched=how))
        return out

    def _heard_hit(self, row: dict, score: float, how: str = "words") -> SearchHit:
        """A passage found through a mention: the text around it, marked, and what
        was heard when it is not the entity's name."""
        start, end, surface, entity = self.heard[row["id"]]
        hit = _segment_hit(row, score, *_window(row["text"], (start, end)), matched=how)
        return replace(hit, heard_as=surface if _heard_otherwise(surface, entity) else None)

    def sources(self) -> list[_Source]:
        return [
            _Source(len(self.titles), lambda lim, off: self._episode_hits(
                self.titles[off:off + lim], "title")),
            _Source(len(self.notes_hits), lambda lim, off: [
                _annotation_hit(r) for r in self.notes_hits[off:off + lim]]),
            _Source(len(self.strict) + len(self.meaning_only),
                    self._hybrid_hits if self.head else self._strict_hits),
            _Source(len(self.extra), self._extra_hits),
            _Source(len(self.notes), lambda lim, off: self._episode_hits(
                self.notes[off:off + lim], "notes")),
        ]

    def page(self, limit: int, offset: int) -> tuple[list[SearchHit], int]:
        hits: list[SearchHit] = []
        start = 0
        total = 0
        for source in self.sources():
            total += source.count
            lo, hi = max(offset, start), min(offset + limit, start + source.count)
            if hi > lo:
                hits.extend(source.fetch(hi - lo, lo - start))
            start += source.count
        return hits, total

    def _episode_hits(self, scored: list[tuple[str, float]], field: str) -> list[SearchHit]:
        column = "title" if field == "title" else "description"
        rows = fts.episode_snippets(self.db, self.plan.text_match, column,
                                    [eid for eid, _ in scored])
        return [_episode_hit({**rows[eid], "score": score}, field)
                for eid, score in scored if eid in rows]

    def _strict_hits(self, limit: int, offset: int) -> list[SearchHit]:
        plan = self.plan
        if self.sorted:
            ranked = self.strict[offset:offset + limit]
        else:  # == sorted(..., reverse=True)[offset:offset + limit], without sorting it all
            ranked = heapq.nlargest(offset + limit, self.strict, key=itemgetter(1))[offset:]
        ids = [sid for sid, _ in ranked]
        rows = fts.segment_rows(self.db, ids)
        if plan.match is not None:
            worded = [sid for sid in ids if sid not in self.heard]
            snippets = fts.segment_snippets(self.db, plan.table, plan.match, worded)
            marked = [(sid, score, *_unmark(snippets.get(sid, ""))) for sid, score in ranked]
            words = cjk.words_in(plan.match) if cjk.has_cjk(plan.match) else []
            return [self._heard_hit(rows[sid], score) if sid in self.heard
                    else _segment_hit(rows[sid], score, snippet, spans) if spans or not words
                    else _segment_hit(rows[sid], score, *_window(
                        rows[sid]["text"], _first_of(rows[sid]["text"], words)))
                    for sid, score, snippet, spans in marked]
        spans = fts.mention_spans(self.db, ids, self.mention_names)
        return [_segment_hit(rows[sid], score, *_window(rows[sid]["text"], spans.get(sid)))
                for sid, score in ranked]

    def _extra_hits(self, limit: int, offset: int) -> list[SearchHit]:
        """Mention-only passages of a query with no ranked text (filters only), in
        reading order after the others."""
        ids = self.extra[offset:offset + limit]
        rows = fts.segment_rows(self.db, ids)
        return [self._heard_hit(rows[sid], 0.0) if sid in self.heard
                else _segment_hit(rows[sid], 0.0, *_window(rows[sid]["text"], None))
                for sid in ids if sid in rows]

    def facets(self) -> dict[str, dict[str, int]]:
        if self._facets is None:
            self._facets = self._count_facets()
        return self._facets

    def _count_facets(self) -> dict[str, dict[str, int]]:
        index = facet_index(self.store)
        ids = list(map(itemgetter(0), self.strict))
        ids += self.extra
        ids += self.meaning_only
        owners, masks = index.count(ids)
        return _facet_counts(index, owners, masks)


def _facet_counts(index: FacetIndex, owners: Counter, masks: Counter) -> dict[str, dict[str, int]]:
    """Facet counts (show, speaker, year, entity kind) from counted facet keys."""
    show, speaker, year, kind = Counter(), Counter(), Counter(), Counter()
    for key, n in owners.items():
        show_title, when, name = index.owners[key]
        if show_title:
            show[show_title] += n
        if when:
            year[when] += n
        if name:
            speaker[name] += n
    for mask, n in masks.items():
        for k in index.kinds[mask]:
            kind[k] += n
    return {name: dict(counter.most_common()) for name, counter in
            (("show", show), ("speaker", speaker), ("year", year), ("kind", kind))}


class SegmentGroups:
    """Each segment's (episode, speaker label) and set of entity kinds, as small
    integers in lists indexed by segment id.

    Depends on the text and the mentions only (rebuilt when they change).  Built
    from streamed rows into lists of ints: no large container of Python objects is
    made and thrown away, which would hold the GIL (and the window) while it is freed.
    """

    def __init__(self, size: int, owners: Iterable[tuple[int, str, str | None]],
                 kinds: Iterable[tuple[int, str]]):
        owner_ids: dict[tuple, int] = {(None, None): 0}
        kind_ids: dict[str, int] = {"": 0}
        self.owner_of = [0] * size
        self.kinds_of = [0] * size
        owner_of, kinds_of = self.owner_of, self.kinds_of
        for sid, eid, label in owners:
            if sid < size:
                owner_of[sid] = owner_ids.setdefault((eid, label), len(owner_ids))
        for sid, joined in kinds:
            if sid < size:
                kinds_of[sid] = kind_ids.setdefault(joined, len(kind_ids))
        self.owners = list(owner_ids)
        self.kinds = [tuple(k.split(",")) if k else () for k in kind_ids]


class FacetIndex:
    """Each segment's facet values as two small integers: one for (show, year,
    speaker name), one for its set of entity kinds.  Counting the facets of tens of
    thousands of hits is then two C-speed Counters and a loop over a few hundred
    distinct values.

    Show titles, dates and speaker names can change without the text changing, so
    this is rebuilt (cheaply, from SegmentGroups) after any write."""

    def __init__(self, segments: SegmentGroups, facts: dict[str, tuple[str | None, str | None]],
                 names: dict[tuple[str, str], str]):
        ids: dict[tuple, int] = {}
        resolved = []
        for eid, label in segments.owners:
            show, date = facts.get(eid, (None, None)) if eid else (None, None)
            name = names.get((eid, label), label) if label else None
            resolved.append(ids.setdefault((show, date[:4] if date else None, name), len(ids)))
        self.owners = list(ids)
        self.kinds = segments.kinds
        self._owner_of = [resolved[o] for o in segments.owner_of]
        self._kinds_of = segments.kinds_of
        self._segments = segments
        self._facts = facts
        self._position: list[int] | None = None

    def sort(self, ids: list[int]) -> None:
        """Sort segment ids in place as the library lists them: newest episode first
        (undated last), then reading order — what SQL's `ORDER BY e.date DESC,
        s.episode_id, s.id` gives, without reading a row per id."""
        if self._position is None:
            episodes = sorted(self._facts, key=str)
            episodes.sort(key=lambda eid: self._facts[eid][1] or "", reverse=True)
            rank = {eid: r for r, eid in enumerate(episodes)}
            last = len(rank)
            owner_rank = [rank.get(eid, last) for eid, _ in self._segments.owners]
            self._position = [owner_rank[o] << 32 | sid
                              for sid, o in enumerate(self._segments.owner_of)]
        position = self._position
        try:
            ids.sort(key=position.__getitem__)
        except IndexError:  # a segment written after this index was built: last
            size = len(position)
            ids.sort(key=lambda i: position[i] if i < size else (1 << 62) + i)

    def count(self, ids: list[int]) -> tuple[Counter, Counter]:
        """(Counter of owner keys, Counter of kind-set keys) over segment ids."""
        try:
            return (Counter(map(self._owner_of.__getitem__, ids)),
                    Counter(map(self._kinds_of.__getitem__, ids)))
        except IndexError:  # a segment written after this index was built
            size = len(self._owner_of)
            return self.count([i for i in ids if i < size])


_segment_groups: PerStore[SegmentGroups] = PerStore()
_facets: PerStore[FacetIndex] = PerStore()


def facet_index(store: Store) -> FacetIndex:
    """The store's FacetIndex; SegmentGroups are reused while the text is unchanged."""
    db = store.db

    def build() -> FacetIndex:
        groups = _segment_groups.get(store, fts.signature(db), lambda: SegmentGroups(
            fts.max_segment_id(db) + 1, fts.segment_owners(db), fts.segment_kinds(db)))
        return FacetIndex(groups, fts.episode_facts(db), fts.speaker_names(db))
    return _facets.get(store, fts.write_marker(db), build)


# --- hits and snippets ---------------------------------------------------------------------


def _unmark(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """FTS5 snippet with marks → plain text and (start, end) offsets of the marked terms."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    start = None
    for part in re.split(f"([{fts.MARK_OPEN}{fts.MARK_CLOSE}])", snippet or ""):
        if part == fts.MARK_OPEN:
            start = pos
        elif part == fts.MARK_CLOSE:
            if start is not None:
                spans.append((start, pos))
            start = None
        else:
            out.append(part)
            pos += len(part)
    return "".join(out), tuple(spans)


def _window(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About WINDOW characters of `text` around `span` (its start when None), on word edges."""
    return _window_spans(text, [span] if span is not None else [])


def _window_spans(text: str, spans: list[tuple[int, int]]
                  ) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About WINDOW characters of `text` around the first of `spans`, on word edges,
    with every span that falls inside the window marked."""
    if not spans:
        cut = text[:WINDOW]
        if len(text) > WINDOW:
            cut = cut.rsplit(" ", 1)[0] + fts.ELLIPSIS
        return cut, ()
    start, end = spans[0]
    lo = max(0, start - WINDOW // 2)
    hi = min(len(text), end + WINDOW // 2)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    head = fts.ELLIPSIS if lo > 0 else ""
    tail = fts.ELLIPSIS if hi < len(text) else ""
    snippet = head + text[lo:hi] + tail
    offset = len(head) - lo
    marked = [(s + offset, e + offset) for s, e in spans if lo <= s and e <= hi]
    return snippet, tuple(sorted(set(marked)))


def _meaning_snippets(store: Store, query: str, rows: dict[int, dict]
                      ) -> dict[int, tuple[str, tuple[tuple[int, int], ...]]]:
    """Snippets of passages found by meaning, marking why (meaning/why.py): the
    query's words where they occur, else the passage's words closest in meaning."""
    ids = list(rows)
    texts = [rows[sid]["text"] for sid in ids]
    spans: list[list[tuple[int, int]]] = [[] for _ in ids]
    if query.strip() and ids:
        try:
            spans = why.closest_words(texts, query, meaning.embedder(store))
        except MeaningUnavailable:
            spans = [why.occurring(t, why.query_terms(query)) for t in texts]
    return {sid: _window_spans(text, found) for sid, text, found in zip(ids, texts, spans)}


def _first_of(text: str, words: list[str]) -> tuple[int, int] | None:
    """Where the first of `words` stands in `text` (a CJK hit, which FTS5 matched
    in the pairs column and so cannot mark in the text)."""
    found = [(at, at + len(w)) for w in words if (at := text.find(w)) >= 0]
    return min(found) if found else None


_POSSESSIVE = re.compile(r"(?:['’]s|s)$")


def _heard_otherwise(surface: str, name: str) -> bool:
    """Whether a mention's spelling is worth saying: not the name itself in another
    case, plural or possessive ("Claude Code’s")."""
    said, named = _norm(surface), _norm(name)
    return said != named and _POSSESSIVE.sub("", said) != named


def _segment_hit(row: dict, score: float, snippet: str,
                 highlights: tuple[tuple[int, int], ...], matched: str = "words") -> SearchHit:
    return SearchHit(
        episode_id=row["episode_id"], episode_title=row["title"], show=row["show"],
        date=row["date"], segment_id=row["id"], speaker=row["speaker"],
        start_ms=row["start_ms"], score=score, snippet=snippet, highlights=highlights,
        field="transcript", char_start=row["char_start"], matched=matched,
    )


def _episode_hit(row: dict, field: str) -> SearchHit:
    snippet, highlights = _unmark(row["snippet"])
    return SearchHit(
        episode_id=row["id"], episode_title=row["title"], show=row["show"], date=row["date"],
        segment_id=None, speaker=None, start_ms=None, score=row["score"], snippet=snippet,
        highlights=highlights, field=field,
    )


def _annotation_hit(row: dict) -> SearchHit:
    marked = row.get("snippet") or ""
    if fts.MARK_OPEN not in marked and fts.MARK_OPEN in (row.get("quote_snippet") or ""):
        marked = row["quote_snippet"]
    if row.get("snippet") is None:
        snippet, highlights = _window(row["note_md"] or row["exact"], None)
    else:
        snippet, highlights = _unmark(marked)
    return SearchHit(
        episode_id=row["episode_id"], episode_title=row["title"] or "", show=row["show"],
        date=row["date"], segment_id=None, speaker=None, start_ms=None, score=row["score"],
        snippet=snippet, highlights=highlights, field="annotation",
        char_start=row["start"], annotation_id=row["id"],
    )


# --- did you mean --------------------------------------------------------------------------


def _positive_words(node: t.Node) -> Iterable[str]:
    if isinstance(node, t.Word):
        yield node.text
    elif isinstance(node, t.Phrase):
        yield from node.words
    elif isinstance(node, t.And | t.Or):
        for item in node.items:
            yield from _positive_words(item)


def _did_you_mean(parsed: query_mod.ParsedQuery, speller: spelling.Speller,
                  known: KnownEntities) -> str | None:
    """The query with each unknown word replaced by its best correction, if any."""
    text = parsed.text
    changed = False
    for word in dict.fromkeys(_positive_words(parsed.tree)):
        if not word.isalpha() or word in known:
            continue
        better = speller.suggest(word)
        if better:
            text, n = re.subn(rf"(?<!\w){re.escape(word)}(?!\w)", better, text, count=1)
            changed = changed or bool(n)
    return text if changed else None


# --- more like this ----------------------------------------------------------------------


def similar(store: Store, text: str = "", segment_ids: tuple[int, ...] = (),
            limit: int = 20, within: str = "") -> SearchResults:
    """Passages closest in meaning to some text (a selection, an annotation's quote)
    or to some passages (a search hit), the passages themselves left out; `within`
    is a query (filters, words) the results must also match."""
    among: list[int] | None = None
    parsed = query_mod.parse(within) if within.strip() else None
    if parsed is not None:
        known = entities_for(store)
        speller = spelling.speller_for(store)
        plan = compile_query(parsed.tree, Lookups(
            entity_names=known.names, entity_family=lambda t_: known.names(t_),
            fuzzy=lambda word, dist: speller.expand(word, dist),
            wildcard=lambda glob: fts.terms_like(store.db, glob)))
        run = _Run(store, plan, known, None)
        among = [sid for sid, _ in run.strict] + run.extra
    if text.strip():
        found = meaning.nearest(store, text, limit, among, exclude=frozenset(segment_ids))
    else:
        found = meaning.similar_to_segments(store, segment_ids, limit, among)
    rows = fts.segment_rows(store.db, [s.segment_id for s in found])
    shown = _meaning_snippets(store, text, rows)
    hits = tuple(_segment_hit(rows[s.segment_id], s.score, *shown[s.segment_id],
                              matched="meaning")
                 for s in found if s.segment_id in rows)
    label = "like " + (repr(text[:60]) if text.strip() else
                       "passage " + ", ".join(map(str, segment_ids)))
    return SearchResults("", label, hits, len(hits), {}, None,
                         parsed.error if parsed else None)
