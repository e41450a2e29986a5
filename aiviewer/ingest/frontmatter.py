"""YAML/TOML front matter and Markdown bullet metadata, read without a YAML
dependency: only flat `key: value` pairs matter here (title, date, url, video
id, show), and nested blocks are skipped rather than misread.
"""

from __future__ import annotations

import re
import tomllib

_FENCE = re.compile(r"\A\ufeff?(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?)\n(?P=fence)[ \t]*(?:\n|\Z)",
                    re.S)
_PAIR = re.compile(r"^(?P<key>[A-Za-z_][\w -]{0,40}?)\s*[:=]\s*(?P<value>.*)$")
_BULLET_META = re.compile(
    r"^\s*[-*]\s+\*\*(?P<key>[A-Za-z][\w /-]{0,30}?):?\*\*:?\s*(?P<value>.+?)\s*$")

KEYS = {
    "title": "title", "name": "title", "episode_title": "title",
    "date": "date", "published": "date", "pubdate": "date", "published_at": "date",
    "upload_date": "date", "released": "date",
    "url": "url", "source_url": "url", "source": "url", "link": "url", "permalink": "url",
    "video_id": "video_id", "youtube_id": "video_id", "videoid": "video_id",
    "channel": "show", "show": "show", "podcast": "show", "series": "show",
    "speakers": "speakers", "guests": "speakers",
}


_YAML_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n",
                 "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"',
                 "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
                 "P": "\u2029"}
_YAML_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def yaml_scalar(value: str) -> str:
    """A one-line YAML scalar's text: a double-quoted string with its escapes
    decoded (`"A \\"quoted\\" title"` → `A "quoted" title`), a single-quoted one
    with `''` as `'`, a plain one as it is."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        def one(m: re.Match) -> str:
            code = m.group(1)
            if len(code) > 1:
                point = int(code[1:], 16)  # a surrogate or beyond Unicode is no character
                return "\ufffd" if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF else chr(point)
            return _YAML_ESCAPES.get(code, m.group(0))
        return _YAML_ESCAPE.sub(one, value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def split(text: str) -> tuple[dict[str, str], str]:
    """(metadata, the text after the front matter)."""
    m = _FENCE.match(text)
    if not m:
        return {}, text
    body = m.group("body")
    meta: dict[str, str] = {}
    if m.group("fence") == "+++":
        try:
            data = tomllib.loads(body)
        except tomllib.TOMLDecodeError:
            data = {}
        for key, value in data.items():
            if isinstance(value, str | int | float) or hasattr(value, "isoformat"):
                meta[key.lower()] = str(value)
    else:
        for line in body.split("\n"):
            if line.startswith((" ", "\t", "-")):
                continue  # nested YAML: not metadata we use
            pm = _PAIR.match(line)
            if pm:
                value = yaml_scalar(pm.group("value").strip())
                if value:
                    meta[pm.group("key").strip().lower()] = value
    return _normalise(meta), text[m.end():]


def bullet_metadata(lines: list[str]) -> tuple[dict[str, str], set[int]]:
    """`- **Channel:** Latent Space` lines near the top: metadata, and which lines they were."""
    meta: dict[str, str] = {}
    used: set[int] = set()
    for i, line in enumerate(lines[:40]):
        m = _BULLET_META.match(line)
        if m:
            meta[m.group("key").strip().lower()] = m.group("value").strip()
            used.add(i)
    return _normalise(meta), used


def _normalise(meta: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in meta.items():
        canonical = KEYS.get(key.replace(" ", "_").replace("-", "_"))
        if canonical and canonical not in out:
            out[canonical] = value
    if "date" in out:
        m = re.search(r"\d{4}-\d{2}-\d{2}", out["date"])
        if m:
            out["date"] = m.group(0)
        else:
            del out["date"]
    if "url" in out:
        m = re.search(r"\((https?://[^)\s]+)\)|(https?://\S+)", out["url"])
        if m:
            out["url"] = m.group(1) or m.group(2)
        else:
            del out["url"]
    return out
