"""Lines of prose → speaker turns, paragraphs, headings and chapters.

Shared by every form whose transcript is written text rather than timed cues
(Markdown and plain-text transcripts, feed entries, web pages).  The speaker
label styles seen in the wild all reduce to "a name, maybe a time, a colon":

    Nathan Lambert: text            **Name:** text      **Name**: text
    00:00:06 Nathan Lambert: text   [00:12] Name: text  \\[12:34\\] Name: text
    Name [00:01:07]: text           **Name** (00:12:34): text
    Name (01:02:03):                ← on a line of its own, the turn follows

A label counts only when that name is used as a label at least twice in the
text (or the caller already knows the speakers), so `Cached Input:` and
`Guest: Bryan Catanzaro` stay prose.  Lines without a label after a turn
continue that turn.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from aiviewer.ingest.clean import take_sounds
from aiviewer.ingest.speakers import LABEL, looks_like_name
from aiviewer.ingest.timecode import TIMESTAMP, parse_chapter_line, parse_timestamp
from aiviewer.model import Chapter, ParsedSegment

_TS = rf"\\?[\[(]?(?P<ts>{TIMESTAMP})(?![\d:])\\?[\])]?"
# a timestamp that must be bracketed: `(00:05)`, `[01:02:03]`, `\\[12:34\\]`
_BRACKETED_TS = rf"\\?[\[(](?P<ts>{TIMESTAMP})(?![\d:])\\?[\])]"
_NAME = rf"(?:\*\*|__)?(?P<name>{LABEL})(?:\*\*|__)?"
_PATTERNS = (
    # Name [00:01:07]: text  /  **Name** (00:12:34): text
    re.compile(rf"^\s*{_NAME}\s*{_TS}\s*(?:\*\*)?:(?:\*\*)?\s*(?P<text>.*)$"),
    # 00:00:06 Name: text  /  [00:12] **Name:** text
    re.compile(rf"^\s*{_TS}\s*[-–—]?\s*{_NAME}\s*:(?:\*\*|__)?\s*(?P<text>.*)$"),
    # **Name:** text  /  **Name**: text  /  Name: text
    re.compile(rf"^\s*{_NAME}\s*:(?:\*\*|__)?\s+(?P<text>\S.*)$"),
    # Name (01:02:03):   on its own line, or glued to its text when HTML was stripped:
    # `Nathan Lambert (00:05)Hey everybody`
    re.compile(rf"^\s*{_NAME}\s*{_BRACKETED_TS}\s*:?(?:\*\*|__)?\s*(?P<text>.*)$"),
    # **Name**   on its own line (bold only)
    re.compile(r"^\s*(?:\*\*|__)(?P<name>" + LABEL + r")(?:\*\*|__)\s*:?\s*(?P<text>)$"),
)
# `[06:09] Yeah.` — a time at the start of a turn's text (after its label) or of a
# continuation paragraph: the turn's start, or a time stamp to drop from the prose
_LEADING_TS = re.compile(rf"^\s*\\?[\[(](?P<ts>{TIMESTAMP})(?![\d:])\\?[\])]\s*")
_HEADING = re.compile(r"^\s*(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[*\-•+]\s+")


@dataclass(frozen=True)
class _Label:
    name: str
    ms: int | None
    text: str
    strong: bool  # the source's own structure (a time, bold) marks it as a label


def match_label(line: str) -> _Label | None:
    if ":" not in line and "**" not in line and "__" not in line:
        return None  # every label style has a colon (in the label or its time) or bold
    for i, pattern in enumerate(_PATTERNS):
        m = pattern.match(line)
        if not m:
            continue
        name = m.group("name").strip()
        if not looks_like_name(name):
            return None
        ts = m.groupdict().get("ts")
        ms = parse_timestamp(ts) if ts else None
        if ts and ms is None:
            return None
        strong = ms is not None or "**" in line[:len(name) + 8] or i == 4
        return _Label(name, ms, m.group("text").strip(), strong)
    return None


def speaker_names(lines: list[str], known: tuple[str, ...] = ()) -> set[str]:
    """Names used as labels twice or more (or already known for the episode)."""
    counts = Counter(lab.name for ln in lines if (lab := match_label(ln)))
    return {n for n, c in counts.items() if c >= 2} | set(known)


@dataclass
class Structured:
    segments: list[ParsedSegment]
    chapters: list[Chapter]


def structure(lines: list[str], known_speakers: tuple[str, ...] = (),
              chapters_as_headings: bool = False) -> Structured:
    """Classify each line; build turns, paragraphs, headings and chapters."""
    names = speaker_names(lines, known_speakers)
    chapter_runs = _chapter_lines(lines, names)
    segments: list[ParsedSegment] = []
    chapters: list[Chapter] = []
    in_turn = False
    pending: _Label | None = None  # a label on its own line waiting for its text
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if i in chapter_runs:
            chapter = chapter_runs[i]
            chapters.append(chapter)
            if chapters_as_headings:
                segments.append(ParsedSegment(chapter.title, None, chapter.start_ms, None,
                                              "heading"))
                in_turn = False
            continue
        heading = _HEADING.match(line)
        if heading:
            segments.append(ParsedSegment(heading.group("text").strip("*_ "), kind="heading"))
            in_turn = False
            continue
        label = match_label(line)
        if label and label.name in names:
            if not label.text:
                pending = label
                continue
            text, ms = _leading_time(label.text)
            segments.append(_segment(text, label.name, label.ms if label.ms is not None else ms))
            in_turn = True
            pending = None
            continue
        if pending is not None:
            segments.append(_segment(line, pending.name, pending.ms))
            pending = None
            in_turn = True
            continue
        if in_turn and segments and segments[-1].kind == "turn":
            last = segments[-1]
            text, sounds = take_sounds(_leading_time(line)[0])
            if text:
                segments[-1] = ParsedSegment(f"{last.text}\n\n{text}", last.speaker,
                                             last.start_ms, None, "turn", last.sounds + sounds)
            continue
        text, sounds = take_sounds(_BULLET.sub("• ", line))
        if text:
            segments.append(ParsedSegment(text, None, None, None, "paragraph", sounds))
    return Structured(_end_times(segments), chapters)


def _leading_time(text: str) -> tuple[str, int | None]:
    m = _LEADING_TS.match(text)
    if not m or m.end() == len(text):
        return text, None
    return text[m.end():], parse_timestamp(m.group("ts"))


def _segment(text: str, name: str, ms: int | None) -> ParsedSegment:
    text, sounds = take_sounds(text)
    return ParsedSegment(text, name, ms, None, "turn", sounds)


def _chapter_lines(lines: list[str], names: set[str]) -> dict[int, Chapter]:
    """Chapter outline lines: a time and a short title, not a speaker turn, and
    times that do not go backwards within a run."""
    found: dict[int, Chapter] = {}
    last_ms = -1
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or len(line) > 200:
            continue
        label = match_label(line)
        if label and label.name in names:
            continue
        chapter = parse_chapter_line(line)
        if chapter is None or len(chapter.title.split()) > 16:
            continue
        if chapter.start_ms < last_ms:
            last_ms = -1  # a new outline (another list) starts
        found[i] = chapter
        last_ms = chapter.start_ms
    return found


def _end_times(segments: list[ParsedSegment]) -> list[ParsedSegment]:
    """A timed turn ends where the next timed one starts."""
    timed = [i for i, s in enumerate(segments) if s.kind == "turn" and s.start_ms is not None]
    out = list(segments)
    for a, b in zip(timed, timed[1:]):
        s = out[a]
        nxt = out[b].start_ms
        if nxt is not None and nxt >= (s.start_ms or 0):
            out[a] = ParsedSegment(s.text, s.speaker, s.start_ms, nxt, s.kind, s.sounds)
    return out
