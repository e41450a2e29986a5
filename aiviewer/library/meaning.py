"""Search by meaning through the Library facade: passage vectors (derived, computed
in batches after an import and by `reindex`) and More like this."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from aiviewer.errors import NotFound
from aiviewer.model import SearchResults
from aiviewer.progress import CancelToken, ProgressSink, no_progress
from aiviewer.store import annotations as annotations_q
from aiviewer.store import vectors as vectors_q

BATCH = 2000  # passages embedded and committed at a time (about 0.1 s each)
# the share of a bulk import's bytes whose passages the parse workers leave unembedded,
# for the importing process to embed while SQLite builds the full-text index
# (`_embed_beside`): at 100x the index takes about 0.08 s of CPU per MB of text and the
# vectors about 0.21 s: embedding somewhat less than half the text on a thread keeps the
# second core busy meanwhile (more would run on alone after the rebuild)
EMBED_BESIDE_INDEX = 0.45


def _missing(db) -> Iterator[list[tuple[int, str]]]:
    """(segment id, text) of the passages without a vector, BATCH at a time in id
    order (the paging `embed_passages` and the import's thread share)."""
    after = -1
    while True:
        rows = vectors_q.missing(db, after, BATCH)
        if not rows:
            return
        yield rows
        after = rows[-1][0]


class MeaningMixin:
    """Mixed into Library (which provides `store`)."""

    def embed_passages(self, progress: ProgressSink | None = None,
                       cancel: CancelToken | None = None, embedder=None) -> int:
        """Compute the vectors of every passage that has none (all of them when the
        model changed), committing each batch; returns how many were embedded.
        Without the model installed this does nothing (meaning search is then off)."""
        from aiviewer.meaning import embedder as embedder_mod
        from aiviewer.meaning.vectors import to_int8
        from aiviewer.search import meaning

        progress = progress or no_progress
        try:
            embedder_mod.package_root()
        except embedder_mod.MeaningUnavailable:
            if embedder is None:
                return 0
        name = embedder.name if embedder is not None else embedder_mod.MODEL_NAME
        if embedder is not None:
            meaning.use_embedder(embedder)
        if vectors_q.model(self.store.db) != name:
            with self.store.atomic() as db:
                vectors_q.set_model(db, name)
        total = vectors_q.count_missing(self.store.db)
        if not total:
            return 0
        try:
            model = embedder or embedder_mod.default_embedder()
        except embedder_mod.MeaningUnavailable:
            return 0  # installed but unloadable: the import stands, searches say words only
        done = 0
        for rows in _missing(self.store.db):
            if done >= total or (cancel is not None and cancel.cancelled):
                break
            progress(done, total, "Computing passage vectors")
            blobs = to_int8(model.embed([text for _, text in rows]))
            with self.store.atomic() as db:
                vectors_q.write(db, [(sid, blob) for (sid, _), blob in zip(rows, blobs)])
            done += len(rows)
        if total:
            progress(total, total, "")
        return done

    def _embed_beside(self, work: Callable[[], object]) -> int:
        """Run `work` (a bulk import's full-text rebuild) while a thread computes the
        vectors of the passages that have none, then store them; returns how many.

        The rebuild is one SQLite statement, run without the GIL; embedding is mostly
        numpy and the Rust tokenizer, so on two cores both run at once, where the
        rebuild alone left one core idle at the end of every large import.  The thread
        reads through a read-only connection of its own (what the import committed);
        the vectors are written after `work`, in one transaction.  If `work` fails,
        nothing is written (the next import, or `reindex`, embeds them)."""
        from aiviewer.meaning import embedder as embedder_mod

        try:
            embedder_mod.package_root()
        except embedder_mod.MeaningUnavailable:
            work()
            return 0
        if vectors_q.model(self.store.db) not in (None, embedder_mod.MODEL_NAME):
            work()  # another model's vectors: `embed_passages` redoes them all
            return 0
        stop = threading.Event()
        found: list[tuple[list[int], bytes]] = []  # per batch: its ids, their vectors end to end
        thread = threading.Thread(target=self._vectors_of_missing, args=(stop, found),
                                  name="aiviewer-embed-beside", daemon=True)
        thread.start()
        try:
            work()
        except BaseException:
            stop.set()
            thread.join()
            raise
        thread.join()
        if not found:
            return 0
        dim = len(found[0][1]) // len(found[0][0])
        with self.store.atomic() as db:
            vectors_q.set_model(db, embedder_mod.MODEL_NAME)  # no-op once recorded
            for ids, blob in found:
                vectors_q.write(db, [(sid, blob[i * dim:(i + 1) * dim])
                                     for i, sid in enumerate(ids)])
        return sum(len(ids) for ids, _ in found)

    def _vectors_of_missing(self, stop: threading.Event, found: list) -> None:
        """The vectors of the passages without one, into `found` batch by batch (their
        segment ids, and their int8 vectors end to end: a third of the memory of a
        bytes object each), read through a read-only connection of this thread's own;
        stops early when `stop` is set.
        Derived data: on any failure it leaves what it has (`embed_passages` does
        the rest after the import)."""
        from aiviewer.meaning import embedder as embedder_mod
        from aiviewer.meaning.vectors import to_int8
        from aiviewer.store import Store

        try:
            model = embedder_mod.default_embedder()
            reader = Store(self.store.path, migrate=False, read_only=True)
        except Exception:  # noqa: BLE001 - derived data, computed later
            return
        try:
            for rows in _missing(reader.db):
                if stop.is_set():
                    break
                found.append(([sid for sid, _ in rows],
                              b"".join(to_int8(model.embed([text for _, text in rows])))))
        except Exception:  # noqa: BLE001
            return
        finally:
            reader.close()

    def _embed_within(self, db, rows: list[tuple[int, str]]) -> None:
        """Vectors for passages an undo or redo put back, in its transaction (one
        episode: a fraction of a second); skipped without the model."""
        from aiviewer.meaning import embedder as embedder_mod
        from aiviewer.meaning.vectors import to_int8

        if not rows or vectors_q.model(db) not in (None, embedder_mod.MODEL_NAME):
            return
        try:
            model = embedder_mod.default_embedder()
        except embedder_mod.MeaningUnavailable:
            return
        blobs = to_int8(model.embed([text for _, text in rows]))
        vectors_q.write(db, [(sid, blob) for (sid, _), blob in zip(rows, blobs)])

    def rebuild_vectors(self, progress: ProgressSink | None = None, embedder=None) -> int:
        with self.store.atomic() as db:
            vectors_q.clear(db)
        return self.embed_passages(progress, embedder=embedder)

    def passage_texts(self) -> dict[int, str]:
        """Every passage's text by segment id (the semantic bench learns from them)."""
        return vectors_q.all_texts(self.store.db)

    def vector_count(self) -> int:
        return vectors_q.count(self.store.db)

    def meaning_available(self) -> bool:
        from aiviewer.search import meaning

        return meaning.available(self.store)

    def similar(self, text: str = "", segment_ids: tuple[int, ...] = (),
                annotation_id: str | None = None, limit: int = 20,
                within: str = "") -> SearchResults:
        """More like this: the passages closest in meaning to a text (a selection), to
        passages (a search hit) or to an annotation's quote and note."""
        from aiviewer.search import engine

        if annotation_id is not None:
            row = annotations_q.get_row(self.store.db, annotation_id)
            if row is None:
                raise NotFound(f"no annotation {annotation_id!r}")
            text = " ".join(filter(None, [row["exact"], row.get("note_md")]))
        return engine.similar(self.store, text, tuple(segment_ids), limit, within)
