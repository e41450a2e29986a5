"""How counts read in every message, the CLI's and the window's alike."""

from __future__ import annotations


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """`1 episode`, `2 episodes`, `0 episodes` (`nouns` for an irregular plural)."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def delete_annotations_text(n: int, title: bool = False) -> str:
    """What the delete command says it deletes: "Delete 3 selected annotations", never
    a bare "Delete…" beside a tag's own Delete (blind review: a user could not tell
    which deleted what).  `title` for menus and the palette (Title Case)."""
    words = ("Delete selected annotation" if n == 1 else
             "Delete selected annotations" if n == 0 else
             f"Delete {n:,} selected annotations")
    return words.title() if title else words


def library_line(shows: list[str | None]) -> str:
    """'64 episodes · 2 shows · 1 without a show' from each episode's show (None or ''
    when its source names none).  Counted from the episodes, as the library list
    groups them, so the status bar and the list's headings never disagree (a review
    saw "2 shows" above three groups, the third holding the episodes with no show)."""
    named = {s for s in shows if s}
    without = sum(1 for s in shows if not s)
    line = f"{plural(len(shows), 'episode')} · {plural(len(named), 'show')}"
    return f"{line} · {without:,} without a show" if without else line


def format_ms(ms: int | None) -> str:
    """A time in an episode as people read it: '1:02:03', or '02:12' under an
    hour; '' when unknown.  One formatter, so the reader, the CLI, the exports and
    the insights never show the same moment two ways.

    >>> format_ms(3723500), format_ms(132000), format_ms(None)
    ('1:02:03', '02:12', '')
    """
    if ms is None:
        return ""
    s = ms // 1000
    h, m, sec = s // 3600, (s // 60) % 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"
