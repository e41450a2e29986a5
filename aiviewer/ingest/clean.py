"""Clean-up every parser shares: line ends, HTML remnants, glued paragraphs,
non-speech tags, sentence and paragraph building, titles from text and URLs.

Real transcripts arrive scraped from web pages and feeds, so the same damage
turns up in every form: `<br>` tags, paragraphs glued together when HTML was
stripped (`face.In this`), bullets run into the previous sentence, `[music]`
in the middle of speech.  Repairing it here keeps the form parsers about
structure only.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from urllib.parse import unquote, urlsplit

# --- line ends and markup ---------------------------------------------------------

_BR = re.compile(r"<\s*br\s*/?\s*>|<\s*/?\s*p\b[^>]{0,200}>|<\s*/?\s*(?:div|li|h[1-6])\b[^>]{0,200}>",
                 re.I)
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][\w:-]{0,30}(?:\s[^<>]{0,500})?/?\s*>")
_SHORTCODE_OPEN = re.compile(r"\{\{[<%]")
# Markdown backslash escapes (`\[12:34\]`, `\[laughs\]`, `\*`) as the characters they escape
_MD_ESCAPE = re.compile(r"\\([\[\]()*_#>`~|\\-])")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR (old Mac exports, mixed files) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_markup(text: str) -> str:
    """HTML tags and template shortcodes out, entities decoded; block tags become
    line breaks so the structure they carried survives."""
    if "{{" in text:
        text = strip_shortcodes(text)
    if "<" in text:
        text = strip_comments(text)
        text = _BR.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return _ZERO_WIDTH.sub("", text).replace("\u00a0", " ")


_HTML_DOC = re.compile(r"\A\s*(?:<!DOCTYPE\s+html|<html\b|<head\b|<body\b|<meta\b|<article\b)", re.I)
_DROP_BLOCKS = ("script", "style", "noscript", "svg", "template", "nav", "footer", "aside",
                "form", "iframe")
_TITLE_TAG = re.compile(r"<title[^>]{0,200}>(.{0,500}?)</title\s*>", re.I | re.S)
_HEADING_TAG = re.compile(r"<h([1-6])\b[^>]{0,300}>(.{0,1000}?)</h\1\s*>", re.I | re.S)
_LI_TAG = re.compile(r"<li\b[^>]{0,300}>", re.I)
_DECLARATION = re.compile(r"<![A-Za-z][^>]{0,300}>")


def looks_like_html(text: str) -> bool:
    """A whole HTML document (a saved web page), not text with a few tags in it."""
    return bool(_HTML_DOC.match(text[:2000]))


def html_to_text(text: str) -> tuple[str, str | None]:
    """A saved web page as Markdown-ish lines, and its `<title>`.

    Scripts, styles, navigation and footers go (they are code and site chrome);
    headings become `#` lines and list items `- ` bullets so the text parsers see
    the page's structure; the remaining tags are left for `strip_markup`."""
    m = _TITLE_TAG.search(text[:100_000])
    title = squash_spaces(html.unescape(_TAG.sub("", m.group(1)))) if m else None
    for tag in ("head", *_DROP_BLOCKS):
        text = _drop_element(text, tag)
    text = _HEADING_TAG.sub(
        lambda h: "\n" + "#" * int(h.group(1)) + " "
        + squash_spaces(_TAG.sub("", h.group(2)).replace("\n", " ")) + "\n", text)
    text = _LI_TAG.sub("\n- ", text)
    text = _DECLARATION.sub("", strip_comments(text))
    return text, title or None


def _drop_element(text: str, tag: str) -> str:
    """Every `<tag …>…</tag>` out, found with plain searches (linear time)."""
    lower = text.lower()
    opener, closer = f"<{tag}", f"</{tag}"
    if opener not in lower:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = lower.find(opener, pos)
        if start < 0:
            break
        after = lower[start + len(opener):start + len(opener) + 1]
        if after and not (after.isspace() or after in ">/"):
            out.append(text[pos:start + len(opener)])  # <header> is not <head>
            pos = start + len(opener)
            continue
        end = lower.find(closer, start)
        if end < 0:
            break
        close_end = lower.find(">", end)
        out.append(text[pos:start])
        pos = len(text) if close_end < 0 else close_end + 1
    out.append(text[pos:])
    return "".join(out)


def strip_shortcodes(text: str) -> str:
    """Hugo/Jekyll `{{< youtube … >}}` and `{{% notice %}}` out: each opener closes
    within 500 characters or is left as text (one pass, however many openers)."""
    out: list[str] = []
    pos = 0
    for m in _SHORTCODE_OPEN.finditer(text):
        if m.start() < pos:
            continue
        limit = m.end() + 503
        ends = [i for i in (text.find(">}}", m.end(), limit), text.find("%}}", m.end(), limit))
                if i >= 0]
        if not ends:
            continue
        out.append(text[pos:m.start()])
        pos = min(ends) + 3
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def strip_comments(text: str) -> str:
    """`<!-- … -->` out, in one pass (a regex is quadratic on many unclosed `<!--`);
    an unclosed comment is left as text."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            break
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def unescape_markdown(text: str) -> str:
    """`\\[12:34\\]` → `[12:34]`: exporters escape brackets so Markdown does not read
    them as links; the parsers want the brackets."""
    return _MD_ESCAPE.sub(r"\1", text) if "\\" in text else text


_SPACES = re.compile(r"[ \t\f\v]+")


def squash_spaces(text: str) -> str:
    # most caption cues hold single spaces only: then the regex would change nothing
    # (a third of the cost of reading captions went to it)
    if "  " not in text and "\t" not in text and "\f" not in text and "\v" not in text:
        return text.strip()
    return _SPACES.sub(" ", text).strip()


# --- glued paragraphs ---------------------------------------------------------------

# Each pattern starts with the character it looks for and checks what comes
# before with a look-behind that includes it: a pattern that opens with a
# look-behind is tried at every character of a megabyte feed.
#
# "face.In this" / "soon!Nathan" / "here.”Then": a sentence end directly followed by
# the capitalised start of the next one.  The character before the punctuation must
# be lower case, a digit or a closing mark, so "U.S.A" and "v0.5" stay intact;
# "with RL?And Ross": no abbreviation ends in ? or !
_GLUED_SENTENCE = re.compile(
    r"[.!?](?:(?<=[a-z0-9%)\]”’\"'][.!?])(?=[“\"‘(]?(?:[A-Z][a-z’']|[AI]\s))"
    r"|(?<=[A-Z][?!])(?=[A-Z][a-z]))"
    r"|[”’\"](?<=[a-z][.!?][”’\"])(?=[A-Z])")
# "wrote.* Bullet" / "mix of:* GPT" — a bullet run into the text before it
_GLUED_BULLET = re.compile(r"(\S)\s*\*\s+(?=\S)")
# "the post.1. I’ll be" / "say hi.2. I launched" — a numbered item run into the text
_GLUED_NUMBERED = re.compile(r"[.!?:](?<=[a-z][.!?:])(?=\d{1,2}\.\s+[A-Z“])")
# "topics.00:00 Recent" — a timestamp glued to the text before it
_GLUED_TIME = re.compile(r"\d(?<=[^\s\d:*(\[]\d)(?=\d?:(?:\d{1,2}:)?\d{2}\s+[A-Z“\"])")
# "…our picksChapters: …" — a section heading glued to the text before it
_SECTION_WORDS = re.compile(
    r"(?:Chapters|Transcript|Timestamps|Show [Nn]otes|Links|Sources)(?=\s*[:*\n]|\d)")
# "TranscriptA frontier lab…" — a section heading glued to the text after it
_SECTION_THEN_TEXT = re.compile(r"(Chapters|Transcript|Timestamps)(?=[A-Z“])")


def _section_break(m: re.Match) -> str:
    at = m.start()
    glued = at > 0 and not m.string[at - 1].isspace()
    return f"\n{m.group(0)}" if glued else m.group(0)


def unglue(text: str) -> str:
    """Put back the paragraph breaks an HTML stripper removed, one per line.

    The same substitutions as the patterns above applied in turn over the whole text
    (`_unglue_by_patterns`, which the tests compare it with), found faster: a feed dump's
    megabyte of show notes took 86 ms, most of it the sentence and bullet patterns
    trying their look-arounds at every full stop and every non-space character."""
    text = _glued_sentences(text)
    if "*" in text:
        text = _glued_bullets(text)
    text = _GLUED_NUMBERED.sub("\\g<0>\n", text)
    text = _GLUED_TIME.sub("\n\\g<0>", text)
    if any(w in text for w in _SECTION_MARKS):  # each pattern needs one of these words
        text = _SECTION_WORDS.sub(_section_break, text)
        text = _SECTION_THEN_TEXT.sub("\n\\1\n", text)
    return text


def _unglue_by_patterns(text: str) -> str:
    """`unglue` as the patterns say it, for the tests."""
    text = _GLUED_SENTENCE.sub("\\g<0>\n", text)
    text = _GLUED_BULLET.sub("\\1\n* ", text)
    text = _GLUED_NUMBERED.sub("\\g<0>\n", text)
    text = _GLUED_TIME.sub("\n\\g<0>", text)
    text = _SECTION_WORDS.sub(_section_break, text)
    return _SECTION_THEN_TEXT.sub("\n\\1\n", text)


_SECTION_MARKS = ("Chapters", "Transcript", "Timestamps", "Show notes", "Show Notes", "Links",
                  "Sources")
# what must follow a sentence end for `_GLUED_SENTENCE` to hold there: each of its one-
# character matches is checked only where this cheaper pattern stops
_SENTENCE_CANDIDATE = re.compile(r"[.!?”’\"](?=[“\"‘(A-Z])")


def _glued_sentences(text: str) -> str:
    out: list[str] = []
    last = 0
    full = _GLUED_SENTENCE.match
    for m in _SENTENCE_CANDIDATE.finditer(text):
        at = m.start()
        if full(text, at):  # its look-behind reads the text before `at`, as in a search
            out += (text[last:at + 1], "\n")
            last = at + 1
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _glued_bullets(text: str) -> str:
    """`_GLUED_BULLET.sub` applied only around each "*" that has a word before it and
    space then a word after it: every match lies in such a window (its non-space, the
    spaces, the star, the spaces, the next character), so windows that overlap are
    merged and the rest of the text is left as it is."""
    n = len(text)
    windows: list[list[int]] = []
    at = text.find("*")
    while at >= 0:
        a = at - 1
        while a >= 0 and text[a].isspace():
            a -= 1
        b = at + 1
        while b < n and text[b].isspace():
            b += 1
        if a >= 0 and at + 1 < b < n:
            if windows and a <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], b + 1)
            else:
                windows.append([a, b + 1])
        at = text.find("*", at + 1)
    if not windows:
        return text
    out: list[str] = []
    last = 0
    for a, b in windows:
        out += (text[last:a], _GLUED_BULLET.sub("\\1\n* ", text[a:b]))
        last = b
    out.append(text[last:])
    return "".join(out)


# "newsRelated", "toThe": a lower-case word (or a short function word) run into a
# capitalised one
_GLUED_WORD = re.compile(r"((?:[a-z]{3,}|to|of|in|on|at|is|it|as|by|so|we|be)[,;]?)"
                         r"([A-Z][a-z]{2,}.*)")
_CAMEL = re.compile(r"[a-z,;][A-Z][a-z]{2}")


def unglue_words(text: str) -> str:
    """Split `newsRelated` style glue.  Only where an all-lower-case word meets a
    capitalised one, so DeepSeek, OpenAI and iPhone stay whole."""
    # only the few words with a lower-case letter before a capital are candidates
    out: list[str] = []
    last = 0
    for m in _CAMEL.finditer(text):
        start = text.rfind(" ", 0, m.start()) + 1
        if start < last:
            continue  # a second capital in a word already split
        end = text.find(" ", m.end())
        end = len(text) if end < 0 else end
        g = _GLUED_WORD.fullmatch(text, start, end)
        if g:
            out += [text[last:start], g.group(1), "\n", g.group(2)]
            last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


# --- non-speech tags ----------------------------------------------------------------

_SOUND_WORDS = (
    "music|laughter|laughs|laughing|applause|silence|inaudible|crosstalk|cough|coughs|"
    "sighs|noise|background noise|foreign|no audio|pause|beep|upbeat music|"
    "soft music|intro music|outro music|music playing|indistinct|chuckles|chuckling|bleep"
)
# Rev-style tags carry a time: `[inaudible 00:14:05]`, `[crosstalk 00:02:01]`
_SOUNDS = re.compile(rf"[\[(](?:\s*(?:{_SOUND_WORDS})(?:\s+(?:\d{{1,2}}:)?\d{{1,2}}:\d{{2}})?\s*)"
                     rf"[\])]|♪+[^♪\n]{{0,80}}♪+|♪", re.I)


def take_sounds(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove `[music]`, `(laughter)`, `♪ … ♪` from speech and return them apart:
    kept for display, never searched or matched."""
    if not ("[" in text or "(" in text or "♪" in text):
        return text, ()
    found: list[str] = []

    def keep(m: re.Match) -> str:
        tag = re.sub(r"\s+[\d:]+$", "", m.group(0).strip("[]()♪ "))
        found.append(tag.lower() or "music")
        return " "
    cleaned = _SOUNDS.sub(keep, text)
    if not found:
        return text, ()
    return re.sub(r"\s{2,}", " ", cleaned).strip(), tuple(found)


# --- sentences and paragraphs -------------------------------------------------------

# A sentence ends at . ! ? … (and any closing quotes or brackets) before a space and
# a capital or digit; in Chinese and Japanese at 。！？ with or without a space.
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(\s+)(?=[\"“‘(\[]?[A-Z0-9])|"
                           r"[。！？][」』”’）)]*(\s*)(?=\S)")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "St.", "vs.", "e.g.", "i.e.", "etc.",
                  "Inc.", "Ltd.", "Jr.", "Sr.", "No.", "U.S.", "approx.")
# Han and kana are written without spaces between words or sentences (Hangul is not)
CJK_CHAR = _CJK = re.compile("[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]")


def sentences(text: str) -> list[str]:
    """Split at sentence ends (not after common abbreviations); the text of the
    sentences, closing quotes included, is exactly the text given."""
    text = text.strip()
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        gap = 1 if m.group(1) is not None else 2
        parts.append(text[start:m.start(gap)])
        start = m.end(gap)
    parts.append(text[start:])
    out: list[str] = []
    for part in parts:
        if out and out[-1].endswith(_ABBREVIATIONS):
            out[-1] = f"{out[-1]} {part}"
        elif part:
            out.append(part)
    return out


def join_text(parts) -> str:
    """Join pieces of speech with a space, except between two CJK characters."""
    parts = [p for p in parts if p]
    joined = " ".join(parts)
    if not _CJK.search(joined):  # the usual case: one C call instead of a pair test per word
        return joined
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(part[0])):
            out += " "
        out += part
    return out


def count_words(text: str) -> int:
    """Words for paragraph sizing; a CJK character counts as half a word."""
    n = len(text.split())
    return n + len(_CJK.findall(text)) // 2 if _CJK.search(text) else n


def _bounded(parts: list[str], limit: int) -> list[str]:
    """Unpunctuated speech (auto-captions) has no sentence ends to cut at: a
    "sentence" longer than `limit` words is cut at word boundaries instead."""
    out: list[str] = []
    for part in parts:
        words = part.split(" ")
        if len(words) <= limit:
            out.append(part)
        else:
            half = limit // 2
            out.extend(" ".join(words[k:k + half]) for k in range(0, len(words), half))
    return out


def paragraphs(text: str, target_words: int = 110) -> list[str]:
    """Cut a long run of speech into readable paragraphs at sentence ends."""
    if count_words(text) <= target_words * 1.5:
        return [text.strip()] if text.strip() else []
    out: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in _bounded(sentences(text), target_words * 2):
        current.append(sentence)
        count += count_words(sentence)
        if count >= target_words:
            out.append(join_text(current))
            current, count = [], 0
    if current:
        if out and count < target_words // 3:
            out[-1] = join_text([out[-1], *current])
        else:
            out.append(join_text(current))
    return out


# --- titles -------------------------------------------------------------------------

def shorten(text: str, limit: int = 80) -> str:
    """A title from a sentence: whole words, an ellipsis when cut."""
    text = squash_spaces(text).strip(" -–—:;,")
    if len(text) <= limit:
        return text.rstrip(".")
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return f"{cut}…"


def first_sentence_title(text: str, limit: int = 80) -> str:
    """The first sentence that says something: "It’s finally here!" and "Hello
    everyone!" open many posts and name none of them, so a sentence of three
    words or fewer gives way to the next one in its paragraph."""
    for line in text.splitlines():
        line = line.strip().lstrip("*#-• ").strip()
        if len(line.split()) >= 2:
            found = sentences(line) or [line]
            best = next((x for x in found if len(x.split()) >= 4), found[0])
            return shorten(best, limit)
    return ""


_FORM = re.compile(r"[\w’'.-]+")
_NOT_WORD = re.compile(r"[\W_]")


def _key(word: str) -> str:
    return _NOT_WORD.sub("", word).lower()


def recase(title: str, text: str) -> str:
    """Give a title made from a URL slug the spellings its own text uses:
    "Openais o3 over optimization" → "OpenAI’s o3 over optimization".  A word takes
    the form the text uses most often, so names and acronyms get their capitals and
    ordinary words (capitalised only at sentence starts) stay lower case."""
    cut = title.endswith("…")  # a cut slug (title_from_url) stays marked as cut
    title = title.rstrip("…")
    # only the title's own words are looked up: count the text's distinct tokens once
    # (in C) and key those, instead of a regex substitution for every word of a
    # 200,000-character text (the slowest step of parsing a feed)
    wanted = {_key(w) for w in title.split(" ")}
    forms: dict[str, dict[str, int]] = {}
    for token, n in Counter(_FORM.findall(text[:200_000])).items():
        word = token.strip(".-'’")
        key = _key(word)
        if key and key in wanted:
            counts = forms.setdefault(key, {})
            counts[word] = counts.get(word, 0) + n
    out = []
    for word in title.split(" "):
        found = forms.get(_key(word))
        if found:
            best = max(found.items(), key=lambda kv: kv[1])[0]
            lower = found.get(best.lower(), 0)
            # "When" at sentence starts is still the word "when"
            if not (best[:1].isupper() and best[1:].islower() and found[best] < 3 * lower + 2):
                word = best
        out.append(word)
    result = " ".join(out) + ("…" if cut else "")
    return result[0].upper() + result[1:] if result else result


def title_from_url(url: str) -> str:
    """`…/p/kimi-k2-and-when-deepseek-moments` → "Kimi k2 and when deepseek moments"."""
    try:
        path = urlsplit(url).path.rstrip("/")
    except ValueError:  # "https://[oops/ep"
        return ""
    slug = unquote(path.rsplit("/", 1)[-1]) if path else ""
    slug = re.sub(r"\.(html?|php|aspx?)$", "", slug)
    words = [w for w in re.split(r"[-_+]+", slug) if w]
    if not words or all(w.isdigit() for w in words):
        return ""
    text = " ".join(words)
    if words[-1].lower() in _SLUG_CUT:
        # publishers cut long slugs at a word count ("openais-gpt-41-and-separating-the"):
        # a title that ends on an article, a conjunction or a preposition was cut, and says so
        text += "…"
    return text[0].upper() + text[1:]


_SLUG_CUT = frozenset("a an the and or but of to for with in on at by from as into over "
                      "about between than their its our my your his her".split())
