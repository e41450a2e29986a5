"""Small dialogs: keyboard shortcuts, the command palette, the import report,
and About.  All are built from data (the action table, the import report), so
they cannot drift from what the app actually does."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QTextBrowser,
    QVBoxLayout,
)

from aiviewer.model import ImportReport
from aiviewer.ui.actions import ACTIONS, MENUS
from aiviewer.ui.views.popover import SHADOW, Popover
from aiviewer.ui.views.rich_rows import draw_item_frame, format_range
from aiviewer.wording import plural


def shortcuts_html() -> str:
    rows = []
    for menu in MENUS:
        specs = [s for s in ACTIONS if s.menu == menu]
        rows.append(f"<tr><td colspan=2><h3>{menu}</h3></td></tr>")
        for s in specs:
            keys = " or ".join(f"<code>{escape(k)}</code>" for k in s.keys) or "—"
            rows.append(f"<tr><td>{escape(s.text.replace('&', ''))}</td><td>{keys}</td></tr>")
    extra = [("Search box", "Up/Down move · Enter opens · Esc closes · Up in an empty box: "
                            "recent searches · Tab: accept “did you mean”"),
             ("Library", "Up/Down move · Left folds a show (or goes to its heading) · "
                         "Right unfolds · Enter on a show folds or unfolds it"),
             ("Reader", "/ searches · N / Shift+N step through the selected entity · "
                        "G / Shift+G step through suggestions (names heard below the "
                        "confidence bar, dotted underline) · Y confirms the one at the caret "
                        "(Enter: whole library) · X rejects it"),
             ("Suggestions list", "Enter confirms · Delete rejects · Space shows it in "
                                  "the reader"),
             ("Find bar", "Enter next · Shift+Enter previous · Esc closes")]
    rows.append("<tr><td colspan=2><h3>In context</h3></td></tr>")
    rows += [f"<tr><td>{a}</td><td>{escape(b)}</td></tr>" for a, b in extra]
    return "<table cellspacing=4>" + "".join(rows) + "</table>"


class ShortcutSheet(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        view = QTextBrowser()
        view.setHtml(shortcuts_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(560, 620)


KEYS_ROLE = Qt.ItemDataRole.UserRole + 1
SPANS_ROLE = Qt.ItemDataRole.UserRole + 2
PALETTE_ROWS = 16  # the most rows the command palette shows before it scrolls
PALETTE_WIDTH = 460


def palette_rank(spec, text: str) -> int | None:
    """How well an action matches what was typed, best first, or None.  Names beat
    descriptions: matching every word against the tooltips too made "an" list Import
    Files first (its tip says "and"), so a name that starts with the text comes first,
    then names whose words start with each typed word, then names containing them,
    and the menu and tooltip (words starting so) only last."""
    words = text.lower().split()
    name = spec.text.replace("&", "").rstrip("…").lower()
    if not words:
        return 0
    name_words = name.split()
    if name.startswith(text.strip().lower()):
        return 0
    if all(any(w2.startswith(w) for w2 in name_words) for w in words):
        return 1
    if all(w in name for w in words):
        return 2
    # the menu and tooltip by the starts of their words, and only for a word of three
    # letters or more: "an" anywhere in a tooltip listed half the actions below the
    # names ("Import Files", "Search Library"…) for no reason one could see
    hay = f"{spec.menu} {name} {spec.tip}".lower()
    if all(len(w) >= 3 and re.search(rf"(?<!\w){re.escape(w)}", hay) for w in words):
        return 3
    return None


def palette_spans(name: str, text: str) -> list[tuple[int, int]]:
    """(start, length) of what was typed in an action's name, to be shown in bold: the
    reason a row is listed.  The same order as `palette_rank`: the name's start, then
    a word of the name starting with each typed word, then anywhere in it.  A row
    listed by its menu or tooltip has nothing in its name to point at."""
    low, typed = name.lower(), text.strip().lower()
    if not typed:
        return []
    if low.startswith(typed):
        return [(0, len(typed))]
    spans: list[tuple[int, int]] = []
    starts = [i for i, c in enumerate(low) if not c.isspace() and (i == 0 or low[i - 1].isspace())]
    for w in typed.split():
        at = next((i for i in starts if low.startswith(w, i)
                   and all(i != s for s, _ in spans)), None)
        if at is None:
            at = low.find(w)
        if at >= 0:
            spans.append((at, len(w)))
    return sorted(spans)


class PaletteRow(QStyledItemDelegate):
    """The action's name on the left with the letters typed in bold (why the row is
    listed), its keys right-aligned in the muted text colour: written after the name
    with spaces they wandered with each name's width."""

    def paint(self, painter, option, index) -> None:
        spans = index.data(SPANS_ROLE)
        if not spans:
            super().paint(painter, option, index)
        else:
            self._paint_marked(painter, option, index, spans)
        keys = index.data(KEYS_ROLE)
        if not keys:
            return
        painter.save()
        selected = option.state & QStyle.StateFlag.State_Selected
        role = (QPalette.ColorRole.HighlightedText if selected
                else QPalette.ColorRole.PlaceholderText)
        painter.setPen(option.palette.color(role))
        rect = option.rect.adjusted(0, 0, -8, 0)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight
                                   | Qt.AlignmentFlag.AlignVCenter), keys)
        painter.restore()

    def _paint_marked(self, painter, option, index, spans) -> None:
        """The row as the style draws it, its text laid out again with the spans bold."""
        opt, style, text = draw_item_frame(self, painter, option, index)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        layout = QTextLayout(text, opt.font)
        layout.setFormats([format_range(start, length, bold) for start, length in spans])
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(rect.width())
        layout.endLayout()
        painter.save()
        selected = opt.state & QStyle.StateFlag.State_Selected
        painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                         else QPalette.ColorRole.Text))
        # where the style puts an item's text (QCommonStyle: the focus frame's margin + 1)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                   opt.widget) + 1
        layout.draw(painter, QPointF(rect.left() + margin,
                                     rect.top() + (rect.height() - line.height()) / 2))
        painter.restore()


class CommandPalette(Popover):
    """Type to filter every action by name; Enter runs it.  Framed and centred on the
    window (it blended into the page as a plain dialog)."""

    def __init__(self, actions: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Command Palette")
        self.actions = actions
        self.edit = QLineEdit(placeholderText="Type a command…")
        self.edit.setAccessibleName("Command")
        self.list = QListWidget()
        self.list.setItemDelegate(PaletteRow(self.list))
        self.list.setUniformItemSizes(True)
        self.none = QLabel("No action matches")
        self.none.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.none.hide()
        layout = QVBoxLayout(self)
        self.frame_layout(layout)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        layout.addWidget(self.none)
        self.edit.textChanged.connect(self._fill)
        self.edit.returnPressed.connect(self._run)
        self.list.itemActivated.connect(lambda item: self._run())
        self.edit.installEventFilter(self)
        self._fill("")  # every action: the palette at its tallest, centred; its top stays
        self.centre_on(parent)

    def _fill(self, text: str) -> None:
        self.list.clear()
        ranked = sorted((rank, n, spec) for n, spec in enumerate(ACTIONS)
                        if spec.id != "palette"
                        and (rank := palette_rank(spec, text)) is not None)
        for _rank, _n, spec in ranked:
            name = spec.text.replace("&", "").rstrip("…")
            keys = ", ".join(spec.keys)
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            item.setData(KEYS_ROLE, keys)
            item.setData(SPANS_ROLE, palette_spans(name, text))
            item.setToolTip(spec.tip)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """As tall as its rows, up to PALETTE_ROWS (then it scrolls), like VS Code's
        and Sublime's palettes: a fixed height left a tall empty box under a few
        matches.  No match says so instead of showing an empty list.  Growing or
        shrinking keeps the top edge where it is, so the box being typed in stays
        put under the eye."""
        count = self.list.count()
        self.list.setVisible(count > 0)
        self.none.setVisible(count == 0)
        if count:
            rows = min(count, PALETTE_ROWS)
            self.list.setFixedHeight(rows * self.list.sizeHintForRow(0)
                                     + 2 * self.list.frameWidth())
        self.layout().activate()
        self.resize(PALETTE_WIDTH + 2 * SHADOW, self.layout().sizeHint().height())

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Down,
                                                                     Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.list.currentRow() + step, self.list.count() - 1))
            self.list.setCurrentRow(row)
            return True
        return False

    def _run(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.accept()
        action = self.actions.get(item.data(Qt.ItemDataRole.UserRole))
        if action is not None:
            action.trigger()


class ImportReportDialog(QDialog):
    """Non-modal: what an import did, failed files with their reasons."""

    def __init__(self, report: ImportReport, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import Report")
        self.setModal(False)
        failed = report.failed
        summary = QLabel(
            f"<b>{plural(report.added, 'episode')}</b> added, "
            f"<b>{report.updated:,}</b> updated, "
            f"<b>{report.merged:,}</b> merged into existing ones, "
            f"<b>{plural(report.unchanged_files, 'file')}</b> unchanged, "
            f"<b>{len(failed):,}</b> failed"
            + (f"; <b>{report.edits_unfit:,}</b> of your turn edits no longer fit the new "
               "text (kept; <code>aiviewer turns edits</code> lists them)"
               if report.edits_unfit else "")
            + (" — cancelled" if report.cancelled else ""))
        summary.setWordWrap(True)
        self.list = QListWidget()
        for o in failed:
            self.list.addItem(f"{o.path}\n    {o.error}")
        if not failed:
            self.list.addItem("Every file was read.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)
