"""The duplicate check's candidate search, in memory: which stored episodes share
fingerprint hashes with a new one (`dedupe.fingerprint`), and how many.

The store keeps one row per episode holding its sample (`store/fingerprints.py`);
this index inverts them, hash -> episodes, as sorted numpy arrays.  It replaced a
`fingerprints(hash, episode_id)` table whose random inserts were the largest cost of
a large import: each file's few thousand hashes landed on as many b-tree pages, so
every file's commit rewrote a third of the table (at 100x, half the writer's CPU
went on storing and searching fingerprints).  Built from the rows in about a tenth
of a second per million hashes, kept up in place while one process imports, and
built again when another process changed the rows (`store/fingerprints.generation`).

Episodes added since the arrays were built sit in a small dict ("the tail") until
it holds a quarter as many hashes as the arrays, then the two are sorted together:
a hash is looked up in both.  The answers are those of the SQL query it replaced
(tests/ingest/test_fingerprint_index.py compares them on random libraries).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from aiviewer.ingest import dedupe

COMMON_HASH = 16  # a hash stored for more episodes than this is a stop-shingle
PROBED = 10  # candidates (by rare hashes shared) whose full overlap is counted
BEST = 5  # candidates returned per new episode
_TAIL_MIN = 1 << 16  # hashes in the tail before it is merged, at the least


class FingerprintIndex:
    """Stored episodes' fingerprint samples, searchable by hash."""

    def __init__(self, rows: Iterable[tuple[str, np.ndarray]] = ()):
        self._ids: list[str] = []  # owner number -> episode id (None once removed)
        self._owner: dict[str, int] = {}  # episode id -> owner number
        self._size: dict[str, int] = {}  # episode id -> hashes in its sample
        # the sorted part: hashes and, aligned, their owners' numbers
        self._hashes = np.zeros(0, dtype=np.int64)
        self._owners = np.zeros(0, dtype=np.int32)
        self._tail: dict[int, list[int]] = {}  # hash -> owner numbers, since the last sort
        self._tail_episodes: dict[int, np.ndarray] = {}  # owner number -> its hashes
        self._tail_n = 0
        hashes, owners = [], []
        for eid, sample in rows:
            sample = np.unique(np.asarray(sample, dtype=np.int64))
            if not len(sample):
                continue
            k = self._new_owner(eid, len(sample))
            hashes.append(sample)
            owners.append(np.full(len(sample), k, dtype=np.int32))
        if hashes:
            self._sort_in(np.concatenate(hashes), np.concatenate(owners))

    def __len__(self) -> int:
        """Episodes indexed."""
        return len(self._owner)

    def size_of(self, episode_id: str) -> int:
        return self._size.get(episode_id, 0)

    # -- keeping it up -------------------------------------------------------------

    def replace(self, episode_id: str, hashes: Iterable[int]) -> None:
        """`episode_id`'s sample is now `hashes` (empty: it has none)."""
        self.remove(episode_id)
        sample = np.unique(np.fromiter(hashes, dtype=np.int64))
        if not len(sample):
            return
        k = self._new_owner(episode_id, len(sample))
        self._tail_episodes[k] = sample
        for h in sample.tolist():
            self._tail.setdefault(h, []).append(k)
        self._tail_n += len(sample)
        if self._tail_n >= max(_TAIL_MIN, len(self._hashes) // 4):
            self._merge_tail()

    def remove(self, episode_id: str) -> None:
        """`episode_id` has no sample any more (deleted, or about to be replaced)."""
        k = self._owner.pop(episode_id, None)
        if k is None:
            return
        del self._size[episode_id]
        self._ids[k] = None
        tail = self._tail_episodes.pop(k, None)
        if tail is not None:
            for h in tail.tolist():
                owners = self._tail[h]
                owners.remove(k)
                if not owners:
                    del self._tail[h]
            self._tail_n -= len(tail)
        else:  # rare (a text replaced in place): one pass over the arrays
            keep = self._owners != k
            self._hashes, self._owners = self._hashes[keep], self._owners[keep]

    def _new_owner(self, episode_id: str, size: int) -> int:
        k = len(self._ids)
        self._ids.append(episode_id)
        self._owner[episode_id] = k
        self._size[episode_id] = size
        return k

    def _merge_tail(self) -> None:
        if not self._tail_episodes:
            return
        owners = list(self._tail_episodes)
        hashes = np.concatenate([self._tail_episodes[k] for k in owners])
        counts = [len(self._tail_episodes[k]) for k in owners]
        self._sort_in(hashes, np.repeat(np.asarray(owners, dtype=np.int32), counts))
        self._tail.clear()
        self._tail_episodes.clear()
        self._tail_n = 0

    def _sort_in(self, hashes: np.ndarray, owners: np.ndarray) -> None:
        hashes = np.concatenate((self._hashes, hashes))
        owners = np.concatenate((self._owners, owners))
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._owners = hashes[order], owners[order]

    # -- searching -----------------------------------------------------------------

    def candidates(self, hashes: Iterable[int], exclude: set[str] = frozenset()
                   ) -> list[tuple[str, int, int]]:
        """(episode id, shared hashes, that episode's sample size), best first (at most
        BEST), for a new episode's sample `hashes`.

        Bounded per new episode, whatever the library's size: a hash stored for more
        than COMMON_HASH episodes ("you know what I mean", a show's standing intro, the
        same passage in a hundred near-copies) is treated like a stop-word when
        *finding* candidates, and the episodes sharing the rare hashes are the
        candidates.  For the PROBED best of them the overlap is counted over every
        hash, common ones included, so the ratio `dedupe.is_duplicate` judges is the
        full one.  When the common hashes alone could make a copy (three quarters of
        the sample or more) every hash is counted for every episode."""
        sample = list(dict.fromkeys(hashes))
        n = len(sample)
        if not n or not self._owner:
            return []
        wanted = np.asarray(sample, dtype=np.int64)
        lo = np.searchsorted(self._hashes, wanted, side="left")
        hi = np.searchsorted(self._hashes, wanted, side="right")
        tail = [self._tail.get(h, ()) for h in sample]
        per_hash = (hi - lo) + np.fromiter(map(len, tail), dtype=np.int64, count=n)
        common = per_hash > COMMON_HASH
        n_common = int(common.sum())
        if n_common * 4 >= n * 3:
            best = self._ranked(self._shared(lo, hi, tail, None))[:BEST]
            return [(eid, shared, self._size[eid]) for eid, shared in best
                    if eid not in exclude]
        probed = self._ranked(self._shared(lo, hi, tail, ~common))[:PROBED]
        every: dict[str, int] | None = None
        counted = []
        for eid, rare in probed:
            size = self._size[eid]
            if n_common and dedupe.is_duplicate(rare + n_common, n, size):
                # the common hashes could tip it: count the overlap in full
                if every is None:
                    every = self._shared(lo, hi, tail, None)
                rare = every[eid]
            counted.append((eid, rare, size))
        counted.sort(key=lambda r: (-r[1], r[0]))
        return [r for r in counted[:BEST] if r[0] not in exclude]

    def _shared(self, lo: np.ndarray, hi: np.ndarray, tail: list, mask) -> dict[str, int]:
        """Hashes shared with the sample, per stored episode, over the sample's hashes
        where `mask` holds (all when None)."""
        if mask is not None:
            lo, hi = lo[mask], hi[mask]
            tail = [t for t, m in zip(tail, mask.tolist()) if m]
        lengths = hi - lo
        total = int(lengths.sum())
        counts: dict[int, int] = {}
        if total:
            # the positions of every range lo..hi, end to end
            ends = np.cumsum(lengths)
            at = np.repeat(lo - (ends - lengths), lengths) + np.arange(total)
            owners, n = np.unique(self._owners[at], return_counts=True)
            counts = dict(zip(owners.tolist(), n.tolist()))
        for owners in tail:
            for k in owners:
                counts[k] = counts.get(k, 0) + 1
        return {self._ids[k]: c for k, c in counts.items()}

    @staticmethod
    def _ranked(shared: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(shared.items(), key=lambda r: (-r[1], r[0]))
