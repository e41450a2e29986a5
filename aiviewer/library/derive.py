"""What an import derives from a file's text, computed where the file is parsed.

A parallel import parses files in worker processes while one writer stores them
(`ingest/parallel.py`).  The passage vectors of a file need nothing from the
library either, so the worker computes them too, instead of the writer doing it
for the whole import after the last file (a fifth of the writer's time on the
10x corpus, while the workers sat idle).  The writer stores them in the file's own
transaction, keyed by the exact passage texts, so an episode whose text the
user's turn edits changed simply gets its vectors the old way, after the import.

Entity mentions likewise: matching is the writer's largest step (half its CPU at
10x), and it needs only the text, the speaker labels and the matcher.  A worker
matches with the catalog's matcher; the writer uses the result only when its own
matcher has the same version (a library with entities of the user's own matches
in the writer, as before), and only for a text written exactly as parsed.  In
the importing process itself (a small import, no workers) nothing is matched
here: the writer's matcher does it, rather than a second one being built.

This module is the library's (the layer that may use `ingest`, `meaning`, `entities`
and the store's pure matching step); `prepare` is what the pool runs.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from dataclasses import dataclass

from aiviewer.ingest import parallel
from aiviewer.meaning.embedder import MODEL_NAME

__all__ = ["MODEL_NAME", "Derived", "prepare", "text_key"]

_embedder = None  # per process: loaded by the first file that needs it
# Embedding a whole file at once held its float vectors and the model's token arrays
# together: a 60 MB file of 1.1 million one-line passages peaked at 4 GB (bench import,
# line-heavy file).  Batches keep the floats to one batch; past MAX_PASSAGES the int8
# blobs themselves (and their copy sent to the writer) are left to the import's own
# batched pass after the last file (library/meaning.py).
BATCH = 2000
MAX_PASSAGES = 50_000


def text_key(texts) -> bytes:
    """The key of one episode's passages, as written (ids are not known yet)."""
    h = hashlib.blake2b(digest_size=16)
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


@dataclass
class Derived:
    """What a worker derived from one file's text, each part None when not computed."""

    # text key -> int8 blobs, in passage order
    vectors: dict[bytes, list[bytes]] | None = None
    # (text key, speaker labels) -> mentions per segment (`mentions.match_episode`),
    # as tuples (`mentions.pack`)
    mentions: dict[tuple[bytes, tuple[str, ...]], list] | None = None
    matcher_version: str | None = None
    # each parsed episode's `text_key`, in file order: the writer looks its vectors and
    # mentions up by it without hashing the text again when it writes it as parsed
    keys: list[bytes] | None = None


def speaker_labels(segments) -> tuple[str, ...]:
    """An episode's speaker labels in order of first turn, as the writer records them."""
    return tuple(dict.fromkeys(s.speaker for s in segments if s.speaker))


def prepare(path, name: str, known_sha: str | None, embed: bool = True) -> parallel.Prepared:
    """`parallel.prepare`, plus each episode's passage vectors (unless `embed` is
    false: the importer embeds them later, `MeaningMixin._embed_beside`) and, in a
    worker process, its entity mentions (`Prepared.derived`: a `Derived`).  Never
    raises."""
    ready = parallel.prepare(path, name, known_sha)
    if ready.read is not None:
        derived = Derived(keys=[text_key(s.text for s in ep.segments)
                                for ep in ready.read.source.episodes])
        try:
            derived.vectors = _vectors(ready.read.source, derived.keys) if embed else None
        except Exception:  # noqa: BLE001 - derived data: the import computes it later
            derived.vectors = None
        if multiprocessing.parent_process() is not None:
            try:
                derived.mentions, derived.matcher_version = _mentions(ready.read.source,
                                                                      derived.keys)
            except Exception:  # noqa: BLE001 - the writer matches it instead
                derived.mentions = None
        ready.derived = derived
    return ready


def _mentions(source, keys: list[bytes]) -> tuple[dict, str]:
    from aiviewer.entities import default_matcher
    from aiviewer.store.mentions import match_episode, pack

    matcher = default_matcher()  # built once per worker
    out = {}
    for ep, key in zip(source.episodes, keys, strict=True):
        texts = [s.text for s in ep.segments]
        labels = speaker_labels(ep.segments)
        out[(key, labels)] = pack(match_episode(texts, matcher, labels))
    return out, matcher.version


def _load_embedder():
    """The process's embedder (None: unavailable), loaded once."""
    global _embedder
    from aiviewer.meaning import embedder as embedder_mod

    if _embedder is None:
        try:
            _embedder = embedder_mod.default_embedder()  # locked: one load per process
        except embedder_mod.MeaningUnavailable:
            _embedder = False
    return _embedder or None


def warm_up() -> None:
    """Start loading the embedder on a thread, for an import read in this process.

    Most of the load (the safetensors file, numpy's copy, the Rust tokenizer) runs without
    the GIL: beside the writer loading its matcher it costs about half its wall time,
    where the first file's vectors waited for it before.  A failure here is the first
    file's to report, as before."""
    import threading

    def load() -> None:
        try:
            _load_embedder()
        except Exception:  # noqa: BLE001 - `_vectors` tries again and decides
            pass

    threading.Thread(target=load, name="aiviewer-embedder-load", daemon=True).start()


def _vectors(source, keys: list[bytes] | None = None) -> dict[bytes, list[bytes]] | None:
    from aiviewer.meaning.vectors import to_int8

    if not _load_embedder():
        return None
    texts = [s.text for ep in source.episodes for s in ep.segments]
    if not texts:
        return {}
    if len(texts) > MAX_PASSAGES:
        return None  # a giant file: the import embeds it afterwards, batch by batch
    blobs: list[bytes] = []
    for i in range(0, len(texts), BATCH):  # the float vectors of one batch at a time
        blobs += to_int8(_embedder.embed(texts[i:i + BATCH]))
    if keys is None:
        keys = [text_key(s.text for s in ep.segments) for ep in source.episodes]
    out, k = {}, 0
    for ep, key in zip(source.episodes, keys, strict=True):
        n = len(ep.segments)
        out[key] = blobs[k:k + n]
        k += n
    return out
