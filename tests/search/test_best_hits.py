"""The best-scored hits by numpy are exactly what heapq.nlargest gives: same hits,
same order, ties kept in list order (a page boundary inside a run of equal scores
must not move between calls)."""

from __future__ import annotations

import heapq
import random
from operator import itemgetter

from aiviewer.search.run import Run


def test_best_is_nlargest_with_ties_in_list_order():
    rng = random.Random(7)
    for size in (0, 1, 5, 50, 400):
        run = Run.__new__(Run)
        run.strict = [(i, float(rng.choice((1.5, 2.0, 2.0, 3.25, -1.0, rng.random()))))
                      for i in rng.sample(range(10_000), size)]
        run._scores = None
        for n in (0, 1, 3, 20, size - 1, size, size + 7):
            assert run._best(n) == heapq.nlargest(max(n, 0), run.strict, key=itemgetter(1))
