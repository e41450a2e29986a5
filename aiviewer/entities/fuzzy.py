"""Edit distance scaled to length: is a word a misspelling of a known name?

Speech recognition mangles names in ways nobody lists ("Raschka" → "Rashka", "Fridman" →
"Freedman").  The matcher only asks this question next to a strong anchor (a known first or
last name), so the test can stay cheap and a little generous; the first letter must agree,
since recognisers rarely get the onset of a name wrong.
"""

from __future__ import annotations


def allowed_edits(target: str) -> int:
    """1 edit up to 5 letters, 2 up to 9, 3 beyond; names under 4 letters are never fuzzy."""
    n = len(target)
    if n < 4:
        return 0
    return 1 if n <= 5 else 2 if n <= 9 else 3


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours costs 1), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def close_enough(word: str, target: str) -> bool:
    """True when `word` is a plausible misspelling of `target` (case-insensitive)."""
    limit = allowed_edits(target)
    if not limit or not word or word[0].lower() != target[0].lower():
        return False
    d = distance(word.lower(), target.lower(), limit)
    return 0 < d <= limit


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class WordIndex:
    """Single-word names (models, labs, products) reachable within one edit, found in O(length).

    A symmetric-deletion index (as in SymSpell): every name and each of its one-letter
    deletions map to the name; a word matches when it, or one of its one-letter deletions, is
    in the map.  That finds every name one insertion, deletion, substitution or swap away
    without comparing the word with each name; candidates are then checked exactly.
    """

    MIN_LENGTH = 6

    def __init__(self, names: dict[str, int]):
        self._names = {n.lower(): i for n, i in names.items() if len(n) >= self.MIN_LENGTH}
        self._index: dict[str, set[str]] = {}
        for name in self._names:
            for key in {name} | _deletions(name):
                self._index.setdefault(key, set()).add(name)

    def __len__(self) -> int:
        return len(self._names)

    def lookup(self, word: str) -> int | None:
        """The entity of the one name within one edit of `word` (same first letter), else None.

        Two names equally close make the word ambiguous: no answer rather than a guess.
        """
        w = word.lower()
        if len(w) < self.MIN_LENGTH or w in self._names:
            return None
        found: set[str] = set()
        for key in {w} | _deletions(w):
            found |= self._index.get(key, set())
        # same first letter; not an inflection or a cut-off of the name ("Striped", "Stripe")
        found = {n for n in found if n[0] == w[0] and not w.startswith(n)
                 and not n.startswith(w) and distance(w, n, 1) == 1}
        entities = {self._names[n] for n in found}
        return entities.pop() if len(entities) == 1 else None
