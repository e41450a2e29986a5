"""What an import derives from a file's text, computed where the file is parsed.

A parallel import parses files in worker processes while one writer stores them
(`ingest/parallel.py`).  The passage vectors of a file need nothing from the
library either, so the worker computes them too, instead of the writer doing it
for the whole import after the last file (a fifth of the writer's time on the
10x corpus, while the workers sat idle).  The writer stores them in the file's own
transaction, keyed by the exact passage texts, so an episode whose text the
user's turn edits changed simply gets its vectors the old way, after the import.

This module is the library's (the layer that may use both `ingest` and
`meaning`); `prepare` is what the pool runs.
"""

from __future__ import annotations

import hashlib

from aiviewer.ingest import parallel
from aiviewer.meaning.embedder import MODEL_NAME

__all__ = ["MODEL_NAME", "prepare", "text_key"]

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


def prepare(path, name: str, known_sha: str | None) -> parallel.Prepared:
    """`parallel.prepare`, plus each episode's passage vectors (`Prepared.derived`:
    text key -> int8 blobs, in passage order).  Never raises."""
    ready = parallel.prepare(path, name, known_sha)
    if ready.read is not None:
        try:
            ready.derived = _vectors(ready.read.source)
        except Exception:  # noqa: BLE001 - derived data: the import computes it later
            ready.derived = None
    return ready


def _vectors(source) -> dict[bytes, list[bytes]] | None:
    global _embedder
    from aiviewer.meaning import embedder as embedder_mod
    from aiviewer.meaning.vectors import to_int8

    if _embedder is None:
        try:
            _embedder = embedder_mod.default_embedder()
        except embedder_mod.MeaningUnavailable:
            _embedder = False
    if not _embedder:
        return None
    texts = [s.text for ep in source.episodes for s in ep.segments]
    if not texts:
        return {}
    if len(texts) > MAX_PASSAGES:
        return None  # a giant file: the import embeds it afterwards, batch by batch
    blobs: list[bytes] = []
    for i in range(0, len(texts), BATCH):  # the float vectors of one batch at a time
        blobs += to_int8(_embedder.embed(texts[i:i + BATCH]))
    out, k = {}, 0
    for ep in source.episodes:
        n = len(ep.segments)
        out[text_key(s.text for s in ep.segments)] = blobs[k:k + n]
        k += n
    return out
