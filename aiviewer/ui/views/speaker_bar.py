"""A bar above the transcript while an episode's speakers have only a transcriber's
labels ("Speaker 1", "SPEAKER_00"): it says so and names them in one step.

A blind review read the Lex Fridman episode as "Speaker 1" and "Speaker 2" throughout,
without a hint that F2 names a speaker (and every turn of that speaker with it).  The bar
names the unnamed labels, has a button for each of the first few (the same rename as
F2, with the people the episode names offered: one button for the first speaker alone
left the others to F2, which a review missed), and goes away once every speaker has a
name, or for this episode when closed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from aiviewer.ingest.speakers import is_transcriber_label
from aiviewer.model import Episode
from aiviewer.wording import and_list

BUTTONS = 3  # at most this many speakers get a button; F2 names the rest


def unnamed_labels(episode: Episode) -> list[str]:
    """The episode's speaker labels, in order of first turn, whose shown name is still a
    transcriber's label."""
    out: list[str] = []
    for s in episode.segments:
        label = s.speaker_label
        if label and label not in out and is_transcriber_label(
                episode.speaker_names.get(label, label)):
            out.append(label)
    return out


def bar_text(episode: Episode, labels: list[str]) -> str:
    shown = [episode.speaker_names.get(x, x) for x in labels]
    who = and_list(shown if len(shown) <= 4 else [*shown[:3], f"{len(shown) - 3} more"])
    verb = "has" if len(shown) == 1 else "have"
    # short enough for one line beside the buttons at 1280 px (the F2 clause wrapped
    # to a second line of its own: review); the tooltip says it in full
    return f"{who} {verb} no name yet (<b>F2</b> in a turn)."


class SpeakerBar(QFrame):
    name_requested = Signal(str)  # the label to name

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("speakerBar")
        # a quiet band in the palette's colours, which follow a change of theme (a style
        # sheet of fixed colours stayed light on the dark theme, under light text)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.buttons: list[QPushButton] = []
        for _ in range(BUTTONS):
            button = QPushButton()
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, b=button: self.name_requested.emit(
                b.property("label")))
            self.buttons.append(button)
        self.close_button = QToolButton(text="✕")
        self.close_button.setToolTip("Hide for this episode")
        self.close_button.setAccessibleName("Hide the speaker bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.text, 1)
        for button in self.buttons:
            layout.addWidget(button)
        layout.addWidget(self.close_button)
        self.labels: list[str] = []
        self._episode_id: str | None = None
        self._closed: set[str] = set()
        self.close_button.clicked.connect(self._close)
        self.hide()

    def show_for(self, episode: Episode | None) -> None:
        """Shown while `episode` has unnamed speakers (and was not closed for it)."""
        self._episode_id = episode.id if episode is not None else None
        self.labels = unnamed_labels(episode) if episode is not None else []
        if not self.labels or self._episode_id in self._closed:
            self.hide()
            return
        self.text.setText(bar_text(episode, self.labels))
        self.text.setToolTip("A name given to a speaker label is used in all of its turns. "
                             "F2 in a turn names that turn's speaker; the buttons name the "
                             "first few.")
        for i, button in enumerate(self.buttons):
            label = self.labels[i] if i < len(self.labels) else None
            button.setVisible(label is not None)
            if label is not None:
                shown = episode.speaker_names.get(label, label)
                button.setText(f"Name {shown}…")
                button.setProperty("label", label)
                turns = sum(s.speaker_label == label for s in episode.segments)
                button.setToolTip(f"A name for {shown}, in all {turns} of their turns (F2 "
                                  "in a turn does the same)")
        self.show()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        p = QPainter(self)
        p.setPen(self.palette().color(QPalette.ColorRole.Mid))
        p.drawLine(0, self.height() - 1, self.width(), self.height() - 1)  # the band's edge
        p.end()

    def _close(self) -> None:
        if self._episode_id is not None:
            self._closed.add(self._episode_id)
        self.hide()
