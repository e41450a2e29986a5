"""The matcher's one-byte-a-character fold (`variants.fold_latin1`) finds what the str fold
finds: same mentions, same offsets, whatever lies beyond Latin-1 next to a name."""

from __future__ import annotations

import random
import unicodedata

import pytest

from aiviewer.entities import default_matcher, variants
from aiviewer.entities.variants import fold_cased, fold_latin1

_WIDE = ["🤗", "机器", "Ω", "α", "Ж", "ж", "ǅ", "ʼ", "\u3000", "\u2028", "•", "≤", "…",
         "\u0301", "\u2019", "\u2014", "\u2011", "\u202f", "\xa0", "\n", "é", "ß"]
_WORDS = ["OpenAI", "GPT-4", "Claude", "Gemini flash", "DeepSeek", "Lukasz Kaiser",
          "Dylan Patel", "Dylan", "RLHF", "H100s", "OpenAI's", "Llama 3.1", "the", "model",
          "Twimball", "NURPS 2023", "tau-bench"]


def _texts(n: int = 400) -> list[str]:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(3, 25)):
            parts.append(rng.choice(_WORDS))
            parts.append(rng.choice([*_WIDE, " ", " ", " ", ". ", ", ", "-"]))
        out.append("".join(parts))
    return out


def _as_tuples(found):
    return [(m.start, m.end, m.surface, m.canonical, m.kind, m.fuzzy, m.suggested)
            for m in found]


def test_latin1_fold_is_the_str_fold_where_both_apply():
    text = "It\u2019s \u201cGPT\u20114\u201d \u2014 caf\xe9\tna\xefve\r\nend\xa0x \u2009y"
    assert fold_latin1(text).decode("latin-1") == fold_cased(text)
    assert fold_latin1(text, [(0, 4)]).decode("latin-1") == fold_cased(text, [(0, 4)])


def test_stand_ins_keep_what_the_matcher_asks_of_a_character():
    text = "a🤗b机c Ωd αe \u3000f ǅg •h"
    folded = fold_latin1(text).decode("latin-1")
    assert len(folded) == len(text)
    for old, new in zip(text, folded):
        if ord(old) > 255:
            assert old.isalnum() == new.isalnum() and old.isspace() == new.isspace()
            assert old.isalpha() == new.isalpha() and old.isupper() == new.isupper()
            assert new not in " \n" and unicodedata.category(new)[0] in "LSZC"


def test_digits_beyond_latin1_and_long_runs_take_the_str_path():
    assert fold_latin1("GPT-\u0664") is None  # an Arabic-Indic digit
    assert fold_latin1("Claude " + "机" * 100) is None


@pytest.mark.parametrize("suggestions", [False, True])
def test_the_matcher_finds_the_same_with_either_fold(monkeypatch, suggestions):
    matcher = default_matcher()
    texts = _texts()
    assert sum(fold_latin1(t) is not None for t in texts) > len(texts) // 2
    fast = [_as_tuples(matcher.find(t, suggestions=suggestions)) for t in texts]
    monkeypatch.setattr(variants, "_KEEP", {""})  # no stand-ins: the str path
    assert sum(fold_latin1(t) is None for t in texts) > len(texts) // 2
    slow = [_as_tuples(matcher.find(t, suggestions=suggestions)) for t in texts]
    assert fast == slow
    assert sum(map(len, fast)) > len(texts)


def test_a_text_spelling_a_key_beyond_latin1_keeps_it():
    matcher = default_matcher()
    assert "ł" in variants._KEEP  # Łukasz Kaiser's alias
    assert fold_latin1("Łukasz Kaiser 🤗") is None
    assert [m.canonical for m in matcher.find("Łukasz Kaiser 🤗")] == ["Lukasz Kaiser"]
