"""Search by meaning through the store: the vector index of a library, nearest
passages for a text, and hybrid fusion with the words ranking.

The index (sign bits of every stored vector) is cached per store and reloaded only
when `vectors_version` moved; int8 vectors are read from the store for the few
hundred candidates a query re-scores.  The model is wordllama's, loaded from its
wheel (`aiviewer.meaning.embedder`); nothing here reaches the network.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiviewer.meaning import embedder as embedder_mod
from aiviewer.meaning.fusion import HYBRID_DEFAULT  # noqa: F401 - the CLI reads it here
from aiviewer.meaning.vectors import Scored, VectorIndex
from aiviewer.search.cache import PerStore
from aiviewer.store import Store
from aiviewer.store import vectors as vectors_q

MEANING_LIMIT = 100  # passages a meaning-only query lists
HYBRID_DEPTH = 100  # how deep each ranking goes into the fusion

_indexes: PerStore[VectorIndex] = PerStore()


def index_for(store: Store, dim: int | None = None) -> VectorIndex:
    db = store.db

    def build() -> VectorIndex:
        size = dim or _dim_of(store)
        return VectorIndex.build(list(vectors_q.every(db)), size)
    return _indexes.get(store, vectors_q.version(db), build)


def _dim_of(store: Store) -> int:
    for _, blob in vectors_q.every(store.db):
        return len(blob)
    return embedder_mod.WordLlamaEmbedder.dim


def available(store: Store) -> bool:
    """The library has vectors of the current model and the model can load."""
    try:
        return len(index_for(store)) > 0 and embedder_mod.package_root() is not None
    except embedder_mod.MeaningUnavailable:
        return False


def embedder(store: Store) -> embedder_mod.Embedder:
    """The embedder of the model the store's vectors come from (a bench may have
    stored another one: `use_embedder`)."""
    name = vectors_q.model(store.db)
    return _custom.get(name) or embedder_mod.default_embedder()


_custom: dict[str | None, embedder_mod.Embedder] = {}


def use_embedder(e: embedder_mod.Embedder) -> None:
    """Make a non-default model available to searches of libraries that store its
    vectors (the semantic bench's learned model)."""
    _custom[e.name] = e


def nearest(store: Store, text: str, limit: int, among: Sequence[int] | None = None,
            exclude: frozenset[int] = frozenset()) -> list[Scored]:
    """The passages closest in meaning to `text`, best first (among `among` if given)."""
    if not text.strip():
        return []
    index = index_for(store)
    if not len(index):
        return []
    query = embedder(store).embed([text])[0]
    return index.search(query, limit, lambda ids: vectors_q.read(store.db, ids), among,
                        exclude)


def similar_to_segments(store: Store, segment_ids: Sequence[int], limit: int,
                        among: Sequence[int] | None = None) -> list[Scored]:
    """Passages closest to the mean vector of some passages (themselves excluded)."""
    import numpy as np

    from aiviewer.meaning.vectors import from_int8

    index = index_for(store)
    blobs = vectors_q.read(store.db, segment_ids)
    rows = [b for b in blobs.values() if len(b) == index.dim]
    if rows:
        query = from_int8(rows, index.dim).mean(axis=0)
    else:  # no stored vector yet (just imported): embed the text
        texts = vectors_q.segment_texts(store.db, segment_ids)
        query = embedder(store).embed([" ".join(texts.values())])[0]
    norm = float(np.linalg.norm(query))
    if norm == 0:
        return []
    return index.search(query / norm, limit, lambda ids: vectors_q.read(store.db, ids), among,
                        frozenset(segment_ids))


def prepare(store: Store) -> None:
    """Load the vector index and the model ahead of the first meaning query (about
    a second at 100x), when the library has vectors."""
    try:
        if len(index_for(store)):
            embedder(store)
    except embedder_mod.MeaningUnavailable:
        pass


def drop(store: Store) -> None:
    _indexes.drop(store)
