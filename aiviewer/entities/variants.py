"""Spelling variants of an alias and the text normalisation both sides share.

Transcripts write one name many ways: "GPT-4o", "GPT 4o", "GPT4o"; "Qwen3" and "Qwen 3";
curly and straight apostrophes; a caption line break in the middle of "Sebastian\\nRaschka".
Instead of listing them all in the catalog, the matcher folds the text (length-preserving, so
offsets stay valid) and expands each alias into the separator variants people actually write.
"""

from __future__ import annotations

import codecs
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


def fold_latin1(text: str, blanks: list[tuple[int, int]] = ()) -> bytes | None:
    """`fold_cased(text, blanks)` as Latin-1 bytes, one per character, or None when the
    folded text holds a character beyond Latin-1 that has to stay as it is.

    Those left after folding get a stand-in of the same kind (`_stand_in`), except the ones
    a key spells (`keep_beyond_latin1`) and digits.  One emoji in the show notes made the
    folded text of an episode four bytes a character, so that every copy, slice and regex
    of the matcher read four times the memory.  Folded and encoded piece by piece: the
    pieces stay in the cache, and a long text is never copied whole as a str."""
    n = len(text)
    pieces = []
    try:
        for i in range(0, n, _CHUNK) if n > _CHUNK else (0,):
            piece = text[i:i + _CHUNK] if n > _CHUNK else text
            for old, new in _FOLD_OFTEN:  # (str.replace copies only when present)
                if old in piece:
                    piece = piece.replace(old, new)
            pieces.append(piece.encode("latin-1", _STAND_IN_ERRORS))
    except UnicodeEncodeError:
        return None
    body = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    for old, new in _FOLD_BYTES:  # (replace, memchr speed, beat one translate by 4x)
        if old in body:
            body = body.replace(old, new)
    return _blank(body, blanks) if blanks else body


def keep_beyond_latin1(chars, keys=()) -> None:
    """Characters beyond Latin-1 a matcher's keys or rules spell: `fold_latin1` gives up on
    a text holding one (a superset over the matchers of the process: only slower).  A key
    holding a stand-in would match where the text has another character: then it gives up
    on every text (no key of the catalog does)."""
    _KEEP.update(c for c in chars if ord(c) > 255)  # (keys are folded: no _FOLD character)
    if any(c in key for key in keys for c in _STAND_INS):
        _KEEP.add("")


_FOLD_WIDE = {old: new for old, new in _FOLD if ord(old) > 255}
# the ones transcripts hold often are replaced in the str beforehand; the others, by the
# encoder's handler when met (each `in` test reads the whole text of a piece)
_FOLD_OFTEN = tuple((old, _FOLD_WIDE[old]) for old in "\u2019\u2018\u201c\u201d\u2013\u2014")
_FOLD_BYTES = tuple((old.encode("latin-1"), new.encode("latin-1"))
                    for old, new in _FOLD if ord(old) < 256)
_KEEP: set[str] = set()
# Stand-ins for the characters beyond Latin-1: a Latin-1 one of the same kind for everything
# the matcher asks of a character - word character or not (\w, \b, isalnum), letter and its
# case, space; no boundary of a key (the matcher's BOUNDARY, END); in no key.  Digits and
# other numbers beyond Latin-1 have none (no Latin-1 character is \d but ASCII).
_STAND_INS = ("\x1f", "\xde", "\xfe", "\xaa", "\xa4")  # space, upper, lower, letter, other
_LONG_RUN = 64  # a run this long is a script of its own (CJK, Cyrillic): the slow path


def _stand_in(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError) or exc.end - exc.start > _LONG_RUN \
            or "" in _KEEP:
        raise exc
    out = []
    for c in exc.object[exc.start:exc.end]:
        if c in _KEEP:
            raise exc
        f = _FOLD_WIDE.get(c)
        if f is not None:
            out.append(f)
        elif c.isspace():
            out.append("\x1f")
        elif c.isalpha():
            out.append("\xde" if c.isupper() else "\xfe" if c.islower() else "\xaa")
        elif c.isalnum():
            raise exc
        else:
            out.append("\xa4")
    return "".join(out), exc.end


_STAND_IN_ERRORS = "aiviewer-fold-stand-in"
codecs.register_error(_STAND_IN_ERRORS, _stand_in)


def _blank(s, spans):
    """`s` (a str, or the Latin-1 bytes of `fold_latin1`) with the spans replaced by
    spaces, same length."""
    space = " " if isinstance(s, str) else b" "
    parts, k = [], 0
    for a, b in spans:
        parts.append(s[k:a])
        parts.append(space * (b - a))
        k = b
    parts.append(s[k:])
    return s[:0].join(parts)


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
                             forbid_prev=alias.forbid_prev + rule.forbid_prev,
                             forbid_near=alias.forbid_near))
    return out
