"""How counts read in every message, the CLI's and the window's alike."""

from __future__ import annotations


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """`1 episode`, `2 episodes`, `0 episodes` (`nouns` for an irregular plural)."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


_KIND_NOUNS = {"model": "models", "organization": "organizations", "person": "people",
               "product": "products", "technique": "techniques", "benchmark": "benchmarks",
               "dataset": "datasets", "hardware": "hardware", "paper": "papers"}


def kind_nouns(kind: str) -> str:
    """An entity kind as a plural noun: "models", "people", "hardware"."""
    return _KIND_NOUNS.get(kind, kind + "s")


def and_list(words: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def family_breakdown(canonical: str, counts: dict[str, int], kind_of) -> str:
    """How a family's mentions divide, when members have some: "137 of DeepSeek itself,
    92 of its models and papers" ('' when only the entity itself is mentioned).  The
    count of a family reads as the entity's otherwise: a review saw DeepSeek's 229 beside
    the 137 the lab has alone.  `kind_of(name)` gives a member's kind (None if unknown)."""
    own = next((n for name, n in counts.items() if name.casefold() == canonical.casefold()),
               0)
    rest = sum(counts.values()) - own
    if not rest:
        return ""
    kinds = sorted({kind_of(name) or "entity" for name in counts
                    if name.casefold() != canonical.casefold()})
    nouns = [kind_nouns(k) if k != "entity" else "other entities" for k in kinds]
    return f"{own:,} of {canonical} itself, {rest:,} of its {and_list(nouns)}"


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
