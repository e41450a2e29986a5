"""What every screenshot script shares: where the PNGs go, waiting for the window to
settle, and the README's sample annotations over the sample library."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from aiviewer.library import Library

OUT = Path(__file__).resolve().parents[1] / "resources" / "screenshots"


def settle(app: QApplication, window=None, ms: int = 400) -> None:
    """Let the window finish its background reads (when given) and paint for `ms`."""
    if window is not None:
        window.tasks.wait()
    end = QTimer()
    end.setSingleShot(True)
    end.start(ms)
    while end.isActive():
        app.processEvents()


def annotate(lib: Library) -> None:
    """The sample annotations the README's pictures show."""
    lex = next(e for e in lib.episodes() if e.video_id == "EV7WhVT270Q")
    ross = next(e for e in lib.episodes() if e.form == "apppage")
    for ep_id, quote, tags, note in (
        (lex.id, "the openweight Chinese company DeepSeek released Deepseek R1",
         ["models/open-weight", "events/DeepSeek moment"],
         "The **DeepSeek moment**: cheap training, open weights. Compare with Kimi K2."),
        (lex.id, "inference time scaling", ["method/RL/inference-time"], ""),
        (ross.id, "Papers with Code was the thing that didn't die for us",
         ["orgs/Papers with Code"], "Origin story — *organic traffic* as growth engine."),
        (ross.id, "we saw them as competitors", ["orgs/Hugging Face"], ""),
    ):
        text = lib.episode(ep_id).text
        at = text.find(quote)
        if at >= 0:
            lib.annotate(ep_id, at, at + len(quote), note_md=note, tags=tags)


@contextmanager
def sample_window(prepare: Callable[[Library], None] | None = annotate):
    """The app's window over a fresh sample library — the seeds imported, then
    `prepare(lib)` (the README's annotations by default) — shown at the screen's
    corner; closed afterwards.  Yields (app, library, window)."""
    from aiviewer.ui.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(Path(tmp) / "lib")
        lib.import_seeds()
        if prepare is not None:
            prepare(lib)
        settings = QSettings(str(Path(tmp) / "w.ini"), QSettings.Format.IniFormat)
        window = MainWindow(lib, settings)
        window.move(0, 0)
        window.show()
        try:
            yield app, lib, window
        finally:
            window.close()
            lib.close()
    print(f"screenshots in {OUT}")
