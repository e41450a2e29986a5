"""Re-anchoring keeps annotations through edits; orphans only when the quote is gone."""

from __future__ import annotations

import pytest

from aiviewer.annotations.anchoring import place, selector

TEXT = ("Nathan Lambert: The interesting thing about GRPO is that it drops the value model "
        "entirely, which makes reinforcement learning much cheaper to run at scale. "
        "Ross Taylor: Yes, and the group baseline does the work the critic used to do.")
START = TEXT.index("it drops the value model entirely")
END = START + len("it drops the value model entirely")


def _anchor(new_text: str):
    exact, prefix, suffix = selector(TEXT, START, END)
    return place(new_text, exact, prefix, suffix, START, END)


def test_unchanged_text_keeps_position():
    p = _anchor(TEXT)
    assert (p.start, p.end, p.status) == (START, END, "anchored")


@pytest.mark.parametrize("edit", [
    lambda t: "A new introduction paragraph. " + t,                      # before
    lambda t: t + " An epilogue added later.",                             # after
    lambda t: t.replace("Nathan Lambert:", "Nathan Lambert (host):"),      # before, near
])
def test_insertions_outside_the_quote_move_it_exactly(edit):
    new = edit(TEXT)
    p = _anchor(new)
    assert p.status == "anchored"
    assert new[p.start:p.end] == "it drops the value model entirely"


def test_insertion_inside_the_quote_is_a_fuzzy_anchor():
    new = TEXT.replace("the value model", "the learned value model")
    p = _anchor(new)
    assert p.status == "fuzzy"
    assert new[p.start:p.end].startswith("it drops") and "entirely" in new[p.start:p.end]


def test_a_few_words_reworded_is_a_fuzzy_anchor():
    new = TEXT.replace("it drops the value model entirely", "it drops that value network entirely")
    p = _anchor(new)
    assert p.status == "fuzzy"
    assert "value network" in new[p.start:p.end]


def test_quote_gone_is_an_orphan():
    new = TEXT.replace("it drops the value model entirely, which makes", "so")
    p = _anchor(new)
    assert p.status == "orphaned" and p.start is None


def test_repeated_quote_picks_the_occurrence_with_matching_context():
    text = "alpha GRPO beta. gamma GRPO delta."
    second = text.rindex("GRPO")
    exact, prefix, suffix = selector(text, second, second + 4)
    new = "intro " + text
    p = place(new, exact, prefix, suffix, second, second + 4)
    assert p.start == second + len("intro ")
