"""A tag or a note belongs to the episode its text was selected in.  While the tag box
or the note editor is open the event loop runs, and an import that ends opens its own
episode: the randomized soak (test_durability.py) caught a tag saved on that episode,
at the offsets of a selection made in another (here refused as past its end; with a
longer episode it would have landed on the wrong words)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.durability_driver import (
    Answer,
    is_note_editor,
    is_tag_popup,
    reported_saved,
    select_span,
    type_tag,
    write_note,
)


def _switch_then(window, other_id: str, answer):
    """Open another episode (as an import ending does), then answer the dialog."""
    def fn(dialog):
        window.episodes.open(other_id)
        QApplication.processEvents()
        answer(dialog)
    return fn


def _pair(window):
    episodes = sorted(window.library.episodes(), key=lambda e: -e.n_words)
    return episodes[0], episodes[-1]  # the longest, and a short one to switch to


def test_a_tag_goes_to_the_episode_it_was_selected_in(qtbot, window):
    long, short = _pair(window)
    window.episodes.open(long.id)
    span = select_span(window, 5)
    quote = window.reader.view.textCursor().selectedText()
    answer = Answer(is_tag_popup, _switch_then(window, short.id, type_tag("switch/tag")))
    window.annotating.tag_selection()
    answer.cancel()
    assert answer.done
    assert window.current_episode == short.id  # the window did move on
    assert reported_saved(window), window.statusBar().currentMessage()
    [a] = [a for a in window.library.annotations() if "switch/tag" in a.tags]
    assert (a.episode_id, a.start, a.end) == (long.id, *span)
    assert " ".join(a.exact.split()) == " ".join(quote.split())


def test_a_note_goes_to_the_episode_it_was_selected_in(qtbot, window):
    long, short = _pair(window)
    window.episodes.open(long.id)
    span = select_span(window, 7)
    answer = Answer(is_note_editor, _switch_then(window, short.id,
                                                 write_note("across a switch", typed=False)))
    window.annotating.annotate_selection()
    answer.cancel()
    assert answer.done and window.current_episode == short.id
    assert reported_saved(window), window.statusBar().currentMessage()
    [a] = [a for a in window.library.annotations() if a.note_md == "across a switch"]
    assert (a.episode_id, a.start, a.end) == (long.id, *span)
