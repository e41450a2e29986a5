"""Searching text written without spaces between words (Chinese, Japanese).

FTS5's `unicode61` tokenizer reads a run of CJK characters as ONE token, so a word
inside a run cannot be found: "半导体" in "中国的半导体产业" gave 0 hits.  Each segment
that holds such text therefore also stores a derived copy in which every run is
written as its overlapping character pairs ("中国 国的 的半 半导 导体 体产 产业"), indexed
in the same FTS5 tables as a third column; a query word in such a script becomes the
phrase of its pairs ("半导 导体"), which matches exactly where the characters stand
side by side.  Pairs rather than FTS5's `trigram` tokenizer because trigram cannot
match a two-character word, the commonest length of a Chinese word, and because one
column in the existing tables keeps the whole query language (AND/OR/NOT, phrases,
filters, ranking) working unchanged.  A single character is searched as a prefix
of the pairs (it is missed only at the very end of a run).
"""

from __future__ import annotations

import re

# kana and CJK ideographs (unified, extension A, compatibility); CJK punctuation and
# spaces are not part of a run
RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def has_cjk(text: str) -> bool:
    # ASCII text (most segments) cannot hold a run: no regex scan of it
    return not text.isascii() and RUN.search(text) is not None


def pairs(text: str) -> str:
    """`text` with every CJK run written as its overlapping character pairs."""
    def split(m: re.Match) -> str:
        run = m.group(0)
        if len(run) == 1:
            return f" {run} "
        return " " + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + " "
    return " ".join(RUN.sub(split, text).split())


def index_text(text: str) -> str | None:
    """What the third FTS column holds for a segment (None: no such script in it)."""
    return pairs(text) if has_cjk(text) else None


def query_text(text: str) -> tuple[str, bool]:
    """(the FTS5 phrase text for a query word, whether to search it as a prefix): a
    lone CJK character matches the pairs that start with it."""
    if len(text) == 1 and RUN.fullmatch(text):
        return text, True
    return pairs(text), False


def words_in(match: str) -> list[str]:
    """The CJK words an FTS5 expression built by `query_text` searches for, as written
    ("半导 导体" → "半导体"), so that a hit can mark them in its text."""
    out = []
    for quoted in re.findall(r'"((?:[^"]|"")*)"', match):
        tokens = quoted.split()
        if tokens and all(RUN.fullmatch(tk) for tk in tokens):
            out.append(tokens[0] + "".join(tk[-1] for tk in tokens[1:]))
    return out
