"""Texts → unit vectors with wordllama's static model, loaded offline.

Why wordllama: it ships its 256-dimension token embeddings (16 MB) and its tokenizer
*inside the wheel*, so nothing is downloaded at run time, and a passage's vector is
the mean of its tokens' vectors — milliseconds for thousands of passages on a laptop.

Why not `WordLlama.load()`: version 0.4.0.post1 looks for its tokenizer under
`tokenizer/` while the wheel stores it under `tokenizers/`, and then tries the
network.  We open both files from the installed package ourselves (safetensors and
`tokenizers.Tokenizer.from_file`), so no code path can reach the network.

Why not `WordLlamaInference.embed()`: it pads a batch to its longest text and gathers
a (batch × longest × 256) float32 array — a batch holding one 3-hour monologue
would take hundreds of megabytes.  We tokenize each distinct whitespace-separated
word once (a bounded cache: transcripts repeat words endlessly, and the Llama
tokenizer never merges across a space), then average the token rows of a passage
with one gather and a sum per text over a bounded number of tokens at a time.  The result is
the same mean pooling wordllama does (to within float rounding), at a fraction of
the time: the seeds' 310,000 tokens take about 0.2 s instead of 0.8 s.
"""

from __future__ import annotations

import threading
from itertools import chain
from pathlib import Path

from aiviewer.errors import AiviewerError

MODEL_NAME = "wordllama-l2_supercat-256"
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = ("tokenizers/l2_supercat_tokenizer_config.json",
              "tokenizer/l2_supercat_tokenizer_config.json")
_CACHE_LIMIT = 200_000  # distinct words whose token ids are kept (~30 MB at most)
_TOKENS_PER_STEP = 16_384  # rows gathered at once: 16 MB of float32


class MeaningUnavailable(AiviewerError):
    """The embedding model is not installed (or its files are missing)."""


class Embedder:
    """A static embedding model: `embed(texts)` → float32 array (n, dim), rows of
    unit length (a text with no known token gives a zero row)."""

    name: str = ""
    dim: int = 0

    def embed(self, texts: list[str]):  # pragma: no cover - interface
        raise NotImplementedError


class WordLlamaEmbedder(Embedder):
    name = MODEL_NAME
    dim = 256

    def __init__(self, root: Path | None = None):
        import numpy as np
        from safetensors import safe_open
        from tokenizers import Tokenizer

        root = root or package_root()
        weights = root / _WEIGHTS
        tokenizer = next((root / t for t in _TOKENIZER if (root / t).is_file()), None)
        if not weights.is_file() or tokenizer is None:
            raise MeaningUnavailable(
                f"the wordllama model files are missing under {root} "
                f"(expected {_WEIGHTS} and {_TOKENIZER[0]}); reinstall wordllama")
        with safe_open(str(weights), framework="np", device="cpu") as f:
            self._table = np.ascontiguousarray(f.get_tensor("embedding.weight"),
                                               dtype=np.float32)
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        # the token ids of each word seen, laid end to end: word -> its index, and per
        # index where its ids start in `_tokens` and how many there are
        self._index: dict[str, int] = {}
        self._tokens: list[int] = []
        self._starts: list[int] = []
        self._counts: list[int] = []
        self._arrays = None  # numpy copies of the three lists, made again after growth
        self._lock = threading.Lock()

    def _word_ids(self, split: list[list[str]]) -> None:
        seen: set[str] = set()
        for words in split:
            seen.update(words)
        new = [w for w in seen if w not in self._index]
        if not new:
            return
        if len(self._index) + len(new) > _CACHE_LIMIT:
            self._index.clear()
            self._tokens.clear()
            self._starts.clear()
            self._counts.clear()
            new = list(seen)
        # encode_batch_fast (tokenizers >= 0.20) skips the character offsets we never read
        encode = getattr(self._tokenizer, "encode_batch_fast", self._tokenizer.encode_batch)
        index, tokens, starts, counts = self._index, self._tokens, self._starts, self._counts
        for word, enc in zip(new, encode(new, add_special_tokens=False)):
            index[word] = len(starts)
            starts.append(len(tokens))
            counts.append(len(enc.ids))
            tokens.extend(enc.ids)
        self._arrays = None

    def _token_ids(self, np, split: list[list[str]]):
        """Every text's token ids end to end, and each text's count of them.

        Gathered in numpy from the words' places in `_tokens`: the Python loop that
        extended a list with each word's ids was a third of the embedding's time."""
        if self._arrays is None:
            self._arrays = (np.array(self._tokens, dtype=np.int64),
                            np.array(self._starts, dtype=np.int64),
                            np.array(self._counts, dtype=np.int64))
        tokens, starts, counts = self._arrays
        words = np.fromiter(map(self._index.__getitem__, chain.from_iterable(split)),
                            dtype=np.int64)
        per_word = counts[words]
        ends = np.cumsum(per_word)
        total = int(ends[-1]) if len(ends) else 0
        # the i-th token of the flat list is token (i - first token of its word) of its word
        at = np.repeat(starts[words] - (ends - per_word), per_word) + np.arange(total)
        word_ends = np.cumsum(np.fromiter(map(len, split), dtype=np.int64, count=len(split)))
        token_ends = np.concatenate(([0], ends))[word_ends]
        lengths = np.diff(np.concatenate(([0], token_ends)))
        return tokens[at], lengths

    def embed(self, texts: list[str]):
        import numpy as np

        with self._lock:
            split = [t.split() for t in texts]
            self._word_ids(split)
            ids, lengths = self._token_ids(np, split)
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            table = self._table
            ends = np.cumsum(lengths)
            start = 0
            while start < len(texts):
                # texts until a step holds _TOKENS_PER_STEP tokens (at least one text)
                first = int(ends[start] - lengths[start])
                stop = max(start + 1, int(np.searchsorted(ends, first + _TOKENS_PER_STEP,
                                                          side="left")) + 1)
                stop = min(stop, len(texts))
                _pool(np, table, ids[first:int(ends[stop - 1])], lengths[start:stop].tolist(),
                      out[start:stop])
                start = stop
            return _normalise(np, out)


def _pool(np, table, ids, lengths: list[int], out) -> None:
    """Mean of each text's token rows, written into `out` (rows of empty texts stay 0).

    One gather for the step, then a sum per text: numpy's `add.reduceat` along
    axis 0 took 5x as long as these per-slice sums (48 vs 9 ms for 32,768 rows).
    The sums go straight into `out` and are divided all at once (the same float32
    division per element as one text at a time)."""
    if not len(ids):
        return
    ids = np.clip(ids, 0, table.shape[0] - 1)
    rows = table[ids]
    add = np.add.reduce
    start = 0
    for i, n in enumerate(lengths):
        if n:
            add(rows[start:start + n], axis=0, out=out[i])
        start += n
    counts = np.maximum(np.asarray(lengths, dtype=np.float32), 1)[:, None]
    np.divide(out, counts, out=out)


def _normalise(np, vectors):
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


def package_root() -> Path:
    """The installed wordllama package folder (found without importing it: its
    `__init__` pulls in the loader that can download)."""
    import importlib.util

    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise MeaningUnavailable("search by meaning needs the wordllama package "
                                 "(pip install wordllama)")
    return Path(next(iter(spec.submodule_search_locations)))


_shared: dict[str, Embedder] = {}
_shared_lock = threading.Lock()


def default_embedder() -> Embedder:
    """The process's one wordllama embedder (loaded once, about 0.1 s)."""
    with _shared_lock:
        if MODEL_NAME not in _shared:
            try:
                _shared[MODEL_NAME] = WordLlamaEmbedder()
            except MeaningUnavailable:
                raise
            except (ImportError, OSError, ValueError, RuntimeError) as e:
                # a package of the model's missing or broken, its files unreadable:
                # searches go on by words (they say so) instead of failing
                raise MeaningUnavailable(f"the wordllama model could not load: "
                                         f"{type(e).__name__}: {e}") from e
        return _shared[MODEL_NAME]
