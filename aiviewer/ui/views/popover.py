"""Popovers: small windows that act on a passage (tag box, note editor) open next to
it — just below the selected text, or above it when there is no room below — framed
and with a painted shadow, never over the passage and never off the screen.

`place` is the geometry alone (plain rectangles in, a top-left point out) so it can be
tested without a window; `Popover` is the frameless dialog that paints the frame and the
shadow in the theme's colours; `selection_rect` is where the reader's selection is on
the screen.  The command palette uses `Popover` too, centred on the window.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QDialog, QLayout, QWidget

from aiviewer.render.palette import surfaces

GAP = 6  # px between the passage and the popover
SHADOW = 10  # px of painted shadow around the frame (part of the window, transparent)
RADIUS = 6
PADDING = 10


def place(size: tuple[int, int], anchor: QRect, bounds: QRect, gap: int = GAP) -> QPoint:
    """Top-left of a `size` box next to `anchor`, inside `bounds`: below it if it fits,
    else above it, else beside it (right, then left), else where there is most room.
    Horizontally it starts at the anchor's left and is pushed back inside `bounds`."""
    w, h = size
    left_max = bounds.right() + 1 - w
    x = max(bounds.left(), min(anchor.left(), left_max))
    below = anchor.bottom() + 1 + gap
    if below + h <= bounds.bottom() + 1:
        return QPoint(x, below)
    above = anchor.top() - gap - h
    if above >= bounds.top():
        return QPoint(x, above)
    y = max(bounds.top(), min(anchor.top(), bounds.bottom() + 1 - h))
    right = anchor.right() + 1 + gap
    if right + w <= bounds.right() + 1:
        return QPoint(right, y)
    left = anchor.left() - gap - w
    if left >= bounds.left():
        return QPoint(left, y)
    # nowhere free of the anchor (a selection filling the screen): the larger side
    room_below = bounds.bottom() - anchor.bottom()
    room_above = anchor.top() - bounds.top()
    y = below if room_below >= room_above else above
    return QPoint(x, max(bounds.top(), min(y, bounds.bottom() + 1 - h)))


def selection_rect(view, span: tuple[int, int] | None = None) -> QRect | None:
    """Where the reader's selection (or the document span `span`) is on the screen, in
    global coordinates, cut to the part that is visible: one line's box, or the
    column's width from the first line's top to the last line's bottom.  None when
    nothing is selected or it is scrolled out of view."""
    cursor = view.textCursor()
    if span is None:
        if not cursor.hasSelection():
            return None
        span = (cursor.selectionStart(), cursor.selectionEnd())
    c = view.textCursor()
    c.setPosition(span[0])
    first = view.cursorRect(c)
    c.setPosition(span[1])
    last = view.cursorRect(c)
    if first.top() == last.top():
        rect = QRect(QPoint(min(first.left(), last.left()), first.top()),
                     QPoint(max(first.right(), last.right()), last.bottom()))
    else:
        frame = view.document().rootFrame().frameFormat()
        rect = QRect(QPoint(int(frame.leftMargin()), first.top()),
                     QPoint(view.viewport().width() - int(frame.rightMargin()), last.bottom()))
    rect = rect.intersected(view.viewport().rect())
    if rect.isEmpty():
        return None
    return QRect(view.viewport().mapToGlobal(rect.topLeft()), rect.size())


def caret_rect(view) -> QRect:
    """The caret's line box on the screen (global coordinates)."""
    r = view.cursorRect()
    return QRect(view.viewport().mapToGlobal(r.topLeft()), r.size())


def move_beside(dialog: QWidget, anchor: QRect | None) -> None:
    """Put an ordinary dialog (a question with the system's frame) next to `anchor`
    instead of over the middle of the window, where it hid the passage it asks about."""
    if anchor is None:
        return
    dialog.adjustSize()
    size = (dialog.width(), dialog.height())
    dialog.move(place(size, anchor, bounds_for(dialog.parentWidget(), size)))


def link_span(view, position: int, href: str) -> tuple[int, int] | None:
    """The document span of the link `href` (as QUrl.toString() gives it: decoded)
    that covers `position`."""
    from PySide6.QtCore import QUrl
    block = view.document().findBlock(position)
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        if frag.contains(position) and \
                QUrl(frag.charFormat().anchorHref()).toString() == href:
            return frag.position(), frag.position() + frag.length()
        it += 1
    return None


def screen_bounds(widget: QWidget) -> QRect:
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def bounds_for(window: QWidget | None, size: tuple[int, int]) -> QRect:
    """Where a popover may go: over the app's window when it fits there (the popover
    stays with the window it belongs to), else anywhere on the window's screen."""
    screen = screen_bounds(window)
    if window is None:
        return screen
    win = window.frameGeometry().intersected(screen)
    if win.width() >= size[0] and win.height() >= size[1]:
        return win
    return screen


def theme_of(widget: QWidget) -> str:
    return "dark" if widget.palette().color(QPalette.ColorRole.Window).lightness() < 128 \
        else "light"


def paint_frame(widget: QWidget, frame: QRect) -> None:
    """A rounded box in the window colour with a 1 px border in the theme's `border`
    and a soft shadow (stacked rings, fainter outwards, a little lower than the box)
    in the transparent margin around it."""
    theme = theme_of(widget)
    colours = surfaces(theme)
    p = QPainter(widget)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(frame)
    shadow = QColor(colours["shadow"])
    for i in range(SHADOW, 0, -1):
        shadow.setAlphaF((0.12 if theme == "dark" else 0.06) * (1 - i / (SHADOW + 1)) ** 1.5)
        path = QPainterPath()
        path.addRoundedRect(box.adjusted(-i, -i + 2, i, i + 2), RADIUS + i, RADIUS + i)
        p.fillPath(path, shadow)
    path = QPainterPath()
    path.addRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
    p.fillPath(path, widget.palette().color(QPalette.ColorRole.Window))
    p.setPen(QPen(QColor(colours["border"]), 1))
    p.drawPath(path)
    p.end()


class Popover(QDialog):
    """A frameless dialog with a 1 px border in the theme's colour and a soft shadow
    painted in a transparent margin around it.  `anchor_at` opens it next to a
    rectangle, `centre_on` in the middle of a widget; otherwise it is a QDialog
    (exec(), accept(), Esc rejects)."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setObjectName("popover")
        self._anchor: QRect | None = None

    def frame_layout(self, layout: QLayout) -> None:
        """Margins that keep the content inside the frame, clear of the shadow."""
        m = SHADOW + PADDING
        layout.setContentsMargins(m, m, m, m)

    def frame_rect(self) -> QRect:
        """The framed box inside the window (the rest is shadow)."""
        return self.rect().adjusted(SHADOW, SHADOW, -SHADOW, -SHADOW)

    def paintEvent(self, event) -> None:
        paint_frame(self, self.frame_rect())

    def anchor_at(self, anchor: QRect | None) -> None:
        """Open next to `anchor` (global coordinates); without one, centred on the parent."""
        self._anchor = anchor
        if anchor is None:
            self.centre_on(self.parentWidget())
            return
        w, h = self._outer_size()
        frame = (w - 2 * SHADOW, h - 2 * SHADOW)
        # the frame, not its shadow, keeps GAP from the passage and stays in bounds
        top_left = place(frame, anchor, bounds_for(self.parentWidget(), frame))
        self.move(top_left - QPoint(SHADOW, SHADOW))

    def centre_on(self, widget: QWidget | None) -> None:
        w, h = self._outer_size()
        frame = (w - 2 * SHADOW, h - 2 * SHADOW)
        area = widget.frameGeometry() if widget is not None else screen_bounds(self)
        bounds = screen_bounds(widget or self)
        x = max(bounds.left(), min(area.center().x() - frame[0] // 2, bounds.right() + 1 - frame[0]))
        y = max(bounds.top(), min(area.center().y() - frame[1] // 2, bounds.bottom() + 1 - frame[1]))
        self.move(x - SHADOW, y - SHADOW)

    def anchor(self) -> QRect | None:
        return self._anchor

    def framed_geometry(self) -> QRect:
        """The frame's rectangle on the screen (what the user sees as the popover)."""
        return QRect(self.mapToGlobal(self.frame_rect().topLeft()), self.frame_rect().size())

    def _outer_size(self) -> tuple[int, int]:
        if not self.testAttribute(Qt.WidgetAttribute.WA_Resized):
            self.adjustSize()
        return self.width(), self.height()


class Card(QWidget):
    """A hover card (what an entity is, what a suggestion was heard as): a tooltip
    window framed and shadowed like the popovers, shown just below the name it is
    about (above it at the bottom of the screen).  It hides when the mouse leaves the
    name or the text, on a key, a click or a scroll (`watch`)."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("card")
        from PySide6.QtWidgets import QLabel, QVBoxLayout
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        m = SHADOW + 6
        layout.setContentsMargins(m + 2, m, m + 2, m)
        layout.addWidget(self.label)

    def watch(self, view) -> None:
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)
        view.verticalScrollBar().valueChanged.connect(self.hide)

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        if event.type() in (QEvent.Type.Leave, QEvent.Type.KeyPress,
                            QEvent.Type.MouseButtonPress, QEvent.Type.FocusOut,
                            QEvent.Type.Hide, QEvent.Type.Wheel):
            self.hide()
        return False

    def show_text(self, html: str, anchor: QRect) -> None:
        from PySide6.QtGui import QTextDocument
        self.label.setText(html)
        doc = QTextDocument()  # the width the text wants, up to 420 px, then wrapped
        doc.setDefaultFont(self.label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(html)
        self.label.setFixedWidth(min(420, int(doc.idealWidth()) + 4))
        self.adjustSize()
        frame = (self.width() - 2 * SHADOW, self.height() - 2 * SHADOW)
        at = place(frame, anchor, screen_bounds(self.parentWidget() or self))
        self.move(at - QPoint(SHADOW, SHADOW))
        self.show()

    def text(self) -> str:
        return self.label.text()

    def frame_rect(self) -> QRect:
        return self.rect().adjusted(SHADOW, SHADOW, -SHADOW, -SHADOW)

    def framed_geometry(self) -> QRect:
        return QRect(self.mapToGlobal(self.frame_rect().topLeft()), self.frame_rect().size())

    def paintEvent(self, event) -> None:
        paint_frame(self, self.frame_rect())
