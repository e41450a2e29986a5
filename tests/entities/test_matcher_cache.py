"""The built matcher is kept in the cache directory (derived data): a second process loads
it instead of building it, finds exactly what a fresh build finds, and a damaged, stale or
unwritable cache only costs building again."""

from __future__ import annotations

import dataclasses
import os

import pytest

from aiviewer.entities import matcher_cache
from aiviewer.entities.catalog import load_catalog
from aiviewer.entities.matcher import Matcher
from aiviewer.model import Entity

TEXT = ("Nathan Lambert talks with Ross Taylor about GPT-4o, Claude Opus 4 and OpenAI's "
        "o3; later Nathan says Gemini flash is fast.  See https://openai.com/gpt-4o and "
        "the Godot paper.")


def _found(m: Matcher) -> list[tuple]:
    return [tuple(x) for x in m.find(TEXT * 3, suggestions=True)]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AIVIEWER_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_a_second_build_is_loaded_and_finds_the_same(cache, monkeypatch):
    built = Matcher.from_catalog()
    (path,) = cache.glob("matcher-*.pickle")

    def no_build(*args, **kwargs):
        raise AssertionError("built again although the cache holds this version")

    monkeypatch.setattr(Matcher, "__init__", no_build)
    loaded = Matcher.from_catalog()
    assert loaded is not built and loaded.version == built.version
    assert _found(loaded) == _found(built)
    assert path.stat().st_size > 0


def test_a_damaged_cache_is_built_again_and_replaced(cache):
    first = Matcher.from_catalog()
    (path,) = cache.glob("matcher-*.pickle")
    path.write_bytes(b"\x80\x05not a pickle")
    again = Matcher.from_catalog()
    assert _found(again) == _found(first)
    assert matcher_cache.load(first.version) is not None  # rewritten whole


def test_user_entities_get_their_own_cache(cache):
    plain = Matcher.from_catalog()
    mine = Matcher.from_catalog([Entity("Zorblax-9", "model", aliases=("Zorb",), user=True)])
    assert mine.version != plain.version
    assert len(list(cache.glob("matcher-*.pickle"))) == 2
    assert [m.canonical for m in Matcher.from_catalog(
        [Entity("Zorblax-9", "model", aliases=("Zorb",), user=True)]).find("Zorb rocks")] \
        == ["Zorblax-9"]
    assert Matcher.from_catalog().find("Zorb rocks") == []


def test_a_catalog_passed_in_is_never_cached(cache):
    catalog = load_catalog()
    fewer = dataclasses.replace(catalog, entries=catalog.entries[:10])  # same version
    Matcher.from_catalog(catalog=fewer)
    assert list(cache.glob("matcher-*.pickle")) == []
    assert len(Matcher.from_catalog().entities) > len(Matcher.from_catalog(catalog=fewer).entities)


def test_an_unwritable_cache_directory_still_builds(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("AIVIEWER_CACHE_DIR", str(blocker / "sub"))
    assert [m.canonical for m in Matcher.from_catalog().find("GPT-4o")] == ["GPT-4o"]


def test_only_the_most_recently_used_builds_are_kept(cache):
    Matcher.from_catalog([Entity("Zorblax-first", "model", user=True)])
    (first,) = cache.glob("matcher-user-*.pickle")
    os.utime(first, (first.stat().st_mtime - 100,) * 2)  # used long ago
    for k in range(matcher_cache.KEEP + 2):
        Matcher.from_catalog([Entity(f"Zorblax-{k}", "model", user=True)])
    kept = list(cache.glob("matcher-user-*.pickle"))
    assert len(kept) == matcher_cache.KEEP
    assert first not in kept  # the least recently used went first


def test_edits_of_user_entities_never_evict_the_catalogs_build(cache, monkeypatch):
    """Each edit names a new build; the catalog's own, which every new library and every
    import's parse workers load, is pruned only by other catalog builds."""
    plain = Matcher.from_catalog()
    for k in range(matcher_cache.KEEP + 2):
        Matcher.from_catalog([Entity(f"Zorblax-{k}", "model", user=True)])
    assert len(list(cache.glob("matcher-user-*.pickle"))) == matcher_cache.KEEP

    def no_build(*args, **kwargs):
        raise AssertionError("the catalog's build was evicted")

    monkeypatch.setattr(Matcher, "__init__", no_build)
    assert Matcher.from_catalog().version == plain.version
