from __future__ import annotations

import re
from html.parser import HTMLParser

from aiviewer.export import html
from aiviewer.export.safe_markdown import to_html, to_markdown


class _Elements(HTMLParser):
    """Every start tag and attribute of a page, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Elements:
    p = _Elements()
    p.feed(page)
    return p


def test_no_script_runs_and_nothing_loads(annotations, tags):
    page = html.render(annotations, tags)
    assert "<script" not in page.lower()
    parsed = _parse(page)
    names = {t for t, _ in parsed.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    for _, attrs in parsed.tags:
        assert not any(k.startswith("on") for k in attrs)
        assert not any((v or "").lower().startswith(("javascript:", "data:"))
                       for v in attrs.values())
    # hostile text is still there, as text, where it was: quote, tag, title, speaker, note
    text = "".join(parsed.text)
    assert text.count("<script>alert(1)</script>") >= 5
    assert "Content-Security-Policy" in page and "script-src" not in page


def test_page_content(annotations, tags):
    page = html.render(annotations, tags)
    assert "<h2>Scaling RL &lt;script&gt;" in page
    assert '<a href="https://www.youtube.com/watch?v=abc123&amp;t=754s">0:12:34</a>' in page
    assert "<em>GRPO</em>" in page  # the note's Markdown is rendered
    assert '<a href="https://t.example/p.gif">image: tracker</a>' in page
    assert "--colour: #ff0000" in page  # the annotation's own colour
    assert "--colour: #e69f00" in page  # the tag's colour on its chip
    assert "@media print" in page
    assert "Orphaned" in page
    assert re.search(r"4 passages in 2 episodes", page)


def test_note_rendering_is_safe():
    out = to_html("<b>x</b> [a](javascript:alert(1)) ![i](http://t/x.gif) `<i>` <https://ok.org>")
    assert "<b>" not in out and "javascript" not in out and "<img" not in out
    assert "<code>&lt;i&gt;</code>" in out and '<a href="https://ok.org">' in out
    assert to_html("  ") == ""


def test_markdown_notes_neutralised_outside_code():
    assert to_markdown("<b> `<b>` ![x](https://t/y.png)") == \
        "&lt;b> `<b>` [image: x](https://t/y.png)"
    assert to_markdown("[a](javascript:alert(1))") == "[a](#alert(1))"
    # fenced code becomes indented code: literal in CommonMark and in Python-Markdown
    assert to_markdown("```\n<b>\n```") == "\n    <b>\n"


RICH_NOTE = """A claim[^1], see [the paper](https://arxiv.org/abs/1).

```python
def f():
    return 1
```

| model | score |
|-------|------:|
| A     | 0.9   |

- one
  - nested in two spaces

[^1]: the source
"""


def test_notes_render_code_tables_footnotes_and_nested_lists():
    """The one note renderer (app preview, annotation panel, HTML export)."""
    out = to_html(RICH_NOTE)
    assert '<pre><code class="language-python">def f():\n    return 1\n</code></pre>' in out
    assert "<table>" in out and "<td>A</td>" in out and "|" not in out
    assert 'class="footnote-ref"' in out and "[^1]" not in out
    assert out.count("<ul>") == 2  # the 2-space list is nested
    assert '<a href="https://arxiv.org/abs/1">the paper</a>' in out


def test_print_keeps_headings_with_a_passage_and_prints_note_urls(annotations, tags):
    from aiviewer.export import html
    page = html.render(annotations, tags)
    assert '.note a[href^="http"]::after' in page
    for section in page.split("<section>")[1:]:
        keep = section.index('<div class="keep">')
        assert keep < section.index("<h2>") < section.index('<article class="passage"')
