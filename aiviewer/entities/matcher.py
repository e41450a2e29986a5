"""Find catalog entities in text: one Aho-Corasick automaton over every alias variant.

Why an automaton: the catalog has thousands of alias spellings; one regex alternation over them
runs at 0.5-2.6 MB/s, the automaton plus a word-boundary check at tens of MB/s (DESIGN.md).
The automaton runs over the lower-cased text and reports every key that ends at each position;
the Python side then keeps only hits on word boundaries, checks case and context rules, and
keeps the leftmost-longest hit.  Three things need more than a lookup:

* names alone: "Dylan" counts once "Dylan Patel" has been seen (in this text or in earlier
  segments of the episode, via `seen`) or when Dylan Patel speaks in the episode;
* misspellings nobody listed: a person's first name followed by something close to their
  last name ("Lex Freedman") is taken, marked fuzzy (see `fuzzy.py`);
* plurals and possessives ("GPUs", "H100s", "OpenAI's") are keys of their own.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from aiviewer.entities.catalog import Alias, Catalog, CatalogEntry, family_of, load_catalog
from aiviewer.entities.catalog import merge_user_entities as _merge
from aiviewer.entities.fuzzy import WordIndex, close_enough
from aiviewer.entities.variants import family_asr_aliases, fold, separator_variants
from aiviewer.model import Entity, Mention

_PREV_WORD = re.compile(r"([\w.'+-]+)[^\w.'+-]*$")
_NEXT_WORD = re.compile(r"[^\w.'+-]*([\w.'+-]+)")
_WORD_AT = re.compile(r" ([A-Z][\w'-]*[a-z][\w-]*)")
_WORD_BEFORE = re.compile(r"([A-Z][\w-]*[a-z][\w-]*) $")
_SENTENCE_END = ".!?>\"'([:;"
_CAPITALISED = re.compile(r"[A-Z][a-z]{5,}")
_FUZZY_KINDS = ("model", "organization", "product", "benchmark", "hardware")
# Characters that may stand right before a name.  Every key is stored once behind each of
# them, so the automaton never reports a hit inside a word ("rl" in "world", "arc" in
# "search"); that halves the hits the Python side has to look at.
BOUNDARY = " (\"/[*->'.,:;!?{<~+=|&"  # not "@", "#", "_": handles and hashtags are not prose
# Characters that may follow a name.  Keys that begin common words ("tim" in "time", "ant" in
# "another") are stored once before each of them, for the same reason.
END = " .,;:!?)]}\"'-/*>|&"


def _new_mention(start: int, end: int, surface: str, canonical: str, kind: str,
                 fuzzy: bool) -> Mention:
    """Mention(...) without the frozen dataclass __init__, which costs 2.5x as much; the
    matcher makes thousands per megabyte."""
    m = _object_new(Mention)
    object.__setattr__(m, "__dict__", {"start": start, "end": end, "surface": surface,
                                       "canonical": canonical, "kind": kind, "fuzzy": fuzzy})
    return m


_object_new = object.__new__


@dataclass(slots=True)
class _Rule:
    """How one key of the automaton turns into a mention of one entity."""

    entity: int
    text: str  # the variant as written, folded; compared exactly when `case`
    case: bool
    suffix: str  # "", "s" or "'s" (plural and possessive keys)
    requires_next: frozenset[str] | None = None
    requires_prev: frozenset[str] | None = None
    forbid_next: frozenset[str] | None = None
    forbid_prev: frozenset[str] | None = None
    asr: bool = False
    context: bool = False  # any word list set (checked once here, not per hit)

    def __post_init__(self) -> None:
        self.context = bool(self.requires_next or self.requires_prev or self.forbid_next
                            or self.forbid_prev)


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
        self._people: dict[str, int] = {}  # folded full names -> entity, for speakers
        self._last_names: dict[int, list[str]] = {}
        keys: dict[str, list] = {}
        for i, entry in enumerate(entries):
            self._add_entry(keys, i, entry)
        self._words = self._word_index(entries)
        word_starts = {w[:k] for w in self._common for k in range(1, len(w))}
        self._automaton = ahocorasick.Automaton()
        for key, rules in keys.items():
            split = (tuple(r for r in rules if isinstance(r, _Rule)),
                     tuple(r for r in rules if isinstance(r, _Name)))
            if key in word_starts:
                # value: (start = end - this, characters after the name, rules, names)
                value = (len(key), 1, *split)
                for b in BOUNDARY:
                    for e in END:
                        self._automaton.add_word(b + key + e, value)
            else:
                value = (len(key), 0, *split)
                for b in BOUNDARY:
                    self._automaton.add_word(b + key, value)
        self._automaton.make_automaton()

    # -- construction ---------------------------------------------------------------

    @classmethod
    def from_catalog(cls, user_entities: Iterable[Entity] = (), hidden: Iterable[str] = (),
                     catalog: Catalog | None = None) -> Matcher:
        """The shipped catalog with the user's entities laid over it."""
        catalog = catalog or load_catalog()
        user = list(user_entities)
        hidden = frozenset(hidden)
        entries = _merge(catalog, user, hidden)
        extra = json.dumps([[e.canonical, e.kind, e.description, list(e.aliases), e.parent]
                            for e in user] + sorted(hidden), sort_keys=True)
        version = catalog.version
        if user or hidden:
            version += "-" + hashlib.sha256(extra.encode()).hexdigest()[:12]
        return cls(entries, catalog, version)

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
                     ("requires_next", "requires_prev", "forbid_next", "forbid_prev")}
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

    def speaker_entity(self, label: str) -> Entity | None:
        i = self._people.get(fold(label)[1])
        return None if i is None else self._entities[i]

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

    def find(self, text: str, speakers: tuple[str, ...] = (), seen: SeenNames | None = None,
             misspelt_words: bool | None = None, *, suggestions: bool = False) -> list[Mention]:
        """Mentions in `text`, in order, without overlaps.

        `speakers` are the episode's speaker names; `seen` carries the people named so far
        across the segments of one episode (pass the same object for each segment).
        `misspelt_words` adds the single-word fuzzy pass (default: `self.misspelt_words`).
        `suggestions` also returns below-the-bar candidates, marked `suggested=True`.
        """
        if suggestions:
            return self._with_suggestions(text, speakers, seen, misspelt_words)
        if seen is None:
            seen = self.seen_for(speakers)
        elif speakers:
            for label in speakers:
                i = self._people.get(fold(label)[1])
                if i is not None and self._entities[i].canonical.split(" ")[0] not in seen.by_part:
                    self._remember(seen, i)
        # keys carry one boundary character in front (and some one behind): the padding
        # gives the text's start and end one; offsets in the text are those in `padded` - 1
        cased, padded = fold(text, pad=True)
        n = len(text)
        hits = []
        add = hits.append
        for end, value in self._automaton.iter(padded):
            end -= value[1]
            if end < n:
                c = padded[end + 1]
                if c.isalnum() or c == "_" or (c in ".," and _continues(padded, end + 2)):
                    continue
            add((end - value[0], -end, value))
        misspelt = self.misspelt_words if misspelt_words is None else misspelt_words
        if not hits:
            return self._misspelt_words(text, cased, []) if misspelt else []
        hits.sort()
        out: list[Mention] = []
        taken = 0
        context_ok = self._context_ok
        for start, neg_end, (_, _, rules, names) in hits:
            if start < taken:
                continue
            end = -neg_end
            for rule in rules:  # the common case, inlined: a plain alias
                if rule.case and cased[start:start + len(rule.text)] != rule.text:
                    continue
                if rule.context and not context_ok(rule, cased, start, end):
                    continue
                m_start, m_end, i, fuzzy = start, end, rule.entity, False
                break
            else:
                if not names:
                    continue
                found = self._names(cased, start, end, names, seen)
                if found is None:
                    continue
                m_start, m_end, i, fuzzy = found
                if m_start < taken:
                    continue
            ent = self._entities[i]
            out.append(_new_mention(m_start, m_end, text[m_start:m_end], ent.canonical,
                                    ent.kind, fuzzy))
            taken = m_end
            if ent.kind == "person":
                self._remember(seen, i)
        if misspelt:
            out = self._misspelt_words(text, cased, out)
        return out

    def _with_suggestions(self, text: str, speakers, seen, misspelt_words) -> list[Mention]:
        """`find` plus suggestions: for now the capitalised words one edit from a single-word
        name that `misspelt_words` would take ("Antropic"), when that pass is off — a stand-in
        rule until the evidence rules (`entities/evidence.py`) decide what is below the bar.
        Each word's answer is kept (speech repeats its capitalised words): the lookups were
        half the cost of this pass on the seeds."""
        out = self.find(text, speakers, seen, misspelt_words)
        if (self.misspelt_words if misspelt_words is None else misspelt_words):
            return out
        cache = self.__dict__.setdefault("_suggest_cache", {})
        if len(cache) > 100_000:
            cache.clear()
        found: list[Mention] = []
        n, k = len(text), 0
        for m in _CAPITALISED.finditer(text):
            word = m.group()
            i = cache.get(word, -1)
            if i == -1:
                i = cache[word] = (None if word.lower() in self._common
                                   else self._words.lookup(word))
            if i is None:
                continue
            start, end = m.span()
            if (start and text[start - 1].isalnum()) or (end < n and text[end].isalnum()):
                continue
            while k < len(out) and out[k].end <= start:
                k += 1
            if k < len(out) and out[k].start < end:
                continue  # part of a mention already
            ent = self._entities[i]
            found.append(Mention(start, end, word, ent.canonical, ent.kind, True, True))
        return sorted(out + found, key=lambda x: x.start) if found else out

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


_TLD = re.compile(r"(?:com|ai|org|io|net|co|dev|app|cn|so|sh)\b")


def _continues(low: str, j: int) -> bool:
    """After a "." or ",": a digit continues a version ("GPT-4.1" is not "GPT-4"), a domain
    makes it a URL ("deepseek.com").  A hyphen may follow freely: "Qwen3-8B", "R1-0528".
    (`low` may be the padded text: its closing space ends a version as the end would.)"""
    if j >= len(low):
        return False
    return low[j].isdigit() or (low[j - 1] == "." and _TLD.match(low, j) is not None)


def _sentence_start(cased: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and cased[j] == " ":
        j -= 1
    return j < 0 or cased[j] in _SENTENCE_END
