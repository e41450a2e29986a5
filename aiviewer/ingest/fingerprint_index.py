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

An episode added later is a sorted run of its own, merged into the run before it
once it is half that run's size (about log2(episodes) runs; a hash is looked up in
each).  The answers are those of the SQL query it replaced
(tests/ingest/test_fingerprint_index.py compares them on random libraries).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from aiviewer.ingest import dedupe

COMMON_HASH = 16  # a hash stored for more episodes than this is a stop-shingle
PROBED = 10  # candidates (by rare hashes shared) whose full overlap is counted
BEST = 5  # candidates returned per new episode


class FingerprintIndex:
    """Stored episodes' fingerprint samples, searchable by hash."""

    def __init__(self, rows: Iterable[tuple[str, np.ndarray]] = ()):
        self._ids: list[str | None] = []  # owner number -> episode id (None once removed)
        self._owner: dict[str, int] = {}  # episode id -> owner number
        # sorted runs of (hashes, their owners' numbers), largest first; a new sample is
        # a run of its own, and a run is merged into the one before it as soon as it is
        # half its size: about log2(episodes) runs, each hash moved that many times
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        self._samples: list[np.ndarray | None] = []  # owner number -> its sample
        # removed owners whose hashes are still in the runs, and how many of each hash
        # they hold: skipped and discounted when searching, dropped from the runs once
        # they are a quarter of them (one pass per removal was quadratic when a
        # re-import replaced every episode's text)
        self._dead: dict[int, int] = {}
        self._dead_postings = 0
        samples = []
        for eid, sample in rows:
            sample = np.asarray(sample, dtype=np.int64)
            if len(sample):
                self._new_owner(eid)
                samples.append(sample)
        if samples:
            # one sort for all (the per-sample calls were most of the time: 6,359 samples
            # at 100x), each (hash, episode) pair kept once: the stored samples are sorted
            # and distinct, a caller's may not be (then each is made so)
            hashes = np.concatenate(samples)
            owners = np.repeat(np.arange(len(samples), dtype=np.int32),
                               [len(x) for x in samples])
            order = np.lexsort((owners, hashes))
            hashes, owners = hashes[order], owners[order]
            keep = np.ones(len(hashes), dtype=bool)
            keep[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
            hashes, owners = hashes[keep], owners[keep]
            self._runs.append((hashes, owners))
            self._samples = [np.unique(x) for x in samples] if len(hashes) != sum(
                map(len, samples)) else samples

    def __len__(self) -> int:
        """Episodes indexed."""
        return len(self._owner)

    def size_of(self, episode_id: str) -> int:
        """Hashes in the episode's sample (0: none indexed)."""
        k = self._owner.get(episode_id)
        return 0 if k is None else len(self._samples[k])

    # -- keeping it up -------------------------------------------------------------

    def replace(self, episode_id: str, hashes: Iterable[int]) -> None:
        """`episode_id`'s sample is now `hashes` (empty: it has none)."""
        self.remove(episode_id)
        sample = np.unique(np.fromiter(hashes, dtype=np.int64))
        if not len(sample):
            return
        k = self._new_owner(episode_id)
        self._samples[k] = sample
        runs = self._runs
        runs.append((sample, np.full(len(sample), k, dtype=np.int32)))
        while len(runs) > 1 and 2 * len(runs[-1][0]) >= len(runs[-2][0]):
            (h2, o2), (h1, o1) = runs.pop(), runs.pop()
            # two sorted runs end to end: the stable sort merges them in one pass
            runs.append(_sorted(np.concatenate((h1, h2)), np.concatenate((o1, o2))))

    def remove(self, episode_id: str) -> None:
        """`episode_id` has no sample any more (deleted, or about to be replaced)."""
        k = self._owner.pop(episode_id, None)
        if k is None:
            return
        self._ids[k] = None
        sample, self._samples[k] = self._samples[k], None
        dead = self._dead
        for h in sample.tolist():
            dead[h] = dead.get(h, 0) + 1
        self._dead_postings += len(sample)
        if 4 * self._dead_postings >= sum(len(h) for h, _ in self._runs):
            self._compact()

    def _compact(self) -> None:
        """Drop the removed owners' hashes from the runs, in one pass."""
        ids = self._ids
        gone = np.fromiter((k for k, eid in enumerate(ids) if eid is None), dtype=np.int32)
        kept = []
        for hashes, owners in self._runs:
            keep = ~np.isin(owners, gone)
            if keep.any():
                kept.append((hashes[keep], owners[keep]))
        self._runs = kept
        self._dead.clear()
        self._dead_postings = 0

    def _new_owner(self, episode_id: str) -> int:
        k = len(self._ids)
        self._ids.append(episode_id)
        self._samples.append(None)
        self._owner[episode_id] = k
        return k

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
        wanted = np.unique(np.fromiter(hashes, dtype=np.int64))
        n = len(wanted)
        if not n or not self._owner:
            return []
        # where each wanted hash lies in each run (sorted keys: one pass down each run)
        spans = [(np.searchsorted(h, wanted, side="left"),
                  np.searchsorted(h, wanted, side="right"), o) for h, o in self._runs]
        per_hash = sum(hi - lo for lo, hi, _ in spans)
        if self._dead:  # removed owners' hashes still in the runs do not count
            dead = self._dead
            per_hash = per_hash - np.fromiter((dead.get(h, 0) for h in wanted.tolist()),
                                              dtype=np.int64, count=n)
        common = per_hash > COMMON_HASH
        n_common = int(common.sum())
        if n_common * 4 >= n * 3:
            best = _ranked(self._shared(spans, None))[:BEST]
            return [(eid, shared, self.size_of(eid)) for eid, shared in best
                    if eid not in exclude]
        probed = _ranked(self._shared(spans, ~common))[:PROBED]
        every: dict[str, int] | None = None
        counted = []
        for eid, rare in probed:
            size = self.size_of(eid)
            if n_common and dedupe.is_duplicate(rare + n_common, n, size):
                # the common hashes could tip it: count the overlap in full
                if every is None:
                    every = self._shared(spans, None)
                rare = every[eid]
            counted.append((eid, rare, size))
        counted.sort(key=lambda r: (-r[1], r[0]))
        return [r for r in counted[:BEST] if r[0] not in exclude]

    def _shared(self, spans: list, mask) -> dict[str, int]:
        """Hashes shared with the sample, per stored episode, over the sample's hashes
        where `mask` holds (all when None)."""
        found = []
        for lo, hi, owners in spans:
            if mask is not None:
                lo, hi = lo[mask], hi[mask]
            lengths = hi - lo
            total = int(lengths.sum())
            if total:
                # the positions of every range lo..hi, end to end
                ends = np.cumsum(lengths)
                found.append(owners[np.repeat(lo - (ends - lengths), lengths)
                                    + np.arange(total)])
        if not found:
            return {}
        owners, n = np.unique(np.concatenate(found), return_counts=True)
        ids = self._ids
        return {ids[k]: c for k, c in zip(owners.tolist(), n.tolist()) if ids[k] is not None}


def _sorted(hashes: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(hashes, kind="stable")
    return hashes[order], owners[order]


def _ranked(shared: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(shared.items(), key=lambda r: (-r[1], r[0]))
