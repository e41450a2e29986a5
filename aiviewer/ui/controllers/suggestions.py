"""Suggestions: names heard below the matcher's confidence bar, shown quietly in the
reader and listed in the entity panel, which the reader confirms or rejects from the
keyboard.  Each decision is a `Library` operation (one undo step) that re-matches the
episodes it touches in this process: it never rebuilds the matcher, so it takes a
moment, not a child job.  The matcher itself (a second or more to build) is built on the
reader thread as soon as an episode with suggestions opens."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from aiviewer.model import Suggestion
from aiviewer.ui.controllers import Controller
from aiviewer.ui.saving import save
from aiviewer.ui.tasks import thread_library
from aiviewer.ui.views import popover
from aiviewer.wording import plural


class SuggestionsController(Controller):
    def __init__(self, window):
        super().__init__(window)
        self.reader = window.reader
        self.panel = window.entities.suggestion_list
        self.panel.confirm_requested.connect(lambda s: self.confirm(s.surface, s.entity,
                                                                    from_panel=True))
        self.panel.reject_requested.connect(lambda s: self.reject(s.surface, s.entity,
                                                                  from_panel=True))
        self.panel.open_requested.connect(self.show)
        self._warming = False

    def handlers(self) -> dict:
        """The window's actions for suggestions (`ui/actions.py`)."""
        return {"next_suggestion": lambda: self.step(1),
                "previous_suggestion": lambda: self.step(-1),
                "confirm_suggestion": self.confirm_at_caret,
                "reject_suggestion": self.reject_at_caret}

    def show_list(self, found: list[Suggestion]) -> None:
        """An episode opened: list its suggestions, and when there are some, build the
        matcher a decision needs on the reader thread meanwhile.  The list is filled
        once the reader has painted the episode (or as soon as it is used)."""
        self.panel.set_later(found)
        self.reader.after_paint.then(self.panel.flush)
        if found and not self.library.has_matcher and not self._warming:
            self._warming = True
            data_dir = self.window.data_dir

            def adopt(matcher) -> None:
                self._warming = False
                self.library.adopt_matcher(matcher)
            def build(progress):
                lib = thread_library(data_dir)
                lib.forget_entities()  # as the library's entities are now
                return lib.matcher
            self.window.tasks.run_read(build, adopt,
                                       lambda message: setattr(self, "_warming", False))

    # -- the reader ---------------------------------------------------------------------

    def step(self, delta: int) -> None:
        total = self.reader.step_suggestion(delta)
        if not total:
            self.say("No suggestions in this episode")
            return
        at = self.reader.suggestion_at_caret()
        if at is not None:
            canonical, surface = at
            # the panel lists each spelling once; the reader steps through every place
            self.say(f"Heard as “{surface}” — {canonical}? Y confirms, X rejects "
                     f"(G / Shift+G: {plural(total, 'place')} with a suggestion in this "
                     "episode)", 8000)

    def confirm_at_caret(self) -> None:
        at = self.reader.suggestion_at_caret()
        if at is None:
            self.say("Put the caret on a suggestion first (S steps to the next one)")
            return
        self.confirm(at[1], at[0])

    def reject_at_caret(self) -> None:
        at = self.reader.suggestion_at_caret()
        if at is None:
            self.say("Put the caret on a suggestion first (S steps to the next one)")
            return
        self.reject(at[1], at[0])

    def show(self, suggestion: Suggestion) -> None:
        """A suggestion chosen in the panel: select it in the reader."""
        if not isinstance(suggestion, Suggestion):
            return
        self.reader.select_span(suggestion.char_start,
                                suggestion.char_start + len(suggestion.surface))

    # -- deciding -----------------------------------------------------------------------

    def ask_scope(self, surface: str, canonical: str) -> str | None:
        """'library', 'episode' or None (cancelled); Enter takes the whole library."""
        box = QMessageBox(QMessageBox.Icon.Question, "Confirm Suggestion",
                          f"“{surface}” is {canonical}.\n\nEverywhere in the library (the "
                          "spelling becomes an alias), or only in this episode?",
                          parent=self.window)
        library = box.addButton("Whole &Library", QMessageBox.ButtonRole.AcceptRole)
        episode = box.addButton("This &Episode", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(library)
        if self.reader.view.hasFocus():  # asked from the reader: beside the name, not on it
            popover.move_beside(box, popover.caret_rect(self.reader.view))
        box.exec()
        clicked = box.clickedButton()
        return "library" if clicked is library else "episode" if clicked is episode else None

    def confirm(self, surface: str, canonical: str, from_panel: bool = False) -> None:
        episode_id = self.window.current_episode
        scope = self.ask_scope(surface, canonical)
        self._back(from_panel)
        if scope is None or episode_id is None:
            return
        where = episode_id if scope == "episode" else None
        self._decide(f"Confirm “{surface}”", lambda: self.library.confirm_suggestion(
            surface, canonical, where), f"“{surface}” is {canonical} "
            + ("in this episode" if where else "everywhere"), from_panel)

    def reject(self, surface: str, canonical: str, from_panel: bool = False) -> None:
        self._decide(f"Reject “{surface}”", lambda: self.library.reject_suggestion(
            surface, canonical), f"“{surface}” is not {canonical}", from_panel)

    def _decide(self, what: str, fn, said: str, from_panel: bool) -> None:
        ok, changes = save(self.window, what, fn, self)  # the views redraw: `on_changes`
        if not ok:
            return
        self.say(f"{said} — Ctrl+Z undoes it", 6000)
        self._back(from_panel)

    def _back(self, from_panel: bool) -> None:
        self.focus(self.panel.list if from_panel else self.reader.view)

    def on_changes(self, changes, initiator) -> None:
        """Mentions re-matched (a decision, its undo, an entity edit, the start-up
        re-matching): the open episode's highlights and lists follow, in place.  No
        episode named means any episode."""
        current = self.window.current_episode
        if changes.mentions and (not changes.episodes or current in changes.episodes):
            self.refresh()

    def refresh(self) -> None:
        """The open episode's mentions or suggestions changed: the reader re-renders in
        place, the entity panel lists what is left."""
        episode_id = self.window.current_episode
        if episode_id is None or not self.library.episode_exists(episode_id):
            return
        self.reader.update_mentions(self.library.segment_mentions(episode_id, suggestions=True))
        self.window.entities.set_entities(self.library.episode_entities(episode_id))
        self.panel.set_suggestions(self.library.suggestions(episode_id))
