"""Everything the CLI prints to a terminal goes through `echo` (or `clean`).

Titles, speaker and show names, notes, tags, file names and error messages come
from files the user did not write; a title holding `ESC [ 2 J` would clear the
screen, `ESC ] 8 ; ; url BEL` would plant a hidden hyperlink, U+202E would reverse
what follows.  `clean` drops every control character of `neutral.CONTROLS` (C0
controls but tab and newline, DEL, C1, bidi overrides and marks) — the same rule
the exports use — and `one_line=True` also turns newlines and tabs into spaces, for
lines that must stay one line (an error naming a file).  The `--json` outputs are
JSON-escaped by `json.dump` instead and do not pass through here.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from aiviewer.export.neutral import CONTROLS

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object, one_line: bool = False) -> str:
    # a file name that is not UTF-8 arrives with lone surrogates, which no terminal
    # encoding can print
    text = _SURROGATE.sub("\ufffd", str(text))
    if one_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def echo(*values: object, sep: str = " ", end: str = "\n", file: TextIO | None = None,
         flush: bool = False, one_line: bool = False) -> None:
    """`print`, with every value `clean`ed (error lines to stderr are one line)."""
    out = sys.stdout if file is None else file
    print(*(clean(v, one_line or out is sys.stderr) for v in values), sep=sep, end=end,
          file=out, flush=flush)


