"""What a search result row says: the row the popup paints (`rich_rows.Row`), its
plain form (for screen readers and tests), and the count line under the box."""

from __future__ import annotations

from aiviewer.model import SearchHit
from aiviewer.ui.views.rich_rows import Row
from aiviewer.wording import format_ms

# how a passage matched, said beside it when meaning alone found it: "words + meaning"
# on nearly every row of a hybrid search said nothing (the blind screenshot review)
MATCHED = {"meaning": "by meaning"}
TITLE_CHARS = 200  # a title longer than any row is wide; the row cuts it to its width


def hit_row(hit: SearchHit) -> Row:
    """The episode's title (cut to the row's width when painted), where in it, and the snippet with
    the matched words marked (an overlapping mark is left out; a passage found by
    meaning alone has its nearest words marked more quietly)."""
    marks, pos = [], 0
    for start, end in sorted(hit.highlights):
        if start < pos:
            continue
        marks.append((start, end))
        pos = end
    title = (hit.episode_title if len(hit.episode_title) <= TITLE_CHARS
             else hit.episode_title[:TITLE_CHARS - 1] + "…")
    return Row(title, hit_where(hit), hit.snippet, tuple(marks),
               loose=hit.matched == "meaning")


def count_line(shown: int, total: int) -> str:
    noun = f"passage{'s' if total != 1 else ''}"
    return f"showing {shown:,} of {total:,} {noun}" if shown < total else f"{total:,} {noun}"


def hit_where(hit: SearchHit) -> str:
    return " · ".join(x for x in (hit.speaker, format_ms(hit.start_ms) or None,
                                  hit.field if hit.field != "transcript" else None,
                                  MATCHED.get(hit.matched) if hit.field == "transcript"
                                  else None,
                                  f"heard as ‘{hit.heard_as}’" if hit.heard_as else None)
                    if x)


def hit_plain(hit: SearchHit) -> str:
    where = hit_where(hit)
    return f"{hit.episode_title}{' — ' + where if where else ''}\n{hit.snippet}"
