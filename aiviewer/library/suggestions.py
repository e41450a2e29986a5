"""Suggestions and the reader's decisions on them, through the Library facade.

A suggestion is a spelling the matcher proposes for an entity below its confidence bar
("heard as 'Nemotorn' — Nemotron?").  The reader confirms it (for this episode or the whole
library) or rejects it (a rejection also removes a pairing the matcher was sure of).  Each
decision is user data, one transaction and one undo step in the library's history (so
the window undoes a decision made with the CLI, and the reverse); the episodes it can touch
are re-matched in that same transaction, and every later re-match or re-import applies it
too (`store/mentions.write_episode_mentions`).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiviewer.changes import Changes
from aiviewer.entities.decisions import CONFIRM, REJECT, Decision
from aiviewer.errors import AiviewerError, NotFound
from aiviewer.model import Entity, Mention, Suggestion
from aiviewer.store import decisions as decisions_q
from aiviewer.store import episodes as episodes_q
from aiviewer.store import mentions as mentions_q
from aiviewer.store import undo as undo_q

MAX_SURFACE = 200


class SuggestionsMixin:
    """Mixed into Library; needs `self.store`, `self.matcher`, `self.entity`, `_push`."""

    def suggestions(self, episode_id: str | None = None) -> list[Suggestion]:
        """Suggestions grouped per episode, spelling and entity, in reading order."""
        return decisions_q.list_suggestions(self.store.db, episode_id)

    def segment_suggestions(self, episode_id: str) -> dict[int, list[Mention]]:
        """An episode's suggestions per segment, as `Mention(suggested=True)`."""
        return decisions_q.segment_suggestions(self.store.db, episode_id)

    def decisions(self) -> list[Decision]:
        """Every confirmation and rejection the reader made, oldest first."""
        return decisions_q.all_decisions(self.store.db)

    def confirm_suggestion(self, surface: str, entity: str,
                           episode_id: str | None = None) -> Changes:
        """`surface` is `entity`: in `episode_id` only, or (None) in the whole library,
        where the spelling then works as an alias of the entity."""
        return self._decide(surface, entity, CONFIRM, episode_id)

    def reject_suggestion(self, surface: str, entity: str,
                          episode_id: str | None = None) -> Changes:
        """`surface` is not `entity`: in `episode_id` only, or (None) anywhere.  Also
        removes mentions the matcher was confident of."""
        return self._decide(surface, entity, REJECT, episode_id)

    @property
    def has_matcher(self) -> bool:
        """Whether the matcher is built (a decision needs it to re-match)."""
        return self._matcher is not None

    def adopt_matcher(self, matcher) -> None:
        """A matcher built for this library elsewhere (on a worker thread's own
        connection: a second or more of work) so that the first decision does not
        build one here.  Ignored when one is built already."""
        if self._matcher is None:
            self._matcher = matcher

    # -- how a decision is made and undone ----------------------------------------------

    def _decide(self, surface: str, entity: str, verdict: str,
                episode_id: str | None) -> Changes:
        surface = " ".join(surface.split())
        _check_surface(surface)
        ent = self._known_entity(entity)
        if episode_id is not None and not episodes_q.exists(self.store.db, episode_id):
            raise NotFound(f"no episode {episode_id!r}")
        where = "in this episode" if episode_id else "everywhere"
        label = (f"Confirm “{surface}” as {ent.canonical} {where}" if verdict == CONFIRM
                 else f"Reject “{surface}” as {ent.canonical} {where}")
        k = decisions_q.key(surface, ent.canonical, episode_id)
        with self.store.atomic() as db:  # the decision, the re-match and the undo step
            before = undo_q.take_decisions(db, [k])
            decisions_q.put(db, surface, ent.canonical, ent.kind, verdict, episode_id)
            after = undo_q.take_decisions(db, [k])
            episodes = self._rematch_decided(db, [k])
            operation = undo_q.Operation(label, before, after)
            if getattr(self, "_group", None) is not None:
                self._group.append(operation)
            else:
                self._push(operation)
        return Changes(episodes=frozenset(episodes), mentions=True,
                       undo_label=label)

    def _known_entity(self, name: str) -> Entity:
        ent = self.entity(" ".join(name.split()))
        if ent is None:
            raise NotFound(f"no entity {name!r}; `aiviewer entities` lists them, "
                           "`aiviewer entities add` makes one")
        return ent

    def _rematch_decided(self, db, keys: Iterable[tuple[str, str, str]]) -> list[str]:
        """Re-match the episodes these decisions can touch (inside the caller's
        transaction): the episode of a scoped one, those holding the spelling else."""
        ids: set[str] = set()
        for surface, _entity, scope in keys:
            if scope:
                if episodes_q.exists(db, scope):
                    ids.add(scope)
            else:
                ids.update(mentions_q.episodes_with_words(db, [surface]))
        for eid in sorted(ids):
            mentions_q.recompute_episode(db, eid, self.matcher)
        return sorted(ids)


def _check_surface(surface: str) -> None:
    if not surface:
        raise AiviewerError("a spelling to confirm or reject cannot be empty")
    if len(surface) > MAX_SURFACE:
        raise AiviewerError(f"a spelling is at most {MAX_SURFACE} characters "
                            f"(this one has {len(surface):,})")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in surface):
        raise AiviewerError("a spelling cannot hold control characters")
