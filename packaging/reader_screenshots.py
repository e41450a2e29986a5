"""The README's reading screenshots: the reader with its minimap and the Outline tab,
at 1280×720 and 1920×1080, light and dark, from the real window over the sample
library (an annotation, a find and a chosen entity, so every minimap lane shows).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/reader_screenshots.py

(`make screenshots` runs it too.)  Writes PNGs to resources/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from aiviewer.library import Library
from aiviewer.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))  # packaging/shots.py
from shots import OUT, settle  # noqa: E402


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(Path(tmp) / "lib")
        lib.import_seeds()
        ross = next(e for e in lib.episodes() if e.form == "apppage" and e.duration_ms)
        text = lib.episode(ross.id).text
        for quote, tag in (("Papers with Code", "orgs/Papers with Code"),
                           ("reasoning", "method/reasoning")):
            at = text.find(quote, len(text) // 3 if tag.startswith("method") else 0)
            lib.annotate(ross.id, at, at + len(quote), tags=[tag])
        settings = QSettings(str(Path(tmp) / "w.ini"), QSettings.Format.IniFormat)
        window = MainWindow(lib, settings)
        window.show()
        for width, height in ((1920, 1080), (1280, 720)):
            for theme in ("light", "dark"):
                window.resize(width, height)
                window.apply_theme(theme)
                window.open_episode(ross.id)
                window.reader.view.verticalScrollBar().setValue(0)
                window.entity_control.step("Galactica", 1)
                window.reader.open_find()
                window.reader.findbar.edit.setText("RLHF")
                window.reading.focus_panel()
                window.reading.jump(window.reading.panel.entries()[2])
                settle(app, window)
                window.grab().save(str(OUT / f"reader-outline-{width}-{theme}.png"))
        window.close()
        lib.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
