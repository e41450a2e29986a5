"""The shipped catalog: size, coverage of the seeds, and consistency."""

from __future__ import annotations

import collections

import pytest

from aiviewer.entities.catalog import KINDS, CatalogError, load_catalog, parse_entries
from aiviewer.entities.variants import fold, separator_variants


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_at_least_500_entities_of_every_kind(catalog):
    assert len(catalog.entries) >= 500
    kinds = collections.Counter(e.entity.kind for e in catalog.entries)
    assert set(kinds) == set(KINDS)
    assert all(e.entity.description for e in catalog.entries)


def test_names_unique_and_parents_exist(catalog):
    names = [e.entity.canonical.casefold() for e in catalog.entries]
    assert len(names) == len(set(names))
    canon = {e.entity.canonical for e in catalog.entries}
    assert {e.entity.parent for e in catalog.entries if e.entity.parent} <= canon


def test_no_unconditional_alias_names_two_entities(catalog):
    owners = collections.defaultdict(set)
    for e in catalog.entries:
        for a in (e.entity.canonical, *(a.text for a in e.aliases
                                        if not (a.requires_next or a.requires_prev))):
            owners[fold(a)[1]].add(e.entity.canonical)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


@pytest.mark.parametrize("name", [
    "Claude Code", "Qwen", "OLMo", "Kimi K2", "DeepSeek R1", "GRPO", "RLVR", "Sebastian Raschka",
    "GPT-4o", "GPT-5.3-Codex", "Claude Opus 4.6", "Qwen 3.5", "Llama 4", "Nathan Lambert",
    "Lex Fridman", "Ross Taylor", "Galactica", "Nemotron", "Gemma", "H100", "MMLU", "GSM8K",
])
def test_seed_and_issue_entities_present(catalog, name):
    assert name in {e.entity.canonical for e in catalog.entries}


def test_asr_variants_from_the_issue(catalog):
    asr = {fold(a.text)[1] for e in catalog.entries for a in e.aliases if a.asr}
    for v in ("deep seek", "quen", "almo", "kimmy", "sebastian rashka", "lex freedman", "chatbt",
              "open aai"):
        assert v in asr


def test_separator_variants():
    assert separator_variants("GPT-4o") == ["GPT-4o", "GPT 4o", "GPT4o"]
    assert "chain of thought" in separator_variants("chain-of-thought")
    assert separator_variants("Claude Code") == ["Claude Code"]


def test_bad_entries_are_named():
    with pytest.raises(CatalogError, match="models.toml entity 1"):
        parse_entries({"kind": "model", "entities": [{"description": "x"}]}, "models.toml")
    with pytest.raises(CatalogError, match="kind"):
        parse_entries({"kind": "animal", "entities": []}, "x.toml")
