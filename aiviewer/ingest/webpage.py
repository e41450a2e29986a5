"""Episode web pages: a title, the episode description, a chapter outline
(`00:00 Title`), and the site's chrome around them.

Such a page usually has show notes, not a transcript; it is imported as an
episode of its own and folds into the full episode when that arrives from
another source (its stated title and chapters are kept).
"""

from __future__ import annotations

import re

from aiviewer.errors import ParseError
from aiviewer.ingest.clean import normalise_newlines, strip_markup
from aiviewer.ingest.turns import structure
from aiviewer.model import ParsedEpisode, ParsedSource

FORM = "webpage"

_CHROME = re.compile(
    r"^(?:Podcast Episode Details|Episode Details|Back to (?:Podcast )?Episodes|Back to .{1,40}|"
    r"Donate|Share|Subscribe|Play|Pause|Download|Menu|Home|Sign in|Log in|Search|"
    r"Published on .*|Posted on .*|Listen now|Skip to (?:main )?content|Share this episode|"
    r"Copy link|Cookie.*|Privacy Policy|Terms(?: of (?:Service|Use))?|"
    r"If you like .{0,80}(?:consider|please).{0,80}(?:donat|support).*)$", re.I)
_PUBLISHED = re.compile(r"^(?:Published|Posted|Released)(?: on)?\s*:?\s*(?P<when>.+)$", re.I)
_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_LONG_DATE = re.compile(
    r"\b(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (?P<day>\d{1,2}),? "
    r"(?P<year>\d{4})\b")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_OUTLINE = re.compile(r"^\s*\(?\d{1,2}:\d{2}(?::\d{2})?\)?\s+\S", re.M)


def sniff(text: str, name: str) -> float:
    head = text[:20000]
    score = 0.0
    if re.search(r"^(?:Back to Podcast Episodes|Podcast Episode Details)\s*$", head, re.M | re.I):
        score = 0.8
    elif re.search(r"^Published on\b", head, re.M) and len(_OUTLINE.findall(head)) >= 2:
        score = 0.6
    return score


def parse(text: str) -> ParsedSource:
    lines = [strip_markup(ln).strip() for ln in normalise_newlines(text).split("\n")]
    date = None
    kept: list[str] = []
    for line in lines:
        m = _PUBLISHED.match(line)
        if m:
            date = date or _date(m.group("when"))
        if _CHROME.match(line):
            continue
        kept.append(line)
    nonblank = [ln for ln in kept if ln]
    if not nonblank:
        raise ParseError("the page holds no text besides site chrome")
    title = nonblank[0] if len(nonblank[0]) <= 250 else ""
    body = list(kept)
    if title:
        # drop the title and its repetitions at the top of the page
        start = body.index(title) + 1
        while start < len(body) and (not body[start] or body[start] == title):
            start += 1
        body = body[start:]
    parsed = structure(body, chapters_as_headings=False)
    ep = ParsedEpisode(title=title, segments=tuple(parsed.segments), date=date,
                       chapters=tuple(parsed.chapters), title_derived=not title)
    return ParsedSource(FORM, (ep,))


def _date(when: str) -> str | None:
    m = _ISO.search(when)
    if m:
        return m.group(1)
    m = _LONG_DATE.search(when)
    if m:
        month = _MONTHS.index(m.group("mon").lower()[:3]) + 1
        return f"{m.group('year')}-{month:02d}-{int(m.group('day')):02d}"
    return None  # "1 month, 2 weeks ago" is relative to a day we do not know
