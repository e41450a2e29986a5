"""The one signal every view redraws from (Anki's `OpChanges`, on the Qt side).

Every change the window makes — a dialog's OK, a key in the reader, Undo and Redo,
the result of a child job (an entity edit, an import, the start-up re-matching) — is
a `Library` mutator that returns `Changes`; `ui/saving.save` hands each one to
`ChangesHub.publish` with the object that asked for it (the *initiator*).  Each
controller that shows library data connects to `changed` once and decides from the
`Changes` fields whether it has anything to redraw, so no controller calls another's
refresh method, and a new view needs one connection, not a call in every mutation.
An initiator that has redrawn already (or that must not run twice, like the entity
re-matching job) recognises itself and skips."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from aiviewer.changes import Changes


class ChangesHub(QObject):
    changed = Signal(object, object)  # (Changes, initiator or None)

    def publish(self, changes: Changes | None, initiator: object = None) -> None:
        """Tell every view what a committed mutation changed."""
        if isinstance(changes, Changes):
            self.changed.emit(changes, initiator)

