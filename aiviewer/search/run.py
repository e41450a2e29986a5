"""One ranked query against the store (`Run`): every match with its score, fetched
once, then the total, any page and the facets come from that list.

The passage list is ranked by bm25; passages that only mention an entity the
query names are scored by the query widened with what was heard and ranked among
them; with `meaning_text` the head of the list is fused with the passages nearest
in meaning (reciprocal rank fusion).  Titles, the user's annotations and show
notes are blocks of their own (`sources`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import chain, compress, repeat
from operator import itemgetter

import numpy as np

from aiviewer.meaning.embedder import MeaningUnavailable
from aiviewer.meaning.fusion import fuse
from aiviewer.model import SearchHit
from aiviewer.search import cjk, filters, impacts, meaning
from aiviewer.search.compile import Plan
from aiviewer.search.entity_names import (
    EntityFamily,
    KnownEntities,
    mentioned_ids,
    mentioning,
    spelled,
)
from aiviewer.search.facets import facet_counts, facet_index, owner_filter
from aiviewer.search.hits import (
    annotation_hit,
    episode_hit,
    first_of,
    heard_otherwise,
    meaning_snippets,
    segment_hit,
    unmark,
    window,
)
from aiviewer.store import Store, alias_hits, fts


def words_only(problem: Exception) -> str:
    """The one line a search says when meaning could not take part."""
    return f"search by meaning is unavailable ({problem}): words only"


@dataclass
class Source:
    """One block of the result list: how many hits it has and how to fetch a slice."""

    count: int
    fetch: Callable[[int, int], list[SearchHit]]


class Run:
    """One query against the store: every matching segment id is fetched once (with
    its bm25 score), then the total, the page and the facets come from that list."""

    def __init__(self, store: Store, plan: Plan, known: KnownEntities,
                 family: EntityFamily | None, meaning_text: str = ""):
        self.db = store.db
        self.plan = plan
        self._facets: dict[str, dict[str, int]] | None = None
        self._scores: np.ndarray | None = None  # the text hits' scores, for `_best`
        where = plan.where
        # (id, score) of every text hit, unsorted; filter-only hits come in reading order
        self.strict: list[tuple[int, float]]
        self.sorted = plan.match is None
        self.store = store
        # a filter a segment's owner answers (show, date, speaker): the owners that
        # pass, from the facet index; none (a date before the library) rules out
        # every segment at once
        passed: dict = {}  # episode filter → the episodes it passes (asked again below)
        owners = _passing_owners(store, where, passed)
        nothing = owners is not None and not owners
        if nothing:
            self.strict = []
        elif owners is not None and (plan.match is None
                                     or facet_index(store).share(owners) >= JOIN_BELOW):
            # every match scored, then kept by its owner, when most pass: joining
            # each match to its segment and episode in SQL costs about two thirds of
            # scoring it (`show:interconnects RL` at 100x: 58 ms against 35 + 3);
            # without text, the owners' segments (`speaker:"Ross Taylor"`: 90 ms
            # reading every segment's speaker, 6 here)
            index = facet_index(store)
            if plan.match is None:
                self.strict = list(zip(index.segments_of(owners), repeat(0.0)))
            else:
                scored = impacts.match_scores(store, plan.table, plan.match)
                keep = set(index.with_owner([sid for sid, _ in scored], owners))
                self.strict = [hit for hit in scored if hit[0] in keep]
        elif plan.match is not None and (allowed := mentioned_ids(store, where)) is not None:
            # `kind:model open`: every match scored, then kept by the mention index in
            # memory; SQL gathered the 300,000 mentions of a kind for each query (70 ms)
            scored = impacts.match_scores(store, plan.table, plan.match)
            ids = np.fromiter(map(itemgetter(0), scored), dtype=np.int64, count=len(scored))
            self.strict = list(compress(scored, np.isin(ids, allowed).tolist()))
        elif plan.match is not None:
            self.strict = impacts.match_scores(store, plan.table, plan.match, where)
        elif filters.segment_only(where):
            ids = fts.segment_ids(self.db, where)
            facet_index(store).sort(ids)
            self.strict = list(zip(ids, repeat(0.0)))
        else:
            self.strict = [(sid, 0.0) for sid in fts.filtered_ids(self.db, where)]
        self.extra: list[int] = []
        # a bare word stands for its entity under any spelling; `entity:` for its family
        widened = sorted({n for w in plan.entity_words for n in known.names(w)})
        self.known = known
        self.mention_names: list[str] = sorted(
            set(widened) | {n for value in plan.entity_fields for n in known.names(value, family)})
        # passages found through a mention, and for those on a page shown so far,
        # segment id → (start, end, surface, entity) of the mention (`_heard_for`)
        self.heard_ids: set[int] = set()
        self.heard: dict[int, tuple[int, int, str, str]] = {}
        if plan.broad is not None and not nothing:
            # a passage the broad form adds mentions one of the widened words' entities
            # and is not a text hit already: those few candidates drive the query
            candidates = mentioning(store, widened, np.fromiter(
                map(itemgetter(0), self.strict), dtype=np.int64, count=len(self.strict)))
            # what is left of the broad form to ask of a passage that mentions one of
            # the entities (`show:interconnects RL`: the show only)
            broad = filters.given_mention(plan.broad, frozenset(widened))
            passing = (None if isinstance(broad, filters.Always)
                       else _passing_owners(store, broad, passed))
            if plan.match is not None and (isinstance(broad, filters.Always)
                                           or passing is not None):
                # answered from the facet index (the owners passing a show, date or
                # speaker), put in reading order (which breaks ties of score) there
                # too, not by SQL (17,000 passages say "RL" for `reinforcement
                # learning` at 100x: 39 ms)
                index = facet_index(store)
                self.extra = (list(candidates) if passing is None
                              else index.with_owner(candidates, passing))
                index.sort(self.extra)
            else:
                self.extra = fts.filtered_ids(self.db, broad, among=candidates)
            self.heard_ids = set(self.extra)
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
                self.notice = words_only(e)
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
        hits: each gets the bm25 of the query widened by the entities' spellings (what
        it would have scored had the caption spelled the name), so a passage that
        says "cloud code" twice beside "agents" ranks as high as its words earn.
        One that the widened match cannot score (a spelling FTS5 splits otherwise)
        gets the lowest text score.  The spellings are every one the entities were
        found as, from the entity names held in memory, each once as FTS5 reads it
        (a spelling no passage here holds adds nothing to their scores): reading
        each passage's mention instead cost 16-23 ms for a few hundred to 2,000
        passages at 100x, and the spellings from SQL 28-46 ms."""
        # a spelling the query itself says cannot be in these passages (one that said
        # it would be a text hit): it would add nothing to their scores but its cost
        said = {spelled(w) for w in self.plan.entity_words}
        spoken = [s for s in self.known.spellings(self.mention_names) if s not in said]
        # the query's own words add nothing here: these passages do not match it, and
        # FTS5 counts a phrase only where the part of the query holding it matched
        scores = impacts.scores_among(self.store, self.plan.table, spoken, self.extra)
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
        words = [sid for sid, _ in self._best(meaning.HYBRID_DEPTH)]
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
            ranked = self._best(len(self.head) + skip + need)
            rest = [(sid, score, "words") for sid, score in ranked if sid not in in_head]
            picked += rest[skip:skip + need]
        ids = [sid for sid, _, _ in picked]
        rows = fts.segment_rows(self.db, ids)
        self._heard_for(ids)
        worded = [sid for sid, _, how in picked if how != "meaning" and sid not in self.heard]
        snippets = fts.segment_snippets(self.db, self.plan.table, self.plan.match, worded)
        by_meaning = meaning_snippets(self.store, self.meaning_text, {
            sid: rows[sid] for sid, _, how in picked if how == "meaning" and sid in rows})
        out = []
        for sid, score, how in picked:
            if sid not in rows:
                continue
            if sid in self.heard:
                out.append(self._heard_hit(rows[sid], score, how))
                continue
            shown = (unmark(snippets.get(sid, "")) if how != "meaning" else by_meaning[sid])
            out.append(segment_hit(rows[sid], score, *shown, matched=how))
        return out

    def _best(self, n: int) -> list[tuple[int, float]]:
        """The `n` best-scored text hits, best first, ties in list order: what
        `heapq.nlargest(n, self.strict, key=score)` gives, by numpy (5 ms a call
        for 40,000 hits at 100x, and a page, the fusion and the next page each ask)."""
        if self._scores is None or len(self._scores) != len(self.strict):
            self._scores = np.fromiter(map(itemgetter(1), self.strict), dtype=np.float64,
                                       count=len(self.strict))
        scores = self._scores
        if n >= len(scores):
            picked = np.arange(len(scores))
        elif n <= 0:
            return []
        else:
            nth = np.partition(scores, len(scores) - n)[len(scores) - n]
            above = np.flatnonzero(scores > nth)
            picked = np.concatenate([above, np.flatnonzero(scores == nth)[:n - len(above)]])
            picked.sort()
        order = picked[np.argsort(-scores[picked], kind="stable")]
        strict = self.strict
        return [strict[i] for i in order.tolist()]

    def _heard_for(self, ids: list[int]) -> None:
        """Read the mention of each passage of a page that was found through one."""
        need = [sid for sid in ids if sid in self.heard_ids and sid not in self.heard]
        if need:
            self.heard.update(alias_hits.heard(self.db, need, self.mention_names))

    def _heard_hit(self, row: dict, score: float, how: str = "words") -> SearchHit:
        """A passage found through a mention: the text around it, marked, and what
        was heard when it is not the entity's name."""
        start, end, surface, entity = self.heard[row["id"]]
        hit = segment_hit(row, score, *window(row["text"], (start, end)), matched=how)
        return replace(hit, heard_as=surface if heard_otherwise(surface, entity) else None)

    def sources(self) -> list[Source]:
        return [
            Source(len(self.titles), lambda lim, off: self._episode_hits(
                self.titles[off:off + lim], "title")),
            Source(len(self.notes_hits), lambda lim, off: [
                annotation_hit(r) for r in self.notes_hits[off:off + lim]]),
            Source(len(self.strict) + len(self.meaning_only),
                    self._hybrid_hits if self.head else self._strict_hits),
            Source(len(self.extra), self._extra_hits),
            Source(len(self.notes), lambda lim, off: self._episode_hits(
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
        return [episode_hit({**rows[eid], "score": score}, field)
                for eid, score in scored if eid in rows]

    def _strict_hits(self, limit: int, offset: int) -> list[SearchHit]:
        plan = self.plan
        if self.sorted:
            ranked = self.strict[offset:offset + limit]
        else:  # == sorted(..., reverse=True)[offset:offset + limit], without sorting it all
            ranked = self._best(offset + limit)[offset:]
        ids = [sid for sid, _ in ranked]
        rows = fts.segment_rows(self.db, ids)
        self._heard_for(ids)
        if plan.match is not None:
            worded = [sid for sid in ids if sid not in self.heard]
            snippets = fts.segment_snippets(self.db, plan.table, plan.match, worded)
            marked = [(sid, score, *unmark(snippets.get(sid, ""))) for sid, score in ranked]
            words = cjk.words_in(plan.match) if cjk.has_cjk(plan.match) else []
            return [self._heard_hit(rows[sid], score) if sid in self.heard
                    else segment_hit(rows[sid], score, snippet, spans) if spans or not words
                    else segment_hit(rows[sid], score, *window(
                        rows[sid]["text"], first_of(rows[sid]["text"], words)))
                    for sid, score, snippet, spans in marked]
        spans = fts.mention_spans(self.db, ids, self.mention_names)
        return [segment_hit(rows[sid], score, *window(rows[sid]["text"], spans.get(sid)))
                for sid, score in ranked]

    def _extra_hits(self, limit: int, offset: int) -> list[SearchHit]:
        """Mention-only passages of a query with no ranked text (filters only), in
        reading order after the others."""
        ids = self.extra[offset:offset + limit]
        rows = fts.segment_rows(self.db, ids)
        self._heard_for(ids)
        return [self._heard_hit(rows[sid], 0.0) if sid in self.heard
                else segment_hit(rows[sid], 0.0, *window(rows[sid]["text"], None))
                for sid in ids if sid in rows]

    def facets(self) -> dict[str, dict[str, int]]:
        if self._facets is None:
            self._facets = self._count_facets()
        return self._facets

    def _count_facets(self) -> dict[str, dict[str, int]]:
        index = facet_index(self.store)
        owners, masks = index.count(chain(map(itemgetter(0), self.strict), self.extra,
                                          self.meaning_only))
        return facet_counts(index, owners, masks)


# the share of the library's passages a show, date or speaker filter passes below
# which SQL joins each match to its owner and scores only those that pass
# (`speaker:"Nathan Lambert" reasoning`, a tenth: 38 ms against 67 scoring all)
JOIN_BELOW = 0.35


def _passing_owners(store: Store, where: filters.Filter,
                    seen: dict | None = None) -> set[int] | None:
    """The owners (episode, speaker) passing a filter only they answer, or None;
    `seen` keeps the episodes each episode filter passed, for a second ask."""
    split = owner_filter(where)
    if split is None:
        return None
    episodes, speakers = split
    if isinstance(episodes, filters.Always):
        passing = None
    elif seen is not None and episodes in seen:
        passing = seen[episodes]
    else:
        passing = fts.episode_ids(store.db, episodes)
        if seen is not None:
            seen[episodes] = passing
    if passing is not None and not passing:
        return set()
    return facet_index(store).owners_passing(passing, speakers)
