"""Make the README's screenshots from the real app over the sample library.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python packaging/screenshots.py

(`make screenshots` does this.)  Writes PNGs to resources/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTextBrowser

from aiviewer.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))  # packaging/shots.py
from shots import OUT, sample_window, settle  # noqa: E402


def wait_for(app: QApplication, done, ms: int = 20000) -> None:
    end = QTimer()
    end.setSingleShot(True)
    end.start(ms)
    while end.isActive() and not done():
        app.processEvents()


def search_shots(app: QApplication, window: MainWindow) -> None:
    """The search popup with its facet chips, typed as a user types (Ctrl+K, GRPO),
    at 1280×720 and 1920×1080, light and dark."""
    for w, h in ((1280, 720), (1920, 1080)):
        window.resize(w, h)
        for theme in ("light", "dark"):
            window.apply_theme(theme)
            window.activateWindow()
            window.reader.view.setFocus()
            settle(app)
            QTest.keyClick(window.reader.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
            if not window.search.isVisible():  # no window manager to make the window active
                window.open_search()
            QTest.keyClicks(window.search.edit, "GRPO")
            wait_for(app, lambda: window.search.ranked and window.search.results.count() > 0)
            settle(app, ms=600)
            window.grab().save(str(OUT / f"search-{theme}-{w}.png"), "PNG", 0)
            QTest.keyClick(window.search.edit, Qt.Key.Key_Escape)
            QTest.keyClick(window.search.edit, Qt.Key.Key_Escape)
            settle(app)


def main() -> None:
    with sample_window() as (app, lib, window):
        window.resize(1500, 920)
        lex = next(e for e in lib.episodes() if e.video_id == "EV7WhVT270Q")
        for theme in ("light", "dark"):
            window.apply_theme(theme)
            window.open_episode(lex.id)
            window.reader.show_segment(window.reader.episode.segments[12].id)
            settle(app)
            # the list fills once the reader has painted, which a grab alone may not wait
            # for: wait until it shows the episode's suggestions (a reader's first glance)
            listed = window.entities.suggestion_list
            wanted = len(lib.suggestions(lex.id))
            wait_for(app, lambda listed=listed, wanted=wanted: listed.count() >= wanted)
            settle(app)
            window.grab().save(str(OUT / f"reader-{theme}.png"))
        window.apply_theme("light")
        search_shots(app, window)
        window.resize(1500, 920)
        window.apply_theme("light")
        window.entity_control.show_everywhere("DeepSeek")
        window.side.setCurrentWidget(window.entities)
        settle(app)
        window.grab().save(str(OUT / "entities.png"))
        ross = next(e for e in lib.episodes() if e.form == "apppage")
        window.open_episode(ross.id)
        first = lib.annotations(episode_id=ross.id)[0]
        window.annotating.show_annotation(first)
        window.side.setCurrentWidget(window.annotation_panel)
        settle(app)
        window.grab().save(str(OUT / "annotations.png"))
        window.annotating.open_browser()
        browser = window.annotating.browser
        browser.resize(1300, 560)
        settle(app)
        browser.grab().save(str(OUT / "annotation-browser.png"))
        browser.close()
        md = lib.export_annotations("markdown")
        view = QTextBrowser()
        view.resize(900, 900)
        view.document().setMarkdown(md)  # Qt's CommonMark reader (md4c), as GitHub reads it
        view.document().setDocumentMargin(24)
        view.show()
        settle(app)
        view.grab().save(str(OUT / "markdown-export.png"))
        (OUT / "markdown-export.md").write_text(md, encoding="utf-8")


if __name__ == "__main__":
    main()
