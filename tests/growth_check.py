"""Speed in tests is checked as growth, never as wall-clock time: the time at 8n
divided by the time at n is about 8 for linear work, about 64 for quadratic, on a
fast idle machine and a busy slow one alike (both runs share the same load)."""

from __future__ import annotations

import time
from collections.abc import Callable

LINEAR = 24.0  # 8 for linear work, with room for noise; quadratic work gives ~64


def _best(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def growth(at: Callable[[int], Callable[[], object]], n: int, runs: int = 2,
           attempts: int = 3) -> float:
    """time(at(8n)) / time(at(n)), each the best of `runs`; `at(k)` prepares the
    input of size k and returns the call to time.  On a busy machine one pair can be
    skewed by a burst of load, so a pair over `LINEAR` is measured again (up to
    `attempts` times) and the smallest ratio returned: quadratic work is over it
    every time, linear work rarely twice."""
    small, big = at(n), at(8 * n)
    ratio = float("inf")
    for _ in range(attempts):
        ratio = min(ratio, _best(big, runs) / max(_best(small, runs), 1e-4))
        if ratio < LINEAR:
            break
    return ratio
