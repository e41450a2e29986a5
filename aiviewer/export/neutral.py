"""Character-level rules every output shares: control characters and colours.

- `CONTROLS` matches what must never reach a terminal, a spreadsheet or a viewer
  from user or transcript text: C0 controls other than tab and newline (ESC starts
  terminal escape sequences, `ESC ] 8` hyperlinks, BEL ends them), DEL, the C1
  controls (U+0080–U+009F; U+009B is a one-byte CSI), and the Unicode bidi
  overrides, embeddings, isolates and marks (U+202E turns `exe.txt` into
  `txt.exe` on screen).  `plain` drops them (after turning `\\r\\n` and a lone `\\r`
  into `\\n`, so a carriage return cannot overwrite a line).
- `clean` applies `plain` to every text field of an annotation, and `clean_tags` to
  tag names; the Markdown, CSV and HTML exports start from their output.  The W3C
  export keeps the data (it is read back losslessly) and writes these characters
  as `\\uXXXX` escapes instead; the QDPX export replaces each with U+FFFD so that
  character positions stay right.
- `colour` is the one colour rule: `#rgb` or `#rrggbb`, returned as lower-case
  `#rrggbb`; anything else is None (callers fall back to a default).  Colours are
  checked where they are stored and again wherever they are rendered.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from aiviewer.model import Annotation, Tag

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069]")
_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def plain(text: str) -> str:
    """`text` without control characters (tab and newline kept)."""
    if not CONTROLS.search(text):
        return text
    return CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean(a: Annotation) -> Annotation:
    """The annotation with every text field `plain` and its colour valid (or None)."""
    changes: dict = {}
    for f in fields(a):
        value = getattr(a, f.name)
        if isinstance(value, str):
            if CONTROLS.search(value):
                changes[f.name] = plain(value)
        elif isinstance(value, tuple) and any(CONTROLS.search(v) for v in value):
            changes[f.name] = tuple(plain(v) for v in value)
    if a.colour is not None and colour(a.colour) != a.colour:
        changes["colour"] = colour(a.colour)
    return replace(a, **changes) if changes else a


def clean_tags(tags: list[Tag] | None) -> list[Tag]:
    return [replace(t, name=plain(t.name), colour=colour(t.colour)) for t in tags or ()]


def colour(value: str | None) -> str | None:
    """`#abc` → `#aabbcc`, `#A0B1C2` → `#a0b1c2`; None for anything else."""
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        return None
    digits = value[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))
