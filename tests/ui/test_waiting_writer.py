"""A window write that meets another writer's lock (a large import in a child
process) waits where the user can see it and keeps the change, then saves it the
moment the lock is free — it neither freezes the window nor loses what was typed."""

from __future__ import annotations

import sqlite3
import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog

from aiviewer.library import Library
from aiviewer.ui.saving import save


def test_a_write_blocked_by_another_writer_waits_visibly_then_saves(qtbot, tmp_path):
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen.\nBob: and DPO on Llama.\n", encoding="utf-8")
    with Library(tmp_path / "lib") as lib:
        lib.import_paths([src])
    from aiviewer.ui.main_window import MainWindow

    window = MainWindow(Library(tmp_path / "lib"))
    qtbot.addWidget(window)
    eid = window.library.episodes()[0].id
    # another process's long write transaction, played by a plain connection
    other = sqlite3.connect(tmp_path / "lib" / "library.sqlite", isolation_level=None,
                            check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    seen = {}

    def release():
        time.sleep(1.5)
        other.execute("COMMIT")

    def look():
        box = QApplication.activeModalWidget()
        if isinstance(box, QProgressDialog):
            seen["waiting"] = box.findChild(QLabel).text()
            poll.stop()
    poll = QTimer()
    poll.timeout.connect(look)
    poll.start(50)
    threading.Thread(target=release, daemon=True).start()
    ok, a = save(window, "The annotation",
                 lambda: window.library.annotate(eid, 0, 5, note_md="typed with care").value)
    assert ok and a is not None
    assert "an import is writing" in seen["waiting"].lower()
    assert [x.note_md for x in window.library.annotations()] == ["typed with care"]
    other.close()
    window.close()
    window.library.close()
