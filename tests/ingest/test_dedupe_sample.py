"""The numpy shingle sample (`dedupe._sample`) equals the rolling Python loop it
replaced: stored fingerprints must not change, or every stored copy would stop
matching its new copies."""

import random
import zlib

from aiviewer.ingest import dedupe


def test_numpy_sample_equals_rolling_loop():
    r = random.Random(7)
    for _ in range(2000):
        n = r.randint(dedupe.SHINGLE, 120)
        ids = [r.choice([1, 2**32, r.randint(1, 2**32)]) for _ in range(n)]
        assert dedupe._sample(ids) == dedupe._sample_py(ids)


def test_fingerprint_of_text_is_unchanged():
    text = " ".join(f"word{i % 97} other{i % 13}" for i in range(3000))
    words = dedupe._WORD.findall(text.lower())[:dedupe.MAX_WORDS]
    ids = [zlib.crc32(w.encode()) + 1 for w in words]
    assert dedupe.fingerprint(text) == dedupe._sample_py(ids)
    assert dedupe.fingerprint("too few words here") == []
