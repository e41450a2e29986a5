"""What a mutation changed, so each view can decide whether to redraw.

Every public mutator of `Library` returns a `Changes` (the list is
`library.MUTATORS`, checked by `tests/library/test_mutators_return_changes.py`);
`undo_label` is what the Edit menu shows for it ("Undo tag “GRPO” on 3 passages").

A mutator that also has a result (the annotation it made, how many passages it
tagged, the import report) returns `ChangesWith[T]`: a `Changes` that carries the
result as `.value`.  One generic wrapper rather than a class per result (Anki has
`OpChangesWithCount`, `OpChangesWithId`, …) because the window only ever looks at
the `Changes` side — it hands every one to the same signal (`ui/changes_hub.py`) —
while the caller that wants the result reads `.value`, typed by the mutator's
annotation (`ChangesWith[Annotation]`).  So there is one rule for every mutator,
no mutator returns a bare value the views cannot redraw from, and `isinstance(x,
Changes)` holds for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    episodes: frozenset[str] = frozenset()  # ids of episodes whose content changed
    library: bool = False  # the list of episodes/shows changed
    speakers: bool = False
    tags: bool = False
    annotations: bool = False
    entities: bool = False
    mentions: bool = False  # the entity mentions or suggestions of `episodes` changed
    undo_label: str | None = None

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            episodes=self.episodes | other.episodes,
            library=self.library or other.library,
            speakers=self.speakers or other.speakers,
            tags=self.tags or other.tags,
            annotations=self.annotations or other.annotations,
            entities=self.entities or other.entities,
            mentions=self.mentions or other.mentions,
            undo_label=other.undo_label or self.undo_label,
        )

    @property
    def empty(self) -> bool:
        return not (
            self.episodes or self.library or self.speakers or self.tags
            or self.annotations or self.entities or self.mentions
        )

    def carrying(self, value: T) -> ChangesWith[T]:
        """These changes with the mutator's result attached."""
        return ChangesWith(value=value, **{f.name: getattr(self, f.name)
                                           for f in fields(Changes)})


@dataclass(frozen=True)
class ChangesWith(Changes, Generic[T]):
    """A `Changes` that also carries what the mutator produced (`value`)."""

    value: T | None = None
