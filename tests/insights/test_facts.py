"""The array form insights are counted from (insights/facts.py), against plain Python."""

from __future__ import annotations

import random

import numpy as np

from aiviewer.insights import counting
from aiviewer.insights.facts import NO_SPEAKER, Facts, groups, unique
from aiviewer.insights.model import Scope


def test_groups_and_unique_agree_with_python():
    rng = random.Random(7)
    keys = [rng.randrange(5) for _ in range(500)]
    segs = [rng.randrange(60) for _ in range(500)]
    found, counts, distinct = groups(np.array(keys), np.array(segs))
    by_key: dict[int, list[int]] = {}
    for k, s in zip(keys, segs):
        by_key.setdefault(k, []).append(s)
    assert found.tolist() == sorted(by_key)
    assert counts.tolist() == [len(by_key[k]) for k in sorted(by_key)]
    assert [d.tolist() for d in distinct] == [sorted(set(by_key[k])) for k in sorted(by_key)]
    assert unique(np.array(segs)).tolist() == sorted(set(segs))
    assert unique(np.array([], dtype=np.int64)).tolist() == []


def _facts() -> Facts:
    # passages 1–3 in e1 (Alice, Alice, no speaker), 4 in e2 (Bob); a mention in
    # passage 9 is outside the scope and must not count
    return Facts.from_groups(
        Scope(), [("Qwen 3", "model", "1,2,2"), ("GRPO", "method", "2,4,9")],
        [("e1", "Alice", "1,2"), ("e1", None, "3"), ("e2", "Bob", "4")],
        {"e1": ("One", "2025-03-01"), "e2": ("Two", None)},
        family=lambda name, kind: "Qwen" if name.startswith("Qwen") else name)


def test_from_groups_drops_mentions_outside_the_scope():
    facts = _facts()
    assert facts.n_passages == 4 and len(facts.m_seg) == 5
    assert sorted(facts.speakers) == sorted(["Alice", NO_SPEAKER, "Bob"])


def test_charts_from_arrays():
    facts = _facts()
    top = counting.top_entities(facts)
    assert [(c.row, c.count, c.passages, c.episodes) for c in top.cells] == [
        ("Qwen", 3, (1, 2), 1), ("GRPO", 2, (2, 4), 2)]
    pair = counting.cooccurrence(facts, min_count=1).cells
    # both are in 2 passages: the tie goes by name
    assert [(c.row, c.col, c.passages) for c in pair] == [("GRPO", "Qwen", (2,))]
    who = {(c.row, c.col): c.count for c in counting.speakers(facts).cells}
    assert who == {("Alice", "Qwen"): 3, ("Alice", "GRPO"): 1, ("Bob", "GRPO"): 1}
    month = counting.timeline(facts)
    assert {(c.row, c.col): c.count for c in month.cells} == {("Qwen", "2025-03"): 3,
                                                            ("GRPO", "2025-03"): 1}
    assert month.params["undated_mentions"] == 1


def test_every_chart_grows_linearly_with_the_mentions():
    """Counted with sorts and bincounts, never a pair loop over passages: 8 times the
    mentions take about 8 times as long (growth, not wall-clock: tests/growth_check)."""
    from growth_check import LINEAR, growth

    def at(n: int):
        rng = np.random.default_rng(3)
        names = [(f"Entity {i}", "model" if i % 3 else "lab") for i in range(60)]
        per_entity = [rng.integers(1, 4 * n, size=n // 60 + 1) for _ in names]
        groups_ = [(name, kind, ",".join(map(str, ids.tolist())))
                   for (name, kind), ids in zip(names, per_entity)]
        ids = np.arange(1, 4 * n)
        passages = [(f"e{i}", f"Speaker {i % 3}", ",".join(map(str, part.tolist())))
                    for i, part in enumerate(np.array_split(ids, max(1, n // 40)))]
        episodes = {f"e{i}": (f"E{i}", f"2025-{i % 12 + 1:02d}-01")
                    for i in range(max(1, n // 40))}

        def run():
            facts = Facts.from_groups(Scope(), groups_, passages, episodes)
            counting.top_entities(facts)
            counting.cooccurrence(facts)
            counting.cooccurrence(facts, focus="Entity 1")
            counting.speakers(facts)
            counting.timeline(facts)
        return run
    assert growth(at, 20_000) < LINEAR


def test_a_speaker_saying_their_own_name_is_left_out_of_their_row():
    """"Ross Taylor × Ross Taylor" read as nonsense (screenshot review): a speaker's
    own name (case aside) is not counted in their row; another speaker naming them is."""
    facts = Facts.from_groups(
        Scope(), [("Alice", "person", "1,2"), ("GRPO", "method", "1,3"),
                  ("bob", "person", "3")],
        [("e1", "Alice", "1,2"), ("e1", "Bob", "3")], {"e1": ("One", None)})
    chart = counting.speakers(facts)
    assert {(c.row, c.col): c.count for c in chart.cells} == {
        ("Alice", "GRPO"): 1, ("Bob", "GRPO"): 1}
    assert "Alice" not in chart.cols  # only Alice said it: no column left for it
    assert chart.notes == ("a speaker saying their own name is left out "
                           "(3 mentions: Alice, Bob)",)
    assert "Alice,Alice" not in chart.to_csv()
    # nobody naming themselves: nothing left out, nothing said
    plain = counting.speakers(_facts())
    assert plain.notes == () and sum(c.count for c in plain.cells) == 5
