"""Reading: the outline tab (jumping to a section, following the scroll), the
reading column's measure (View menu, remembered in the settings) and a reader
that keeps its width when the window is narrow (the side panels give way first)."""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QTimer

from aiviewer.render.outline import Entry, outline
from aiviewer.ui.controllers import Controller
from aiviewer.ui.views.outline_panel import OutlinePanel
from aiviewer.ui.views.panes import START_SIZES, STRETCH
from aiviewer.ui.views.reader import DEFAULT_MEASURE

MEASURE_STEP = 4  # characters per View → Wider / Narrower Reading Column
READER_MIN_CHARS = 46  # the reader keeps at least this many characters per line
PANEL_MIN_WIDTH = 150  # the library and the side panel give way down to this


class ReadingController(Controller):
    def __init__(self, window):
        super().__init__(window)
        self.reader = window.reader
        self.panel = OutlinePanel()
        window.side.addTab(self.panel, "Outline")
        self._episode = None
        self._positions: list[int] = []  # document position of each entry (or -1)
        self._stale = False  # rendered since the outline was last placed
        self.panel.entry_chosen.connect(self.jump)
        self.reader.rendered.connect(self._on_reader_rendered)
        self.reader.message.connect(lambda text: self.say(text, 5000))
        self._follow_timer = QTimer(self, singleShot=True, interval=30)
        self._follow_timer.timeout.connect(self.follow)
        self.reader.view.verticalScrollBar().valueChanged.connect(
            lambda _v: self._follow_timer.start())
        self._keep_reader_wide()
        self.reader.set_measure(_int(window.settings.value("measure", DEFAULT_MEASURE),
                                     DEFAULT_MEASURE))

    def handlers(self) -> dict:
        return {"focus_outline": self.focus_panel,
                "column_wider": lambda: self.change_measure(MEASURE_STEP),
                "column_narrower": lambda: self.change_measure(-MEASURE_STEP)}

    # -- the outline --------------------------------------------------------------------

    def focus_panel(self) -> None:
        self._ensure()
        self.window.side.setCurrentWidget(self.panel)
        self.panel.list.setFocus()
        if self.panel.list.currentRow() < 0 and self.panel.list.count():
            self.panel.follow(0)

    def _on_reader_rendered(self) -> None:
        """A render moves every position; a new episode has a new outline — built
        after the episode is painted (14–36 ms for the 3-hour episode on a loaded
        machine: not on the way to the first paint), or at once when asked for."""
        self._stale = True
        # after the reader's paint: finding the top line of a view scrolled into the
        # 3-hour episode is a hit test of 100–200 ms on the loaded machine, which the
        # 30 ms timer ran before the reader had painted the passage the user opened
        self.reader.after_paint.then(self._follow_timer.start)

    def _ensure(self) -> None:
        if not self._stale:
            return
        self._stale = False
        episode = self.reader.episode
        if episode is not self._episode:
            self._episode = episode
            self.panel.set_entries(outline(episode) if episode is not None else [])
        positions = [None if e.segment_id is None else self.reader.section_start(e.segment_id)
                     for e in self.panel.entries()]
        self._positions = [-1 if p is None else p for p in positions]

    def follow(self) -> None:
        """Keep the section at the top of the reader current in the outline (at the end
        of the episode: the last section shown)."""
        if self.reader.after_paint.waiting:
            # other work waits for the reader's paint (a render's, or the suggestion
            # list asked for after it): follow once it has run, not never
            self.reader.after_paint.then(self._follow_timer.start)
            return
        self._ensure()
        if not self._positions:
            return
        bar = self.reader.view.verticalScrollBar()
        # at the very end the last sections may never reach the top: take what is shown
        top = (self.reader.bottom_position() if bar.value() >= bar.maximum() > 0
               else self.reader.top_position()) + 1
        placed = [(p, i) for i, p in enumerate(self._positions) if p >= 0]
        i = bisect_right([p for p, _ in placed], top) - 1
        if i >= 0:
            self.panel.follow(placed[i][1])

    def jump(self, entry: Entry) -> None:
        """Go there and read on: the keys go to the reader, as from the annotation
        panel (Ctrl+5 comes back to the outline)."""
        if entry.segment_id is not None and self.reader.jump_to_segment(entry.segment_id):
            self.reader.view.setFocus()
        elif entry.start_ms is not None:
            self.reader.seek(entry.start_ms)

    # -- the reading column -------------------------------------------------------------

    def change_measure(self, delta: int) -> None:
        self.reader.set_measure(self.reader.measure + delta)
        self.window.settings.setValue("measure", self.reader.measure)
        self.say(f"Reading column: {self.reader.measure} characters a line")

    def _keep_reader_wide(self) -> None:
        """At 800 px the splitter took the width from the reader (92 px left): when the
        window is resized, the library and the side panel give their width first, down
        to PANEL_MIN_WIDTH, until the reader has a readable line.  Not a minimum width
        on the reader: that would stop the window from being made narrower at all
        (dragging a splitter handle still gives the reader whatever width one likes)."""
        from PySide6.QtCore import QEvent, QObject

        class _Resized(QObject):
            def eventFilter(inner, obj, event) -> bool:  # noqa: N805 (Qt override)
                if event.type() != QEvent.Type.Resize:
                    return False
                # the splitter shares the new width out first, then the reader takes its
                # line back — at once, not later: the scroll position the window saves
                # right after a resize must belong to the layout it saves
                sizes = obj.sizes()
                if self._laid_out and not self._adjusted and len(sizes) == 3:
                    self._preferred = (sizes[0], sizes[2], sum(sizes))  # the user's (or
                obj.event(event)                                        # the saved state's)
                self._laid_out = True
                if self._restored:  # the saved sizes, laid out only now (see restore_split)
                    self._restored, self._adjusted = False, False
                    sizes = obj.sizes()
                    self._preferred = (sizes[0], sizes[2], sum(sizes))
                self.give_reader_width()
                return True
        self._resized = _Resized(self)
        # library and side panel widths, and the splitter's width they were given at
        self._preferred: tuple[int, int, int] | None = (
            START_SIZES[0], START_SIZES[2], sum(START_SIZES))
        self._adjusted = False  # the panels are narrower than preferred, for the reader
        # until the splitter's first layout `sizes()` says widths squashed into a window
        # not sized yet: the first start's preferred sizes are the panes' own, at their
        # own total; a saved state's are read after its first layout (`restore_split`)
        self._laid_out = False
        self._restored = False
        self.window.split.installEventFilter(self._resized)
        self.window.split.splitterMoved.connect(self._on_split_moved)
        for widget in (self.window.library_view, self.window.side):
            widget.setMinimumWidth(PANEL_MIN_WIDTH)

    def give_reader_width(self) -> None:
        """Panels at the widths the user gave them (the splitter's, or a drag), shrunk
        — the library first — only as far as the reader needs for its line, and given
        back when the window grows again.  What the window gains beyond the reader's
        column at its measure is shared by the panes' stretch (`panes.STRETCH`,
        1 : 2 : 1; `_beyond_measure`, likewise for a loss): the panels kept their widths
        and the reader took it all — margins around a column that grows no wider — so
        the library list opened at 250 px on a 1280 px screen stayed 250 px at 1920
        (screenshot review)."""
        from PySide6.QtGui import QFontMetricsF

        split = self.window.split
        sizes = split.sizes()
        if len(sizes) != 3 or sum(sizes) <= 0:
            return
        total = sum(sizes)
        if self._preferred is None:
            self._preferred = (sizes[0], sizes[2], total)
        lib, side, base = self._preferred
        chars = QFontMetricsF(self.reader.view.document().defaultFont()).averageCharWidth()
        want = int(chars * READER_MIN_CHARS) + 48 + self.reader.minimap.width()
        full = int(chars * self.reader.measure) + 72 + self.reader.minimap.width()
        change = _beyond_measure(total - base, base - lib - side, full)
        lib, side = _shared(lib, change, STRETCH[0]), _shared(side, change, STRETCH[2])
        cut = max(0, lib + side - (total - want))
        new_lib = min(lib, max(PANEL_MIN_WIDTH, lib - cut))
        cut -= lib - new_lib
        new_side = min(side, max(PANEL_MIN_WIDTH, side - cut))
        new = [new_lib, total - new_lib - new_side, new_side]
        self._adjusted = (new_lib, new_side) != (lib, side)
        if new != sizes:
            split.setSizes(new)

    def restore_split(self, state) -> None:
        """The saved sizes, given to the splitter before the window is shown: until
        its first layout `sizes()` still says the first start's widths, narrowed for
        the reader in a window not sized yet, and those were taken for the preferred
        ones (a session's dragged sizes came back as 150 px panels)."""
        self.window.split.restoreState(state)
        self._restored = True

    def _on_split_moved(self, _pos: int, _index: int) -> None:
        sizes = self.window.split.sizes()
        self._preferred, self._adjusted = (sizes[0], sizes[2], sum(sizes)), False


def _beyond_measure(change: int, reader: int, full: int) -> int:
    """The part of a change of the window's width that the three panes share: a
    growing window first widens the reader to `full` (its column at its measure), a
    shrinking one shares its loss only while the reader is wider than that — the
    same path both ways, so growing and shrinking back gives the same widths."""
    if change > 0:
        return change - min(change, max(0, full - reader))
    surplus = max(0, reader - full)
    return max(change, -(surplus * sum(STRETCH) // STRETCH[1]))


def _shared(width: int, change: int, stretch: int) -> int:
    """A panel's width after the window changed by `change` px: its stretch's share
    of the change, never below PANEL_MIN_WIDTH, the panels' minimum width (a panel
    dragged shut stays shut)."""
    if width == 0:
        return 0
    return max(PANEL_MIN_WIDTH, width + change * stretch // sum(STRETCH))


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
