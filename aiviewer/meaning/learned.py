"""The alternative measured against wordllama: word vectors learned from the library
itself (positive PMI over a ±4-word window, reduced by SVD to 256 dimensions; Levy,
Goldberg & Dagan 2015), a passage being the mean of its words' vectors.

Nothing to download and it knows the library's own jargon, but it must be relearned
as the library grows and it has only the library's few million words to learn from;
`aiviewer bench semantic` compares the two on the relevance set.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from aiviewer.meaning.embedder import Embedder, _normalise

_WORD = re.compile(r"[a-z0-9][a-z0-9'+-]*")
_STOP = frozenset("the a an and or of to in on is are was were be been it its that this "
                  "for with as at by from so but if not i you we they he she".split())


class LearnedEmbedder(Embedder):
    name = "ppmi-svd-library-256"
    dim = 256

    def __init__(self, texts: Iterable[str], vocab: int = 6000, contexts: int = 1500,
                 window: int = 4):
        import numpy as np

        docs = [[w for w in _WORD.findall(t.lower()) if w not in _STOP] for t in texts]
        counts = Counter(w for d in docs for w in d)
        words = [w for w, n in counts.most_common(vocab) if n >= 2]
        self.index = {w: i for i, w in enumerate(words)}
        ctx = {w: i for i, w in enumerate(words[:contexts])}
        flat: list[int] = []
        cflat: list[int] = []
        for d in docs:  # documents apart by `window` blanks: no pair spans two
            flat += [self.index.get(w, -1) for w in d] + [-1] * window
            cflat += [ctx.get(w, -1) for w in d] + [-1] * window
        ids = np.asarray(flat, dtype=np.int64)
        cids = np.asarray(cflat, dtype=np.int64)
        size = len(words) * len(ctx)
        pairs = np.zeros(size, dtype=np.int64)
        for o in range(1, window + 1):
            for a, c in ((ids[:-o], cids[o:]), (ids[o:], cids[:-o])):
                keep = (a >= 0) & (c >= 0)
                pairs += np.bincount(a[keep] * len(ctx) + c[keep], minlength=size)
        m = pairs.reshape(len(words), len(ctx)).astype(np.float32)
        total = m.sum()
        pw = m.sum(axis=1, keepdims=True) / total
        pc = (m.sum(axis=0, keepdims=True) / total) ** 0.75
        pc /= pc.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log((m / total) / (pw * pc))
        ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0).astype(np.float32)
        u, s, _ = np.linalg.svd(ppmi, full_matrices=False)
        k = min(self.dim, len(s))
        vecs = np.zeros((len(words), self.dim), dtype=np.float32)
        vecs[:, :k] = u[:, :k] * np.sqrt(s[:k])
        self.vectors = _normalise(np, vecs)

    def embed(self, texts: list[str]):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for n, t in enumerate(texts):
            ids = [i for w in _WORD.findall(t.lower()) if (i := self.index.get(w)) is not None]
            if ids:
                out[n] = self.vectors[ids].mean(axis=0)
        return _normalise(np, out)
