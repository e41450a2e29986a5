"""Entities: the AI knowledge catalog and the speech-recognition-aware matcher (pure, no Qt).

`find(text)` uses the shipped catalog; a library builds `Matcher.for_library(store)` so that
the user's own entities count too.
"""

from __future__ import annotations

from functools import lru_cache

from aiviewer.entities.catalog import Catalog, CatalogError, load_catalog
from aiviewer.entities.matcher import Matcher, SeenNames
from aiviewer.model import Mention

__all__ = ["Catalog", "CatalogError", "Matcher", "SeenNames", "default_matcher", "find",
           "load_catalog"]


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The catalog-only matcher, built once per process (about a second)."""
    return Matcher.from_catalog()


def find(text: str, speakers: tuple[str, ...] = ()) -> list[Mention]:
    """Entity mentions in `text` according to the shipped catalog."""
    return default_matcher().find(text, speakers)
