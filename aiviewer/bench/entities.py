"""`aiviewer bench entities`: quality on the labelled sample and matcher throughput.

The implementation lives in `aiviewer.entities.bench` (pure, so the CLI's module map can point
at either); this module adds the figure for the way an import calls the matcher — one call per
episode over its passages joined by blank lines, with suggestions, as
`store/mentions.write_episode_mentions` does — which needs the importers.
"""

from __future__ import annotations

import statistics
import time

from aiviewer import paths
from aiviewer.entities import default_matcher
from aiviewer.entities.bench import main as _main
from aiviewer.entities.bench import quality, score, throughput

__all__ = ["main", "passage_throughput", "quality", "score", "throughput"]


def passage_throughput(runs: int = 5) -> float:
    """MB/s of `find` over the seeds' imported episodes, as an import calls it (CPU time,
    median): each episode's passages joined, one call with suggestions."""
    from aiviewer.ingest.pipeline import read_file

    episodes = []
    for path in sorted(paths.seeds_dir().glob("*.txt")):
        for ep in read_file(path).source.episodes:
            episodes.append((tuple(ep.speakers), [s.text for s in ep.segments]))
    matcher = default_matcher()
    mb = sum(len(t.encode("utf-8")) for _, texts in episodes for t in texts) / 1e6
    passages = sum(len(texts) for _, texts in episodes)
    cpu = []
    for speakers, texts in episodes:  # warm up, as `throughput` does: the matcher's
        # per-word caches fill on the first episodes a process matches
        matcher.find("\n\n".join(texts), seen=matcher.seen_for(speakers), suggestions=True)
    for _ in range(max(1, runs)):
        c = time.thread_time()
        for speakers, texts in episodes:
            matcher.find("\n\n".join(texts), seen=matcher.seen_for(speakers), suggestions=True)
        cpu.append(time.thread_time() - c)
    speed = mb / statistics.median(cpu)
    print(f"{'find() per episode, CPU time':<32} {speed:10.1f} MB/s  (target >= 20 MB/s; "
          f"{len(episodes)} episodes, {passages} passages, {mb:.1f} MB, as an import calls "
          "it: one call per episode, with suggestions)")
    return speed


def main(runs: int = 5, factor: int = 1) -> None:
    _main(runs=runs, factor=factor)
    passage_throughput(runs=max(runs, 5))
