"""The built matcher kept on disk, so that each process does not build it again.

Building the matcher turns the catalog's ~1,400 entries into ~13,600 automaton patterns and
~21,000 rules in pure Python: about a fifth of importing the seeds, where every `Library`
builds one, and part of the window's start-up.  Loading the same structures with pickle and
rebuilding the automaton from its patterns (in Rust) takes a third of that.

The file is derived data in the user's cache directory, named by everything the build
reads: the matcher's version (the catalog files' digest, plus the user's entities and
hidden names, see `Matcher.from_catalog`) and the source of the modules that build it,
so a changed catalog, user entity or matcher never loads an old build.  A missing,
damaged, stale or unwritable file only means building again (as for the catalog's own
JSON cache, `catalog._parse_all`).  It is read only from the user's own cache directory,
which holds nothing another user can write.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from aiviewer import paths

# the modules whose code shapes what the build produces (and model.py: the entities)
_SOURCES = ("entities/matcher.py", "entities/evidence.py", "entities/variants.py",
            "entities/fuzzy.py", "entities/lexicon.py", "entities/catalog.py", "model.py")
_code: list[str | None] = []  # the digest of _SOURCES, once per process


def _code_digest() -> str | None:
    """A digest of the building modules' source, or None when it cannot be read (a frozen
    app without sources: then nothing is cached, rather than a build of unknown code)."""
    if not _code:
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256(f"{sys.version}\0{pickle.HIGHEST_PROTOCOL}".encode())
        try:
            for name in _SOURCES:
                h.update((root / name).read_bytes())
            _code.append(h.hexdigest()[:16])
        except OSError:
            _code.append(None)
    return _code[0]


def cache_path(version: str) -> Path | None:
    """The file for a matcher of `version`, or None when there is to be no cache."""
    code = _code_digest()
    if not version or code is None:
        return None
    key = hashlib.sha256(f"{version}\0{code}".encode()).hexdigest()[:24]
    # a library's own entities add "-<digest>" to the catalog's version (from_catalog)
    kind = "user-" if "-" in version else ""
    return paths.cache_dir() / f"matcher-{kind}{key}.pickle"


def load(version: str):
    """The matcher stored for `version`, or None (absent, damaged or of another version)."""
    path = cache_path(version)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            found = pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged cache of any kind is built again
        return None
    if getattr(found, "version", None) != version:
        return None
    try:
        os.utime(path)  # in use: the last to be pruned (see `save`)
    except OSError:
        pass
    return found


def save(matcher) -> None:
    """Keep `matcher` for the next process (written whole or not at all)."""
    path = cache_path(matcher.version)
    if path is None:
        return
    try:
        data = pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    if paths.keep_cached(path, data):
        _prune(path.parent)


KEEP = 4  # builds kept of each kind: the catalog's alone, and with a library's own entities


def _prune(folder: Path) -> None:
    """Remove all but the `KEEP` most recently used builds of each kind (about 2 MB each).

    Each edit of a user entity names a new build; pruned together with the catalog's
    own, four edits (or a test run making libraries with entities of their own) evicted
    the build every new library and every import's parse workers load, and the next
    seeds import built it again: 2.45-2.65 s CPU against 2.27-2.34 s (load 4.6)."""
    try:
        found = sorted(folder.glob("matcher-*.pickle"), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        user = [p for p in found if p.name.startswith("matcher-user-")]
        plain = [p for p in found if not p.name.startswith("matcher-user-")]
        for old in user[KEEP:] + plain[KEEP:]:
            old.unlink()
    except OSError:
        pass
