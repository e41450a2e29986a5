"""Plain text and Markdown: labelled turns (`Name: text`, `**Name:**`, `Name
(00:12:34):` …), `>>` caption paragraphs, or just paragraphs — the fallback
form for anything no other parser claims.

Front matter and `- **Key:** value` bullets fill in title, date, URL, video id
and show, but never override what the text itself states (a `# Heading`
title wins over a front-matter one).
"""

from __future__ import annotations

import re

from aiviewer.errors import ParseError
from aiviewer.ingest import frontmatter
from aiviewer.ingest.clean import (
    first_sentence_title,
    html_to_text,
    looks_like_html,
    normalise_newlines,
    strip_comments,
    strip_markup,
    unescape_markdown,
)
from aiviewer.ingest.reflow import Cue, cues_to_segments
from aiviewer.ingest.turns import speaker_names, structure
from aiviewer.model import ParsedEpisode, ParsedSegment, ParsedSource

FORM = "labelled"

_H1 = re.compile(r"^\s*#\s+(?P<title>.+?)\s*#*\s*$")
_TURN_MARK = re.compile(r"(?:^|\s)>>+\s*")
_VIDEO_ID = re.compile(r"(?:youtube\.com/watch\?v=|youtu\.be/)(?P<id>[A-Za-z0-9_-]{11})")
_OUTLINE_HEADINGS = {"chapters", "timestamps", "outline", "chapter markers"}


def sniff(text: str, name: str) -> float:
    lines = text[:30000].splitlines()[:400]
    if len(speaker_names(lines)) >= 2:
        return 0.5
    if len(_TURN_MARK.findall(text[:30000])) >= 3:
        return 0.5
    return 0.1


def parse(text: str) -> ParsedSource:
    text = normalise_newlines(text).lstrip("\ufeff")
    page_title = None
    if looks_like_html(text):
        text, page_title = html_to_text(text)
    meta, body = frontmatter.split(text)
    body = strip_comments(body)  # comments may span lines; strip_markup sees one at a time
    lines = [unescape_markdown(strip_markup(ln)) for ln in body.split("\n")]
    bullet_meta, used = frontmatter.bullet_metadata(lines)
    for key, value in bullet_meta.items():
        meta.setdefault(key, value)
    lines = [ln for i, ln in enumerate(lines) if i not in used]
    title = None
    for i, line in enumerate(lines[:30]):
        m = _H1.match(line)
        if m:
            title = m.group("title").strip("*_ ")
            del lines[i]
            break
    title = title or meta.get("title") or page_title
    joined = "\n".join(lines)
    if len(_TURN_MARK.findall(joined)) >= 3 and not speaker_names(lines):
        segments, chapters = _caption_paragraphs(joined), []
    else:
        parsed = structure(lines)
        segments, chapters = parsed.segments, parsed.chapters
        if chapters:
            segments = [s for s in segments
                        if not (s.kind != "turn"
                                and s.text.lower().strip(" :*_") in _OUTLINE_HEADINGS)]
    if not any(s.text.strip() for s in segments):
        raise ParseError("no text found")
    video_id = meta.get("video_id")
    url = meta.get("url")
    if not video_id and url:
        m = _VIDEO_ID.search(url)
        video_id = m.group("id") if m else None
    derived = not title
    if not title:
        title = first_sentence_title("\n".join(s.text for s in segments[:3]))
    speakers = tuple(dict.fromkeys(s.speaker for s in segments if s.speaker))
    ep = ParsedEpisode(title=title or "", segments=tuple(segments), show=meta.get("show"),
                       date=meta.get("date"), url=url, video_id=video_id,
                       chapters=tuple(chapters), speakers=speakers, title_derived=derived)
    return ParsedSource(FORM, (ep,))


def _caption_paragraphs(text: str) -> list[ParsedSegment]:
    """`>> text >> text` (caption paragraphs where `>>` marks a new speaker)."""
    parts = _TURN_MARK.split(text)
    cues = [Cue(part.replace("\n", " "), new_turn=i > 0) for i, part in enumerate(parts)
            if part.strip()]
    return cues_to_segments(cues)
