"""Spelling variants of an alias and the text normalisation both sides share.

Transcripts write one name many ways: "GPT-4o", "GPT 4o", "GPT4o"; "Qwen3" and "Qwen 3";
curly and straight apostrophes; a caption line break in the middle of "Sebastian\\nRaschka".
Instead of listing them all in the catalog, the matcher folds the text (length-preserving, so
offsets stay valid) and expands each alias into the separator variants people actually write.
"""

from __future__ import annotations

import re
from itertools import product

from aiviewer.entities.catalog import Alias, FamilyAsr

# Length-preserving substitutions applied to both the text and the aliases.  Applied with
# str.replace only when present: str.translate runs at ~20 MB/s, far too slow for the matcher.
_FOLD = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u2032", "'"),
    ("\u201c", '"'), ("\u201d", '"'),
    ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"),
    ("\n", " "), ("\r", " "), ("\t", " "), ("\xa0", " "), ("\u202f", " "), ("\u2009", " "),
)

_FOLD_ASCII = tuple((old, new) for old, new in _FOLD if old.isascii())

_SEP = re.compile(r"([ -])")
MAX_VARIANTS = 48


_CHUNK = 1 << 18  # characters


def fold(text: str, pad: bool = False) -> tuple[str, str]:
    """(cased, lower): the text with quotes, dashes and spaces unified, and its lower case.

    Both have exactly the length of `text`, so a match in either is a match in `text`;
    `pad` adds a space before and after the lower-case text (the matcher's boundaries).
    A long text is folded in pieces: each replace copies the string, and copies of many
    megabytes each fault in fresh pages (3x slower at 14 MB than at 1 MB); pieces reuse
    the same memory and only the two joins are large.
    """
    if len(text) > _CHUNK:
        pieces = [_fold(text[i:i + _CHUNK]) for i in range(0, len(text), _CHUNK)]
        lows = [lo for _, lo in pieces]
        return ("".join(c for c, _ in pieces),
                "".join([" ", *lows, " "] if pad else lows))
    cased, low = _fold(text)
    return cased, ("".join((" ", low, " ")) if pad else low)


def fold_cased(text: str, blanks: list[tuple[int, int]] = ()) -> str:
    """The first half of `fold`: quotes, dashes and spaces unified, case kept (the matcher
    lower-cases its own byte copy).  `blanks`: sorted, disjoint (start, end) spans replaced
    by spaces on the way, piece by piece (blanking the whole text first cost a copy of it:
    3% of the matcher's time on a 14 MB text)."""
    n = len(text)
    if n <= _CHUNK:
        return _fold_cased(_blank(text, blanks) if blanks else text)
    pieces = []
    k = 0
    for i in range(0, n, _CHUNK):
        j = min(i + _CHUNK, n)
        while k < len(blanks) and blanks[k][1] <= i:
            k += 1
        inside = []
        x = k
        while x < len(blanks) and blanks[x][0] < j:
            a, b = blanks[x]
            inside.append((max(a, i) - i, min(b, j) - i))
            x += 1
        chunk = text[i:j]
        pieces.append(_fold_cased(_blank(chunk, inside) if inside else chunk))
    return "".join(pieces)


def _blank(s: str, spans) -> str:
    """`s` with the spans replaced by spaces, same length."""
    parts, k = [], 0
    for a, b in spans:
        parts.append(s[k:a])
        parts.append(" " * (b - a))
        k = b
    parts.append(s[k:])
    return "".join(parts)


def _fold_cased(text: str) -> str:
    cased = text
    for old, new in (_FOLD_ASCII if text.isascii() else _FOLD):
        if old in cased:
            cased = cased.replace(old, new)
    return cased


def _fold(text: str) -> tuple[str, str]:
    cased = text
    for old, new in (_FOLD_ASCII if text.isascii() else _FOLD):
        if old in cased:
            cased = cased.replace(old, new)
    low = cased.lower()
    if len(low) != len(cased):  # e.g. "İ" lowers to two characters: keep one
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in cased)
    return cased, low


def separator_variants(text: str) -> list[str]:
    """"GPT-4o" → GPT-4o, GPT 4o, GPT4o; "chain-of-thought" → also "chain of thought".

    Between two parts where either holds a digit, a hyphen, a space and nothing are all
    written; a hyphen between words is also written as a space.  Plain two-word names keep
    their space ("Claude Code" is never "ClaudeCode" unless the catalog says so).
    """
    text = fold(text)[0]
    parts = _SEP.split(text)
    if len(parts) == 1:
        return [text]
    words, seps = parts[0::2], parts[1::2]
    choices = []
    for i, sep in enumerate(seps):
        left, right = words[i], words[i + 1]
        if any(c.isdigit() for c in left + right) and left and right:
            choices.append((sep, " " if sep == "-" else "-", ""))
        elif sep == "-":
            choices.append(("-", " "))
        else:
            choices.append((sep,))
    out: list[str] = []
    for combo in product(*choices):
        s = words[0] + "".join(c + w for c, w in zip(combo, words[1:]))
        if s not in out:
            out.append(s)
        if len(out) >= MAX_VARIANTS:
            break
    return out


def family_asr_aliases(alias: Alias, rules: tuple[FamilyAsr, ...]) -> list[Alias]:
    """"Claude Code" → "cloud code", "claw code"…; "Qwen3" → "Quen3".

    Only multi-part aliases are rewritten, so the family word heard alone ("the cloud") is
    never taken for the name.
    """
    text = fold(alias.text)[0]
    parts = _SEP.split(text)
    first = parts[0]
    out = []
    for rule in rules:
        word = rule.word.lower()
        head = first.lower()
        if head == word and len(parts) > 1:
            rest = "".join(parts[1:])
        elif head.startswith(word) and head[len(word):][:1].isdigit():
            rest = first[len(word):] + "".join(parts[1:])
        else:
            continue
        for heard in rule.heard_as:
            out.append(Alias(heard + rest, case=False, asr=True,
                             requires_next=alias.requires_next,
                             requires_prev=alias.requires_prev,
                             forbid_next=alias.forbid_next,
                             forbid_prev=alias.forbid_prev + rule.forbid_prev))
    return out
