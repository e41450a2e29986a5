"""The episode details form: title, show, date, URL and description as the user
wants them shown (their values are kept over what files say)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

FIELDS = ("title", "show", "date", "url", "description")


class DetailsDialog(QDialog):
    def __init__(self, details: dict, shows: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Episode Details")
        self.resize(640, 420)
        self.title = QLineEdit(details["title"] or "")
        self.show_box = QComboBox(editable=True)
        self.show_box.addItems(shows)
        # suggestions in a list below, never typed into the field: a new show may
        # be a prefix of an old one ("Lex Fridman" beside "Lex Fridman Podcast")
        completer = QCompleter(shows, self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.show_box.setCompleter(completer)
        self.show_box.setCurrentText(details["show"] or "")
        self.date = QLineEdit(details["date"] or "", placeholderText="2025-03-14")
        self.url = QLineEdit(details["url"] or "", placeholderText="https://…")
        self.description = QPlainTextEdit(details["description"] or "")
        edited = set(details.get("edited", ()))
        form = QFormLayout(self)
        for name, widget in zip(FIELDS, (self.title, self.show_box, self.date, self.url,
                                         self.description), strict=True):
            label = name.capitalize() if name != "url" else "URL"
            form.addRow(f"&{label}{' (yours)' if name in edited else ''}:", widget)
        form.addRow(QLabel("What you set here is kept when the episode is imported again; "
                           "Ctrl+Z undoes it."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        self.title.setFocus()
        self.title.selectAll()

    def values(self) -> dict[str, str]:
        return {"title": self.title.text(), "show": self.show_box.currentText(),
                "date": self.date.text(), "url": self.url.text(),
                "description": self.description.toPlainText()}
