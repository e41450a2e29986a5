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

    def say(self, text: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(text, ms)

    @property
    def closing(self) -> bool:
        return self.window.closing
