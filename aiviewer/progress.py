"""Progress reporting and cooperative cancellation as plain callbacks, without Qt.

The core calls `sink(done, total, message)` between units of work and checks
`cancel.cancelled`; the CLI prints, the UI forwards to a signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ProgressSink = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str) -> None:
    """A sink that ignores everything."""


class Cancelled(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error
    """Raised in the middle of a unit of work by a signal handler (`CancelToken.
    interrupt`): the work stops at once and its transaction is rolled back."""


class CancelToken:
    """Set from any thread; checked by long jobs between units of work.

    A job may also mark a stretch of work `interruptible()`: a signal handler on
    the main thread then calls `interrupt()`, which raises `Cancelled` right there
    instead of waiting for the unit (one large file) to end."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._interruptible = False

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        """Work in this block may be stopped part-way (it is one transaction, or
        nothing is written in it); raises Cancelled if cancelled already."""
        if self.cancelled:
            raise Cancelled()
        self._interruptible = True
        try:
            yield
        finally:
            self._interruptible = False

    def interrupt(self) -> None:
        """Cancel; from a signal handler on the thread doing the work, also raise
        Cancelled when that work is interruptible (once)."""
        self.cancel()
        if self._interruptible:
            self._interruptible = False
            raise Cancelled()
