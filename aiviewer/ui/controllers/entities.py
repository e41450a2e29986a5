"""Entities: the panel's stepping through mentions and "everywhere" list, the
user's own entities (new, edit, remove — each re-matches the episodes in a child
job), and bringing stale mentions up to date at start-up."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from aiviewer.changes import Changes
from aiviewer.model import MentionInContext
from aiviewer.ui.controllers import Controller
from aiviewer.ui.controllers.suggestions import SuggestionsController
from aiviewer.ui.views.entity_dialog import EntityDialog
from aiviewer.wording import family_breakdown, plural

EVERYWHERE_LIMIT = 500  # mentions listed at once; the heading counts them all


class EntitiesController(Controller):
    def __init__(self, window):
        super().__init__(window)
        self.panel = window.entities
        self.reader = window.reader
        self.refresher = None  # the start-up re-matching job
        self.editing = None  # the job of the last entity edit
        self.panel.entity_selected.connect(lambda name: self.step(name, 1))
        self.panel.step_requested.connect(self.step)
        self.panel.everywhere_requested.connect(self.show_everywhere)
        self.panel.mention_chosen.connect(self.open_mention)
        self.panel.kinds_toggled.connect(self.reader.set_hidden_kinds)
        self.panel.edit_requested.connect(self.edit)
        self.panel.remove_requested.connect(self.remove)
        self.reader.entity_clicked.connect(self.on_reader_entity)
        self.suggestions = SuggestionsController(window)

    # -- mentions -----------------------------------------------------------------------

    def focus_panel(self) -> None:
        self.window.side.setCurrentWidget(self.panel)
        self.panel.tree.setFocus()

    def on_reader_entity(self, canonical: str) -> None:
        self.window.side.setCurrentWidget(self.panel)
        self.panel.select(canonical)
        self.show_everywhere(canonical)

    def step_current(self, delta: int) -> None:
        if self.panel.current:
            self.step(self.panel.current, delta)

    def step(self, canonical: str, delta: int) -> None:
        total = self.reader.step_entity(canonical, delta)
        info = self.library.entity(canonical)
        self.panel.show_step(canonical, self.reader.entity_position() + 1, total,
                             info.description if info else "")

    def show_everywhere(self, canonical: str) -> None:
        mentions = self.library.entity_mentions(canonical, limit=EVERYWHERE_LIMIT)
        counts = self.library.entity_family_counts(canonical)
        self.panel.set_everywhere(canonical, mentions, sum(counts.values()),
                                  family_breakdown(canonical, counts, self.library.entity_kind))

    def open_mention(self, mention: MentionInContext) -> None:
        if not isinstance(mention, MentionInContext):
            return
        self.window.episodes.open(mention.episode_id)
        self.reader.show_segment(mention.segment_id, (mention.surface,))
        self.reader.view.setFocus()

    # -- the user's entities ------------------------------------------------------------

    def new(self) -> None:
        selected = self.reader.view.textCursor().selectedText().strip()
        dialog = EntityDialog(" ".join(selected.split())[:80], parent=self.window)
        if dialog.exec():
            name = dialog.name.text().strip()
            self._run(dialog.cli_args(), name)
        self.window.annotating.back_to_reader()

    def edit(self, canonical: str) -> None:
        dialog = EntityDialog(existing=self.library.entity(canonical), parent=self.window)
        if dialog.exec():
            name = dialog.name.text().strip()
            self._run(dialog.cli_args(), name)

    def remove(self, canonical: str) -> None:
        answer = QMessageBox.question(
            self.window, "Remove Entity", f"Stop highlighting “{canonical}” in every episode?"
            "\n\nA catalog entity is hidden (add it again to bring it back).")
        if answer == QMessageBox.StandardButton.Yes:
            self._run(["entities", "remove", canonical], canonical)

    def _run(self, args: list[str], name: str) -> None:
        """Re-matching every episode the names can touch is real work: a child job
        does it while the window stays usable.  The job saves the edit as one undo step
        in the library's history, which the window's Undo reads."""
        self.say(f"Updating entity highlights for “{name}”…", 0)  # until it is done
        job = self.editing = self.window.new_job(args)

        def done():
            if self.closing:
                return
            # the job saved the step and re-matched: every view redraws (and this
            # controller, the initiator, does not start a re-matching of its own)
            self.publish(self.library.forget_entities())
            if job.error is not None:
                self.window.statusBar().clearMessage()
                QMessageBox.warning(self.window, "Entity not saved", job.error)
            else:
                self.say(f"“{name}” saved; highlights updated — Ctrl+Z undoes it", 5000)
        job.finished.connect(done)
        job.start()

    # -- after a change, and at start-up --------------------------------------------------

    def on_changes(self, changes, initiator) -> None:
        """The user's entities changed elsewhere (an entity edit undone or redone):
        their mentions are stale, re-match them in the background, as at start."""
        if changes.entities and initiator is not self:
            self.refresh_stale()

    def refresh_stale(self) -> None:
        """Bring stale entity mentions up to date (the catalog or the user's entities
        changed since they were computed) in a child job: building the matcher is a
        second of work that would otherwise hold up this process."""
        job = self.refresher = self.window.new_job(["reindex", "--entities-if-stale"])

        def done():
            if self.closing:
                return
            n = job.result.get("episodes_rematched", 0) if isinstance(job.result, dict) else 0
            self.window.searching.prepare()
            if n:
                self.say(f"Entity highlights updated in {plural(n, 'episode')}", 5000)
                self.publish(Changes(mentions=True))  # the open episode's highlights follow
        job.finished.connect(done)
        job.start()
