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
        # the title as the row shows it: cut so that the where fits beside it (drawn
        # right-aligned on the first line, or after the title when too narrow)
        title, where_x, _where = delegate._fitting_title(row, width)
        doc.setHtml(_html(Row(title, row.where if where_x is None else "", row.body,
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
def test_a_long_title_is_cut_so_the_where_stays_whole_and_right_aligned(qtbot, width):
    """The where is a column at the right of the first line, whatever the title's
    length; a title too long for the room left is cut with an ellipsis."""
    view = QListWidget()
    qtbot.addWidget(view)
    delegate = RichRows(view)
    where = "Lucas Atkins · 1:06:28 · words + meaning"
    short = Row("How I write", where, SNIPPET, ())
    long = Row("Arcee AI is a startup I’ve found to be taking the most real approach to "
               "monetizing their open models", where, SNIPPET, ())
    where_w = view.fontMetrics().horizontalAdvance(where)
    for row in (short, long):
        layout, _height, where_x, _where = delegate._layout(row, width)
        assert where_x == width - where_w  # the same column for every row
        first = layout.lineAt(0)
        head = layout.text().split("\u2028")[0]
        assert where not in layout.text()
        assert first.textStart() + first.textLength() >= len(head)  # the title: line one
        assert first.naturalTextWidth() < where_x  # and clear of the where
    head = delegate._layout(long, width)[0].text().split("\u2028")[0]
    assert head.startswith(long.title[:10]) and head.endswith("…")


def test_a_narrow_row_keeps_the_where_after_the_title(qtbot):
    view = QListWidget()
    qtbot.addWidget(view)
    delegate = RichRows(view)
    row = Row("Interviewing Ross Taylor on the state of AI", "Nathan Lambert · 1:06:28 · "
              "words + meaning", SNIPPET, ())
    layout, _height, where_x, _where = delegate._layout(row, 200)
    assert where_x is None and row.where in layout.text().replace("\u2028", " ")


def test_marks_of_meaning_are_dashed_not_bold(qtbot):
    from PySide6.QtGui import QFont, QTextCharFormat

    view = QListWidget()
    qtbot.addWidget(view)
    delegate = RichRows(view)
    words = Row("A title", "", SNIPPET, ((3, 7),))
    near = Row("A title", "", SNIPPET, ((3, 7),), loose=True)
    [*_, mark] = delegate._layout(words, 400)[0].formats()
    [*_, dotted] = delegate._layout(near, 400)[0].formats()
    assert mark.format.fontWeight() == QFont.Weight.Bold and mark.format.fontUnderline()
    assert dotted.format.fontWeight() != QFont.Weight.Bold
    assert dotted.format.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline


def test_a_row_without_a_where_keeps_its_title_on_one_line(qtbot):
    view = QListWidget()
    qtbot.addWidget(view)
    delegate = RichRows(view)
    row = Row("Interviewing Ross Taylor on the state of AI: Chinese open models, scaling "
              "reasoning, useful tools, and what comes next", "", SNIPPET, ())
    layout = delegate._layout(row, 470)[0]
    head = layout.text().split("\u2028")[0]
    first = layout.lineAt(0)
    assert head.endswith("…") and first.textStart() + first.textLength() >= len(head)
