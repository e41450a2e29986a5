"""One hierarchy of errors that carry their context and never show UI.

Parsers raise `ImportFailed` naming the file and the reason; the import loop
records it and goes on, so one bad file never stops the others.
"""

from __future__ import annotations


class AiviewerError(Exception):
    """Base of every error aiviewer raises on purpose."""


class SearchInterrupted(AiviewerError):
    """A search stopped part-way because its answer was no longer wanted (the user
    typed on): nothing is wrong, and nobody waits for it."""


class ImportFailed(AiviewerError):
    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class ParseError(AiviewerError):
    """Raised by a pure parser, which does not know the file name; the pipeline
    turns it into ImportFailed with the file attached."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class QuerySyntaxError(AiviewerError):
    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.offset = offset


class StoreError(AiviewerError):
    """The store cannot be opened or written (corrupt, full, locked)."""


class StoreCorrupt(StoreError):
    """The library file is damaged.  It is never written to; `backups` lists the
    automatic copies (newest first) the user can restore instead."""

    def __init__(self, message: str, path: str = "", backups: tuple[str, ...] = ()):
        super().__init__(message)
        self.path = path
        self.backups = backups


class StoreFull(StoreError):
    """The disk (or the store's size limit) is full; the change was rolled back."""


class StoreBusy(StoreError):
    """Another writer (an import, another aiviewer) held the library's write lock
    longer than this connection waits; nothing was written, and trying again later
    succeeds."""


class StoreReadOnly(StoreError):
    """The library file (or its folder) cannot be written: it is opened for reading
    only, and every change is refused with this error instead of being lost."""


class SchemaTooNew(StoreError):
    """The store was migrated by a newer aiviewer; it is refused, never written."""


class NotFound(AiviewerError):
    """A named thing (episode, tag, annotation, entity) does not exist."""


class ExportFailed(AiviewerError):
    """An export could not be written where the user asked; nothing was left behind."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"cannot export to {path}: {reason}")
        self.path = path
        self.reason = reason
