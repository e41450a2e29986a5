"""Running a query: parse (whoosh) → compile → FTS5 through the store → SearchResults.

Results are listed in this order, one page cut from the whole list:
episode titles, the user's annotations, transcript passages ranked by bm25, then
show notes.  Passages that only mention an entity the query names (`Qwen` finding
a caption that says "Quen") are ranked among the others by their own bm25 — the
query with what was heard standing for the name — and say what was heard
(`SearchHit.heard_as`).  The total counts all of them;
facets (show, speaker, year, entity kind) count transcript passages.

`first_hits` is the per-keystroke path (`as_you_type`): unranked hits from the
unstemmed prefix index, shown at once and replaced by `search` after a pause.

The parts live beside this module: `run` (one query's matches, scores and pages),
`facets`, `hits` (snippets and hit records), `entity_names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from aiviewer.meaning.embedder import MeaningUnavailable
from aiviewer.model import SearchHit, SearchResults
from aiviewer.search import as_you_type, impacts, meaning, spelling
from aiviewer.search import query as query_mod
from aiviewer.search import tree as t
from aiviewer.search.as_you_type import WORDS as _WORDS
from aiviewer.search.as_you_type import plain_query
from aiviewer.search.cache import PerStore
from aiviewer.search.compile import Lookups, Plan, compile_query
from aiviewer.search.entity_names import EntityFamily, KnownEntities, entities_for, mention_index
from aiviewer.search.entity_names import _entities as _entities
from aiviewer.search.entity_names import _mentioned as _mentioned
from aiviewer.search.facets import _facets, _segment_groups, facet_counts, facet_index
from aiviewer.search.hits import meaning_snippets, segment_hit
from aiviewer.search.run import Run, words_only
from aiviewer.store import Store, fts

__all__ = ["KnownEntities", "first_hits", "plain_query", "prepare", "reindex", "search",
           "similar"]

_runs: PerStore[Run] = PerStore()


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
            return replace(results, query=query, notice=words_only(e))
    if plan.empty:
        return SearchResults(query, parsed.understood, (), 0, {}, suggestion, parsed.error)
    words = " ".join(dict.fromkeys(_positive_words(parsed.tree))) if hybrid else ""
    # the popup asks for the next pages of the same query as the user scrolls: the
    # run (every match with its score) is kept for the store's latest query
    key = (query, words, entity_family is None, fts.write_marker(store.db))
    run = _runs.get(store, key, lambda: Run(store, plan, known, entity_family, words))
    hits, total = run.page(limit, offset)
    return SearchResults(query, parsed.understood, tuple(hits), total, run.facets(),
                         suggestion, parsed.error, run.notice)


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
        run = Run(store, plan, known, family)
        among = [sid for sid, _ in run.strict] + run.extra
    found = meaning.nearest(store, text, meaning.MEANING_LIMIT, among)
    page = found[offset:offset + limit]
    rows = fts.segment_rows(store.db, [s.segment_id for s in page])
    shown = meaning_snippets(store, text, rows)
    hits = tuple(segment_hit(rows[s.segment_id], s.score, *shown[s.segment_id],
                              matched="meaning")
                 for s in page if s.segment_id in rows)
    owners, masks = facet_index(store).count([s.segment_id for s in found])
    return SearchResults(query, understood, hits, len(found),
                         facet_counts(facet_index(store), owners, masks), suggestion,
                         parsed.error)


def first_hits(store: Store, text: str, limit: int = 10,
               ranked_fallback: bool = True) -> tuple[SearchHit, ...] | None:
    """Hits for a half-typed query, fast: the last word is a prefix, nothing is
    ranked (`as_you_type`).  What only the ranked search answers (search by
    meaning, fuzzy words) goes through `search`, or, without `ranked_fallback`,
    gives None: the search box then ranks at once rather than run the same search
    twice on two threads."""
    hits = as_you_type.first_hits(store, text, limit)
    if hits is None and ranked_fallback:
        return search(store, text, limit=limit, suggest=False).hits
    return hits


def prepare(store: Store, wait: bool = False) -> None:
    """Build the caches a search reads (each is rebuilt only when what it derives
    from changed), so that the first query does not pay for them.  The impact index
    of a big library builds on a thread of its own unless `wait` (impacts.py)."""
    impacts.prepare(store, wait=wait)
    spelling.speller_for(store)
    entities_for(store)
    mention_index(store)
    facet_index(store).sort([])  # and the reading order, built on first use (70 ms at 100x)
    meaning.prepare(store)


def reindex(store: Store) -> None:
    """Rebuild every FTS table from the store, and the impact index of a big library
    from it; drop the cached speller."""
    with store.atomic() as db:
        fts.rebuild(db)
    impacts.prepare(store, wait=True)
    spelling.invalidate(store)
    for cache in (_entities, _mentioned, _facets, _segment_groups, _runs):
        cache.drop(store)


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
        run = Run(store, plan, known, None)
        among = [sid for sid, _ in run.strict] + run.extra
    if text.strip():
        found = meaning.nearest(store, text, limit, among, exclude=frozenset(segment_ids))
    else:
        found = meaning.similar_to_segments(store, segment_ids, limit, among)
    rows = fts.segment_rows(store.db, [s.segment_id for s in found])
    shown = meaning_snippets(store, text, rows)
    hits = tuple(segment_hit(rows[s.segment_id], s.score, *shown[s.segment_id],
                              matched="meaning")
                 for s in found if s.segment_id in rows)
    label = "like " + (repr(text[:60]) if text.strip() else
                       "passage " + ", ".join(map(str, segment_ids)))
    return SearchResults("", label, hits, len(hits), {}, None,
                         parsed.error if parsed else None)
