"""How any export orders and describes a passage: episodes, tag groups, times.

Kept in one place so that the Markdown, CSV and HTML exports agree on what an
episode's heading says, where an untagged passage goes and how a time reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aiviewer.export import neutral
from aiviewer.model import Annotation, Tag

UNTAGGED = "Untagged"
_YOUTUBE = re.compile(r"(^|\.)(youtube\.com|youtu\.be)$", re.I)
_SAFE_URL = re.compile(r"^https?://", re.I)


@dataclass(frozen=True)
class EpisodeGroup:
    """One episode's passages, in export order: by first tag (untagged last), then by
    position in the text (orphans, which have none, last)."""

    episode_id: str
    title: str
    show: str | None
    date: str | None
    url: str | None
    by_tag: tuple[tuple[str, tuple[Annotation, ...]], ...]

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        return tuple(a for _, group in self.by_tag for a in group)


def hms(ms: int | None) -> str:
    """Milliseconds as h:mm:ss (`754000` → `0:12:34`); empty when unknown."""
    if ms is None or ms < 0:
        return ""
    s = ms // 1000
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) — never `javascript:` or `file:` in an export."""
    return url if url and _SAFE_URL.match(url.strip()) else None


def time_link(url: str | None, ms: int | None) -> str | None:
    """A link to the moment: YouTube URLs get `t=<seconds>`; other URLs are returned
    unchanged (we do not know how their players seek)."""
    url = safe_url(url)
    if url is None or ms is None or ms < 0:
        return url
    parts = urlsplit(url)
    if not _YOUTUBE.search(parts.hostname or ""):
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
    query.append(("t", f"{ms // 1000}s"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def episode_url(a: Annotation) -> str | None:
    """The episode's URL, or for a YouTube caption import (id `yt-<video id>`, often
    without a URL) the video's, so that times can still link to the moment."""
    if a.url:
        return a.url
    if a.episode_id.startswith("yt-") and re.fullmatch(r"[\w-]{6,20}", a.episode_id[3:]):
        return f"https://www.youtube.com/watch?v={a.episode_id[3:]}"
    return None


def in_text_order(annotations) -> list[Annotation]:
    """Passages as the episode says them (orphans, which have no place, last)."""
    return sorted(annotations, key=_position)


def first_tag(a: Annotation) -> str:
    return sorted(a.tags, key=str.casefold)[0] if a.tags else UNTAGGED


def _position(a: Annotation) -> tuple[int, int, str]:
    return (a.start is None, a.start or 0, a.id)


def group(annotations: list[Annotation]) -> list[EpisodeGroup]:
    """Episodes ordered by date (undated last) then title; inside each, passages grouped
    by their first tag in alphabetical order, `Untagged` last."""
    episodes: dict[str, list[Annotation]] = {}
    for a in annotations:
        episodes.setdefault(a.episode_id, []).append(a)
    groups = []
    for eid, anns in episodes.items():
        head = next((a for a in anns if a.episode_title), anns[0])
        tags: dict[str, list[Annotation]] = {}
        for a in sorted(anns, key=_position):
            tags.setdefault(first_tag(a), []).append(a)
        order = sorted(tags, key=lambda t: (t == UNTAGGED, t.casefold()))
        groups.append(EpisodeGroup(
            eid, head.episode_title or eid, head.show, head.date, head.url,
            tuple((t, tuple(tags[t])) for t in order)))
    groups.sort(key=lambda g: (g.date is None, g.date or "", g.title.casefold(), g.episode_id))
    return groups


def colours(tags: list[Tag] | None) -> dict[str, str]:
    """Tag name → colour (`#rrggbb`), for the tags that have a valid colour
    (`neutral.colour`)."""
    return {t.name: c for t in tags or () if (c := neutral.colour(t.colour))}
