"""What the window does, one subject a module: each controller gets the window (its
widgets, its status bar, the parent for dialogs) and the library, and is wired to
actions and widget signals by `MainWindow`.  Writes go through `ui/saving.save`;
work in a child process goes through `ui/jobs`."""

from __future__ import annotations

from PySide6.QtCore import QObject


class Controller(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.library = window.library

    def focus(self, widget) -> None:
        """After a dialog: the window active again and the keys going to `widget`
        (otherwise they go nowhere until the user clicks)."""
        self.window.activateWindow()
        widget.setFocus()

    def say(self, text: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(text, ms)

    @property
    def closing(self) -> bool:
        return self.window.closing
