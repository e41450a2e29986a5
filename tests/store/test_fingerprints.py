"""Stored fingerprints (`store/fingerprints.py`): one row per episode, and a
generation drawn afresh by every change to the rows, cascades included, so that an
in-memory index knows when it is stale."""

from __future__ import annotations

import pytest

from aiviewer.store import Store
from aiviewer.store import episodes as episodes_q
from aiviewer.store import fingerprints as fingerprints_q


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "library.sqlite")
    yield s
    s.close()


def test_a_sample_is_stored_sorted_and_once(store):
    with store.atomic() as db:
        episodes_q.insert(db, "e1", {"title": "one"})
        fingerprints_q.replace(db, "e1", [9, 3, 9, 2**62 + 5])
        assert fingerprints_q.of(db, "e1") == [3, 9, 2**62 + 5]
        assert [(e, list(h)) for e, h in fingerprints_q.every(db)] == [("e1", [3, 9, 2**62 + 5])]
        fingerprints_q.replace(db, "e1", [])
        assert fingerprints_q.of(db, "e1") == []


def test_every_change_draws_a_new_generation_deletes_by_cascade_too(store):
    seen = []

    def generation():
        seen.append(fingerprints_q.generation(store.db))
        return seen[-1]

    generation()
    with store.atomic() as db:
        episodes_q.insert(db, "e1", {"title": "one"})
        episodes_q.insert(db, "e2", {"title": "two"})
        fingerprints_q.replace(db, "e1", [1, 2, 3])
    generation()
    with store.atomic() as db:
        fingerprints_q.replace(db, "e1", [4, 5])  # an update
    generation()
    with store.atomic() as db:
        episodes_q.update(db, "e2", {"title": "two, renamed"})  # not a fingerprint
    assert fingerprints_q.generation(store.db) == seen[-1]
    with store.atomic() as db:
        episodes_q.delete(db, "e1")  # its row goes by cascade
    generation()
    assert len(set(seen)) == len(seen) == 4
    assert fingerprints_q.of(store.db, "e1") == []
