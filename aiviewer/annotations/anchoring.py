"""Where an annotation belongs in a text that may have changed since it was made.

An annotation keeps what the W3C Web Annotation model's TextQuoteSelector and
TextPositionSelector keep: the quote (`exact`), up to 32 characters either side
(`prefix`, `suffix`) and the character positions.  When the text changes
(re-import of an edited file, a better parser) it is placed again:

1. the old position, if the text there is still the quote;
2. else every exact occurrence of the quote, scored by how much of the prefix
   and suffix agree and by distance from the old position;
3. else a fuzzy match: candidate spans from where the quote's first or last
   words, or its prefix/suffix context, still occur, and the best alignment of
   the quote in a window around its old position (when neither end survived),
   accepted when similar enough
   to the quote (a few words reworded).  Similarity is rapidfuzz's Indel ratio
   (bit-parallel, about n·m/64 steps) over at most MAX_CANDIDATES spans, and
   quotes longer than MAX_FUZZY_QUOTE are not searched fuzzily, so placing one
   annotation is bounded whatever the file holds (it runs inside the import
   transaction when an edited transcript is re-imported);
4. else it is an orphan: kept with its quote and note, never deleted.

Worked example: "we use GRPO here" annotated on "GRPO" (prefix "we use ",
suffix " here"); after an edit the text reads "Intro. we use GRPO here" — step 1
fails (the position moved by 7), step 2 finds the one occurrence → anchored.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

CONTEXT = 32
FUZZY_MIN_RATIO = 0.75
MAX_CANDIDATES = 48
MAX_FUZZY_QUOTE = 20_000
MAX_ALIGNED_QUOTE = 8_000  # the window alignment grows with the square of the quote
_PROBE = 16


@dataclass(frozen=True)
class Placement:
    start: int | None
    end: int | None
    status: str  # anchored | fuzzy | orphaned

    @property
    def placed(self) -> bool:
        return self.start is not None


def selector(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(exact, prefix, suffix) for a span of `text`."""
    start, end = max(0, start), min(len(text), end)
    return text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def place(text: str, exact: str, prefix: str = "", suffix: str = "",
          start: int | None = None, end: int | None = None) -> Placement:
    if not exact:
        return Placement(None, None, "orphaned")
    if not _usable(start, end, len(text)):
        start = end = None  # 10**20 from a hostile file: out of range, not an error
    if start is not None and end is not None and text[start:end] == exact:
        return Placement(start, end, "anchored")
    exact_hit = _best_exact(text, exact, prefix, suffix, start)
    if exact_hit is not None:
        return Placement(exact_hit, exact_hit + len(exact), "anchored")
    fuzzy = _best_fuzzy(text, exact, prefix, suffix, start)
    if fuzzy is not None:
        return Placement(fuzzy[0], fuzzy[1], "fuzzy")
    return Placement(None, None, "orphaned")


def _usable(start, end, size: int) -> bool:
    return (isinstance(start, int) and isinstance(end, int)
            and 0 <= start <= end <= size)


def _occurrences(text: str, needle: str, limit: int = 500) -> list[int]:
    out = []
    at = text.find(needle)
    while at >= 0 and len(out) < limit:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _score(text: str, at: int, end: int, prefix: str, suffix: str, old: int | None) -> float:
    before = text[max(0, at - len(prefix)):at]
    after = text[end:end + len(suffix)]
    context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
    distance = abs(at - old) / max(len(text), 1) if old is not None else 0.0
    return context - distance


def _best_exact(text, exact, prefix, suffix, old) -> int | None:
    hits = _occurrences(text, exact)
    if not hits:
        return None
    return max(hits, key=lambda at: _score(text, at, at + len(exact), prefix, suffix, old))


def _best_fuzzy(text, exact, prefix, suffix, old) -> tuple[int, int] | None:
    n = len(exact)
    if n < 8 or n > MAX_FUZZY_QUOTE:
        return None  # a short quote that is gone is gone; guessing would mislead
    probe = min(_PROBE, max(4, n // 3))
    candidates: set[tuple[int, int]] = set()
    slack = max(8, n // 3)
    for at in _occurrences(text, exact[:probe], 200):
        # end where the quote's last words are, or at the quote's length
        tail = text.find(exact[-probe:], at + probe, at + n + slack)
        candidates.add((at, tail + probe if tail >= 0 else min(len(text), at + n)))
    for at in _occurrences(text, exact[-probe:], 200):
        end = at + probe
        head = text.rfind(exact[:probe], max(0, end - n - slack), at)
        candidates.add((head if head >= 0 else max(0, end - n), end))
    if prefix and suffix:
        for at in _occurrences(text, prefix[-probe:], 200):
            begin = at + len(prefix[-probe:])
            tail = text.find(suffix[:probe], begin, begin + n + slack)
            if tail >= 0:
                candidates.add((begin, tail))
    best = _best_span(text, exact, prefix, suffix, old, candidates)
    if best is None and old is not None and n <= MAX_ALIGNED_QUOTE:
        # neither end of the quote survived: align it around where it was
        window = _aligned_near(text, exact, old)
        if window is not None:
            best = _best_span(text, exact, prefix, suffix, old, {window})
    return best


def _best_span(text, exact, prefix, suffix, old, candidates) -> tuple[int, int] | None:
    n = len(exact)
    spans = [(b, e) for b, e in candidates if n // 2 <= e - b <= n * 2]
    if len(spans) > MAX_CANDIDATES:  # the nearest to the old place, else the first
        spans.sort(key=lambda span: (abs(span[0] - old) if old is not None else span[0]))
        spans = spans[:MAX_CANDIDATES]
    best, best_score = None, 0.0
    for begin, end in spans:
        ratio = Indel.normalized_similarity(exact, text[begin:end],
                                            score_cutoff=FUZZY_MIN_RATIO)
        if ratio < FUZZY_MIN_RATIO:
            continue
        score = ratio + 0.001 * _score(text, begin, end, prefix, suffix, old)
        if score > best_score:
            best, best_score = (begin, end), score
    return best


def _aligned_near(text: str, exact: str, old: int) -> tuple[int, int] | None:
    """Where the quote aligns best in a window around its old position: spans of the
    quote's length slid in steps of n/16, then the best one's ends refined in steps
    of n/128 — about a hundred Indel ratios, so bounded by MAX_ALIGNED_QUOTE²."""
    n = len(exact)
    lo, hi = max(0, old - n), min(len(text), old + 2 * n)
    if hi - lo < n // 2:
        return None

    def ratio(span: tuple[int, int]) -> float:
        return Indel.normalized_similarity(exact, text[span[0]:span[1]])

    step = max(1, n // 16)
    best = max(((b, min(hi, b + n)) for b in range(lo, max(lo + 1, hi - n // 2), step)),
               key=ratio)
    fine = max(1, n // 128)
    for _ in range(2):  # the start, then the end, within a coarse step
        best = max(((max(0, best[0] + d), best[1]) for d in range(-step, step + 1, fine)),
                   key=ratio)
        best = max(((best[0], min(len(text), best[1] + d)) for d in range(-step, step + 1, fine)
                    if best[1] + d > best[0]), key=ratio)
    return best if ratio(best) >= FUZZY_MIN_RATIO else None
