"""The issue's checks over the sample library: top models, GRPO with DeepSeek, and
the Ross Taylor interview's speakers."""

from __future__ import annotations

import pytest

from aiviewer.library import Library

ROSS_TAYLOR = "t-337583a487"  # "Interviewing Ross Taylor on the state of AI…"


@pytest.fixture(scope="module")
def lib(seeded_copy):
    with Library(seeded_copy("seeds")) as library:
        yield library


def test_deepseek_qwen_and_kimi_are_among_the_top_models(lib):
    top = lib.insight("entities", kind="model", limit=10).rows
    for name in ("DeepSeek", "Qwen", "Kimi"):
        assert name in top, top


def test_grpo_with_deepseek_leads_to_passages_with_both(lib):
    chart = lib.insight("cooccur", focus="GRPO")
    cell = chart.cell("GRPO", "DeepSeek")
    assert cell is not None and cell.count >= 2 and cell.value > 0  # more than chance
    for p in lib.insight_passages(cell.passages):
        text = lib.episode(p.episode_id).segments
        body = next(s.text for s in text if s.id == p.segment_id)
        assert "GRPO" in body and "DeepSeek" in body, body[:200]


def test_a_cells_passages_mark_the_mentions_it_counts(lib):
    """GRPO × DeepSeek: each passage marks both names (DeepSeek's by family: a
    "DeepSeek R1" counts under DeepSeek unless versions are apart), nothing else."""
    cell = lib.insight("cooccur", focus="GRPO").cell("GRPO", "DeepSeek")
    found = lib.insight_passages(cell.passages, [cell.row, cell.col])
    for p in found:
        said = {p.text[a:b].lower() for a, b in p.marks}
        assert any("grpo" in x for x in said) and any("deepseek" in x for x in said), said
    assert all(not p.marks for p in lib.insight_passages(cell.passages))  # no names asked
    apart = lib.insight_passages(cell.passages, ["DeepSeek"], families=False)
    fam = lib.insight_passages(cell.passages, ["DeepSeek"])
    assert sum(len(p.marks) for p in apart) <= sum(len(p.marks) for p in fam)


def test_the_ross_taylor_interview_separates_its_speakers(lib):
    chart = lib.insight("speakers", scope=f"episode:{ROSS_TAYLOR}", limit=12)
    assert {"Ross Taylor", "Nathan Lambert"} <= set(chart.rows)

    def said(who):
        return {c.col: c.count for c in chart.cells if c.row == who}
    ross, nathan = said("Ross Taylor"), said("Nathan Lambert")
    # AlphaEvolve is Ross Taylor's subject, Qwen and GPT Nathan Lambert's
    assert ross.get("AlphaEvolve", 0) > 2 * nathan.get("AlphaEvolve", 0)
    assert nathan.get("GPT", 0) > 2 * ross.get("GPT", 0)
    assert ross != nathan


def test_ross_taylor_is_not_counted_as_mentioning_himself(lib):
    """His row had a "Ross Taylor" cell (screenshot review); Nathan Lambert naming
    him still counts, and the chart's notes say what was left out."""
    chart = lib.insight("speakers", scope=f"episode:{ROSS_TAYLOR}")
    assert chart.cell("Ross Taylor", "Ross Taylor") is None
    assert not any(c.row == c.col for c in chart.cells)
    assert any("own name" in n and "Ross Taylor" in n for n in chart.notes)
    assert "Ross Taylor,Ross Taylor" not in chart.to_csv()
