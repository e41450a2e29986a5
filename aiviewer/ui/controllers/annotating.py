"""Tags and annotations: tag or annotate the reader's selection, edit, delete,
re-attach, undo and redo, the annotation panel and browser, and annotation
import and export."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from aiviewer.changes import Changes
from aiviewer.errors import AiviewerError
from aiviewer.model import Annotation
from aiviewer.ui.choices import EXPORT_FILTERS, export_target
from aiviewer.ui.controllers import Controller
from aiviewer.ui.saving import save
from aiviewer.ui.views.annotation_browser import AnnotationBrowser
from aiviewer.ui.views.note_editor import NoteEditor, TagPopup
from aiviewer.ui.views.popover import selection_rect
from aiviewer.wording import delete_annotations_text, plural


class AnnotatingController(Controller):
    def __init__(self, window):
        super().__init__(window)
        self.browser: AnnotationBrowser | None = None
        self.panel = window.annotation_panel
        self.reader = window.reader
        self.panel.open_requested.connect(self.show_annotation)
        self.panel.delete_requested.connect(self.delete)
        self.panel.edit_requested.connect(self.edit)
        self.panel.list.itemSelectionChanged.connect(self._name_delete_action)
        self._click_filter = _ClickOnAnnotation(self)
        self.reader.view.viewport().installEventFilter(self._click_filter)
        # the history is shared with the CLI: coming back from a terminal where the user
        # ran `aiviewer undo`, Edit shows (and Ctrl+Z takes) the library's step now
        QApplication.instance().applicationStateChanged.connect(self._on_app_state)

    @property
    def episode(self) -> str | None:
        return self.window.episodes.current

    def on_changes(self, changes: Changes, initiator) -> None:
        """Every change moves the Edit menu's Undo; annotations and tags redraw."""
        if changes.annotations or changes.tags:
            self.refresh()
        self.update_undo_actions()

    def refresh(self) -> None:
        """Redraw the open episode's annotations (and the browser) from the store."""
        if self.episode is None:
            self.panel.set_annotations([], {})
            return
        anns = self.library.annotations(episode_id=self.episode)
        colours = {t.name: t.colour for t in self.library.tags() if t.colour}
        self.reader.set_annotations(anns, colours)
        self.panel.set_annotations(anns, colours)
        self.window.side.setTabText(1, f"Annotations ({len(anns)})" if anns else "Annotations")
        self.update_undo_actions()
        if self.browser is not None and self.browser.isVisible():
            self.browser.refresh()

    def _selection_or_warn(self) -> tuple[str, tuple[int, int]] | None:
        """The reader's episode and the selected span of its text, taken together before
        any dialog opens: while the tag box or the note editor is open, an import that
        ends opens its own episode, and the span belongs to the episode it was selected
        in (the soak test caught a tag being saved on the new one)."""
        span = self.reader.selected_span()
        episode = self.reader.episode
        if span is None or episode is None:
            self.say("Select text in the transcript first (Shift+arrows, or v for a sentence).",
                     5000)
            return None
        return episode.id, span

    def _save_annotation(self, what: str, fn) -> tuple[bool, object]:
        """`save`, and a write the library refuses (the episode's text changed under the
        selection, by another process) said in the status bar, not raised."""
        try:
            return save(self.window, what, fn, self)
        except AiviewerError as exc:
            self.say(f"Not saved — {exc}", 0)
            return False, None

    def tag_selection(self) -> None:
        chosen = self._selection_or_warn()
        if chosen is None:
            return
        episode_id, span = chosen
        quote = self.reader.view.textCursor().selectedText()
        tags = self.library.tags()
        popup = TagPopup([t.name for t in tags], quote, self.window,
                         counts={t.name: t.count for t in tags})
        popup.anchor_at(selection_rect(self.reader.view))  # beside the passage, not on it
        if popup.exec() and popup.tag():
            tag = popup.tag()
            ok, a = self._save_annotation(
                f"The tag “{tag}”", lambda: self.library.annotate(episode_id, *span, tags=[tag]))
            if ok:
                self.panel.select(a.value.id)
                self.say(f"Tagged “{tag}” — saved", 3000)
        self.back_to_reader()

    def annotate_selection(self) -> None:
        chosen = self._selection_or_warn()
        if chosen is None:
            return
        episode_id, span = chosen
        editor = NoteEditor(self.reader.view.textCursor().selectedText(), parent=self.window)
        editor.anchor_at(selection_rect(self.reader.view))
        if editor.exec():
            note, tags = editor.note(), editor.tag_list()
            ok, a = self._save_annotation("The annotation", lambda: self.library.annotate(
                episode_id, *span, note_md=note, tags=tags))
            if ok:
                self.panel.select(a.value.id)
                self.say("Annotation saved", 3000)
            else:
                self._keep_typed(note)
        self.back_to_reader()

    def _keep_typed(self, note: str) -> None:
        """A note that could not be saved is not thrown away: it goes to the clipboard."""
        if note.strip():
            QApplication.clipboard().setText(note)
            self.say("Not saved — your note is on the clipboard", 0)  # until the next message

    def back_to_reader(self) -> None:
        """After a dialog: the window active again and the caret where it was."""
        self.focus(self.reader.view)

    def edit(self, a: Annotation) -> None:
        editor = NoteEditor(a.exact, a.note_md, ", ".join(a.tags), self.window)
        editor.anchor_at(self._span_rect(a))
        if editor.exec():
            note, new_tags = editor.note(), set(editor.tag_list())

            def write() -> Changes:
                done = Changes()
                with self.library.op("Edit annotation"):  # one OK, one undo step
                    if note != a.note_md:
                        done |= self.library.set_note(a.id, note)
                    for t in set(a.tags) - new_tags:
                        done |= self.library.untag([a.id], t)
                    for t in new_tags - set(a.tags):
                        done |= self.library.tag([a.id], t)
                return replace(done, undo_label="Edit annotation")
            ok, _ = save(self.window, "The annotation", write, self)
            if not ok:
                self._keep_typed(note)
            self.panel.select(a.id)
        # back where the user pressed e, so the next key (j, k, Ctrl+Z) goes somewhere
        self.focus_panel()

    def _span_rect(self, a: Annotation):
        """Where the annotation's passage is on the screen, if it is in view."""
        if a.episode_id != self.episode or a.start is None:
            return None
        s, e = self.reader.doc_position(a.start), self.reader.doc_position(a.end)
        return None if s is None or e is None else selection_rect(self.reader.view, (s, e))

    def handlers(self) -> dict:
        return {"delete_annotations": self.delete_selected}

    def delete_selected(self) -> None:
        """Annotate → Delete Selected Annotations: what the panel has selected."""
        chosen = self.panel.selected()
        if not chosen:
            self.say("Select annotations in the Annotations panel first (Ctrl+4).")
            return
        self.delete([a.id for a in chosen])

    def _name_delete_action(self) -> None:
        """The menu item says how many it deletes ("Delete 3 Selected Annotations")."""
        action = getattr(self.window, "actions_by_id", {}).get("delete_annotations")
        if action is not None:
            action.setText("&" + delete_annotations_text(len(self.panel.selected()),
                                                         title=True))

    def delete(self, ids: list[str]) -> None:
        ok, done = save(self.window, "Deleting the annotations",
                        lambda: self.library.delete_annotations(ids), self)
        if ok:
            self.say(f"Deleted {plural(done.value, 'annotation')} — Ctrl+Z to undo", 5000)

    def show_annotation(self, a: Annotation) -> None:
        if a.episode_id != self.episode:
            self.window.episodes.open(a.episode_id)
        if a.start is not None:
            self.reader.select_span(a.start, a.end)
        self.panel.select(a.id)
        self.reader.view.setFocus()

    def reattach(self) -> None:
        chosen = self.browser.selected_annotations() if self.browser else []
        a = self.panel.current() or (chosen[0] if chosen else None)
        chosen = self._selection_or_warn()
        if a is None or chosen is None:
            return
        episode_id, span = chosen
        save(self.window, "Re-attaching the annotation",
             lambda: self.library.reattach(a.id, *span, episode_id=episode_id), self)

    def undo(self) -> None:
        self._step(self.library.undo_label(), "Undo", "Undone", self.library.undo)

    def redo(self) -> None:
        self._step(self.library.redo_label(), "Redo", "Redone", self.library.redo)

    def _step(self, label: str | None, verb: str, done: str, fn) -> None:
        if label:
            # the step's `Changes` go to every view (`on_changes` of each controller):
            # the list, the reader, the panels and the entity re-matching follow
            ok, _ = save(self.window, f"{verb} {label}", fn, self)
            if ok:
                self.say(f"{done}: {label}")

    def _on_app_state(self, state) -> None:
        if state == Qt.ApplicationState.ApplicationActive and not self.window.closing:
            self.update_undo_actions()

    def update_undo_actions(self) -> None:
        actions = self.window.actions_by_id
        for key, label in (("undo", self.library.undo_label()),
                           ("redo", self.library.redo_label())):
            name = key.capitalize()
            actions[key].setText(f"&{name} {label}" if label else f"&{name}")
            actions[key].setEnabled(bool(label))

    def open_browser(self) -> None:
        if self.browser is None:
            self.browser = AnnotationBrowser(self.library, self.window)
            self.browser.open_requested.connect(self.show_annotation)
            self.browser.similar_requested.connect(
                lambda a: self.window.searching.similar_to(annotation_id=a.id))
        self.browser.refresh()
        self.browser.show()
        self.browser.raise_()
        self.browser.text.setFocus()

    def focus_panel(self) -> None:
        self.window.side.setCurrentWidget(self.panel)
        self.focus(self.panel.list)

    def export(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self.window, "Export annotations",
                                                   "annotations", ";;".join(EXPORT_FILTERS))
        if not path:
            return
        fmt, path = export_target(path, chosen)
        bom = fmt == "csv-bom"  # the same CSV, starting with a byte order mark
        try:
            self.library.export_annotations("csv" if bom else fmt, path, bom=bom)
        except AiviewerError as exc:
            QMessageBox.warning(self.window, "Export failed", str(exc))
            return
        self.say(f"Exported to {path}", 6000)

    def publish(self) -> None:
        """Write the Datasette metadata beside the library and show the command that
        serves it read-only (also put on the clipboard)."""
        import shlex

        try:
            path, argv = self.library.publish()
        except AiviewerError as exc:
            QMessageBox.warning(self.window, "Publish failed", str(exc))
            return
        command = shlex.join(argv)
        QApplication.clipboard().setText(command)
        box = QMessageBox(QMessageBox.Icon.Information, "Publish for Datasette",
                          f"Wrote {path}.\n\nServe the library read-only to your team with "
                          f"(copied to the clipboard; needs pip install datasette):\n\n"
                          f"{command}", QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("publish")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import annotations", "",
            "Annotations (*.jsonld *.json *.qdpx);;All files (*)")
        if not path:
            return
        try:
            ok, changes = save(self.window, "The imported annotations",
                               lambda: self.library.import_annotations(path), self)
        except AiviewerError as exc:
            QMessageBox.warning(self.window, "Import failed", str(exc))
            return
        if ok:
            QMessageBox.information(self.window, "Annotations imported", str(changes.value))


class _ClickOnAnnotation(QObject):
    """A click (no selection) on an annotated passage selects it in the panel."""

    def __init__(self, control: AnnotatingController):
        super().__init__(control)
        self.control = control

    def eventFilter(self, obj, event) -> bool:
        view = self.control.reader.view
        if event.type() == QEvent.Type.MouseButtonRelease and \
                not view.textCursor().hasSelection():
            pos = view.cursorForPosition(event.position().toPoint()).position()
            hits = self.control.reader.annotations_at(pos)
            if hits:
                self.control.window.side.setCurrentWidget(self.control.panel)
                self.control.panel.select(hits[-1].id)
        return False
