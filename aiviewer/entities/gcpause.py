"""Keep the cyclic garbage collector out of the matcher's inner loops.

`Matcher.find` allocates a few container objects per hit (about 11,000 hits and 6,000
mentions per megabyte of transcript) and none of them in a reference cycle, so the
collector's passes during a call find nothing to free; yet allocation counts trigger them,
and the mentions that survive are promoted and walked again by the older generations' passes.
On the seeds x10 (14 MB, one call) the collector took 20% of the call's CPU time (1.37 s
against 1.12 s with it paused, same process).  Pausing it for the call frees nothing later
than it would have been freed (nothing collectable is made), and re-enables it afterwards.

Process-wide state shared by threads (the window matches on worker threads): a counter under a
lock, so the collector comes back only when the last paused call ends, and only if it was on
when the first one began.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused():
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
