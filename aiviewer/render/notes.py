"""Markdown notes → safe HTML for display and export.

Raw HTML in a note is shown as text (escaped before Markdown sees it), remote
images become plain links (nothing is loaded inline), and only http(s) and
mailto links survive; views open them on click, in the system browser.
"""

from __future__ import annotations

import re

import markdown

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HREF = re.compile(r'href="(?!https?://|mailto:|#)[^"]*"', re.I)


def note_html(note_md: str) -> str:
    if not note_md.strip():
        return ""
    text = note_md.replace("&", "&amp;").replace("<", "&lt;")
    text = _IMAGE.sub(lambda m: f"[image: {m.group(1) or 'link'}]({m.group(2)})", text)
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return _HREF.sub('href="#"', html)
