"""Recognising one episode that arrives from several files, without the store.

Three keys, strongest first: the YouTube video id, the normalised post URL, and
a sample of shingle hashes of the text (so a web page holding an episode's
notes is found inside the feed entry that holds the whole essay).  The store
looks the keys up; this module only computes them and decides which copy wins.

    >>> normalize_url("https://www.Interconnects.ai/p/ross-taylor?utm_source=x#top")
    'interconnects.ai/p/ross-taylor'
    >>> a = fingerprint("one two three four five six seven eight nine ten " * 3)
    >>> containment(a, a)
    1.0
"""

from __future__ import annotations

import hashlib
import re
import zlib
from urllib.parse import urlsplit

from aiviewer.model import ParsedEpisode

SHINGLE = 6
SAMPLE_MOD = 8  # keep one shingle in eight (by hash), so equal texts keep equal samples
MAX_WORDS = 2500  # the opening of an episode identifies it; the index stays small
MIN_SHARED = 6  # fewer shared shingles than this never make a duplicate
CONTAINMENT = 0.75  # share of the smaller text's sample found in the larger one; copies of one
# transcript share > 0.9, while texts with one word in ten changed share ~0.55

_WORD = re.compile(r"\w+", re.UNICODE)


def normalize_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "https://[oops/ep": not a URL we can compare
        return None
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    path = parts.path.rstrip("/")
    if not host:
        return None
    return f"{host}{path}"


FINGERPRINT_VERSION = "3"  # stored fingerprints of another version are recomputed at open
_MOD = (1 << 61) - 1  # a Mersenne prime: 2**61 folds back as 1 in `_sample`
_BASE = 1_000_003
_MIX = 0x9E3779B97F4A7C15


def fingerprint(text: str) -> list[int]:
    """A sample of 6-word shingle hashes of the first MAX_WORDS words.

    A polynomial hash over per-word CRCs, computed in numpy: each shingle costs a few
    integer operations instead of joining and hashing six strings (the import's hot
    spot on large libraries).  Values are stable across processes, as stored data must be.
    """
    return fingerprints([text])[0]


def fingerprints(texts: list[str]) -> list[list[int]]:
    """`fingerprint` of each text, the numpy part done once for all of them: a file's
    episodes are hashed together, each text's shingles taken from its own stretch
    (none crosses into the next text), so every sample is the one `fingerprint`
    gives; the per-text numpy calls were most of `_sample`'s time on short texts."""
    ids: list[int] = []
    bounds: list[tuple[int, int]] = []
    crc: dict[str, int] = {}
    for text in texts:
        # most texts hold MAX_WORDS words within half the characters allowed: the regex,
        # the largest cost here, reads that half first; with more words than needed
        # found, the first MAX_WORDS all ended before the cut, so they are the same words
        words = _WORD.findall(text[: MAX_WORDS * 6].lower())
        if len(words) <= MAX_WORDS and len(text) > MAX_WORDS * 6:
            words = _WORD.findall(text[: MAX_WORDS * 12].lower())
        words = words[:MAX_WORDS]
        if len(words) < SHINGLE:
            bounds.append((len(ids), len(ids)))
            continue
        # each distinct word hashed once, the lookups by `map` (a third of the time went
        # to a per-word get-or-set in Python)
        crc.update((w, zlib.crc32(w.encode()) + 1) for w in set(words).difference(crc))
        start = len(ids)
        ids.extend(map(crc.__getitem__, words))
        bounds.append((start, len(ids) - SHINGLE + 1))  # where its shingles start
    hashes = _hashes(ids)
    out = []
    for first, stop in bounds:
        if first >= stop:
            out.append([])
            continue
        mixed = hashes[first:stop]
        out.append(_kept(mixed))
    return out


# BASE ** (SHINGLE - 1 - j) mod _MOD for the j-th word of a shingle, split at bit 30 so
# that a word hash (< 2**33) times either half fits in 64 bits
_POWERS = [pow(_BASE, SHINGLE - 1 - j, _MOD) for j in range(SHINGLE)]
_POWERS_SPLIT = [(c >> 30, c & ((1 << 30) - 1)) for c in _POWERS]


def _sample(ids: list[int]) -> list[int]:
    """The sampled shingle hashes of a word-hash sequence, in numpy: every shingle's
    hash as its polynomial, not rolled (tests/ingest/test_dedupe_sample.py keeps the
    rolling loop it replaced and checks they agree).

    The Python loop was about a tenth of a parse worker's CPU (2.1 ms per episode at
    100x).  Each shingle's hash is the same value mod 2**61 - 1 the rolling loop
    reaches, computed exactly in uint64: products are split so none passes 2**64,
    2**61 = 1 (mod 2**61 - 1) folds the high part back, and the final multiply keeps
    only the low 63 bits, which wrap-around multiplication leaves exact."""
    n = len(ids) - SHINGLE + 1
    if n <= 0:
        return []
    return _kept(_hashes(ids))


def _hashes(ids: list[int]):
    """The mixed hash of each shingle of `ids` (a numpy uint64 array, one per start)."""
    import numpy as np

    n = len(ids) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    a = np.array(ids, dtype=np.uint64)
    mod = np.uint64(_MOD)
    low31 = np.uint64((1 << 31) - 1)
    h = np.zeros(n, dtype=np.uint64)
    for j, (c1, c0) in enumerate(_POWERS_SPLIT):
        w = a[j:j + n]
        hi = (w * np.uint64(c1)) % mod  # < 2**61; times 2**30 folded below
        hi = ((hi >> np.uint64(31)) + ((hi & low31) << np.uint64(30))) % mod
        lo = (w * np.uint64(c0)) % mod
        h = (h + (hi + lo) % mod) % mod
    with np.errstate(over="ignore"):
        return (h * np.uint64(_MIX)) & np.uint64(0x7FFFFFFFFFFFFFFF)


def _kept(mixed) -> list[int]:
    """The sample: the shingle hashes kept (one in SAMPLE_MOD, by hash), each once."""
    import numpy as np

    kept = mixed[((mixed >> np.uint64(20)) % np.uint64(SAMPLE_MOD)) == 0]
    return [int(x) for x in np.unique(kept)]


def episode_text(ep: ParsedEpisode) -> str:
    if ep.segments:
        return "\n\n".join(s.text for s in ep.segments)
    return ep.description or ""


def containment(a: list[int], b: list[int]) -> float:
    """Share of the smaller sample found in the other."""
    if not a or not b:
        return 0.0
    shared = len(set(a) & set(b))
    return shared / min(len(a), len(b))


def is_duplicate(shared: int, n_new: int, n_old: int) -> bool:
    if shared < MIN_SHARED:
        return False
    return shared / max(1, min(n_new, n_old)) >= CONTAINMENT


def fuller(new_words: int, new_preview: bool, old_words: int, old_preview: bool) -> bool:
    """Does the new copy's text replace the stored one?  A preview never replaces a
    full text; a full text always replaces a preview; otherwise the longer wins."""
    if new_preview != old_preview:
        return not new_preview
    return new_words > old_words


def episode_id(ep: ParsedEpisode) -> str:
    """A stable id: from the video id, else the URL, else the opening text."""
    if ep.video_id:
        return f"yt-{ep.video_id}"
    url = normalize_url(ep.url)
    if url:
        return "u-" + hashlib.sha1(url.encode()).hexdigest()[:10]
    words = " ".join(_WORD.findall(episode_text(ep)[:4000].lower()))
    return "t-" + hashlib.sha1((words or ep.title).encode()).hexdigest()[:10]
