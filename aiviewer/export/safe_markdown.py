"""Notes (the user's Markdown) made safe for an export that a browser or a
Markdown viewer will open.

- `to_html`: Markdown → HTML by markdown-it-py (CommonMark with tables,
  strikethrough and footnotes) with raw HTML shown as text (`<script>` reaches
  the page as `&lt;script&gt;`), images turned into plain links (nothing is
  loaded from the network), and only http(s), mailto and `#` links kept.
- `to_markdown`: the note as written, for Markdown exports, with what would
  escape into HTML neutralised: control characters dropped; outside code, `<`
  becomes `&lt;`; `![alt](url)` becomes the link `[image: alt](url)` and any other
  `![` (reference-style images) `\\![`, a link; every link destination, inline or
  in a reference definition (`[r]: …`), that is not http(s), mailto or a
  `#fragment` becomes a fragment (`javascript:alert(1)` → `#alert(1)`); fenced
  code becomes indented code, literal in every parser.  The result is then parsed
  with CommonMark (markdown-it-py, accepting every link as a lax viewer would)
  and with Python-Markdown; if either still finds raw HTML, an image or an
  unsafe link, the note is exported as literal text (`escape`) instead.

A note with more than `MAX_BRACKETS` `[` is shown as literal text by both: the
parsers' link rules take quadratic time in nested brackets.

Worked example: `Hi <b>x</b> ![p](https://t.example/p.gif)` → HTML
`<p>Hi &lt;b&gt;x&lt;/b&gt; <a href="https://t.example/p.gif">image: p</a></p>`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import xml.etree.ElementTree as etree
from html import escape as html_escape
from html import unescape as html_unescape
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from aiviewer.export import neutral

_local = threading.local()
# Python-Markdown's link patterns take quadratic time in nested brackets (2,000 `[`:
# about a second); a note with more than this many is shown as literal text
MAX_BRACKETS = 200
_SAFE_HREF = re.compile(r"^(https?://|mailto:|#)", re.I)
_SCHEME = re.compile(r"^[ \t]*[a-zA-Z][a-zA-Z0-9+.-]*:")
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
# an even number of backslashes (or none) before: the character is not escaped
_UNESCAPED = r"((?<!\\)(?:\\\\)*)"
_IMAGE = re.compile(_UNESCAPED + r"!\[([^\[\]\n]*)\](?=\()")
_BANG = re.compile(_UNESCAPED + r"!\[")
# an inline link's destination, `<…>` or its start (up to a space or parenthesis: only
# the scheme matters, and the next `](` must stay visible)
_INLINE_DEST = re.compile(r"(\]\([ \t]*(?:\n[ \t>]*)?)(<[^<>\n]*>|[^\s<()]*)")
# a reference definition `[label]: destination`, also inside quotes and list items
_REFERENCE = re.compile(r"(^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*"
                        r"\[(?:[^\[\]\\\n]|\\.)+\]:[ \t]*(?:\n[ \t>]*)?)(<[^<>\n]*>|[^\s<]*)",
                        re.M)
_DEST_UNSAFE = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"})
# fenced blocks and inline code spans: `<` is literal there in every viewer
_CODE = re.compile(r"(?P<fence>^(?:```|~~~)[^\n]*\n.*?^(?:```|~~~)[ \t]*$)"
                   r"|(`+)(?:(?!\2)(?!\n[ \t]*\n).)+?\2(?!`)", re.M | re.S)


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
    """The note as safe HTML ("" for an empty note): CommonMark with tables,
    strikethrough and footnotes (markdown-it-py), raw HTML as text, images as links,
    only http(s)/mailto/# links.  The one renderer of notes: the app's preview, the
    annotation panel and the HTML export all call it."""
    if not note_md.strip():
        return ""
    note_md = neutral.plain(note_md)
    if note_md.count("[") > MAX_BRACKETS:
        return "<p>" + html_escape(note_md).replace("\n", "<br>\n") + "</p>"
    # footnote anchors unique per note: a page holds many notes, each with its [^1]
    doc_id = hashlib.sha1(note_md.encode("utf-8", "replace")).hexdigest()[:8]
    return _note_renderer().render(note_md, {"docId": doc_id})


def _note_renderer():
    """markdown-it-py rather than Python-Markdown for notes: it is CommonMark (what
    Obsidian and GitHub show: 2-space nested lists, fenced code) and its GFM tables
    and footnotes plugin cover what notes use; `html=False` escapes raw HTML."""
    md = getattr(_local, "notes_md", None)
    if md is None:  # imported on the first note shown, not on the way to first paint
        from markdown_it import MarkdownIt
        from mdit_py_plugins.footnote import footnote_plugin

        md = MarkdownIt("commonmark", {"html": False, "linkify": False,
                                       "typographer": False})
        md.enable(["table", "strikethrough"]).use(footnote_plugin)
        md.validateLink = lambda url: True  # parsed as links, then judged when rendered
        md.add_render_rule("image", _image_as_link)
        md.add_render_rule("link_open", _safe_link_open)
        _local.notes_md = md
    return md


def _safe_link_open(self, tokens, idx, options, env) -> str:
    """A link to anything but http(s), mailto or a fragment keeps its text and loses
    its target (`[a](javascript:…)` → `<a>a</a>`)."""
    tok = tokens[idx]
    if not _SAFE_HREF.match(str(tok.attrGet("href") or "").strip()):
        tok.attrs.pop("href", None)
    return self.renderToken(tokens, idx, options, env)


def _image_as_link(self, tokens, idx, options, env) -> str:
    """An image is never loaded: it becomes a link to it, labelled with its alt text."""
    tok = tokens[idx]
    src = str(tok.attrGet("src") or "")
    alt = html_escape("image: " + (self.renderInline(tok.children or [], options, env)
                                   if tok.children else tok.content or "image"))
    if _SAFE_HREF.match(src):
        return f'<a href="{html_escape(src)}">{alt}</a>'
    return f"<span>{alt}</span>"


def to_markdown(note_md: str) -> str:
    """The note as written, minus what a Markdown viewer would turn into HTML, load
    from the network or follow to a script; checked by parsing the result with both
    CommonMark (markdown-it-py) and Python-Markdown, and shown as literal text
    (`escape`) when either still finds something."""
    note = neutral.plain(note_md)
    if "<" not in note and "[" not in note:  # no HTML, no link, no image: nothing to do
        return note
    if note.count("[") > MAX_BRACKETS:
        return escape(note)
    out = _rewrite(note)
    return out if is_safe_markdown(out) else escape(note)


def _rewrite(note: str) -> str:
    out, at = [], 0
    for start, end, kind in _code_spans(note):
        out.append(_neutral(note[at:start]))
        code = note[start:end]
        out.append(_indented(code) if kind == "fence" else code)
        at = end
    out.append(_neutral(note[at:]))
    return "".join(out)


def _code_spans(text: str):
    """(start, end, "fence" | "span") for fenced blocks and inline code spans, in
    order; a backtick escaped with a backslash opens nothing."""
    pos = 0
    while True:
        m = _CODE.search(text, pos)
        if m is None:
            return
        backslashes = 0
        while m.start() - backslashes > 0 and text[m.start() - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2:
            pos = m.start() + 1
            continue
        yield m.start(), m.end(), "fence" if m.group("fence") else "span"
        pos = m.end()


def _indented(fenced: str) -> str:
    """A fenced block as an indented code block: literal in CommonMark and in
    Python-Markdown (which has no fences without an extension, and would read the
    inside of a `~~~` fence as Markdown and HTML)."""
    body = fenced.split("\n")[1:-1]
    return "\n" + "\n".join("    " + line if line.strip() else "" for line in body) + "\n"


def _neutral(text: str) -> str:
    text = _INLINE_DEST.sub(lambda m: m.group(1) + _destination(m.group(2)), text)
    text = _REFERENCE.sub(lambda m: m.group(1) + _destination(m.group(2)), text)
    text = _IMAGE.sub(lambda m: f"{m.group(1)}[image: {m.group(2) or 'link'}]", text)
    text = _BANG.sub(lambda m: m.group(1) + "\\![", text)
    # `<` becomes `&lt;`, except in the user's autolinks to http(s) and mailto, which
    # every flavour (CommonMark, Python-Markdown, Obsidian) renders as a link
    parts = _AUTOLINK.split(text)
    return "".join(part if i % 2 else part.replace("<", "&lt;")
                   for i, part in enumerate(parts))


_AUTOLINK = re.compile(r"(<(?:https?://|mailto:)[^\s<>\\\x00-\x1f]*>)", re.I)
_HEADING_MARK = re.compile(r"^([ \t]*(?:>[ \t]?)*[ \t]{0,3})(#{1,6})(?=[ \t]|$)")
# `#word` at a line's start: a heading to Python-Markdown (MkDocs, Pelican), a tag in
# Obsidian, plain text in CommonMark
_HASH_WORD = re.compile(r"^([ \t]{0,3}(?:>[ \t]?)*[ \t]{0,3})#(?=[^\s#])", re.M)


def demote_headings(text: str, by: int) -> str:
    """The note's headings `by` levels deeper (at most `######`), so that a note's
    `# Idea` sits below the passage it is about instead of breaking the outline.
    Headings are found with CommonMark; a setext heading (`Idea\n===`) becomes an
    ATX one; a line `#word` (a heading only to Python-Markdown) is escaped."""
    if "#" not in text and "==" not in text and "--" not in text:
        return text
    lines = text.split("\n")
    drop: set[int] = set()
    for tok in _commonmark().parse(text):
        if tok.type != "heading_open" or tok.map is None:
            continue
        level = min(6, int(tok.tag[1]) + by)
        first, end = tok.map
        if tok.markup.startswith("#"):
            lines[first] = _HEADING_MARK.sub(lambda m, n=level: m.group(1) + "#" * n,
                                             lines[first], count=1)
        elif end - first >= 2 and not lines[first][:1].isspace() \
                and not lines[first].startswith(">"):
            content = " ".join(line.strip() for line in lines[first:end - 1])
            lines[first] = "#" * level + " " + content
            drop.update(range(first + 1, end))
    out = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return _HASH_WORD.sub(lambda m: m.group(1) + "\\#", out)


def _destination(dest: str) -> str:
    """A link destination kept when it is http(s), mailto or a `#fragment`, else made
    a fragment (`javascript:alert(1)` → `#alert(1)`, `file.png` → `#file.png`);
    `<…>` destinations are unwrapped (their `<` would be escaped)."""
    angle = dest.startswith("<")
    inner = dest[1:-1] if angle else dest
    if not _SAFE_HREF.match(inner):
        inner = "#" + _SCHEME.sub("", inner, count=1)
    return inner.translate(_DEST_UNSAFE) if angle else inner


def is_safe_markdown(text: str) -> bool:
    """True when neither CommonMark nor Python-Markdown finds raw HTML, an image or a
    link to anything but http(s), mailto or a fragment in `text`."""
    return _safe_commonmark(text) and _safe_python_markdown(text)


def _commonmark():
    """markdown-it-py is imported here, not at the top: only exports check with it,
    and importing it took about 0.13 s on the way to the window's first paint."""
    cm = getattr(_local, "cm", None)
    if cm is None:
        from markdown_it import MarkdownIt

        cm = _local.cm = MarkdownIt("commonmark")
        cm.validateLink = lambda url: True  # judge every link, as a lax viewer would
    return cm


def _safe_commonmark(text: str) -> bool:
    stack = list(_commonmark().parse(text))
    while stack:
        tok = stack.pop()
        if tok.type in ("html_block", "html_inline", "image"):
            return False
        if tok.type == "link_open" and not _SAFE_HREF.match(str(tok.attrGet("href") or "")):
            return False
        stack += tok.children or ()
    return True


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.safe = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "img" or (href is not None and not _SAFE_HREF.match(href.strip())):
            self.safe = False


def _safe_python_markdown(text: str) -> bool:
    md = getattr(_local, "plain_md", None)
    if md is None:
        md = _local.plain_md = markdown.Markdown(output_format="html")
    try:
        html = md.convert(text)
        stashed = list(md.htmlStash.rawHtmlBlocks)
    finally:
        md.reset()
    if not all(isinstance(s, str) and _ENTITY.fullmatch(s) for s in stashed):
        return False  # raw HTML (entities are stashed too, and are harmless)
    parser = _Hrefs()
    parser.feed(html)
    parser.close()
    return parser.safe


# ASCII punctuation that can start Markdown structure anywhere in a line
_ESC_INLINE = re.compile(r"([\\`*_\[\]|~])")
# ... and what only matters at the start of a line (headings, lists, quotes, rules)
_ESC_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|)([#>+=.)-])", re.M)


# `&` only where it would start an entity (`&amp;`, `&#38;`): a plain "Q&A" stays
# readable in Obsidian's source view and in tools that do not decode entities
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def escape(text: str) -> str:
    """Text shown literally by any CommonMark viewer: `<`, `>` and an `&` that would
    start an entity become entities, Markdown punctuation is backslash-escaped."""
    text = _ENTITY_START.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _ESC_INLINE.sub(r"\\\1", text)
    return _ESC_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)


@functools.lru_cache(maxsize=4096)
def to_text(note_md: str) -> str:
    """The note as one line of plain words, for a table cell: what the reader sees of
    it, without the `**` and `[]()` a cell would show raw.  Taken from `to_html`'s
    output, whose only tags are the renderer's own (raw HTML there is text)."""
    blocks = re.sub(r"<(?:/?(?:p|li|ul|ol|h\d|blockquote|pre|tr|td|th|table|div|hr)\b[^>]*"
                    r"|br\s*/?)>", " ", to_html(note_md))
    text = re.sub(r"<[^>]+>", "", blocks)
    return " ".join(html_unescape(text).split())
