"""Search benchmark: the seeds replicated N times (100x ≈ 140 MB), imported once.

Prints medians and p95 for what a user waits on, each against its target:
ranked top 20 with snippets, total and facets; first hits per keystroke from the
prefix index; "did you mean" and fuzzy expansion; a full rebuild of the index
(time and peak memory, in a process of its own).  The reference, timed in the same
run, is `grep -rci WORD` over the same raw files: the floor a user would compare
with.  The imported library is kept (work_dir/lib-xN) so that reruns skip the
import; delete it to start afresh.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiviewer.bench import corpus
from aiviewer.bench.stats import line, median, p95

# whole queries, one of each kind of operator and filter, typed into the search box
QUERIES = (
    "reasoning", "open models", '"open models"', "reinforcement learning",
    "distillation", "GRPO", "Qwen", "deepseek", "scaling laws", "benchmark",
    'speaker:"Nathan Lambert" reasoning', '"open models" date:<2025-06', "show:interconnects RL",
    "(OpenAI OR Anthropic) -Google", "distill*", "deepsek~", "entity:DeepSeek",
    "kind:model open", "date:2025 reasoning", "policy gradient",
)
# what the keystroke path sees while these are typed, letter by letter
TYPED = ("reinforcement learning", "distillation", "open models", "Anthropic", "post-training")
MISSPELT = ("reasonign", "deepsek", "antropic", "distilation", "benchmrak", "reinforcment",
            "qwne", "transformr", "inferance", "gradiant")
FUZZY = ("deepsek~", "grpo~", "antropic~", "qwen~2", "olmo~")

_IMPORT = """
import json, resource, sys, time
from aiviewer.library import Library
t = time.perf_counter()
with Library(sys.argv[2]) as lib:
    report = lib.import_paths([sys.argv[1]]).value
    counts = lib.counts()
print(json.dumps({"seconds": time.perf_counter() - t, "counts": counts,
                  "failed": len(report.failed)}))
"""

_REBUILD = """
import json, resource, sys, time
from aiviewer.store import Store
from aiviewer.search.engine import reindex
store = Store(sys.argv[1])
t = time.perf_counter()
reindex(store)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _subprocess(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _library(src: Path, lib_dir: Path) -> dict:
    marker = lib_dir / ".complete"
    if marker.exists():
        return json.loads(marker.read_text())
    shutil.rmtree(lib_dir, ignore_errors=True)
    lib_dir.mkdir(parents=True)
    info = _subprocess(_IMPORT, str(src), str(lib_dir))
    marker.write_text(json.dumps(info))
    return info


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000, out


def _grep_ms(word: str, src: Path) -> float:
    t = time.perf_counter()
    subprocess.run(["grep", "-rciF", "--", word, str(src)], capture_output=True, check=False)
    return (time.perf_counter() - t) * 1000


def _keystrokes(text: str) -> list[str]:
    return [text[:i] for i in range(2, len(text) + 1) if not text[i - 1].isspace()]


def main(runs: int = 3, factor: int = 100, work_dir: Path | None = None) -> None:
    from aiviewer.library import Library
    from aiviewer.search import spelling
    from aiviewer.search.engine import first_hits

    work_dir = work_dir or Path(tempfile.gettempdir()) / "aiviewer-bench-corpus"
    src = corpus.replicate(factor, work_dir / f"x{factor}")
    size = corpus.size_of(src) / 1e6
    print(f"search benchmark (python {sys.version.split()[0]}), {factor}x seeds, "
          f"{size:.1f} MB of input, {runs} runs", flush=True)
    info = _library(src, work_dir / f"lib-x{factor}")
    counts = info["counts"]
    print(f"  library: {counts['episodes']} episodes, {counts['segments']} passages "
          f"(imported in {info['seconds']:.1f} s)", flush=True)
    db_path = work_dir / f"lib-x{factor}" / "library.sqlite"

    rebuild = [_subprocess(_REBUILD, str(db_path)) for _ in range(max(1, runs // 2))]
    # what the app runs: the library's search, entity families and all
    lib = Library(db_path.parent)
    store = lib.store
    try:
        cold_ms, _ = _timed(spelling.speller_for, store)
        lib.prepare_search(wait=True)  # as the app does before anyone types (search caches)
        lib.search("warm up")  # page cache
        ranked, per_query, totals = [], {}, {}
        for _ in range(runs):
            for q in QUERIES:
                ms, res = _timed(lib.search, q, limit=20)
                ranked.append(ms)
                per_query.setdefault(q, []).append(ms)
                totals[q] = res.total
        keys = [_timed(first_hits, store, k, limit=10)[0]
                for _ in range(runs) for text in TYPED for k in _keystrokes(text)]
        speller = spelling.speller_for(store)
        spell = [_timed(speller.suggest, w)[0] for _ in range(runs) for w in MISSPELT]
        spell += [_timed(speller.expand, w.rstrip("~2"), 2 if w.endswith("~2") else 1)[0]
                  for _ in range(runs) for w in FUZZY]
        grep = [_grep_ms(q.strip('"').split()[0].split(":")[-1].strip('"*~()'), src)
                for _ in range(max(1, runs // 2)) for q in QUERIES[:10]]
    finally:
        lib.close()

    g = median(grep)
    print(line("  ranked top 20 + total + facets, median", median(ranked), "ms", g, "< 20 ms"))
    print(line("  ranked top 20 + total + facets, p95", p95(ranked), "ms", g, "< 100 ms"))
    print(line("  first hits per keystroke, median", median(keys), "ms", g))
    print(line("  first hits per keystroke, p95", p95(keys), "ms", g, "< 50 ms"))
    print(line("  did you mean + fuzzy expansion, median", median(spell), "ms"))
    print(line("  did you mean + fuzzy expansion, p95", p95(spell), "ms", None, "< 30 ms"))
    print(line("  speller build (cold, once per change)", cold_ms, "ms"))
    print(line("  full index rebuild, median", median([r["seconds"] for r in rebuild]), "s",
               None, "< 60 s"))
    print(line("  rebuild peak memory", max(r["peak_mb"] for r in rebuild), "MB", None,
               "< 600 MB"))
    print(line("  reference: grep -rci WORD, median", g, "ms"))
    slow = sorted(per_query, key=lambda q: -median(per_query[q]))[:5]
    print("  slowest queries (median ms, hits): " + "; ".join(
        f"{q} {median(per_query[q]):.0f} ({totals[q]})" for q in slow), flush=True)
