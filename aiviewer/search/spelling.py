"""“Did you mean” and fuzzy-term expansion, with whoosh's spelling corrector.

The dictionary is the library's own vocabulary: the unstemmed words of the
transcript index (`fts_vocab`, with how many segments hold each) plus entity
names.  Unstemmed matters: from a stemmed vocabulary the corrector suggests stems
such as `entropi` for `antropic`.  whoosh's `ListCorrector` walks a Levenshtein
automaton over the sorted word list; we rank its candidates by distance, then by
how common the word is in the library.

One `Speller` is cached per store and rebuilt when the text changes (checked
cheaply on every use, see `speller_for`).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.spelling import ListCorrector

from aiviewer.search.cache import PerStore
from aiviewer.store import Store, fts

_WORD = re.compile(r"^[^\W\d_][\w'-]*$")


class _RankedCorrector(ListCorrector):
    """ListCorrector ranking by edit distance, then by document frequency.

    Distance-2 candidates must share the first letter (`prefix=1`): it keeps the
    automaton walk an order of magnitude cheaper, and first letters are rarely the
    mistake.
    """

    def __init__(self, words: list[str], freq: dict[str, int]):
        super().__init__(words)
        self.freq = freq

    def _suggestions(self, text, maxdist, prefix):
        seen = set()
        for dist in range(1, maxdist + 1):
            dfa = levenshtein_automaton(text, dist, max(prefix, dist - 1)).to_dfa()
            for word in find_all_matches(dfa, _Skipper(self.wordlist)):
                if word not in seen:
                    seen.add(word)
                    f = self.freq.get(word, 1)
                    yield (0.5 * f / (f + 1) - dist), word


class _Skipper:
    """Next word >= w in the sorted list (the lookup find_all_matches walks with)."""

    def __init__(self, data: list[str]):
        self.data = data

    def __call__(self, w: str) -> str | None:
        pos = bisect_left(self.data, w)
        return self.data[pos] if pos < len(self.data) else None


# No word of any language is longer; a 20,000-character "word" made the automaton
# walk take 6-41 s (issue 12), so longer ones get no suggestions or fuzzy matches.
MAX_WORD = 40


class Speller:
    """Spelling suggestions over one vocabulary (lower-case words → segment counts)."""

    def __init__(self, vocabulary: dict[str, int]):
        self.freq = {w: n for w, n in vocabulary.items() if _WORD.match(w)}
        self.corrector = _RankedCorrector(sorted(self.freq), self.freq)

    def known(self, word: str) -> bool:
        return word.lower() in self.freq

    def expand(self, word: str, maxdist: int = 1, limit: int = 20) -> list[str]:
        """Indexed words within `maxdist` edits of `word` (itself first if indexed)."""
        key = word.lower()
        out = [key] if key in self.freq else []
        if len(key) < 3 or len(key) > MAX_WORD:
            return out
        return out + self.corrector.suggest(key, limit=limit, maxdist=min(2, maxdist))

    def suggest(self, word: str) -> str | None:
        """The best correction for an unknown word, or None (known, or nothing close)."""
        key = word.lower()
        if len(key) > MAX_WORD or key in self.freq or len(key) < 3 or not _WORD.match(key):
            return None
        found = self.corrector.suggest(key, limit=1, maxdist=1 if len(key) < 6 else 2)
        return found[0] if found else None


_cache: PerStore[Speller] = PerStore()


def speller_for(store: Store) -> Speller:
    """The store's speller, rebuilt when its segments or mentions changed."""
    return _cache.get(store, fts.signature(store.db), lambda: _build(store))


def _build(store: Store) -> Speller:
    words = dict(fts.vocabulary(store.db))
    for name in fts.entity_names(store.db):
        for part in name.lower().split():
            words.setdefault(part, 1)
    return Speller(words)


def invalidate(store: Store) -> None:
    """Forget the cached speller (after `reindex`)."""
    _cache.drop(store)
