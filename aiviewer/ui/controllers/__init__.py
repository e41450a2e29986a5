"""What the window does, one subject a module: each controller gets the window (its
widgets, its status bar, the parent for dialogs) and the library, and is wired to
actions and widget signals by `MainWindow`.  Writes go through `ui/saving.save`,
which publishes their `Changes` on the window's one signal (`ui/changes_hub.py`);
a controller that shows library data redraws in its `on_changes(changes,
initiator)`, connected here, and never calls another controller's refresh.  Work
in a child process goes through `ui/jobs`."""

from __future__ import annotations

from PySide6.QtCore import QObject


class Controller(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.library = window.library
        on_changes = getattr(self, "on_changes", None)
        if on_changes is not None:
            window.changes_hub.changed.connect(on_changes)

    def publish(self, changes) -> None:
        """Tell every view what a change made outside `save` (a child job's, an
        import of annotations) changed, as this controller's."""
        self.window.changes_hub.publish(changes, self)

    def focus(self, widget) -> None:
        """After a dialog: the window active again and the keys going to `widget`
        (otherwise they go nowhere until the user clicks)."""
        self.window.activateWindow()
        widget.setFocus()

    def say(self, text: str, ms: int = 4000) -> None:
        """A message beside the library's summary line (a permanent widget, so the
        message never hides it) for `ms` milliseconds; 0 keeps it until the next one —
        for what went wrong and what is still under way."""
        self.window.statusBar().showMessage(text, ms)

    @property
    def closing(self) -> bool:
        return self.window.closing
