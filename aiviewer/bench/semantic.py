"""`aiviewer bench semantic`: search by meaning, measured.

Quality: nDCG@10 over the relevance set (tests/meaning/relevance.json, queries over
the seeds and ../shared/corpus with passages judged by reading them) for words only,
meaning only and hybrid (reciprocal rank fusion), per model: wordllama (the one the
app uses) and word vectors learned from the library (PPMI + SVD).

Cost (`--factor N`, the seeds replicated as `bench scale` does): import time with and
without vectors, meaning-only and hybrid p95 beside the plain ranked search in the
same run, and the peak memory of each process.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiviewer import paths
from aiviewer.bench.corpus import replicate
from aiviewer.bench.search import QUERIES
from aiviewer.bench.stats import median, p95

RELEVANCE = Path(__file__).resolve().parents[2] / "tests" / "meaning" / "relevance.json"
MODES = ("words", "meaning", "hybrid")


def shared_corpus() -> Path | None:
    here = Path(__file__).resolve().parents[2]
    for base in (here.parent / "shared", here.parent.parent / "shared"):
        if (base / "corpus").is_dir():
            return base / "corpus"
    return None


def load_judgments(path: Path = RELEVANCE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def resolve(lib, judgments: list[dict]) -> list[tuple[dict, set[int]]]:
    """Each query with the ids of the passages its judgments name."""
    texts = lib.passage_texts()
    out = []
    for q in judgments:
        ids = {sid for piece in q["relevant"] for sid, t in texts.items() if piece in t}
        out.append((q, ids))
    return out


def ranked(lib, query: str, mode: str, k: int = 10) -> list[int]:
    if mode == "meaning":
        text = query.replace('"', " ")
        results = lib.search(f'~~"{text}"', limit=k)
    else:
        results = lib.search(query, limit=50, hybrid=(mode == "hybrid"))
    return [h.segment_id for h in results.hits if h.segment_id is not None][:k]


def ndcg(found: list[int], relevant: set[int], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, sid in enumerate(found[:k]) if sid in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def quality(lib, judged, models) -> dict:
    scores: dict = {}
    for model in models:
        lib.rebuild_vectors(embedder=model)
        for mode in MODES:
            per = [(q.get("paraphrase", False), ndcg(ranked(lib, q["q"], mode), ids))
                   for q, ids in judged]
            scores[(model.name, mode)] = (
                sum(s for _, s in per) / len(per),
                sum(s for p, s in per if p) / max(1, sum(1 for p, _ in per if p)))
    return scores


def main(runs: int = 3, factor: int = 1, work_dir: Path | None = None,
         library: str | None = None) -> None:
    """`library`: time the searches on that library (a copy: opening it may migrate
    it) instead of building the relevance set's and the replicated one."""
    if library is not None:
        searches(runs, Path(library), Path(library).name)
        return
    from aiviewer.library import Library
    from aiviewer.meaning.embedder import WordLlamaEmbedder
    from aiviewer.meaning.learned import LearnedEmbedder

    corpus = shared_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(work_dir or tmp)
        with Library(base / "quality") as lib:
            lib.import_paths([paths.seeds_dir()] + ([corpus] if corpus else []))
            judged = resolve(lib, load_judgments())
            texts = list(lib.passage_texts().values())
            t = time.perf_counter()
            learned = LearnedEmbedder(texts)
            learn_s = time.perf_counter() - t
            models = [WordLlamaEmbedder(), learned]
            scores = quality(lib, judged, models)
            lib.rebuild_vectors()
        n_para = sum(1 for q, _ in judged if q.get("paraphrase"))
        print(f"relevance set: {len(judged)} queries ({n_para} paraphrases sharing no word "
              f"with their answers){'' if corpus else '; ../shared/corpus missing'}")
        print("| model | words only | meaning only | hybrid (RRF) | paraphrases: words / "
              "meaning / hybrid |")
        print("|---|---|---|---|---|")
        for model in models:
            w, m, h = (scores[(model.name, mode)] for mode in MODES)
            print(f"| {model.name} | {w[0]:.3f} | {m[0]:.3f} | {h[0]:.3f} | "
                  f"{w[1]:.3f} / {m[1]:.3f} / {h[1]:.3f} |")
        print(f"(the learned model took {learn_s:.1f} s to learn from "
              f"{len(texts)} passages)", flush=True)
        if factor > 1:
            cost(runs, factor, base)


# an import as `aiviewer import` runs it, vectors computed in the parse workers; the
# CPU time counts the workers (reaped when the import ends)
_IMPORT = """
import os, sys, time
from aiviewer.library import Library
from aiviewer.store import vectors
t, c = time.perf_counter(), os.times()
with Library(sys.argv[2]) as lib:
    lib.import_paths([sys.argv[1]])
    n = vectors.count(lib.store.db)
c2 = os.times()
hwm = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")]
print(time.perf_counter() - t, sum(c2[:4]) - sum(c[:4]), hwm[0] if hwm else 0, n)
"""

_SEARCH = """
import sys, time, json
from aiviewer.library import Library
queries = json.loads(sys.argv[2]); runs = int(sys.argv[3])
lat = {"plain": [], "meaning": [], "hybrid": []}
with Library(sys.argv[1]) as lib:
    t = time.perf_counter()
    # as the app does before anyone types (search caches; the impact index, which the app
    # builds on a thread of its own after an import, is waited for here: a second run
    # finds it in the cache)
    lib.prepare_search(wait=True)
    prepared = time.perf_counter() - t
    lib.search("warm up"); lib.search('~~"warm up"'); lib.search("warm up", hybrid=True)
    for _ in range(runs):
        for q in queries:
            for mode, call in (("plain", lambda: lib.search(q)),
                               ("meaning", lambda: lib.search('~~"' + q.replace('"', ' ') + '"')),
                               ("hybrid", lambda: lib.search(q, hybrid=True))):
                t = time.perf_counter(); call()
                lat[mode].append((time.perf_counter() - t) * 1000)
hwm = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")]
print(json.dumps({"lat": lat, "hwm_kb": int(hwm[0]) if hwm else 0, "prepared": prepared}))
"""


def cost(runs: int, factor: int, base: Path) -> None:
    """Import the replicated seeds twice, as `aiviewer import` does: once with the
    model, once as on a machine where it cannot load (a `wordllama` without its model
    files first on the path, in the workers too: the import goes on without vectors,
    as it would there).  The difference is what vectors add to an import.  CPU seconds
    (the workers' included) are given beside wall time: on a shared machine they are
    the steadier measure."""
    src = replicate(factor, base / f"x{factor}")
    lib = base / f"lib{factor}"
    shadow = base / "no-model"
    (shadow / "wordllama").mkdir(parents=True, exist_ok=True)
    (shadow / "wordllama" / "__init__.py").write_text(
        '"""wordllama without its model files (bench semantic)"""\n', encoding="utf-8")
    runs_of = {}
    for label, env in (("without", {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(shadow), os.environ.get("PYTHONPATH")]))}), ("with", None)):
        target = base / f"lib{factor}-{label}" if label == "without" else lib
        out = subprocess.run([sys.executable, "-c", _IMPORT, str(src), str(target)], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
        runs_of[label] = (float(out[0]), float(out[1]), int(out[2]), int(out[3]))
        if label == "without":
            shutil.rmtree(target, ignore_errors=True)
    (w0, c0, kb0, n0), (w1, c1, kb1, n1) = runs_of["without"], runs_of["with"]
    print(f"\n{factor}x: import without vectors {w0:.1f} s wall / {c0:.1f} s CPU "
          f"(peak {kb0 // 1024} MB, {n0:,} vectors); with vectors {w1:.1f} s wall / "
          f"{c1:.1f} s CPU (peak {kb1 // 1024} MB, {n1:,} vectors): "
          f"{(w1 - w0) / w0 * 100:+.0f} % wall, {(c1 - c0) / c0 * 100:+.0f} % CPU "
          f"(target ≤ 30 %)", flush=True)
    searches(runs, lib, f"{factor}x")


def searches(runs: int, lib: Path, factor: str) -> None:  # factor: a label ("100x")
    """Plain ranked, meaning-only and hybrid search, the same queries in one process,
    interleaved query by query (so a busy moment of the machine hits all three)."""
    res = json.loads(subprocess.run(
        [sys.executable, "-c", _SEARCH, str(lib), json.dumps(QUERIES), str(runs)],
        capture_output=True, text=True, check=True).stdout)
    lat = res["lat"]
    for mode, target in (("plain", ""), ("meaning", " (target ≤ 50 ms)"),
                         ("hybrid", " (target ≤ 100 ms)")):
        print(f"{factor} search {mode:<8} median {median(lat[mode]):6.1f} ms, "
              f"p95 {p95(lat[mode]):6.1f} ms{target}")
    n = len(QUERIES)
    best = {mode: [min(lat[mode][r * n + i] for r in range(runs)) for i in range(n)]
            for mode in ("plain", "hybrid")}
    extra = sorted(h - p for h, p in zip(best["hybrid"], best["plain"]))
    print(f"{factor} hybrid minus plain, query by query (best of {runs}): "
          f"median {median(extra):+.1f} ms, largest {extra[-1]:+.1f} ms")
    print(f"{factor} search process peak memory {res['hwm_kb'] // 1024} MB; search caches "
          f"prepared in {res['prepared']:.1f} s (the impact index, if built: search/impacts.py)")
