"""The side panel's mentions across the library: a heading names the entity and its
counts, and a passage that names it twice is one card, not two (blind review of
entities.png: the same passage listed twice, and nothing said whose mentions they were)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from aiviewer.model import MentionInContext
from aiviewer.ui.views.entity_panel import GAP, everywhere_heading, passage_cards
from aiviewer.wording import family_breakdown

TEXT = ("So DeepSeek came out with R1, and then DeepSeek again with V3, and a long way "
        "further on in the same passage someone says DeepSeek once more.")


def _mention(word_at: int, surface: str = "DeepSeek", seg: int = 7, around: int = 20,
             episode: str = "e1", seg_start: int = 1000) -> MentionInContext:
    lo, hi = max(0, word_at - around), min(len(TEXT), word_at + len(surface) + around)
    return MentionInContext(episode, "Title", seg, "Speaker 1", 5000, surface, TEXT[lo:hi],
                            word_at - lo, word_at - lo + len(surface), seg_start + word_at)


def test_one_card_per_passage_with_every_mention_marked():
    at = [i for i in range(len(TEXT)) if TEXT.startswith("DeepSeek", i)]
    assert len(at) == 3
    other = _mention(3, seg=8)
    cards = passage_cards([_mention(at[0]), _mention(at[1]), other, _mention(at[2])])
    assert [c.first.segment_id for c in cards] == [7, 8]
    first = cards[0]
    assert first.count == 3 and len(first.marks) == 3
    assert all(first.text[a:b] == "DeepSeek" for a, b in first.marks)
    # the first two windows overlap: one stretch of text; the third is apart
    assert first.text.count(GAP) == 1
    assert TEXT[at[0] - 20:at[1] + 8 + 20] in first.text
    assert first.html().count("<b>DeepSeek</b>") == 3
    assert cards[1].count == 1 and cards[1].first is other


def test_the_heading_names_the_entity_and_its_counts():
    ms = [_mention(4), _mention(4, seg=9, episode="e2")]
    assert everywhere_heading("DeepSeek", ms) == "<b>DeepSeek</b> — 2 mentions in 2 episodes"
    assert "1,234 mentions" in everywhere_heading("DeepSeek", ms, total=1234)
    assert "no mentions" in everywhere_heading("DeepSeek", [])
    with_family = everywhere_heading("DeepSeek", ms, 2, "1 of DeepSeek itself, 1 of its models")
    assert with_family.endswith("<br>1 of DeepSeek itself, 1 of its models")


def test_a_family_breakdown_names_the_kinds_of_the_members():
    kinds = {"DeepSeek": "organization", "DeepSeek R1": "model", "DeepSeek-R1 paper": "paper"}
    assert family_breakdown("DeepSeek", {"DeepSeek": 137, "DeepSeek R1": 57,
                                         "DeepSeek-R1 paper": 3}, kinds.get) == (
        "137 of DeepSeek itself, 60 of its models and papers")
    assert family_breakdown("DeepSeek", {"DeepSeek": 5}, kinds.get) == ""  # nothing to divide
    assert family_breakdown("deepseek", {"DeepSeek R1": 2}, kinds.get) == (
        "0 of deepseek itself, 2 of its models")
    assert family_breakdown("X", {"Y": 1, "Z": 2}, {}.get) == "0 of X itself, 3 of its other entities"


def test_everywhere_lists_one_card_per_passage_under_a_heading(qtbot, window):
    panel = window.entities
    window.side.setCurrentWidget(panel)
    lex = next(e for e in window.library.episodes() if e.video_id == "EV7WhVT270Q")
    window.library_view.select(lex.id)
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() >= 3)
    assert not panel.everywhere_head.isVisible()
    found = panel.tree.findItems("DeepSeek", Qt.MatchFlag.MatchExactly
                                 | Qt.MatchFlag.MatchRecursive, 0)
    panel.tree.setCurrentItem(found[0])
    qtbot.mouseClick(panel.everywhere_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.everywhere.count() > 0)
    mentions = window.library.entity_mentions("DeepSeek")
    passages = {(m.episode_id, m.segment_id) for m in mentions}
    assert len(passages) < len(mentions)  # some passage names it twice: the case at hand
    rows = [panel.everywhere.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(panel.everywhere.count())]
    assert len(rows) == len(passages) == len({(m.episode_id, m.segment_id) for m in rows})
    head = panel.everywhere_head.text()
    assert panel.everywhere_head.isVisible() and head.startswith("<b>DeepSeek</b> — ")
    episodes = len({m.episode_id for m in mentions})
    assert f"{len(mentions)} mentions in {episodes} episode" in head
    # ... and how they divide between the lab and its models, counted from the store
    counts = window.library.entity_family_counts("DeepSeek")
    assert sum(counts.values()) == len(mentions)
    own = counts["DeepSeek"]
    assert f"<br>{own:,} of DeepSeek itself, {len(mentions) - own:,} of its models" in head
    # Enter on a card still opens its passage
    panel.everywhere.setFocus()
    panel.everywhere.setCurrentRow(0)
    qtbot.keyClick(panel.everywhere, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.reader.episode is not None
                    and window.reader.episode.id == rows[0].episode_id)
