"""The shapes insights come in: a scope, a chart of cells, the passages behind a cell.

A `Cell` carries the ids of the passages (segments) it counts, so every bar,
matrix cell or point can open exactly those passages; `count` is always
`len(passages)` for passage counts, or the number of mentions for mention counts
(then `passages` are the distinct passages holding them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

SCOPE_KINDS = ("library", "show", "episode", "tag", "search")


@dataclass(frozen=True)
class Scope:
    """What an insight counts over: the library, a show (title), an episode (id),
    the passages under a tag (and its children), or a search's passages."""

    kind: str = "library"
    value: str = ""

    @classmethod
    def parse(cls, text: str | None) -> Scope:
        """`library`, `show:Interconnects`, `episode:ID`, `tag:method/RL`,
        `search:"GRPO reasoning"`; a bare word is an error naming the kinds."""
        text = (text or "library").strip()
        if text == "library":
            return cls()
        kind, sep, value = text.partition(":")
        if not sep or kind not in SCOPE_KINDS or not value.strip():
            raise ValueError(f"unknown scope {text!r}: use library, show:TITLE, episode:ID, "
                             "tag:NAME or search:QUERY")
        return cls(kind, value.strip())

    def __str__(self) -> str:
        return "library" if self.kind == "library" else f"{self.kind}:{self.value}"


@dataclass(frozen=True)
class Cell:
    """One bar, matrix cell or point.  `value` is what is plotted (a count, or a
    PMI for co-occurrence); `count` what was counted; `passages` where."""

    row: str
    col: str
    value: float
    count: int
    passages: tuple[int, ...] = ()
    episodes: int = 0
    expected: float | None = None  # co-occurrence: passages with both if independent

    def to_json(self) -> dict:
        out = asdict(self)
        out["passages"] = list(self.passages)
        if self.expected is None:
            del out["expected"]
        return out


@dataclass(frozen=True)
class Chart:
    """One insight: `shape` is `bars` (rows are bars, col is the group), `matrix`
    (rows × cols) or `lines` (one line per row over cols, in order)."""

    insight: str
    title: str
    scope: Scope
    shape: str
    measure: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[Cell, ...]
    notes: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)
    # what a row is shown as, where that is not its label ("DeepSeek models" for the row
    # DeepSeek in a chart of models: the lab's models, counted under the lab's name)
    names: dict[str, str] = field(default_factory=dict)

    def name(self, row: str) -> str:
        return self.names.get(row, row)

    def cell(self, row: str, col: str) -> Cell | None:
        for c in self.cells:
            if (c.row, c.col) == (row, col) or (self.insight == "cooccur"
                                                 and (c.col, c.row) == (row, col)):
                return c
        return None

    def to_json(self) -> dict:
        return {"insight": self.insight, "title": self.title, "scope": str(self.scope),
                "shape": self.shape, "measure": self.measure, "rows": list(self.rows),
                "cols": list(self.cols), "notes": list(self.notes), "params": self.params,
                "names": self.names, "cells": [c.to_json() for c in self.cells]}

    def to_csv(self) -> str:
        """One line per cell: the table behind the chart (passage ids space-separated).
        No cell starts with a formula character: labels come from transcripts."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["row", "column", "value", "count", "episodes", "expected", "passages"])
        for c in self.cells:
            w.writerow([_cell_text(self.name(c.row)), _cell_text(c.col), f"{c.value:.4g}", c.count,
                        c.episodes, "" if c.expected is None else f"{c.expected:.4g}",
                        " ".join(map(str, c.passages))])
        return out.getvalue()


def _cell_text(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass(frozen=True)
class Passage:
    """A passage a cell counts, for the list that opens it in the reader."""

    segment_id: int
    episode_id: str
    episode_title: str
    speaker: str | None
    start_ms: int | None
    char_start: int
    text: str
    # (start, end) in `text` of the mentions the cell counts: why it is listed
    marks: tuple[tuple[int, int], ...] = ()
