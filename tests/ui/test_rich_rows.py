"""Search result rows laid out by one QTextLayout each: the same lines and heights
the HTML rows (a QTextDocument per row) had, and their text taken as text."""

from __future__ import annotations

from html import escape

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QListWidget

from aiviewer.ui.views.rich_rows import MARGIN_Y, ROW, RichRows, Row, add_row

SNIPPET = ("So GRPO, group relative policy optimization, drops the value model and "
           "compares each sampled answer with the others in its group; the advantage "
           "is the reward less the group's mean, over its spread.")


def _html(row: Row) -> str:
    """The HTML the rows were drawn from before (search_rows.hit_html)."""
    body, pos = [], 0
    for a, b in row.marks:
        body += [escape(row.body[pos:a]), f"<b><u>{escape(row.body[a:b])}</u></b>"]
        pos = b
    body.append(escape(row.body[pos:]))
    where = f' &nbsp;<span style="color:gray">{escape(row.where)}</span>' if row.where else ""
    return f"<div><b>{escape(row.title)}</b>{where}<br>{''.join(body)}</div>"


@pytest.mark.parametrize("width", [200, 330, 470, 900])
def test_a_row_is_as_tall_as_its_html_was(qtbot, width):
    view = QListWidget()
    qtbot.addWidget(view)
    rows = [Row("Interviewing Ross Taylor on the state of AI", "Nathan Lambert · 1:06:28",
                SNIPPET, ((3, 7), (9, 44))),
            Row("A title", "", "one line", ()),
            Row("<b>not bold</b> & a title with markup", "heard as ‘cloud code’",
                "<i>raw</i> text\nover two lines", ((0, 3),))]
    delegate = RichRows(view)
    for row in rows:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(view.font())
        # the title as the row shows it: cut so that the where fits after it
        doc.setHtml(_html(Row(delegate._fitting_title(row, width), row.where, row.body,
                              row.marks)))
        doc.setTextWidth(width)
        assert delegate._layout(row, width)[1] == int(doc.size().height()), row.title


def test_rows_keep_their_text_as_text(qtbot):
    view = QListWidget()
    qtbot.addWidget(view)
    RichRows(view)
    row = Row("<b>title</b>", "where", "a <script> body", ((2, 10),))
    item = add_row(view, row, "plain", None)
    assert item.data(ROW) == row  # the object itself, not turned into a list
    assert row.text() == "<b>title</b> \u00a0where\u2028a <script> body"
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    assert view.visualItemRect(item).height() > 2 * MARGIN_Y + view.fontMetrics().height()


@pytest.mark.parametrize("width", [470, 600, 900])
def test_a_long_title_is_cut_so_the_where_stays_whole_on_the_first_line(qtbot, width):
    view = QListWidget()
    qtbot.addWidget(view)
    delegate = RichRows(view)
    where = "Lucas Atkins · 1:06:28 · words + meaning"
    row = Row("Arcee AI is a startup I’ve found to be taking the most real approach to "
              "monetizing their open models", where, SNIPPET, ())
    layout = delegate._layout(row, width)[0]
    first = layout.lineAt(0)
    head = layout.text().split("\u2028")[0]
    assert head.endswith(where)
    assert first.textStart() + first.textLength() >= len(head)  # all of it on line one
    if len(head) < len(row.title) + len(where) + 2:
        assert head.startswith(row.title[:10]) and "…" in head
