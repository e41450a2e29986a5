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


def _long_text(seed: int = 3) -> str:
    import random

    r = random.Random(seed)
    words = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 9)))
             for _ in range(3000)]
    return " ".join(r.choice(words) for _ in range(30000))


def _edited(text: str, start: int, n: int, seed: int = 5, ends: bool = False) -> str:
    import random

    r = random.Random(seed)
    chars = list(text[start:start + n])
    spots = r.sample(range(n), n * 3 // 100) + (list(range(30)) + list(range(n - 30, n))
                                                if ends else [])
    for i in spots:
        chars[i] = "Q"
    return "A new introduction. " * 5 + text[:start] + "".join(chars) + text[start + n:]


@pytest.mark.parametrize("ends", [False, True])
def test_a_long_quote_97_percent_similar_is_placed_with_bounded_work(ends, monkeypatch):
    """The issue's case: 8,000 characters, 3% changed (37-42 s with difflib's cubic
    search; now a bounded number of bit-parallel similarity computations)."""
    from aiviewer.annotations import anchoring

    calls = []
    real = anchoring.Indel.normalized_similarity

    def counted(a, b, **kw):
        calls.append(len(b))
        return real(a, b, **kw)

    monkeypatch.setattr(anchoring.Indel, "normalized_similarity", counted)
    text = _long_text()
    start, n = 40000, 8000
    exact, prefix, suffix = selector(text, start, start + n)
    new = _edited(text, start, n, ends=ends)
    p = place(new, exact, "" if ends else prefix, "" if ends else suffix, start, start + n)
    assert p.status == "fuzzy"
    assert abs(p.start - (start + 100)) < n // 50 and abs(p.end - (start + 100 + n)) < n // 50
    assert len(calls) <= 200 and max(calls) <= 2 * n


@pytest.mark.parametrize("start", [10**20, -5, 2**63])
def test_a_position_far_out_of_range_is_ignored_not_an_error(start):
    p = place(TEXT, "it drops the value model entirely", "", "", start, start + 5)
    assert p.status == "anchored" and TEXT[p.start:p.end] == "it drops the value model entirely"
    assert place(TEXT, "nothing like this at all", "", "", start, start + 5).status == "orphaned"


def test_a_quote_beyond_the_cap_is_not_searched_fuzzily():
    from aiviewer.annotations.anchoring import MAX_FUZZY_QUOTE

    text = _long_text()
    exact = text[:MAX_FUZZY_QUOTE + 10]
    new = _edited(text, 0, MAX_FUZZY_QUOTE + 10, ends=True)
    assert place(new, exact, "", "", 0, len(exact)).status == "orphaned"
