"""`fold_cased(text, blanks)` blanks the masked spans piece by piece, and gives exactly
what blanking the whole text first and folding it gave, at every size and at chunk edges."""

from __future__ import annotations

import random

from aiviewer.entities import variants
from aiviewer.entities.variants import fold_cased


def _blank_then_fold(text: str, spans: list[tuple[int, int]]) -> str:
    parts, k = [], 0
    for a, b in spans:
        parts += [text[k:a], " " * (b - a)]
        k = b
    return fold_cased("".join(parts) + text[k:])


def test_blanks_folded_piece_by_piece_equal_blanking_first():
    rnd = random.Random(14)
    chunk = variants._CHUNK
    alphabet = "ab \n\u2019\u201c-\u2014x\xa0"
    for n in (0, 10, 1000, chunk - 1, chunk, chunk + 5, 3 * chunk + 7):
        text = "".join(rnd.choice(alphabet) for _ in range(min(n, 4000)))
        text = (text * (n // max(1, len(text)) + 1))[:n]
        for _ in range(12):
            cuts = sorted(rnd.sample(range(n + 1), min(n + 1, 2 * rnd.randint(0, 6))))
            spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
            assert fold_cased(text, spans) == _blank_then_fold(text, spans)
        if n > chunk:  # a span across a chunk edge, and one that ends on it
            for spans in ([(chunk - 3, chunk + 3)], [(chunk - 5, chunk)], [(0, n)]):
                assert fold_cased(text, spans) == _blank_then_fold(text, spans)
