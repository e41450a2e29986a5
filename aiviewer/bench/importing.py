"""Import benchmark: the seeds and a perturbed 10x corpus into fresh stores.

Each run is a separate process so that peak memory (ru_maxrss) belongs to that
import alone; it runs as an installed app does, its bytecode compiled by a first run that
is not counted (`stats.installed_env`).  The reference, timed the same way in the same run, reads and
decodes the same files and stores their raw lines in SQLite in one transaction:
the floor any importer pays before parsing anything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from aiviewer.bench import corpus
from aiviewer.bench.stats import installed_env, line, median
from aiviewer.paths import seeds_dir

_IMPORT = """
import json, os, resource, sys, time
from aiviewer.library import Library
t = time.perf_counter()
with Library(sys.argv[2]) as lib:
    report = lib.import_paths([sys.argv[1]]).value
    episodes = lib.counts()["episodes"]
    lib.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(lib.store.path)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "episodes": episodes, "failed": len(report.failed), "library_mb": size / 1e6}))
"""

_REFERENCE = """
import json, resource, sys, time
from pathlib import Path
from aiviewer.ingest.decode import decode_text
from aiviewer.store.reference import store_raw_lines
t = time.perf_counter()
store_raw_lines(sys.argv[2] + "/ref.sqlite",
                ((str(p), ln) for p in sorted(Path(sys.argv[1]).rglob("*.txt"))
                 for ln in decode_text(p.read_bytes(), str(p)).split("\\n")))
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


_env: dict[str, str] | None = None  # main() sets it: installed_env for this run's bytecode


def _run(script: str, src: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="aiviewer-bench-") as tmp:
        out = subprocess.run([sys.executable, "-c", script, str(src), tmp],
                             check=True, capture_output=True, text=True, env=_env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _compile_once() -> None:
    """One import of the seeds and one reference run, not counted: they compile the
    bytecode every later run reads."""
    _run(_IMPORT, seeds_dir())
    _run(_REFERENCE, seeds_dir())


def bench_tree(label: str, src: Path, runs: int, target_s: float) -> list[str]:
    ours = [_run(_IMPORT, src) for _ in range(runs)]
    ref = [_run(_REFERENCE, src) for _ in range(runs)]
    t = median([r["seconds"] for r in ours])
    t_ref = median([r["seconds"] for r in ref])
    mb = max(r["peak_mb"] for r in ours)
    size = corpus.size_of(src) / 1e6
    return [
        f"{label}: {size:.1f} MB of input, {ours[0]['episodes']} episodes, "
        f"{ours[0]['failed']} failed files, {runs} runs",
        line("  import, median", t, "s", t_ref, f"< {target_s:g} s"),
        line("  reference (decode + raw lines into SQLite)", t_ref, "s"),
        line("  throughput", size / t, "MB/s"),
        line("  peak memory (max over runs)", mb, "MB", None, "< 300 MB"),
    ]


def line_heavy(path: Path, megabytes: float) -> Path:
    """A labelled transcript of many short turns (the issue's 63 MB many-line file):
    words drawn from the seeds, three speakers, about 40 bytes a line."""
    import random

    if path.exists() and abs(path.stat().st_size / 1e6 - megabytes) < 1:
        return path
    words = sorted({w for p in sorted(seeds_dir().glob("*.txt"))
                    for w in p.read_text(encoding="utf-8").split() if w.isalpha()})
    rnd = random.Random(7)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = int(megabytes * 1e6)
    with open(path, "w", encoding="utf-8") as fh:
        written = i = 0
        while written < target:
            line = f"Speaker {i % 3}: " + " ".join(rnd.choices(words, k=5)) + "\n"
            written += fh.write(line)
            i += 1
    return path


def bench_line_heavy(src: Path, small: Path) -> list[str]:
    """One run at 1/8 of the size and one near the limit: the ratio shows whether time
    and memory grow in proportion."""
    a, b = _run(_IMPORT, small), _run(_IMPORT, src)
    size, size_small = src.stat().st_size / 1e6, small.stat().st_size / 1e6
    return [
        f"line-heavy file: {size:.1f} MB, {sum(1 for _ in open(src, 'rb')):,} lines "
        f"(and {size_small:.1f} MB for the ratio)",
        line("  import", b["seconds"], "s"),
        line("  time ratio to 1/8 of the size (8 = proportional)",
             b["seconds"] / max(a["seconds"], 1e-9), "x"),
        line("  peak memory", b["peak_mb"], "MB"),
        line("  library file", b["library_mb"], "MB"),
    ]


def main(runs: int = 3, factor: int = 10, work_dir: Path | None = None) -> None:
    global _env
    work_dir = work_dir or Path(tempfile.gettempdir()) / "aiviewer-bench-corpus"
    print(f"import benchmark (python {sys.version.split()[0]})")
    with tempfile.TemporaryDirectory(prefix="aiviewer-bench-pyc-") as bytecode:
        _env = installed_env(bytecode)
        try:
            _compile_once()
            _benches(runs, factor, work_dir)
        finally:
            _env = None


def _benches(runs: int, factor: int, work_dir: Path) -> None:
    for text in bench_tree("seeds", seeds_dir(), runs, 2.0):
        print(text, flush=True)
    big = corpus.replicate(factor, work_dir / f"x{factor}")
    for text in bench_tree(f"{factor}x", big, max(1, runs // 2 + 1) if factor > 10 else runs, 20.0 * factor / 10):
        print(text, flush=True)
    heavy = line_heavy(work_dir / "line-heavy" / "near-limit.txt", 60)
    small = line_heavy(work_dir / "line-heavy-small" / "eighth.txt", 7.5)
    for text in bench_line_heavy(heavy, small):
        print(text, flush=True)
