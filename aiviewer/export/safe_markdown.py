"""Notes (the user's Markdown) made safe for an export that a browser or a
Markdown viewer will open.

- `to_html`: Markdown → HTML with raw HTML shown as text (the `markdown`
  package's HTML block and inline HTML processors are removed, so `<script>`
  reaches the page as `&lt;script&gt;`), images turned into plain links (nothing
  is loaded from the network), and only http(s), mailto and `#` links kept.
- `to_markdown`: the note as written, for Markdown exports, with what would
  escape into HTML neutralised: outside code, `<` becomes `&lt;`, `![alt](url)`
  becomes the link `[image: alt](url)` and `javascript:`/`data:`/`file:` link
  targets become `#`.

Worked example: `Hi <b>x</b> ![p](https://t.example/p.gif)` → HTML
`<p>Hi &lt;b&gt;x&lt;/b&gt; <a href="https://t.example/p.gif">image: p</a></p>`.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_local = threading.local()
_SAFE_HREF = re.compile(r"^(https?://|mailto:|#)", re.I)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(")
_UNSAFE_TARGET = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data|file):", re.I)
# fenced blocks and inline code spans: `<` is literal there in every viewer
_CODE = re.compile(r"(^(?:```|~~~)[^\n]*\n.*?^(?:```|~~~)[ \t]*$|(`+)(?:(?!\2)(?!\n[ \t]*\n).)+?\2)",
                   re.M | re.S)


class _Neutralise(Treeprocessor):
    """Images become links; links keep only safe targets; event attributes cannot
    exist (raw HTML never reaches the tree), but any attribute other than the few
    Markdown itself makes is dropped anyway."""

    _KEEP = {"href", "title", "class", "start", "align"}

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag == "img":
                src = el.get("src", "")
                alt = el.get("alt") or "image"
                tail = el.tail
                el.clear()
                el.tail = tail
                el.text = f"image: {alt}"
                if _SAFE_HREF.match(src):
                    el.tag = "a"
                    el.set("href", src)
                else:
                    el.tag = "span"
            if el.tag == "a" and not _SAFE_HREF.match(el.get("href", "").strip()):
                el.attrib.pop("href", None)
            for name in list(el.attrib):
                if name not in self._KEEP:
                    del el.attrib[name]


class _NoRawHtml(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (markdown API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Neutralise(md), "aiviewer_neutralise", 0)


def to_html(note_md: str) -> str:
    """The note as safe HTML ("" for an empty note)."""
    if not note_md.strip():
        return ""
    md = getattr(_local, "md", None)
    if md is None:  # building a Markdown instance costs more than converting a note
        md = _local.md = markdown.Markdown(extensions=[_NoRawHtml(), "sane_lists"],
                                           output_format="html")
    try:
        return md.convert(note_md)
    finally:
        md.reset()


def to_markdown(note_md: str) -> str:
    """The note as written, minus what a Markdown viewer would turn into HTML or load
    from the network."""
    out, at = [], 0
    for m in _CODE.finditer(note_md):
        out += [_neutral(note_md[at:m.start()]), m.group(0)]
        at = m.end()
    out.append(_neutral(note_md[at:]))
    return "".join(out)


def _neutral(text: str) -> str:
    text = text.replace("<", "&lt;")
    text = _UNSAFE_TARGET.sub("](#", text)
    return _IMAGE.sub(lambda m: f"[image: {m.group(1) or 'link'}](", text)
