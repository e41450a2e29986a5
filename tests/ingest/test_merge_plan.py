"""The import's merge plan is pure: parsed file + stored facts → what to write."""

from __future__ import annotations

from aiviewer.ingest import merge
from aiviewer.model import ParsedEpisode, ParsedSegment, ParsedSource


def _ep(title, words, video_id=None, preview=False):
    text = " ".join(f"{w}{i}" for i, w in enumerate(words.split() * 40))
    return ParsedEpisode(title, (ParsedSegment(text=text),), video_id=video_id,
                         is_preview=preview)


def _row(eid, n_words, preview=False, **kw):
    return {"id": eid, "n_words": n_words, "is_preview": int(preview), "text_sha": "x",
            "form": "labelled", "title": eid, "title_derived": 0, "show_id": 1, **kw}


def test_new_episodes_get_fresh_ids_and_never_merge_into_each_other():
    src = ParsedSource("labelled", (_ep("a", "one two"), _ep("b", "one two")))
    keys = merge.keys(src)
    facts = merge.StoredFacts(candidates=((), ()), taken_ids=frozenset({keys[0].base_id}))
    plan = merge.plan(src, keys, facts, "now")
    ids = [s.episode_id for s in plan.steps]
    assert ids == [f"{keys[0].base_id}-2", f"{keys[0].base_id}-3"]
    assert [s.outcome for s in plan.steps] == ["added", "added"]
    assert all(s.new and s.replace_text and s.role == "primary" for s in plan.steps)


def test_a_fuller_copy_of_a_stored_episode_replaces_its_text_a_preview_does_not():
    full = ParsedSource("labelled", (_ep("a", "one two three", video_id="v"),))
    facts = merge.StoredFacts(by_video_id={"v": "yt-v"}, candidates=((),),
                              rows={"yt-v": _row("yt-v", 10)})
    [step] = merge.plan(full, merge.keys(full), facts, "now").steps
    assert (step.episode_id, step.new, step.role, step.outcome) == ("yt-v", False, "primary",
                                                                   "merged")
    assert step.replace_text and step.demote_primary and step.fingerprint
    preview = ParsedSource("labelled", (_ep("a", "one", video_id="v", preview=True),))
    [step] = merge.plan(preview, merge.keys(preview), facts, "now").steps
    assert step.role == "preview" and not step.replace_text and not step.demote_primary


def test_a_file_keeps_the_episodes_it_gave_and_abandons_the_rest():
    src = ParsedSource("labelled", (_ep("a", "changed words"),))
    facts = merge.StoredFacts(previous={"t-1": "primary", "t-2": "primary"},
                              previous_at={0: "t-1", 1: "t-2"}, candidates=((),),
                              rows={"t-1": _row("t-1", 5000), "t-2": _row("t-2", 5)})
    plan = merge.plan(src, merge.keys(src), facts, "now")
    [step] = plan.steps
    assert step.episode_id == "t-1" and step.replace_text and step.outcome == "updated"
    assert plan.abandoned == ("t-2",)
