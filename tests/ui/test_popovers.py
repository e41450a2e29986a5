"""Popovers open beside the passage they act on (below it, above it at the bottom edge),
framed, inside the window; the command palette is centred; the reader's marks are
outlines and margin bars, not fills."""

from __future__ import annotations

from modal import when_modal
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication

from aiviewer.ui.views import popover
from aiviewer.ui.views.marked_text import KIND
from tests.ui.conftest import focused

# -- the geometry alone ------------------------------------------------------------------

SCREEN = QRect(0, 0, 1280, 720)


def test_place_goes_below_the_anchor_when_it_fits():
    anchor = QRect(300, 200, 120, 20)
    at = popover.place((400, 100), anchor, SCREEN)
    box = QRect(at, QPoint(at.x() + 399, at.y() + 99))
    assert at == QPoint(300, anchor.bottom() + 1 + popover.GAP)
    assert not box.intersects(anchor)


def test_place_goes_above_at_the_bottom_edge_and_stays_inside():
    anchor = QRect(1100, 680, 150, 20)
    at = popover.place((400, 100), anchor, SCREEN)
    box = QRect(at.x(), at.y(), 400, 100)
    assert box.bottom() < anchor.top()
    assert SCREEN.contains(box)


def test_place_goes_beside_a_tall_anchor_and_never_off_the_bounds():
    anchor = QRect(100, 20, 500, 680)  # a selection filling the column
    at = popover.place((400, 100), anchor, SCREEN)
    box = QRect(at.x(), at.y(), 400, 100)
    assert not box.intersects(anchor) and SCREEN.contains(box)
    huge = QRect(0, 0, 1280, 720)
    at = popover.place((400, 100), huge, SCREEN)
    assert SCREEN.contains(QRect(at.x(), at.y(), 400, 100))


# -- in the window ------------------------------------------------------------------------

def _open_ross(window):
    window.resize(790, 590)  # the offscreen screen is 800×600: give the reader most of it
    window.split.setSizes([120, 560, 110])
    ep = next(e for e in window.library.episodes() if e.form == "apppage")
    window.library_view.select(ep.id)
    return ep


def _select_visible(window, qtbot, phrase: str, where: str) -> None:
    """Select `phrase` and scroll it to the top or the bottom line of the view."""
    view = window.reader.view
    doc = view.document()
    found = doc.find(phrase, window.reader.doc_position(0))
    assert not found.isNull()
    c = QTextCursor(doc)
    c.setPosition(found.selectionStart())
    c.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(c)
    view.setFocus()
    rect = view.cursorRect(c)
    bar = view.verticalScrollBar()
    target = 40 if where == "top" else view.viewport().height() - rect.height() - 4
    bar.setValue(bar.value() + rect.top() - target)
    assert view.textCursor().selectedText() == phrase


def _tag_popover_geometry(window, qtbot) -> tuple[QRect, QRect]:
    seen = {}

    def look(dialog):
        seen["frame"] = dialog.framed_geometry()
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    when_modal(lambda: look(QApplication.activeModalWidget()))
    selection = popover.selection_rect(window.reader.view)
    qtbot.keyClick(window.reader.view, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: "frame" in seen, timeout=10000)
    return selection, seen["frame"]


def test_tag_popover_opens_just_below_the_selection(qtbot, window):
    _open_ross(window)
    _select_visible(window, qtbot, "Papers with Code", "top")
    selection, frame = _tag_popover_geometry(window, qtbot)
    assert selection is not None
    assert not frame.intersects(selection), (frame, selection)
    assert 0 <= frame.top() - selection.bottom() <= popover.GAP + 2
    assert abs(frame.left() - selection.left()) <= 2 or frame.right() >= selection.left()


def test_tag_popover_at_the_bottom_edge_goes_above_and_stays_in_the_window(qtbot, window):
    _open_ross(window)
    _select_visible(window, qtbot, "Papers with Code", "bottom")
    selection, frame = _tag_popover_geometry(window, qtbot)
    assert not frame.intersects(selection), (frame, selection)
    assert frame.bottom() < selection.top()
    bounds = window.frameGeometry().intersected(popover.screen_bounds(window))
    assert bounds.contains(frame), (bounds, frame)


def test_command_palette_is_framed_and_centred_on_the_window(qtbot, window):
    seen = {}

    def look(dialog):
        seen["frame"], seen["popover"] = dialog.framed_geometry(), isinstance(
            dialog, popover.Popover)
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    when_modal(lambda: look(QApplication.activeModalWidget()))
    qtbot.keyClick(focused(window), Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "frame" in seen, timeout=10000)
    centre, frame = window.frameGeometry().center(), seen["frame"]
    assert seen["popover"]
    assert abs(frame.center().x() - centre.x()) <= 2 and abs(frame.center().y() - centre.y()) <= 2


def test_command_palette_ranks_names_first_and_right_aligns_the_keys(qtbot, window):
    """Typing "an" lists the actions whose name starts so before those whose tooltip
    merely contains the letters; the keys are a separate column, not spaces in the name."""
    from aiviewer.ui.dialogs import KEYS_ROLE, CommandPalette

    palette = CommandPalette(window.actions_by_id, window)
    qtbot.keyClicks(palette.edit, "an")
    names = [palette.list.item(i).text() for i in range(palette.list.count())]
    assert names[0].startswith("Annotat"), names[:5]
    # two letters: names only, not every tooltip with "an" somewhere in it
    assert "Import Files" not in names and all("an" in n.lower() for n in names)
    first = palette.list.item(0)
    assert first.data(KEYS_ROLE) == "A" and "  " not in first.text()
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)


def test_command_palette_shows_the_typed_letters_in_bold(qtbot, window):
    """Why a row is listed: the typed letters of its name in bold, word starts first;
    a row listed by its tooltip has nothing bold.  The rows paint without error."""
    from aiviewer.ui.dialogs import SPANS_ROLE, CommandPalette, palette_spans

    assert palette_spans("Annotate Selection", "an") == [(0, 2)]
    assert palette_spans("Export Annotations", "ann exp") == [(0, 3), (7, 3)]
    assert palette_spans("Select Sentence", "ten") == [(10, 3)]
    assert palette_spans("Import Files", "an") == []
    palette = CommandPalette(window.actions_by_id, window)
    qtbot.keyClicks(palette.edit, "exp ann")
    first = palette.list.item(0)
    assert first.text() == "Export Annotations" and first.data(SPANS_ROLE) == [(0, 3), (7, 3)]
    palette.show()
    assert not palette.list.viewport().grab().isNull()
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)


def test_search_hits_are_outlines_and_annotations_have_a_margin_bar(qtbot, window):
    ep = _open_ross(window)
    window.reader.open_find()
    qtbot.keyClicks(window.reader.findbar.edit, "model")
    hits = [m for m in window.reader.view.marks() if m.kind.startswith("hit")]
    assert len(hits) == window.reader.match_count() > 1
    assert sum(m.kind == "hit-current" for m in hits) == 1
    # no fill: nothing among the extra selections paints a background for them
    assert not [s for s in window.reader.view.extraSelections()
                if s.format.background().style() != Qt.BrushStyle.NoBrush]
    window.reader.close_find()
    window.library.annotate(ep.id, 0, 20, tags=["colour/test"])
    window.annotating.refresh()
    [mark] = [s for s in window.reader.view.extraSelections()
              if s.format.property(KIND) == "annotation"]
    # the fill is the view's band beneath the lines, not a character background
    assert not [s for s in window.reader.view.extraSelections()
                if s.format.background().style() != Qt.BrushStyle.NoBrush]
    [bar] = [m for m in window.reader.view.marks() if m.kind == "annotation"]
    assert 0 < QColor(bar.fill).alphaF() < 0.5  # a quiet fill
    assert window.reader.view.grab() is not None  # paints the bar without error


def test_an_annotation_is_a_band_over_its_lines_and_mentions_keep_their_tint(qtbot, window):
    """The fill is a band the lines' whole height, the leading included, beneath the
    text: the lines of a passage join into one block, and an entity's tint, the
    height of its letters, is drawn over it — so a fill never reads as a chip."""
    ep = _open_ross(window)
    text = window.library.episode(ep.id).text
    start = text.index("So essentially Papers with Code")
    end = text.index("towards indexing various artifacts in ML") + 20
    window.library.annotate(ep.id, start, end, tags=["colour/around"])
    window.annotating.refresh()
    view = window.reader.view
    doc_start, doc_end = window.reader.doc_position(start), window.reader.doc_position(end)
    [bar] = [m for m in view.marks() if m.kind == "annotation"]
    assert (bar.start, bar.end) == (doc_start, doc_end)  # one mark for the whole range
    entity = view.document().find("Papers with Code", doc_start)
    view.setTextCursor(QTextCursor(view.document()))  # no selection over the band
    chip = view.cursorRect(entity)
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + chip.top()
                                      - view.viewport().height() // 3)
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    page = view.palette().base().color()
    bands = view.line_rects(doc_start, doc_end, leading=True)
    letters = view.line_rects(doc_start, doc_end)
    assert len(bands) >= 3
    for upper, lower in zip(bands, bands[1:]):
        assert abs(upper.bottom() - lower.top()) < 1.0  # the lines' bands meet
    # between two lines, in the leading: the band (and its rule), not the page
    x = round(letters[1].left() + letters[1].width() / 2)
    gap = round((letters[0].bottom() + letters[1].top()) / 2)
    assert image.pixelColor(x, gap) != page
    # each line ruled in the bar's colour at the foot of its band, under a chip too
    rule = QColor(bar.colour)
    for band in bands[:2]:
        seen = image.pixelColor(x, int(band.bottom()) - 1)
        assert max(abs(seen.red() - rule.red()), abs(seen.green() - rule.green()),
                   abs(seen.blue() - rule.blue())) <= 3, (seen.name(), rule.name())
    chip = view.line_rects(entity.selectionStart(), entity.selectionEnd(), leading=True)[0]
    under = image.pixelColor(round(chip.center().x()), int(chip.bottom()) - 1)
    assert abs(under.red() - rule.red()) <= 3 and abs(under.blue() - rule.blue()) <= 3
    # an entity mention inside it: its own tint, as outside any annotation
    first = entity.selectionStart()
    tint_at = view.line_rects(first + 1, first + 2)[0]
    probe = image.pixelColor(round(tint_at.center().x()), round(tint_at.top() + 1))  # above caps
    kind_tint = QColor(_entity_tint(window, "organization"))
    assert max(abs(probe.red() - kind_tint.red()), abs(probe.green() - kind_tint.green()),
               abs(probe.blue() - kind_tint.blue())) <= 3, (probe.name(), kind_tint.name())


def _entity_tint(window, kind: str) -> str:
    from aiviewer.render import palette
    return palette.entity_colours(window.reader._mode())[kind][1]


def test_note_editor_opens_beside_the_selection(qtbot, window):
    _open_ross(window)
    _select_visible(window, qtbot, "Papers with Code", "top")
    selection = popover.selection_rect(window.reader.view)
    seen = {}

    def look(dialog):
        seen["frame"] = dialog.framed_geometry()
        qtbot.keyClick(dialog.source, Qt.Key.Key_Escape)
    when_modal(lambda: look(QApplication.activeModalWidget()))
    qtbot.keyClick(window.reader.view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: "frame" in seen, timeout=10000)
    assert not seen["frame"].intersects(selection), (seen["frame"], selection)
    assert popover.screen_bounds(window).contains(seen["frame"])


def test_entity_card_shows_just_below_the_name_framed(qtbot, window):
    _open_ross(window)
    view = window.reader.view
    found = view.document().find("Hugging Face", window.reader.doc_position(0))
    c = QTextCursor(view.document())
    c.setPosition(found.selectionStart() + 1)
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.cursorRect(c).top() - 60)
    name = popover.selection_rect(view, (found.selectionStart(), found.selectionEnd()))
    qtbot.mouseMove(view.viewport(), view.cursorRect(c).center())
    card = window.reader.card
    qtbot.waitUntil(card.isVisible, timeout=3000)
    assert "Hugging Face" in card.text()
    box = card.framed_geometry()
    assert not box.intersects(name), (box, name)
    assert 0 <= box.top() - name.bottom() <= popover.GAP + 2
    qtbot.keyClick(view, Qt.Key.Key_Down)  # a key (or leaving the name) puts it away
    assert not card.isVisible()


def test_command_palette_fits_its_rows_up_to_a_maximum(qtbot, window):
    """A few matches make a short palette (a fixed height left a tall empty box
    under them), many make it scroll at PALETTE_ROWS; its top edge stays put."""
    from aiviewer.ui.dialogs import PALETTE_ROWS, CommandPalette

    palette = CommandPalette(window.actions_by_id, window)
    palette.show()
    qtbot.waitExposed(palette)
    view = palette.list
    row = view.sizeHintForRow(0)
    top, tallest = palette.framed_geometry().top(), palette.height()
    assert view.count() > PALETTE_ROWS
    assert view.viewport().height() == PALETTE_ROWS * row
    assert view.verticalScrollBar().maximum() > 0
    qtbot.keyClicks(palette.edit, "an")
    assert 2 <= view.count() < PALETTE_ROWS
    qtbot.waitUntil(lambda: view.viewport().height() == view.count() * row)
    assert palette.height() < tallest - (PALETTE_ROWS - view.count() - 1) * row
    assert palette.framed_geometry().top() == top
    assert view.verticalScrollBar().maximum() == 0
    qtbot.keyClicks(palette.edit, "qqzz")
    assert view.count() == 0 and not view.isVisible() and palette.none.isVisible()
    assert palette.framed_geometry().top() == top
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)


def _frame_contrast(container, edit) -> float:
    """Contrast between a text field's left frame and what lies just outside it, in
    `container`'s own pixels (the field's frame is drawn at its rectangle's edge)."""
    from aiviewer.render.palette import contrast

    image = container.grab().toImage()
    ratio = image.devicePixelRatio()
    at = edit.mapTo(container, QPoint(0, edit.height() // 2))
    x, y = round(at.x() * ratio), round(at.y() * ratio)
    return contrast(image.pixelColor(x, y).name(), image.pixelColor(x - 3, y).name())


def test_palette_and_find_fields_have_a_visible_frame_in_dark(qtbot, window):
    """In dark the command palette's and the find bar's fields had no visible edge on
    the page (Fusion draws it in the window colour darkened, the page's own colour);
    the palette's field says what to type."""
    window.apply_theme("dark")
    episode = window.library.episodes()[0]
    window.library_view.select(episode.id)
    qtbot.waitUntil(lambda: window.reader.episode is not None)
    window.reader.view.setFocus()
    qtbot.keyClick(focused(window), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.reader.findbar
    assert bar.isVisible()
    window.reader.view.setFocus()  # the frame unfocused, not the focus ring
    qtbot.waitUntil(lambda: not bar.edit.hasFocus())
    assert _frame_contrast(bar, bar.edit) >= 3.0
    seen = {}

    def look(dialog):
        seen["placeholder"] = dialog.edit.placeholderText()
        seen["focused"] = _frame_contrast(dialog, dialog.edit)  # Fusion's focus ring
        dialog.list.setFocus()
        qtbot.waitUntil(lambda: not dialog.edit.hasFocus())
        seen["contrast"] = _frame_contrast(dialog, dialog.edit)
        dialog.edit.setFocus()
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    when_modal(lambda: look(QApplication.activeModalWidget()))
    qtbot.keyClick(focused(window), Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "contrast" in seen, timeout=10000)
    assert seen["placeholder"] == "Type a command…"
    assert seen["contrast"] >= 3.0 and seen["focused"] >= 2.0, seen
