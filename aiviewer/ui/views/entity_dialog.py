"""Adding or editing one of the user's own entities (or aliases of a catalog one)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
)

from aiviewer.model import Entity
from aiviewer.ui.theme import KINDS


class EntityDialog(QDialog):
    def __init__(self, name: str = "", existing: Entity | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Edit Entity" if existing else "New Entity")
        self.name = QLineEdit(existing.canonical if existing else name)
        self.name.setAccessibleName("Entity name")
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        if existing and existing.kind in KINDS:
            self.kind.setCurrentText(existing.kind)
        self.aliases = QLineEdit(", ".join(existing.aliases) if existing else "")
        self.aliases.setPlaceholderText("other spellings, comma separated (e.g. Marin project)")
        self.description = QLineEdit(existing.description if existing else "")
        self.description.setPlaceholderText("one line: what it is")
        self.parent_name = QLineEdit((existing.parent or "") if existing else "")
        self.parent_name.setPlaceholderText("family, e.g. Claude for Claude Opus 4.5 (optional)")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Aliases", self.aliases)
        form.addRow("Description", self.description)
        form.addRow("Part of", self.parent_name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 220)

    def _accept(self) -> None:
        if self.name.text().strip():
            self.accept()

    def cli_args(self) -> list[str]:
        """`aiviewer entities add …` arguments for what was entered."""
        args = ["entities", "add", " ".join(self.name.text().split()),
                "--kind", self.kind.currentText()]
        for alias in (a.strip() for a in self.aliases.text().split(",")):
            if alias:
                args += ["--alias", alias]
        if self.description.text().strip():
            args += ["--description", self.description.text().strip()]
        if self.parent_name.text().strip():
            args += ["--parent", self.parent_name.text().strip()]
        return args
