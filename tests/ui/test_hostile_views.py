"""The annotation panel and browser rows, and the note preview, with hostile data: an
imported colour cannot add markup, notes load nothing (issue 12)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytest.importorskip("PySide6.QtWidgets")

from aiviewer.export.safe_markdown import to_html  # noqa: E402
from aiviewer.model import Annotation  # noqa: E402
from aiviewer.ui.views.annotation_panel import annotation_html  # noqa: E402

BAD_COLOURS = ("#fff' onload='alert(1)", "red'><img src='file:///etc/passwd'>",
               '"><img src=file:///etc/passwd>', "#12345g", "url(file:///etc/passwd)",
               "#abc;background-image:url(file:///etc/passwd)")


def _tags(html: str) -> list[tuple[str, dict]]:
    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))
        handle_startendtag = handle_starttag

    p = P()
    p.feed(html)
    p.close()
    return found


@pytest.mark.parametrize("colour", BAD_COLOURS)
def test_a_bad_tag_colour_cannot_leave_its_attribute(colour):
    a = Annotation(id="x", episode_id="e", exact="q <img src=x>", tags=("t", "u"),
                   note_md="![p][r] [j][s] <img src=file:///etc/passwd>\n\n"
                           "[r]: file:///tmp/p.png\n[s]: javascript:alert(1)",
                   episode_title="<b>t</b>", speaker="<i>s</i>")
    html = annotation_html(a, {"t": colour, "u": "#ABC"}, with_episode=True, theme="light")
    tags = _tags(html)
    assert all(t != "img" for t, _ in tags)
    styles = [attrs["style"] for _, attrs in tags if "style" in attrs]
    from aiviewer.render.palette import chip_colours
    for fallback in ("#999999", "#aabbcc"):  # the bad colour is grey; #ABC normalised
        assert "color:{};background:{};".format(*chip_colours(fallback, "light")) in styles
    for s in styles:
        assert re.fullmatch(r"(color:#[0-9a-f]{6};background:#[0-9a-f]{6};|color:#[0-9a-f]{6})",
                            s), s
    for _, attrs in tags:
        assert set(attrs) <= {"style", "href"}
        assert re.match(r"(https?://|mailto:|#)", attrs.get("href", "#"))


def test_note_preview_renders_no_image_and_no_script_link():
    html = to_html("![x][r]\n\n[r]: /etc/passwd\n\n[a](javascript:alert(1)) <script>x</script>")
    tags = _tags(html)
    assert all(t != "img" and t != "script" for t, _ in tags)
    assert all("href" not in a or a["href"].startswith(("http", "#", "mailto:"))
               for _, a in tags)
