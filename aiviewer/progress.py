"""Progress reporting and cooperative cancellation as plain callbacks, without Qt.

The core calls `sink(done, total, message)` between units of work and checks
`cancel.cancelled`; the CLI prints, the UI forwards to a signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressSink = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str) -> None:
    """A sink that ignores everything."""


class CancelToken:
    """Set from any thread; checked by long jobs between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()
