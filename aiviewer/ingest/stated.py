"""Show names and dates that a file states in passing, read for every form.

Parsers read what their form's structure holds (front matter, a caption header);
many files also state the show in the title ("… | Lex Fridman Podcast #490"), the
date in a "Published March 3, 2025" line near the top, or both in a dated URL
(`/2025/03/14/…`).  What the parser found is never overwritten: these only fill
what is still empty.
"""

from __future__ import annotations

import re
from dataclasses import replace

from aiviewer.model import ParsedSource

MONTHS = {m: i for i, m in enumerate(
    ("january february march april may june july august september october november "
     "december").split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

# "… | Lex Fridman Podcast #490", "… - The Cognitive Revolution Ep. 12", "… | Latent Space"
_TITLE_SHOW = re.compile(
    r"\s[|•–—]\s*(?P<show>[^|•–—#]{3,60}?)\s*(?:(?:#|No\.\s*|Ep(?:isode)?\.?\s*)\d+)?\s*$")
_NUMBERED = re.compile(r"(?:#|No\.\s*|Ep(?:isode)?\.?\s*)\d+\s*$")
_SHOWISH = re.compile(r"\b(?:podcast|show|pod|radio|hour|talks?|cast)\b", re.I)
_PUBLISHED = re.compile(
    r"^\W*(?:published|posted|released|aired|recorded|date)(?:\s+on)?\s*[:\-–—]?\s*(?P<when>.{6,40})$",
    re.I | re.M)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d\d?)[-/.](?P<d>\d\d?)\b")
_MDY = re.compile(r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d\d?)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b")
_DMY = re.compile(r"\b(?P<d>\d\d?)(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>(?:19|20)\d\d)\b")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>\d\d)[/-](?P<d>\d\d)(?:/|-|$)")


def show_from_title(title: str) -> str | None:
    """The show a title names after a separator: numbered ("| X #490") or named as a
    show ("| X Podcast").  A plain subtitle ("Scaling | Part 2") is not a show."""
    m = _TITLE_SHOW.search(title or "")
    if not m:
        return None
    show = m.group("show").strip(" -:")
    numbered = bool(_NUMBERED.search(title))
    if not show or len(show.split()) > 7 or not (numbered or _SHOWISH.search(show)):
        return None
    if not show[0].isupper() and not show[0].isdigit():
        return None
    return show


def _valid(y: int, m: int, d: int) -> str | None:
    import datetime

    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """An ISO date from "2025-03-14", "March 14, 2025", "14 Mar 2025" in `text`."""
    if m := _ISO.search(text):
        return _valid(int(m["y"]), int(m["m"]), int(m["d"]))
    for rx in (_MDY, _DMY):
        if (m := rx.search(text)) and m["mon"].lower() in MONTHS:
            return _valid(int(m["y"]), MONTHS[m["mon"].lower()], int(m["d"]))
    return None


def date_from_text(text: str, lines: int = 40) -> str | None:
    """The date of a "Published …" line among the first `lines` lines."""
    head = "\n".join(text.splitlines()[:lines])
    for m in _PUBLISHED.finditer(head):
        if found := parse_date(m["when"]):
            return found
    return None


def date_from_url(url: str | None) -> str | None:
    m = _URL_DATE.search(url or "")
    return _valid(int(m["y"]), int(m["m"]), int(m["d"])) if m else None


def fill(source: ParsedSource, text: str) -> ParsedSource:
    """Fill each episode's empty show and date from what the file states."""
    one = len(source.episodes) == 1
    stated_date = date_from_text(text) if one else None
    episodes = []
    for ep in source.episodes:
        changes: dict = {}
        if not ep.show and not source.show_title and (show := show_from_title(ep.title)):
            changes["show"] = show
        if not ep.date:
            found = date_from_url(ep.url) or (stated_date if one else None) or (
                date_from_text(ep.description) if ep.description else None)
            if found:
                changes["date"] = found
        episodes.append(replace(ep, **changes) if changes else ep)
    return replace(source, episodes=tuple(episodes))

