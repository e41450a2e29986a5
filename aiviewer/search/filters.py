"""Search filters as typed nodes (pure): what the compiler produces, what
`store/filters.py` renders to SQL.

Each node says which tables it touches and what of the filtered row it reads,
so the store chooses its joins from the node, never from SQL text:

- `"segment id"`: only the segment's id (mentions, a text subquery) — the FTS
  rowid can stand for it, no row of `segments` is needed;
- `"segment"`: other columns of the segment (speaker, episode, offsets);
- `"episode"`: columns of its episode (show, date, id).

A filter is applied to segments, or to annotations (`on="annotation"` when
rendered): tags and `has:` then ask the annotation itself, and the segment-only
filters (speaker, entity, kind) match nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

SEGMENT_ID, SEGMENT, EPISODE = "segment id", "segment", "episode"


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Filter:
    tables: ClassVar[frozenset[str]] = frozenset()
    _reads: ClassVar[frozenset[str]] = frozenset()

    @property
    def reads(self) -> frozenset[str]:
        return self._reads


@dataclass(frozen=True)
class Always(Filter):
    """No condition."""


@dataclass(frozen=True)
class Never(Filter):
    """Matches nothing (an unknown entity or `has:` value, a field on the wrong target)."""


@dataclass(frozen=True)
class TextMatch(Filter):
    """Segments whose text matches an FTS5 expression in `table` (fts_segments or
    fts_prefix): text that could not join the ranked MATCH (under OR with a filter)."""

    table: str
    expr: str
    _reads: ClassVar = frozenset({SEGMENT_ID})

    @property
    def tables(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset({self.table})


@dataclass(frozen=True)
class EntityIs(Filter):
    """Segments mentioning one of these entities (canonical names)."""

    names: tuple[str, ...]
    tables: ClassVar = frozenset({"mentions"})
    _reads: ClassVar = frozenset({SEGMENT_ID})


@dataclass(frozen=True)
class KindIs(Filter):
    """Segments mentioning an entity of this kind (a lower-case word)."""

    kind: str
    tables: ClassVar = frozenset({"mentions"})
    _reads: ClassVar = frozenset({SEGMENT_ID})


@dataclass(frozen=True)
class SpeakerIs(Filter):
    """Segments whose speaker's label or display name contains `text`."""

    text: str
    tables: ClassVar = frozenset({"segments", "speakers"})
    _reads: ClassVar = frozenset({SEGMENT})


@dataclass(frozen=True)
class ShowIs(Filter):
    """Episodes of a show whose title contains `text`."""

    text: str
    tables: ClassVar = frozenset({"episodes", "shows"})
    _reads: ClassVar = frozenset({EPISODE})


@dataclass(frozen=True)
class EpisodeIs(Filter):
    """One episode: its id, or an id prefix."""

    ref: str
    tables: ClassVar = frozenset({"episodes"})
    _reads: ClassVar = frozenset({EPISODE})


@dataclass(frozen=True)
class DateRange(Filter):
    """Episodes dated within the range (ISO dates; None: open)."""

    start: str | None
    end: str | None
    start_excl: bool = False
    end_excl: bool = False
    tables: ClassVar = frozenset({"episodes"})
    _reads: ClassVar = frozenset({EPISODE})


@dataclass(frozen=True)
class TagUnder(Filter):
    """Segments under an annotation tagged `tag` or below it (`method/RL/GRPO`)."""

    tag: str
    tables: ClassVar = frozenset({"annotations", "annotation_tags", "tags", "segments"})
    _reads: ClassVar = frozenset({SEGMENT})


HAS_VALUES = ("note", "annotation", "tag", "entity")


@dataclass(frozen=True)
class Has(Filter):
    """Segments with an annotation (with a note, a tag) or an entity mention."""

    what: str  # one of HAS_VALUES

    @property
    def tables(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset({"mentions"} if self.what == "entity" else
                         {"annotations", "annotation_tags", "segments"})

    @property
    def reads(self) -> frozenset[str]:
        return frozenset({SEGMENT_ID} if self.what == "entity" else {SEGMENT})


@dataclass(frozen=True)
class _Group(Filter):
    items: tuple[Filter, ...]

    @property
    def tables(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset().union(*(i.tables for i in self.items))

    @property
    def reads(self) -> frozenset[str]:
        return frozenset().union(*(i.reads for i in self.items))


@dataclass(frozen=True)
class AllOf(_Group):
    """Every item holds (AND)."""


@dataclass(frozen=True)
class AnyOf(_Group):
    """At least one item holds (OR)."""


@dataclass(frozen=True)
class Not(Filter):
    item: Filter

    @property
    def tables(self) -> frozenset[str]:  # type: ignore[override]
        return self.item.tables

    @property
    def reads(self) -> frozenset[str]:
        return self.item.reads


def all_of(parts) -> Filter:
    """The conjunction of `parts`, without the `Always` ones."""
    items = tuple(p for p in parts if not isinstance(p, Always))
    if not items:
        return Always()
    return items[0] if len(items) == 1 else AllOf(items)


def segment_only(f: Filter) -> bool:
    """Whether a filter reads nothing of a segment but its id (mentions, text…)."""
    return not f.reads & {SEGMENT, EPISODE}


def episode_only(f: Filter) -> bool:
    """Whether a filter reads only the episode (show, date, episode id)."""
    return not f.reads & {SEGMENT, SEGMENT_ID}


def given_mention(f: Filter, names: frozenset[str]) -> Filter:
    """`f` for segments already known to mention one of the entities `names`: each
    part that every such segment passes becomes `Always`.

    The passages a search finds through an entity's mentions are such segments,
    and the query's broad form asks "the word, or a mention of its entity" of each
    of them; answered here, that part costs no text subquery in SQL (for
    `(OpenAI OR Anthropic) -Google` only `-Google` is left to check)."""
    if names and names <= _covered(f):
        return Always()
    if isinstance(f, AllOf):
        return all_of(given_mention(item, names) for item in f.items)
    return f


def _covered(f: Filter) -> frozenset[str]:
    """The entities a mention of any one of which makes a segment pass `f`."""
    if isinstance(f, EntityIs):
        return frozenset(f.names)
    if isinstance(f, AnyOf):
        return frozenset().union(*(_covered(i) for i in f.items))
    if isinstance(f, AllOf):
        return frozenset.intersection(*(_covered(i) for i in f.items))
    return frozenset()
