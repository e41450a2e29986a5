from __future__ import annotations

import markdown as md_lib

from aiviewer.export import markdown
from aiviewer.export.passages import hms, time_link


def test_groups_by_episode_then_first_tag(annotations, tags):
    out = markdown.render(annotations, tags)
    assert out.index("## Scaling RL") < out.index("## Second")  # dated episode first
    # the PPO passage's first tag, alphabetically, is "evil<script>…"
    assert out.index("### evil&lt;script") < out.index("### method/RL/GRPO") \
        < out.index("### Untagged") < out.index("## Second")
    assert "### method/RL/PPO" not in out
    assert out.count("### open questions") == 1  # the DPO passage's first tag


def test_passage_has_quote_speaker_time_link_tags_and_note(annotations):
    out = markdown.render(annotations)
    assert "> we use GRPO here &lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "[0:12:34](https://www.youtube.com/watch?v=abc123&t=754s)" in out
    assert "1:02:03" in out
    assert "#method/RL/GRPO #open-questions" in out
    assert "Why *GRPO*?" in out  # the note's Markdown is kept as written
    assert "orphaned" in out


def test_nothing_becomes_html(annotations):
    out = markdown.render(annotations)
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    html = md_lib.markdown(out)
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html
    assert "https://t.example/p.gif" in html  # a remote image became a plain link


def test_links_cannot_break_out(annotations):
    from dataclasses import replace
    odd = replace(annotations[0], url="https://ex.org/a b)(<x>[y]")
    out = markdown.render([odd])
    assert "[episode](https://ex.org/a%20b%29%28%3Cx%3E%5By%5D)" in out


def test_transcript_markdown_stays_text():
    assert markdown.escape("# not *a* heading") == "\\# not \\*a\\* heading"
    assert markdown.escape("1. x\n- y") == "1\\. x\n\\- y"
    assert markdown.hashtag("open questions/what's next") == "#open-questions/what-s-next"


def test_times_and_links():
    assert hms(None) == "" and hms(0) == "0:00:00" and hms(3_723_999) == "1:02:03"
    assert time_link("https://youtu.be/abc?t=5", 61_000) == "https://youtu.be/abc?t=61s"
    assert time_link("https://example.org/ep", 61_000) == "https://example.org/ep"
    assert time_link("javascript:alert(1)", 1000) is None


def test_empty():
    assert markdown.render([]).startswith("# Annotations")
