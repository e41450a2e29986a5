"""Lines of prose → speaker turns, paragraphs, headings and chapters.

Shared by every form whose transcript is written text rather than timed cues
(Markdown and plain-text transcripts, feed entries, web pages).  The speaker
label styles seen in the wild all reduce to "a name, maybe a time, a colon":

    Nathan Lambert: text            **Name:** text      **Name**: text
    00:00:06 Nathan Lambert: text   [00:12] Name: text  \\[12:34\\] Name: text
    Name [00:01:07]: text           **Name** (00:12:34): text
    Name (01:02:03):                ← on a line of its own, the turn follows
    Nathan Lambert  0:03            ← likewise (Otter-style exports)
    Nathan Lambert (00:05)Hey       ← glued by an HTML stripper

A label counts only when that name is used as a label at least twice in the
text (or the caller already knows the speakers; numbered diarizer labels such
as `Speaker 2` count at once), so `Cached Input:` and `Guest: Bryan Catanzaro`
stay prose.  Lines without a label after a turn continue that turn.

Lines that open with a time but name nobody are either a chapter outline
(`05:40 - Short title`) or timed speech (`[00:00:05] Hello and welcome.`, or
YouTube transcript copies with the time on its own line); a run of them is
judged together, and speech is reflowed into timed paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from aiviewer.ingest.clean import count_words, paragraphs, take_sounds
from aiviewer.ingest.reflow import Cue, cues_to_segments
from aiviewer.ingest.speakers import LABEL, is_anonymous, looks_like_name, tidy_label
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
    # Name (01:02:03):  /  Name  0:03   on its own line, the turn follows
    re.compile(rf"^\s*{_NAME}\s*{_TS}\s*:?(?:\*\*|__)?\s*(?P<text>)$"),
    # glued to its text when HTML was stripped: `Nathan Lambert (00:05)Hey everybody`
    re.compile(rf"^\s*{_NAME}\s*{_BRACKETED_TS}\s*:?(?:\*\*|__)?\s*(?P<text>.*)$"),
    # **Name**   on its own line (bold only)
    re.compile(r"^\s*(?:\*\*|__)(?P<name>" + LABEL + r")(?:\*\*|__)\s*:?\s*(?P<text>)$"),
)
# `[06:09] Yeah.` — a time at the start of a turn's text (after its label) or of a
# continuation paragraph: the turn's start, or a time stamp to drop from the prose
_LEADING_TS = re.compile(rf"^\s*\\?[\[(](?P<ts>{TIMESTAMP})(?![\d:])\\?[\])]\s*")
# a time alone on its line, and a time opening a line of text
_STAMP_ONLY = re.compile(rf"^\s*\\?[\[(]?(?P<ts>{TIMESTAMP})(?![\d:])\\?[\])]?\s*$")
_NAME_ONLY = re.compile(rf"^\s*(?:\*\*|__)?(?P<name>{LABEL})(?:\*\*|__)?\s*$")
_LEADING_STAMP = re.compile(
    rf"^\s*(?:[*\-•+]\s+)?\\?[\[(]?(?P<ts>{TIMESTAMP})(?![\d:])\\?[\])]?"
    rf"(?:\s*[-–—|:❙]\s*|\s+)(?P<text>\S.*)$")
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
        strong = ms is not None or "**" in line[:len(name) + 8] or i == 5
        return _Label(name, ms, m.group("text").strip(), strong)
    return None


class _Labels(dict):
    """match_label per distinct line, computed once: `structure` asks for every line
    in four passes, and regex matching labels was most of a parse."""

    def __missing__(self, line: str) -> _Label | None:
        label = self[line] = match_label(line)
        return label


def speaker_names(lines: list[str], known: tuple[str, ...] = (),
                  labels: dict | None = None) -> set[str]:
    """Names used as labels twice or more (or already known for the episode)."""
    labels = _Labels() if labels is None else labels
    counts = Counter(lab.name for ln in lines if (lab := labels[ln]))
    return {n for n, c in counts.items() if c >= 2 or is_anonymous(n)} | set(known)


@dataclass
class Structured:
    segments: list[ParsedSegment]
    chapters: list[Chapter]


def structure(lines: list[str], known_speakers: tuple[str, ...] = (),
              chapters_as_headings: bool = False) -> Structured:
    """Classify each line; build turns, paragraphs, headings and chapters."""
    labels = _Labels()
    names = speaker_names(lines, known_speakers, labels)
    timed = _timed_lines(lines, names, labels)
    chapter_runs = _chapter_lines(lines, names, set(timed.speech) | timed.stamps, labels)
    chapter_runs.update(timed.chapters)
    if chapter_runs and len(chapter_runs) + len(timed.stamps) == sum(1 for ln in lines if ln.strip()):
        # nothing but timed lines: a transcript, not an outline (outlines come with notes)
        timed.speech.update({i: (c.start_ms, c.title, None) for i, c in chapter_runs.items()})
        chapter_runs = {}
    segments: list[ParsedSegment] = []
    chapters: list[Chapter] = []
    in_turn = False
    pending: _Label | None = None  # a label on its own line waiting for its text
    run: list[Cue] = []  # timed lines, reflowed into paragraphs or turns
    run_text: list[list[str]] = []  # the lines of each cue in `run`
    last_text_line = -2  # the line the last paragraph or turn ended on
    last_run_line = -2
    joined: set[int] = set()  # paragraphs built from several short lines
    # Lines that continue the last segment are collected here and joined once
    # (joining a growing string line by line is quadratic on long texts).
    tail: list[str] = []
    tail_sounds: list[str] = []

    def settle() -> None:
        if tail:
            last = segments[-1]
            segments[-1] = ParsedSegment(last.text + "".join(tail), last.speaker, last.start_ms,
                                         last.end_ms, last.kind, last.sounds + tuple(tail_sounds))
            tail.clear()
            tail_sounds.clear()

    def add(segment: ParsedSegment) -> None:
        settle()
        segments.append(segment)

    def flush() -> None:
        if run:
            for cue, parts in zip(run, run_text):
                cue.text = " ".join(parts)
            for cue, nxt in zip(run, run[1:]):
                cue.end_ms = nxt.start_ms
            settle()
            segments.extend(cues_to_segments(run))
            run.clear()
            run_text.clear()

    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or i in timed.stamps:
            continue
        if i in timed.speech and not in_turn and pending is None:
            ms, text, speaker = timed.speech[i]
            run.append(Cue(text, ms, speaker=speaker))
            run_text.append([text])
            last_run_line = i
            continue
        if run and last_run_line == i - 1 and not _HEADING.match(line) \
                and not _is_label(line, names, labels) and i not in chapter_runs:
            run_text[-1].append(line)  # the timed text goes on
            last_run_line = i
            continue
        flush()
        if i in chapter_runs:
            chapter = chapter_runs[i]
            chapters.append(chapter)
            if chapters_as_headings:
                add(ParsedSegment(chapter.title, None, chapter.start_ms, None, "heading"))
                in_turn = False
            continue
        heading = _HEADING.match(line)
        if heading:
            add(ParsedSegment(heading.group("text").strip("*_ "), kind="heading"))
            in_turn = False
            continue
        label = labels[line]
        if label and label.name in names:
            if not label.text:
                pending = label
                continue
            text, ms = _leading_time(label.text)
            add(_segment(text, label.name, label.ms if label.ms is not None else ms))
            in_turn = True
            pending = None
            last_text_line = i
            continue
        if pending is not None:
            add(_segment(line, pending.name, pending.ms))
            pending = None
            in_turn = True
            last_text_line = i
            continue
        last = segments[-1] if segments else None
        last_end = (tail[-1] if tail else last.text) if last is not None else ""
        if in_turn and last is not None and last.kind == "turn":
            text, sounds = take_sounds(_leading_time(line)[0])
            if text:
                # a wrapped line goes on with its sentence; otherwise a new paragraph
                wrapped = last_text_line == i - 1 and _continues(last_end, text)
                tail.extend((" " if wrapped else "\n\n", text))
                tail_sounds.extend(sounds)
                last_text_line = i
            continue
        text, sounds = take_sounds(_BULLET.sub("• ", line))
        if not text:
            continue
        if (last is not None and last.kind == "paragraph" and last_text_line == i - 1
                and not last.text.startswith("•") and _continues(last_end, text)):
            # a hard-wrapped line, or a caption fragment: the same paragraph
            tail.extend((" ", text))
            tail_sounds.extend(sounds)
            joined.add(len(segments) - 1)
        else:
            add(ParsedSegment(text, None, None, None, "paragraph", sounds))
        last_text_line = i
    flush()
    settle()
    return Structured(_end_times(_split_long(segments, joined)), chapters)


def _continues(previous: str, line: str) -> bool:
    """Does `line` go on with the sentence `previous` (the text so far) left open?"""
    return (line[:1].islower()
            and not previous.rstrip("\"”’)]*_ ").endswith((".", "!", "?", ":", "…", ";")))


def _split_long(segments: list[ParsedSegment], joined: set[int]) -> list[ParsedSegment]:
    """Paragraphs joined from many short lines are cut again at sentence ends (an
    author's own long paragraph is left as written)."""
    out: list[ParsedSegment] = []
    for n, seg in enumerate(segments):
        if n not in joined or count_words(seg.text) <= 165:
            out.append(seg)
            continue
        for k, para in enumerate(paragraphs(seg.text)):
            out.append(ParsedSegment(para, None, seg.start_ms if k == 0 else None, None,
                                     "paragraph", seg.sounds if k == 0 else ()))
    return out


@dataclass
class _Timed:
    speech: dict[int, tuple[int, str, str | None]]  # line → (start, text, speaker)
    chapters: dict[int, Chapter]  # title lines under a bare timestamp line
    stamps: set[int]  # bare timestamp lines (and name lines above them), consumed


def _sentence_like(text: str) -> bool:
    """Speech rather than a chapter title: long, ends like a sentence, or starts in
    lower case (caption fragments).  A question is not enough: chapter titles ask."""
    words = len(text.split())
    if words > 16 or text[:1].islower():
        return True
    return words >= 4 and text.rstrip("\"”’)]").endswith((".", "…"))


def _timed_lines(lines: list[str], names: set[str], labels: dict) -> _Timed:
    """Lines that open with a time (`[00:00:05] Hello`, `0:05 hello`, or a time on a
    line of its own before the text, maybe under a name on a line of its own),
    told apart as speech or a chapter outline.

    A run of such lines is judged together, by majority: an outline is short
    capitalised titles, a transcript is sentences and caption fragments."""
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    cand: dict[int, tuple[int, str]] = {}
    stamp_of: dict[int, int] = {}  # text line → its bare timestamp line
    speaker_of: dict[int, str] = {}  # text line → the name on the line above its time
    name_line_of: dict[int, int] = {}
    for k, i in enumerate(nonblank):
        line = lines[i].strip()
        if ":" not in line or i in cand:
            continue
        bare = _STAMP_ONLY.match(line)
        if bare:
            nxt = nonblank[k + 1] if k + 1 < len(nonblank) else None
            ms = parse_timestamp(bare.group("ts"))
            if ms is None or nxt is None:
                continue
            text = lines[nxt].strip()
            if (_STAMP_ONLY.match(text) or _LEADING_STAMP.match(text)
                    or _is_label(text, names, labels)):
                continue
            cand[nxt] = (ms, text)
            stamp_of[nxt] = i
            prev = lines[nonblank[k - 1]].strip() if k else ""
            named = _NAME_ONLY.match(prev)
            if named and looks_like_name(named.group("name")):
                speaker_of[nxt] = named.group("name")
                name_line_of[nxt] = nonblank[k - 1]
            continue
        if _is_label(line, names, labels):
            continue
        m = _LEADING_STAMP.match(line)
        if m:
            ms = parse_timestamp(m.group("ts"))
            if ms is not None:
                cand[i] = (ms, m.group("text").strip())
    # a name above a time is a speaker when it recurs (or is a diarizer's label)
    uses = Counter(speaker_of.values())
    for i, name in list(speaker_of.items()):
        if uses[name] < 2 and not is_anonymous(name):
            del speaker_of[i], name_line_of[i]
    skipped = set(stamp_of.values()) | set(name_line_of.values())
    out = _Timed({}, {}, set())
    # runs of consecutive candidates (their time and name lines do not break a run)
    runs: list[list[int]] = []
    previous = None
    for i in nonblank:
        if i in skipped:
            continue
        if i in cand:
            if previous is not None and previous in cand and runs:
                runs[-1].append(i)
            else:
                runs.append([i])
        previous = i
    for run in runs:
        speechy = sum(_sentence_like(cand[i][1]) or i in speaker_of for i in run)
        if speechy * 2 >= len(run) and speechy:
            for i in run:
                out.speech[i] = (*cand[i], speaker_of.get(i))
                if i in stamp_of:
                    out.stamps.add(stamp_of[i])
                if i in name_line_of:
                    out.stamps.add(name_line_of[i])
        else:
            for i in run:
                if i in stamp_of:  # an outline written as time line, title line
                    out.chapters[i] = Chapter(cand[i][0], cand[i][1])
                    out.stamps.add(stamp_of[i])
    return out


def _is_label(line: str, names: set[str], labels: dict) -> bool:
    label = labels[line]
    return bool(label and label.name in names)


def _leading_time(text: str) -> tuple[str, int | None]:
    m = _LEADING_TS.match(text)
    if not m or m.end() == len(text):
        return text, None
    return text[m.end():], parse_timestamp(m.group("ts"))


def _segment(text: str, name: str, ms: int | None) -> ParsedSegment:
    text, sounds = take_sounds(text)
    return ParsedSegment(text, tidy_label(name), ms, None, "turn", sounds)


def _chapter_lines(lines: list[str], names: set[str], exclude: set[int],
                   labels: dict) -> dict[int, Chapter]:
    """Chapter outline lines: a time and a short title, not a speaker turn or timed
    speech, and times that do not go backwards within a run."""
    found: dict[int, Chapter] = {}
    last_ms = -1
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or len(line) > 200 or i in exclude:
            continue
        label = labels[line]
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
