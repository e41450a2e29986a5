"""Values derived from a store, kept per store until what they derive from changes.

The speller, the entity names and the facet index each cost from a tenth of a
second to a second to build at 100x; every search reads them.  Each is stored
with the version key it was built for (the index signature, or the write
marker) and rebuilt when the store's key moves on.  Weak on the store, so a
closed library takes its caches with it; the lock makes the check and the swap
safe across the search and GUI threads (a build runs outside it).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from aiviewer.store import Store

T = TypeVar("T")


class PerStore(Generic[T]):
    def __init__(self) -> None:
        self._values: weakref.WeakKeyDictionary[Store, tuple[Hashable, T]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()

    def get(self, store: Store, key: Hashable, build: Callable[[], T]) -> T:
        """The value built for `key`, building (and keeping) it if the key moved on."""
        with self._lock:
            cached = self._values.get(store)
        if cached is not None and cached[0] == key:
            return cached[1]
        value = build()
        with self._lock:
            self._values[store] = (key, value)
        return value

    def drop(self, store: Store) -> None:
        with self._lock:
            self._values.pop(store, None)

    def __contains__(self, store: Store) -> bool:
        with self._lock:
            return store in self._values
