"""The entity catalog: human-edited TOML files under `resources/entities/`, read into plain data.

Each `<kind>s.toml` holds `kind = "..."` and `entities = [ {name, description, aliases, asr,
parent}, ... ]`.  An alias is a string or a table with context rules::

    {text = "Phi", case = true, requires_next = ["<num>", "models"]}

`rules.toml` holds rules across entities (family names that speech recognition hears as other
words) and `common_words.toml` the common English words the matcher must treat with care.  The
catalog is data, not code, so that adding a model released last week needs no programming.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from aiviewer import paths
from aiviewer.model import Entity

KINDS = ("model", "organization", "person", "product", "technique", "benchmark", "dataset",
         "hardware", "paper")


@dataclass(frozen=True)
class Alias:
    """One way of writing an entity, with the context it needs to count.

    `case` makes the alias match only as written ("MATH" the benchmark, not "math"); left
    unset, short all-capital aliases and capitalised common words are case-sensitive.  The word
    lists hold lower-case words; "<num>" stands for any word that starts with a digit.
    `requires_*` lists are alternatives (any one suffices; if both are given, either side may
    satisfy them); `forbid_*` lists veto.  `forbid_near` lists phrases (lower case) that
    veto the alias when written in the NEAR characters before it, words between or not:
    "LLM 360 … had their K2 models" is not Moonshot's K2.  `asr` marks a
    speech-recognition misspelling.
    """

    text: str
    case: bool | None = None  # None: decided by the matcher (acronyms and common words)
    requires_next: tuple[str, ...] = ()
    requires_prev: tuple[str, ...] = ()
    forbid_next: tuple[str, ...] = ()
    forbid_prev: tuple[str, ...] = ()
    asr: bool = False
    forbid_near: tuple[str, ...] = ()


NEAR = 80  # characters before an alias that `forbid_near` looks at (a clause or so)


@dataclass(frozen=True)
class CatalogEntry:
    entity: Entity
    aliases: tuple[Alias, ...]


@dataclass(frozen=True)
class FamilyAsr:
    """Speech recognition hears `word` as one of `heard_as` at the start of multi-word names."""

    word: str
    heard_as: tuple[str, ...]
    forbid_prev: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalog:
    entries: tuple[CatalogEntry, ...]
    family_asr: tuple[FamilyAsr, ...] = ()
    common_words: frozenset[str] = field(default_factory=frozenset)
    version: str = ""  # a hash of the files, so derived mentions know when they are stale


class CatalogError(ValueError):
    """A catalog file is malformed; the message names the file and the entry."""


def catalog_dir() -> Path:
    """`resources/entities` in a checkout, or the copy an installed wheel carries."""
    return paths.resources_dir() / "entities"


def _words(values, where: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise CatalogError(f"{where}: expected a list of words")
    return tuple(v if v == "<num>" else v.lower() for v in values)


def _alias(raw, *, asr: bool, where: str) -> Alias:
    if isinstance(raw, str):
        return Alias(raw, asr=asr)
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise CatalogError(f"{where}: an alias is a string or a table with 'text'")
    unknown = set(raw) - {"text", "case", "requires_next", "requires_prev", "forbid_next",
                          "forbid_prev", "forbid_near"}
    if unknown:
        raise CatalogError(f"{where}: unknown alias keys {sorted(unknown)}")
    return Alias(
        text=raw["text"], case=None if "case" not in raw else bool(raw["case"]), asr=asr,
        requires_next=_words(raw.get("requires_next"), where),
        requires_prev=_words(raw.get("requires_prev"), where),
        forbid_next=_words(raw.get("forbid_next"), where),
        forbid_prev=_words(raw.get("forbid_prev"), where),
        forbid_near=_words(raw.get("forbid_near"), where),
    )


def parse_entries(data: dict, where: str) -> list[CatalogEntry]:
    """Entries of one kind file (already parsed TOML)."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise CatalogError(f"{where}: kind must be one of {', '.join(KINDS)}")
    out = []
    for i, raw in enumerate(data.get("entities", [])):
        name = raw.get("name")
        at = f"{where} entity {i + 1} ({name!r})"
        if not isinstance(name, str) or not name.strip():
            raise CatalogError(f"{at}: missing name")
        aliases = tuple(_alias(a, asr=False, where=at) for a in raw.get("aliases", []))
        asr = tuple(_alias(a, asr=True, where=at) for a in raw.get("asr", []))
        entity = Entity(
            canonical=name, kind=raw.get("kind", kind),
            description=raw.get("description", ""),
            aliases=tuple(a.text for a in aliases + asr),
            parent=raw.get("parent") or None,
        )
        out.append(CatalogEntry(entity, aliases + asr))
    return out


def _parse_all(files: list[tuple[str, bytes]], digest: str) -> dict[str, dict]:
    """The catalog's TOML files parsed, once per catalog version.

    tomllib is pure Python and takes about half a second over the catalog, on the
    way to the window's first paint; the same data as JSON loads in C in a few
    milliseconds.  The cache is derived, named by the files' digest: a missing,
    unreadable or unwritable one just means parsing the TOML again."""
    cache = paths.cache_dir() / f"catalog-{digest}.json"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(data, dict) and set(data) == {name for name, _ in files}:
            return data
    except (OSError, ValueError):
        pass
    parsed = {}
    for name, raw in files:
        try:
            parsed[name] = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CatalogError(f"{name}: {exc}") from exc
    try:
        data = json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):
        return parsed
    paths.keep_cached(cache, data)
    return parsed


def _read_files(directory: str | Path | None) -> tuple[list[tuple[str, bytes]], str]:
    """(name, bytes) of every TOML file of the catalog directory, and their digest."""
    directory = Path(directory) if directory else catalog_dir()
    digest = hashlib.sha256()
    files = []
    for path in sorted(directory.glob("*.toml")):
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        files.append((path.name, raw))
    return files, digest.hexdigest()


def catalog_version(directory: str | Path | None = None) -> str:
    """`load_catalog(directory).version` without parsing anything (a millisecond): what a
    cached build of the catalog is named by."""
    return _read_files(directory)[1][:16]


def load_catalog(directory: str | Path | None = None) -> Catalog:
    """Read every TOML file of the catalog directory."""
    files, digest = _read_files(directory)
    version = digest[:16]
    entries: list[CatalogEntry] = []
    family: list[FamilyAsr] = []
    common: frozenset[str] = frozenset()
    for name, data in _parse_all(files, digest).items():
        if name == "common_words.toml":
            common = frozenset(w.lower() for w in data.get("words", []))
        elif name == "rules.toml":
            family = [FamilyAsr(r["word"], tuple(r["heard_as"]),
                                _words(r.get("forbid_prev"), name))
                      for r in data.get("family_asr", [])]
        else:
            entries.extend(parse_entries(data, name))
    return Catalog(tuple(entries), tuple(family), common, version)


def merge_user_entities(catalog: Catalog, user: list[Entity],
                        hidden: frozenset[str] = frozenset()) -> list[CatalogEntry]:
    """The catalog with the user's entities laid over it.

    A user entity with a catalog entity's name adds its aliases to it and replaces the fields
    it sets; `hidden` names (case-insensitive) are catalog entities the user deleted.
    """
    hidden_keys = {h.casefold() for h in hidden}
    by_key = {e.entity.canonical.casefold(): e for e in catalog.entries
              if e.entity.canonical.casefold() not in hidden_keys}
    for ent in user:
        key = ent.canonical.casefold()
        mine = tuple(Alias(a) for a in ent.aliases)
        old = by_key.get(key)
        if old is None:
            by_key[key] = CatalogEntry(replace(ent, user=True), mine)
            continue
        # aliases the catalog already has keep its case and context rules
        known = {a.text.casefold() for a in old.aliases} | {key}
        mine = tuple(a for a in mine if a.text.casefold() not in known)
        merged = Entity(
            canonical=old.entity.canonical, kind=ent.kind or old.entity.kind,
            description=ent.description or old.entity.description,
            aliases=old.entity.aliases + tuple(a for a in ent.aliases
                                               if a not in old.entity.aliases),
            parent=ent.parent or old.entity.parent, user=True,
        )
        by_key[key] = CatalogEntry(merged, old.aliases + mine)
    return list(by_key.values())


def family_of(entities: Iterable[Entity], canonical: str) -> set[str]:
    """The entity and everything below it through `parent` links (Claude → Claude
    Opus → Claude Opus 4.5): what `entity:Claude` finds."""
    key = canonical.casefold()
    root = canonical
    children: dict[str, list[str]] = {}
    for e in entities:
        if e.canonical.casefold() == key:
            root = e.canonical
        if e.parent:
            children.setdefault(e.parent.casefold(), []).append(e.canonical)
    out = {root}
    todo = [key]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child.casefold())
    return out
