"""Annotations as CSV: one row per annotation, for spreadsheets and scripts.

Named `csv_export` so that it never shadows the standard library's `csv`.
Columns: episode, show, date, speaker, start (h:mm:ss), quote, tags (joined with
`; `), note, id, created, modified, then episode_id and status for scripts.

One rule for every cell, whatever its column (an imported W3C file sets ids,
times and sources too): control characters are dropped (`neutral.plain`), and a
cell that starts with `=`, `+`, `-`, `@`, tab or CR, or their full-width forms
(`＝`, `＋`, `－`, `＠`), which spreadsheets run as a formula ("CSV injection"),
gets a leading `'`, which spreadsheets hide and which keeps the cell readable.
Ordinary ids, dates and times never start with those, so they are unchanged.
"""

from __future__ import annotations

import csv
import io

from aiviewer.export import neutral, passages
from aiviewer.model import Annotation, Tag

COLUMNS = ("episode", "show", "date", "speaker", "start", "quote", "tags", "note", "id",
           "created", "modified", "episode_id", "status")
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell(value: str | None) -> str:
    """Any value as a cell no spreadsheet runs and no terminal interprets."""
    value = value or ""
    if value.startswith(_FORMULA):  # before `plain`, which drops a leading CR or tab
        return "'" + neutral.plain(value)
    value = neutral.plain(value)
    return "'" + value if value.startswith(_FORMULA) else value


def row(a: Annotation) -> list[str]:
    values = [a.episode_title or a.episode_id, a.show, a.date, a.speaker,
              passages.hms(a.start_ms), a.exact, "; ".join(sorted(a.tags, key=str.casefold)),
              a.note_md, a.id, a.created, a.modified, a.episode_id, a.status]
    return [cell(v) for v in values]


def render(annotations: list[Annotation], tags: list[Tag] | None = None,
           bom: bool = False) -> str:
    """CSV text with a header row, in the same order as the other exports (by episode,
    then first tag, then position).  Lines end in `\\n` so that writing the text in
    text mode on any platform gives one line ending, not `\\r\\r\\n`.  With `bom`
    the text starts with U+FEFF: Excel on Windows reads a CSV without it in the
    local code page, and every non-ASCII character comes out garbled."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for g in passages.group(annotations):
        for a in g.annotations:
            writer.writerow(row(a))
    return out.getvalue()
