"""Find in episode: the current match is told from the others at a glance — a
thicker outline, a bar under it and a tint over it (or the selection's colour, when it
is the selection), the others outlined only."""

from __future__ import annotations

from aiviewer.ui.views.marked_text import Mark, MarkedBrowser


def _warmth(image, rect) -> float:
    """How much redder than blue the box is on average (grey text on white: 0)."""
    r = rect.toRect().adjusted(1, 1, -1, -1)
    px = [image.pixelColor(x, y) for x in range(r.left(), r.right() + 1)
          for y in range(r.top(), r.bottom() + 1)]
    return sum(c.red() - c.blue() for c in px) / len(px)


def test_the_current_match_is_tinted_and_the_others_only_outlined(qtbot):
    view = MarkedBrowser()
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.setPlainText("the word here, then the word again")
    view.show()
    qtbot.waitExposed(view)
    first, second = (view.toPlainText().find("word", i) for i in (0, 10))
    view.set_marks([Mark(first, first + 4, "hit-current", "#d04020"),
                    Mark(second, second + 4, "hit", "#d04020")])
    image = view.viewport().grab().toImage()
    current = _warmth(image, view.line_rects(first, first + 4)[0])
    other = _warmth(image, view.line_rects(second, second + 4)[0])
    assert other < 15  # outlined only: inside, the text on the page (edges: ~7)
    assert current > 40  # tinted (~64; the thicker outline and bar alone: ~22)
    # selected, it takes the selection's colour instead: no tint over it
    from PySide6.QtGui import QTextCursor
    c = QTextCursor(view.document())
    c.setPosition(first)
    c.setPosition(first + 4, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(c)
    image = view.viewport().grab().toImage()
    assert _warmth(image, view.line_rects(first, first + 4)[0]) < current - 20


def test_the_wash_stays_beneath_an_entitys_tint_so_its_text_keeps_its_contrast(qtbot):
    """Laid over the letters, the wash brought a product chip's text to 3.2:1; beneath
    them, the chip's own tint covers it: a current match on a chip looks as a plain
    match on the same chip does, inside its outline."""
    from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor

    view = MarkedBrowser()
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.setPlainText("the word here, then the word again")
    fmt = QTextCharFormat()
    fmt.setBackground(QColor("#bed4eb"))  # a model chip's tint (light)
    fmt.setForeground(QColor("#004e90"))
    text = view.toPlainText()
    first, second = (text.find("word", i) for i in (0, 10))
    for at in (first, second):
        c = QTextCursor(view.document())
        c.setPosition(at)
        c.setPosition(at + 4, QTextCursor.MoveMode.KeepAnchor)
        c.mergeCharFormat(fmt)
    view.show()
    qtbot.waitExposed(view)
    view.set_marks([Mark(first, first + 4, "hit-current", "#d04020"),
                    Mark(second, second + 4, "hit", "#d04020")])
    image = view.viewport().grab().toImage()

    def warmth(at):  # across the middle of the box, clear of the outline and the bar
        r = view.line_rects(at, at + 4)[0]
        y = int(r.center().y())
        px = [image.pixelColor(x, y) for x in range(int(r.left()) + 2, int(r.right()) - 1)]
        return sum(c.red() - c.blue() for c in px) / len(px)

    # ~-78 both; over the letters the wash made the current one ~-8
    assert abs(warmth(first) - warmth(second)) < 10


def test_body_text_on_the_wash_keeps_aa_contrast_in_both_themes():
    from aiviewer.render import palette as p
    from aiviewer.ui.views.marked_text import CURRENT_HIT_TINT

    t = CURRENT_HIT_TINT / 255
    for theme in p.THEMES:
        s = p.SURFACES[theme]
        page, hit = p.rgb(s["page"]), p.rgb(s["hit"])
        wash = p.hex_colour(*(a * (1 - t) + b * t for a, b in zip(page, hit)))
        assert p.contrast(s["text"], wash) >= p.AA, theme
