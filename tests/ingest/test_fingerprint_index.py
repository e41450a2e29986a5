"""The duplicate check's candidate search (`ingest/fingerprint_index.py`): hashes
stored for many episodes are stop-shingles when finding candidates, yet the overlap
it reports, and so every duplicate decision, is the full one; kept up in place, it
answers as one built afresh, and as the SQL query it replaced (written out below
over plain sets)."""

from __future__ import annotations

import random

import pytest

from aiviewer.ingest import dedupe
from aiviewer.ingest import fingerprint_index as fi
from aiviewer.ingest.fingerprint_index import FingerprintIndex

COMMON = list(range(1, 101))  # shared by every near-copy: stop-shingles once stored often


def _near_copies(n: int) -> FingerprintIndex:
    """n episodes sharing COMMON, each with 60 hashes of its own."""
    index = FingerprintIndex()
    for k in range(n):
        index.replace(f"copy{k}", COMMON + [10_000 * (k + 1) + i for i in range(60)])
    return index


def _decision(index: FingerprintIndex, hashes) -> str | None:
    for eid, shared, size in index.candidates(hashes):
        if dedupe.is_duplicate(shared, len(hashes), size):
            return eid
    return None


def test_a_copy_is_found_with_its_full_overlap_among_many_near_copies():
    index = _near_copies(fi.COMMON_HASH * 3)
    again = COMMON + [10_000 * 7 + i for i in range(60)]  # copy6 arriving again
    found = index.candidates(again)
    assert found[0] == ("copy6", 160, 160)  # common hashes counted too
    assert _decision(index, again) == "copy6"


def test_near_copies_sharing_only_stop_shingles_are_not_duplicates():
    index = _near_copies(fi.COMMON_HASH * 3)
    assert _decision(index, COMMON + [99_000_000 + i for i in range(60)]) is None


def test_a_sample_made_of_stop_shingles_walks_them_in_full():
    """Three quarters common or more: the common hashes alone could make a copy."""
    index = _near_copies(fi.COMMON_HASH * 3)
    index.replace("plain", COMMON)
    assert _decision(index, list(COMMON)) is not None


def test_a_short_stored_copy_inside_a_longer_new_text_is_found():
    """The notes page stored first, the full transcript holding it arrives."""
    index = _near_copies(fi.COMMON_HASH * 3)
    index.replace("notes", [5_000_000 + i for i in range(20)])
    full = COMMON + [5_000_000 + i for i in range(20)] + [6_000_000 + i for i in range(200)]
    assert _decision(index, full) == "notes"


def test_same_decisions_as_the_full_walk_without_stop_shingles():
    """Below COMMON_HASH copies nothing is a stop-shingle: the plain overlap counts."""
    index = _near_copies(5)
    found = index.candidates(COMMON + [10_000 + i for i in range(60)])
    assert found[0] == ("copy0", 160, 160)
    assert {eid for eid, _, _ in found} == {f"copy{k}" for k in range(5)}


def test_removed_and_replaced_episodes_are_not_found_by_their_old_hashes():
    index = _near_copies(3)
    index.replace("copy1", [123_456 + i for i in range(53)])
    assert "copy1" not in {e for e, _, _ in index.candidates(COMMON)}
    assert index.candidates([123_456 + i for i in range(50)])[0] == ("copy1", 50, 53)
    index.remove("copy0")
    assert {e for e, _, _ in index.candidates(COMMON)} == {"copy2"}
    assert index.size_of("copy0") == 0 and len(index) == 2


def _reference(stored: dict[str, set[int]], hashes: list[int]) -> list[tuple[str, int, int]]:
    """The SQL query the index replaced (store/episodes.fingerprint_candidates until
    2026-12), over plain sets."""
    sample = list(dict.fromkeys(hashes))
    n = len(sample)
    if not n:
        return []
    owners = {h: [e for e, s in stored.items() if h in s] for h in sample}
    common = [h for h in sample if len(owners[h]) > fi.COMMON_HASH]

    def ranked(over):
        shared: dict[str, int] = {}
        for h in over:
            for e in owners[h]:
                shared[e] = shared.get(e, 0) + 1
        return sorted(shared.items(), key=lambda r: (-r[1], r[0]))

    if len(common) * 4 >= n * 3:
        return [(e, c, len(stored[e])) for e, c in ranked(sample)[:fi.BEST]]
    stop = set(common)
    counted = []
    for e, rare in ranked([h for h in sample if h not in stop])[:fi.PROBED]:
        size = len(stored[e])
        if common and dedupe.is_duplicate(rare + len(common), n, size):
            rare = len(stored[e] & set(sample))
        counted.append((e, rare, size))
    counted.sort(key=lambda r: (-r[1], r[0]))
    return counted[:fi.BEST]


@pytest.mark.parametrize("seed", range(6))
def test_kept_up_in_place_it_answers_as_built_afresh_and_as_the_query_it_replaced(seed):
    rng = random.Random(seed)
    pool = list(range(1, 400))  # few distinct hashes: many shared, many stop-shingles
    stored: dict[str, set[int]] = {}
    index = FingerprintIndex()
    for step in range(160):
        eid = f"e{rng.randrange(60):02d}"
        if rng.random() < 0.15:
            stored.pop(eid, None)
            index.remove(eid)
        else:
            sample = rng.sample(pool, rng.randrange(1, 40))
            stored[eid] = set(sample)
            index.replace(eid, sample)
        if step % 10 == 0:
            fresh = FingerprintIndex([(e, sorted(s)) for e, s in stored.items()])
            for _ in range(5):
                query = rng.sample(pool, rng.randrange(1, 50))
                expected = _reference(stored, query)
                assert index.candidates(query) == expected
                assert fresh.candidates(query) == expected


def test_replacing_every_sample_grows_linearly_with_the_library():
    """A re-import that replaces every episode's text replaces every sample: removals
    are discounted while searching and dropped from the runs in one pass now and then,
    where one pass per removal made it quadratic (growth, not wall-clock time)."""
    import numpy as np
    from growth_check import LINEAR, growth

    def at(n: int):
        rng = np.random.default_rng(n)
        samples = [rng.integers(0, 2**62, 200) for _ in range(n)]

        def run():
            index = FingerprintIndex((f"e{i}", s) for i, s in enumerate(samples))
            for i, s in enumerate(samples):
                index.replace(f"e{i}", s[::-1])
        return run

    assert growth(at, 500) < LINEAR  # ~12 here; a pass per removal gave ~53
