"""The numpy shingle sample (`dedupe._sample`) equals the rolling Python loop it
replaced: stored fingerprints must not change, or every stored copy would stop
matching its new copies."""

import random
import zlib

from aiviewer.ingest import dedupe


def rolling_sample(ids: list[int]) -> list[int]:
    """The sampled shingle hashes, one rolling step at a time: the Python loop
    `dedupe._sample` replaced, kept here as the reference it must equal."""
    base, mod, mix = dedupe._BASE, dedupe._MOD, dedupe._MIX
    top = pow(base, dedupe.SHINGLE - 1, mod)
    h = 0
    for v in ids[:dedupe.SHINGLE]:
        h = (h * base + v) % mod
    out = set()
    mask = 0x7FFFFFFFFFFFFFFF
    for old, new in zip(ids, ids[dedupe.SHINGLE:]):  # the shingle after each one
        mixed = (h * mix) & mask
        if not (mixed >> 20) % dedupe.SAMPLE_MOD:
            out.add(mixed)
        h = ((h - old * top) * base + new) % mod
    mixed = (h * mix) & mask  # the last shingle
    if not (mixed >> 20) % dedupe.SAMPLE_MOD:
        out.add(mixed)
    return sorted(out)


def test_numpy_sample_equals_rolling_loop():
    r = random.Random(7)
    for _ in range(2000):
        n = r.randint(dedupe.SHINGLE, 120)
        ids = [r.choice([1, 2**32, r.randint(1, 2**32)]) for _ in range(n)]
        assert dedupe._sample(ids) == rolling_sample(ids)


def test_fingerprint_of_text_is_unchanged():
    text = " ".join(f"word{i % 97} other{i % 13}" for i in range(3000))
    words = dedupe._WORD.findall(text.lower())[:dedupe.MAX_WORDS]
    ids = [zlib.crc32(w.encode()) + 1 for w in words]
    assert dedupe.fingerprint(text) == rolling_sample(ids)
    assert dedupe.fingerprint("too few words here") == []


def test_a_files_episodes_fingerprinted_together_as_each_alone():
    """`fingerprints` hashes a file's episodes in one pass: each sample must still be
    its own text's, no shingle reaching into the next text."""
    r = random.Random(11)
    vocab = [f"w{i}" for i in range(300)]
    texts = ["", "one two three", "a b c d e f", "a b c d e f g",
             "é" * 20_000, " ".join(r.choice(vocab) for _ in range(dedupe.MAX_WORDS + 50))]
    texts += [" ".join(r.choice(vocab) for _ in range(r.randint(0, 400))) for _ in range(40)]
    r.shuffle(texts)
    expected = []
    for text in texts:
        words = dedupe._WORD.findall(text[:dedupe.MAX_WORDS * 12].lower())[:dedupe.MAX_WORDS]
        ids = [zlib.crc32(w.encode()) + 1 for w in words]
        expected.append(rolling_sample(ids) if len(ids) >= dedupe.SHINGLE else [])
    assert dedupe.fingerprints(texts) == expected
