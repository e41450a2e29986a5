"""Annotations as CSV: one row per annotation, for spreadsheets and scripts.

Named `csv_export` so that it never shadows the standard library's `csv`.
Columns: episode, show, date, speaker, start (h:mm:ss), quote, tags (joined with
`; `), note, id, created, modified, then episode_id and status for scripts.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
("CSV injection"); such text cells get a leading `'`, which spreadsheets hide
and which keeps the cell text.  The id, date and time columns are never touched.
"""

from __future__ import annotations

import csv
import io

from aiviewer.export import passages
from aiviewer.model import Annotation, Tag

COLUMNS = ("episode", "show", "date", "speaker", "start", "quote", "tags", "note", "id",
           "created", "modified", "episode_id", "status")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    value = value or ""
    return "'" + value if value.startswith(_FORMULA) else value


def row(a: Annotation) -> list[str]:
    return [_text(a.episode_title or a.episode_id), _text(a.show), a.date or "",
            _text(a.speaker), passages.hms(a.start_ms), _text(a.exact),
            _text("; ".join(sorted(a.tags, key=str.casefold))), _text(a.note_md), a.id,
            a.created, a.modified, a.episode_id, a.status]


def render(annotations: list[Annotation], tags: list[Tag] | None = None) -> str:
    """CSV text with a header row, in the same order as the other exports (by episode,
    then first tag, then position).  Lines end in `\\n` so that writing the text in
    text mode on any platform gives one line ending, not `\\r\\r\\n`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for g in passages.group(annotations):
        for a in g.annotations:
            writer.writerow(row(a))
    return out.getvalue()
