"""The duplicate check's candidate query (`store/episodes.fingerprint_candidates`):
hashes stored for many episodes are stop-shingles when finding candidates, yet the
overlap it reports, and so every duplicate decision, is the full one."""

from __future__ import annotations

import pytest

from aiviewer.ingest import dedupe
from aiviewer.store import Store
from aiviewer.store import episodes as episodes_q

COMMON = list(range(1, 101))  # shared by every near-copy: stop-shingles once stored often


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "library.sqlite")
    yield s
    s.close()


def _add(db, eid: str, hashes) -> None:
    episodes_q.insert(db, eid, {"title": eid})
    episodes_q.replace_fingerprint(db, eid, hashes)


def _near_copies(db, n: int) -> None:
    """n episodes sharing COMMON, each with 60 hashes of its own."""
    for k in range(n):
        _add(db, f"copy{k}", COMMON + [10_000 * (k + 1) + i for i in range(60)])


def _decision(db, hashes) -> str | None:
    for eid, shared, size in episodes_q.fingerprint_candidates(db, hashes, set()):
        if dedupe.is_duplicate(shared, len(hashes), size):
            return eid
    return None


def test_a_copy_is_found_with_its_full_overlap_among_many_near_copies(store):
    with store.atomic() as db:
        _near_copies(db, episodes_q.COMMON_HASH * 3)
        again = COMMON + [10_000 * 7 + i for i in range(60)]  # copy6 arriving again
        found = episodes_q.fingerprint_candidates(db, again, set())
        assert found[0] == ("copy6", 160, 160)  # common hashes counted too
        assert _decision(db, again) == "copy6"


def test_near_copies_sharing_only_stop_shingles_are_not_duplicates(store):
    with store.atomic() as db:
        _near_copies(db, episodes_q.COMMON_HASH * 3)
        other = COMMON + [99_000_000 + i for i in range(60)]  # a new near-copy
        assert _decision(db, other) is None


def test_a_sample_made_of_stop_shingles_walks_them_in_full(store):
    """Three quarters common or more: the common hashes alone could make a copy."""
    with store.atomic() as db:
        _near_copies(db, episodes_q.COMMON_HASH * 3)
        _add(db, "plain", COMMON)
        assert _decision(db, list(COMMON)) is not None


def test_a_short_stored_copy_inside_a_longer_new_text_is_found(store):
    """The notes page stored first, the full transcript holding it arrives."""
    with store.atomic() as db:
        _near_copies(db, episodes_q.COMMON_HASH * 3)
        _add(db, "notes", [5_000_000 + i for i in range(20)])
        full = COMMON + [5_000_000 + i for i in range(20)] + [6_000_000 + i for i in range(200)]
        assert _decision(db, full) == "notes"


def test_same_decisions_as_the_full_walk_without_stop_shingles(store):
    """Below COMMON_HASH copies nothing is a stop-shingle: the plain overlap counts."""
    with store.atomic() as db:
        _near_copies(db, 5)
        found = episodes_q.fingerprint_candidates(db, COMMON + [10_000 + i for i in range(60)],
                                                  set())
        assert found[0] == ("copy0", 160, 160)
        assert {eid for eid, _, _ in found} == {f"copy{k}" for k in range(5)}
