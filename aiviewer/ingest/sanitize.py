"""What a parser produced, made safe to store: no lone surrogates, no control
characters, no URL that cannot be parsed.

A JSON `"\\ud800"` escape decodes to a lone surrogate, which SQLite (UTF-8) cannot
store; it becomes U+FFFD.  Terminal escapes (ESC, the C0 and C1 controls but tab and
newline) and bidi overrides are not text anyone said: they go, so no view, export
or terminal ever receives them from a transcript.  A URL such as `https://[oops/ep` makes `urlsplit` raise;
it is dropped (the episode keeps everything else).

    >>> scrub("a\\ud800b")
    'a\\ufffdb'
    >>> parseable_url("https://[oops/ep") is None
    True
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from aiviewer.model import ParsedEpisode, ParsedSource

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                        "\ud800-\udfff]")


def _replacement(m: re.Match) -> str:
    c = m.group(0)
    if "\ud800" <= c <= "\udfff":
        return "\ufffd"
    return " " if c in "\x0b\x0c" else ""


def scrub(text: str) -> str:
    """Lone surrogates replaced by U+FFFD (a str from JSON may hold them); control
    characters other than tab and newline, and bidi overrides, removed."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replacement, text)


def scrub_opt(text: str | None) -> str | None:
    return text if text is None else scrub(text)


def parseable_url(url: str | None) -> str | None:
    """The URL if `urlsplit` can read it, else None."""
    if not url:
        return url
    try:
        urlsplit(url)
    except ValueError:
        return None
    return url


def clean_episode(ep: ParsedEpisode) -> ParsedEpisode:
    changes: dict = {}
    segments = ep.segments
    if any(_UNSAFE.search(s.text) or (s.speaker and _UNSAFE.search(s.speaker))
           or any(_UNSAFE.search(x) for x in s.sounds) for s in segments):
        segments = tuple(replace(s, text=scrub(s.text), speaker=scrub_opt(s.speaker),
                                 sounds=tuple(scrub(x) for x in s.sounds)) for s in segments)
        changes["segments"] = segments
    for key in ("title", "show", "date", "url", "video_id", "description"):
        value = getattr(ep, key)
        if isinstance(value, str):
            fixed = scrub(value)
            if key == "url":
                fixed = parseable_url(fixed)
            if fixed != value:
                changes[key] = fixed
    for key in ("mentioned", "speakers"):
        value = getattr(ep, key)
        fixed = tuple(scrub(x) for x in value)
        if fixed != value:
            changes[key] = fixed
    chapters = tuple(replace(c, title=scrub(c.title)) for c in ep.chapters)
    if chapters != ep.chapters:
        changes["chapters"] = chapters
    return replace(ep, **changes) if changes else ep


def clean_source(source: ParsedSource) -> ParsedSource:
    episodes = tuple(clean_episode(ep) for ep in source.episodes)
    show_title, show_description = (scrub_opt(source.show_title),
                                    scrub_opt(source.show_description))
    if (episodes == source.episodes and show_title == source.show_title
            and show_description == source.show_description):
        return source
    return replace(source, episodes=episodes, show_title=show_title,
                   show_description=show_description)
