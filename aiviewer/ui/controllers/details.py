"""Editing an episode's details (F2 on a library row, Ctrl+I anywhere): the form,
then one undoable change that the library list, the reader, search facets and
exports show at once."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from aiviewer.errors import AiviewerError
from aiviewer.ui.controllers import Controller
from aiviewer.ui.saving import save
from aiviewer.ui.views.details_dialog import DetailsDialog


class DetailsController(Controller):
    def edit(self) -> None:
        w = self.window
        episode_id = w.library_view.current_episode() or w.episodes.current
        if not episode_id:
            return
        back_to = w.library_view.list if w.library_view.list.hasFocus() else w.reader.view
        dialog = DetailsDialog(self.library.episode_details(episode_id),
                               [s.title for s in self.library.shows()], w)
        while dialog.exec():
            values = dialog.values()
            try:
                ok, changes = save(w, "The episode's details",
                                   lambda v=values: self.library.edit_details(episode_id, **v),
                                   self)
            except AiviewerError as exc:  # a date that is not one: say so, keep the form
                QMessageBox.warning(w, "Episode Details", str(exc))
                continue
            if ok and changes is not None and not changes.empty:  # the views redrew
                self.say(f"{changes.undo_label} — saved")
            break
        self.focus(back_to)
