"""The library list keeps a share of a window that grows, and the sizes a user
dragged come back in the next session."""

from __future__ import annotations

import contextlib

from tests.ui.conftest import make_window


def _settle(qtbot):
    qtbot.wait(50)


def _split(qtbot, window, width: int, height: int, sizes: list[int]) -> list[int]:
    """The window at width x height with the panes dragged to `sizes`: what they became."""
    window.resize(width, height)
    window.split.setSizes(sizes)
    _settle(qtbot)
    return window.split.sizes()


@contextlib.contextmanager
def _opened(qtbot, library_dir):
    """A window on the library, closed (its settings saved) at the end."""
    window = make_window(qtbot, library_dir)
    try:
        yield window
    finally:
        window.close()
        window.tasks.wait()
        window.library.close()


def test_the_library_list_grows_with_the_window_and_keeps_a_minimum(qtbot, library_dir):
    from aiviewer.ui.controllers.reading import PANEL_MIN_WIDTH

    with _opened(qtbot, library_dir) as window:
        small = _split(qtbot, window, 1280, 720, [250, 730, 300])
        window.resize(1920, 1080)
        _settle(qtbot)
        big = window.split.sizes()
        grown = sum(big) - sum(small)
        assert grown > 500
        # the reader took every pixel: the list stayed at 250 px at 1920
        assert big[0] - small[0] >= grown // 5, (small, big)
        assert big[2] - small[2] >= grown // 5, (small, big)
        assert big[1] - small[1] >= grown // 3, (small, big)
        assert big[0] >= 0.18 * window.width()
        # and back: the same share comes off again
        window.resize(1280, 720)
        _settle(qtbot)
        assert all(abs(a - b) <= 3 for a, b in zip(window.split.sizes(), small, strict=True))
        # the reader's line first at 800 px: the panels give way, not below their minimum
        window.resize(800, 600)
        _settle(qtbot)
        assert window.split.sizes()[0] >= PANEL_MIN_WIDTH


def test_dragged_sizes_come_back_in_the_next_session(qtbot, library_dir):
    with _opened(qtbot, library_dir) as window:
        # within the offscreen screen (800 x 600), where a restored geometry is kept
        saved = _split(qtbot, window, 780, 560, [180, 450, 150])
    with _opened(qtbot, library_dir) as again:  # the first one's settings saved on closing
        _settle(qtbot)
        assert again.width() == window.width()
        assert all(abs(a - b) <= 2 for a, b in zip(again.split.sizes(), saved, strict=True)), (
            again.split.sizes(), saved)
        again.resize(again.width() + 1000, again.height())  # and a later growth is shared
        _settle(qtbot)
        assert again.split.sizes()[0] >= saved[0] + 100


def test_the_reader_reaches_its_measure_before_the_panels_grow_and_shrink():
    from aiviewer.ui.controllers.reading import _beyond_measure

    assert _beyond_measure(400, reader=500, full=700) == 200  # 200 to the reader first
    assert _beyond_measure(100, reader=500, full=700) == 0
    assert _beyond_measure(400, reader=800, full=700) == 400  # already there: all shared
    # back: a loss is shared while the reader is wider than its measure (2 of 4 parts)
    assert _beyond_measure(-400, reader=900, full=700) == -400
    assert _beyond_measure(-400, reader=800, full=700) == -200
    assert _beyond_measure(-400, reader=650, full=700) == 0
