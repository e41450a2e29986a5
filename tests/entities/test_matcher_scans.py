"""The matcher's bulk scans give what the plain forms they replace gave (matcher.py)."""

from __future__ import annotations

import random

from aiviewer.entities import default_matcher
from aiviewer.entities.matcher import _CAP_WORD, _cap_words, _word_positions


def _raw(text: str) -> bytes:
    return b" " + text.encode("latin-1", "replace") + b" "


def test_capitalised_words_are_the_regex_matches():
    # letters, Latin-1 letters, characters outside Latin-1 (read as "?"), digits, "_"
    alphabet = "aAbBzZ  .-'_09éÉ?ł😀\n"
    rnd = random.Random(7)
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        words, starts, ends = _cap_words(text, _raw(text))
        assert words == _CAP_WORD.findall(text), text
        assert [m.span() for m in _CAP_WORD.finditer(text)] == list(zip(starts, ends)), text


def test_word_positions_from_the_capitalised_words_match_the_scan():
    rnd = random.Random(3)
    words = ["Ben", "Benjamin", "EY", "Karpathy", "Lex", "Zoë"]
    filler = [" ", ". ", "'s ", "s ", "_", "-", "é", "x", "HEY", "iBen", "ł", "\n", "0"]
    for _ in range(300):
        text = "".join(rnd.choice(words + filler) for _ in range(rnd.randint(0, 40)))
        text = text * (1 + 60_000 // max(1, len(text)) if rnd.random() < 0.1 else 1)
        text = text if len(text) >= 4_000 else text + " " * (4_000 - len(text))
        raw = _raw(text)
        assert _word_positions(text, words, raw, _cap_words(text, raw)) == \
            _word_positions(text, words, raw), text[:80]


def test_keys_written_alike_are_told_apart():
    m = default_matcher()
    found = [(x.surface, x.canonical) for x in
             m.find("After post-training and post training, not post/training.")]
    assert found[:2] == [("post-training", found[0][1]), ("post training", found[0][1])]
    assert all(s != "post/training" for s, _ in found)
