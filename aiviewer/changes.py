"""What a mutation changed, so each view can decide whether to redraw.

Every Library mutator returns a `Changes`; `undo_label` is what the Edit menu
shows for it ("Undo tag “GRPO” on 3 passages").
"""

from __future__ import annotations

from dataclasses import dataclass


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
