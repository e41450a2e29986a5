"""Podcast-app pages: summaries, a chapter list, a "We mention" list and a full
transcript of `Name [hh:mm:ss]: text` lines, wrapped in the app's chrome.

Chrome is recognised by what it is, not by its wording: lines repeated on the
page (the app's slogans appear at top and bottom), and short label-like lines
with no sentence in them ("AI-powered", "YouTube").  Everything after the last
turn that is chrome ends the transcript.
"""

from __future__ import annotations

import re
from collections import Counter

from aiviewer.errors import ParseError
from aiviewer.ingest.clean import normalise_newlines, strip_markup
from aiviewer.ingest.speakers import LABEL, looks_like_name
from aiviewer.ingest.timecode import TIMESTAMP, parse_chapter_line, parse_timestamp
from aiviewer.model import Chapter, ParsedEpisode, ParsedSegment, ParsedSource

FORM = "apppage"

_TURN = re.compile(
    rf"^\s*(?:\*\*)?(?P<name>{LABEL})(?:\*\*)?\s*[\[(](?P<ts>{TIMESTAMP})[\])]\s*:\s*(?P<text>.*)$")
_HEADINGS = {"chapters": "chapters", "timestamps": "chapters", "we mention": "mention",
             "mentioned": "mention", "links": "mention", "show notes": "notes",
             "summary": "notes", "summaries": "notes", "transcript": "transcript",
             "episode transcript": "transcript", "full transcript": "transcript"}


def sniff(text: str, name: str) -> float:
    head = text[:60000]
    if re.match(r"\A\ufeff?(?:---|\+\+\+)[ \t]*\n", head) or re.search(r"^#{1,3} \S", head, re.M):
        return 0.0  # front matter or Markdown headings: a document (the labelled form)
    turns = sum(1 for ln in head.splitlines()[:2000] if _TURN.match(ln))
    if turns >= 5:
        return 0.85
    if turns >= 2:
        return 0.3  # the labelled form reads a short `Name [00:01]:` text as well
    return 0.0


def parse(text: str) -> ParsedSource:
    lines = [strip_markup(ln).strip() for ln in normalise_newlines(text).split("\n")]
    first_turn = next((i for i, ln in enumerate(lines) if _turn(ln)), None)
    if first_turn is None:
        raise ParseError("no `Name [hh:mm:ss]: text` transcript lines found")
    counts = Counter(ln for ln in lines if ln)
    repeated = {ln for ln, n in counts.items() if n > 1 and len(ln.split()) > 2}

    def chrome(line: str) -> bool:
        if line in repeated:
            return True
        words = line.split()
        # "AI-powered", "podcast player", "YouTube": a label, not a sentence
        return 0 < len(words) <= 3 and not re.search(r"[.!?:]$", line) and \
            line.lower() not in _HEADINGS

    notes: list[str] = []
    chapters: list[Chapter] = []
    mentioned: list[str] = []
    section = "notes"
    for line in lines[:first_turn]:
        if not line:
            continue
        key = line.lower().rstrip(":")
        if key in _HEADINGS:
            section = _HEADINGS[key]
            continue
        chapter = parse_chapter_line(line)
        if chapter and (section == "chapters" or line.startswith(("*", "-", "["))):
            chapters.append(chapter)
            continue
        if section == "mention" and line.startswith(("* ", "- ", "• ")):
            mentioned.append(line[2:].strip())
            continue
        if section == "transcript" or chrome(line):
            continue  # credits and app labels between the heading and the first turn
        notes.append(line)

    last_turn = max(i for i, ln in enumerate(lines) if _turn(ln))
    turns: list[tuple[str, int | None, list[str]]] = []  # speaker, start, paragraphs
    for i, line in enumerate(lines[first_turn:], first_turn):
        if not line:
            continue
        m = _turn(line)
        if m:
            turns.append((m.group("name").strip(), parse_timestamp(m.group("ts")),
                          [m.group("text").strip()]))
            continue
        if i > last_turn and chrome(line):
            break  # the app's footer
        if line in repeated:
            continue  # the app's slogan between turns; a short reply like "Exactly" is speech
        turns[-1][2].append(line)  # a paragraph without a label continues the turn
    segments = [ParsedSegment("\n\n".join(p for p in paras if p), name, ms)
                for name, ms, paras in turns]
    segments = _with_end_times(segments)
    speakers = tuple(dict.fromkeys(s.speaker for s in segments))
    title = _title(lines[:first_turn], speakers)
    ep = ParsedEpisode(
        title=title, segments=tuple(segments), description="\n\n".join(notes) or None,
        chapters=tuple(chapters), mentioned=tuple(mentioned), speakers=speakers,
        title_derived=True)
    return ParsedSource(FORM, (ep,))


def _turn(line: str):
    m = _TURN.match(line)
    if m and looks_like_name(m.group("name")) and parse_timestamp(m.group("ts")) is not None:
        return m
    return None


def _with_end_times(segments: list[ParsedSegment]) -> list[ParsedSegment]:
    out = []
    for seg, nxt in zip(segments, [*segments[1:], None]):
        end = nxt.start_ms if nxt is not None else None
        out.append(ParsedSegment(seg.text, seg.speaker, seg.start_ms, end, "turn", seg.sounds))
    return out


def _title(head: list[str], speakers: tuple[str, ...]) -> str:
    """The app page states no title; name the conversation after who is in it."""
    if len(speakers) >= 2:
        return f"{speakers[0]} with {', '.join(speakers[1:4])}"
    return speakers[0] if speakers else ""
