"""Why a passage matched by meaning: the words to highlight in its snippet.

A passage found by meaning need not share a word with the query, so FTS5 has no
term to mark and the snippet used to show the passage's first lines with no mark
at all — the reader could not see why it was there.  Two rules, in order:

1. the query's own words that do occur (the same word, or one sharing its first
   five letters: `reward` in "rewards", `distillation` in "distilled");
2. otherwise the passage's words closest in meaning to the whole query (cosine of
   the word's vector and the query's, with the same static model that ranked the
   passage): the closest one, and up to `TOP` - 1 more at `FLOOR` or above.

Function words are never marked: a static model puts "the" close to everything.
Pure: the embedder is passed in; nothing here reads the store.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

TOP = 3  # distinct words marked per passage
FLOOR = 0.35  # cosine below which a word explains nothing
_STEM = 5  # letters two words must share to count as the same word
_WORD = re.compile(r"[^\W_][\w'-]*")
STOP = frozenset("""
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how
i if in into is it its itself just know like me more most my myself no nor not now of
off on once only or other our ours ourselves out over own really right same she should
so some such than that the their theirs them themselves then there these they this
those through to too um uh under until up very was we were what when where which while
who whom why will with would yeah you your yours yourself yourselves going get got
kind sort thing things think lot okay oh well mean actually
""".split())

Span = tuple[int, int]


def _key(word: str) -> str:
    return word.casefold().strip("'-")


def query_terms(query: str) -> list[str]:
    """The query's content words, lower-cased, in order, without repeats."""
    return list(dict.fromkeys(w for w in map(_key, _WORD.findall(query))
                              if w and w not in STOP))


def occurring(text: str, terms: Sequence[str]) -> list[Span]:
    """Spans of the words of `text` that are one of `terms` (or share its first
    `_STEM` letters when both are that long)."""
    exact = set(terms)
    stems = {t[:_STEM] for t in terms if len(t) >= _STEM}
    out = []
    for m in _WORD.finditer(text):
        w = _key(m.group())
        if w in exact or (len(w) >= _STEM and w[:_STEM] in stems):
            out.append((m.start(), m.end()))
    return out


def closest_words(texts: Sequence[str], query: str, embedder) -> list[list[Span]]:
    """For each text, the spans to highlight (best word first; every occurrence of a
    chosen word).  `embedder.embed(list[str])` gives unit rows; one call embeds the
    distinct candidate words of all the texts together."""
    terms = query_terms(query)
    out: list[list[Span] | None] = []
    pending: list[tuple[int, list[tuple[int, int, str]]]] = []
    for i, text in enumerate(texts):
        found = occurring(text, terms) if terms else []
        if found:
            out.append(found)
            continue
        words = [(m.start(), m.end(), _key(m.group())) for m in _WORD.finditer(text)]
        words = [w for w in words if len(w[2]) >= 3 and w[2] not in STOP and not w[2].isdigit()]
        out.append(None)
        pending.append((i, words))
    if not pending or not query.strip():
        return [o or [] for o in out]
    vocab = list(dict.fromkeys(w for _, words in pending for _, _, w in words))
    if not vocab:
        return [o or [] for o in out]
    rows = embedder.embed([query, *vocab])
    sims = dict(zip(vocab, (rows[1:] @ rows[0]).tolist()))
    for i, words in pending:
        ranked = sorted({w for _, _, w in words}, key=lambda w: -sims[w])
        # the closest word always (it is why the passage is there, as near as one word
        # can say), the next ones only when they are close themselves
        chosen = ranked[:1] + [w for w in ranked[1:TOP] if sims[w] >= FLOOR]
        order = {w: r for r, w in enumerate(chosen)}
        spans = sorted(((s, e) for s, e, w in words if w in order),
                       key=lambda se: (order[_key(texts[i][se[0]:se[1]])], se[0]))
        out[i] = spans
    return [o or [] for o in out]
