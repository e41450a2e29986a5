"""Counting insights from mention, passage and tag rows (pure; `store.insights` reads them).

Every function returns a `Chart` whose cells keep the passage (segment) ids they
count.  Entities may be counted by *family* (`family(canonical, kind)` gives the
label), so the many Qwen and DeepSeek versions add up to one bar each.

Co-occurrence is counted per passage and ranked by pointwise mutual information,
PMI = log2(n_ab · N / (n_a · n_b)) — the observed passages with both over those
expected if the two were independent — so a pair of rare names said together
ranks above two frequent names that merely share a long library.  Pairs seen in
fewer than `min_count` passages are left out (PMI of a single chance meeting of
two rare names is large and meaningless).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from aiviewer.insights.model import Cell, Chart, Scope
from aiviewer.wording import format_ms

INSIGHTS = ("entities", "cooccur", "speakers", "tags", "timeline")
NO_SPEAKER = "(no speaker)"

Family = Callable[[str, str], str]


def _same(canonical: str, kind: str) -> str:
    return canonical


@dataclass
class Facts:
    """What a scope holds, as rows: enough for every insight without more SQL.

    mentions: (segment id, canonical, kind); passages: segment id → (episode id,
    speaker, start ms, seq) for passages with mentions; episodes: id → (title,
    date); n_passages: every passage in the scope (the N of co-occurrence);
    tag_mentions: (tag, segment id, canonical, kind) of mentions inside an
    annotation with that tag; tag_passages: (tag, segment id, speaker) of the
    passages such annotations overlap."""

    scope: Scope
    mentions: list[tuple[int, str, str]]
    passages: dict[int, tuple[str, str | None, int | None, int]]
    episodes: dict[str, tuple[str, str | None]]
    n_passages: int
    tag_mentions: list[tuple[str, int, str, str]] = field(default_factory=list)
    tag_passages: list[tuple[str, int, str | None]] = field(default_factory=list)
    family: Family = _same
    title: str = ""  # the scope as a reader names it ("Interviewing Ross Taylor…")
    _labels: dict = field(default_factory=dict, repr=False)

    @property
    def where(self) -> str:
        return self.title or str(self.scope)

    def labelled(self, families: bool) -> list[tuple[int, str, str]]:
        """(segment id, label, kind) of every mention, computed once per choice."""
        key = ("labelled", families)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = [(seg, self.label(name, k, families), k)
                                         for seg, name, k in self.mentions]
        return found

    def tallies(self, families: bool) -> dict[tuple[str, str], list[int]]:
        """(label, kind) → the segment of each of its mentions: one pass that top
        entities of every kind are then read from."""
        key = ("tallies", families)
        found = self._labels.get(key)
        if found is None:
            found = defaultdict(list)
            for seg, label, k in self.labelled(families):
                found[(label, k)].append(seg)
            self._labels[key] = found = dict(found)
        return found

    def by_speaker(self, families: bool) -> dict[tuple[str, str, str], list[int]]:
        """(speaker, label, kind) → the segment of each mention that speaker said."""
        key = ("speakers", families)
        found = self._labels.get(key)
        if found is None:
            who = {seg: p[1] or NO_SPEAKER for seg, p in self.passages.items()}
            found = defaultdict(list)
            for seg, label, k in self.labelled(families):
                found[(who.get(seg, NO_SPEAKER), label, k)].append(seg)
            self._labels[key] = found = dict(found)
        return found

    def passage_sets(self, kinds, families: bool) -> dict[int, set[str]]:
        """Segment → the labels mentioned in it (of `kinds`, or all)."""
        key = ("sets", tuple(kinds) if kinds else None, families)
        found = self._labels.get(key)
        if found is None:
            found = defaultdict(set)
            for seg, label, k in self.labelled(families):
                if kinds is None or k in kinds:
                    found[seg].add(label)
            self._labels[key] = found = dict(found)
        return found

    def label(self, canonical: str, kind: str, families: bool) -> str:
        if not families:
            return canonical
        key = (canonical, kind)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = self.family(canonical, kind)
        return found


def top_entities(facts: Facts, kind: str | None = None, limit: int = 20,
                 families: bool = True) -> Chart:
    """The most mentioned entities (of one kind, or all), with mentions and episodes."""
    mentions: Counter[str] = Counter()
    lists: dict[str, list[list[int]]] = defaultdict(list)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for (label, k), segs in facts.tallies(families).items():
        if kind is None or k == kind:
            mentions[label] += len(segs)
            lists[label].append(segs)
            kinds[label][k] += len(segs)
    top = sorted(mentions, key=lambda x: (-mentions[x], x.casefold()))[:limit]
    cells = []
    for label in top:
        segs = {s for part in lists[label] for s in part}
        eps = {facts.passages[s][0] for s in segs if s in facts.passages}
        cells.append(Cell(label, kinds[label].most_common(1)[0][0], mentions[label],
                          mentions[label], tuple(sorted(segs)), episodes=len(eps)))
    what = f"{kind} " if kind else ""
    return Chart("entities", f"Top {what}entities — {facts.where}", facts.scope, "bars",
                 "mentions", tuple(top), tuple(sorted({c.col for c in cells})), tuple(cells),
                 params={"kind": kind, "limit": limit, "families": families})


def cooccurrence(facts: Facts, kinds: tuple[str, ...] | None = None, limit: int = 20,
                 min_count: int = 2, focus: str | None = None,
                 families: bool = True) -> Chart:
    """Entities said in the same passage, valued by PMI (observed vs expected).

    Without `focus`: a symmetric matrix of the `limit` entities found in the most
    passages (one cell per pair, row before column in that order).  With `focus`:
    one row, that entity against every partner, highest PMI first."""
    per_seg = facts.passage_sets(kinds, families)
    n_a: Counter[str] = Counter()
    for labels in per_seg.values():
        n_a.update(labels)
    total = max(facts.n_passages, len(per_seg), 1)
    notes = [f"{total:,} passages; a pair needs at least {min_count} passages with both"]
    if focus is not None:
        match = next((x for x in n_a if x.casefold() == focus.casefold()), None)
        pairs: dict[str, list[int]] = defaultdict(list)
        if match is not None:
            for seg, labels in per_seg.items():
                if match in labels:
                    for other in labels - {match}:
                        pairs[other].append(seg)
        cells = [_pair(match, other, segs, n_a, total) for other, segs in pairs.items()
                 if len(segs) >= min_count]
        cells.sort(key=lambda c: (-c.value, -c.count, c.col.casefold()))
        cells = cells[:limit]
        if match is None:
            notes.append(f"{focus!r} is not mentioned in this scope")
        rows = (match,) if match else ()
        return Chart("cooccur", f"Said with {match or focus} — {facts.where}", facts.scope,
                     "matrix", "PMI (log2 observed/expected)", rows,
                     tuple(c.col for c in cells), tuple(cells), tuple(notes),
                     params={"kinds": list(kinds or ()), "limit": limit,
                             "min_count": min_count, "focus": focus, "families": families})
    top = sorted(n_a, key=lambda x: (-n_a[x], x.casefold()))[:limit]
    order = {x: i for i, x in enumerate(top)}
    both: dict[tuple[str, str], list[int]] = defaultdict(list)
    for seg, labels in per_seg.items():
        mine = sorted((x for x in labels if x in order), key=order.__getitem__)
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                both[(a, b)].append(seg)
    cells = [_pair(a, b, segs, n_a, total) for (a, b), segs in both.items()
             if len(segs) >= min_count]
    cells.sort(key=lambda c: (order[c.row], order[c.col]))
    return Chart("cooccur", f"Said together — {facts.where}", facts.scope, "matrix",
                 "PMI (log2 observed/expected)", tuple(top), tuple(top), tuple(cells),
                 tuple(notes), params={"kinds": list(kinds or ()), "limit": limit,
                                       "min_count": min_count, "focus": None,
                                       "families": families})


def _pair(a: str, b: str, segs: list[int], n_a: Counter, total: int) -> Cell:
    expected = n_a[a] * n_a[b] / total
    return Cell(a, b, round(math.log2(len(segs) / expected), 4), len(segs),
                tuple(sorted(segs)), expected=round(expected, 4))


def speakers(facts: Facts, kind: str | None = None, limit: int = 15,
             families: bool = True) -> Chart:
    """Speaker × entity: mentions of the scope's top entities by who said them."""
    by: dict[tuple[str, str], list[int]] = defaultdict(list)
    totals: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for (who, label, k), segs in facts.by_speaker(families).items():
        if kind is not None and k != kind:
            continue
        by[(who, label)].extend(segs)
        totals[label] += len(segs)
        said[who] += len(segs)
    cols = sorted(totals, key=lambda x: (-totals[x], x.casefold()))[:limit]
    rows = sorted(said, key=lambda x: (x == NO_SPEAKER, -said[x], x.casefold()))
    col_at = {c: i for i, c in enumerate(cols)}
    row_at = {r: i for i, r in enumerate(rows)}
    cells = tuple(Cell(who, label, len(segs), len(segs), tuple(sorted(set(segs))))
                  for (who, label), segs in sorted(by.items(), key=lambda kv: (
                      row_at[kv[0][0]], col_at.get(kv[0][1], 0))) if label in col_at)
    return Chart("speakers", f"Who mentions what — {facts.where}", facts.scope, "matrix",
                 "mentions", tuple(rows), tuple(cols), cells,
                 params={"kind": kind, "limit": limit, "families": families})


def tags(facts: Facts, by: str = "entity", limit: int = 15, families: bool = True) -> Chart:
    """Tag × entity (mentions inside the tag's annotations) or tag × speaker
    (passages the tag's annotations cover): QualCoder's code matrix."""
    cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    col_total: Counter[str] = Counter()
    row_total: Counter[str] = Counter()
    if by == "speaker":
        for tag, seg, who in facts.tag_passages:
            cell[(tag, who or NO_SPEAKER)].append(seg)
        measure = "passages"
    elif by == "entity":
        for tag, seg, name, k in facts.tag_mentions:
            cell[(tag, facts.label(name, k, families))].append(seg)
        measure = "mentions"
    else:
        raise ValueError(f"tags by {by!r}: use entity or speaker")
    for (tag, col), segs in cell.items():
        col_total[col] += len(segs)
        row_total[tag] += len(segs)
    cols = sorted(col_total, key=lambda x: (-col_total[x], x.casefold()))[:limit]
    keep = set(cols)
    cells = tuple(Cell(t, c, len(segs), len(segs), tuple(sorted(set(segs))))
                  for (t, c), segs in sorted(cell.items()) if c in keep)
    notes = () if cell else ("no tagged passages in this scope",)
    return Chart("tags", f"Tags × {by} — {facts.where}", facts.scope, "matrix", measure,
                 tuple(sorted(row_total, key=str.casefold)), tuple(cols), cells, notes,
                 params={"by": by, "limit": limit, "families": families})


def timeline(facts: Facts, entities: Iterable[str] = (), by: str = "month", limit: int = 5,
             bins: int = 20, families: bool = True) -> Chart:
    """Mentions over time: per month of the episodes' dates (undated episodes are
    left out and said so, never put at zero), or along one episode (`by="episode"`:
    `bins` equal stretches of its running time, or of its passages when untimed)."""
    wanted = [e.casefold() for e in entities]
    per_label: Counter[str] = Counter()
    picked: list[tuple[int, str]] = []
    for (seg, name, _k), (_s, label, _k2) in zip(facts.mentions, facts.labelled(families)):
        if wanted:
            hit = next((e for e in entities if e.casefold() in (name.casefold(),
                                                                label.casefold())), None)
            if hit is None:
                continue
            label = hit
        picked.append((seg, label))
        per_label[label] += 1
    if by == "month":
        return _by_month(facts, picked, per_label, list(entities), limit, families)
    if by == "episode":
        return _by_position(facts, picked, per_label, list(entities), limit, bins, families)
    raise ValueError(f"timeline by {by!r}: use month or episode")


def _top(per_label: Counter[str], given: list[str], limit: int) -> list[str]:
    if given:
        return [g for g in given if per_label[g]] or given
    return sorted(per_label, key=lambda x: (-per_label[x], x.casefold()))[:limit]


def _by_month(facts, picked, per_label, given, limit, families) -> Chart:
    cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    undated_eps: set[str] = set()
    undated = 0
    dated: Counter[str] = Counter()
    for seg, label in picked:
        ep = facts.passages[seg][0]
        date = facts.episodes.get(ep, ("", None))[1]
        if not date or len(date) < 7:
            undated += 1
            undated_eps.add(ep)
            continue
        cell[(label, date[:7])].append(seg)
        dated[label] += 1
    rows = _top(dated if not given else per_label, given, limit)
    keep = set(rows)
    months = _month_range(sorted({m for (lab, m) in cell if lab in keep}))
    cells = tuple(Cell(lab, m, len(segs), len(segs), tuple(sorted(set(segs))))
                  for (lab, m), segs in sorted(cell.items()) if lab in keep)
    left = sum(1 for seg, label in picked if label in keep) - sum(c.count for c in cells)
    notes = []
    all_undated = {ep for ep, (_t, d) in facts.episodes.items() if not d or len(d) < 7}
    if undated_eps or all_undated:
        notes.append(f"{left:,} mentions in {len(undated_eps):,} episodes without a date are "
                     f"left out ({len(all_undated):,} of {len(facts.episodes):,} episodes in "
                     "the scope have no date)")
    return Chart("timeline", f"Mentions per month — {facts.where}", facts.scope, "lines",
                 "mentions", tuple(rows), tuple(months), cells, tuple(notes),
                 params={"by": "month", "entities": given, "limit": limit,
                         "families": families, "undated_mentions": left,
                         "undated_episodes": len(undated_eps)})


def _month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last, so a quiet month shows as zero."""
    if not months:
        return []
    y, m = int(months[0][:4]), int(months[0][5:7])
    end = (int(months[-1][:4]), int(months[-1][5:7]))
    out = []
    while (y, m) <= end and len(out) < 1200:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _by_position(facts, picked, per_label, given, limit, bins, families) -> Chart:
    eps = {facts.passages[seg][0] for seg, _ in picked}
    notes = []
    if facts.scope.kind != "episode" and len(eps) > 1:
        notes.append("the timeline along an episode needs an episode scope; "
                     f"this one spans {len(eps)} episodes, placed by passage order")
    infos = [facts.passages[seg] for seg, _ in picked]
    timed = bool(infos) and all(i[2] is not None for i in infos)
    if timed:
        hi = max(i[2] for i in infos) + 1
        width = max(60_000, -(-hi // bins // 60_000) * 60_000)  # whole minutes
        pos = {seg: facts.passages[seg][2] // width for seg, _ in picked}
        n = max(pos.values(), default=0) + 1
        cols = [format_ms(i * width) for i in range(n)]
    else:
        hi = max((i[3] for i in infos), default=0) + 1
        width = max(1, -(-hi // bins))
        pos = {seg: facts.passages[seg][3] // width for seg, _ in picked}
        n = max(pos.values(), default=0) + 1
        cols = [f"§{i * width + 1}" for i in range(n)]
        if infos:
            notes.append("no times in this episode: stretches of passages instead")
    cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    for seg, label in picked:
        cell[(label, cols[pos[seg]])].append(seg)
    rows = _top(per_label, given, limit)
    keep = set(rows)
    cells = tuple(Cell(lab, c, len(segs), len(segs), tuple(sorted(set(segs))))
                  for (lab, c), segs in sorted(cell.items(), key=lambda kv: (
                      kv[0][0], cols.index(kv[0][1]))) if lab in keep)
    return Chart("timeline", f"Mentions along the episode — {facts.where}", facts.scope,
                 "lines", "mentions", tuple(rows), tuple(cols), cells, tuple(notes),
                 params={"by": "episode", "entities": given, "limit": limit,
                         "families": families, "bin": width if timed else None})
