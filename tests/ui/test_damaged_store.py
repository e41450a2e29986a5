"""A damaged library file: the app says so and offers the automatic backup."""

from __future__ import annotations

from modal import when_modal
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from aiviewer.library import Library
from aiviewer.ui.app import open_library


def test_damaged_store_offers_the_backup_and_keeps_the_bad_file(qtbot, tmp_path):
    data = tmp_path / "lib"
    src = tmp_path / "talk.txt"
    src.write_text("Ada: hello about GRPO.\nBob: and DPO too.\nAda: indeed GRPO.\n",
                   encoding="utf-8")
    with Library(data) as lib:
        lib.import_paths([src])
        lib.daily_backup()
    # now damage the live file
    db = data / "library.sqlite"
    raw = bytearray(db.read_bytes())
    raw[:16] = b"this is not sqlt"
    db.write_bytes(bytes(raw))
    seen = {}

    def click_restore():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        restore = next(b for b in box.buttons() if b.text().startswith("Restore"))
        QTimer.singleShot(300, close_report)
        restore.click()

    def close_report():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen["report"] = box.text()
            box.accept()
        else:
            QTimer.singleShot(200, close_report)
    when_modal(click_restore)
    lib = open_library(str(data))
    assert lib is not None, "restored"
    assert "library.sqlite" in seen["text"]
    assert lib.counts()["episodes"] == 1
    assert seen["report"].startswith("Restored.")
    assert list(data.glob("library.damaged-*.sqlite")), "the damaged file is kept aside"
    lib.close()
