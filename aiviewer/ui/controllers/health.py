"""The library file's health: the start-up check and daily backup, a damaged file
found, a read-only one, and asking the app to restore the newest backup."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox

from aiviewer.ui.controllers import Controller
from aiviewer.ui.tasks import thread_library


class HealthController(Controller):
    def show_read_only(self, reason: str) -> None:
        label = QLabel(f"Read-only: {reason}")
        label.setObjectName("read-only")
        label.setToolTip(f"{self.library.db_path} cannot be changed ({reason}); "
                         "reading, searching and exporting work, changes are refused.")
        self.window.statusBar().addPermanentWidget(label)
        self.window.read_only_label = label

    def check(self) -> None:
        """Ask SQLite whether the file is sound, then take the daily backup — on the
        writer thread, where a second of checking a large library holds nothing up.
        A damaged file is never backed up, and from then on never written."""
        data_dir = self.window.data_dir
        read_only = bool(self.library.read_only)

        def job(progress):
            lib = thread_library(data_dir)
            problem = lib.verify()
            backup = None if problem or read_only else lib.daily_backup()
            return problem, backup

        def done(result):
            problem, backup = result
            if problem and not self.closing:
                self.damage_found(problem)
            elif backup is not None:
                self.say("Daily backup saved")  # its file name is a timestamp: noise

        def failed(message):
            if not self.closing:
                self.say(f"Daily backup failed: {message}", 0)  # until the next message
        self.window.tasks.run_write(job, done, failed)

    def damage_found(self, problem: str) -> None:
        backups = self.library.backups()
        box = QMessageBox(QMessageBox.Icon.Critical, "Library damaged",
                          f"{self.library.db_path} is damaged: {problem}.", parent=self.window)
        box.setObjectName("damage-found")
        box.setInformativeText(
            "Nothing more is written to it, so changes cannot be saved now. "
            + ("Restoring the newest backup keeps everything that can still be read from "
               "the damaged file." if backups else "There is no backup of it."))
        restore = (box.addButton("Restore Newest Backup…", QMessageBox.ButtonRole.AcceptRole)
                   if backups else None)
        box.addButton("Keep Reading", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if restore is not None and box.clickedButton() is restore:
            self.request_restore(confirm=False)

    def request_restore(self, confirm: bool = True) -> None:
        """Close the window and have the app restore the newest backup, merge in what
        the current file still holds, and open again."""
        backups = self.library.backups()
        if not backups:
            return
        if confirm:
            answer = QMessageBox.question(
                self.window, "Restore Backup",
                f"Restore the backup {backups[0].name}?\n\nThe library closes, the current "
                "file is set aside (never deleted), everything that can still be read from "
                "it is merged into the backup, and the library opens again.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.window.restore_requested = True
        self.window.close()
