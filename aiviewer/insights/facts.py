"""What a scope holds, as numpy arrays: enough for every insight without more SQL.

Why arrays: at 100x the library holds 550,000 mentions in 250,000 passages, and
counting them as Python tuples, dicts and sets took about 10 s for the charts of
the whole library (a plain SQL GROUP BY of the mentions: 3.4 s in the same run).
Here a mention is two integers (its passage, its entity) in two arrays, a passage
two more (its episode, its speaker), and every chart is a few sorts, bincounts and
masks over them.  The rows come grouped from the store (`store.insights`: one row
per entity with the ids of its passages, one per episode and speaker), so even
reading them creates no Python object per mention.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from aiviewer.insights.model import Scope

NO_SPEAKER = "(no speaker)"

Family = Callable[[str, str], str]
Positions = Callable[[Sequence[int]], dict[int, tuple[int | None, int]]]


def _same(canonical: str, kind: str) -> str:
    return canonical


def _no_kind(name: str) -> str | None:
    return None


def _id_lists(joined: list[str | None]) -> tuple[np.ndarray, list[int]]:
    """['12,13', '40'] → (int64 array [12, 13, 40], lengths [2, 1]): one pass of
    numpy's text parser over all of them, no Python int per id."""
    lengths = [j.count(",") + 1 if j else 0 for j in joined]
    text = ",".join(j for j in joined if j)
    ids = np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)
    return ids, lengths


@dataclass
class Facts:
    """A scope's mentions and passages.

    entities: (canonical, kind) per entity code; m_seg / m_ent: each mention's
    passage (segment id) and entity code; p_ids: the scope's passage ids, sorted;
    m_ep / m_who: each mention's episode and speaker codes (into episode_ids and
    speakers); episodes: id → (title, date) of the scope's episodes; n_passages:
    every passage in the scope (the N of co-occurrence); tag_mentions: (tag,
    segment id, canonical, kind) of mentions inside an annotation with that tag;
    tag_passages: (tag, segment id, speaker) of the passages such annotations
    overlap; positions: segment ids → (start ms, seq), read when a chart along an
    episode asks."""

    scope: Scope
    entities: list[tuple[str, str]]
    m_seg: np.ndarray
    m_ent: np.ndarray
    m_ep: np.ndarray
    m_who: np.ndarray
    episode_ids: list[str]
    speakers: list[str]
    episodes: dict[str, tuple[str, str | None]]
    n_passages: int
    tag_mentions: list[tuple[str, int, str, str]] = field(default_factory=list)
    tag_passages: list[tuple[str, int, str | None]] = field(default_factory=list)
    family: Family = _same
    # the kind of the entity a family label names (None when unknown): `top_entities` says
    # "DeepSeek models" where the family's head is of another kind than the chart's
    kind_of: Callable[[str], str | None] = _no_kind
    title: str = ""  # the scope as a reader names it ("Interviewing Ross Taylor…")
    positions: Positions | None = None
    _memo: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_groups(cls, scope: Scope, mention_groups: list[tuple[str, str, str]],
                    passage_groups: list[tuple[str, str | None, str]],
                    episodes: dict[str, tuple[str, str | None]], **rest) -> Facts:
        """From `store.insights.mention_groups` and `passage_groups` rows."""
        entities = [(name, kind) for name, kind, _ in mention_groups]
        m_seg, m_lengths = _id_lists([joined for _, _, joined in mention_groups])
        m_ent = np.repeat(np.arange(len(entities), dtype=np.int32), m_lengths)
        episode_ids = sorted({eid for eid, _, _ in passage_groups})
        ep_code = {eid: i for i, eid in enumerate(episode_ids)}
        speakers: dict[str, int] = {}
        p_ids, lengths = _id_lists([joined for _, _, joined in passage_groups])
        g_ep = np.array([ep_code[eid] for eid, _, _ in passage_groups], dtype=np.int32)
        g_who = np.array([speakers.setdefault(who or NO_SPEAKER, len(speakers))
                          for _, who, _ in passage_groups], dtype=np.int32)
        # each passage's episode and speaker by segment id (-1: not in the scope):
        # one gather per mention instead of a search
        size = int(max(p_ids.max(initial=-1), m_seg.max(initial=-1))) + 1
        ep_by_id = np.full(size, -1, dtype=np.int32)
        who_by_id = np.full(size, -1, dtype=np.int32)
        ep_by_id[p_ids] = np.repeat(g_ep, lengths)
        who_by_id[p_ids] = np.repeat(g_who, lengths)
        m_ep, m_who = ep_by_id[m_seg], who_by_id[m_seg]
        inside = m_ep >= 0  # a mention outside the scope's passages: dropped
        if not inside.all():
            m_seg, m_ent, m_ep, m_who = m_seg[inside], m_ent[inside], m_ep[inside], m_who[inside]
        return cls(scope=scope, entities=entities, m_seg=m_seg, m_ent=m_ent, m_ep=m_ep,
                   m_who=m_who, episode_ids=episode_ids, speakers=list(speakers),
                   episodes=episodes, n_passages=len(p_ids), **rest)

    @property
    def where(self) -> str:
        return self.title or str(self.scope)

    def label(self, canonical: str, kind: str, families: bool) -> str:
        if not families:
            return canonical
        key = (canonical, kind)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self.family(canonical, kind)
        return found

    def labels(self, families: bool) -> tuple[list[str], np.ndarray]:
        """(label strings, each entity code's label code): an entity counts under its
        family's name when `families`, else under its own."""
        key = ("labels", families)
        found = self._memo.get(key)
        if found is None:
            names: dict[str, int] = {}
            codes = np.array([names.setdefault(self.label(n, k, families), len(names))
                              for n, k in self.entities], dtype=np.int32)
            found = self._memo[key] = (list(names), codes)
        return found

    def kind_mask(self, kinds: Sequence[str] | None) -> np.ndarray | None:
        """Which mentions are of one of `kinds` (None: all, no mask)."""
        if kinds is None:
            return None
        wanted = set(kinds)
        return np.array([k in wanted for _, k in self.entities], dtype=bool)[self.m_ent] \
            if self.entities else np.zeros(0, dtype=bool)

    def episode_months(self) -> np.ndarray:
        """Each episode code's month code into `months` (-1: no date)."""
        key = "months"
        found = self._memo.get(key)
        if found is None:
            months: dict[str, int] = {}
            codes = []
            for eid in self.episode_ids:
                date = self.episodes.get(eid, ("", None))[1]
                codes.append(months.setdefault(date[:7], len(months))
                             if date and len(date) >= 7 else -1)
            found = self._memo[key] = (list(months), np.array(codes, dtype=np.int32))
        return found


def groups(keys: np.ndarray, segs: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """For each distinct key: (keys, mention counts, sorted distinct segment ids).

    One sort of (key, segment) pairs; the segment ids of each key are then a slice."""
    if not len(keys):
        return keys, np.zeros(0, dtype=np.int64), []
    span = int(segs.max()) + 1
    if int(keys.max()) < (1 << 62) // span:
        # one sort of a combined key: several times faster than lexsort of two
        combined = np.sort(keys.astype(np.int64) * span + segs)
        k, s = combined // span, combined % span
    else:
        order = np.lexsort((segs, keys))
        k, s = keys[order], segs[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    ends = np.r_[starts[1:], len(k)]
    fresh = np.r_[True, (s[1:] != s[:-1]) | (k[1:] != k[:-1])]
    distinct = [s[a:b][fresh[a:b]] for a, b in zip(starts, ends)]
    return k[starts], ends - starts, distinct


def unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values, by sorting: numpy 2's hashing `np.unique` took 2.5 s
    over the 100x library's mentions where a sort takes a tenth of that."""
    if len(values) < 2:
        return values.copy()
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def as_tuple(ids: np.ndarray) -> tuple[int, ...]:
    return tuple(ids.tolist())
