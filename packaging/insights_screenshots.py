"""The README's Insights screenshots, from the real window over the sample library.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/insights_screenshots.py

(`make screenshots` runs it too.)  Writes PNGs to resources/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # packaging/shots.py
from shots import OUT, sample_window, settle  # noqa: E402

ROSS_TAYLOR = "t-337583a487"


def main() -> None:
    with sample_window(None) as (app, lib, window):
        shots = (
            ("light", "insights-light.png", "library", "Top entities", "model", "", "Kimi"),
            ("dark", "insights-dark.png", "library", "Said together (PMI)", "all kinds", "",
             ("Reinforcement learning", "DeepSeek")),
            ("light", "insights-speakers.png", f"episode:{ROSS_TAYLOR}", "Speakers × entities",
             "all kinds", "", ("Ross Taylor", "AlphaEvolve")),
            ("dark", "insights-grpo-dark.png", "library", "Said together (PMI)", "all kinds",
             "GRPO", ("GRPO", "DeepSeek")),
            ("dark", "insights-speakers-dark.png", f"episode:{ROSS_TAYLOR}",
             "Speakers × entities", "all kinds", "", ("Ross Taylor", "AlphaEvolve")),
        )
        for theme, name, scope, chart, kind, entity, mark in shots:
            window.apply_theme(theme)
            if scope.startswith("episode:"):
                window.open_episode(scope.split(":", 1)[1])  # offered as "This episode"
            window.insight_control.open()
            view = window.insight_control.view
            view.resize(1300, 880)
            view.scope.setCurrentIndex(view.scope.findData(scope))
            view.kind.setCurrentText(kind)
            view.entity.setText(entity)
            view.choose(chart)
            view.refresh()
            settle(app, window)
            data = view.chart_data
            cell = data.cell(*mark) if isinstance(mark, tuple) else data.cell(mark, kind)
            if cell is not None:
                view.show_cell(cell)
            settle(app, window)
            view.grab().save(str(OUT / name))
            print(name, data.title, "—", view.notes.text())


if __name__ == "__main__":
    main()
