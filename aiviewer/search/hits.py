"""Search hits as the list shows them: a passage, title, show note or annotation
with a snippet and the offsets of the marked words in it.

FTS5 marks what matched with two control characters (`fts.MARK_OPEN`/`MARK_CLOSE`);
`unmark` turns them into offsets.  Where FTS5 has no snippet (a passage found
through an entity's mention, by meaning, or by a filter alone) `window` cuts about
WINDOW characters around what to show, on word edges.
"""

from __future__ import annotations

import re

from aiviewer.meaning import why
from aiviewer.meaning.embedder import MeaningUnavailable
from aiviewer.model import SearchHit
from aiviewer.search import meaning
from aiviewer.search.entity_names import norm
from aiviewer.store import Store, fts

WINDOW = 160  # characters of context around a mention when FTS5 has no snippet


def unmark(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """FTS5 snippet with marks → plain text and (start, end) offsets of the marked terms."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    start = None
    for part in re.split(f"([{fts.MARK_OPEN}{fts.MARK_CLOSE}])", snippet or ""):
        if part == fts.MARK_OPEN:
            start = pos
        elif part == fts.MARK_CLOSE:
            if start is not None:
                spans.append((start, pos))
            start = None
        else:
            out.append(part)
            pos += len(part)
    return "".join(out), tuple(spans)


def window(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About WINDOW characters of `text` around `span` (its start when None), on word edges."""
    return window_spans(text, [span] if span is not None else [])


def window_spans(text: str, spans: list[tuple[int, int]]
                  ) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About WINDOW characters of `text` around the first of `spans`, on word edges,
    with every span that falls inside the window marked."""
    if not spans:
        cut = text[:WINDOW]
        if len(text) > WINDOW:
            cut = cut.rsplit(" ", 1)[0] + fts.ELLIPSIS
        return cut, ()
    start, end = spans[0]
    lo = max(0, start - WINDOW // 2)
    hi = min(len(text), end + WINDOW // 2)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    head = fts.ELLIPSIS if lo > 0 else ""
    tail = fts.ELLIPSIS if hi < len(text) else ""
    snippet = head + text[lo:hi] + tail
    offset = len(head) - lo
    marked = [(s + offset, e + offset) for s, e in spans if lo <= s and e <= hi]
    return snippet, tuple(sorted(set(marked)))


def meaning_snippets(store: Store, query: str, rows: dict[int, dict]
                      ) -> dict[int, tuple[str, tuple[tuple[int, int], ...]]]:
    """Snippets of passages found by meaning, marking why (meaning/why.py): the
    query's words where they occur, else the passage's words closest in meaning."""
    ids = list(rows)
    texts = [rows[sid]["text"] for sid in ids]
    spans: list[list[tuple[int, int]]] = [[] for _ in ids]
    if query.strip() and ids:
        try:
            spans = why.closest_words(texts, query, meaning.embedder(store))
        except MeaningUnavailable:
            spans = [why.occurring(t, why.query_terms(query)) for t in texts]
    return {sid: window_spans(text, found) for sid, text, found in zip(ids, texts, spans)}


def first_of(text: str, words: list[str]) -> tuple[int, int] | None:
    """Where the first of `words` stands in `text` (a CJK hit, which FTS5 matched
    in the pairs column and so cannot mark in the text)."""
    found = [(at, at + len(w)) for w in words if (at := text.find(w)) >= 0]
    return min(found) if found else None


_POSSESSIVE = re.compile(r"(?:['’]s|s)$")


def heard_otherwise(surface: str, name: str) -> bool:
    """Whether a mention's spelling is worth saying: not the name itself in another
    case, plural or possessive ("Claude Code’s")."""
    said, named = norm(surface), norm(name)
    return said != named and _POSSESSIVE.sub("", said) != named


def segment_hit(row: dict, score: float, snippet: str,
                 highlights: tuple[tuple[int, int], ...], matched: str = "words") -> SearchHit:
    return SearchHit(
        episode_id=row["episode_id"], episode_title=row["title"], show=row["show"],
        date=row["date"], segment_id=row["id"], speaker=row["speaker"],
        start_ms=row["start_ms"], score=score, snippet=snippet, highlights=highlights,
        field="transcript", char_start=row["char_start"], matched=matched,
    )


def episode_hit(row: dict, field: str) -> SearchHit:
    snippet, highlights = unmark(row["snippet"])
    return SearchHit(
        episode_id=row["id"], episode_title=row["title"], show=row["show"], date=row["date"],
        segment_id=None, speaker=None, start_ms=None, score=row["score"], snippet=snippet,
        highlights=highlights, field=field,
    )


def annotation_hit(row: dict) -> SearchHit:
    marked = row.get("snippet") or ""
    if fts.MARK_OPEN not in marked and fts.MARK_OPEN in (row.get("quote_snippet") or ""):
        marked = row["quote_snippet"]
    if row.get("snippet") is None:
        snippet, highlights = window(row["note_md"] or row["exact"], None)
    else:
        snippet, highlights = unmark(marked)
    return SearchHit(
        episode_id=row["episode_id"], episode_title=row["title"] or "", show=row["show"],
        date=row["date"], segment_id=None, speaker=None, start_ms=None, score=row["score"],
        snippet=snippet, highlights=highlights, field="annotation",
        char_start=row["start"], annotation_id=row["id"],
    )
