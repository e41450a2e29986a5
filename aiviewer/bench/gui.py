"""`aiviewer bench gui`: what a user feels in the desktop app.

- cold start to first paint of the main window (a fresh process each run),
  against a bare `python -c pass` start measured in the same run;
- opening the 3-hour Lex Fridman episode with all highlights, against reading
  the same episode from the store (the part that is not rendering);
- opening it from a search hit as the user does (Enter on the hit in the popup,
  until the reader has painted the passage);
- search as you type through the window's own path: each prefix of a few
  queries typed as a key press into the popup, timed until its list shows the
  keystroke's first hits and until it shows the ranked results, against raw
  FTS5 on the same file (a prefix query; bm25 + snippets + count) in the same run;
- first, event-loop responsiveness during a background import of the seeds
  replicated `--factor` times into the seeds' library, through the window: the
  longest gap between ticks of a 10 ms timer (target: never over 100 ms), and the
  process's peak memory.  Everything above is then measured on the library that
  import leaves, so `--factor 100` times the window at 100x.
Medians and p95 over the runs; offscreen, so no window appears.  `--library DIR`
measures an existing library (e.g. a copy of a 100x one) as it is, without the
import; the window may write to it (settings, re-matching), so pass a copy.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiviewer.bench.corpus import replicate
from aiviewer.bench.stats import installed_env, line, median, p95
from aiviewer.store import reference

QUERIES = ("grpo", "reasoning models", "speaker:\"Ross Taylor\" open", "deepseek r1",
           "claude code")

# The app as `aiviewer --data-dir DIR` starts it (the CLI's entry point, `ui/app.run`),
# with one event filter that says when the library list first paints rows and when
# the reader first paints an episode; the parent times those lines from before it
# started the process (interpreter start included, exit not).
_PAINT = """
import sys, time
from aiviewer.cli import main  # first, as the entry point does (before Qt is loaded)
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])  # `run` takes this one: the filter sees every paint
seen = set()
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj.parent() is not None:
            view = obj.parent()
            name = view.accessibleName()
            if name == "Library" and "list" not in seen and view.model().rowCount() > 0:
                seen.add("list")
                print("list", time.process_time(), flush=True)
            elif (name == "Transcript" and "reader" not in seen
                  and not view.document().isEmpty()):
                seen.add("reader")
                print("reader", time.process_time(), flush=True)
            if len(seen) == 2:
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
app.installEventFilter(watch)
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _start_env(cache: str) -> dict[str, str]:
    """As an installed app starts (stats.installed_env), offscreen; the first run, which
    compiles, is not counted."""
    env = {**installed_env(cache), "QT_QPA_PLATFORM": "offscreen"}
    env["AIVIEWER_EXIT_AFTER_MS"] = "120000"  # never left running if it never paints
    return env


def _first_paints(data_dir: Path, env: dict[str, str]) -> dict[str, float]:
    """Seconds from starting the process to each first paint ("list", "reader"), and
    the CPU seconds the process had used by then ("list cpu", "reader cpu")."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _PAINT, str(data_dir)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: dict[str, float] = {}
    for text in proc.stdout:
        what, cpu = text.split()
        seen.setdefault(what, time.perf_counter() - t)
        seen.setdefault(f"{what} cpu", float(cpu))
    err = proc.communicate()[1]
    if "list" not in seen:
        raise RuntimeError(f"the window never painted its library list: {err[-500:]}")
    return seen


def measure_cold_start(data_dir: Path, runs: int) -> dict[str, list[float]]:
    """Seconds, per run: process start to the first paint of the window with its
    library list ("list"), to the first paint of the reopened episode in the reader
    ("reader": after the list, by design), and a bare `python -c pass` ("bare");
    "list cpu" and "reader cpu": the CPU seconds of the app's process by then, the
    steadier figure on a shared machine."""
    out: dict[str, list[float]] = {k: [] for k in ("list", "reader", "bare", "list cpu",
                                                   "reader cpu")}
    with tempfile.TemporaryDirectory() as cache:
        env = _start_env(cache)
        _first_paints(data_dir, env)  # compiles the bytecode, warms the page cache
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            out["bare"].append(time.perf_counter() - t)
            seen = _first_paints(data_dir, env)
            for key in ("list", "reader", "list cpu", "reader cpu"):
                out[key].append(seen.get(key, float("nan")))
    return out


def cold_start(data_dir: Path, runs: int) -> list[str]:
    got = measure_cold_start(data_dir, runs)
    return [line("cold start to first paint (median)", median(got["list"]), "s",
                 median(got["bare"]), "≤ 1 s"),
            line("cold start to first paint (p95)", p95(got["list"]), "s"),
            line("  the same, CPU seconds of the app's process (median)",
                 median(got["list cpu"]), "s"),
            line("  then the last episode painted in the reader (median)",
                 median(got["reader"]), "s"),
            line("  the same, CPU seconds (median)", median(got["reader cpu"]), "s")]


def _wait(app, done, timeout: float = 30.0) -> None:
    """Run the event loop until `done()` (woken by each event, no polling sleep)."""
    from PySide6.QtCore import QEventLoop, QTimer

    end = time.perf_counter() + timeout
    tick = QTimer(interval=50)  # wakes the loop so the timeout is seen
    tick.start()
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the window did not answer in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    tick.stop()


def _ask(app, popup, text: str) -> None:
    """Put `text` in the search box and wait for its ranked results."""
    popup.edit.setText(text)
    generation = popup._generation
    _wait(app, lambda: popup.ranked and popup._generation == generation
          and not popup._timer.isActive())


def open_from_hit(app, window, lex, other, runs: int) -> list[str]:
    """Enter on a search hit in the 3-hour episode, until the reader has painted it:
    the time of the end of the reader's first paint (`MarkedBrowser.painted`) after
    the key, with the event loop running as in the app — what follows that paint
    (the minimap's marks, the suggestion list) is not waited for, as the user does
    not wait for it.  Each run checks the paint showed the hit: the caret, which
    opening a hit puts on its first word, inside the view."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    popup = window.search
    view = window.reader.view
    painted: list[float] = []

    def on_paint() -> None:
        if window.current_episode == lex.id and not painted:
            painted.append(time.perf_counter())
    view.painted.connect(on_paint)
    times = []
    for _ in range(runs):
        window.open_episode(other.id)
        popup.open()
        _ask(app, popup, f"episode:{lex.id} scaling")
        painted.clear()
        t = time.perf_counter()
        QTest.keyClick(popup.edit, Qt.Key.Key_Return)
        _wait(app, lambda: bool(painted))
        times.append(painted[0] - t)
        if window.current_episode != lex.id:
            raise RuntimeError("Enter on the hit did not open the 3-hour episode")
        if not view.viewport().rect().contains(view.cursorRect().center()):
            raise RuntimeError("the reader painted the episode without the hit in view")
        _settle(app)  # what follows the paint, before the next run
    view.painted.disconnect(on_paint)
    return [line("open the 3-hour episode from a search hit, until painted (median)",
                 median(times) * 1000, "ms", None, "≤ 150 ms"),
            line("open the 3-hour episode from a search hit (p95)", p95(times) * 1000, "ms")]


def _settle(app, ms: int = 300) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def _raw_match(text: str) -> tuple[str, str] | None:
    """The words of a typed prefix as raw FTS5 queries: (ranked, prefix)."""
    words = re.findall(r"[^\W_]+", text.replace("speaker:", ""))
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    prefix = " AND ".join(quoted[:-1] + [quoted[-1] + "*"]) if len(words[-1]) >= 2 \
        else " AND ".join(quoted[:-1] or quoted)
    return " AND ".join(quoted), prefix


def typing(app, window, data_dir: Path, runs: int) -> list[str]:
    """Each prefix of the queries typed as one key press into the popup: the time to
    the first rows the list shows (the keystroke's first hits, or the ranked results
    if they come first) and to the ranked results; the next key waits for both."""
    from PySide6.QtTest import QTest

    popup = window.search
    # as the app does once it has started: the search caches built on the search
    # thread, and each search thread's connection opened, before anyone types
    # (waited for through the event loop: QThreadPool.waitForDone would also end
    # the pool's threads, and with them the search thread's warm caches)
    window.searching.prepare()
    _wait(app, lambda: window.tasks.reader.activeThreadCount() == 0, timeout=600)
    popup.open()
    _ask(app, popup, "warm up")
    seen: dict[tuple[str, int], float] = {}

    def shown(phase: str, generation: int) -> None:
        # until the user sees the rows: laid out and painted, not only added
        popup.results.viewport().repaint()
        seen.setdefault((phase, generation), time.perf_counter())
    popup.shown.connect(shown)
    first, ranked = [], []
    for _ in range(runs):
        for query in QUERIES:
            popup.edit.clear()
            _wait(app, lambda: not popup._timer.isActive())
            for ch in query:
                t = time.perf_counter()
                QTest.keyClicks(popup.edit, ch)
                generation = popup._generation
                _wait(app, lambda g=generation: ("ranked", g) in seen
                      or popup.status.text().startswith("<span"))
                done = seen.get(("ranked", generation))
                if done is None:
                    continue  # the query failed (the box says why)
                shown = min(seen.get(("first", generation), done), done)
                first.append(shown - t)
                ranked.append(done - t)
    popup.close_popup()
    raw_first, raw_ranked = [], []
    conn = reference.open_read_only(Path(data_dir) / "library.sqlite")
    try:
        for _ in range(runs):
            for query in QUERIES:
                for n in range(1, len(query) + 1):
                    match = _raw_match(query[:n])
                    if match is None:
                        continue
                    t = time.perf_counter()
                    reference.raw_prefix(conn, match[1])
                    raw_first.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    reference.raw_ranked(conn, match[0])
                    raw_ranked.append(time.perf_counter() - t)
    finally:
        conn.close()
    ms = 1000
    return [line("keystroke to first results in the popup (median)", median(first) * ms, "ms",
                 median(raw_first) * ms),
            line("keystroke to first results in the popup (p95)", p95(first) * ms, "ms",
                 p95(raw_first) * ms, "≤ 50 ms"),
            line("keystroke to ranked results in the popup (median)", median(ranked) * ms, "ms",
                 median(raw_ranked) * ms),
            line("keystroke to ranked results in the popup (p95)", p95(ranked) * ms, "ms",
                 p95(raw_ranked) * ms, "≤ 150 ms"),
            line(f"  ({len(first)} keystrokes; references: raw FTS5 prefix query, and raw "
                 "bm25 top 30 + snippets + count, on the same file)", 0, "")]


def _window(data_dir: Path):
    """The app's window on `data_dir`, shown, as `aiviewer` builds it before its event
    loop: (app, library, window)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from aiviewer.library import Library
    from aiviewer.ui.app import settings_for, settle_memory
    from aiviewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    lib = Library(data_dir)
    window = MainWindow(lib, settings_for(str(data_dir)))
    window.show()
    settle_memory()  # as `aiviewer` does before its event loop
    return app, lib, window


def import_in_window(data_dir: Path, factor: int) -> list[str]:
    """The seeds replicated `factor` times, imported through the window in the
    background as a user imports a folder: how long, the longest gap between ticks of
    a 10 ms timer meanwhile, and the process's peak memory.  It runs first, so the
    library it leaves is the one the rest of the bench measures: `--factor 100` times
    the cold start, the typing and the opening at 100x, through the window."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    app, lib, window = _window(data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = replicate(factor, Path(tmp) / "corpus")
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
    window.close()
    lib.close()
    return [line(f"background import of {factor}x corpus through the window", took, "s"),
            line(f"  episodes added during it: {report.added if report else 0}", 0, ""),
            line("  longest event-loop gap during import", max(gaps or [0]), "ms", None,
                 "< 100 ms"),
            line("  event-loop gap p95", p95(gaps), "ms"),
            line("  peak memory of the app process", peak_mb, "MB", None, "< 800 MB")]


def in_process(data_dir: Path, runs: int) -> list[str]:
    """Opening the 3-hour episode, Enter on a hit, and typing, in one window."""
    app, lib, window = _window(data_dir)
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

    out += open_from_hit(app, window, lex, other, runs)
    out += typing(app, window, data_dir, runs)
    window.close()
    lib.close()
    return out


def main(runs: int = 3, factor: int = 10, work_dir: Path | None = None,
         library: str | None = None) -> None:
    from aiviewer.library import Library

    print(f"GUI benchmark (offscreen, python {sys.version.split()[0]}, {runs} runs, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(library) if library else Path(work_dir or tmp) / "gui-bench"
        with Library(data_dir) as lib:
            if lib.is_empty():
                lib.import_seeds()
        if library is None:
            # the seeds' library grown by the replicated corpus, through the window;
            # with --library the given library is measured as it is
            for text in import_in_window(data_dir, factor):
                print(text, flush=True)
        with Library(data_dir) as lib:
            counts = lib.counts()
            # the impact index of a big library (search/impacts.py), as the window has it
            # once built after an import or an upgrade: otherwise its first build (26 s at
            # 100x) would run beside the keystrokes measured
            t = time.perf_counter()
            lib.prepare_search(wait=True)
            prepared = time.perf_counter() - t
        print(f"library: {data_dir} ({counts['episodes']:,} episodes, "
              f"{counts['segments']:,} passages; search caches prepared in "
              f"{prepared:.1f} s)", flush=True)
        for text in cold_start(data_dir, runs):
            print(text, flush=True)
        for text in in_process(data_dir, runs):
            print(text, flush=True)
