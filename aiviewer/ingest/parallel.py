"""Reading and parsing files in worker processes, ahead of the one writer.

An import of hundreds of files spends about half its time in pure Python that
needs nothing from the library: decoding, parsing, cleaning, and the dedupe
fingerprints (`merge.keys`).  Worker processes do that while the importing
process writes the previous files, in file order, one transaction each.

Workers are started with `spawn`: the importing process may hold SQLite
connections and (in the app's tests) Qt threads, neither of which survives a
fork.  They never open the library; they only read the transcript files.  A
small import (the seeds: five files) is read in-process: starting a worker
costs more than it saves.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiviewer.errors import ImportFailed
from aiviewer.ingest import merge, pipeline, reader

if TYPE_CHECKING:  # the pool's modules load with the first pool, not with the app
    from concurrent.futures import Future, ProcessPoolExecutor

# below this many files an import reads them in its own process
PARALLEL_FROM = 24
MAX_WORKERS = 4
AHEAD_FILES = 8  # per worker
AHEAD_BYTES = 32 * 1024 * 1024
PARENT_CHECK_S = 0.5  # how often a worker checks that the importing process lives


@dataclass
class Prepared:
    """One file, read and parsed (or why not) — everything before the store."""

    name: str
    error: str | None = None
    unchanged: bool = False
    read: pipeline.ReadFile | None = None
    keys: list[merge.EpisodeKeys] | None = None
    # what the importer derived from the text in the same process (library/derive.py)
    derived: object = None


def real_name(path) -> str:
    """The name a file is known by in the library: its real path, printable."""
    try:
        real = os.path.realpath(path) if os.path.exists(path) else os.fspath(path)
    except (OSError, ValueError):
        real = os.fspath(path)
    return reader.readable_name(real)


def prepare(path, name: str, known_sha: str | None) -> Prepared:
    """Read and parse one file; `known_sha` is the digest the library holds for it,
    so an unchanged file is recognised before it is parsed.  Never raises."""
    try:
        data = reader.read_input(path, name)  # regular files only, bounded
    except ImportFailed as exc:
        return Prepared(name, error=exc.reason)
    except Exception as exc:  # noqa: BLE001 - a worker's bug is this file's error
        return Prepared(name, error=reader.one_line(
            f"could not be read ({type(exc).__name__}: {exc})"))
    if known_sha is not None and hashlib.sha256(data).hexdigest() == known_sha:
        return Prepared(name, unchanged=True)
    try:
        read = pipeline.read_bytes(data, name)
        return Prepared(name, read=read, keys=merge.keys(read.source))
    except ImportFailed as exc:
        return Prepared(name, error=exc.reason)
    except Exception as exc:  # noqa: BLE001
        return Prepared(name, error=reader.one_line(
            f"could not be read ({type(exc).__name__}: {exc})"))


def _worker_start() -> None:
    # Ctrl+C in a terminal reaches the whole process group: the importing process
    # decides what stops, a worker never prints a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # an importing process killed outright (kill -9, the out-of-memory killer) left its
    # workers waiting for work that never came, ~200 MB each, until the machine
    # restarted: a worker goes once its parent has (it is then adopted by another)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def workers_for(n_files: int) -> int:
    """Worker processes worth starting for `n_files` (0: read in-process)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    if n_files < PARALLEL_FROM or cpus < 2:
        return 0
    # parsing, cleaning and embedding take about twice the writer's CPU (10x corpus),
    # so with one worker on two cores the writer waited on it: the workers may take
    # every core, the writer's share comes from the time it would have waited
    return min(MAX_WORKERS, cpus)


def prepared_in_order(jobs: list[tuple[object, str]], known: Callable[[str], str | None],
                      workers: int, prepare: Callable[..., Prepared] = prepare,
                      options: Callable[[str], dict] | None = None) -> Iterator[Prepared]:
    """`Prepared` for each (path, name) in order, by `prepare` (a module-level function,
    for the pool), given the keyword arguments `options(name)` as well.  `known(name)`
    is asked just before
    a file is handed out (the library's digest for it).  With workers, at most a few
    files per worker are read ahead, so memory stays bounded; closing the iterator
    (a cancelled import) drops the files not yet started."""
    opts = options or (lambda _name: {})
    if workers <= 0:
        for path, name in jobs:
            yield prepare(path, name, known(name), **opts(name))
        return
    from concurrent.futures.process import BrokenProcessPool

    todo = deque(jobs)
    pending: deque[tuple[object, str, Future]] = deque()
    sizes: dict[str, int] = {}
    pool = _pool(workers)
    succeeded = 0
    try:
        while todo or pending:
            # enough files ahead that neither process waits on one large file (2 ahead
            # left the writer idle a third of the time), few enough bytes that memory
            # stays bounded: parsed text takes several times its file's size
            while todo and len(pending) < AHEAD_FILES * workers and (
                    not pending or sum(sizes[n] for _, n, _ in pending) < AHEAD_BYTES):
                path, name = todo[0]
                try:
                    sizes[name] = os.stat(path).st_size
                except OSError:
                    sizes[name] = 0
                try:
                    pending.append((path, name, pool.submit(prepare, path, name, known(name),
                                                            **opts(name))))
                except BrokenProcessPool:
                    break
                todo.popleft()
            if not pending:  # the pool broke before taking any work: read in-process
                for p, n in todo:
                    yield prepare(p, n, known(n), **opts(n))
                return
            path, name, future = pending.popleft()
            try:
                ready = future.result()
            except BrokenProcessPool:
                if not succeeded:
                    # no worker ever finished a file: they cannot run here at all (a
                    # script without a `__main__` guard, a sandbox): read in-process
                    pool.shutdown(wait=False, cancel_futures=True)
                    for p, n in [(path, name), *((p, n) for p, n, _ in pending), *todo]:
                        yield prepare(p, n, known(n), **opts(n))
                    return
                # a worker died (out of memory on a huge file, killed) and took every
                # file in flight with it; which one did it is unknown, so each is read
                # again alone, and only the one that kills its reader again fails
                retry = [(path, name), *((p, n) for p, n, _ in pending)]
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for p, n in retry:
                    yield _alone(p, n, known(n), prepare, opts(n))
                pool = _pool(workers)
                continue
            succeeded += 1
            yield ready
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Spawned workers; multiprocessing and concurrent.futures are loaded here, on the
    first import of many files, rather than with the app (~25–80 ms of its start)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start)


def _alone(path, name: str, known_sha: str | None,
           prepare: Callable[..., Prepared] = prepare, options: dict | None = None) -> Prepared:
    """One file in a worker of its own (after a worker died)."""
    from concurrent.futures.process import BrokenProcessPool

    one = _pool(1)
    try:
        return one.submit(prepare, path, name, known_sha, **(options or {})).result()
    except BrokenProcessPool:
        return Prepared(name, error="the process reading it stopped unexpectedly "
                                    "(out of memory?)")
    finally:
        one.shutdown(wait=True, cancel_futures=True)
