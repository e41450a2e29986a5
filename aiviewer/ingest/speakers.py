"""Telling speaker labels from headings, and naming speakers nobody named.

`Nathan Lambert: Hey, Ross.` is a turn; `Cached Input: $0.30` and `Source
Catalog: https://…` are not.  Shape alone cannot decide that, so a label is a
speaker only when it looks like a name *and* recurs as a label in the same
episode (people take turns; headings appear once) — or when the source's own
structure (a timestamp, bold markup, a voice tag) says so.
"""

from __future__ import annotations

import re
from collections import Counter

# Words that head a line with a colon but are not people.
NOT_NAMES = frozenset("""
a an the and or but so if then note notes update updates edit edits guest guests host hosts
chapters chapter transcript timestamps timestamp summary summaries links link sources source
models model paper papers blog post posts example examples question questions answer answers
input output inputs outputs cached price pricing cost costs context catalog data dataset datasets
results result step steps part parts section sections tldr tl;dr disclaimer warning important
pros cons tip tips bonus video audio listen watch read website web site twitter x youtube
spotify apple podcast podcasts episode episodes show sponsor sponsors ad ads key takeaways
takeaway takeaways quote quotes related reading further context problem solution goal goals
topic topics thesis claim claims conclusion conclusions background intro introduction outro
prompt prompts response responses user assistant system human ai model's reward rewards
training inference benchmark benchmarks score scores total usage license paper's code repo
date time location where when what why how who which today yesterday tomorrow
break breaks music sound correction corrections caveat caveats reminder housekeeping p.s ps edit: tl dr
""".split())

NAME_WORD = r"[A-Z][\w’'.-]*"
# 1–4 capitalised words (particles like "de", "van" allowed inside), no digits
LABEL = (r"(?:Speaker|SPEAKER)[ _]?\d{1,2}(?!\d)|"
         rf"{NAME_WORD}(?:\s+(?:(?:de|van|der|von|da|del|la|le|bin|al)\s+)?{NAME_WORD}){{0,3}}")
_LABEL_AT_START = re.compile(rf"^\s*(?:\*\*)?(?P<name>{LABEL})(?:\*\*)?\s*:(?:\*\*)?\s+(?=\S)")
_ANON = re.compile(r"^(?:SPEAKER[_ ]?\d+|Speaker\s*\d+|Unknown(?: Speaker)?|Interviewer|Host)$",
                   re.I)


def looks_like_name(label: str) -> bool:
    """Capitalised words, no digits, not a heading word; `SPEAKER_00` counts."""
    label = label.strip()
    if _ANON.match(label):
        return True
    if not label or len(label) > 40 or any(ch.isdigit() for ch in label):
        return False
    words = label.split()
    if len(words) > 4:
        return False
    if any(w.lower().strip(".’'") in NOT_NAMES for w in words):
        return False
    if not all(w[0].isupper() for w in words if w.lower() not in
               {"de", "van", "der", "von", "da", "del", "la", "le", "bin", "al"}):
        return False
    # ALL-CAPS single words are headings ("NOTE:") unless they are diarization labels
    return not (len(words) == 1 and label.isupper() and len(label) > 2)


def label_at_start(line: str) -> tuple[str, str] | None:
    """(`name`, rest of line) when the line opens with `Name:` / `**Name:**` / `**Name**:`."""
    m = _LABEL_AT_START.match(line)
    if not m or not looks_like_name(m.group("name")):
        return None
    return m.group("name").strip(), line[m.end():]


_NUMBERED = re.compile(r"^(?:SPEAKER_?\d{1,2}|Speaker \d{1,2})$")


def is_anonymous(label: str) -> bool:
    """`SPEAKER_00`, `Speaker 2`: a diarizer's label, a speaker even when it occurs
    once (no heading is spelled like that; "Host:" and "Guest:" may well be)."""
    return bool(_NUMBERED.match(label.strip()))


def is_transcriber_label(label: str) -> bool:
    """A transcriber's number or letter rather than a name ("Speaker 1", "SPEAKER_00",
    "Speaker A" as `tidy_label` writes AssemblyAI's "A"): per episode, and a speaker the
    user has yet to name (the search chips, the reader's speaker bar)."""
    return is_anonymous(label) or bool(_LETTERED.match(label.strip()))


_LETTERED = re.compile(r"^Speaker [A-Z]$")


def recurring(labels: list[str], min_count: int = 2) -> set[str]:
    """Labels used at least `min_count` times; a two-person interview easily meets it,
    a heading never does."""
    counts = Counter(labels)
    return {name for name, n in counts.items() if n >= min_count}


def anonymous(n: int) -> str:
    """Stable label for the n-th unnamed voice (1-based); the user renames it later."""
    return f"Speaker {n}"


def tidy_label(label: str) -> str:
    """`SPEAKER_00` → `Speaker 1`, `A` → `Speaker A`; other labels (`Speaker 1`
    included) as written."""
    m = re.fullmatch(r"SPEAKER_?(\d+)", label.strip())  # diarizers count from 00
    if m:
        return anonymous(int(m.group(1)) + 1)
    label = re.sub(r"\s+", " ", label.strip())
    if re.fullmatch(r"[A-Z]|\d{1,2}", label):  # AssemblyAI "A", "B"; some tools 0, 1
        return f"Speaker {label}" if label.isalpha() else anonymous(int(label) + 1)
    return label
