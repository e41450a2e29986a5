"""Bytes → text for files of unknown origin: BOMs, UTF-8, UTF-16, cp1252, and refusals.

Decoding is where binary files, empty files and runaway single-line files are
turned away, before any parser spends time on them.

    >>> decode_text(b"\\xef\\xbb\\xbfHi\\r\\nthere\\r", "a.txt")
    'Hi\\nthere\\n'
    >>> decode_text("caf\\u00e9".encode("cp1252"), "b.txt")
    'café'
"""

from __future__ import annotations

import codecs
import threading

from aiviewer.errors import ImportFailed

MAX_FILE_BYTES = 64 * 1024 * 1024
# A file this large with no line break in it is not a transcript (JSON excepted:
# minified Whisper output is legitimately one long line).
MAX_LINE_BYTES = 2 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def decode_text(data: bytes, name: str) -> str:
    """Decode and normalise line ends to '\\n'; raise ImportFailed for what is not text."""
    if not data or data.isspace():  # no copy of a large file just to test it
        raise ImportFailed(name, "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed(
            name, f"the file is too large ({human_size(len(data))}; the limit is {human_size(MAX_FILE_BYTES)})"
        )
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportFailed(name, f"invalid {encoding} text at byte {exc.start}") from None
            break
    if text is None:
        head = data[:8192]
        if b"\x00" in head:
            # UTF-16 without a BOM shows as every other byte NUL in ASCII text
            if head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) < len(head) // 50:
                text = data.decode("utf-16-le", errors="replace")
            elif head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) < len(head) // 50:
                text = data.decode("utf-16-be", errors="replace")
            else:
                raise ImportFailed(name, "this is a binary file, not a transcript")
        else:
            text = _utf8_or_cp1252(data)
    if _control_ratio(text[:8192]) > 0.05:
        raise ImportFailed(name, "this is a binary file, not a transcript")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text or text.isspace():
        raise ImportFailed(name, "the file holds no text")
    if len(text) > MAX_LINE_BYTES and text[:4096].lstrip()[:1] not in ("{", "["):
        longest = longest_line(text, MAX_LINE_BYTES)
        if longest > MAX_LINE_BYTES:
            raise ImportFailed(
                name,
                f"a single line of {human_size(longest)} with no line breaks: this does not look "
                "like a transcript",
            )
    return text


# Files glued together from several sources mix encodings: UTF-8 with a stray
# cp1252 "é" or "’".  Bytes that are not UTF-8 are read as cp1252 one by one, so
# neither part turns into mojibake; past a few thousand such bytes the file is
# simply cp1252.
MAX_STRAY_BYTES = 4096
_stray = threading.local()


def _cp1252_bytes(exc: UnicodeDecodeError) -> tuple[str, int]:
    _stray.count = getattr(_stray, "count", 0) + 1
    if _stray.count > MAX_STRAY_BYTES:
        raise exc
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("aiviewer-cp1252", _cp1252_bytes)


def _utf8_or_cp1252(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    _stray.count = 0
    try:
        return data.decode("utf-8", errors="aiviewer-cp1252")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def longest_line(text: str, enough: int) -> int:
    """Length of the longest line, scanning without copying the text; stops at the
    first line longer than `enough`."""
    longest = pos = 0
    while True:
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        longest = max(longest, end - pos)
        if nl < 0 or longest > enough:
            return longest
        pos = nl + 1


def _control_ratio(sample: str) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return bad / len(sample)
