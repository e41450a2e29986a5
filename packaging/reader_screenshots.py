"""The README's reading screenshots: the reader with its minimap and the Outline tab,
at 1280×720 and 1920×1080, light and dark, from the real window over the sample
library (an annotation, a find and a chosen entity, so every minimap lane shows).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/reader_screenshots.py

(`make screenshots` runs it too.)  Writes PNGs to resources/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # packaging/shots.py
from shots import OUT, sample_window, settle  # noqa: E402


def _ross(lib):
    return next(e for e in lib.episodes() if e.form == "apppage" and e.duration_ms)


def _annotate(lib) -> None:
    """Two annotations in the Ross Taylor interview, so the minimap shows them."""
    ross = _ross(lib)
    text = lib.episode(ross.id).text
    for quote, tag in (("Papers with Code", "orgs/Papers with Code"),
                       ("reasoning", "method/reasoning")):
        at = text.find(quote, len(text) // 3 if tag.startswith("method") else 0)
        lib.annotate(ross.id, at, at + len(quote), tags=[tag])


def main() -> None:
    with sample_window(_annotate) as (app, lib, window):
        ross = _ross(lib)
        for width, height in ((1920, 1080), (1280, 720)):
            for theme in ("light", "dark"):
                window.resize(width, height)
                window.apply_theme(theme)
                window.open_episode(ross.id)
                window.reader.view.verticalScrollBar().setValue(0)
                window.entity_control.step("Galactica", 1)
                window.reading.focus_panel()
                window.reading.jump(window.reading.panel.entries()[2])
                settle(app, window)
                # the find last, as a user types it after jumping: its current match is
                # the first after the chapter's start, scrolled into view and outlined
                # (done before the jump, "5 of 16" was left above the chapter, unseen;
                # cleared first: the same text again runs no find)
                window.reader.open_find()
                window.reader.findbar.edit.clear()
                window.reader.findbar.edit.setText("RLHF")
                settle(app, window)
                window.grab().save(str(OUT / f"reader-outline-{width}-{theme}.png"))


if __name__ == "__main__":
    main()
