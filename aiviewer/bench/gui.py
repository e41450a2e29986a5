"""`aiviewer bench gui`: what a user feels in the desktop app.

- cold start to first paint of the main window (a fresh process each run),
  against a bare `python -c pass` start measured in the same run;
- opening the 3-hour Lex Fridman episode with all highlights, against reading
  the same episode from the store (the part that is not rendering);
- search as you type through the GUI path (each prefix of a few queries, the
  worker's search plus filling the result list);
- event-loop responsiveness during a background import of the replicated corpus:
  the longest gap between ticks of a 10 ms timer (target: never over 100 ms),
  and the process's peak memory.
Medians and p95 over the runs; offscreen, so no window appears.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiviewer.bench.corpus import replicate
from aiviewer.bench.stats import line, median, p95

QUERIES = ("grpo", "reasoning models", "speaker:\"Ross Taylor\" open", "deepseek r1",
           "claude code")

_PAINT = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication
from aiviewer.library import Library
from aiviewer.ui.app import settings_for
from aiviewer.ui.main_window import MainWindow
app = QApplication([])
w = MainWindow(Library(sys.argv[1]), settings_for(sys.argv[1]))
class First(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print(time.perf_counter() - t0, flush=True)
            QTimer.singleShot(0, app.quit)
            app.removeEventFilter(self)
        return False
f = First(); app.installEventFilter(f)
w.show()
w.restore_episode()
app.exec()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def cold_start(data_dir: Path, runs: int) -> list[str]:
    paint, bare = [], []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _PAINT, str(data_dir)], env=_env(),
                             capture_output=True, text=True, check=True)
        paint.append(time.perf_counter() - t)
        if not out.stdout.strip():
            raise RuntimeError(f"the window never painted: {out.stderr[-500:]}")
    return [line("cold start to first paint (median)", median(paint), "s", median(bare)),
            line("cold start to first paint (p95)", p95(paint), "s")]


def in_process(data_dir: Path, runs: int, factor: int) -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from aiviewer.library import Library
    from aiviewer.ui.app import settings_for, settle_memory
    from aiviewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    lib = Library(data_dir)
    window = MainWindow(lib, settings_for(str(data_dir)))
    window.show()
    settle_memory()  # as `aiviewer` does before its event loop
    lex = next(e for e in lib.episodes() if e.video_id == "EV7WhVT270Q")
    other = next(e for e in lib.episodes() if e.id != lex.id)
    opening, reading = [], []
    for _ in range(runs):
        window.open_episode(other.id)
        opening.append(window.open_episode(lex.id))
        t = time.perf_counter()
        lib.episode(lex.id)
        lib.segment_mentions(lex.id)
        reading.append(time.perf_counter() - t)
    out = [line("open the 3-hour episode with highlights (median)", median(opening) * 1000, "ms",
                median(reading) * 1000, "< 300 ms"),
           line("open the 3-hour episode (p95)", p95(opening) * 1000, "ms")]

    typed, filled = [], []
    popup = window.search
    popup.open()
    for _ in range(runs):
        for q in QUERIES:
            for n in range(1, len(q) + 1):
                t = time.perf_counter()
                results = lib.search(q[:n], limit=30)
                mid = time.perf_counter()
                popup._generation += 1
                popup._on_results(popup._generation, results)
                typed.append(mid - t)
                filled.append(time.perf_counter() - t)
    popup.close_popup()
    out += [line("search as you type: query (median)", median(typed) * 1000, "ms"),
            line("search as you type: query (p95)", p95(typed) * 1000, "ms"),
            line("search as you type: query + result list (median)", median(filled) * 1000,
                 "ms", median(typed) * 1000),
            line("search as you type: query + result list (p95)", p95(filled) * 1000, "ms")]

    # responsiveness while importing the replicated corpus in the background; the
    # result lists typed above without an event loop left thousands of widgets to
    # delete: that is the typing's cost, not the import's, so it is paid first
    with tempfile.TemporaryDirectory() as tmp:
        corpus = replicate(factor, Path(tmp) / "corpus")
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick():
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now
        timer = QTimer(interval=10, timeout=tick)
        timer.start()
        started = time.perf_counter()
        window.start_import([str(corpus)])
        while window.importing is not None:
            app.processEvents()
            time.sleep(0.002)
        took = time.perf_counter() - started
        timer.stop()
        report = window.importing_control.last_report
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out += [line(f"background import of {factor}x corpus", took, "s"),
            line(f"  episodes added during it: {report.added if report else 0}", 0, ""),
            line("  longest event-loop gap during import", max(gaps or [0]), "ms", None,
                 "< 100 ms"),
            line("  event-loop gap p95", p95(gaps), "ms"),
            line("  peak memory of the app process", peak_mb, "MB", None, "< 800 MB")]
    window.close()
    lib.close()
    return out


def main(runs: int = 3, factor: int = 10, work_dir: Path | None = None) -> None:
    from aiviewer.library import Library

    print(f"GUI benchmark (offscreen, python {sys.version.split()[0]}, {runs} runs)")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(work_dir or tmp) / "gui-bench"
        with Library(data_dir) as lib:
            if lib.is_empty():
                lib.import_seeds()
        for text in cold_start(data_dir, runs):
            print(text, flush=True)
        for text in in_process(data_dir, runs, factor):
            print(text, flush=True)
