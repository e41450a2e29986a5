"""The parsed query as plain data: what query.py produces and compile.py consumes.

Kept apart from both so that the compiler never sees whoosh (import-linter keeps
whoosh inside query.py and spelling.py) and can be tested on hand-built trees.
`render` prints a tree back as the canonical query text shown under the search
box ("what was understood").
"""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("speaker", "show", "episode", "entity", "kind", "tag", "has")


@dataclass(frozen=True)
class Word:
    """A bare word; it may also name an entity (see compile.EntityLookup)."""

    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    """`distill*`: words starting with `text`, answered by the unstemmed index."""

    text: str


@dataclass(frozen=True)
class Wildcard:
    """`gr?o`, `*former`: expanded against the vocabulary (`?` one char, `*` any)."""

    pattern: str


@dataclass(frozen=True)
class Fuzzy:
    """`grpo~` / `grpo~2`: the word or indexed words within `maxdist` edits."""

    text: str
    maxdist: int = 1


@dataclass(frozen=True)
class Field:
    """`speaker:"Ross Taylor"`, `show:…`, `episode:…`, `entity:…`, `kind:…`, `tag:…`, `has:…`."""

    name: str
    value: str


@dataclass(frozen=True)
class DateRange:
    """Episode dates as ISO strings; None is open.  `date:2025` → 2025-01-01..2025-12-31."""

    start: str | None = None
    end: str | None = None
    start_excl: bool = False
    end_excl: bool = False


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Nothing:
    """An empty query (or one whose every part was dropped)."""


Node = Word | Phrase | Prefix | Wildcard | Fuzzy | Field | DateRange | And | Or | Not | Nothing

TEXT_NODES = (Word, Phrase, Prefix, Wildcard, Fuzzy)


def _quote(value: str) -> str:
    if value and all(c.isalnum() or c in "-_./+'#@" for c in value):
        return value
    return '"' + value.replace('"', "") + '"'


def render(node: Node, top: bool = True) -> str:
    """Canonical query text for a tree; parentheses only where they matter."""
    match node:
        case Word(text):
            return _quote(text) if text.upper() not in ("AND", "OR", "NOT") else f'"{text}"'
        case Phrase(words):
            return '"' + " ".join(words).replace('"', "") + '"'
        case Prefix(text):
            return f"{text}*"
        case Wildcard(pattern):
            return pattern
        case Fuzzy(text, maxdist):
            return f"{text}~" if maxdist == 1 else f"{text}~{maxdist}"
        case Field(name, value):
            return f"{name}:{_quote(value)}"
        case DateRange(start, end, sx, ex):
            if start and end:
                return f"date:[{start} to {end}]"
            if start:
                return f"date:{'>' if sx else '>='}{start}"
            if end:
                return f"date:{'<' if ex else '<='}{end}"
            return "date:*"
        case And(items):
            text = " ".join(render(i, False) for i in items)
            return text if top else f"({text})"
        case Or(items):
            text = " OR ".join(render(i, False) for i in items)
            return text if top else f"({text})"
        case Not(item):
            return f"NOT {render(item, False)}"
        case Nothing():
            return ""
    raise TypeError(f"not a query node: {node!r}")


def walk(node: Node):
    """Every node of a tree, parents before children."""
    yield node
    if isinstance(node, And | Or):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, Not):
        yield from walk(node.item)
