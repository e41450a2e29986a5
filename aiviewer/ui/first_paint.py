"""Work that waits for a paint: what the user waits for is drawn first.

At start the user waits for the window; reopening the last episode (the 3-hour one
is a few hundred milliseconds of laying out), listing every episode's speakers,
the integrity check and the re-matching child job are all worth doing — after the
window is on the screen, not before (`FirstPaint`).  Opening an episode, the
reader's text is what the user waits for; the minimap's marks, the dotted
suggestion underlines and the suggestion list can follow the reader's next paint
(`AfterPaint`).

Either runs its callbacks on the event loop, one per turn (a key pressed meanwhile
is handled between them), once the widget has painted — or soon anyway when it is
not shown (tests that never show the window) or no paint comes (`fallback_ms`).
Each turn is queued with this object as the timer's context, so a window closed
before its turn comes drops it instead of calling into deleted Qt objects."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterPaint(QObject):
    """Callbacks that wait for the widget's next paint after they were asked for."""

    once = False  # FirstPaint: only the first paint is waited for
    fallback_ms = 500  # a widget shown but never painted (covered) does not hold work

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.widget = widget
        self.painted = False  # a paint happened since the last callbacks were asked for
        self._waiting: list[Callable[[], None]] = []
        self._fallback = QTimer(self, singleShot=True, interval=self.fallback_ms)
        self._fallback.timeout.connect(self._run_all)
        widget.installEventFilter(self)

    def then(self, *callbacks: Callable[[], None], first: bool = False) -> None:
        """Run the callbacks after the next paint, in the order asked (`first`: before
        those asked earlier — what the user sees comes before background work)."""
        if first:
            self._waiting[:0] = callbacks
        else:
            self._waiting.extend(callbacks)
        if not self.once:
            self.painted = False
        self._fallback.start()
        QTimer.singleShot(0, self, self._run_if_ready)

    @property
    def waiting(self) -> bool:
        """Callbacks still wait for the paint (or, when not shown, the next turn)."""
        return bool(self._waiting)

    def flush(self) -> None:
        """Run what waits now (someone needs its result before the paint)."""
        self._run_all()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.widget and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            # the event comes before the widget paints: run once it has
            QTimer.singleShot(0, self, self._run_if_ready)
        return False

    def _run_if_ready(self) -> None:
        if not self.painted and self.widget.isVisible():
            return  # the paint (or the fallback) calls again
        if self._waiting:
            self._waiting.pop(0)()
        if self._waiting:
            QTimer.singleShot(0, self, self._run_if_ready)
        else:
            self._fallback.stop()

    def _run_all(self) -> None:
        self._fallback.stop()
        while self._waiting:
            self._waiting.pop(0)()


class FirstPaint(AfterPaint):
    """Callbacks that wait for the window's first frame (the window's own paint comes
    first, its children's in the same pass; the callbacks run after the pass)."""

    once = True
    fallback_ms = 10_000  # a start-up on a loaded machine may take seconds to paint
