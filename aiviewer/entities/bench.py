"""Entity benchmarks: quality against a hand-labelled sample, and matching throughput.

`quality()` scores `find` on `tests/entities/sample/labelled.jsonl` (passages of seeds 003, 002
and 001 labelled by reading them; a third is held out and was not looked at while tuning, and
a second held-out set was labelled later; see the sample's README):
a found mention counts when it overlaps a labelled one of the same entity.  `throughput()`
times `Matcher.find` over the seeds with the full catalog, median of several runs, next to
`str.lower()` over the same text as a reference timed in the same run.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiviewer
from aiviewer import paths
from aiviewer.entities import default_matcher

SAMPLE = Path(aiviewer.__file__).resolve().parent.parent / "tests" / "entities" / "sample" \
    / "labelled.jsonl"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Quality:
    overall: Score = field(default_factory=Score)
    by_kind: dict[str, Score] = field(default_factory=dict)
    asr: Score = field(default_factory=Score)  # recall on speech-recognition variants in 003
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # passage, surface, entity
    false: list[tuple[str, str, str]] = field(default_factory=list)


def load_sample(path: Path = SAMPLE) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(passages: list[dict], matcher=None) -> Quality:
    """Compare `find` with the labels: same entity and overlapping span."""
    matcher = matcher or default_matcher()
    q = Quality()
    for p in passages:
        found = matcher.find(p["text"], tuple(p.get("speakers", ())))
        gold = p["mentions"]
        used: set[int] = set()
        for g in gold:
            hit = next((i for i, m in enumerate(found) if i not in used
                        and m.start < g["end"] and g["start"] < m.end
                        and m.canonical.casefold() == g["canonical"].casefold()), None)
            s = q.by_kind.setdefault(g["kind"], Score())
            if hit is None:
                q.overall.fn += 1
                s.fn += 1
                q.misses.append((p["id"], g["surface"], g["canonical"]))
            else:
                used.add(hit)
                q.overall.tp += 1
                s.tp += 1
            if g.get("asr") and p["id"].startswith("003"):
                if hit is None:
                    q.asr.fn += 1
                else:
                    q.asr.tp += 1
        for i, m in enumerate(found):
            if i not in used:
                q.overall.fp += 1
                q.by_kind.setdefault(m.kind, Score()).fp += 1
                q.false.append((p["id"], m.surface, m.canonical))
    return q


def quality(path: Path = SAMPLE, verbose: bool = False) -> dict[str, Quality]:
    """Print precision and recall per kind on the tuning part, the held-out part and both."""
    passages = load_sample(path)
    results = {}
    for part in ("tune", "heldout", "heldout2", "all"):
        chosen = [p for p in passages if part == "all" or p["split"] == part]
        q = results[part] = score(chosen)
        words = sum(len(p["text"].split()) for p in chosen)
        print(f"-- {part}: {len(chosen)} passages, {words} words, "
              f"{q.overall.tp + q.overall.fn} labelled mentions")
        print(f"   overall        P {q.overall.precision:.3f}  R {q.overall.recall:.3f}"
              "  (targets P >= 0.95, R >= 0.90)")
        print(f"   003 ASR variants        R {q.asr.recall:.3f}  "
              f"({q.asr.tp}/{q.asr.tp + q.asr.fn}, target >= 0.85)")
        for kind, s in sorted(q.by_kind.items()):
            print(f"   {kind:<14} P {s.precision:.3f}  R {s.recall:.3f}  "
                  f"(tp {s.tp}, fp {s.fp}, fn {s.fn})")
        if verbose:
            for pid, surface, canonical in q.misses:
                print(f"   missed {pid}: {surface!r} → {canonical}")
            for pid, surface, canonical in q.false:
                print(f"   extra  {pid}: {surface!r} → {canonical}")
    return results


def _seed_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(paths.seeds_dir().glob("*.txt")))


def throughput(runs: int = 5, factor: int = 1) -> tuple[float, float, float]:
    """(matcher MB/s, its best run, str.lower MB/s) on the seeds repeated `factor` times.

    Both are medians over `runs` of the CPU time of this thread (one core; other processes on
    a busy machine then distort less than wall time does, which is printed too).
    """
    matcher = default_matcher()
    text = _seed_text() * max(1, factor)
    mb = len(text.encode("utf-8")) / 1e6
    matcher.find(text[:10000])  # warm up
    cpu, wall, ref = [], [], []
    n = 0
    for _ in range(max(1, runs)):
        w, c = time.perf_counter(), time.thread_time()
        n = len(matcher.find(text))
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - w)
        c = time.thread_time()
        for _ in range(5):
            text.lower()
        ref.append((time.thread_time() - c) / 5)
    speed = mb / statistics.median(cpu)
    ref_speed = mb / statistics.median(ref)
    best = mb / min(cpu)
    print(f"entity matching: {mb:.1f} MB, {n} mentions, {len(matcher.entities)} entities, "
          f"median of {len(cpu)} runs")
    print(f"{'find() throughput, CPU time':<32} {speed:10.1f} MB/s  (target >= 20 MB/s)")
    print(f"{'find() throughput, best run':<32} {best:10.1f} MB/s")
    print(f"{'find() throughput, wall time':<32} {mb / statistics.median(wall):10.1f} MB/s")
    print(f"{'reference str.lower()':<32} {ref_speed:10.1f} MB/s  "
          f"matcher is ×{speed / ref_speed:.3f} of the reference")
    return speed, best, ref_speed


def main(runs: int = 5, factor: int = 1) -> None:
    """Entry point of `aiviewer bench entities`."""
    if SAMPLE.exists():
        quality()
    else:
        print("quality: the labelled sample ships with the source tree only; skipped")
    throughput(runs=max(runs, 5), factor=factor)


if __name__ == "__main__":
    main()
