"""Names that share a short alias with a better-known entity: each is found as
itself, and the short alias keeps its usual meaning elsewhere."""

from __future__ import annotations

import pytest

from aiviewer.entities import find


@pytest.mark.parametrize("text, expected", [
    ("LLM360 K2 is fully open, unlike Kimi K2.", ["LLM360 K2", "Kimi K2"]),
    ("They trained K2-65B, then K2-V2.", ["LLM360 K2", "LLM360 K2"]),
    ("Moonshot released K2 in July.", ["Moonshot AI", "Kimi K2"]),
])
def test_llm360s_k2_is_not_moonshots(text, expected):
    assert [m.canonical for m in find(text)] == expected
