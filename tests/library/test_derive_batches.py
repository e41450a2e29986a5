"""Passage vectors computed beside the parsing keep memory to one batch: a 60 MB file
of 1.1 million one-line passages peaked at 4 GB when embedded in one call."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from aiviewer.library import derive


class _CountingEmbedder:
    def __init__(self):
        self.calls: list[int] = []

    def embed(self, texts):
        self.calls.append(len(texts))
        return np.full((len(texts), 4), 0.5, dtype=np.float32)


def _source(n_per_episode: list[int]):
    eps = [SimpleNamespace(segments=[SimpleNamespace(text=f"passage {e}-{i}") for i in range(n)])
           for e, n in enumerate(n_per_episode)]
    return SimpleNamespace(episodes=eps)


def test_vectors_are_embedded_batch_by_batch(monkeypatch):
    fake = _CountingEmbedder()
    monkeypatch.setattr(derive, "_embedder", fake)
    monkeypatch.setattr(derive, "BATCH", 7)
    source = _source([10, 5, 3])
    out = derive._vectors(source)
    assert max(fake.calls) <= 7 and sum(fake.calls) == 18
    assert [len(out[derive.text_key(s.text for s in ep.segments)]) for ep in source.episodes] \
        == [10, 5, 3]


def test_a_giant_file_is_left_to_the_imports_own_batched_pass(monkeypatch):
    fake = _CountingEmbedder()
    monkeypatch.setattr(derive, "_embedder", fake)
    monkeypatch.setattr(derive, "MAX_PASSAGES", 12)
    assert derive._vectors(_source([10, 5])) is None
    assert fake.calls == []
