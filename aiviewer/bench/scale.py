"""`aiviewer bench scale`: the README's Performance table — seeds, 10x, 100x.

For each size: import time (a fresh library, one process and its workers; with
the CPU seconds of those processes, the fairer figure on a shared machine, and
their peak memory), library file size, ranked search p50/p95 over the search
benchmark's queries, opening the largest episodes in the window (offscreen, with
highlights), and cold start of the app to first paint on that library.  References
measured in the same run: for the import, SQLite alone building the library's two
passage indexes over the same text in one transaction (`store/reference.build_fts`);
for search, `grep -rci` over the same input.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiviewer.bench import gui
from aiviewer.bench.corpus import replicate, size_of
from aiviewer.bench.search import QUERIES
from aiviewer.bench.stats import median, p95

_IMPORT = """
import resource, sys, time
from aiviewer.library import Library
if __name__ == "__main__":  # the import's workers are spawned: they import this script
    t = time.perf_counter()
    with Library(sys.argv[2]) as lib:
        lib.import_paths([sys.argv[1]])
        n = lib.counts()["episodes"]
    use = [resource.getrusage(r) for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    peak = max(u.ru_maxrss for u in use) / 1024
    print(time.perf_counter() - t, n, peak, *(u.ru_utime + u.ru_stime for u in use))
"""

_FTS_REFERENCE = """
import sys, time
from aiviewer.store.reference import build_fts
t = time.perf_counter()
build_fts(sys.argv[1], sys.argv[2])
print(time.perf_counter() - t)
"""

_OPEN = """
import sys, time, statistics
from PySide6.QtWidgets import QApplication
from aiviewer.library import Library
from aiviewer.ui.main_window import MainWindow
app = QApplication([])
lib = Library(sys.argv[1])
w = MainWindow(lib); w.show()
eps = sorted(lib.episodes(), key=lambda e: -e.n_words)[:5]
times = []
for e in eps:
    w.episodes.current = None
    times.append(w.open_episode(e.id))
print(statistics.median(times), max(times))
"""


def _row(label: str, src: Path, lib_dir: Path, runs: int) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    script = lib_dir.parent / "import_for_scale.py"  # a file: spawned workers re-read it
    script.write_text(_IMPORT, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script), str(src), str(lib_dir)],
                         capture_output=True, text=True, check=True).stdout.split()
    seconds, episodes, peak_mb = float(out[0]), int(out[1]), float(out[2])
    writer_cpu, workers_cpu = float(out[3]), float(out[4])
    cpu = writer_cpu + workers_cpu
    size_mb = sum(p.stat().st_size for p in lib_dir.glob("library.sqlite*")) / 2**20
    ref_db = lib_dir.parent / f"fts-reference-{lib_dir.name}.sqlite"
    ref_db.unlink(missing_ok=True)
    fts_s = float(subprocess.run([sys.executable, "-c", _FTS_REFERENCE,
                                  str(lib_dir / "library.sqlite"), str(ref_db)],
                                 capture_output=True, text=True, check=True).stdout.split()[0])
    ref_db.unlink(missing_ok=True)

    from aiviewer.library import Library
    with Library(lib_dir) as lib:
        lib.prepare_search(wait=True)  # as the app does before anyone types (search caches)
        lib.search("warm up")
        lat = []
        for _ in range(runs):
            for q in QUERIES:
                t = time.perf_counter()
                lib.search(q, limit=20)
                lat.append((time.perf_counter() - t) * 1000)
    grep = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(["grep", "-rci", "reasoning", str(src)], capture_output=True)
        grep.append((time.perf_counter() - t) * 1000)
    opened = subprocess.run([sys.executable, "-c", _OPEN, str(lib_dir)], env=env,
                            capture_output=True, text=True, check=True).stdout.split()
    cold = median(gui.measure_cold_start(lib_dir, runs)["list"])
    return (f"| {label} | {size_of(src) / 2**20:.1f} MB, {episodes} episodes | {seconds:.1f} s "
            f"(CPU {cpu:.1f} s: writer {writer_cpu:.1f}, parse workers {workers_cpu:.1f}; raw FTS5 build {fts_s:.1f} s; peak {peak_mb:.0f} MB) | "
            f"{size_mb:.0f} MB | {median(lat):.0f} / {p95(lat):.0f} ms "
            f"(grep {median(grep):.0f} ms) | {float(opened[0]) * 1000:.0f} / "
            f"{float(opened[1]) * 1000:.0f} ms | {cold:.2f} s |")


def main(runs: int = 3, factor: int = 100, work_dir: Path | None = None,
         corpus: Path | None = None, only_largest: bool = False) -> None:
    """`corpus`: an already replicated corpus for the largest factor (`/work/src100`
    saves replicating it again); `only_largest`: skip the seeds and 10x rows."""
    print("| library | input | import (CPU of its processes; reference: raw FTS5 build of "
          "the same text; peak memory of one of its processes) | library file | search p50 / p95 (reference) | "
          "open largest episodes, median / max | cold start to first paint |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(work_dir or tmp)
        for f in [factor] if only_largest else sorted({1, 10, factor}):
            src = corpus if corpus is not None and f == factor else replicate(f, base / f"x{f}")
            print(_row("seeds" if f == 1 else f"{f}x", src, base / f"lib{f}", runs), flush=True)
