"""What a parser produced, made safe to store: no lone surrogates, no URL that cannot
be parsed.

A JSON `"\\ud800"` escape decodes to a lone surrogate, which SQLite (UTF-8) cannot
store; it becomes U+FFFD.  A URL such as `https://[oops/ep` makes `urlsplit` raise;
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

_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Lone surrogates replaced by U+FFFD (a str from JSON may hold them)."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", text)


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
    if any(_SURROGATE.search(s.text) or (s.speaker and _SURROGATE.search(s.speaker))
           or any(_SURROGATE.search(x) for x in s.sounds) for s in segments):
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
