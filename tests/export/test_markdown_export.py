from __future__ import annotations

import markdown as md_lib

from aiviewer.export import markdown
from aiviewer.export.passages import hms, time_link


def test_episodes_then_passages_in_transcript_order(annotations, tags):
    out = markdown.render(annotations, tags)
    assert out.index("## Scaling RL") < out.index("## Second")  # dated episode first
    # GRPO comes before PPO in the text; the orphan (no place) last
    assert out.index("we use GRPO") < out.index("PPO needs a critic") \
        < out.index("a sentence that was edited away") < out.index("## Second")
    assert "### method" not in out and "### Untagged" not in out  # no grouping by tag


def test_passage_has_quote_speaker_time_link_tags_and_note(annotations):
    out = markdown.render(annotations)
    assert "> we use GRPO here &lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "[0:12:34](https://www.youtube.com/watch?v=abc123&t=754s)" in out
    assert "1:02:03" in out
    assert "Tags: #method/RL/GRPO #open-questions" in out
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
    out = markdown.render([])
    assert out.startswith("---\n") and "\n# Annotations\n" in out


# -- rendered by the two parsers that Markdown tools are built on --------------------

NOTE = """# My idea

Why this matters, see <https://arxiv.org/abs/2402.03300> and Q&A.

Details
-------

#not-a-heading in MkDocs
"""


def _rendered(annotations):
    """The export rendered as the tools do: front matter stripped (Obsidian, GitHub,
    MkDocs) or read by Python-Markdown's `meta` (Pelican)."""
    from markdown_it import MarkdownIt

    out = markdown.render(annotations)
    assert out.startswith("---\n")
    body = out.split("\n---\n", 1)[1]
    cm = MarkdownIt("commonmark").render(body)
    pm_lib = md_lib.Markdown(extensions=["meta"])
    pm = pm_lib.convert(out)
    return out, cm, pm, pm_lib.Meta


def _headings(html: str) -> list[tuple[int, str]]:
    import re
    return [(int(level), re.sub("<[^>]+>", "", text))
            for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html)]


def test_markdown_reads_right_in_commonmark_and_python_markdown(annotations):
    from dataclasses import replace
    anns = [replace(annotations[0], note_md=NOTE, start_ms=754_000, speaker="Nathan"),
            annotations[1]]
    out, cm, pm, meta = _rendered(anns)
    for html in (cm, pm):
        heads = _headings(html)
        levels = [lvl for lvl, _ in heads]
        assert levels.count(1) == 1, heads  # only the document's title: no tag line is a heading
        assert not any(text.startswith("#") for _, text in heads)
        # the note's headings sit below their passage's ### heading
        passage = next(i for i, (lvl, t) in enumerate(heads) if lvl == 3 and "0:12:34" in t)
        assert heads[passage + 1] == (4, "My idea") and heads[passage + 2] == (5, "Details")
        assert '<a href="https://arxiv.org/abs/2402.03300">' in html  # the autolink
        assert "Q&amp;A" in html and "&amp;amp;" not in html
        assert 'href="https://www.youtube.com/watch?v=abc123&amp;t=754s"' in html  # time link
        assert "#method/RL/GRPO" in html
    assert meta["episode"] == ['"Scaling RL \\u003cscript\\u003ealert(1)\\u003c/script\\u003e"']
    assert "tags" in meta and "url" in meta


def test_front_matter_is_yaml():
    import json
    from dataclasses import replace

    from aiviewer.model import Annotation
    a = Annotation(id="x", episode_id="yt-abcdefghijk", exact="q", start=0, end=1,
                   episode_title='A "quoted" title: yes', show="Show", date="2025-01-02",
                   tags=("b", "a/c"), start_ms=5000)
    out = markdown.render([a])
    head = out.split("---\n")[1]
    fields = dict(line.split(": ", 1) for line in head.strip().splitlines())
    assert json.loads(fields["episode"]) == 'A "quoted" title: yes'
    assert json.loads(fields["tags"]) == ["a/c", "b"]
    # a YouTube caption import has no URL: the video's is used for the link
    assert json.loads(fields["url"]) == "https://www.youtube.com/watch?v=abcdefghijk"
    assert "(https://www.youtube.com/watch?v=abcdefghijk&t=5s)" in out
    two = markdown.render([a, replace(a, id="y", episode_id="other", episode_title="B")])
    assert 'episodes: ["A \\"quoted\\" title: yes", "B"]' in two
