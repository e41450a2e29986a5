"""Find catalog entities in text: one Aho-Corasick automaton over every alias variant.

Why an automaton: the catalog has thousands of alias spellings; one regex alternation over them
runs at 0.5-2.6 MB/s, the automaton plus a word-boundary check at tens of MB/s (DESIGN.md).
The automaton runs over a lower-cased byte copy of the text and reports every key it holds;
the Python side then keeps only hits on word boundaries, checks case and context rules, and
keeps the leftmost-longest hit.  Three things need more than a lookup:

* names alone: "Dylan" counts once "Dylan Patel" has been seen (in this text or in earlier
  segments of the episode, via `seen`) or when Dylan Patel speaks in the episode;
* misspellings nobody listed: a person's first name followed by something close to their
  last name ("Lex Freedman") is taken, marked fuzzy (see `fuzzy.py`);
* plurals and possessives ("GPUs", "H100s", "OpenAI's") are keys of their own.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter

import ahocorasick_rs
import numpy as np
from rapidfuzz.distance import Levenshtein

from aiviewer.entities.catalog import (
    NEAR,
    Alias,
    Catalog,
    CatalogEntry,
    catalog_version,
    family_of,
    load_catalog,
)
from aiviewer.entities.catalog import merge_user_entities as _merge
from aiviewer.entities.evidence import (
    KIND_CUES,
    initials,
    introduced_people,
    mask_spans,
    paper_links,
    sound_key,
    sounds_like,
)
from aiviewer.entities.fuzzy import WordIndex, allowed_edits, close_enough
from aiviewer.entities.gcpause import gc_paused
from aiviewer.entities.lexicon import CALENDAR, camel, frequent, known, ordinary
from aiviewer.entities.lexicon import bare as bare_word
from aiviewer.entities.variants import (
    family_asr_aliases,
    fold,
    fold_cased,
    fold_latin1,
    keep_beyond_latin1,
    separator_variants,
)
from aiviewer.model import Entity, Mention

_PREV_WORD = re.compile(r"([\w.'+-]+)[^\w.'+-]*$")
_NEXT_WORD = re.compile(r"[^\w.'+-]*([\w.'+-]+)")
_WORD_AT = re.compile(r" ([A-Z][\w'-]*[a-z][\w-]*)")
_WORD_BEFORE = re.compile(r"([A-Z][\w-]*[a-z][\w-]*) $")
_SENTENCE_END = ".!?>\"'([:;"
_CAPITALISED = re.compile(r"[A-Z][a-z]{5,}")
# words that follow a family name as a variant, not a tier people say alone
_NOT_TIERS = frozenset({"models", "instant", "chat", "instruct", "base", "code", "coder", "vision", "thinking", "think",
                        "zero", "next", "max", "mini", "small", "large", "medium"})
# capitalised words (no leading \b: a pattern that starts with a character class is scanned
# for in C, one with \b is tried at every position, 4-7x slower); boundaries checked after.
# Two letters or more: of a maximal run of ASCII letters, the part from its first capital (the
# rules take those of three letters or more, initials those of two)
_CAP_WORD = re.compile(r"[A-Z][A-Za-z]+")
_START_END = attrgetter("start", "end")
_START = attrgetter("start")
_END = attrgetter("end")
_FUZZY_KINDS = ("model", "organization", "product", "benchmark", "hardware")
# Characters that may stand right before a name.  Every key is stored once behind each of
# them, so the automaton never reports a hit inside a word ("rl" in "world", "arc" in
# "search"); that halves the hits the Python side has to look at.
BOUNDARY = " (\"/[*->'.,:;!?{<~+=|&"  # not "@", "#", "_": handles and hashtags are not prose
# Characters that may follow a name.  Keys that begin common words ("tim" in "time", "ant" in
# "another") are stored once before each of them, for the same reason.
END = " .,;:!?)]}\"'-/*>|&"
_BOUNDARY_SET = frozenset(BOUNDARY)
_END_SET = frozenset(END)


# Patterns the scanned bytes never hold (_TABLE maps these control characters to 0).  Every
# real pattern starts with b" ", so the automaton would skip from space to space with
# memchr whenever it falls back to its start state - a call per word of prose, which made the
# scan 1.5x slower than walking every byte; four more start bytes turn that prefilter off
# (11.1 -> 7.2 ms on the seeds; three were not enough).
_UNSEEN = (b"\x01", b"\x03", b"\x04", b"\x05")


def _byte_table() -> bytes:
    """Lower case for ASCII and Latin-1 letters; characters that may stand before a name
    -> b" ", those that may only follow one -> 2 (so a key needs one leading byte; after a
    key, b" " may also be "(" and is checked)."""
    table = bytearray(range(256))
    for c in range(0x41, 0x5B):
        table[c] = c + 32
    for c in range(0xC0, 0xDF):
        if c != 0xD7:
            table[c] = c + 32
    for ch in set(BOUNDARY) | set(END):
        table[ord(ch)] = 0x20 if ch in BOUNDARY else 2
    for b in _UNSEEN:  # control characters, no boundary either way: never in the scan
        table[b[0]] = 0
    return bytes(table)


_TABLE = _byte_table()


def _after_table(loose: bool) -> bytes:
    """What the Latin-1 byte after a key says (`find` reads it in the text's byte copy,
    one index, instead of a character and three tests): 0 a boundary, 1 a word character
    (no end), 2 "." or "," (an end unless a version or domain goes on), 3 "?" standing for
    a character outside Latin-1 (`loose`): look at the character itself."""
    table = bytearray(256)
    for b in range(256):
        c = chr(b)
        table[b] = 1 if (c.isalnum() or c == "_") else 2 if c in ".," else 0
    if loose:
        table[ord("?")] = 3
    return bytes(table)


_AFTER = _after_table(False)
_AFTER_LOOSE = _after_table(True)
_LEADS = (b" ",)
_TAILS = (b" ", b"\x02")
_NEEDS_CHECK = re.compile("[" + re.escape("".join(set(BOUNDARY) | set(END))) + "]")


def _automaton(patterns: list[bytes]):
    return ahocorasick_rs.BytesAhoCorasick(
        [*patterns, *_UNSEEN], matchkind=ahocorasick_rs.MATCHKIND_STANDARD,
        implementation=ahocorasick_rs.Implementation.DFA)


def _simple_key(vals: list) -> tuple | None:
    """The value of a pattern that stands for one key with nothing to compare and no
    character stored after it (most hits), else None."""
    if len(vals) != 1:
        return None
    exact, value = vals[0]
    return value if exact is None and not value[1] else None


def _exact_map(vals: list) -> dict | None:
    """For a pattern that stands for several keys told apart by the characters the automaton
    reads as one boundary byte ("post-training", "post training"), none with a character
    stored after it: the key as written -> its value, so that one slice and one dict lookup
    pick the key (a hit walked every key in turn, with a slice and a compare each; 40% of
    the hits on the seeds are of such patterns), else None."""
    if any(exact is None or value[1] for exact, value in vals):
        return None
    return {exact: value for exact, value in vals}


def _to_bytes(s: str) -> bytes:
    """`s` as the automaton reads it: one byte per character (non-Latin-1 -> "?")."""
    return s.encode("latin-1", "replace").translate(_TABLE)


def _new_mention(start: int, end: int, surface: str, canonical: str, kind: str,
                 fuzzy: bool, suggested: bool = False) -> Mention:
    """Mention(...) without the named tuple's `__new__`, a Python function that costs twice
    the tuple itself; the matcher makes thousands per megabyte."""
    return _tuple_new(Mention, (start, end, surface, canonical, kind, fuzzy, suggested))


_tuple_new = tuple.__new__


@dataclass(slots=True)
class _Rule:
    """How one key of the automaton turns into a mention of one entity.

    Slotted: the lookup loop reads its fields at every hit, and a slot is read in half
    the time of a named tuple's field (Python 3.11 specialises slot reads)."""

    entity: int
    text: str  # the variant as written, folded; compared exactly when `case`
    case: bool
    suffix: str  # "", "s" or "'s" (plural and possessive keys)
    requires_next: frozenset[str] | None = None
    requires_prev: frozenset[str] | None = None
    forbid_next: frozenset[str] | None = None
    forbid_prev: frozenset[str] | None = None
    asr: bool = False
    forbid_near: frozenset[str] | None = None  # phrases that veto it just before (catalog)
    context: bool = False  # any word list set (checked once here, not per hit)

    def __post_init__(self) -> None:
        self.context = bool(self.requires_next or self.requires_prev or self.forbid_next
                            or self.forbid_prev or self.forbid_near)

    def __reduce__(self):
        # for the matcher's cache on disk (matcher_cache.py): its ~21,000 rules load
        # through __init__ from a tuple in a third less time than pickle's default
        # (which sets each slot from a state dict)
        return _Rule, (self.entity, self.text, self.case, self.suffix, self.requires_next,
                       self.requires_prev, self.forbid_next, self.forbid_prev, self.asr,
                       self.forbid_near)


@dataclass(slots=True)
class _Name:
    """A person's first or last name alone: a mention only in context (see module doc)."""

    text: str  # as written (names are case-sensitive)
    first: bool
    people: list[int] = field(default_factory=list)
    common: bool = False  # also an ordinary word ("Mark", "Cook"): never at a sentence start


@dataclass
class SeenNames:
    """People named so far in an episode, so that later first or last names alone count."""

    by_part: dict[str, int] = field(default_factory=dict)  # name part -> entity index


class Matcher:
    """An automaton over a catalog (plus user entities), reusable across texts and threads."""

    #: Also look for capitalised words one edit from a single-word name ("Nemotorn").  Off by
    #: default: on the seeds it found 1 real misspelling against 3 ordinary words ("Striped"
    #: Hyena, "Chroma", "Strive") and costs about a tenth of the throughput.  Misspelt
    #: people's names next to a known first or last name are always looked for.
    misspelt_words = False

    def __init__(self, entries: Iterable[CatalogEntry], catalog: Catalog | None = None,
                 version: str = ""):
        entries = list(entries)
        catalog = catalog or Catalog(())
        self._common = catalog.common_words
        self._family_asr = catalog.family_asr
        self._entities: list[Entity] = []
        self._index: dict[str, int] = {}
        for entry in entries:
            self._index[entry.entity.canonical.casefold()] = len(self._entities)
            self._entities.append(entry.entity)
        self.version = version or catalog.version
        # per entity, for the lookup loop (a list index instead of two attribute reads)
        self._canons = [e.canonical for e in self._entities]
        self._kinds = [e.kind for e in self._entities]
        self._persons = frozenset(i for i, e in enumerate(self._entities) if e.kind == "person")
        self._people: dict[str, int] = {}  # folded full names -> entity, for speakers
        self._last_names: dict[int, list[str]] = {}
        keys: dict[str, list] = {}
        for i, entry in enumerate(entries):
            self._add_entry(keys, i, entry)
        self._words = self._word_index(entries)
        self._build_evidence(entries)
        word_starts = {w[:k] for w in self._common for k in range(1, len(w))}
        # tier words ("flash", "protoflash") are keys too, flagged for the evidence pass: it
        # then looks only at these hits instead of scanning the text for them
        tier_keys = self._tier_keys()
        for key in tier_keys:
            keys.setdefault(key, [])
        # The automaton runs over bytes, one per character, in which every boundary
        # character is one of two bytes (_TABLE): a key is stored behind 1 leading byte
        # (and before 2 trailing ones) instead of behind each of 22 characters, so it has
        # ~20,000 patterns instead of ~430,000 and fits the cache (scans 25% faster than
        # with 2 leading bytes, twice as fast as pyahocorasick over the 430,000).  A pattern
        # whose key holds such a character ("gpt-4" reads as "gpt 4") is checked against the
        # text per hit.
        patterns: dict[bytes, list] = {}
        for key, rules in keys.items():
            split = (tuple(r for r in rules if isinstance(r, _Rule)),
                     tuple(r for r in rules if isinstance(r, _Name)), tier_keys.get(key))
            trail = 1 if key in word_starts else 0
            # value: (start = end - this, characters after the name, rules, names, tier, the
            # entity of the first rule when it holds anywhere (no case, no context) or -1)
            first = split[0][0] if split[0] else None
            sure = first.entity if first is not None and not first.case \
                and not first.context else -1
            value = (len(key), trail, *split, sure)
            body = _to_bytes(key)
            exact = key if (_NEEDS_CHECK.search(key) or not key.isascii()) else None
            for lead in _LEADS:
                for tail in (_TAILS if trail else (b"",)):
                    patterns.setdefault(lead + body + tail, []).append((exact, value))
        self._values = list(patterns.values())
        self._simple = [_simple_key(vals) for vals in self._values]
        self._exact = [_exact_map(vals) for vals in self._values]
        # the patterns that are only a person's first or last name: names are
        # capitalised and compared as written, so a hit in lower case ("will", hundreds per
        # episode) is dropped before it is sorted
        self._name_only = frozenset(
            p for p, vals in enumerate(self._values)
            if all(v[3] and not v[2] and v[4] is None for _, v in vals))
        self._patterns = list(patterns)
        self._automaton = _automaton(self._patterns)
        # characters beyond Latin-1 that keys spell ("ł" of Łukasz), in both cases: a text
        # holding one is folded as a str (fold_latin1)
        # (and the words a rule's context names)
        spelt = [t for key, rules in keys.items() for t in (key, *(r.text for r in rules))]
        spelt += [w for rules in keys.values() for r in rules if isinstance(r, _Rule)
                  for words in (r.requires_next, r.requires_prev, r.forbid_next, r.forbid_prev,
                                r.forbid_near)
                  for w in words or ()]
        wide = {c for t in spelt for c in t if ord(c) > 255}
        self._wide = frozenset(wide | {u for c in wide for u in (c.upper(), c.lower())
                                       if len(u) == 1 and ord(u) > 255})
        keep_beyond_latin1(self._wide, keys)

    # -- kept on disk (matcher_cache.py) ----------------------------------------------

    def __getstate__(self) -> dict:
        """Everything but the automaton (Rust, not picklable: rebuilt from `_patterns`)
        and the caches of what texts held."""
        state = self.__dict__.copy()
        del state["_automaton"]
        for name in ("_heard_cache", "_spoken_letters", "_near_cache", "_far", "_silent",
                     "_never_sure"):
            state[name] = type(state[name])()
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        # entities made again through __init__: unpickled, their attributes live in a
        # plain dict, read ~10% slower than a constructed instance's (the evidence pass
        # reads them per mention)
        self._entities = [Entity(**vars(e)) for e in self._entities]
        self._automaton = _automaton(self._patterns)
        keep_beyond_latin1(self._wide, [v[0] for vals in self._values for v in vals if v[0]])

    # -- construction ---------------------------------------------------------------

    @classmethod
    def from_catalog(cls, user_entities: Iterable[Entity] = (), hidden: Iterable[str] = (),
                     catalog: Catalog | None = None) -> Matcher:
        """The shipped catalog with the user's entities laid over it.

        Built once per catalog version, user entities and matcher code, then loaded from
        the user's cache directory (`matcher_cache.py`) — unless `catalog` is given: a
        caller's catalog may differ from the files its version names."""
        shipped = catalog is None
        user = list(user_entities)
        hidden = frozenset(hidden)
        extra = json.dumps([[e.canonical, e.kind, e.description, list(e.aliases), e.parent]
                            for e in user] + sorted(hidden), sort_keys=True)
        version = catalog_version() if shipped else catalog.version
        if user or hidden:
            version += "-" + hashlib.sha256(extra.encode()).hexdigest()[:12]
        if shipped:
            from aiviewer.entities import matcher_cache

            with gc_paused():  # tens of thousands of objects, none in a cycle
                found = matcher_cache.load(version)
            if isinstance(found, cls):
                return found
            catalog = load_catalog()
        with gc_paused():  # the same: 15-25% of the build's time went to the collector
            built = cls(_merge(catalog, user, hidden), catalog, version)
        if shipped:
            matcher_cache.save(built)
        return built

    @classmethod
    def for_library(cls, store) -> Matcher:
        """The matcher for a library: catalog + the rows of its `entities` table.

        Duck-typed on `store.db` (a sqlite_utils Database) so that this pure layer does not
        import the store.
        """
        db = store.db
        rows = list(db["entities"].rows) if db["entities"].exists() else []
        user, hidden = [], []
        for r in rows:
            if r.get("hidden"):
                hidden.append(r["canonical"])
                continue
            user.append(Entity(
                canonical=r["canonical"], kind=r["kind"], description=r.get("description") or "",
                aliases=tuple(json.loads(r["aliases"])) if r.get("aliases") else (),
                parent=r.get("parent"), user=True))
        return cls.from_catalog(user, hidden)

    def _add_entry(self, keys: dict[str, list], i: int, entry: CatalogEntry) -> None:
        ent = entry.entity
        aliases = list(entry.aliases)
        # the name is a spelling too, unless it is a label ("Codex (model)") or an alias
        # already spells it with rules ("Apple" is case-sensitive, "apples" are fruit)
        written = {fold(a.text)[1] for a in aliases}
        if "(" not in ent.canonical and fold(ent.canonical)[1] not in written:
            aliases.insert(0, Alias(ent.canonical))
        for alias in list(aliases):
            aliases.extend(family_asr_aliases(alias, self._family_asr))
        plural_ok = ent.kind != "person"
        for alias in aliases:
            case = self._case_sensitive(alias)
            words = {k: frozenset(getattr(alias, k)) or None for k in
                     ("requires_next", "requires_prev", "forbid_next", "forbid_prev",
                      "forbid_near")}
            for variant in separator_variants(alias.text):
                low = fold(variant)[1]
                rule = _Rule(i, variant, case, "", asr=alias.asr, **words)
                keys.setdefault(low, []).append(rule)
                keys.setdefault(low + "'s", []).append(
                    _Rule(i, variant, case, "'s", asr=alias.asr, **words))
                if plural_ok and variant[-1:].isalnum() and not low.endswith("s"):
                    keys.setdefault(low + "s", []).append(
                        _Rule(i, variant, case, "s", asr=alias.asr, **words))
        if ent.kind == "person":
            self._add_person(keys, i, entry)

    def _word_index(self, entries: list[CatalogEntry]) -> WordIndex:
        """Single-word names that a capitalised misspelling may stand for ("Antropic")."""
        names: dict[str, int] = {}
        clash: set[str] = set()
        for i, entry in enumerate(entries):
            if entry.entity.kind not in _FUZZY_KINDS:
                continue
            for a in (Alias(entry.entity.canonical), *entry.aliases):
                w = a.text.lower()
                if (a.asr or a.requires_next or a.requires_prev or not a.text.isalpha()
                        or w in self._common):
                    continue
                if names.get(w, i) != i:
                    clash.add(w)
                names[w] = i
        return WordIndex({w: i for w, i in names.items() if w not in clash})

    def _case_sensitive(self, alias: Alias) -> bool:
        """Explicit `case`, else: short acronyms and capitalised common words match as written."""
        if alias.case is not None:
            return alias.case
        if alias.asr:
            return False
        text = alias.text
        letters = [c for c in text if c.isalpha()]
        if letters and len(text) <= 5 and all(c.isupper() for c in letters):
            return True
        return (" " not in text and text[:1].isupper() and text.lower() in self._common)

    def _add_person(self, keys: dict[str, list], i: int, entry: CatalogEntry) -> None:
        ent = entry.entity
        for name in (ent.canonical, *(a.text for a in entry.aliases)):
            self._people[fold(name)[1]] = i
        parts = fold(ent.canonical)[0].split(" ")
        if len(parts) < 2:
            return
        self._last_names.setdefault(i, []).append(parts[-1])
        for text, first in ((parts[0], True), (parts[-1], False)):
            if len(text) < 3 or not text[:1].isupper():
                continue
            low = text.lower()
            for suffix in ("", "'s"):
                bucket = keys.setdefault(low + suffix, [])
                name = next((r for r in bucket if isinstance(r, _Name) and r.first == first
                             and r.text == text + suffix), None)
                if name is None:
                    name = _Name(text + suffix, first, common=low in self._common)
                    bucket.append(name)
                name.people.append(i)

    # -- queries --------------------------------------------------------------------

    @property
    def entities(self) -> list[Entity]:
        return list(self._entities)

    def entity(self, canonical: str) -> Entity | None:
        i = self._index.get(canonical.casefold())
        return None if i is None else self._entities[i]

    def family(self, canonical: str) -> set[str]:
        """The entity and everything below it (Claude → Claude Opus → Claude Opus 4.5)."""
        return family_of(self._entities, canonical)

    # -- matching -------------------------------------------------------------------

    def seen_for(self, speakers: Iterable[str] = ()) -> SeenNames:
        """A fresh `SeenNames` for an episode whose speakers are `speakers`."""
        seen = SeenNames()
        for label in speakers:
            i = self._people.get(fold(label)[1]) if label else None
            if i is not None:
                self._remember(seen, i)
        return seen

    def _remember(self, seen: SeenNames, i: int) -> None:
        parts = self._entities[i].canonical.split(" ")
        if len(parts) >= 2:
            seen.by_part[parts[0]] = i
            seen.by_part[parts[-1]] = i

    def find(self, text: str, speakers: tuple[str, ...] = (), *, suggestions: bool = False,
             seen: SeenNames | None = None,
             misspelt_words: bool | None = None) -> list[Mention]:
        """Mentions in `text`, in order, without overlaps.

        Only confident mentions by default: catalog spellings, and variants the text gives
        strong evidence for (evidence.py).  `suggestions=True` adds the candidates below that
        bar as `Mention(..., suggested=True)` (a misheard-sounding ordinary word, a tier far
        from its family…), for the reader to confirm or reject; they never overlap a
        confident mention.
        `speakers` are the episode's speaker names; `seen` carries the people named so far
        across the segments of one episode (pass the same object for each segment).
        `misspelt_words` adds the single-word fuzzy pass (default: `self.misspelt_words`).
        """
        with gc_paused():
            return self._find(text, speakers, suggestions, seen, misspelt_words)

    def _find(self, text: str, speakers: tuple[str, ...], suggestions: bool,
              seen: SeenNames | None, misspelt_words: bool | None) -> list[Mention]:
        if seen is None:
            seen = self.seen_for(speakers)
        elif speakers:
            for label in speakers:
                i = self._people.get(fold(label)[1])
                if i is not None and self._entities[i].canonical.split(" ")[0] not in seen.by_part:
                    self._remember(seen, i)
        # keys carry one boundary character in front (and some one behind): the padding
        # gives the text's start and end one; offsets in the text are those in `padded` - 1
        # markup, URLs, addresses, file names: never mentions.  Blanked before folding (fold
        # keeps every offset), so that a long text is copied once for it, not twice
        masked = mask_spans(text)
        n = len(text)
        hits = []
        add = hits.append
        # the folded text one byte a character (most texts; fold_latin1), else folded as a
        # str, where a character outside Latin-1 reads as "?", a boundary: then the real
        # one is checked (`loose`)
        body = fold_latin1(text, masked)
        loose = body is None
        if loose:
            cased = fold_cased(text, masked)
            body = cased.encode("latin-1", "replace")
        else:
            cased = body.decode("latin-1")
        raw = b"".join((b" ", body, b" "))
        scan = raw.translate(_TABLE)
        values = self._values
        simple = self._simple
        exact_map = self._exact
        name_only = self._name_only
        after = _AFTER_LOOSE if loose else _AFTER
        for p, start, end in self._automaton.find_matches_as_indexes(scan, overlapping=True):
            if p in name_only and cased[start].islower():
                continue  # a name alone, in lower case
            value = simple[p]
            if value is not None:  # the common case, inlined (see _simple_key)
                e = end - 1
                k = after[raw[end]]  # the character after the key (the padding at the end)
                if k and (k == 1 or (k == 2 and _continues(cased, end)) or (
                        k == 3 and _is_word(cased[e]))):
                    continue
                if loose and start and cased[start - 1] not in _BOUNDARY_SET:
                    continue
                add((start, -e, value))
                continue
            by_key = exact_map[p]
            if by_key is not None:  # one of several keys written alike: which one, if any
                e = end - 1
                value = by_key.get(cased[start:e].lower())
                if value is None:
                    continue
                if loose and start and cased[start - 1] not in _BOUNDARY_SET:
                    continue
                k = after[raw[end]]
                if k and (k == 1 or (k == 2 and _continues(cased, end)) or (
                        k == 3 and _is_word(cased[e]))):
                    continue
                add((start, -e, value))
                continue
            for exact, value in values[p]:
                e = end - 1 - value[1]  # in the text: the key is text[start:e]
                if exact is not None and cased[start:e].lower() != exact:
                    continue
                if value[1] and e < n and cased[e] not in _END_SET:
                    continue  # b" " after a word start: "(" is no end
                if loose and start and cased[start - 1] not in _BOUNDARY_SET:
                    continue
                k = after[raw[e + 1]]
                if k and (k == 1 or (k == 2 and _continues(cased, e + 1)) or (
                        k == 3 and _is_word(cased[e]))):
                    continue
                add((start, -e, value))
        misspelt = self.misspelt_words if misspelt_words is None else misspelt_words
        if not hits:
            out = self._misspelt_words(text, cased, []) if misspelt else []
            return self._evidence(text, cased, out, None, None, [], suggestions, raw,
                                  bool(masked))
        hits.sort()
        out: list[Mention] = []
        taken = 0
        context_ok = self._context_ok
        present: set[int] = set()  # entities mentioned, for the evidence pass
        first_at: dict[int, int] = {}  # person -> start of their first mention
        tier_hits: list[tuple[int, int, tuple]] = []
        ents = self._entities
        canons, kinds, persons = self._canons, self._kinds, self._persons
        append = out.append
        present_add = present.add
        for start, neg_end, value in hits:
            if start < taken:
                continue
            i = value[5]
            if i >= 0:  # the common case: a key whose first rule holds anywhere
                m_end = -neg_end
                # _new_mention, inlined (a call is a third of the cost)
                append(_tuple_new(Mention, (start, m_end, text[start:m_end], canons[i],
                                            kinds[i], False, False)))
                taken = m_end
                present_add(i)
                if i in persons:
                    self._remember(seen, i)
                    if i not in first_at:
                        first_at[i] = start
                continue
            _, _, rules, names, tier, _ = value
            end = -neg_end
            for rule in rules:
                if rule.case and cased[start:start + len(rule.text)] != rule.text:
                    continue
                if rule.context and not context_ok(rule, cased, start, end):
                    continue
                m_start, m_end, i, fuzzy = start, end, rule.entity, False
                break
            else:
                # a name alone is compared as written, and every one is capitalised: "will",
                # "mark" in lower case (hundreds per episode) need no look
                found = self._names(cased, start, end, names, seen) if (
                    names and not cased[start].islower()) else None
                if found is None:
                    if tier is not None:
                        tier_hits.append((start, end, tier))
                    continue
                m_start, m_end, i, fuzzy = found
                if m_start < taken:
                    continue
            ent = ents[i]
            out.append(_new_mention(m_start, m_end, text[m_start:m_end], ent.canonical,
                                    ent.kind, fuzzy))
            taken = m_end
            present.add(i)
            if ent.kind == "person":
                self._remember(seen, i)
                if i not in first_at:
                    first_at[i] = m_start
        if misspelt:
            out = self._misspelt_words(text, cased, out)
            present = first_at = None  # recomputed from `out`
        return self._evidence(text, cased, out, present, first_at, tier_hits, suggestions, raw,
                              bool(masked))

    def _misspelt_words(self, text: str, cased: str, out: list[Mention]) -> list[Mention]:
        """Capitalised words one edit from a single-word name ("Antropic"), marked fuzzy."""
        found = []
        common = self._common
        lookup = self._words.lookup
        n = len(cased)
        k = 0
        for m in _CAPITALISED.finditer(cased):
            start, end = m.span()
            if (start and cased[start - 1].isalnum()) or (end < n and cased[end].isalnum()):
                continue
            word = m.group()
            if word.lower() in common:
                continue
            while k < len(out) and out[k].end <= start:
                k += 1
            if k < len(out) and out[k].start < end:
                continue  # part of a mention already
            i = lookup(word)
            if i is not None:
                ent = self._entities[i]
                found.append(_new_mention(start, end, text[start:end], ent.canonical,
                                          ent.kind, True))
        if not found:
            return out
        return sorted(out + found, key=lambda x: x.start)

    def _names(self, cased: str, start: int, end: int, names, seen: SeenNames):
        """(start, end, entity index, fuzzy) for a first or last name here, else None."""
        for name in names:
            found = self._name(cased, start, end, name, seen)
            if found:
                return found
        return None

    @staticmethod
    def _context_ok(rule: _Rule, cased: str, start: int, end: int) -> bool:
        if rule.requires_next or rule.forbid_next:
            m = _NEXT_WORD.match(cased, end)
            nxt = m.group(1).lower().rstrip(".,'") if m else ""
        if rule.requires_prev or rule.forbid_prev:
            m = _PREV_WORD.search(cased, max(0, start - 40), start)
            prev = m.group(1).lower() if m else ""
        if rule.forbid_near:
            before = cased[max(0, start - NEAR):start].lower()
            if any(phrase in before for phrase in rule.forbid_near):
                return False
        if rule.forbid_next and nxt in rule.forbid_next:
            return False
        if rule.forbid_prev and prev in rule.forbid_prev:
            return False
        if rule.requires_next or rule.requires_prev:
            ok = False
            if rule.requires_next:
                ok = nxt in rule.requires_next or (
                    "<num>" in rule.requires_next and nxt[:1].isdigit())
            if not ok and rule.requires_prev:
                ok = prev in rule.requires_prev
            return ok
        return True

    def _name(self, cased: str, start: int, end: int, name: _Name, seen: SeenNames):
        if cased[start:end] != name.text:
            return None
        # a misspelled full name: first name + something close to a last name (or reverse)
        if name.first:
            m = _WORD_AT.match(cased, end)
            if m:
                for i in name.people:
                    for last in self._last_names.get(i, ()):
                        if self._fuzzy_ok(m.group(1), last):
                            return start, m.end(1), i, True
        else:
            m = _WORD_BEFORE.search(cased, max(0, start - 30), start)
            if m:
                for i in name.people:
                    first = self._entities[i].canonical.split(" ")[0]
                    if self._fuzzy_ok(m.group(1), first):
                        return m.start(1), end, i, True
        # the name alone, once its person is known in this episode
        part = name.text[:-2] if name.text.endswith("'s") else name.text
        i = seen.by_part.get(part)
        if i is None or i not in name.people:
            return None
        if name.common and _sentence_start(cased, start):
            return None
        return start, end, i, False

    def _fuzzy_ok(self, word: str, target: str) -> bool:
        bare = word[:-2] if word.endswith("'s") else word
        if bare == target or bare.lower() in self._common:
            return False
        return close_enough(bare, target)

    # -- episode-level evidence (see evidence.py) -----------------------------------

    def _build_evidence(self, entries: list[CatalogEntry]) -> None:
        ents = self._entities
        by_name = self._index
        self._parent_of: dict[int, int] = {}
        for i, e in enumerate(ents):
            if e.parent and e.parent.casefold() in by_name:
                self._parent_of[i] = by_name[e.parent.casefold()]
        # bare tiers: "Gemini Flash" (parent Gemini) -> "flash" once Gemini is present
        self._tiers: dict[int, dict[str, int]] = {}
        for i, e in enumerate(ents):
            p = self._parent_of.get(i)
            if p is None or e.kind != "model" or ents[p].kind != "model":
                continue
            head = ents[p].canonical + " "
            tier = e.canonical[len(head):]
            if (e.canonical.startswith(head) and tier.isalpha() and len(tier) >= 3
                    and tier.lower() not in _NOT_TIERS):
                self._tiers.setdefault(p, {})[tier.lower()] = i
        self._initials = [initials(e.canonical) for e in ents]
        # canonical name -> index of the family with tiers it belongs to (-1: none)
        self._root_of: dict[str, int] = {}
        for i, e in enumerate(ents):
            r = self._family_root(i)
            self._root_of[e.canonical] = -1 if r is None else r
        # sounds-like index over single-word names and acronyms of non-person entities
        self._sound: dict[str, list[tuple[str, int]]] = {}
        self._heard_cache: dict[str, tuple[int, ...]] = {}
        # words whose first sound-alike name is spelled in capitals, letter by letter
        # ("Mars" for MoE, "Swiss" for SSM, "Roon" for RLHF): see the evidence pass
        self._spoken_letters: set[str] = set()
        # word -> the people's last names it is a misspelling of (_near_lasts), and the
        # words that are a misspelling of none (most), set aside in C before the loop
        self._near_cache: dict[str, tuple[str, ...]] = {}
        self._far: set[str] = set()
        self._lasts_by_initial: dict[str, list[str]] = {}
        for e in ents:
            if e.kind == "person" and " " in e.canonical:
                last = e.canonical.split(" ")[-1]
                group = self._lasts_by_initial.setdefault(last[:1], [])
                if last not in group:
                    group.append(last)
        self._silent: set[str] = set()  # capitalised words that sound like no name
        self._never_sure: set[str] = set()  # ... that do but are words themselves
        self._spelled = {a.text.lower() for e in entries for a in e.aliases}
        for i, entry in enumerate(entries):
            if entry.entity.kind == "person":
                continue
            guarded = {x.text.lower() for x in entry.aliases
                       if x.requires_next or x.requires_prev or x.case}
            for a in (Alias(entry.entity.canonical), *entry.aliases):
                w = a.text
                if w.lower() in guarded and any(
                        x.text.lower() == w.lower() and (x.requires_next or x.requires_prev)
                        for x in entry.aliases):
                    continue
                if a.requires_next or a.requires_prev or not w.isalpha() or len(w) < 4:
                    continue
                if w.lower() in self._common:
                    continue
                key = sound_key(w)
                if len(key) < 2:
                    continue
                for k in {key, *(key[:j] + key[j + 1:] for j in range(len(key)))}:
                    self._sound.setdefault(k, []).append((w, i))

    def _tier_keys(self) -> dict[str, tuple[tuple[int, int, str], ...]]:
        """key -> the tier words in it as (offset, end offset, word): bare ("flash",
        "flashes" is not one: "flashs"), and two fused with "", "to", "and" or "n"."""
        words = sorted({t for tiers in self._tiers.values() for t in tiers})
        out: dict[str, tuple[tuple[int, int, str], ...]] = {}
        for a in words:
            for b in words:
                for j in ("", "to", "and", "n"):
                    k = len(a) + len(j)
                    out.setdefault(a + j + b, ((0, len(a), a), (k, k + len(b), b)))
        for a in words:  # a bare tier (plural included in its span) wins over a fused reading
            out[a] = out[a + "s"] = ((0, -1, a),)
        return out

    def _family_root(self, i: int) -> int | None:
        seen = 0
        while i is not None and seen < 8:
            if i in self._tiers:
                return i
            i = self._parent_of.get(i)
            seen += 1
        return None

    def _evidence(self, text: str, cased: str, out: list[Mention], present: set[int] | None,
                  first_at: dict[int, int] | None,
                  tier_hits: list[tuple[int, int, tuple]],
                  suggest: bool = False, raw: bytes = b"",
                  links: bool = True) -> list[Mention]:
        """Mentions the text as a whole makes acceptable (module doc of evidence.py).

        `present` (entities in `out`), `first_at` (person -> first mention) and `tier_hits`
        (tier words the automaton saw outside mentions) come from the lookup pass, so that
        this pass scans the text only once, for capitalised words, and only when some rule
        could use them.  `links=False`: `mask_spans` found no URL, tag or file name, so the
        text links to no paper (each link to one holds an http(s) URL or a ".pdf")."""
        added: list[Mention] = []
        ents = self._entities
        index = self._index
        # links to papers: the anchor text is a paper; it wins over what lies inside it
        if links:
            spans = paper_links(text)
            if spans:
                kept = [m for m in out if not any(a < m.end and m.start < b for a, b in spans)]
                if len(kept) != len(out):
                    out, present, first_at = kept, None, None
                for a, b in spans:
                    title = " ".join(text[a:b].split())
                    i = index.get(title.casefold())
                    canon = ents[i].canonical if i is not None else title
                    added.append(_new_mention(a, b, text[a:b], canon, "paper", False))
        if not out and not added:
            return out
        if present is None or first_at is None:
            present, first_at = set(), {}
            for m in out:
                i = index.get(m.canonical.casefold())
                if i is not None:
                    present.add(i)
                    if m.kind == "person" and i not in first_at:
                        first_at[i] = m.start
        # most passages give no rule anything to do (on the seeds' 3,049 passages 13 gain a
        # mention): find that out from the cheapest facts first
        intro = introduced_people(cased)
        ent_inits = self._initials
        long = len(cased) >= _WORDS_RE_MIN
        # the capitalised words (two letters or more): initials are looked up in them, the
        # rules below take those of three letters or more.  A substring test per entity
        # present ("EY" in the text) cost more than this one pass in an episode naming
        # hundreds; a whole-word initial is always one of these words, and one standing
        # inside a word ("EY" in "HEY") never had a position anyway
        if raw:
            cap_at = _cap_words(cased, raw)
            caps = set(cap_at[0])
        else:
            cap_at = None
            caps = set(_CAP_WORD.findall(cased))
        # the words the rules below take (three letters or more) and that might sound like
        # a name: the set difference in C first, the length test on what is left (few)
        todo = {w for w in caps - self._silent if len(w) > 2}
        if not (added or tier_hits or intro or first_at
                or any(ent_inits[i] and (long or ent_inits[i] in caps) for i in present)):
            if not todo or (not suggest and todo <= self._never_sure):
                return out
        starts = list(map(_START, out))  # map with attrgetter: twice a list comprehension's
        ends = list(map(_END, out))  # speed over tens of thousands of mentions
        n_out = len(out)
        taken = sorted((m.start, m.end) for m in added)
        bisect_left = bisect.bisect_left

        def free(a: int, b: int) -> bool:
            k = bisect_left(starts, a)
            if (k < n_out and starts[k] < b) or (k and ends[k - 1] > a):
                return False
            k = bisect_left(taken, (a, a))
            if k < len(taken) and taken[k][0] < b:
                return False
            return not (k and taken[k - 1][1] > a)

        weak: list[tuple[int, int, str, str]] = []  # below the bar: suggestions, added last

        def add(a: int, b: int, canon: str, kind: str, fuzzy: bool, sure: bool = True) -> None:
            if not sure:
                if suggest:
                    weak.append((a, b, canon, kind))
            elif free(a, b):
                bisect.insort(taken, (a, b))
                added.append(_new_mention(a, b, text[a:b], canon, kind, fuzzy))

        # bare tiers and fused tiers after a family mention (the automaton flagged them); a
        # tier belongs to the family named last before it ("Nemotron Nano/Super/Ultra" is not
        # Gemini Ultra), and it is sure only near that mention: capitalised within
        # _TIER_NEAR characters, lower case (an ordinary word: "ultra productive") within
        # _TIER_NEAR_LOW
        fam_at: list[tuple[int, int]] = []  # (end, root) of family mentions
        if tier_hits:
            root_of = self._root_of
            for m in out:  # every model named counts as "named last"
                if m.kind == "model":
                    fam_at.append((m.end, root_of.get(m.canonical, -1)))
        # the first family with tiers (none before it: no tier can belong to one)
        first_root = next((j for j, (_, r) in enumerate(fam_at) if r >= 0), len(fam_at))
        for start, end, parts in tier_hits if fam_at else ():
            if (start and cased[start - 1] == "-") or cased[end:end + 1] == "-":
                continue
            k = bisect_left(fam_at, (start + 1, -1)) - 1
            if k < 0:
                continue  # no family named before it
            last_end, root = fam_at[k]
            if root < 0 and first_root >= k:
                continue  # no family with tiers named before it
            for a, b, word in parts:
                bare = b < 0
                a += start
                b = end if bare else start + b
                lower = cased[a:a + len(word)].islower()
                if bare and lower and cased[max(0, a - 3):a] in (" a ", "an "):
                    continue  # "a sonnet", "an ultra": the ordinary noun
                t = self._tiers[root].get(word) if root >= 0 else None
                sure = t is not None and a - last_end <= (
                    _TIER_NEAR_LOW if bare and lower else _TIER_NEAR)
                if t is None and a - last_end <= _TIER_OTHER_NEAR:
                    continue  # "GPT-5 nano", "Nemotron-3 Super and Ultra": that model's
                    # own tier, not Gemini's (suggested so, a blind review found it noise)
                if t is None:  # another family named earlier has it: a suggestion at most
                    # (walked back by index: a slice of `fam_at` per tier word made this
                    # pass quadratic in a long text, 2% of a 14 MB call)
                    for j in range(k - 1, first_root - 1, -1):
                        r = fam_at[j][1]
                        if r >= 0 and word in self._tiers[r]:
                            t = self._tiers[r][word]
                            break
                    else:
                        continue
                add(a, b, ents[t].canonical, "model", not bare, sure)
        # people introduced by a cue, and first names of people named in full
        people: dict[str, tuple[str, int | None]] = {}
        since: dict[str, int] = {}  # a first name counts after the full name or the cue
        for first, (full, pos) in intro.items():
            i = self._people.get(fold(full)[1])
            people[first] = (ents[i].canonical if i is not None else full, i)
            since[first] = pos
        for i, pos in first_at.items():
            canon = ents[i].canonical
            if " " in canon:
                first = canon.split(" ")[0]
                if first not in people:
                    people[first] = (canon, i)
                    since[first] = pos
        firsts = {}
        for first, (canon, i) in people.items():
            if len(first) < 3:
                continue
            firsts[first] = canon
            if " " in canon and (i is None or i not in present):
                for m in re.finditer(rf"\b{re.escape(canon)}\b", cased):
                    add(m.start(), m.end(), canon, "person", False)
        # initials of people and CamelCase names in the text
        inits: dict[str, int | str] = {}
        for i in present:
            x = ent_inits[i]
            if x and (long or x in caps) and (suggest or not frequent(x)):  # most absent
                inits[x] = i
        for canon, i in people.values():
            x = initials(canon)
            if x and x not in inits and (suggest or not frequent(x)):
                inits[x] = i if i is not None else canon
        # the other rules look at capitalised words: their set first (one C-speed pass)...
        lasts = {ents[i].canonical.split(" ")[-1]: i for i in present
                 if ents[i].kind == "person" and " " in ents[i].canonical}
        # a misspelt last name of a person named in the text ("Yudkowski")
        misspelt: dict[str, int] = {}
        if lasts:
            # per word, the last names it is close to, cached: most words are close to none,
            # and a dict lookup each replaced a loop over the people present with the same
            # initial (4% of a pass)
            near, order = self._near_cache.get, None
            for word in caps - self._far:
                found = near(word)
                if found is None:
                    found = self._near_lasts(word)
                if not found:
                    continue
                best = [last for last in found if last in lasts]
                if not best or not (suggest or (len(word) >= 5 and not ordinary(word))):
                    continue
                if len(best) > 1:  # the person named last among them, as `lasts` orders them
                    order = order or {last: k for k, last in enumerate(lasts)}
                    best.sort(key=order.__getitem__)
                misspelt[word] = lasts[best[-1]]
        # words that sound like a name the text confirms, or that a kind cue follows; words
        # known to sound like nothing are set aside in C (most of them, passage after passage)
        heard: dict[str, int] = {}
        cued: dict[str, int] = {}
        common, spelled = self._common, self._spelled
        if todo and not suggest:  # words that could only be suggestions
            todo -= self._never_sure
        if todo:
            family = set(present)
            for i in present:
                p = self._parent_of.get(i)
                if p is not None:
                    family.add(p)
            for word in todo:
                low = word.lower()
                if low in common or low in index or low in spelled or word[:-1].isupper():
                    hit = ()
                else:
                    hit = self._heard_as(word)
                if not hit:
                    if len(self._silent) > 200_000:
                        self._silent.clear()
                    self._silent.add(word)
                    continue
                if ordinary(word) or camel(word):  # sounds like a name, is a word itself
                    if len(self._never_sure) > 200_000:
                        self._never_sure.clear()
                    self._never_sure.add(word)
                    if not suggest:
                        continue
                i = hit[0]
                if i in present or self._parent_of.get(i) in family:
                    heard[word] = i
                else:
                    cued[word] = i
        # ... then where the words that some rule wants stand (a second pass, only if any)
        wanted = firsts.keys() | misspelt.keys() | heard.keys() | cued.keys() | inits.keys()
        if not wanted:
            return self._with_weak(text, out, added, weak, free, starts)
        at = _word_positions(cased, wanted, raw, cap_at)
        for first, canon in firsts.items():
            for a, b, _ in at.get(first, ()):
                if a < since[first]:
                    continue
                if first.lower() in common and _sentence_start(cased, a):
                    continue
                add(a, b, canon, "person", False)
        # letters alone are weak evidence: an ordinary word ("Ling", "Silicon", "April"), a
        # CamelCase spelling ("CapEx") or a word inside a longer name ("Adam Coates",
        # "Silicon Valley") is at most a suggestion (lexicon.py)
        for word, i in misspelt.items():
            plain = len(word) >= 5 and not ordinary(word)
            pos = at.get(word, ())
            if _used_as_a_word(word, len(pos)):
                continue
            for a, b, _ in pos:
                add(a, b, ents[i].canonical, ents[i].kind, True, plain)
        for x, i in inits.items():
            plain = not frequent(x)
            for a, _, b in at.get(x, ()):
                if isinstance(i, int):
                    add(a, b, ents[i].canonical, ents[i].kind, True, plain)
                else:
                    add(a, b, i, "person", True, plain)
        # a word that sounds like a name the text confirms: sure when it is no word of its
        # own, or when it recurs (one consistent mis-hearing) in a text naming the entity;
        # a word heard as an acronym ("Roon" -> RLHF) needs a kind cue
        # An ordinary word that sounds like a name is at most a suggestion - and not even
        # that when it is a month or a day ("April" for Apple), when the text uses it again
        # and again (a consistent word, not a mishearing: "Silicon" twelve times for Slack),
        # or where it is part of a longer proper name ("Silicon Valley"): a blind review of
        # the reader found such suggestions the noise that made the rest untrustworthy
        for word, i in heard.items():
            pos = at.get(word, ())
            plain = (not ordinary(word) and not camel(word)
                     and (not known(word) or (i in present and len(pos) >= _RECURS))
                     and not (_ACRONYM.fullmatch(ents[i].canonical) and not word.isupper()))
            if _used_as_a_word(word, len(pos)):
                continue
            # a word heard as an acronym said letter by letter ("Mars" for MoE, "Swiss"
            # for SSM) is a mishearing only with a kind cue after it: suggested then
            letters = not plain and word in self._spoken_letters and not word.isupper()
            english = ordinary(word)
            # a word of English passes for a name the text names only when it sounds
            # exactly like one of its names (the same Metaphone key: "Grid" for Gradio);
            # one sound off ("Alice" for Alexa, "Adobe" for Adam, "Trenton" for Triton)
            # it is the word, and a review found such suggestions noise
            if english and not self._sounds_exactly(word, i):
                continue
            for a, b, _ in pos:
                # a word inside a longer proper name ("Awni Hannun", "Thomas [Scialom]",
                # "Silicon Valley") names someone or something else: not even suggested
                if _in_name(cased, a, b):
                    continue
                if letters and not self._cue_after(cased, b, ents[i].kind):
                    continue
                if english and _sentence_start(cased, a):
                    continue  # "Buried in the system card", "Passion and focus.": a word
                    # capitalised only as a sentence's first (a mishearing of a name is
                    # capitalised anywhere)
                add(a, b, ents[i].canonical, ents[i].kind, True, plain)
        for word, i in cued.items():
            kind = ents[i].kind
            plain = not ordinary(word) and not camel(word) and not known(word)
            pos = at.get(word, ())
            if _used_as_a_word(word, len(pos)):
                continue
            # a word of English whose entity the text never names counts only before a
            # kind word ("the Lama paper"): before a number ("Apache 2.0") or at a
            # sentence's start it is the word itself; a blind review found those
            # suggestions the noise that hid the real ones
            english = ordinary(word)
            for a, b, _ in pos:
                if _in_name(cased, a, b):
                    continue  # part of a longer proper name (see above)
                if english and (_sentence_start(cased, a)
                                or not self._cue_after(cased, b, kind, numbers=False)):
                    continue
                if self._cue_after(cased, b, kind):
                    add(a, b, ents[i].canonical, kind, True, plain)
                elif suggest and plain and word not in self._spoken_letters:
                    add(a, b, ents[i].canonical, kind, True, False)
        return self._with_weak(text, out, added, weak, free, starts)

    def _with_weak(self, text: str, out: list[Mention], added: list[Mention],
                   weak: list[tuple[int, int, str, str]], free,
                   starts: list[int]) -> list[Mention]:
        """The confident mentions plus the suggestions that overlap none of them
        (`starts`: those of `out`)."""
        if weak:
            weak.sort()
            end = -1
            for a, b, canon, kind in weak:
                if a >= end and free(a, b):
                    added.append(_new_mention(a, b, text[a:b], canon, kind, True, True))
                    end = b
        return self._merged(out, added, starts)

    @staticmethod
    def _merged(out: list[Mention], added: list[Mention], starts: list[int]) -> list[Mention]:
        if not added:
            return out
        # what sorted(out + added, key=_START_END) gives (no added mention overlaps one in
        # `out`), spliced in: `out` is long and already in order
        added.sort(key=_START_END)
        merged: list[Mention] = []
        k = 0
        for m in added:
            j = bisect.bisect_right(starts, m.start, k)
            merged += out[k:j]
            merged.append(m)
            k = j
        merged += out[k:]
        return merged

    def _heard_as(self, word: str) -> tuple[int, ...]:
        """Entities whose single-word name `word` sounds like (cached: vocabularies repeat)."""
        hit = self._heard_cache.get(word)
        if hit is not None:
            return hit
        key = sound_key(word)
        cands: dict[int, str] = {}
        if len(key) >= 2:  # in a fixed order (a set's order changed with the hash seed, and
            # with it which of two candidates won)
            for k in dict.fromkeys([key, *(key[:j] + key[j + 1:] for j in range(len(key)))]):
                for name, i in self._sound.get(k, ()):
                    cands[i] = name
        low = word.lower()
        hit = tuple(i for i, name in cands.items()
                    if not low.startswith(name.lower()) and sounds_like(word, name))
        if len(self._heard_cache) > 200_000:
            self._heard_cache.clear()
            self._spoken_letters.clear()
        self._heard_cache[word] = hit
        if hit and _spelled_in_letters(cands[hit[0]]):
            self._spoken_letters.add(word)
        return hit

    def _sounds_exactly(self, word: str, i: int) -> bool:
        """Whether one of entity `i`'s single-word names has `word`'s Metaphone key (the
        sound index also files names under their keys with a sound left out)."""
        key = sound_key(word)
        return any(j == i and sound_key(name) == key for name, j in self._sound.get(key, ()))

    def _near_lasts(self, word: str) -> tuple[str, ...]:
        """The last names of the catalog's people that `word` is a misspelling of (same
        initial, length within two, `_fuzzy_ok` with rapidfuzz's C Levenshtein); cached, as
        the same capitalised words come passage after passage."""
        if len(self._near_cache) > 200_000:
            self._near_cache.clear()
        if len(self._far) > 200_000:
            self._far.clear()
        found = tuple(last for last in self._lasts_by_initial.get(word[:1], ())
                      if len(word) > 2 and abs(len(word) - len(last)) <= 2
                      and self._close_last_uncached(word, last))
        if found:
            self._near_cache[word] = found
        else:
            self._far.add(word)
        return found

    def _close_last_uncached(self, word: str, last: str) -> bool:
        bare = word[:-2] if word.endswith("'s") else word
        if bare == last or bare.lower() in self._common:
            return False
        limit = allowed_edits(last)
        if not limit:
            return False
        return 0 < Levenshtein.distance(bare.lower(), last.lower(), score_cutoff=limit) <= limit

    @staticmethod
    def _cue_after(cased: str, end: int, kind: str, numbers: bool = True) -> bool:
        """A kind word among the next two ("… paper", "… lab"), or (`numbers`) a number
        right after an organization or a model ("… 2.0")."""
        words = cased[end:end + 40].lower().split(None, 2)[:2]  # one lower() for both
        if not words:
            return False
        if numbers and kind in ("organization", "model") and words[0][:1].isdigit():
            return True
        cues = KIND_CUES.get(kind)
        return bool(cues) and any(w.strip(".,;:!?") in cues for w in words)


_TLD = re.compile(r"(?:com|ai|org|io|net|co|dev|app|cn|so|sh)\b", re.I)


def _spelled_in_letters(name: str) -> bool:
    """An acronym said letter by letter: as many capitals as small letters or more (MoE, MoEs, SSM,
    RLHF, CISPO; not MiniMax, DeepMind, MergeKit)."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and 2 * sum(c.isupper() for c in letters) >= len(letters)


def _used_as_a_word(word: str, places: int) -> bool:
    """A word of English the text uses as that word, which no rule suggests as a name it
    sounds like: a month or a day ("April" for Apple), or one said `_RECURS` times or more
    (a consistent word, not a mishearing: "Silicon" twelve times for Slack)."""
    return ordinary(word) and (places >= _RECURS or bare_word(word) in CALENDAR)


def _continues(low: str, j: int) -> bool:
    """After a "." or ",": a digit continues a version ("GPT-4.1" is not "GPT-4"), a domain
    makes it a URL ("deepseek.com").  A hyphen may follow freely: "Qwen3-8B", "R1-0528".
    (`low` may be the padded text: its closing space ends a version as the end would.)"""
    if j >= len(low):
        return False
    return low[j].isdigit() or (low[j - 1] == "." and _TLD.match(low, j) is not None)


def _cap_words(cased: str, raw: bytes) -> tuple[list[str], list[int], list[int]]:
    """The words `_CAP_WORD.findall(cased)` gives, in order, with their starts and ends.

    `raw` is `cased` as Latin-1 bytes with a space either side (one byte per character).
    A match of the regex is, in each maximal run of ASCII letters, the part from its first
    capital to the run's end, when the capital is not the run's last letter; numpy finds
    those in a few passes over the bytes.  The regex tested every character of the text
    against its first character class, one C call each (14% of the instructions of a
    per-episode pass over the seeds).  A long text goes in pieces cut at spaces, so that
    the arrays stay in the cache (whole, 14 MB took longer than the regex)."""
    starts: list[int] = []
    stops: list[int] = []
    n = len(raw)
    a = 0
    while a < n - 1:
        b = raw.find(b" ", a + _CAP_PIECE) if n - a > 2 * _CAP_PIECE else -1
        b = n - 1 if b < 0 else b
        _cap_spans(raw, a, b + 1, starts, stops)
        a = b
    return [cased[x:y] for x, y in zip(starts, stops)], starts, stops


_CAP_PIECE = 1 << 18


def _cap_spans(raw: bytes, a: int, b: int, starts: list[int], stops: list[int]) -> None:
    """`_cap_words` over raw[a:b], which starts and ends with a byte that is no letter;
    appends the words' offsets in the text (raw's minus its leading space).

    Each capital's run end is read from the `_CAP_RUN` letter flags after it (one row per
    capital, a strided view: no copy of the text), and a capital is the first of its run
    when its run ends elsewhere than the previous capital's.  The array of every non-letter
    and a binary search in it per capital cost 43 M instructions per per-episode pass over
    the seeds, this 32 M."""
    n = b - a
    x = np.frombuffer(raw, np.uint8, n, a)
    t = x - 65  # uint8 arithmetic wraps: one compare per range
    caps = np.flatnonzero(t < 26)
    if not len(caps):
        return
    np.bitwise_or(x, 32, out=t)  # one temporary reused: each new array costs its pages
    t -= 97
    letters = np.empty(n + _CAP_RUN, bool)  # (False after the end: the rows stay inside)
    letters[n:] = False
    np.less(t, 26, out=letters[:n])
    rows = np.ndarray((n, _CAP_RUN), bool, letters, 0, (1, 1))[caps]
    run = rows.argmin(axis=1)  # the first non-letter; 0 when the row is all letters
    for k in np.flatnonzero(run == 0).tolist():  # a word longer than a row: rare
        e = int(caps[k]) + _CAP_RUN
        while letters[e]:
            e += 1
        run[k] = e - caps[k]
    ends = caps + run
    keep = run >= 2
    keep[1:] &= ends[1:] != ends[:-1]
    shift = a - 1
    starts += (caps[keep] + shift).tolist()
    stops += (ends[keep] + shift).tolist()


_CAP_RUN = 16  # letter flags read per capital at once


def _word_positions(cased: str, wanted, raw: bytes = b"",
                    cap_at: tuple[list[str], list[int], list[int]] | None = None,
                    ) -> dict[str, list[tuple[int, int, int]]]:
    """word -> (start, end with "'s", end without) of its whole-word occurrences, for the
    `wanted` capitalised words (initials included).  `raw`: `cased` as Latin-1 bytes with a
    space either side (what `find` scans), if the caller has it; `cap_at`: what
    `_cap_words` gave for it."""
    at: dict[str, list[tuple[int, int, int]]] = {}
    n = len(cased)
    if n < _FIND_MAX and len(wanted) <= 16:  # a passage: str.find per word beats any scan
        for w in wanted:
            if not _CAP_FULL.fullmatch(w):
                continue  # the scan below could not find it either
            k = len(w)
            p = cased.find(w)
            while p >= 0:
                e = p + k
                c = cased[p - 1] if p else " "
                if not (c.isalnum() or c == "_") and not (e < n and cased[e].isalpha()):
                    b = e
                    if cased.startswith("'s", e) and not (e + 2 < n and _is_word(cased[e + 2])):
                        b = e + 2
                    if b > e or e == n or not _is_word(cased[e]):
                        at.setdefault(w, []).append((p, b, e))
                p = cased.find(w, e)
        return at
    # a longer text: an Aho-Corasick automaton of just these words (built in Rust in
    # microseconds, where compiling a regex of them cost more than the scan) stops only
    # where one of them stands; the boundaries are checked per hit.  On the seeds' 63
    # episodes: 8-10 ms against 15-20 ms for a regex trie or a scan of every capitalised
    # word, the same positions
    words = list(wanted) if n >= _WORDS_RE_MIN else [w for w in wanted if _CAP_FULL.fullmatch(w)]
    if cap_at is not None:
        # a whole-word occurrence of a capitalised ASCII word is a run of ASCII letters from
        # its capital to its end: one of the words `_cap_words` found, at the same place;
        # picked from them instead of built into an automaton and scanned for (the build
        # alone was 3% of a per-episode pass)
        listed = {w for w in words if _CAP_FULL.fullmatch(w)}
        if listed:
            words = [w for w in words if w not in listed]
            caps, cap_starts, cap_ends = cap_at
            # the few capitalised words wanted picked in C (a loop over all of them in
            # Python was 3% of a pass)
            for k in compress(range(len(caps)), map(listed.__contains__, caps)):
                w, a, e = caps[k], cap_starts[k], cap_ends[k]
                if not ((a and _is_word(cased[a - 1])) or (e < n and _is_word(cased[e]))):
                    b = e + 2 if cased.startswith("'s", e) and not (
                        e + 2 < n and _is_word(cased[e + 2])) else e
                    at.setdefault(w, []).append((a, b, e))
    if not words:
        return at
    # Over the Latin-1 bytes `find` already made (one byte per character, so the offsets are
    # the text's) rather than the str: the str automaton converts the text to UTF-8 and maps
    # every offset back, 0.2 s of a 14 MB call's 1.5 s; the bytes one 0.02 s
    if raw and all(w.isascii() for w in words):
        found = ahocorasick_rs.BytesAhoCorasick([w.encode() for w in words],
                                                matchkind=ahocorasick_rs.MATCHKIND_STANDARD)
        matches = [(p, a - 1, e - 1) for p, a, e in found.find_matches_as_indexes(
            raw, overlapping=True)]
    else:
        found = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)
        matches = found.find_matches_as_indexes(cased, overlapping=True)
    for p, a, e in matches:
        if (a and _is_word(cased[a - 1])) or (e < n and _is_word(cased[e])):
            continue
        b = e + 2 if cased.startswith("'s", e) and not (e + 2 < n and _is_word(cased[e + 2])) \
            else e
        at.setdefault(words[p], []).append((a, b, e))
    return at


_WORDS_RE_MIN = 50_000
_TIER_NEAR = 20_000  # characters from the family's mention within which a tier is sure
_TIER_NEAR_LOW = 5_000  # the same for a lower-case tier word ("the flash version")
_TIER_OTHER_NEAR = 24  # a tier this close after another family's model is that model's
_RECURS = 3  # times a known word must recur to be taken as one consistent mis-hearing
_ACRONYM = re.compile(r"[A-Z0-9]{2,6}")
_TITLE_WORD = re.compile(r"[A-Z][a-z][\w'\u2019-]*")


def _in_name(cased: str, a: int, b: int) -> bool:
    """The word at a:b stands next to a capitalised word, one space between: part of a
    longer proper name ("Adam Coates", "Silicon Valley", "Colonel Labs") — unless that word
    is an ordinary one capitalised only because it starts the sentence ("Later Godot…")."""
    if b + 1 < len(cased) and cased[b] == " " and _TITLE_WORD.match(cased, b + 1):
        return True
    if a >= 2 and cased[a - 1] == "-" and cased[a - 2].isalnum():
        return True  # the tail of a hyphened name: "GPQA-Diamond", "Nemotron-Super"
    if a >= 3 and cased[a - 1] in "[(" and cased[a - 2] == " ":
        a -= 1  # "Thomas [Scialom]"
    if a >= 2 and cased[a - 1] == " " and cased[a - 2].isalpha():
        j = a - 2
        while j > 0 and (cased[j - 1].isalpha() or cased[j - 1] in "'\u2019-"):
            j -= 1
        if _TITLE_WORD.fullmatch(cased, j, a - 1) is None:
            return False
        # "Later Godot said": a capital that only starts the sentence joins no name
        return not (_sentence_start(cased, j) and ordinary(cased[j:a - 1]))
    return False
_FIND_MAX = 4_000
_CAP_FULL = re.compile(r"[A-Z][A-Za-z]+")


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _sentence_start(cased: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and cased[j] == " ":
        j -= 1
    return j < 0 or cased[j] in _SENTENCE_END
