"""Writing an export file safely: one writer for every format.

The file is written under a temporary name in the target's folder and renamed
over the target only once every byte is on disk, so a failed export (disk full,
permission denied, an exception in a renderer) leaves nothing half-written and
the previous file, if any, untouched.  The rename replaces a *name*; it never
writes through what the name points at.

What the user names must be a new name or an existing regular file.  A folder, a
symbolic link, a device (`/dev/full`, `/dev/sda`), a FIFO or a socket is refused
before anything is written, with `ExportFailed(path, reason)`: a one-line
message naming the path, which the CLI prints and the app shows.  A new file gets
the usual permissions (0666 less the umask); a replaced one keeps its mode.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from aiviewer.errors import ExportFailed

_KINDS = ((stat.S_ISDIR, "it is a folder"), (stat.S_ISLNK, "it is a symbolic link"),
          (stat.S_ISCHR, "it is a device"), (stat.S_ISBLK, "it is a device"),
          (stat.S_ISFIFO, "it is a named pipe"), (stat.S_ISSOCK, "it is a socket"))


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full; nothing was written"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or str(exc)


def check_target(path: str | os.PathLike[str]) -> tuple[Path, int | None]:
    """The target as a Path and the mode of the regular file it replaces (None for
    a new name); `ExportFailed` when it must not be written."""
    name = os.fspath(path)
    if not name:
        raise ExportFailed("''", "no file name given")
    target = Path(name)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise ExportFailed(name, _reason(e)) from None
    if st is not None:
        for test, why in _KINDS:
            if test(st.st_mode):
                raise ExportFailed(name, why + "; name a new or a regular file")
        if not stat.S_ISREG(st.st_mode):
            raise ExportFailed(name, "it is not a regular file")
    folder = target.parent
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist"
        raise ExportFailed(name, f"the folder {folder} {why}")
    return target, stat.S_IMODE(st.st_mode) if st is not None else None


@contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write the export into; on a clean exit it becomes `path`."""
    target, mode = check_target(path)
    name = os.fspath(path)
    tmp = None  # set once the temporary file exists: it is ours to remove
    try:
        for _ in range(100):
            candidate = target.parent / f".{target.name[:100]}.{secrets.token_hex(4)}.tmp"
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC,
                             0o666)
            except FileExistsError:
                continue
            tmp = candidate
            break
        else:
            raise ExportFailed(name, "cannot create a temporary file beside it")
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        raise ExportFailed(name, _reason(e)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """`text` as UTF-8 at `path`, safely (see the module)."""
    with replacing(path) as f:
        # a lone surrogate (from an old store) must not stop the export
        f.write(text.encode("utf-8", "replace"))
