"""`aiviewer bench insights`: every insight over the whole library — the first time
(a fresh connection, nothing cached), cached, and after a change — against a plain
SQL `GROUP BY` over the same mentions measured in the same run.

The library is the seeds replicated `--factor` times (as `bench scale` builds it),
imported once into a temporary folder, or `--library DIR` to reuse one.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from aiviewer.bench.corpus import replicate
from aiviewer.bench.stats import line, median
from aiviewer.library import Library
from aiviewer.store import insights as insights_q

# (label, insight, parameters): what the window's chart picker offers for the library
INSIGHTS = (
    ("top entities, all kinds", "entities", {}),
    ("top models", "entities", {"kind": "model"}),
    ("co-occurrence matrix (PMI)", "cooccur", {}),
    ("co-occurrence with GRPO", "cooccur", {"focus": "GRPO"}),
    ("speaker × entity", "speakers", {}),
    ("tag × entity", "tags", {"by": "entity"}),
    ("tag × speaker", "tags", {"by": "speaker"}),
    ("mentions per month", "timeline", {"by": "month"}),
)


def _library(factor: int, work: Path, given: Path | None) -> Path:
    if given is not None:
        return given
    src = replicate(factor, work / f"x{factor}")
    lib_dir = work / f"lib{factor}"
    t = time.perf_counter()
    with Library(lib_dir) as lib:
        lib.import_paths([src])
        n = lib.counts()["episodes"]
    print(f"imported {factor}x: {n:,} episodes in {time.perf_counter() - t:.1f} s", flush=True)
    return lib_dir


def _all(lib: Library) -> float:
    t = time.perf_counter()
    for _label, name, params in INSIGHTS:
        lib.insight(name, **params)
    return time.perf_counter() - t


def main(runs: int = 3, factor: int = 100, library: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lib_dir = _library(factor, Path(tmp), Path(library) if library else None)
        with Library(lib_dir) as lib:
            counts = lib.counts()
            lib.insight("entities")  # the catalog's names, the OS cache: not what we time
            ref = []
            for _ in range(runs):
                t = time.perf_counter()
                insights_q.group_by_reference(lib.store.db)
                ref.append(time.perf_counter() - t)
        print(f"library: {counts['episodes']:,} episodes, {counts['segments']:,} passages")
        reference = median(ref)
        print(line("reference: SQL GROUP BY entity (mentions, episodes)", reference, "s"))
        first, cached, each = [], [], {label: [] for label, _n, _p in INSIGHTS}
        after, fresh = [], []
        for _ in range(runs):
            with Library(lib_dir) as lib:  # a fresh connection: nothing cached
                lib.entity("GRPO")
                first.append(_all(lib))
                cached.append(_all(lib))
                for label, name, params in INSIGHTS:
                    t = time.perf_counter()
                    lib.insight(name, **params)
                    each[label].append(time.perf_counter() - t)
                before = lib.insight("speakers")
                ep = lib.episodes()[0]
                label = lib.episode(ep.id).segments[0].speaker or "Speaker 1"
                lib.rename_speaker(ep.id, label, "Bench Speaker")  # a change …
                lib.undo()
                after.append(_all(lib))  # … counts afresh
                fresh.append(lib.insight("speakers") is not before)
        print(line("every insight, first time (one fresh connection)", median(first), "s",
                   reference, target="≤ 1 s cached"))
        print(line("every insight, cached", median(cached) * 1000, "ms",
                   reference * 1000, target="≤ 1 s"))
        print(line("every insight after a change (recounted)", median(after), "s", reference))
        print(f"a change made the next insight count afresh: {sum(fresh)} of {len(fresh)} runs")
        for label, times in each.items():
            print(line(f"  cached: {label}", median(times) * 1000, "ms"))
