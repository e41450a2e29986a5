"""The impact index: the bm25 score of the library's most frequent words in every
passage, read once, so that a query of common words is scored without FTS5.

Why: FTS5 computes bm25 row by row, about 1.5 µs a matching passage.  A query whose
words are all common (`open models`: 43,000 passages at 100x) spends 85 ms of its
105 in bm25, and the hybrid search waits for it.  bm25 is a sum over the query's
phrases of what each phrase scores in the row, and what a one-word phrase scores
depends only on the index (its idf, the row's length, the average length), never on
the rest of the query (store/impacts.py).  So for each word in at least `MIN_ROWS`
passages this keeps (passage id, score) as FTS5 itself computed it, and a query of
plain words, AND, OR, NOT and parentheses is scored by adding, phrase by phrase in
FTS5's order, the kept scores (a rarer word's are read from FTS5 for its few rows).
The sums are FTS5's to the last bit; anything else (a phrase of several words, a
prefix, a column) goes to FTS5 as before.

The index is derived data: a cache file per library, valid while FTS5's structure and
averages records are the ones it was read from (any write to the passage index changes
the first), and rebuilt in the background after that (`prepare`).  Below 4,096 passages no word
qualifies and nothing is built.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np

from aiviewer import paths
from aiviewer.search.cache import PerStore
from aiviewer.search.compile import fts_string
from aiviewer.search.filters import Filter
from aiviewer.store import Store, alias_hits, fts
from aiviewer.store import impacts as sql

MIN_ROWS = 4096  # FTS5 spends ~6-10 ms scoring a word this common; rarer ones stay with it
FORMAT = 2  # of the cache files: a change makes every old one stale

# one piece of an FTS5 expression as search/compile.py writes it
_PIECE = re.compile(r'\s*(?:(\()|(\))|(AND|OR|NOT)(?=[\s("]|$)|"((?:[^"]|"")*)"(\*)?)')


class _Unsure(Exception):
    """An expression whose bm25 is not surely the sum of its phrases' scores."""


def phrases(match: str) -> list[str] | None:
    """The phrases whose scores add up to `match`'s bm25 in every row it matches, left to
    right (FTS5 numbers them so, and adds in that order); None when that is not sure.

    Sure: quoted phrases combined by AND, OR and NOT, with no AND below an OR (FTS5
    counts a phrase in a row only when its cursor stands there, and an AND below an OR
    may have stepped past a row the OR matched through its other side), a NOT's right
    side a phrase or an OR of phrases (a matched row holds none of them: they add
    nothing and are left out).  Not a prefix ("gr"*), a column or NEAR."""
    pieces = []
    pos, n = 0, len(match)
    while pos < n:
        m = _PIECE.match(match, pos)
        if m is None:
            if match[pos:].strip():
                return None
            break
        if m.group(5):  # a prefix stands for many words
            return None
        if m.group(4) is not None:
            pieces.append(("phrase", m.group(4).replace('""', '"')))
        else:
            pieces.append((m.group(1) or m.group(2) or m.group(3), None))
        pos = m.end()
    parser = _Parser(pieces)
    try:
        tree = parser.expr()
        if parser.at < len(pieces):
            return None
        out: list[str] = []
        _collect(tree, out, under_or=False)
    except (_Unsure, IndexError):
        return None
    return out or None


def _collect(node: tuple, out: list[str], under_or: bool) -> None:
    kind = node[0]
    if kind == "phrase":
        out.append(node[1])
    elif kind == "or":
        for child in node[1]:
            _collect(child, out, True)
    elif under_or:
        raise _Unsure
    elif kind == "and":
        for child in node[1]:
            _collect(child, out, False)
    else:  # not: the rows it keeps hold none of the right side's phrases
        _collect(node[1], out, False)
        for right in node[2]:
            if not _phrases_only(right):
                raise _Unsure


def _phrases_only(node: tuple) -> bool:
    return node[0] == "phrase" or (node[0] == "or" and all(map(_phrases_only, node[1])))


class _Parser:
    """FTS5's grammar and precedence over the pieces: expr = and (OR and)*;
    and = not ([AND] not)*; not = primary (NOT primary)*; primary = phrase | (expr)."""

    def __init__(self, pieces: list[tuple[str, str | None]]):
        self.pieces = pieces
        self.at = 0

    def _peek(self) -> str | None:
        return self.pieces[self.at][0] if self.at < len(self.pieces) else None

    def expr(self) -> tuple:
        items = [self.conj()]
        while self._peek() == "OR":
            self.at += 1
            items.append(self.conj())
        return items[0] if len(items) == 1 else ("or", items)

    def conj(self) -> tuple:
        items = [self.negation()]
        while self._peek() in ("AND", "phrase", "("):
            if self._peek() == "AND":
                self.at += 1
            items.append(self.negation())
        return items[0] if len(items) == 1 else ("and", items)

    def negation(self) -> tuple:
        left = self.primary()
        rights = []
        while self._peek() == "NOT":
            self.at += 1
            rights.append(self.primary())
        return ("not", left, rights) if rights else left

    def primary(self) -> tuple:
        kind, text = self.pieces[self.at]
        self.at += 1
        if kind == "phrase":
            return ("phrase", text)
        if kind != "(":
            raise _Unsure
        inner = self.expr()
        if self._peek() != ")":
            raise _Unsure
        self.at += 1
        return inner


@dataclass(frozen=True)
class Impacts:
    """The kept scores: `ids` and `scores` hold each word's run, sorted by passage id."""
    state: bytes
    words: dict[str, tuple[int, int]]  # word -> (offset, length) in the arrays
    ids: np.ndarray
    scores: np.ndarray

    def of(self, word: str) -> tuple[np.ndarray, np.ndarray] | None:
        at = self.words.get(word)
        if at is None:
            return None
        a, n = at
        return self.ids[a:a + n], self.scores[a:a + n]


# --- scoring ----------------------------------------------------------------------------


def match_scores(store: Store, table: str, match: str,
                 where: Filter = fts.ALWAYS) -> list[tuple[int, float]]:
    """(passage id, -bm25) of every passage that matches and passes `where`, unsorted:
    `fts.match_scores`, from the impact index when it can answer."""
    if table == sql.TABLE:
        found = _scored(store, match, where)
        if found is not None:
            return found
    return fts.match_scores(store.db, table, match, where)


def _scored(store: Store, match: str, where: Filter) -> list[tuple[int, float]] | None:
    index = current(store)
    if index is None:
        return None
    texts = phrases(match)
    if texts is None:
        return None
    words = _words_of(texts)
    if words is None or not any(w in index.words for w in words):
        return None  # FTS5 scores a query of rare words as fast
    ids = np.array(sql.matching_ids(store.db, match, where), dtype=np.int64)
    total = np.zeros(len(ids))
    for text, word in zip(texts, words, strict=True):
        kept = index.of(word)
        got = kept if kept is not None else _read(store, fts_string(text))
        total += _at(got, ids)  # phrase by phrase, as FTS5 adds them
    return list(zip(ids.tolist(), total.tolist()))


def scores_among(store: Store, table: str, spellings: Sequence[str],
                 ids: Sequence[int]) -> dict[int, float]:
    """-bm25 of the phrases `spellings` OR-ed, for the passages `ids` holding one: a
    spelling that is one frequent word from the index, the others from FTS5 in one
    query (the sum may differ from FTS5's in the last bit, added in another order)."""
    if not spellings or not ids:
        return {}
    phrases_ = [fts_string(s) for s in spellings]
    index = current(store) if table == sql.TABLE else None
    kept: list[tuple[np.ndarray, np.ndarray]] = []
    if index is not None:
        words = [w[0] if len(w) == 1 else None for w in _tokens(spellings)]
        kept = [index.of(w) for w in words if w is not None and w in index.words]
        phrases_ = [p for p, w in zip(phrases_, words, strict=True)
                    if w is None or w not in index.words]
    scores = (alias_hits.scores_among(store.db, table, " OR ".join(phrases_), ids)
              if phrases_ else {})
    if not kept:
        return scores
    order = np.array(sorted(ids), dtype=np.int64)
    total = np.array([scores.get(i, 0.0) for i in order.tolist()])
    for got in kept:
        total += _at(got, order)
    return {i: x for i, x in zip(order.tolist(), total.tolist(), strict=True) if x}


def _at(scored: tuple[np.ndarray, np.ndarray], ids: np.ndarray) -> np.ndarray:
    """Each id's score in `scored` (ids sorted), 0.0 where it is absent."""
    pid, psc = scored
    if not len(pid):
        return np.zeros(len(ids))
    k = np.searchsorted(pid, ids)
    k[k == len(pid)] = 0
    return np.where(pid[k] == ids, psc[k], 0.0)


def _read(store: Store, phrase: str) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) of one phrase, by id, from FTS5."""
    flat = np.fromiter(chain.from_iterable(sql.phrase_scores(store.db, phrase)),
                       dtype=np.float64)
    pairs = flat.reshape(-1, 2)
    return pairs[:, 0].astype(np.int64), pairs[:, 1].copy()


_TOKENS: dict[str, tuple[str, ...]] = {}  # phrase text -> the tokenizer's words (fixed)
_TOKENS_LOCK = threading.Lock()


def _words_of(texts: Sequence[str]) -> list[str] | None:
    """The one indexed word each phrase stands for; None if one stands for more or none."""
    words = _tokens(texts)
    if any(len(w) != 1 for w in words):
        return None
    return [w[0] for w in words]


def _tokens(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """The indexed words of each phrase text, as FTS5 reads it."""
    with _TOKENS_LOCK:
        todo = [t for t in dict.fromkeys(texts) if t not in _TOKENS]
    if todo:
        made = sql.tokens_of(todo)
        with _TOKENS_LOCK:
            if len(_TOKENS) > 10_000:
                _TOKENS.clear()
            _TOKENS.update(zip(todo, map(tuple, made), strict=True))
    with _TOKENS_LOCK:
        return [_TOKENS[t] for t in texts]


# --- the cache file -----------------------------------------------------------------------


_generation = 0  # bumped by each build, so that a store's cached index is looked up again
_loaded: PerStore[Impacts | None] = PerStore()


def current(store: Store) -> Impacts | None:
    """The library's impact index, if one was built for the passage index as it is now."""
    if store.memory:
        return None
    return _loaded.get(store, (fts.write_marker(store.db), _generation), lambda: _load(store))


def _base(store: Store) -> Path:
    return paths.cache_dir() / f"impacts-{hashlib.sha1(store.key.encode()).hexdigest()[:16]}"


def _load(store: Store) -> Impacts | None:
    base = _base(store)
    try:
        head = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        if head.get("format") != FORMAT or bytes.fromhex(head["state"]) != sql.index_state(
                store.db):
            return None
        arrays = base.parent / head["arrays"]
        ids = np.load(f"{arrays}.ids.npy", mmap_mode="r")
        scores = np.load(f"{arrays}.scores.npy", mmap_mode="r")
        words = {w: (int(a), int(n)) for w, (a, n) in head["words"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or unreadable: FTS5 scores, and `prepare` builds again
    return Impacts(bytes.fromhex(head["state"]), words, ids, scores)


def build(store: Store, min_rows: int | None = None) -> Impacts | None:
    """Read every frequent word's scores from FTS5 (one snapshot) and keep them in the
    cache; None when no word is that frequent.  About 2.5 µs a (word, passage): 26 s
    for the 9.9 million of 100x, on a thread of its own (`prepare`)."""
    global _generation
    db = store.db
    words: dict[str, tuple[int, int]] = {}
    ids: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    with sql.snapshot(db):
        state = sql.index_state(db)
        offset = 0
        for word, rows in sql.frequent_words(db, min_rows or MIN_ROWS):
            pid, psc = _read(store, fts_string(word))
            if len(pid) != rows:
                continue  # the stemmer makes another word of it as a query: FTS5 keeps it
            words[word] = (offset, rows)
            ids.append(pid.astype(np.int64))
            scores.append(psc)
            offset += rows
    if not words:
        return None
    all_ids = np.concatenate(ids)
    dtype = np.int32 if all_ids.max(initial=0) < 2**31 else np.int64
    index = Impacts(state, words, all_ids.astype(dtype), np.concatenate(scores))
    _save(store, index)
    _generation += 1
    return index


def _save(store: Store, index: Impacts) -> None:
    base = _base(store)
    base.parent.mkdir(parents=True, exist_ok=True)
    name = f"{base.name}-{hashlib.sha1(index.state).hexdigest()[:12]}-{os.getpid()}"
    arrays = base.parent / name
    np.save(f"{arrays}.ids.npy", index.ids)
    np.save(f"{arrays}.scores.npy", index.scores)
    head = {"format": FORMAT, "state": index.state.hex(), "arrays": name,
            "words": {w: list(at) for w, at in index.words.items()}}
    if not paths.keep_cached(base.with_suffix(".json"), json.dumps(head).encode("utf-8")):
        return  # the arrays without a head that names them: the next save prunes them
    for old in base.parent.glob(f"{base.name}-*.npy"):  # earlier builds' arrays
        if not old.name.startswith(name + "."):
            with contextlib.suppress(OSError):
                old.unlink()
    _prune(base.parent)


KEEP = 4  # libraries whose index stays in the cache (~112 MB each at 100x)


def _prune(folder: Path) -> None:
    """Only the indexes of the `KEEP` libraries built most recently stay: a library
    deleted or moved would otherwise leave its index in the cache for good."""
    heads = []
    for head in folder.glob("impacts-*.json"):
        with contextlib.suppress(OSError):
            heads.append((head.stat().st_mtime, head))
    for _, head in sorted(heads, reverse=True)[KEEP:]:
        for path in [head, *folder.glob(f"{head.stem}-*.npy")]:
            with contextlib.suppress(OSError):
                path.unlink()


# --- keeping it current -------------------------------------------------------------------


_building: set[str] = set()
_building_lock = threading.Lock()


def prepare(store: Store, wait: bool = False, min_rows: int | None = None) -> None:
    """Build the index if the library is big enough and has none for its text as it is:
    on a thread with a connection of its own (searches score with FTS5 meanwhile), or
    here with `wait`."""
    min_rows = min_rows or MIN_ROWS
    if store.memory or current(store) is not None:
        return
    if sql.passage_count(store.db) < min_rows:
        return  # no word can be that frequent
    with _building_lock:
        if store.key in _building:
            return
        _building.add(store.key)

    def run() -> None:
        try:
            with contextlib.closing(Store(store.path, read_only=True)) as own:
                build(own, min_rows)
        except Exception:  # noqa: BLE001 - derived data: FTS5 keeps scoring, the next
            pass  # `prepare` tries again
        finally:
            with _building_lock:
                _building.discard(store.key)

    if wait:
        run()
    else:
        threading.Thread(target=run, name="aiviewer-impacts", daemon=True).start()
