"""Background work: jobs get data, never widgets, and report back by signal.

Two pools, as DESIGN.md asks: one serial writer (imports, re-matching) so that
writes never contend, and one reader for searches; beside the reader, one thread
for the search box's first hits, so that a keystroke's unranked hits never wait
behind the previous keystroke's ranked search.  Each worker thread opens
its own `Library` on the same data directory (SQLite in WAL mode lets readers
and the writer run side by side), so no connection is shared across threads.
Tests can swap in `run_now` to run jobs synchronously.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from aiviewer.library import Library

# (OS thread id, data dir) → that thread's Library.  Not a threading.local: a
# pool thread is a Qt thread, and PySide gives each job run on it a fresh Python
# thread state, which empties a threading.local — every search then opened a new
# Library and rebuilt the speller, facets and vector index (20 s a keystroke at
# 100x, and a Library leaked per search).  The OS thread id outlives the jobs.
_by_thread: dict[tuple[int, str], Library] = {}
_all: list[Library] = []  # every thread's libraries, so a restore can close them all
_all_lock = threading.Lock()


def thread_library(data_dir: str) -> Library:
    """The calling thread's own Library, opened once."""
    key = (threading.get_ident(), data_dir)
    with _all_lock:
        lib = _by_thread.get(key)
    if lib is None or lib.store.conn is None:
        lib = Library(data_dir)
        with _all_lock:
            _by_thread[key] = lib
            _all.append(lib)
    return lib


def close_thread_libraries() -> None:
    """Close every worker thread's connection (the pools must be idle): before a
    restore replaces the file, and when the app ends.  A thread that needs its
    library again opens a new one."""
    with _all_lock:
        libs, _all[:] = list(_all), []
        _by_thread.clear()
    for lib in libs:
        lib.close()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable, signals: _Signals):
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except Exception as exc:  # shown to the user by the caller's handler
            traceback.print_exc()
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.signals.done.emit(result)


class Tasks(QObject):
    """`run_write(fn, on_done)` / `run_read(fn, on_done)`; fn(progress) runs off the GUI thread."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.writer = QThreadPool(self)
        self.writer.setMaxThreadCount(1)
        self.writer.setExpiryTimeout(-1)  # keep the thread, and its connection
        self.reader = QThreadPool(self)
        self.reader.setMaxThreadCount(1)
        self.reader.setExpiryTimeout(-1)
        self.quick = QThreadPool(self)
        self.quick.setMaxThreadCount(1)
        self.quick.setExpiryTimeout(-1)
        self._alive: set[_Signals] = set()

    def _start(self, pool: QThreadPool, fn, on_done, on_failed=None, on_progress=None):
        signals = _Signals()
        self._alive.add(signals)

        def finish(result):
            self._alive.discard(signals)
            if on_done:
                on_done(result)

        def fail(message):
            self._alive.discard(signals)
            if on_failed:
                on_failed(message)
        signals.done.connect(finish)
        signals.failed.connect(fail)
        if on_progress:
            signals.progress.connect(on_progress)
        pool.start(_Job(fn, signals))

    def run_write(self, fn, on_done=None, on_failed=None, on_progress=None) -> None:
        self._start(self.writer, fn, on_done, on_failed, on_progress)

    def run_read(self, fn, on_done=None, on_failed=None) -> None:
        self._start(self.reader, fn, on_done, on_failed)

    def run_quick(self, fn, on_done=None, on_failed=None) -> None:
        """A short read (the search box's first hits) on its own thread."""
        self._start(self.quick, fn, on_done, on_failed)

    def wait(self, ms: int = 30000) -> None:
        self.writer.waitForDone(ms)
        self.reader.waitForDone(ms)
        self.quick.waitForDone(ms)
