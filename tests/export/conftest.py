"""Fixtures for the export tests: a few annotations built by hand, with hostile text
in every string a transcript or a user can put there."""

from __future__ import annotations

import pytest

from aiviewer.model import Annotation, Tag

SCRIPT = "<script>alert(1)</script>"
TEXT_A = ("Intro. So we use GRPO here " + SCRIPT + " because it is cheap.\n\n"
          "Right, and PPO needs a critic — that doubles memory.")


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def texts() -> dict[str, tuple[str, str]]:
    """episode id → (title, canonical text), as the Library passes them to qdpx.write."""
    return {"yt-abc123": ("Scaling RL " + SCRIPT, TEXT_A),
            "u-7f00:odd/id": ("Second <b>episode</b>", "Only one line about DPO & friends.")}


@pytest.fixture
def tags() -> list[Tag]:
    return [Tag(1, "method/RL/GRPO", "#e69f00", 1), Tag(2, "method/RL/PPO", "#56b4e9", 1),
            Tag(3, "open questions", "#009e73", 2), Tag(4, "evil" + SCRIPT, "#cc79a7", 1)]


@pytest.fixture
def annotations(texts) -> list[Annotation]:
    text = texts["yt-abc123"][1]
    s1, e1 = _span(text, "we use GRPO here " + SCRIPT)
    s2, e2 = _span(text, "PPO needs a critic")
    s3, e3 = _span(texts["u-7f00:odd/id"][1], "DPO & friends")
    ctx = dict(episode_title=texts["yt-abc123"][0], show="The <i>Show</i>", date="2025-01-02",
               url="https://www.youtube.com/watch?v=abc123")
    return [
        Annotation(id="0f8fad5b-d9cb-469f-a165-70867728950e", episode_id="yt-abc123",
                   exact=text[s1:e1], prefix=text[max(0, s1 - 32):s1], suffix=text[e1:e1 + 32],
                   start=s1, end=e1,
                   note_md="Why *GRPO*? " + SCRIPT + " <img src=x onerror=alert(1)>\n\n"
                           "![tracker](https://t.example/p.gif) [bad](javascript:alert(1))",
                   tags=("method/RL/GRPO", "open questions"), colour="#ff0000",
                   created="2026-11-23T09:27:44+00:00", modified="2026-11-23T09:30:00+00:00",
                   speaker="Nathan " + SCRIPT, start_ms=754_000, segment_id=1, **ctx),
        Annotation(id="1a2b3c4d-0000-4000-8000-000000000002", episode_id="yt-abc123",
                   exact=text[s2:e2], prefix=text[max(0, s2 - 32):s2], suffix=text[e2:e2 + 32],
                   start=s2, end=e2, tags=("method/RL/PPO", "evil" + SCRIPT),
                   created="2026-11-22T08:00:00+00:00", modified="2026-11-22T08:00:00+00:00",
                   speaker="Guest", start_ms=3_723_000, segment_id=2, **ctx),
        Annotation(id="not-a-uuid/odd id", episode_id="u-7f00:odd/id", exact="DPO & friends",
                   prefix="Only one line about ", suffix=".", start=s3, end=e3,
                   note_md="=SUM(A1:A9) plain note", tags=("open questions",),
                   created="2026-11-21T07:00:00+00:00", modified="2026-11-21T07:05:00+00:00",
                   episode_title=texts["u-7f00:odd/id"][0], show=None, date=None,
                   url="javascript:alert(1)"),
        Annotation(id="2a2b3c4d-0000-4000-8000-000000000003", episode_id="yt-abc123",
                   exact="a sentence that was edited away", prefix="", suffix="",
                   start=None, end=None, note_md="kept as an orphan", status="orphaned",
                   created="2026-11-20T07:00:00+00:00", modified="2026-11-20T07:00:00+00:00",
                   **ctx),
    ]
