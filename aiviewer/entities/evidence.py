"""Episode-level evidence: what one text as a whole makes acceptable beyond catalog lookups.

The automaton finds what the catalog spells.  This pass, run once over the whole text after it,
generalises from what the text itself confirms:

* text that is not prose is not matched: HTML tags (with their `href`s), URLs, e-mail
  addresses and file names are blanked before matching (`mask_spans`);
* a link whose target is a paper host (arXiv, OpenReview, ACL Anthology, proceedings…) names a
  paper: its anchor text is a paper mention;
* bare tiers after a family mention: once "Gemini" (or any member) is in the text, "flash",
  "pro", "ultra" alone name Gemini Flash / Pro / Ultra; fused tokens made of two tiers
  ("protoflash") are split into both;
* initials: "EY" for a person named in full in the text, "LW" for a CamelCase name
  (LessWrong) present in it;
* people introduced by a cue ("joined by Ben X", "Introducing Igor", "I'm your host, Sam X",
  speaker tags "**Chris X:**") are people of this text: their first names count anywhere in it;
* misheard names: a capitalised word (or all-capital acronym) that sounds like a catalog name
  (same or one-off Metaphone key, `jellyfish`) and is close in letters (`rapidfuzz`) counts
  when the text confirms it: the entity, its family or its siblings are mentioned, or a kind
  cue stands next to it ("NURPS 2023", "… AI podcast").

Every mention this pass adds from sound or letters alone is marked `fuzzy`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import Levenshtein

# -- text that is not prose -----------------------------------------------------------

_TAG = re.compile(r"<[A-Za-z/!][^<>]{0,4000}>")  # HTML tags, with their attributes
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+")
_EMAIL_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_FILE_EXT = re.compile(r"\.(?:pdf|png|jpe?g|gif|svg|py|ipynb|jsonl?|csv|txt|md|html?|zip|gz|mp3|mp4"
                       r"|wav|vtt|srt|toml|ya?ml|js|ts|cpp|rs)\b")
_CODE = re.compile(r"`[^`\n]{1,200}`")


def mask_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that are markup, addresses, file names or code: never mentions.

    Each kind is looked for only when its marker character is in the text (a regex with
    all of them at every position ran at 8 MB/s)."""
    spans: list[tuple[int, int]] = []
    if "<" in text:
        spans += [m.span() for m in _TAG.finditer(text)]
    if _has_scheme(text) or "www." in text:
        spans += _urls(text)
    at = text.find("@")
    while at >= 0:  # e-mail addresses: expanded around each "@" (a regex from every
        a = at      # position ran at 10 MB/s)
        while a and (text[a - 1].isalnum() or text[a - 1] in "._+-"):
            a -= 1
        m = _EMAIL_HOST.match(text, at + 1)
        if a < at and m:
            spans.append((a, m.end()))
        at = text.find("@", at + 1)
    if "`" in text:
        spans += [m.span() for m in _CODE.finditer(text)]
    for m in _FILE_EXT.finditer(text):  # a file name: the word before the extension
        a = m.start()
        while a and (text[a - 1].isalnum() or text[a - 1] in "_-"):
            a -= 1
        if a < m.start():
            spans.append((a, m.end()))
    if not spans:
        return spans
    spans.sort()
    merged = [spans[0]]
    for a, b in spans[1:]:
        if a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _has_scheme(text: str) -> bool:
    """"://" in text, found from each "/" (few in prose; one character is a memchr, a
    three-character `in` reads every character: 5 M instructions of a per-episode pass)."""
    p = text.find("/")
    while p >= 0:
        if p and text.startswith("://", p - 1):
            return True
        p = text.find("/", p + 1)
    return False


def _urls(text: str) -> list[tuple[int, int]]:
    """The spans `_URL.finditer` gives, found from each "://" and "www." (str.find, C speed);
    the regex tried its alternation at every position: 5 MB/s."""
    starts = []
    for mark in ("://", "www."):
        p = text.find(mark)
        while p >= 0:
            if mark == "www.":
                starts.append(p)
            elif text.startswith("https", p - 5):
                starts.append(p - 5)
            elif text.startswith("http", p - 4):
                starts.append(p - 4)
            p = text.find(mark, p + 1)
    out: list[tuple[int, int]] = []
    end = 0
    for a in sorted(starts):
        if a < end:
            continue
        m = _URL.match(text, a)
        if m:
            out.append(m.span())
            end = m.end()
    return out


# -- links to papers ------------------------------------------------------------------

_LINK = re.compile(r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.S | re.I)
_MD_LINK = re.compile(r"\[([^\]\n]{8,300})\]\((https?://[^)\s]+)\)")
_PAPER_HOSTS = re.compile(
    r"https?://(?:[\w-]+\.)*(?:arxiv\.org|openreview\.net|aclanthology\.org|aclweb\.org"
    r"|proceedings\.neurips\.cc|papers\.nips\.cc|neurips\.cc|proceedings\.mlr\.press|jmlr\.org"
    r"|dl\.acm\.org/doi|doi\.org|ieeexplore\.ieee\.org|semanticscholar\.org|biorxiv\.org"
    r"|science\.org/doi|nature\.com/articles|ojs\.aaai\.org|ijcai\.org/proceedings"
    r"|openaccess\.thecvf\.com|paperswithcode\.com/paper)"
    r"|\.pdf(?:$|[#?])", re.I)


def paper_links(text: str) -> list[tuple[int, int]]:
    """(start, end) of anchor texts of links to papers, trimmed; three words or more."""
    out = []
    # a link needs "<" (a tag) or "]": one-character tests (memchr) before the longer ones,
    # which read every character
    if "<" in text and "href" in text:
        for m in _LINK.finditer(text):
            if _PAPER_HOSTS.search(m.group(1)):
                out.append(m.span(2))
    if "]" in text and "](" in text:
        for m in _MD_LINK.finditer(text):
            if _PAPER_HOSTS.search(m.group(2)):
                out.append(m.span(1))
    spans = []
    for a, b in out:
        inner = text[a:b]
        if "<" in inner:
            continue
        lead = len(inner) - len(inner.lstrip())
        a, b = a + lead, a + len(inner.rstrip())
        if len(text[a:b].split()) >= 3:
            spans.append((a, b))
    return spans


# -- sounds-like ------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    return jellyfish.metaphone(word)


def sounds_like(word: str, name: str) -> bool:
    """Same or one-off Metaphone key, the same first letter, and close in letters."""
    if not word or not name or word[0].lower() != name[0].lower():
        return False
    a, b = sound_key(word), sound_key(name)
    if not a or not b:
        return False
    if a != b and (min(len(a), len(b)) < 2 or Levenshtein.distance(a, b) > 1):
        return False
    w, n = word.lower(), name.lower()
    return Levenshtein.normalized_similarity(w, n) >= 0.4 and w != n


# -- people introduced by a cue ---------------------------------------------------------

_NAME = r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+(?:-[A-Z][a-z]+)?)?)"
_PERSON_CUES = re.compile(
    r"(?:\b(?:[Jj]oined by|[Ii]ntroducing|[Mm]y guest(?: today)? is|[Oo]ur guest(?: today)? is"
    r"|[Mm]y (?:co-?host|guest),?|[Ii]'?m your host,?|I am your host,?|[Ii]'m your co-?host,?"
    r"|[Tt]alking with|[Ii]nterview with|[Ww]elcome(?: back)?(?: to the (?:show|podcast))?,)"
    r"\s+" + _NAME + r")"
    r"|(?:^|\n)[ \t]*(?:\*\*|\[|- \[)" + _NAME + r"(?::\*\*|\*\*:|\])", re.M)

# after the head, a tag starts a line: led by the literal "\n" (searched for in C; "^" with
# re.M is tried at every position, a quarter of the matcher's time on a long text)
_SPEAKER_TAG = re.compile(r"\n[ \t]*(?:\*\*|\[|- \[)()" + _NAME + r"(?::\*\*|\*\*:|\])")
_INTRO_SPAN = 4000
PERSON_CUE_STOP = frozenset({"The", "This", "Today", "Everyone", "Back", "And", "So"})


# where a match of _PERSON_CUES can start: each cue phrase (found lower-cased, the regex then
# checks case and the rest) and each line start; (phrase, offset of the match from it)
_CUE_STARTS = (("joined by", 0), ("introducing", 0), ("my guest", 0), ("our guest", 0),
               ("my co", 0), ("'m your", -1), ("im your", 0), ("i am your", 0),
               ("talking with", 0), ("interview with", 0), ("welcome", 0))


def _cue_matches(head: str) -> list[re.Match]:
    """What `_PERSON_CUES.finditer(head)` gives, trying the regex only where a cue phrase
    or a line starts (str.find, C speed) instead of at every position."""
    low = _ascii_lower(head)
    starts = set()
    # one chained test first (every phrase holds one of these): most passages have none
    if ("joined by" in low or "introducing" in low or "guest" in low or "my co" in low
            or "m your" in low or "i am your" in low or "talking with" in low
            or "interview with" in low or "welcome" in low):
        for phrase, shift in _CUE_STARTS:
            p = low.find(phrase)
            while p >= 0:
                if p + shift >= 0:
                    starts.add(p + shift)
                p = low.find(phrase, p + 1)
    if "**" in head or "[" in head:  # a speaker tag needs one of them
        starts.add(0)
        p = head.find("\n")
        while p >= 0:
            starts.add(p)
            p = head.find("\n", p + 1)
    if not starts:
        return []
    out = []
    end = 0
    for a in sorted(starts):
        if a < end:
            continue
        m = _PERSON_CUES.match(head, a)
        if m:
            out.append(m)
            end = max(m.end(), a + 1)
    return out


def _ascii_lower(s: str) -> str:
    """`s.lower()` where only ASCII matters (the cue phrases are ASCII): the same offsets for
    every ASCII phrase.  The matcher's head is Latin-1 but seldom ASCII (stand-ins), and
    str.lower() maps such a str a character at a time through the Unicode tables: 8 M
    instructions of a 350 M per-episode pass over the seeds for 66 heads of 4,000
    characters, against ~0.1 M as bytes (no Latin-1 character lowers to an ASCII one)."""
    if s.isascii():
        return s.lower()
    try:
        return s.encode("latin-1").lower().decode("latin-1")
    except UnicodeEncodeError:
        return s.lower()


def introduced_people(cased: str) -> dict[str, tuple[str, int]]:
    """first name -> (full name or the first name alone, where the cue is) of the people
    a cue introduces."""
    out: dict[str, tuple[str, int]] = {}
    # introductions come at the start; speaker tags need "**" or "[" (the full pattern over a
    # whole long text would cost a quarter of the matcher's time)
    # the cue regex tries its alternation at every word: run it only when a cue word or a
    # speaker-tag marker is in the head at all (plain substring tests, C speed)
    head = cased[:_INTRO_SPAN]
    matches = _cue_matches(head)
    # (a tag needs a line break: the matcher's folded text has none, and then the two
    # substring tests over the whole text, 3% of the per-episode bench, are not made)
    if "\n" in cased and ("**" in cased or "[" in cased):
        matches += _SPEAKER_TAG.finditer(cased, _INTRO_SPAN - 1)
    for m in matches:
        name = m.group(1) or m.group(2)
        if not name:
            continue
        first = name.split(" ")[0]
        if first in PERSON_CUE_STOP:
            continue
        if first not in out:
            out[first] = (name, m.start())
        elif " " in name and " " not in out[first][0]:
            out[first] = (name, out[first][1])
    return out


# -- tiers, initials ----------------------------------------------------------------------

_WORDISH = re.compile(r"[A-Za-z]+")


# initials that are ordinary words of the field, never a name's: "AI" is not "AI Impacts"
# or "Apple Intelligence" (on the seeds this rule turned 1,152 "AI"s into "AI Impacts")
_NOT_INITIALS = frozenset({"AI", "ML", "US", "UK", "EU", "OK", "TV", "PC", "IT", "PR", "CS"})


def initials(canonical: str) -> str:
    """"Eliezer Yudkowsky" -> "EY"; "LessWrong" -> "LW"; "" when there is no such form."""
    x = _initials(canonical)
    return "" if x in _NOT_INITIALS else x


def _initials(canonical: str) -> str:
    parts = canonical.split(" ")
    if len(parts) == 2 and all(p[:1].isupper() for p in parts):
        if parts[0].isupper():  # "AI Impacts": its initials are its first word
            return ""
        return parts[0][0] + parts[1][0]
    if len(parts) == 1:
        caps = [c for c in canonical if c.isupper()]
        if len(caps) == 2 and canonical[0].isupper() and canonical[1:].replace(caps[1], "").islower():
            return "".join(caps)
    return ""


KIND_CUES = {
    "model": frozenset({"model", "models", "agent", "paper"}),
    "organization": frozenset({"podcast", "conference", "lab", "labs", "institute", "university",
                               "workshop", "show"}),
    "paper": frozenset({"paper"}),
    "benchmark": frozenset({"benchmark", "environment", "environments", "leaderboard"}),
    "product": frozenset({"library", "app", "package"}),
    "hardware": frozenset({"gpu", "gpus", "chip", "chips", "card", "cards"}),
    "technique": frozenset({"method", "technique", "library"}),
}
