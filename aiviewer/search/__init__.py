"""Search: SQLite FTS5 executes every query; whoosh parses it and suggests spellings.

Modules: `query` (text → tree, the only whoosh.qparser user), `tree` (the tree as
plain data), `compile` (tree → FTS5 MATCH + SQL, pure), `spelling` (the only
whoosh.spelling user), `engine` (runs it through the store).

The query language
------------------
=========================  ===================================================
``grpo reasoning``         both words (AND); words are stemmed: ``model`` finds
                           "models"
``"open models"``          the exact phrase
``a OR b``, ``NOT a``,     either; without; ``-a`` is ``NOT a``; parentheses
``-a``, ``(a OR b) c``     group
``distill*``               words starting with "distill" (unstemmed)
``gr?o``                   wildcard: ``?`` one letter, ``*`` any letters
``grpo~``, ``grpo~2``      fuzzy: words within 1 (or 2) edits
``speaker:"Ross Taylor"``  passages by that speaker (display name or label,
                           part of the name is enough)
``show:interconnects``     episodes of a show (part of its title)
``episode:ID``             one episode (its id or an id prefix)
``entity:"Kimi K2"``       passages mentioning the entity (by canonical name or
                           alias; a family matches its members)
``kind:benchmark``         passages mentioning an entity of that kind
``tag:method/RL``          passages (and annotations) tagged so, or with a tag
                           below it (``method/RL/GRPO``)
``date:2025``,             episodes from 2025; after June 2025; before June
``date:>2025-06``,         2025; ``>=``, ``<=`` and ``date:[2025 to 2026-03]``
``date:<2025-06``          work too
``has:note``               passages with an annotation that has a note (also
                           ``has:annotation``, ``has:tag``, ``has:entity``)
=========================  ===================================================

A bare word or phrase that names an entity also finds passages where the entity
is mentioned under another spelling (``Qwen`` finds captions saying "Quen"; adjacent
bare words such as ``Claude Code`` count as the name); those rank among the
passages that contain the words by their own bm25 and carry ``heard_as``.  Results also cover episode
titles, show notes and annotation notes and quotes; each hit says which
(`SearchHit.field`).  A query that cannot be read (an unclosed quote or
parenthesis, a date that is not one) is searched as plain words, and
`SearchResults.error` says what was wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiviewer.model import SearchHit, SearchResults
    from aiviewer.store import Store


def search(store: Store, query: str, limit: int = 20, offset: int = 0,
           **kwargs) -> SearchResults:
    """See `aiviewer.search.engine.search`."""
    from aiviewer.search import engine

    return engine.search(store, query, limit=limit, offset=offset, **kwargs)


def first_hits(store: Store, text: str, limit: int = 10) -> tuple[SearchHit, ...]:
    """See `aiviewer.search.engine.first_hits`."""
    from aiviewer.search import engine

    return engine.first_hits(store, text, limit=limit)


def reindex(store: Store) -> None:
    """See `aiviewer.search.engine.reindex`."""
    from aiviewer.search import engine

    engine.reindex(store)
