"""Limits that every annotation import checks before it parses anything.

An annotation file comes from somewhere else; it must never hang, exhaust memory,
overflow the stack or write outside where it belongs.  These checks raise
`ImportFailed(name, reason)` with a message the user can act on:

- JSON over `MAX_JSON_BYTES` or nested deeper than `MAX_DEPTH` (found by a linear
  scan, so even 1,000,000 `[` cannot reach a recursive parser);
- zip archives with entries that climb out (`../`), are absolute (`/x`, `C:\\x`,
  `\\\\server\\x`), are symlinks, are too many, or inflate beyond
  `MAX_UNPACKED_BYTES`.
"""

from __future__ import annotations

import re
import stat
import zipfile
from itertools import accumulate

from aiviewer.errors import ImportFailed

MAX_JSON_BYTES = 100 * 1024 * 1024
MAX_DEPTH = 200
MAX_ZIP_ENTRIES = 100_000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_DRIVE = re.compile(r"^[A-Za-z]:")


def check_json(text: str | bytes, name: str) -> str:
    """The JSON text, decoded, if it is small and shallow enough to parse safely."""
    if len(text) > MAX_JSON_BYTES:
        raise ImportFailed(name, f"the file is {len(text) / 2**20:.0f} MB; annotation files "
                                 f"over {MAX_JSON_BYTES // 2**20} MB are refused")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ImportFailed(name, f"not UTF-8 text (byte {e.start})") from None
    elif len(text.encode("utf-8", "surrogatepass")) > MAX_JSON_BYTES:
        raise ImportFailed(name, f"annotation files over {MAX_JSON_BYTES // 2**20} MB "
                                 "are refused")
    depth = json_depth(text)
    if depth > MAX_DEPTH:
        raise ImportFailed(name, f"the JSON is nested {depth} levels deep; more than "
                                 f"{MAX_DEPTH} is refused")
    return text


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest, ignoring brackets inside strings (when
    there are no more openers than MAX_DEPTH, their count is returned instead: it
    bounds the depth and saves the scan)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    openers = brackets.count("[") + brackets.count("{")
    if openers <= MAX_DEPTH:
        return openers
    return max(accumulate(_STEP[c] for c in brackets))


def unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    """Why this zip entry must not be read, or None when it is a plain file inside
    the archive."""
    raw = info.filename
    path = raw.replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path):
        return f"entry {raw!r} has an absolute path"
    if ".." in path.split("/"):
        return f"entry {raw!r} points outside the archive (../)"
    if "\x00" in raw:
        return f"entry {raw!r} has a NUL in its name"
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        return f"entry {raw!r} is a symbolic link"
    return None


def check_zip(archive: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    """Every entry of the archive by its name, once all of them passed the checks;
    one bad entry refuses the whole file (it was made by something we cannot trust)."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFailed(name, f"the archive has {len(infos)} entries; more than "
                                 f"{MAX_ZIP_ENTRIES} is refused")
    total = 0
    entries = {}
    for info in infos:
        reason = unsafe_reason(info)
        if reason:
            raise ImportFailed(name, reason + "; the archive is refused")
        total += info.file_size
        entries[info.filename.replace("\\", "/")] = info
    if total > MAX_UNPACKED_BYTES:
        raise ImportFailed(name, f"the archive unpacks to {total / 2**20:.0f} MB; more than "
                                 f"{MAX_UNPACKED_BYTES // 2**20} MB is refused")
    return entries


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
               limit: int = MAX_JSON_BYTES) -> bytes:
    """An entry's bytes, reading at most `limit` + 1 of them whatever its header
    claims (a zip bomb can lie about its size)."""
    if info.file_size > limit:
        raise ImportFailed(name, f"{info.filename!r} is {info.file_size / 2**20:.0f} MB; "
                                 f"more than {limit // 2**20} MB is refused")
    try:
        with archive.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
        raise ImportFailed(name, f"{info.filename!r} cannot be read: {e}") from None
    if len(data) > limit:
        raise ImportFailed(name, f"{info.filename!r} inflates beyond "
                                 f"{limit // 2**20} MB; refused")
    return data
