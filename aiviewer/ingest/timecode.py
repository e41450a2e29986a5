"""Timestamps and chapter lines in the many spellings transcripts use.

    >>> parse_timestamp("1:02:03.5")
    3723500
    >>> parse_timestamp("02:12")
    132000
    >>> parse_chapter_line("(00:02:12) Galactica and open science")
    Chapter(start_ms=132000, title='Galactica and open science')
"""

from __future__ import annotations

import re

from aiviewer.model import Chapter

# h:mm:ss(.fff|,fff) | mm:ss(.fff)
TIMESTAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TS = re.compile(rf"^{TIMESTAMP}$")

_BULLET = r"(?:[*\-•+–]\s+|\d+[.)]\s+)?"
_CHAPTER = re.compile(
    rf"""^\s*{_BULLET}
        (?:\*\*)?\\?[\[(]?\s*(?P<ts>{TIMESTAMP})\s*\\?[\])]?(?:\*\*)?   # 00:00, [00:00], (00:00), \\[00:00\\]
        \s*(?:[-–—:|❙•]\s*)?                                       # optional separator
        (?P<title>\S.*?)\s*$""",
    re.VERBOSE,
)
_CHAPTER_TRAILING_TS = re.compile(
    rf"^\s*{_BULLET}(?P<title>\S.*?)\s*[-–—:|❙(\[]\s*(?P<ts>{TIMESTAMP})\s*[)\]]?\s*$"
)
_TAGS = re.compile(r"<[^>]{0,200}>")


def parse_timestamp(text: str) -> int | None:
    """'hh:mm:ss.fff', 'mm:ss', with ',' or '.' before fractions → milliseconds."""
    text = text.strip()
    if not _TS.match(text):
        return None
    frac_ms = 0
    m = re.search(r"[.,](\d{1,3})$", text)
    if m:
        frac_ms = int(m.group(1).ljust(3, "0"))
        text = text[: m.start()]
    parts = [int(p) for p in text.split(":")]
    if any(p >= 60 for p in parts[1:]):
        return None
    seconds = 0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds * 1000 + frac_ms


def parse_chapter_line(line: str) -> Chapter | None:
    """A line that is a timestamp and a title, in either order, with HTML tags and
    bullets removed; None for anything else (including a bare timestamp)."""
    if ":" not in line:
        return None  # cheap exit: most lines of a long transcript are prose
    line = _TAGS.sub(" ", line).replace("\\", "") if "<" in line or "\\" in line else line
    line = line.strip()
    if not line or len(line) > 300:
        return None
    m = _CHAPTER.match(line)
    if not m:
        m = _CHAPTER_TRAILING_TS.match(line)
        if not m:
            return None
    ms = parse_timestamp(m.group("ts"))
    # `**Break**: [15:22]` → "Break": emphasis markers and the separator are not title
    title = re.sub(r"\*\*|__", "", m.group("title")).strip().strip("*").strip().rstrip(":").strip()
    if ms is None or not title or not re.search(r"\w", title):
        return None
    return Chapter(start_ms=ms, title=title)


def chapters_from_lines(lines: list[str], min_count: int = 2) -> list[Chapter]:
    """Chapters from a block of lines: kept only when at least `min_count` lines are
    chapter lines and their times never go backwards (a real outline)."""
    found = [c for c in (parse_chapter_line(ln) for ln in lines) if c is not None]
    if len(found) < min_count:
        return []
    if any(b.start_ms < a.start_ms for a, b in zip(found, found[1:])):
        return []
    return found
