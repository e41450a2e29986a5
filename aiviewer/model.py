"""Plain data shared by every layer: what parsers produce and what the store returns.

Frozen dataclasses only, no behaviour beyond trivial derived properties, so that
the ingest, store, search and UI layers can pass them around without depending
on each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# --- what parsers produce ---------------------------------------------------------


@dataclass(frozen=True)
class ParsedSegment:
    """One unit of an episode as a parser found it: a speaker turn, a paragraph or a heading.

    `speaker` is the label as it appears in the source ("Nathan Lambert", "SPEAKER_00",
    "Speaker 1"); `sounds` holds non-speech tags removed from the text ("music",
    "laughter") so that they are kept but never searched.
    """

    text: str
    speaker: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    kind: str = "turn"  # turn | paragraph | heading
    sounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    title: str


@dataclass(frozen=True)
class ParsedEpisode:
    """One episode as read from one source file, before deduplication against the store.

    `title_derived` says the title was made up (from a URL slug or the first sentence)
    rather than stated by the source; when two sources of one episode meet, a stated
    title wins over a derived one.  `is_preview` marks a truncated copy that must never
    replace a fuller text.
    """

    title: str
    segments: tuple[ParsedSegment, ...] = ()
    show: str | None = None
    date: str | None = None  # ISO 8601 date, YYYY-MM-DD
    url: str | None = None
    video_id: str | None = None
    description: str | None = None  # show notes, summaries (plain text or Markdown)
    chapters: tuple[Chapter, ...] = ()
    mentioned: tuple[str, ...] = ()  # a source's own "We mention" list
    speakers: tuple[str, ...] = ()  # speaker labels known for the episode, in order
    title_derived: bool = False
    is_preview: bool = False


@dataclass(frozen=True)
class ParsedSource:
    """Everything one file yields: its form, an optional show, and one or more episodes."""

    form: str
    episodes: tuple[ParsedEpisode, ...]
    show_title: str | None = None
    show_description: str | None = None


# --- what the store returns -------------------------------------------------------


@dataclass(frozen=True)
class Show:
    id: int
    title: str
    description: str | None = None


@dataclass(frozen=True)
class EpisodeSummary:
    """A row of the library list: enough to show and sort, without the text."""

    id: str
    title: str
    show: str | None
    date: str | None
    url: str | None
    video_id: str | None
    form: str
    n_segments: int
    n_words: int
    duration_ms: int | None
    speakers: tuple[str, ...]  # display names, in order of first appearance
    n_sources: int = 1


@dataclass(frozen=True)
class Segment:
    id: int
    episode_id: str
    seq: int
    kind: str
    speaker: str | None  # display name (after user renames)
    speaker_label: str | None  # label as imported
    start_ms: int | None
    end_ms: int | None
    text: str
    char_start: int  # offset of `text` in the episode's canonical text
    sounds: tuple[str, ...] = ()

    @property
    def char_end(self) -> int:
        return self.char_start + len(self.text)


@dataclass(frozen=True)
class SourceRef:
    path: str
    role: str  # primary | duplicate | preview
    form: str


@dataclass(frozen=True)
class Episode:
    """An episode with everything the reader shows."""

    summary: EpisodeSummary
    description: str | None
    segments: tuple[Segment, ...]
    chapters: tuple[Chapter, ...]
    mentioned: tuple[str, ...]
    speaker_names: dict[str, str] = field(default_factory=dict)  # label -> display name
    sources: tuple[SourceRef, ...] = ()

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def title(self) -> str:
        return self.summary.title

    @property
    def text(self) -> str:
        """The canonical text that annotation positions refer to."""
        return "\n\n".join(s.text for s in self.segments)


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file in an import."""

    path: str
    status: str  # added | updated | unchanged | failed | skipped
    episodes_added: int = 0
    episodes_updated: int = 0
    episodes_merged: int = 0  # episodes that were folded into an existing one
    error: str | None = None
    edits_unfit: int = 0  # the user's turn edits the new text no longer has a place for
    added_ids: tuple[str, ...] = ()  # the episodes added; the window opens the first


@dataclass
class ImportReport:
    """Totals of one import run, as the CLI and the UI summarise it."""

    outcomes: list[ImportOutcome] = field(default_factory=list)
    cancelled: bool = False

    def _count(self, attr: str) -> int:
        return sum(getattr(o, attr) for o in self.outcomes)

    @property
    def added(self) -> int:
        return self._count("episodes_added")

    @property
    def updated(self) -> int:
        return self._count("episodes_updated")

    @property
    def merged(self) -> int:
        return self._count("episodes_merged")

    @property
    def added_ids(self) -> list[str]:
        """The episodes this import added, in the order of their files."""
        return [i for o in self.outcomes for i in o.added_ids]

    @property
    def unchanged_files(self) -> int:
        return sum(o.status == "unchanged" for o in self.outcomes)

    @property
    def edits_unfit(self) -> int:
        """The user's turn edits that re-imported text no longer has a place for."""
        return self._count("edits_unfit")

    @property
    def failed(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


# --- entities ----------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    """A catalog or user entity.  `parent` is the canonical name of its family
    (Claude Opus 4.5 → Claude → Anthropic), so filters on a family find members."""

    canonical: str
    kind: str  # model organization person product technique benchmark dataset hardware paper
    description: str = ""
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    user: bool = False  # defined by the user (stored in SQLite), not the catalog


class Mention(NamedTuple):
    """An entity found in a text: offsets are into the text that was matched.

    `fuzzy`: heard differently from any alias (a speech-recognition variant).
    `suggested`: below the confidence bar — shown quietly as "heard as … — X?" for the
    reader to confirm or reject, never highlighted or counted as a mention until confirmed.

    A named tuple rather than a frozen dataclass: the matcher makes about 6,000 per megabyte
    of transcript, and a tuple is one object built in C (`tuple.__new__(Mention, fields)`,
    a third of the instance-dict fill it replaced, which was itself half the dataclass's
    `__init__`), with no instance dict for the garbage collector to walk.
    """

    start: int
    end: int
    surface: str
    canonical: str
    kind: str
    fuzzy: bool = False
    suggested: bool = False


@dataclass(frozen=True)
class Suggestion:
    """A spelling the matcher proposes for an entity below its confidence bar, in one
    episode: how often, and the first place it is heard (with some text around it)."""

    surface: str
    entity: str  # the proposed entity's canonical name
    kind: str
    count: int
    episode_id: str
    episode_title: str
    segment_id: int
    char_start: int  # offset of the first occurrence in the episode's canonical text
    context: str
    context_start: int  # offset of the surface inside `context`
    context_end: int


@dataclass(frozen=True)
class EntityCount:
    canonical: str
    kind: str
    mentions: int
    episodes: int
    description: str = ""


@dataclass(frozen=True)
class MentionInContext:
    """One mention somewhere in the library, for "everywhere" lists and the CLI."""

    episode_id: str
    episode_title: str
    segment_id: int
    speaker: str | None
    start_ms: int | None
    surface: str
    context: str  # a window of the segment text around the mention
    context_start: int  # offset of the mention inside `context`
    context_end: int
    char_start: int  # offset of the mention in the episode's canonical text


# --- search ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One result.  `snippet` is plain text; `highlights` are (start, end) offsets of
    the matched terms inside it, so each view escapes and marks them itself."""

    episode_id: str
    episode_title: str
    show: str | None
    date: str | None
    segment_id: int | None  # None for hits in titles/show notes/annotations
    speaker: str | None
    start_ms: int | None
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    field: str = "transcript"  # transcript | title | notes | annotation
    char_start: int | None = None  # segment offset in the episode's canonical text
    annotation_id: str | None = None
    # how a transcript passage matched: "words" (the query's words or filters),
    # "meaning" (close in meaning only) or "both"
    matched: str = "words"
    # found through an entity's mention spelled otherwise: what was heard ("cloud code")
    heard_as: str | None = None


@dataclass(frozen=True)
class SearchResults:
    query: str
    understood: str  # the query as parsed, shown under the search box
    hits: tuple[SearchHit, ...]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # show/speaker/kind/year
    suggestion: str | None = None  # "did you mean"
    error: str | None = None  # a syntax problem; the query was then searched as plain words
    notice: str | None = None  # one line on how the search fell short (meaning unavailable)


# --- the user's own work ---------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    """A tag is a path (`method/RL/GRPO`); its parent tags are the path's prefixes."""

    id: int
    name: str
    colour: str | None = None
    count: int = 0  # annotations carrying this tag (not its children)

    @property
    def parent(self) -> str | None:
        return self.name.rsplit("/", 1)[0] if "/" in self.name else None

    @property
    def leaf(self) -> str:
        return self.name.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Annotation:
    """A passage the user marked, anchored as the W3C Web Annotation model does:
    the quote (`exact`) with 32 characters of `prefix` and `suffix`, and character
    positions (`start`, `end`) in the episode's canonical text (`Episode.text`).

    `status` says how well it is anchored now: `anchored` (position and quote agree),
    `fuzzy` (re-anchored to a slightly different text) or `orphaned` (its text is gone;
    kept, with quote and note, until the user re-attaches it).  The fields after
    `status` are context for display and export, filled in by the store's queries."""

    id: str
    episode_id: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    note_md: str = ""
    tags: tuple[str, ...] = ()
    colour: str | None = None
    created: str = ""
    modified: str = ""
    status: str = "anchored"
    episode_title: str = ""
    show: str | None = None
    date: str | None = None
    url: str | None = None
    speaker: str | None = None
    start_ms: int | None = None
    segment_id: int | None = None


@dataclass(frozen=True)
class AnnotationImport:
    """What merging an annotation file did.  Importing the same file twice adds nothing."""

    path: str
    added: int = 0
    updated: int = 0  # same id, newer modification time in the file
    unchanged: int = 0
    orphaned: int = 0  # kept, but their text is not in this library (yet)

    def __str__(self) -> str:
        return (f"{self.path}: {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.orphaned} without a place in the text "
                "(kept as orphans)")
