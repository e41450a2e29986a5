"""Episodes' dedupe fingerprints: one row per episode, its sample as a blob.

Derived data (`dedupe.fingerprint` of the stored text).  The search by hash runs
in memory (`ingest/fingerprint_index.py`), built from these rows: one row per
episode is one sequential insert per episode, where a row per hash scattered a
file's few thousand inserts over the whole hash index.  A value in `meta`, drawn
afresh by triggers on every change to the table (deletes by cascade included), tells
a process holding an index whether anyone changed the rows since it read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from sqlite_utils import Database

GENERATION_KEY = "fingerprints_generation"
_DTYPE = np.dtype("<i8")  # hashes are below 2**63 (`dedupe._hashes`)


def pack(hashes: Iterable[int]) -> bytes:
    """A sample as stored: its distinct hashes, sorted, little-endian int64."""
    return np.unique(np.fromiter(hashes, dtype=np.int64)).astype(_DTYPE).tobytes()


def unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=_DTYPE).astype(np.int64)


def replace(db: Database, episode_id: str, hashes: Iterable[int]) -> None:
    """`episode_id`'s fingerprint is now `hashes` (none: no row)."""
    blob = pack(hashes)
    if blob:
        db.execute("INSERT INTO episode_fingerprints (episode_id, hashes) VALUES (?, ?) "
                   "ON CONFLICT (episode_id) DO UPDATE SET hashes = excluded.hashes",
                   [episode_id, blob])
    else:
        db.execute("DELETE FROM episode_fingerprints WHERE episode_id = ?", [episode_id])


def of(db: Database, episode_id: str) -> list[int]:
    row = db.execute("SELECT hashes FROM episode_fingerprints WHERE episode_id = ?",
                     [episode_id]).fetchone()
    return unpack(row[0]).tolist() if row else []


def every(db: Database) -> Iterator[tuple[str, np.ndarray]]:
    """(episode id, its sample) for every episode that has one."""
    for eid, blob in db.execute("SELECT episode_id, hashes FROM episode_fingerprints"):
        yield eid, unpack(blob)


def generation(db: Database) -> str | None:
    """A value drawn afresh by every change to the rows (by any process): while it
    is the same, so are the rows."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [GENERATION_KEY]).fetchone()
    return row[0] if row else None
