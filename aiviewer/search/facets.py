"""Facet counts of a search (show, speaker, year, entity kind) over all its hits.

A query at 100x can match over 100,000 passages; their facets are counted from two
small integers per passage kept in lists (built once per store, rebuilt when the
text or a write moves on), never from rows read per hit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from aiviewer.search import filters
from aiviewer.search.cache import PerStore
from aiviewer.store import Store, fts


def facet_counts(index: FacetIndex, owners: Counter, masks: Counter) -> dict[str, dict[str, int]]:
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
        # the two lists as arrays (numpy's counts and lookups), and each owner's
        # number of segments (owner 0, no segment, not counted)
        self.owner_array = np.array(self.owner_of, dtype=np.int64)
        self.kinds_array = np.array(self.kinds_of, dtype=np.int64)
        self.owner_counts = np.bincount(self.owner_array, minlength=len(self.owners))
        self.owner_counts[0] = 0


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
        # each segment's facet keys, indexed by segment id
        self._owner_keys = np.asarray(resolved, dtype=np.int64)[segments.owner_array]
        self._kind_keys = segments.kinds_array
        self._segments = segments
        self._names = names
        # made on first use by `owners_passing`: owners by episode, and each owner's
        # speaker label and name as LIKE compares them
        self._by_episode: dict[str, list[int]] | None = None
        self._said: list[tuple[str, str] | None] = []
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

    def owners_passing(self, episodes: set[str] | None, speakers: list[str]) -> set[int]:
        """The (episode, speaker) owners in `episodes` (None: any) whose speaker's
        label or name contains each of `speakers` as SQL's LIKE '%…%' does (ASCII
        letters in either case; a NULL speaker never passes)."""
        if self._by_episode is None:
            self._by_episode = {}
            self._said = []
            for o, (eid, label) in enumerate(self._segments.owners):
                self._said.append(None if label is None else (
                    _ascii_lower(label), _ascii_lower(self._names.get((eid, label), ""))))
                if eid is not None:
                    self._by_episode.setdefault(eid, []).append(o)
        among = (range(1, len(self._said)) if episodes is None else
                 [o for eid in episodes for o in self._by_episode.get(eid, ())])
        if not speakers:
            return set(among)
        wanted = [_ascii_lower(s) for s in speakers]
        said = self._said
        return {o for o in among if said[o] is not None
                and all(w in said[o][0] or w in said[o][1] for w in wanted)}

    def with_owner(self, ids: Iterable[int], owners: set[int]) -> list[int]:
        """The segment ids among `ids` whose owner is one of `owners`."""
        owner_of, size = self._segments.owner_of, len(self._segments.owner_of)
        return [sid for sid in ids if sid < size and owner_of[sid] in owners]

    def share(self, owners: set[int]) -> float:
        """The fraction of the library's segments whose owner is one of `owners`."""
        counts = self._segments.owner_counts
        total = int(counts.sum())
        picked = np.fromiter(owners, dtype=np.int64, count=len(owners))
        return int(counts[picked].sum()) / total if total else 0.0

    def segments_of(self, owners: set[int]) -> list[int]:
        """Every segment id whose owner is one of `owners`, in reading order."""
        array = self._segments.owner_array
        ids = np.flatnonzero(np.isin(array, np.fromiter(owners, np.int64, len(owners))))
        out = ids.tolist()
        self.sort(out)
        return out

    def count(self, ids: Iterable[int]) -> tuple[Counter, Counter]:
        """(Counter of owner keys, Counter of kind-set keys) over segment ids, counted
        by numpy (a Counter over 40,000 ids cost 5-8 ms at 100x, this about 1)."""
        arr = np.fromiter(ids, dtype=np.int64)
        arr = arr[arr < len(self._owner_keys)]  # a segment written after this index was built
        return _counted(self._owner_keys[arr]), _counted(self._kind_keys[arr])


def _counted(keys: np.ndarray) -> Counter:
    counts = np.bincount(keys)
    present = np.flatnonzero(counts)
    return Counter(dict(zip(present.tolist(), counts[present].tolist())))


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


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def owner_filter(where: filters.Filter) -> tuple[filters.Filter, list[str]] | None:
    """`where` as (a filter on episodes, speaker texts) when that is all it asks —
    what a segment's owner (its episode and speaker) answers, so the facet index
    can answer it instead of SQL reading every segment — or None."""
    if isinstance(where, filters.Always):
        return None
    items = where.items if isinstance(where, filters.AllOf) else (where,)
    speakers = [i.text for i in items if isinstance(i, filters.SpeakerIs)]
    rest = [i for i in items if not isinstance(i, filters.SpeakerIs)]
    if not all(filters.episode_only(i) for i in rest) or (not speakers and not rest):
        return None
    return filters.all_of(rest), speakers
