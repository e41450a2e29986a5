"""The entity names a query may name: those mentioned somewhere in the library,
and the spellings (surfaces) they were found as, so `Quen` finds Qwen's passages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from aiviewer.search.cache import PerStore
from aiviewer.store import Store, fts

EntityFamily = Callable[[str], set[str]]


class KnownEntities:
    """Entity names that occur in the mentions, and the surface texts they were found as."""

    def __init__(self, names: Iterable[str], surfaces: Iterable[tuple[str, str]]):
        self.by_lower = {n.lower(): n for n in names}
        self.by_surface: dict[str, set[str]] = defaultdict(set)
        for surface, name in surfaces:
            self.by_surface[norm(surface)].add(name)

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


def norm(text: str) -> str:
    return " ".join(text.lower().split())


_entities: PerStore[KnownEntities] = PerStore()


def entities_for(store: Store) -> KnownEntities:
    return _entities.get(store, fts.signature(store.db), lambda: KnownEntities(
        fts.entity_names(store.db), fts.entity_surfaces(store.db)))
