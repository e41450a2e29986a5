"""YouTube caption text: one short caption per line, `>>` where the speaker changes.

Covers the raw export (`Kind: captions`, `Language: en`, a `VIDEOID • Title`
line) and transcript-site previews of it (title line, `VIDEOID • YYYY-MM-DD`,
"Transcript preview" and "Resume / Read / Categories" chrome around a
truncated text).  A preview is marked as such so that it never replaces the
full text of the same video.
"""

from __future__ import annotations

import re

from aiviewer.errors import ParseError
from aiviewer.ingest.clean import normalise_newlines, strip_markup
from aiviewer.ingest.reflow import Cue, cues_to_segments
from aiviewer.ingest.speakers import looks_like_name
from aiviewer.model import ParsedEpisode, ParsedSource

FORM = "captions"

_KIND = re.compile(r"^Kind:\s*captions\s*$", re.M | re.I)
_LANGUAGE = re.compile(r"^Language:\s*[\w-]+\s*$", re.I)
_VIDEO_LINE = re.compile(r"^(?P<id>[A-Za-z0-9_-]{11})\s+[•·|-]\s+(?P<rest>.+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADER_CHROME = re.compile(
    r"^(?:Transcript|Transcript preview|Open|Copy|Download|Share|Show transcript|Captions)$", re.I)
_FOOTER_CHROME = re.compile(
    r"^(?:Resume|Read|Categories|Manage|Open|Share|Copy|Download|Back to top|"
    r"file updated .*|last updated .*|updated \d{4}-\d{2}-\d{2}.*)$", re.I)
_PATH = re.compile(r"^(?:/|[A-Za-z]:\\|\S+\.zst#|\S+/\S+\.(?:txt|vtt|srt|json)$)")
_TURN = re.compile(r"^\s*(?:>>+|-\s)\s*")
_NAME_TAG = re.compile(r"^\s*\[(?P<name>[^\]\d]{2,40})\]\s*")


def sniff(text: str, name: str) -> float:
    if _KIND.search(text[:4000]):
        return 0.9
    lines = [ln for ln in text[:20000].splitlines() if ln.strip()]
    if len(lines) < 30 or re.search(r"-->", text[:4000]):
        return 0.0
    short = sum(len(ln) <= 60 for ln in lines) / len(lines)
    turns = sum(ln.lstrip().startswith(">>") for ln in lines)
    timed = sum(bool(re.match(r"^\s*\[?\d{1,2}:\d{2}", ln)) for ln in lines)
    if short > 0.85 and turns >= 2 and timed == 0:
        return 0.6
    return 0.0


def parse(text: str) -> ParsedSource:
    lines = normalise_newlines(text).split("\n")
    kind_at = next((i for i, ln in enumerate(lines[:60]) if _KIND.match(ln.strip())), None)
    header_end = kind_at if kind_at is not None else 0
    header = [ln.strip() for ln in lines[:header_end] if ln.strip()]
    body = lines[header_end + 1 if kind_at is not None else 0:]
    if body and _LANGUAGE.match(body[0].strip()):
        body = body[1:]
    title, date, video_id, preview = _read_header(header)
    # trailing site chrome
    while body and (not body[-1].strip() or _FOOTER_CHROME.match(body[-1].strip())):
        body.pop()
    cues = []
    for raw in body:
        line = strip_markup(raw).strip()
        if not line or _LANGUAGE.match(line):
            continue
        new_turn = bool(_TURN.match(line))
        if new_turn:
            line = _TURN.sub("", line, count=1)
        speaker = None
        m = _NAME_TAG.match(line)
        if m and looks_like_name(m.group("name")) and m.group("name").lower() not in _NOT_TAG:
            speaker, line = m.group("name").strip(), line[m.end():]
        cues.append(Cue(line, speaker=speaker, new_turn=new_turn))
    segments = cues_to_segments(cues)
    if not segments:
        raise ParseError("the captions hold no text")
    ep = ParsedEpisode(title=title or "", segments=tuple(segments), date=date,
                       video_id=video_id,
                       url=f"https://www.youtube.com/watch?v={video_id}" if video_id else None,
                       speakers=tuple(dict.fromkeys(s.speaker for s in segments if s.speaker)),
                       title_derived=not title, is_preview=preview)
    return ParsedSource(FORM, (ep,))


_NOT_TAG = {"music", "laughter", "applause", "inaudible", "crosstalk", "foreign", "silence"}


def _read_header(header: list[str]) -> tuple[str | None, str | None, str | None, bool]:
    title = date = video_id = None
    preview = False
    for line in header:
        if line.lower() == "transcript preview":
            preview = True
        if _HEADER_CHROME.match(line) or _PATH.match(line):
            continue
        m = _VIDEO_LINE.match(line)
        if m:
            video_id = m.group("id")
            rest = m.group("rest").strip()
            if _DATE.match(rest):
                date = rest
            elif not title:
                title = rest
            continue
        if not title and len(line) <= 300:
            title = line
    return title, date, video_id, preview
