"""Correcting the open transcript from the keyboard: split the turn at the caret (S),
assign the turn or the selected turns to a speaker (P), merge the turn with the one
before (M), rename a speaker in one step (F2).  The library stores each as the
user's edit and one undo step; the reader is redrawn where it was."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog

from aiviewer.errors import AiviewerError
from aiviewer.ui.controllers import Controller
from aiviewer.ui.saving import save


class TurnsController(Controller):
    def __init__(self, window):
        super().__init__(window)
        # the bar over a transcript whose speakers have no names: its button names one
        window.reader.speaker_bar.name_requested.connect(self.rename_label)

    # -- where the caret is ----------------------------------------------------------------

    def _caret(self) -> tuple[str, int] | None:
        """(episode id, offset of the caret in the episode's text), or None."""
        reader = self.window.reader
        episode_id = self.window.episodes.current
        if episode_id is None or reader.episode is None:
            return None
        offset = reader.text_offset(reader.view.textCursor().position())
        if offset is None:  # on a speaker line: the turn's text starts on the next block
            c = QTextCursor(reader.view.textCursor())
            c.movePosition(QTextCursor.MoveOperation.NextBlock)
            offset = reader.text_offset(c.position())
        if offset is None:
            self.say("Put the caret in a turn first (arrow keys in the reader).")
            return None
        return episode_id, offset

    def _selected_turns(self, episode_id: str, offset: int) -> list[int]:
        c = self.window.reader.view.textCursor()
        if not c.hasSelection():
            return [self.library.turn_at(episode_id, offset)[0]]
        start = self._offset_near(c.selectionStart(), QTextCursor.MoveOperation.NextBlock)
        end = self._offset_near(c.selectionEnd(), QTextCursor.MoveOperation.PreviousBlock)
        if start is None or end is None or end < start:
            return [self.library.turn_at(episode_id, offset)[0]]
        first = self.library.turn_at(episode_id, start)[0]
        last = self.library.turn_at(episode_id, max(start, end - 1))[0]
        return list(range(first, last + 1))

    def _offset_near(self, position: int, step) -> int | None:
        """The text offset of a document position; on a speaker line or a heading,
        of the nearest text in the direction `step` (a selection's edges)."""
        reader = self.window.reader
        c = QTextCursor(reader.view.document())
        c.setPosition(position)
        for _ in range(4):
            offset = reader.text_offset(c.position())
            if offset is not None:
                return offset
            if not c.movePosition(step):
                break
            if step == QTextCursor.MoveOperation.PreviousBlock:
                c.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        return None

    # -- the edits -----------------------------------------------------------------------

    def split_turn(self) -> None:
        where = self._caret()
        if where is None:
            return
        episode_id, offset = where
        seq, pos = self.library.turn_at(episode_id, offset)
        if self._apply("Splitting the turn",
                       lambda: self.library.split_turn(episode_id, seq, pos), None):
            # the caret to the new turn's first word: P assigns it at once
            self.window.reader.place_caret(self.window.reader.episode.segments[seq + 1].char_start)

    def merge_turn(self) -> None:
        where = self._caret()
        if where is None:
            return
        episode_id, offset = where
        seq, pos = self.library.turn_at(episode_id, offset)
        self._apply("Merging the turns", lambda: self.library.merge_turn(episode_id, seq),
                    offset)

    def assign_speaker(self) -> None:
        where = self._caret()
        if where is None:
            return
        episode_id, offset = where
        seqs = self._selected_turns(episode_id, offset)
        names = self.library.speaker_suggestions(episode_id)
        what = f"turn {seqs[0] + 1}" if len(seqs) == 1 else f"{len(seqs)} turns"
        current = self.window.reader.episode.segments[seqs[0]].speaker
        name, ok = QInputDialog.getItem(
            self.window, "Assign Speaker", f"Who speaks in {what}?", names,
            names.index(current) if current in names else 0, True)
        name = " ".join(name.split())
        if ok and name:
            self._apply(f"Assigning {what}", lambda: self.library.assign_speaker(
                episode_id, seqs, name), offset)
        self.focus(self.window.reader.view)

    def rename_speaker(self) -> None:
        """F2: the speaker of the turn at the caret (else the episode's first) gets a
        name, typed or picked from the suggestions, everywhere in the episode."""
        if self.window.library_view.list.hasFocus():
            self.window.details.edit()  # F2 on a library row edits the episode's details
            return
        episode_id = self.window.episodes.current
        ep = self.window.reader.episode
        if episode_id is None or ep is None:
            return
        reader = self.window.reader
        offset = reader.text_offset(reader.view.textCursor().position())
        label = next((s.speaker_label for s in ep.segments if s.speaker_label and (
            offset is None or s.char_start <= offset <= s.char_end)), None)
        label = label or next((s.speaker_label for s in ep.segments if s.speaker_label), None)
        if label is None:
            self.say("This episode has no speakers.")
            return
        self.rename_label(label, offset)

    def rename_label(self, label: str, offset: int | None = None) -> None:
        """The speaker `label` of the open episode gets a name, typed or picked from the
        suggestions, everywhere in the episode (F2, and the speaker bar's button)."""
        episode_id = self.window.episodes.current
        ep = self.window.reader.episode
        if episode_id is None or ep is None:
            return
        reader = self.window.reader
        turns = sum(s.speaker_label == label for s in ep.segments)
        names = self.library.speaker_suggestions(episode_id)
        shown = ep.speaker_names.get(label, label)
        name, ok = QInputDialog.getItem(
            self.window, "Rename Speaker",
            f"Name for {shown} ({turns} turn{'s' if turns != 1 else ''}):",
            names, names.index(shown) if shown in names else 0, True)
        name = " ".join(name.split())
        if ok and name and name != shown:
            self._apply(f"The name “{name}”", lambda: self.library.rename_speaker(
                episode_id, label, name), offset)
        self.focus(reader.view)

    def _apply(self, what: str, fn, offset: int | None) -> bool:
        try:  # the reader and the list redraw from the change (`on_changes`)
            ok, changes = save(self.window, what, fn, self)
        except AiviewerError as exc:
            self.say(str(exc), 6000)
            return False
        if not ok:
            return False
        if offset is not None:
            self.window.reader.place_caret(offset)
        self.say(f"{changes.undo_label} — saved")
        return True
