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
from collections.abc import Iterable

import numpy as np

from aiviewer.insights import INSIGHTS
from aiviewer.insights.facts import NO_SPEAKER, Facts, as_tuple, groups, unique
from aiviewer.insights.model import Cell, Chart
from aiviewer.wording import format_ms, kind_nouns

__all__ = ["INSIGHTS", "NO_SPEAKER", "Facts", "cooccurrence", "speakers", "tags", "timeline",
           "top_entities"]


def _order(counts: dict[str, int]) -> list[str]:
    """Most first, then by name (case-blind)."""
    return sorted(counts, key=lambda x: (-counts[x], x.casefold()))


def _masked(facts: Facts, mask: np.ndarray | None, *arrays: np.ndarray) -> list[np.ndarray]:
    return list(arrays) if mask is None else [a[mask] for a in arrays]


def top_entities(facts: Facts, kind: str | None = None, limit: int = 20,
                 families: bool = True) -> Chart:
    """The most mentioned entities (of one kind, or all), with mentions and episodes."""
    names, label_of = facts.labels(families)
    mask = facts.kind_mask([kind] if kind is not None else None)
    ent, seg, ep = _masked(facts, mask, facts.m_ent, facts.m_seg, facts.m_ep)
    lab = label_of[ent] if len(ent) else np.zeros(0, dtype=np.int32)
    per_label = np.bincount(lab, minlength=len(names))
    per_entity = np.bincount(ent, minlength=len(facts.entities))
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for code in np.flatnonzero(per_entity):
        kinds[names[label_of[code]]][facts.entities[code][1]] += int(per_entity[code])
    mentions = {names[i]: int(n) for i, n in enumerate(per_label) if n}
    top = _order(mentions)[:limit]
    at = {x: i for i, x in enumerate(names)}
    keep = np.isin(lab, [at[x] for x in top])
    codes, _count, seg_lists = groups(lab[keep], seg[keep])
    segs_of = dict(zip(codes.tolist(), seg_lists))
    codes, _count, ep_lists = groups(lab[keep], ep[keep].astype(np.int64))
    eps_of = {c: len(e) for c, e in zip(codes.tolist(), ep_lists)}
    cells = [Cell(label, kinds[label].most_common(1)[0][0], mentions[label], mentions[label],
                  as_tuple(segs_of[at[label]]), episodes=eps_of[at[label]]) for label in top]
    what = f"{kind} " if kind else ""
    # a family headed by an entity of another kind: DeepSeek R1 and V3 are "DeepSeek
    # models" (the lab DeepSeek is an organization), not "DeepSeek", whose 89 here read as
    # the lab's, beside its 137 among organizations and 229 with everything under it
    names = {label: f"{label} {kind_nouns(kind)}" for label in top
             if kind and families and facts.kind_of(label) not in (None, kind)}
    return Chart("entities", f"Top {what}entities — {facts.where}", facts.scope, "bars",
                 "mentions", tuple(top), tuple(sorted({c.col for c in cells})), tuple(cells),
                 params={"kind": kind, "limit": limit, "families": families}, names=names)


def _pairs_in_passages(facts: Facts, kinds, families: bool):
    """(label names, segment of each distinct (passage, label) pair, its label code,
    passages each label is in)."""
    memo = ("pairs", tuple(kinds) if kinds else None, families)
    if memo in facts._memo:  # the matrix and "said with" share them
        return facts._memo[memo]
    names, label_of = facts.labels(families)
    ent, seg = _masked(facts, facts.kind_mask(kinds), facts.m_ent, facts.m_seg)
    width = max(len(names), 1)
    keys = unique(seg * width + (label_of[ent] if len(ent) else 0))
    p_seg, p_lab = keys // width, (keys % width).astype(np.int64)
    found = facts._memo[memo] = (names, p_seg, p_lab, np.bincount(p_lab, minlength=len(names)))
    return found


def cooccurrence(facts: Facts, kinds: tuple[str, ...] | None = None, limit: int = 20,
                 min_count: int = 2, focus: str | None = None,
                 families: bool = True) -> Chart:
    """Entities said in the same passage, valued by PMI (observed vs expected).

    Without `focus`: a symmetric matrix of the `limit` entities found in the most
    passages (one cell per pair, row before column in that order).  With `focus`:
    one row, that entity against every partner, highest PMI first."""
    names, p_seg, p_lab, n_in = _pairs_in_passages(facts, kinds, families)
    n_a = {names[i]: int(n) for i, n in enumerate(n_in) if n}
    with_any = int(np.count_nonzero(np.r_[True, p_seg[1:] != p_seg[:-1]])) if len(p_seg) else 0
    total = max(facts.n_passages, with_any, 1)
    notes = [f"{total:,} passages; a pair needs at least {min_count} passages with both"]
    params = {"kinds": list(kinds or ()), "limit": limit, "min_count": min_count,
              "focus": focus, "families": families}
    if focus is not None:
        match = next((x for x in n_a if x.casefold() == focus.casefold()), None)
        cells = []
        if match is not None:
            code = names.index(match)
            shared = np.isin(p_seg, p_seg[p_lab == code]) & (p_lab != code)
            other, _count, segs = groups(p_lab[shared], p_seg[shared])
            cells = [_pair(match, names[o], s, n_a, total) for o, s in zip(other.tolist(), segs)
                     if len(s) >= min_count]
        cells.sort(key=lambda c: (-c.value, -c.count, c.col.casefold()))
        cells = cells[:limit]
        if match is None:
            notes.append(f"{focus!r} is not mentioned in this scope")
        return Chart("cooccur", f"Said with {match or focus} — {facts.where}", facts.scope,
                     "matrix", "PMI (log2 observed/expected)", (match,) if match else (),
                     tuple(c.col for c in cells), tuple(cells), tuple(notes), params=params)
    top = _order(n_a)[:limit]
    rank = np.full(len(names), -1, dtype=np.int64)
    for i, x in enumerate(top):
        rank[names.index(x)] = i
    r = rank[p_lab] if len(p_lab) else np.zeros(0, dtype=np.int64)
    ks, kr = p_seg[r >= 0], r[r >= 0]  # in passage order already (p_seg is sorted)
    # every pair of top entities in one passage: the i-th and (i+d)-th of its run,
    # the one ranked first as the row
    a_parts, b_parts, s_parts = [], [], []
    for d in range(1, len(top)):
        same = ks[:-d] == ks[d:] if len(ks) > d else np.zeros(0, dtype=bool)
        if not same.any():
            break
        x, y = kr[:-d][same], kr[d:][same]
        a_parts.append(np.minimum(x, y))
        b_parts.append(np.maximum(x, y))
        s_parts.append(ks[:-d][same])
    cells = []
    if a_parts:
        a, b, s = np.concatenate(a_parts), np.concatenate(b_parts), np.concatenate(s_parts)
        pair, _count, segs = groups(a * len(top) + b, s)
        cells = [_pair(top[k // len(top)], top[k % len(top)], ss, n_a, total)
                 for k, ss in zip(pair.tolist(), segs) if len(ss) >= min_count]
    order_of = {x: i for i, x in enumerate(top)}
    cells.sort(key=lambda c: (order_of[c.row], order_of[c.col]))
    return Chart("cooccur", f"Said together — {facts.where}", facts.scope, "matrix",
                 "PMI (log2 observed/expected)", tuple(top), tuple(top), tuple(cells),
                 tuple(notes), params={**params, "focus": None})


def _pair(a: str, b: str, segs: np.ndarray, n_a: dict[str, int], total: int) -> Cell:
    expected = n_a[a] * n_a[b] / total
    return Cell(a, b, round(math.log2(len(segs) / expected), 4), len(segs),
                as_tuple(segs), expected=round(expected, 4))


def speakers(facts: Facts, kind: str | None = None, limit: int = 15,
             families: bool = True) -> Chart:
    """Speaker × entity: mentions of the scope's top entities by who said them — a
    speaker's mentions of their own name left out (the notes say how many)."""
    names, label_of = facts.labels(families)
    mask = facts.kind_mask([kind] if kind is not None else None)
    ent, seg, who = _masked(facts, mask, facts.m_ent, facts.m_seg, facts.m_who)
    lab = label_of[ent] if len(ent) else np.zeros(0, dtype=np.int32)
    # a speaker saying their own name ("I'm Ross Taylor", an introduction read out) is
    # not a speaker mentioning an entity: "Ross Taylor × Ross Taylor" read as nonsense
    # (screenshot review).  Left out of the counts, the chart, the table and the CSV.
    at = {n.casefold(): i for i, n in enumerate(names)}
    own = np.array([at.get(sp.casefold(), -1) for sp in facts.speakers] or [-1],
                   dtype=np.int32)
    themselves = own[who] == lab if len(who) else np.zeros(0, dtype=bool)
    notes = []
    if themselves.any():
        who_said = sorted({facts.speakers[i] for i in np.unique(who[themselves]).tolist()},
                          key=str.casefold)
        n = int(themselves.sum())
        listed = ", ".join(who_said[:3]) + (", …" if len(who_said) > 3 else "")
        notes.append(f"a speaker saying their own name is left out ({n:,} "
                     f"mention{'s' if n != 1 else ''}: {listed})")
        others = ~themselves
        ent, seg, who, lab = ent[others], seg[others], who[others], lab[others]
    totals = {names[i]: int(n) for i, n in enumerate(np.bincount(lab, minlength=len(names)))
              if n}
    said = {facts.speakers[i]: int(n)
            for i, n in enumerate(np.bincount(who, minlength=len(facts.speakers))) if n}
    cols = _order(totals)[:limit]
    rows = sorted(said, key=lambda x: (x == NO_SPEAKER, -said[x], x.casefold()))
    col_at = {c: i for i, c in enumerate(cols)}
    row_at = {r: i for i, r in enumerate(rows)}
    keep = np.isin(lab, [names.index(c) for c in cols])
    width = max(len(names), 1)
    keys, counts, segs = groups(who[keep].astype(np.int64) * width + lab[keep], seg[keep])
    cells = [Cell(facts.speakers[k // width], names[k % width], int(n), int(n), as_tuple(s))
             for k, n, s in zip(keys.tolist(), counts, segs)]
    cells.sort(key=lambda c: (row_at[c.row], col_at[c.col]))
    return Chart("speakers", f"Who mentions what — {facts.where}", facts.scope, "matrix",
                 "mentions", tuple(rows), tuple(cols), tuple(cells), tuple(notes),
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
    entities = list(entities)
    names, label_of = facts.labels(families)
    # each entity's line: its label, or the asked-for name it answers to
    lines: dict[str, int] = {}
    line_of = np.full(len(facts.entities), -1, dtype=np.int64)
    for code, (name, _kind) in enumerate(facts.entities):
        label = names[label_of[code]]
        if entities:
            hit = next((e for e in entities if e.casefold() in (name.casefold(),
                                                                label.casefold())), None)
            if hit is None:
                continue
            label = hit
        line_of[code] = lines.setdefault(label, len(lines))
    line = line_of[facts.m_ent] if len(facts.m_ent) else np.zeros(0, dtype=np.int64)
    picked = line >= 0
    seg, ep, line = facts.m_seg[picked], facts.m_ep[picked], line[picked]
    labels = list(lines)
    per_label = Counter({labels[i]: int(n) for i, n in
                         enumerate(np.bincount(line, minlength=len(labels))) if n})
    if by == "month":
        return _by_month(facts, labels, seg, ep, line, per_label, entities, limit, families)
    if by == "episode":
        return _by_position(facts, labels, seg, ep, line, per_label, entities, limit, bins,
                            families)
    raise ValueError(f"timeline by {by!r}: use month or episode")


def _top(per_label: Counter[str], given: list[str], limit: int) -> list[str]:
    if given:
        return [g for g in given if per_label[g]] or given
    return sorted(per_label, key=lambda x: (-per_label[x], x.casefold()))[:limit]


def _by_month(facts, labels, seg, ep, line, per_label, given, limit, families) -> Chart:
    months, month_of = facts.episode_months()
    month = month_of[ep] if len(ep) else np.zeros(0, dtype=np.int32)
    dated_mask = month >= 0
    dated = Counter({labels[i]: int(n) for i, n in enumerate(
        np.bincount(line[dated_mask], minlength=len(labels))) if n})
    undated_eps = unique(ep[~dated_mask])
    rows = _top(dated if not given else per_label, given, limit)
    keep_codes = [labels.index(r) for r in rows if r in labels]
    kept = np.isin(line, keep_codes)
    cell_mask = kept & dated_mask
    width = max(len(months), 1)
    keys, counts, segs = groups(line[cell_mask] * width + month[cell_mask], seg[cell_mask])
    cells = sorted((Cell(labels[k // width], months[k % width], int(n), int(n), as_tuple(s))
                    for k, n, s in zip(keys.tolist(), counts, segs)),
                   key=lambda c: (c.row, c.col))
    shown = _month_range(sorted({c.col for c in cells}))
    left = int(np.count_nonzero(kept)) - sum(c.count for c in cells)
    notes = []
    all_undated = {eid for eid, (_t, d) in facts.episodes.items() if not d or len(d) < 7}
    if len(undated_eps) or all_undated:
        notes.append(f"{left:,} mentions in {len(undated_eps):,} episodes without a date are "
                     f"left out ({len(all_undated):,} of {len(facts.episodes):,} episodes in "
                     "the scope have no date)")
    return Chart("timeline", f"Mentions per month — {facts.where}", facts.scope, "lines",
                 "mentions", tuple(rows), tuple(shown), tuple(cells), tuple(notes),
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


def _by_position(facts, labels, seg, ep, line, per_label, given, limit, bins,
                 families) -> Chart:
    notes = []
    n_eps = len(unique(ep))
    if facts.scope.kind != "episode" and n_eps > 1:
        notes.append("the timeline along an episode needs an episode scope; "
                     f"this one spans {n_eps} episodes, placed by passage order")
    where = facts.positions(unique(seg).tolist()) if facts.positions and len(seg) else {}
    infos = [where[s] for s in seg.tolist()]
    timed = bool(infos) and all(i[0] is not None for i in infos)
    if timed:
        hi = max(i[0] for i in infos) + 1
        width = max(60_000, -(-hi // bins // 60_000) * 60_000)  # whole minutes
        pos = [i[0] // width for i in infos]
        cols = [format_ms(i * width) for i in range(max(pos, default=0) + 1)]
    else:
        hi = max((i[1] for i in infos), default=0) + 1
        width = max(1, -(-hi // bins))
        pos = [i[1] // width for i in infos]
        cols = [f"§{i * width + 1}" for i in range(max(pos, default=0) + 1)]
        if infos:
            notes.append("no times in this episode: stretches of passages instead")
    cell: dict[tuple[str, int], list[int]] = defaultdict(list)
    for s, code, p in zip(seg.tolist(), line.tolist(), pos):
        cell[(labels[code], p)].append(s)
    rows = _top(per_label, given, limit)
    keep = set(rows)
    cells = tuple(Cell(lab, cols[p], len(segs), len(segs), tuple(sorted(set(segs))))
                  for (lab, p), segs in sorted(cell.items()) if lab in keep)
    return Chart("timeline", f"Mentions along the episode — {facts.where}", facts.scope,
                 "lines", "mentions", tuple(rows), tuple(cols), cells, tuple(notes),
                 params={"by": "episode", "entities": given, "limit": limit,
                         "families": families, "bin": width if timed else None})
