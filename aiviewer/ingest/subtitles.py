"""WebVTT and SubRip: timed cues, merged into sentences and paragraphs.

Speakers come from `<v Name>` voice tags, `Name:` prefixes that recur, `[Name]`
tags, or `-`/`>>` change marks.  Styling, word-timing tags (`<00:00:00.899><c>`)
and cue settings are dropped; YouTube's rolling auto-captions (each cue repeats
the previous line) come out once.
"""

from __future__ import annotations

import re

from aiviewer.errors import ParseError
from aiviewer.ingest.clean import normalise_newlines, strip_markup
from aiviewer.ingest.reflow import Cue, cues_to_segments
from aiviewer.ingest.speakers import label_at_start, looks_like_name, recurring
from aiviewer.ingest.timecode import parse_timestamp
from aiviewer.model import ParsedEpisode, ParsedSource

FORM = "subtitles"

_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s*-->\s*(?P<end>{_TIME})(?P<settings>.*)$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>", re.I)
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>")
_STYLE = re.compile(r"</?(?:c|i|b|u|v|lang|ruby|rt|font)(?:[.\s][^>]*)?>", re.I)
_SRT_STYLE = re.compile(r"\{\\[^}]*\}")
_DASH_TURN = re.compile(r"^\s*(?:-|>>+)\s*")
_NAME_TAG = re.compile(r"^\s*\[(?P<name>[^\]\d]{2,40})\]\s*")
_META = re.compile(r"^(?P<key>Title|Kind|Language|X-[\w-]+)\s*:\s*(?P<value>.*)$", re.I)


def sniff(text: str, name: str) -> float:
    head = text.lstrip("\ufeff \n")[:4000]
    if head.startswith("WEBVTT"):
        return 1.0
    if re.search(rf"^\s*\d+\s*\n\s*{_TIME}\s*-->\s*{_TIME}", head, re.M):
        return 0.95
    if len(re.findall(rf"{_TIME}\s*-->", head)) >= 2:
        return 0.8
    if name.lower().endswith((".vtt", ".srt")):
        return 0.55  # named as subtitles but malformed: say so rather than import it as prose
    return 0.0


def parse(text: str) -> ParsedSource:
    text = normalise_newlines(text).lstrip("\ufeff")
    title, raw_cues, bad_blocks = _read_cues(text.split("\n"))
    if not raw_cues:
        raise ParseError("no subtitle cues found (expected `00:00:01.000 --> 00:00:02.000` timings)"
                         if bad_blocks else "the subtitle file holds no cues")
    cues = _to_cues(raw_cues)
    segments = cues_to_segments(cues)
    if not segments:
        raise ParseError("the subtitle cues hold no text")
    speakers = tuple(dict.fromkeys(s.speaker for s in segments if s.speaker))
    ep = ParsedEpisode(title=title or "", segments=tuple(segments), speakers=speakers,
                       title_derived=not title)
    return ParsedSource(FORM, (ep,))


def _read_cues(lines: list[str]) -> tuple[str | None, list[tuple[int, int, str]], int]:
    """(title, cues as (start, end, body), count of text blocks that are not cues).

    A cue runs from its timing line to the next timing line, not to the next
    blank line: YouTube's rolling captions put a line holding one space inside
    a cue, which a blank-line splitter would cut in two.  The identifier line
    before a timing line (a number, or any line after a blank one) is not text.
    """
    title = None
    timing_at = [i for i, ln in enumerate(lines) if _TIMING.match(ln)]
    first = timing_at[0] if timing_at else len(lines)
    bad_blocks = 0
    # the head: `WEBVTT` and its header lines, NOTE/STYLE/REGION blocks, stray text
    in_header = in_skip = False
    block_start = True
    for i, line in enumerate(lines[:first]):
        stripped = line.strip()
        if not stripped:
            in_header = in_skip = False
            block_start = True
            continue
        if line.startswith("WEBVTT"):
            in_header = True
        elif in_header:
            m = _META.match(stripped)
            if m and m.group("key").lower() == "title":
                title = m.group("value").strip() or None
        elif block_start and line.startswith(("NOTE", "STYLE", "REGION")):
            in_skip = True
        elif not in_skip and not _is_identifier(lines, i, first):
            if block_start:
                bad_blocks += 1
        block_start = False
    cues: list[tuple[int, int, str]] = []
    for k, at in enumerate(timing_at):
        stop = timing_at[k + 1] if k + 1 < len(timing_at) else len(lines)
        body = _drop_blocks([ln for j, ln in enumerate(lines[at + 1:stop], at + 1)
                             if ln.strip() and not _is_identifier(lines, j, stop)])
        m = _TIMING.match(lines[at])
        start, end = parse_timestamp(m.group("start")), parse_timestamp(m.group("end"))
        if start is None or end is None:
            bad_blocks += 1
            continue
        cues.append((start, end, "\n".join(body)))
    return title, cues, bad_blocks


def _is_identifier(lines: list[str], i: int, timing: int) -> bool:
    """Line i is the identifier of the cue whose timing line is `timing`."""
    if i != timing - 1 or timing >= len(lines) or not lines[i].strip():
        return False
    return lines[i].strip().isdigit() or i == 0 or not lines[i - 1].strip()


def _drop_blocks(body: list[str]) -> list[str]:
    """NOTE blocks between cues are comments, not speech."""
    out = []
    for ln in body:
        if ln.startswith(("NOTE ", "NOTE\t")) or ln.strip() == "NOTE":
            break
        out.append(ln)
    return out


def _clean_cue(body: str) -> tuple[str | None, list[str]]:
    """Voice name (if any) and the cue's lines with all markup gone."""
    voice = None
    m = _VOICE.search(body)
    if m:
        voice = m.group("name").strip()
    body = _INLINE_TIME.sub("", body)
    body = _VOICE.sub("", body)
    body = _STYLE.sub("", body)
    body = _SRT_STYLE.sub("", body)
    body = strip_markup(body)
    return voice, [ln.strip() for ln in body.split("\n") if ln.strip()]


def _to_cues(raw_cues: list[tuple[int, int, str]]) -> list[Cue]:
    cleaned = [(s, e, *_clean_cue(b)) for s, e, b in raw_cues]
    # `Name:` prefixes are speakers only when the same names recur as labels
    labels = [lab[0] for _, _, _, lines in cleaned for ln in lines
              if (lab := label_at_start(ln))]
    names = recurring(labels)
    cues: list[Cue] = []
    for start, end, voice, lines in cleaned:
        for i, line in enumerate(lines):
            speaker = voice
            new_turn = False
            if _DASH_TURN.match(line) and (i > 0 or line.lstrip().startswith(("-", ">>"))):
                new_turn = True
                line = _DASH_TURN.sub("", line, count=1)
            lab = label_at_start(line)
            if lab and lab[0] in names:
                speaker, line = lab
            m = _NAME_TAG.match(line)
            if m and looks_like_name(m.group("name")) and m.group("name").lower() not in (
                    "music", "laughter", "applause", "inaudible", "foreign", "crosstalk"):
                speaker, line = m.group("name").strip(), line[m.end():]
            cues.append(Cue(line, start, end, speaker, new_turn))
    return cues
