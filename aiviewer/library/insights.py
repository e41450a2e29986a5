"""Insights over the library: rows from `store.insights`, counted by `aiviewer.insights`,
kept until the library changes.

The cache is keyed by the store's write marker (SQLite's `data_version`, which
moves on another connection's commit, and this connection's change count), so a
repeat of the same insight is a dictionary lookup and any change — an import, a
tag, a rename, re-matched entities — makes the next one count afresh.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from aiviewer.errors import NotFound
from aiviewer.insights import INSIGHTS, Chart, Passage, Scope
from aiviewer.store import insights as insights_q

SEARCH_SCOPE_LIMIT = 20_000  # passages of a search scope (the ranked first ones)


class InsightsMixin:
    """`Library.insight(name, scope, **params)` and the passages behind a cell."""

    _insight_lock = threading.Lock()

    def insight(self, name: str, scope: Scope | str = "library", **params) -> Chart:
        """One chart: `entities` (kind, limit, families), `cooccur` (kinds, limit,
        min_count, focus, families), `speakers` (kind, limit, families), `tags`
        (by = entity | speaker, limit), `timeline` (entities, by = month | episode,
        limit, bins).  Cached until the library changes."""
        if name not in INSIGHTS:
            raise ValueError(f"unknown insight {name!r}: use {', '.join(INSIGHTS)}")
        scope = scope if isinstance(scope, Scope) else Scope.parse(scope)
        key = ("chart", name, scope, tuple(sorted((k, _hashable(v)) for k, v in params.items())))
        cache = self._insight_cache()
        if key in cache:
            return cache[key]
        from aiviewer.insights import counting as c  # numpy, on the first chart

        facts = self.insight_facts(scope)
        fn = {"entities": c.top_entities, "cooccur": c.cooccurrence, "speakers": c.speakers,
              "tags": c.tags, "timeline": c.timeline}[name]
        chart = fn(facts, **params)
        cache[key] = chart
        return chart

    def insight_facts(self, scope: Scope):
        """The rows every insight of a scope is counted from (cached like the charts)."""
        cache = self._insight_cache()
        key = ("facts", scope)
        if key in cache:
            return cache[key]
        from aiviewer.insights.facts import Facts

        db = self.store.db
        cond = insights_q.condition(scope, self._scope_ids(scope))
        passage_groups = insights_q.passage_groups(db, cond)
        held = {eid for eid, _, _ in passage_groups}
        episodes = insights_q.episode_rows(db, None if scope.kind == "library" else held)
        facts = Facts.from_groups(
            scope, insights_q.mention_groups(db, cond), passage_groups,
            {eid: row for eid, row in episodes.items() if eid in held},
            tag_mentions=insights_q.tag_mention_rows(db, cond),
            tag_passages=insights_q.tag_passage_rows(db, cond),
            family=self.family_label,
            kind_of=self.entity_kind,
            title=self._scope_title(scope),
            positions=lambda ids: insights_q.passage_positions(self.store.db, ids),
        )
        cache[key] = facts
        return facts

    def _scope_ids(self, scope: Scope) -> list[int] | None:
        if scope.kind == "episode" and not self.episode_exists(scope.value):
            scope_id = self.resolve_episode(scope.value)
            raise NotFound(f"use the episode's id: episode:{scope_id}")
        if scope.kind == "show" and scope.value not in insights_q.show_titles(self.store.db):
            raise NotFound(f"no show {scope.value!r}; the shows are: "
                           + ", ".join(insights_q.show_titles(self.store.db)))
        if scope.kind != "search":
            return None
        results = self.search(scope.value, limit=SEARCH_SCOPE_LIMIT)
        return sorted({h.segment_id for h in results.hits if h.segment_id is not None})

    def _scope_title(self, scope: Scope) -> str:
        if scope.kind == "episode":
            title = self.episode(scope.value).summary.title
            # 100: a chart's title has the window's width; cut at 60 it read
            # "…Chinese open m…" beside empty space (review)
            return title if len(title) <= 100 else title[:99] + "…"
        return {"library": "the library", "show": f"show {scope.value}",
                "tag": f"tag {scope.value}", "search": f"search “{scope.value}”"}[scope.kind]

    def insight_passages(self, segment_ids, names=(), families: bool = True) -> list[Passage]:
        """The passages a cell counts, in date, episode and reading order, each with the
        spans of its mentions counted under one of `names` (an entity, or its family's
        name when `families`): what the list marks, to say why a passage is there."""
        found = insights_q.passages(self.store.db, list(segment_ids))
        wanted = set(names)
        if not wanted or not found:
            return found
        marks: dict[int, list[tuple[int, int]]] = {}
        for sid, start, end, entity, kind in insights_q.mention_spans(
                self.store.db, [p.segment_id for p in found]):
            if entity in wanted or (families and self.family_label(entity, kind) in wanted):
                marks.setdefault(sid, []).append((start, end))
        return [replace(p, marks=tuple(marks[p.segment_id])) if p.segment_id in marks else p
                for p in found]

    def insight_shows(self) -> list[str]:
        return insights_q.show_titles(self.store.db)

    def family_label(self, canonical: str, kind: str) -> str:
        """What an entity is counted under by family: the furthest ancestor whose name
        it carries (Qwen 3 → Qwen, Kimi K2 Thinking → Kimi, DeepSeek R1 → DeepSeek),
        so versions add up while GRPO stays apart from reinforcement learning and
        o3 from GPT (parents by topic, not by name)."""
        lookup = (self._matcher or self._entity_index()).entity
        node = lookup(canonical)
        label = node.canonical if node else canonical
        for _ in range(8):  # a parent loop in a user's entities ends here
            if node is None or not node.parent:
                break
            parent = lookup(node.parent)
            if parent is None or not _named_after(node.canonical, parent.canonical):
                break
            node, label = parent, parent.canonical
        return label

    def _insight_cache(self) -> dict:
        marker = insights_q.change_marker(self.store.db)
        with self._insight_lock:
            held = getattr(self, "_insights_held", None)
            if held is None or held[0] != marker:
                held = (marker, {})
                self._insights_held = held
            return held[1]


def _named_after(child: str, parent: str) -> bool:
    """"Qwen 3" and "Qwen3-Next" carry "Qwen"; "Claudette" does not carry "Claude"."""
    c, p = child.casefold(), parent.casefold()
    return len(c) > len(p) and c.startswith(p) and not child[len(p)].islower()


def _hashable(value):
    return tuple(value) if isinstance(value, list | tuple | set) else value
