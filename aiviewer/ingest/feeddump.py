"""Podcast feed dumps: the show's title and description, then one episode per
line with the HTML stripped so that paragraphs, bullets and transcript turns
are glued together (`face.In this`, `soon!Nathan Lambert: Hey`).

Each entry is unglued back into paragraphs; a leading post URL becomes the
episode URL and, through its slug, a readable title; otherwise the first
sentence, shortened, is the title.  Inline `Name:` labels become turns only for
names that recur as labels in that entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from aiviewer.errors import ParseError
from aiviewer.ingest.clean import (
    first_sentence_title,
    normalise_newlines,
    recase,
    sentences,
    squash_spaces,
    strip_markup,
    title_from_url,
    unglue,
    unglue_words,
)
from aiviewer.ingest.turns import speaker_names, structure
from aiviewer.model import ParsedEpisode, ParsedSource

FORM = "feeddump"

_LEADING_URL = re.compile(r"^\s*(?:(?:Post|Link|URL|Source)\s*:\s*)?(?P<url>https?://[^\sA-Z<>\"]+)")
_LABELLED_LINE = re.compile(r"^\s*\S+(?: \S+){0,3} [\[(]\d{1,2}:\d{2}")
MIN_ENTRY_CHARS = 200


def sniff(text: str, name: str) -> float:
    if re.match(r"\A\ufeff?(?:---|\+\+\+)\s*$", text[:5], re.M) or \
            re.search(r"^#{1,3} \S", text[:5000], re.M):
        return 0.0  # front matter or Markdown headings: a document, not a feed
    lines = [ln for ln in text[:400000].splitlines() if ln.strip()]
    if len(lines) < 4:
        return 0.0
    long_lines = [ln for ln in lines if len(ln) >= 1500]
    if len(long_lines) < 3:
        return 0.0
    labelled = sum(bool(_LABELLED_LINE.match(ln)) for ln in long_lines)
    if labelled > len(long_lines) / 3:
        return 0.0
    return 0.7 if len(long_lines) / len(lines) > 0.4 else 0.4


def parse(text: str) -> ParsedSource:
    lines = [ln.strip() for ln in normalise_newlines(text).split("\n")]
    nonblank = [ln for ln in lines if ln]
    if not nonblank:
        raise ParseError("the feed is empty")
    show_title = None
    show_description = None
    head = 0
    if len(nonblank[0]) <= 150 and not _LEADING_URL.match(nonblank[0]):
        show_title = squash_spaces(strip_markup(nonblank[0]))
        head = 1
        # the title is often repeated (feed title, channel title); a short line of a
        # few words and no sentence right after it is that repetition, however spelled
        while head < len(nonblank) and (nonblank[head] == nonblank[0] or (
                len(nonblank[head].split()) <= 6 and not nonblank[head].endswith((".", "!", "?"))
                and not _LEADING_URL.match(nonblank[head]))):
            head += 1
        if head < len(nonblank) and len(nonblank[head]) < 1500 and \
                not _LEADING_URL.match(nonblank[head]):
            show_description = squash_spaces(strip_markup(nonblank[head]).replace("\n", " "))
            head += 1
    episodes = []
    for entry in nonblank[head:]:
        if len(entry) < MIN_ENTRY_CHARS and episodes:
            continue  # stray short lines between entries (navigation, counters)
        ep = parse_entry(entry, show_title)
        if ep is not None:
            episodes.append(ep)
    if not episodes:
        raise ParseError("no episodes found in the feed (expected one long entry per line)")
    return ParsedSource(FORM, tuple(_drop_boilerplate(episodes)), show_title, show_description)


def _drop_boilerplate(episodes: list[ParsedEpisode]) -> list[ParsedEpisode]:
    """Sentences the feed stamps on many entries ("This is a public episode. If
    you'd like to discuss this…") are the publisher's chrome, not the episode's
    text: a sentence of four words or more found in a quarter of the entries (and
    at least three) is removed wherever it appears."""
    if len(episodes) < 3:
        return episodes
    seen: Counter[str] = Counter()
    for ep in episodes:
        seen.update({sent for seg in ep.segments for para in seg.text.split("\n\n")
                     for sent in sentences(para) if len(sent.split()) >= 4})
    threshold = max(3, len(episodes) // 4)
    stock = {sent for sent, n in seen.items() if n >= threshold}
    if not stock:
        return episodes
    out = []
    for ep in episodes:
        segments = []
        for seg in ep.segments:
            text = seg.text
            found = [sent for sent in stock if sent in text]
            if found:
                for sent in sorted(found, key=len, reverse=True):
                    text = text.replace(sent, " ")
                paras = (squash_spaces(para) for para in text.split("\n\n"))
                text = "\n\n".join(p for p in paras if p)
            if text:  # most segments hold no stock sentence: kept as they are
                segments.append(seg if text is seg.text else replace(seg, text=text))
        out.append(replace(ep, segments=tuple(segments)) if segments else ep)
    return out


def parse_entry(entry: str, show: str | None) -> ParsedEpisode | None:
    url = None
    m = _LEADING_URL.match(entry)
    if m:
        url = m.group("url").rstrip(".,;:")
        entry = entry[m.end():]
    body = strip_markup(entry)
    lines = [squash_spaces(ln) for ln in unglue_words(unglue(body)).split("\n")]
    names = speaker_names(lines)
    if names:
        lines = _split_at_labels(lines, names)
    parsed = structure(lines, tuple(names))
    if not parsed.segments:
        return None
    title = title_from_url(url) if url else ""
    if title:
        title = recase(title, "\n".join(seg.text for seg in parsed.segments))
    if not title:
        title = first_sentence_title("\n".join(s.text for s in parsed.segments[:3]))
    speakers = tuple(dict.fromkeys(s.speaker for s in parsed.segments if s.speaker))
    return ParsedEpisode(title=title, segments=tuple(parsed.segments), show=show, url=url,
                         chapters=tuple(parsed.chapters), speakers=speakers, title_derived=True)


def _split_at_labels(lines: list[str], names: set[str]) -> list[str]:
    """A label of a known speaker glued into the middle of a line starts a new line."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # never between a turn's own timestamp and its name (`00:00:22 Bryan Catanzaro:`)
    pattern = re.compile(rf"(?<=[^\s\d:])\s*"
                         rf"(?=(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s+)?(?:{alternatives})"
                         rf"(?::\s|\s*[\[(](?:\d{{1,2}}:)?\d{{1,2}}:\d{{2}}[\])]))")
    out: list[str] = []
    for line in lines:
        out.extend(part.strip() for part in pattern.split(line) if part.strip())
    return out
