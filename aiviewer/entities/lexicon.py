"""Ordinary words: what a capitalised word that merely *sounds* like a name usually is.

On whole episodes the sounds-like and edit-distance rules of the evidence pass took ordinary
words for names whenever the entity was present somewhere in the text: "Silicon" (Valley) for
Slack, "April" for Apple, "Apr"/"Nov" for Apertus/Nous, "South" (America) for Sora, "Daniel"
for DALL-E.  What these have in common is that they are words of general English — common
nouns, month and day names, place names, common first names — and a reader takes them as
such.  A misheard name ("Godot" for Gato, "Twimball" for TWIML) is rare in general English.

The list of general English comes from `wordfreq` (maintained word frequencies from many
sources, place and person names included): a word seen at least once per million words is
ordinary (~29,000 words).  Its large list also says which words exist at all in written
English, rarely: "Pareto", "Cline", "Florian", "Dolci" are names in their own right, written
on purpose, while "Twimball" or "Whimo" exist nowhere — only a mis-hearing makes them.  It
loads in under a second, so only when a rule first asks, and is kept in the cache directory.
"""

from __future__ import annotations

import os
from functools import lru_cache

from aiviewer import paths

# months and days, and their abbreviations, in any case ("Apr 2025", "Nov 2023", "Mar")
CALENDAR = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
""".split())

# a word this frequent (per word of English) is an ordinary word even as two capitals ("IN")
FREQUENT = 1e-5
ORDINARY = 1e-6  # once per million words: general English
KNOWN = 10 ** (1.5 - 9)  # zipf 1.5: a word written somewhere on purpose (a name, a term)


@lru_cache(maxsize=3)
def _tier(k: int) -> frozenset[str] | None:
    """0: frequent (~3,000 words), 1: ordinary (~29,000), 2: known (~174,000), each read
    only when a rule first asks (the known words rarely).  wordfreq takes ~0.8 s to load its
    list, more than the rest of an import of the seeds, so the three lists are kept in the
    cache directory, one a file (derived data: rebuilt when missing or when wordfreq
    changes).  None when wordfreq or its English list cannot be had (a frozen app built
    without its data): the rules then take every word as ordinary, so that letters alone
    make suggestions only, never a confident mention, and nothing fails."""
    from importlib.util import find_spec

    # the installed wordfreq, told apart by its file's size and time (cheap: no import)
    try:
        spec = find_spec("wordfreq")
        st = os.stat(spec.origin) if spec and spec.origin else None
    except (OSError, ImportError, ValueError):
        st = None  # frozen: the module is inside the archive
    mark = f"{st.st_size}-{int(st.st_mtime)}" if st else "bundled"
    stem = f"wordfreq-en-{mark}-{FREQUENT}-{ORDINARY}-{KNOWN:.3g}"
    path = paths.cache_dir() / f"{stem}-{k}.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split("\n"))
    except OSError:
        pass
    try:
        from wordfreq import get_frequency_dict

        freq = get_frequency_dict("en", wordlist="large")
    except Exception:  # noqa: BLE001 — any failure of an optional word list: see above
        return None
    tiers = [sorted(w for w, f in freq.items() if f >= bar and w and "\n" not in w)
             for bar in (FREQUENT, ORDINARY, KNOWN)]
    for j, words in enumerate(tiers):  # a read-only cache costs the load each time
        if not paths.keep_cached(path.with_name(f"{stem}-{j}.txt"),
                                 "\n".join(words).encode("utf-8")):
            break
    return frozenset(tiers[k])


def bare(word: str) -> str:
    """The word without a possessive ending, lower case."""
    low = word.lower()
    for tail in ("'s", "\u2019s"):
        if low.endswith(tail):
            return low[:-len(tail)]
    return low


@lru_cache(maxsize=65536)
def ordinary(word: str) -> bool:
    """True when `word` (any case, possessive allowed) is a word of general English, a month
    or a day: a name that merely sounds like it needs more than sound to be meant."""
    low = bare(word)
    words = _tier(1)
    return low in CALENDAR or words is None or low in words


@lru_cache(maxsize=65536)
def known(word: str) -> bool:
    """True when written English has `word` at all (zipf >= 1.5): a name of its own."""
    words = _tier(2)
    return words is None or bare(word) in words


@lru_cache(maxsize=65536)
def frequent(word: str) -> bool:
    """True for very common words ("in", "it", "on"): letters that never stand for initials."""
    low = bare(word)
    words = _tier(0)
    return low in CALENDAR or words is None or low in words


@lru_cache(maxsize=65536)
def camel(word: str) -> bool:
    """"CapEx", "ReTool", "GenAI", "RLFor": capitals inside a word that also has lower-case
    letters.  Such spellings are written on purpose (products, tickers) or two words run
    together, not what speech recognition makes of a name."""
    w = word[:-2] if word.endswith(("'s", "\u2019s")) else word
    return any(c.islower() for c in w) and any(c.isupper() for c in w[1:])
