"""A bar above the transcript while an episode's speakers have only a transcriber's
labels ("Speaker 1", "SPEAKER_00"): it says so and names them in one step.

A blind review read the Lex Fridman episode as "Speaker 1" and "Speaker 2" throughout,
without a hint that F2 names a speaker (and every turn of that speaker with it).  The bar
names the unnamed labels, offers the first one's rename (the same dialog as F2, with the
people the episode names offered), and goes away once every speaker has a name, or for
this episode when closed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from aiviewer.ingest.speakers import is_transcriber_label
from aiviewer.model import Episode
from aiviewer.wording import and_list


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
    return f"{who} {verb} no name yet — <b>F2</b> in a turn names its speaker."


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
        self.button = QPushButton()
        self.button.setAutoDefault(False)
        self.close_button = QToolButton(text="✕")
        self.close_button.setToolTip("Hide for this episode")
        self.close_button.setAccessibleName("Hide the speaker bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.labels: list[str] = []
        self._episode_id: str | None = None
        self._closed: set[str] = set()
        self.button.clicked.connect(lambda: self.labels and self.name_requested.emit(
            self.labels[0]))
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
        first = episode.speaker_names.get(self.labels[0], self.labels[0])
        self.button.setText(f"Name {first}…")
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
