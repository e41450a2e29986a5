"""Work that waits for the window's first paint.

At start the user waits for the window; reopening the last episode (the 3-hour one
is a few hundred milliseconds of laying out), listing every episode's speakers,
the integrity check and the re-matching child job are all worth doing — after the
window is on the screen, not before.  `FirstPaint.then(callback)` runs the callback
once the window has painted its first frame (or at once when it has, or when the
window is not shown at all, as in tests that never show it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self.painted = False
        self._waiting: list[Callable[[], None]] = []
        window.installEventFilter(self)

    def then(self, *callbacks: Callable[[], None], first: bool = False) -> None:
        """Run the callbacks on the event loop after the first frame is painted, in the
        order asked (`first`: before those asked earlier — what the user sees comes
        before background work).  A window not shown when the loop runs does not wait."""
        if first:
            self._waiting[:0] = callbacks
        else:
            self._waiting.extend(callbacks)
        QTimer.singleShot(0, self._run_if_ready)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self.window.removeEventFilter(self)
            # the window's paint comes first, its children's in the same pass: run
            # the callbacks once the whole frame is drawn and flushed
            QTimer.singleShot(0, self._run_if_ready)
        return False

    def _run_if_ready(self) -> None:
        if not self.painted and self.window.isVisible():
            return  # the paint event will call again
        if self._waiting:
            # one at a time, each in its own turn of the event loop: a key pressed
            # meanwhile is handled between them
            self._waiting.pop(0)()
            if self._waiting:
                QTimer.singleShot(0, self._run_if_ready)
