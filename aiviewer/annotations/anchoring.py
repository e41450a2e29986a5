"""Where an annotation belongs in a text that may have changed since it was made.

An annotation keeps what the W3C Web Annotation model's TextQuoteSelector and
TextPositionSelector keep: the quote (`exact`), up to 32 characters either side
(`prefix`, `suffix`) and the character positions.  When the text changes
(re-import of an edited file, a better parser) it is placed again:

1. the old position, if the text there is still the quote;
2. else every exact occurrence of the quote, scored by how much of the prefix
   and suffix agree and by distance from the old position;
3. else a fuzzy match: candidate spans from where the quote's first or last
   words, or its prefix/suffix context, still occur, accepted when similar
   enough to the quote (a few words reworded);
4. else it is an orphan: kept with its quote and note, never deleted.

Worked example: "we use GRPO here" annotated on "GRPO" (prefix "we use ",
suffix " here"); after an edit the text reads "Intro. we use GRPO here" — step 1
fails (the position moved by 7), step 2 finds the one occurrence → anchored.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 32
FUZZY_MIN_RATIO = 0.75
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
    if start is not None and end is not None and 0 <= start <= len(text) \
            and text[start:end] == exact:
        return Placement(start, end, "anchored")
    exact_hit = _best_exact(text, exact, prefix, suffix, start)
    if exact_hit is not None:
        return Placement(exact_hit, exact_hit + len(exact), "anchored")
    fuzzy = _best_fuzzy(text, exact, prefix, suffix, start)
    if fuzzy is not None:
        return Placement(fuzzy[0], fuzzy[1], "fuzzy")
    return Placement(None, None, "orphaned")


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
    if n < 8:
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
    best, best_score = None, 0.0
    for begin, end in candidates:
        if end - begin < n // 2 or end - begin > n * 2:
            continue
        ratio = SequenceMatcher(None, exact, text[begin:end], autojunk=False).ratio()
        if ratio < FUZZY_MIN_RATIO:
            continue
        score = ratio + 0.001 * _score(text, begin, end, prefix, suffix, old)
        if score > best_score:
            best, best_score = (begin, end), score
    return best
