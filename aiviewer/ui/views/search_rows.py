"""What a search result row says: the row the popup paints (`rich_rows.Row`), its
plain form (for screen readers and tests), and the count line under the box."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from aiviewer.model import SearchHit
from aiviewer.ui.views.rich_rows import Row
from aiviewer.wording import format_ms

# how a passage matched, said beside it when meaning alone found it: "words + meaning"
# on nearly every row of a hybrid search said nothing (the blind screenshot review)
MATCHED = {"meaning": "by meaning"}
# where in the episode a hit outside its transcript was found
FIELDS = {"title": "in the title", "notes": "in the show notes", "annotation": "in a note"}
NO_SHOW = "Without a show"  # as the library list heads the episodes whose source names none
TITLE_CHARS = 200  # a title longer than any row is wide; the row cuts it to its width


def grouped(hits: list, place: Callable | None = None) -> list:
    """`hits` with each episode's passages together, episodes in the order of their best
    passage and passages in the episode's order within one (`place`; by default a
    search hit's: its title, notes and the notes on it first): the ranking, read by
    episode.  A blind review saw one episode's passages scattered down the list, its
    title repeated on each; grouped in rank order, their times then ran 1:06:28,
    1:06:13, 1:06:15.  (The Insights window's passage lists group theirs so too.)"""
    by_episode: dict[str, list] = {}
    for hit in hits:
        by_episode.setdefault(hit.episode_id, []).append(hit)
    return [hit for group in by_episode.values()
            for hit in sorted(group, key=place or _place)]


def continued(items: list, previous: str | None = None) -> Iterator[tuple[object, bool]]:
    """Each of `items` (`grouped`) with whether the row above is of the same episode, so
    its title is left out and it sits indented (`previous`: the episode of the row
    above the first, when the list already has rows)."""
    for item in items:
        yield item, item.episode_id == previous
        previous = item.episode_id


def _place(hit: SearchHit) -> tuple[bool, int, int]:
    """Found by the words first (a review saw a group open on "Online RLHF or D-DPO?",
    found by meaning, above the passages naming GRPO), then in the episode's order."""
    meaning_only = hit.matched == "meaning"
    if hit.field != "transcript" or hit.char_start is None:
        return (meaning_only, 0, 0)
    return (meaning_only, 1, hit.char_start)


def hit_row(hit: SearchHit, continued: bool = False) -> Row:
    """The episode's title (cut to the row's width when painted), where in it, and the snippet with
    the matched words marked (an overlapping mark is left out; a passage found by
    meaning alone has its nearest words marked more quietly).  `continued`: the row
    above is of the same episode; this one says only who spoke when, before the
    snippet."""
    marks, pos = [], 0
    for start, end in sorted(hit.highlights):
        if start < pos:
            continue
        marks.append((start, end))
        pos = end
    title = (hit.episode_title if len(hit.episode_title) <= TITLE_CHARS
             else hit.episode_title[:TITLE_CHARS - 1] + "…")
    if continued:
        return Row("", continued_where(hit), hit.snippet, tuple(marks),
                   loose=hit.matched == "meaning", continued=True)
    return Row(title, hit_where(hit), hit.snippet, tuple(marks),
               loose=hit.matched == "meaning")


def count_line(shown: int, total: int) -> str:
    noun = f"passage{'s' if total != 1 else ''}"
    return f"showing {shown:,} of {total:,} {noun}" if shown < total else f"{total:,} {noun}"


def hit_where(hit: SearchHit) -> str:
    """The grey line right of the title, the same kind of thing in the same order on
    every row: the show (or "Without a show"), the date when known, who spoke and
    when when known, then how the passage was found.  It had said only the speaker
    and time, so rows of an episode without them (the feed's essays) said nothing and
    one with a speaker but no time showed a bare name nobody could place (the blind
    screenshot review).  Cut at its right end when the row is narrow: the show and
    date come first because every row has them."""
    return " · ".join(x for x in (hit.show or NO_SHOW, hit.date or None, *_how(hit)) if x)


def continued_where(hit: SearchHit) -> str:
    """`hit_where` without what the episode's first row said (show and date)."""
    return " · ".join(x for x in _how(hit) if x)


def _how(hit: SearchHit) -> tuple[str | None, ...]:
    """Who spoke when, and how the passage was found (None where nothing is to say)."""
    return (spoken(hit), FIELDS.get(hit.field),
            MATCHED.get(hit.matched) if hit.field == "transcript" else None,
            f"heard as ‘{hit.heard_as}’" if hit.heard_as else None)


def spoken(hit: SearchHit) -> str | None:
    """"Nathan Lambert at 1:06:28", "said by Nathan Lambert", "at 1:06:28": never a
    bare name, which read as an author as much as a speaker."""
    when = format_ms(hit.start_ms)
    if hit.speaker and when:
        return f"{hit.speaker} at {when}"
    if hit.speaker:
        return f"said by {hit.speaker}"
    return f"at {when}" if when else None


def hit_plain(hit: SearchHit) -> str:
    where = hit_where(hit)
    return f"{hit.episode_title}{' — ' + where if where else ''}\n{hit.snippet}"
