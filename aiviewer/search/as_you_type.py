"""A keystroke's first hits: unranked passages for a half-typed query, fast.

The search box shows these within a frame of the key press and replaces them with
the ranked results (`engine.search`) when they arrive.  Nothing here ranks, counts
or builds a cache (speller, entity names, facets): the box asks on its own thread,
whose library would otherwise build its own copies of them (seconds and hundreds of
megabytes at 100x).  The last word is a prefix while it is being typed.

A query with syntax (fields, quotes, operators) is completed as the user is likely
to finish it — an open quote or parenthesis closed, the last bare word a prefix —
compiled without entity widening or spelling expansion, and its first matches taken
in index order; only what cannot be answered so (search by meaning, a wildcard or
fuzzy word that needs the vocabulary) is left to the ranked search (None).

A last word longer than the prefix index's longest prefix (PREFIX_INDEX) is asked
of the index by its first PREFIX_INDEX letters, and the rows whose snippet marks a
word that starts with all of it are kept.  FTS5 answers `mode*` without a prefix
index of that length by merging the doclists of every word it starts (`model`,
`models`: 160,000 passages at 100x) before the first row: 15 ms for
"reasoning mode", against 0.7 ms for four times as many rows of `mod*`.
"""

from __future__ import annotations

import re
import unicodedata

from aiviewer.model import SearchHit
from aiviewer.search import cjk
from aiviewer.search import query as query_mod
from aiviewer.search import tree as t
from aiviewer.search.compile import compile_query, fts_string
from aiviewer.search.hits import segment_hit, unmark, window
from aiviewer.store import Store, fts

SYNTAX = re.compile(r'[:"()*?~]|(?:^|\s)[-+]|\b(?:AND|OR|NOT)\b')
WORDS = re.compile(r"\w[\w'.+#-]*")
_LAST_BARE = re.compile(r"(?:^|\s)[-+]?(\w[\w'.+#-]*)$")
_OPERATORS = frozenset({"AND", "OR", "NOT"})
PREFIX_INDEX = 3  # the longest prefix `fts_prefix` indexes (prefix='2 3', store/fts.py)
WIDEN = 4  # rows asked of the index per row wanted, when rows are kept by their snippet
_PLAIN_WORD = re.compile(r"[^\W_]+")


def plain_query(text: str) -> str:
    """A query SQLite can take: NULs (which SQLite reads as the end of a string, or
    refuses) become spaces, lone surrogates U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") \
        if any("\ud800" <= c <= "\udfff" for c in text) else text


def first_hits(store: Store, text: str, limit: int = 10) -> tuple[SearchHit, ...] | None:
    """Unranked hits for a half-typed query (a prefix last word); None when only the
    ranked search can answer it."""
    text = plain_query(text)
    if SYNTAX.search(text):
        return _with_syntax(store, text, limit)
    words = WORDS.findall(text)
    if not words:
        return ()
    parts = [fts_string(cjk.pairs(w)) if cjk.has_cjk(w) else fts_string(w) for w in words]
    prefix = None  # a last word longer than the index's prefixes, folded
    if not text[-1].isspace():
        last = words[-1]
        if len(last) < 2:
            parts.pop()
        elif len(last) > PREFIX_INDEX and _PLAIN_WORD.fullmatch(last) and not cjk.has_cjk(last):
            prefix = _fold(last)
            parts[-1] = fts_string(last[:PREFIX_INDEX]) + "*"
        else:
            parts[-1] += "*"
    if not parts:
        return ()
    if prefix is None:
        found = [(sid, unmark(snip)) for sid, snip in
                 fts.prefix_hits(store.db, _match(parts), limit)]
    else:
        whole = _tokens(words[:-1])
        found = _starting(fts.prefix_hits(store.db, _match(parts), limit * WIDEN), prefix,
                          whole)[:limit]
        if not found:  # the stub's first rows were all other words: the slow way
            parts[-1] = fts_string(words[-1]) + "*"
            found = [(sid, unmark(snip)) for sid, snip in
                     fts.prefix_hits(store.db, _match(parts), limit)]
    return _hits(store, found)


def _hits(store: Store, found) -> tuple[SearchHit, ...]:
    """The hits of (segment id, (snippet, marked spans)) rows, unranked."""
    rows = fts.segment_rows(store.db, [sid for sid, _ in found])
    return tuple(segment_hit(rows[sid], 0.0, *marked) for sid, marked in found
                 if sid in rows)


def _match(parts: list[str]) -> str:
    return "{text cjk} : (" + " AND ".join(parts) + ")"


def _fold(word: str) -> str:
    """As the index's tokenizer compares words: lower case, without diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(words) -> set[str]:
    """The words as the index holds them (`gpt-4` is `gpt` and `4`), folded."""
    return {_fold(part) for word in words for part in _PLAIN_WORD.findall(word)}


def _starting(found, prefix: str, whole: set[str]):
    """The rows whose snippet marks a word starting with `prefix`, each with the
    marks of that prefix and of the query's whole words (or phrases of them) only:
    `mod*` also marks `modular` for "mode"."""
    kept = []
    for sid, snip in found:
        plain, spans = unmark(snip)
        words = [_fold(plain[a:b]) for a, b in spans]
        if not any(w.startswith(prefix) for w in words):
            continue
        kept.append((sid, (plain, tuple(span for span, w in zip(spans, words, strict=True)
                                        if w.startswith(prefix) or _tokens([w]) <= whole))))
    return kept


def completed(text: str) -> str:
    """The query as the user is likely to finish it: open quotes and parentheses
    closed, the last bare word (not an operator) a prefix, a one-letter one left out.

    >>> completed('speaker:"Ross Tay')
    'speaker:"Ross Tay"'
    >>> completed('speaker:ross gr')
    'speaker:ross gr*'
    """
    last = _LAST_BARE.search(text)
    if text.count('"') % 2:
        text += '"'
    elif last and last.group(1) not in _OPERATORS and not cjk.has_cjk(last.group(1)):
        word = last.group(1)
        text = text[:last.start(1)] + (word + "*" if len(word) >= 2 else "")
    depth = text.count("(") - text.count(")")
    return text.rstrip() + ")" * max(depth, 0)


def _with_syntax(store: Store, text: str, limit: int) -> tuple[SearchHit, ...] | None:
    rest, meaning_text = query_mod.split_meaning(text)
    if meaning_text is not None:
        return None
    parsed = query_mod.parse(completed(rest))
    if any(isinstance(n, t.Fuzzy | t.Wildcard) and not _plain_prefix(n)
           for n in t.walk(parsed.tree)):
        return None
    plan = compile_query(parsed.tree)
    if plan.empty:
        return ()
    if plan.match is None:
        ids = fts.first_filtered(store.db, plan.where, limit)
        rows = fts.segment_rows(store.db, ids)
        return tuple(segment_hit(rows[sid], 0.0, *window(rows[sid]["text"], None))
                     for sid in ids if sid in rows)
    stub = _stubbed(parsed.tree)
    found = []
    if stub is not None:
        tree, prefix, whole = stub
        narrow = compile_query(tree)
        # a filter (speaker, date) is checked per matching row, so more rows asked
        # cost more than the stub saves: as many as shown (0.9 ms, against 13 ms for
        # four times as many, 'speaker:"Ross Taylor" ope*' at 100x)
        filtered = any(isinstance(n, t.Field | t.DateRange) for n in t.walk(tree))
        if not narrow.empty and narrow.match is not None:
            found = _starting(fts.first_matches(store.db, narrow.table, narrow.match,
                                                narrow.where,
                                                limit if filtered else limit * WIDEN),
                              prefix, whole)[:limit]
    if not found:
        found = [(sid, unmark(snip)) for sid, snip in
                 fts.first_matches(store.db, plan.table, plan.match, plan.where, limit)]
    return _hits(store, found)


def _stubbed(tree: t.Node) -> tuple[t.Node, str, set[str]] | None:
    """For a query that is all AND (fields, words, phrases) ending in a prefix longer
    than the index's (`speaker:ross open*`): the tree with that prefix cut to
    PREFIX_INDEX letters, the prefix folded, and the query's whole words folded.
    None for anything else — under OR or NOT a row need not mark the prefix."""
    if any(isinstance(n, t.Or | t.Not) for n in t.walk(tree)):
        return None
    items = tree.items if isinstance(tree, t.And) else (tree,)
    last = items[-1] if items else None
    if isinstance(last, t.Prefix):
        text = last.text
    elif isinstance(last, t.Wildcard) and _plain_prefix(last):
        text = last.pattern[:-1]
    else:
        return None
    if len(text) <= PREFIX_INDEX or not _PLAIN_WORD.fullmatch(text) or cjk.has_cjk(text):
        return None
    cut = t.Prefix(text[:PREFIX_INDEX])
    whole = _tokens(n.text for n in t.walk(tree) if isinstance(n, t.Word))
    whole |= _tokens(w for n in t.walk(tree) if isinstance(n, t.Phrase) for w in n.words)
    return (t.And((*items[:-1], cut)) if isinstance(tree, t.And) else cut), _fold(text), whole


def _plain_prefix(node: t.Node) -> bool:
    """A wildcard that is only a trailing `*` (`distill*`): a prefix, no lookup needed."""
    return (isinstance(node, t.Wildcard) and node.pattern.endswith("*")
            and not any(c in node.pattern[:-1] for c in "*?"))
