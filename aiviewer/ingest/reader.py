"""The one way an input path is turned into bytes: look before reading, read with a bound.

Every path an import is given — a file named on the command line, a file found in a
folder, a link — goes through `read_input`:

- what it is is checked first (`stat`), and again on the open descriptor (`fstat`):
  only a regular file is read; a named pipe, a device, a socket or a folder is the
  file's one-line error, never a read that waits forever;
- it is opened with `O_NONBLOCK`, so that a path swapped for a pipe between the two
  checks cannot block the open;
- its size is checked on the descriptor against the limit, and at most limit + 1 bytes
  are ever read (a file that lies about its size, `/proc` files that say 0, a file
  that grows while read), so a 3 GB sparse file costs nothing;
- names are shown readable: bytes that are not UTF-8 as `\\xff`, control characters
  (a newline in a name) escaped, so one failure is one line.

`walk` expands folders the same way and reports what it cannot enter (an unreadable
folder, a link into one) instead of skipping it silently.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

from aiviewer.errors import ImportFailed
from aiviewer.ingest.decode import MAX_FILE_BYTES, human_size

TRANSCRIPT_SUFFIXES = {".txt", ".md", ".markdown", ".vtt", ".srt", ".json", ".html", ".htm",
                       ".text"}
_CHUNK = 1 << 20
# control characters that would break a one-line message or drive a terminal
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(32), 127)}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def readable_name(path: str | bytes | os.PathLike) -> str:
    """A path as one printable line of valid UTF-8: undecodable bytes as `\\xNN`,
    control characters escaped.  Never raises."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace").translate(_CONTROL)


def one_line(text: str) -> str:
    """A reason as one line (an exception's message may hold newlines or surrogates)."""
    text = " ".join(str(text).split())
    return text.encode("utf-8", "replace").decode("utf-8")


def _kind(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file (not read)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file (not read)"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file (not read)"
    return "is not a regular file (not read)"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read (permission denied)"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    return one_line(f"cannot be read ({exc.strerror or exc})")


def _too_large(size: int, limit: int) -> str:
    return f"the file is too large ({human_size(size)}; the limit is {human_size(limit)})"


def read_input(path: str | bytes | os.PathLike, name: str | None = None,
               limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; ImportFailed otherwise."""
    name = name if name is not None else readable_name(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and os.path.islink(path):
            raise ImportFailed(name, "is a link to nothing (its target does not exist)") from None
        raise ImportFailed(name, _os_reason(exc)) from None
    except ValueError as exc:  # an embedded NUL
        raise ImportFailed(name, one_line(f"is not a usable file name ({exc})")) from None
    problem = _kind(st.st_mode)
    if problem is None and st.st_size > limit:
        problem = _too_large(st.st_size, limit)
    if problem:
        raise ImportFailed(name, problem)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ImportFailed(name, _os_reason(exc)) from None
    try:
        st = os.fstat(fd)  # the file opened, which may not be the one looked at
        problem = _kind(st.st_mode)
        if problem is None and st.st_size > limit:
            problem = _too_large(st.st_size, limit)
        if problem:
            raise ImportFailed(name, problem)
        return _bounded_read(fd, st.st_size, limit, name)
    except OSError as exc:
        raise ImportFailed(name, _os_reason(exc)) from None
    finally:
        os.close(fd)


def _bounded_read(fd: int, size: int, limit: int, name: str) -> bytes:
    """Read to the end, but never more than limit + 1 bytes."""
    parts: list[bytes] = []
    total = 0
    want = min(size, limit) + 1 if size else _CHUNK  # /proc and kin report 0
    while total <= limit:
        try:
            chunk = os.read(fd, min(want, limit + 1 - total))
        except BlockingIOError:
            raise ImportFailed(name, "is not ready to be read (not a regular file)") from None
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        want = _CHUNK
    if total > limit:
        raise ImportFailed(name, f"the file is too large (more than {human_size(limit)}, "
                                 "the limit)")
    return parts[0] if len(parts) == 1 else b"".join(parts)


def walk(paths: list) -> Iterator[tuple[str, str | None]]:
    """(path, problem) for every file to import from files and folders (recursive;
    hidden entries skipped; links to folders inside a folder are not followed).

    A problem is reported, never skipped: a path that does not exist, a folder
    that cannot be listed (at the top or anywhere below), a folder with no
    transcript files.  Anything in a folder that is not a regular file but
    carries a transcript's name (a pipe, a link to a device) is yielded too, so
    the reader says what it is."""
    for raw in paths:
        path = os.fsdecode(raw) if isinstance(raw, bytes) else os.fspath(raw)
        try:
            is_dir = os.path.isdir(path)
        except (OSError, ValueError):
            is_dir = False
        if not is_dir:
            if os.path.lexists(path) if "\x00" not in path else False:
                yield path, None
            else:
                yield path, "no such file or folder"
            continue
        found = False
        for item in _walk_dir(path):
            found = True
            yield item
        if not found:
            yield path, "the folder holds no transcript files (.txt, .md, .vtt, .srt, .json)"


def _walk_dir(top: str) -> Iterator[tuple[str, str | None]]:
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield folder, "the folder " + _os_reason(exc)
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.path)
                    continue
                is_file = entry.is_file()
            except OSError:
                is_file = False
            suffix = os.path.splitext(entry.name)[1].lower()
            if suffix and suffix not in TRANSCRIPT_SUFFIXES:
                continue
            if is_file:
                yield entry.path, None
            elif entry.is_symlink() and os.path.isdir(entry.path):
                continue  # links to folders are not followed (no cycles, no /proc/*/root)
            else:
                # a pipe, a device, a socket, a link to nothing or into a folder we
                # cannot read: the reader says which, in one line
                yield entry.path, _not_a_file(entry.path)
        stack.extend(reversed(subfolders))


def _not_a_file(path: str) -> str:
    try:
        read_input(path, limit=0)
    except ImportFailed as exc:
        return exc.reason
    return "is not a regular file (not read)"
