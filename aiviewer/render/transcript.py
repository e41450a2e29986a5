"""An episode → the reader's rich text: speaker turns, times, chapter headings,
entity mentions as links with a class per kind, suggestions (mentions below the
confidence bar) as `sug` links that the reader marks quietly and does not count.

Everything from a transcript is escaped here, once, before it becomes markup:
a transcript containing `<img src=…>` shows those characters and loads nothing.
Colours are not decided here; the view gives a style sheet for the classes
(`ent-model`, `speaker`, `time`, …) so themes and kind toggles stay in the UI.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import quote, unquote

from aiviewer.model import Episode, Mention, Segment
from aiviewer.wording import format_ms

ENTITY_SCHEME = "entity:"
SUGGEST_SCHEME = "suggest:"  # suggest:<canonical>:<surface>, both percent-encoded
SEEK_SCHEME = "seek:"


@dataclass(frozen=True)
class Rendered:
    html: str
    n_mentions: int


def segment_anchor(segment_id: int) -> str:
    return f"seg-{segment_id}"


@lru_cache(maxsize=4096)
def entity_href(canonical: str) -> str:
    """Cached: the 3-hour episode links ~1,000 mentions of a few hundred entities,
    and quoting each again was a tenth of rendering it."""
    return ENTITY_SCHEME + quote(canonical, safe="")


def suggestion_href(canonical: str, surface: str) -> str:
    return SUGGEST_SCHEME + quote(canonical, safe="") + ":" + quote(surface, safe="")


def parse_suggestion_href(href: str) -> tuple[str, str] | None:
    """(canonical, surface) of a `suggestion_href`, else None."""
    if not href.startswith(SUGGEST_SCHEME):
        return None
    canonical, _, surface = href[len(SUGGEST_SCHEME):].partition(":")
    return unquote(canonical), unquote(surface)


def seek_href(ms: int) -> str:
    return f"{SEEK_SCHEME}{ms}"


def parse_seek_href(href: str) -> int | None:
    """The milliseconds of a `seek_href`, else None."""
    if not href.startswith(SEEK_SCHEME):
        return None
    try:
        return int(href[len(SEEK_SCHEME):])
    except ValueError:
        return None


def episode_html(episode: Episode, mentions: dict[int, list[Mention]] | None = None,
                 hidden_kinds: frozenset[str] = frozenset(),
                 notes_html: Callable[[str], str] | None = None) -> Rendered:
    """The whole episode as one HTML document for a read-only QTextEdit.

    `notes_html` renders the show notes (Markdown → safe HTML; the UI passes the
    export's sanitiser, which this layer may not import); without it they are escaped
    text.  Chapters are listed under the notes as `seek:` time links."""
    mentions = mentions or {}
    chapters = sorted(episode.chapters, key=lambda c: c.start_ms)
    chapter_starts = [c.start_ms for c in chapters]
    shown_chapter = -1
    out: list[str] = []
    n = 0
    s = episode.summary
    meta = " · ".join(x for x in (s.show, s.date, format_ms(s.duration_ms) or None,
                                  f"{s.n_words:,} words") if x)
    out.append(f'<h1 class="title">{escape(episode.title)}</h1>')
    out.append(f'<p class="meta">{escape(meta)}</p>')
    if s.speakers:
        out.append(f'<p class="meta speakers">{escape(", ".join(s.speakers))}</p>')
    if episode.description:
        out.append('<div class="notes">')
        if notes_html is not None:
            out.append(notes_html(episode.description))
        else:
            for para in episode.description.split("\n\n")[:20]:
                out.append(f"<p>{escape(para)}</p>")
        out.append("</div>")
    timed_chapters = bool(chapters) and any(seg.start_ms is not None for seg in episode.segments)
    if chapters:  # time links where there is somewhere to go: the turn, or the video
        linked = timed_chapters or bool(s.video_id)
        out.append('<p class="outline">Chapters: ' + " · ".join(
            (f'<a href="{seek_href(c.start_ms)}">{escape(format_ms(c.start_ms))}</a>'
             if linked else escape(format_ms(c.start_ms)))
            + f"&nbsp;{escape(c.title)}" for c in chapters) + "</p>")
    for seg in episode.segments:
        if timed_chapters and seg.start_ms is not None:
            idx = bisect_right(chapter_starts, seg.start_ms) - 1
            while shown_chapter < idx:
                shown_chapter += 1
                c = chapters[shown_chapter]
                out.append(f'<h2 class="chapter"><a name="chapter-{shown_chapter}"></a>'
                           f'<span class="time">{escape(format_ms(c.start_ms))}</span>&nbsp; '
                           f"{escape(c.title)}</h2>")
        body, count = _segment_body(seg, mentions.get(seg.id, ()), hidden_kinds)
        n += count
        out.append(_segment_html(seg, body))
    return Rendered("\n".join(out), n)


def _segment_html(seg: Segment, body: str) -> str:
    anchor = f'<a name="{segment_anchor(seg.id)}"></a>'
    if seg.kind == "heading":
        return f'<h3 class="heading">{anchor}{body}</h3>'
    head = ""
    if seg.speaker or seg.start_ms is not None:
        parts = []
        if seg.speaker:
            parts.append(f'<span class="speaker">{escape(seg.speaker)}</span>')
        if seg.start_ms is not None:
            parts.append(f'<span class="time">{escape(format_ms(seg.start_ms))}</span>')
        head = f'<p class="turnhead">{anchor}{"&nbsp;&nbsp;".join(parts)}</p>'
        anchor = ""
    sounds = ""
    if seg.sounds:
        sounds = f' <span class="sound">[{escape(", ".join(dict.fromkeys(seg.sounds)))}]</span>'
    paras = body.split("\n\n")
    paras[-1] += sounds
    cls = "turn" if seg.kind == "turn" else "para"
    return head + "".join(f'<p class="{cls}">{anchor if i == 0 else ""}{p}</p>'
                          for i, p in enumerate(paras))


def _segment_body(seg: Segment, mentions, hidden_kinds) -> tuple[str, int]:
    text = seg.text
    pieces: list[str] = []
    pos = 0
    count = 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < pos or m.end > len(text) or m.kind in hidden_kinds:
            continue
        pieces.append(escape(text[pos:m.start]))
        if m.suggested:  # quiet: the view underlines it dotted in the kind's colour
            pieces.append(f'<a class="sug sug-{escape(m.kind)}" href="'
                          f'{escape(suggestion_href(m.canonical, m.surface))}">'
                          f'{escape(text[m.start:m.end])}</a>')
            pos = m.end
            continue
        fuzzy = " fuzzy" if m.fuzzy else ""
        pieces.append(f'<a class="ent ent-{escape(m.kind)}{fuzzy}" '
                      f'href="{entity_href(m.canonical)}">{escape(text[m.start:m.end])}</a>')
        pos = m.end
        count += 1
    pieces.append(escape(text[pos:]))
    return "".join(pieces), count
