"""Screenshots of the visual system: the reader with search hits and an anchored tag
popover, an annotation with hits in it, and the command palette, light and dark, at
1280×720 and 1920×1080.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python packaging/popover_screenshots.py

(offscreen works too, but its 800×600 screen keeps popovers inside 800×600)

A popover is a window of its own; each picture is the main window with the popover's
own rendering (shadow included) laid over it where it opened — what a desktop with a
compositor shows.  Writes PNGs to resources/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter, QTextCursor

from aiviewer.ui.dialogs import CommandPalette
from aiviewer.ui.views.note_editor import TagPopup
from aiviewer.ui.views.popover import selection_rect

sys.path.insert(0, str(Path(__file__).resolve().parent))  # packaging/shots.py
from shots import OUT, sample_window, settle  # noqa: E402


def with_popover(window, popup, path: Path) -> None:
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(popup.pos() - window.mapToGlobal(QPoint(0, 0)), popup.grab())
    painter.end()
    shot.save(str(path), "PNG", 0)  # 0: the most compression (lossless)


def select(window, phrase: str, nth: int = 0) -> None:
    view = window.reader.view
    doc = view.document()
    found = doc.find(phrase, window.reader.doc_position(0))
    for _ in range(nth):
        found = doc.find(phrase, found)
    c = QTextCursor(doc)
    c.setPosition(found.selectionStart())
    c.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(c)
    window.reader.center_on(c)


def main() -> None:
    with sample_window() as (app, lib, window):
        ross = next(e for e in lib.episodes() if e.form == "apppage")
        for w, h in ((1280, 720), (1920, 1080)):
            window.resize(w, h)
            for theme in ("light", "dark"):
                window.apply_theme(theme)
                window.open_episode(ross.id)
                window.side.setCurrentWidget(window.annotation_panel)
                window.reader.open_find()
                window.reader.findbar.edit.setText("Scale")
                select(window, "Hugging Face", 2)
                settle(app)
                tags = lib.tags()
                popup = TagPopup([t.name for t in tags],
                                 window.reader.view.textCursor().selectedText(), window,
                                 counts={t.name: t.count for t in tags})
                popup.anchor_at(selection_rect(window.reader.view))
                popup.show()
                popup.edit.setText("orgs/")
                settle(app)
                with_popover(window, popup, OUT / f"popover-{theme}-{w}.png")
                popup.close()
                if w == 1280:
                    palette = CommandPalette(window.actions_by_id, window)
                    palette.show()
                    palette.edit.setText("an")
                    settle(app)
                    with_popover(window, palette, OUT / f"palette-{theme}.png")
                    palette.close()
                # an annotation (margin bar, quiet fill) with search hits (outlines) in it
                window.reader.findbar.edit.setText("Papers with Code")
                first = lib.annotations(episode_id=ross.id)[0]
                window.annotating.show_annotation(first)
                window.reader.clear_selection()  # the selection would hide the fill
                settle(app)
                window.grab().save(str(OUT / f"marks-{theme}-{w}.png"), "PNG", 0)
                window.reader.findbar.edit.clear()
                window.reader.close_find()


if __name__ == "__main__":
    main()
