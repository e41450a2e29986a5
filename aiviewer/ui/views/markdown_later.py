"""The app's one safe Markdown renderer (`export/safe_markdown`), loaded on first use.

Loading it loads the markdown package (50–80 ms at start on this 2-core machine);
the window's first paint needs no note rendered, so the views that show notes call
through here rather than import it at the top."""

from __future__ import annotations


def to_html(text: str) -> str:
    from aiviewer.export.safe_markdown import to_html as render

    return render(text)


def to_text(text: str) -> str:
    from aiviewer.export.safe_markdown import to_text as render

    return render(text)
