"""The entity names a query may name: those mentioned somewhere in the library,
and the spellings (surfaces) they were found as, so `Quen` finds Qwen's passages."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from aiviewer.search import filters
from aiviewer.search.cache import PerStore
from aiviewer.store import Store, fts

EntityFamily = Callable[[str], set[str]]


class KnownEntities:
    """Entity names that occur in the mentions, and the surface texts they were found as."""

    def __init__(self, names: Iterable[str], surfaces: Iterable[tuple[str, str, int]]):
        self.by_lower = {n.lower(): n for n in names}
        self.by_surface: dict[str, set[str]] = defaultdict(set)
        # name → every spelling found, as FTS5 reads it (words lower-cased)
        self._spellings: dict[str, set[str]] = defaultdict(set)
        for surface, name, fuzzy in surfaces:
            if not fuzzy:
                self.by_surface[norm(surface)].add(name)
            if words := spelled(surface):
                self._spellings[name].add(words)

    def spellings(self, names: Iterable[str]) -> list[str]:
        """Every spelling the entities `names` were found as, fuzzy ones too, each
        once as FTS5 would tokenize it ("OpenAI's" and "openai’s" are one), sorted."""
        found = set().union(*(self._spellings.get(n, ()) for n in names))
        # one that holds another ("openai s" holds "openai") matches no passage the
        # shorter one does not, and would count the name twice in a passage's score;
        # it costs the most, too, when its other word is as common as "s"
        return sorted(s for s in found
                      if not any(o != s and f" {o} " in f" {s} " for o in found))

    def names(self, text: str, family: EntityFamily | None = None) -> frozenset[str]:
        """Canonical names (with mentions) that `text` names: itself, an alias, a family."""
        key = norm(text)
        base = {self.by_lower[key]} if key in self.by_lower else set(self.by_surface.get(key, ()))
        if family is not None:
            for name in list(base) or [text]:
                base |= set(family(name))
        return frozenset(self.by_lower[n.lower()] for n in base if n.lower() in self.by_lower)

    def __contains__(self, text: str) -> bool:
        key = norm(text)
        return key in self.by_lower or key in self.by_surface


_WORDS = re.compile(r"\w+")


def spelled(text: str) -> str:
    """A spelling as FTS5 reads it: its words, lower-cased, one space apart."""
    return " ".join(_WORDS.findall(text.lower()))


def norm(text: str) -> str:
    return " ".join(text.lower().split())


_entities: PerStore[KnownEntities] = PerStore()


def entities_for(store: Store) -> KnownEntities:
    return _entities.get(store, fts.signature(store.db), lambda: KnownEntities(
        fts.entity_names(store.db), fts.entity_surfaces(store.db)))


# (entity → the ids of the segments mentioning it, a segment once per mention: made
# unique per query, by `mentioning`; kind → the ids of the segments mentioning one of
# its entities, unique and sorted)
_mentioned: PerStore[tuple[dict[str, np.ndarray], dict[str, np.ndarray]]] = PerStore()


def mentioning(store: Store, names: Sequence[str], besides: np.ndarray | None = None
               ) -> list[int]:
    """Segments that mention one of the entities `names`, but for those `besides`,
    in id order.

    From an index of the whole mentions table held per store (rebuilt when the
    mentions change, built by `engine.prepare` before anyone types), not a query
    each time: at 100x `Reinforcement learning` is mentioned in 21,000 passages,
    and reading them from SQLite, then leaving out the text hits, cost 24 ms a
    search against ~3 ms here (the index costs ~0.2 s and ~4 MB for 550,000
    mentions)."""
    index = mention_index(store) if names else {}
    lists = [index[n] for n in names if n in index]
    if not lists:
        return []
    ids = np.unique(np.concatenate(lists))
    if besides is not None and len(besides):
        ids = ids[~np.isin(ids, besides)]
    return ids.tolist()


def mention_index(store: Store) -> dict[str, np.ndarray]:
    return _mentions(store)[0]


def kind_index(store: Store) -> dict[str, np.ndarray]:
    """Kind → the passages mentioning an entity of that kind: `kind:model` answered
    here rather than by SQL gathering 300,000 mentions each query (70 ms at 100x)."""
    return _mentions(store)[1]


def _mentions(store: Store) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    def build():
        by_entity: dict[str, np.ndarray] = {}
        lists: dict[str, list[np.ndarray]] = {}
        for entity, kind, ids in fts.mention_lists(store.db):
            by_entity[entity] = np.array(ids.split(","), dtype=np.int64)
            lists.setdefault(kind, []).append(by_entity[entity])
        return by_entity, {kind: np.unique(np.concatenate(a)) for kind, a in lists.items()}

    return _mentioned.get(store, fts.signature(store.db), build)


def mentioned_ids(store: Store, where: filters.Filter) -> np.ndarray | None:
    """The passages a filter made only of `entity:` and `kind:` passes (sorted), from
    the index in memory; None for any other filter."""
    if isinstance(where, filters.KindIs):
        return kind_index(store).get(where.kind, np.empty(0, dtype=np.int64))
    if isinstance(where, filters.EntityIs):
        index = mention_index(store)
        lists = [index[n] for n in where.names if n in index]
        return np.unique(np.concatenate(lists)) if lists else np.empty(0, dtype=np.int64)
    if isinstance(where, filters.AllOf) and where.items:
        found = [mentioned_ids(store, part) for part in where.items]
        if any(f is None for f in found):
            return None
        out = found[0]
        for f in found[1:]:
            out = np.intersect1d(out, f, assume_unique=True)
        return out
    return None
