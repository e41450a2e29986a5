"""A small library written straight into a store: three shows, five episodes,
speakers, entity mentions, tags and annotations, enough to exercise every operator
and filter without the importers."""

from __future__ import annotations

import pytest

from aiviewer.model import ParsedSegment
from aiviewer.store import Store
from aiviewer.store import episodes as episodes_q
from aiviewer.store import segments as segments_q

EPISODES = [
    # id, show, title, date, description, [(speaker, text)]
    ("ep-ross", "Interconnects", "Ross Taylor on reasoning and GRPO", "2025-03-14",
     "We discuss open models, reasoning traces and reinforcement learning.", [
         ("Nathan Lambert", "Welcome back. Today Ross Taylor joins to talk about reasoning."),
         ("Ross Taylor", "GRPO made reinforcement learning on reasoning traces much simpler."),
         ("Ross Taylor", "We distilled the policy into smaller open models afterwards."),
         ("Nathan Lambert", "DeepSeek released R1 and everyone copied the recipe."),
     ]),
    ("ep-lex", "Lex Fridman Podcast", "China, open weights and the compute race", "2025-08-02",
     "A conversation about Chinese labs.", [
         ("Lex Fridman", "Let's talk about Quen and the Chinese open models."),
         ("Dylan Patel", "Quen 3 is strong; DeepSeek is still the reference for reasoning."),
         ("Lex Fridman", "And what about distillation from frontier models?"),
     ]),
    ("ep-2026", "Interconnects", "The state of open models in 2026", "2026-01-10",
     "Open models one year on.", [
         ("Nathan Lambert", "Open models caught up with closed ones in most benchmarks."),
         ("Nathan Lambert", "Kimi K2 and Qwen led the open releases this year."),
     ]),
    ("ep-old", "Latent Space", "Agents and Claude Code", "2024-11-20", None, [
         ("SPEAKER_00", "People keep saying cloud code when they mean Claude Code."),
         ("SPEAKER_01", "The cloud is just someone else's computer."),
         ("SPEAKER_00", "Reasoning models changed how we build agents."),
     ]),
    ("ep-nodate", None, "Untitled notes", None, "Miscellaneous.", [
         (None, "A paragraph about transformers and attention."),
     ]),
]

# (episode, segment seq, entity, kind, surface)
MENTIONS = [
    ("ep-ross", 1, "GRPO", "technique", "GRPO"),
    ("ep-ross", 3, "DeepSeek", "lab", "DeepSeek"),
    ("ep-lex", 0, "Qwen", "model", "Quen"),
    ("ep-lex", 1, "Qwen", "model", "Quen 3"),
    ("ep-lex", 1, "DeepSeek", "lab", "DeepSeek"),
    ("ep-2026", 1, "Kimi K2", "model", "Kimi K2"),
    ("ep-2026", 1, "Qwen", "model", "Qwen"),
    ("ep-old", 0, "Claude Code", "product", "cloud code"),
    ("ep-old", 0, "Claude Code", "product", "Claude Code"),
]


def fill(store: Store) -> dict[tuple[str, int], int]:
    """Write the fixture library; returns (episode id, seq) → segment id."""
    ids: dict[tuple[str, int], int] = {}
    with store.atomic() as db:
        for eid, show, title, date, desc, turns in EPISODES:
            sid = episodes_q.show_id(db, show)
            episodes_q.insert(db, eid, {"show_id": sid, "title": title, "date": date,
                                        "description": desc, "form": "test"})
            segs = tuple(ParsedSegment(text=text, speaker=spk, start_ms=i * 1000)
                         for i, (spk, text) in enumerate(turns))
            rows = segments_q.replace_segments(db, eid, segs)
            episodes_q.ensure_speakers(db, eid, [s for s, _ in turns if s])
            for seq, (seg_id, _) in enumerate(rows):
                ids[(eid, seq)] = seg_id
        episodes_q.rename_speaker(db, "ep-old", "SPEAKER_00", "Swyx")
        for eid, seq, entity, kind, surface in MENTIONS:
            text = dict(segments_q.segment_texts(db, eid))[ids[(eid, seq)]]
            start = text.find(surface)
            db["mentions"].insert({
                "segment_id": ids[(eid, seq)], "episode_id": eid, "entity": entity,
                "kind": kind, "start": start, "end": start + len(surface),
                "surface": surface, "fuzzy": int(surface.lower() == "cloud code"),
            })
        # a tagged, noted annotation on Ross's GRPO turn; a tag-only one on Lex's distillation
        ross = dict(segments_q.segment_texts(db, "ep-ross"))
        grpo_start = sum(len(ross[ids[("ep-ross", i)]]) + 2 for i in range(1))
        db["tags"].insert_all([{"id": 1, "name": "method/RL"}, {"id": 2, "name": "method/RL/GRPO"},
                               {"id": 3, "name": "people"}])
        db["annotations"].insert_all([
            {"id": "a1", "episode_id": "ep-ross", "exact": "GRPO made reinforcement learning",
             "start": grpo_start, "end": grpo_start + 31, "note_md": "Key claim: *simpler* RL",
             "created": "2026-01-01", "modified": "2026-01-01"},
            {"id": "a2", "episode_id": "ep-lex", "exact": "distillation",
             "start": 150, "end": 162, "note_md": "", "created": "2026-01-02",
             "modified": "2026-01-02"},
        ])
        db["annotation_tags"].insert_all([{"annotation_id": "a1", "tag_id": 2},
                                          {"annotation_id": "a2", "tag_id": 3}])
    return ids


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "library.sqlite")
    yield s
    s.close()


@pytest.fixture
def filled(store):
    ids = fill(store)
    return store, ids
