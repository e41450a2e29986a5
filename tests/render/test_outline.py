"""The outline (chapters, else a turn every few minutes) and the reader's header:
speakers, show notes through the given renderer, chapters as time links."""

from __future__ import annotations

import dataclasses

from aiviewer.model import Chapter, Episode, EpisodeSummary, Segment
from aiviewer.render.outline import EVERY_WORDS, outline
from aiviewer.render.transcript import episode_html, parse_seek_href, seek_href


def _episode(times, chapters=(), words=5, description=None, speakers=("Ann", "Bo")):
    segs, start = [], 0
    for i, t in enumerate(times):
        text = " ".join(["word"] * words)
        segs.append(Segment(i + 1, "e", i, "turn", speakers[i % 2], speakers[i % 2], t, None,
                            text, start))
        start += len(text) + 2
    summary = EpisodeSummary("e", "An episode", "A show", "2026-01-31", None, None, "captions",
                             len(segs), words * len(segs), 3_600_000, speakers)
    return Episode(summary, description, tuple(segs), tuple(chapters), ())


def test_chapters_start_at_the_first_turn_at_or_after_their_time():
    ep = _episode([0, 70_000, 135_000], [Chapter(0, "Intro"), Chapter(132_000, "Papers")])
    entries = outline(ep)
    assert [(e.title, e.segment_id, e.chapter) for e in entries] == [
        ("Intro", 1, True), ("Papers", 3, True)]


def test_chapters_past_every_time_have_no_place_to_jump():
    ep = _episode([None, None], [Chapter(152_000, "Introducing Igor")])
    assert outline(ep)[0].segment_id is None


def test_without_chapters_a_turn_every_five_minutes():
    ep = _episode([m * 60_000 for m in range(0, 31)])  # a turn a minute, 30 minutes
    entries = outline(ep)
    assert [e.start_ms // 60_000 for e in entries] == [0, 5, 10, 15, 20, 25, 30]
    assert entries[1].title.startswith("Bo: word word")


def test_without_times_a_turn_every_few_pages_of_words():
    ep = _episode([None] * 40, words=100)  # 4,000 words
    entries = outline(ep)
    every = -(-EVERY_WORDS // 100)  # turns of 100 words between two entries
    assert [e.segment_id for e in entries] == list(range(1, 41, every))


def test_header_names_the_speakers_and_links_chapter_times():
    ep = _episode([0, 70_000], [Chapter(65_000, "Second")], description="Hi *there*")
    html = episode_html(ep, notes_html=lambda md: "<p>RENDERED</p>").html
    assert "Ann, Bo" in html
    assert "<p>RENDERED</p>" in html and "*there*" not in html
    assert f'href="{seek_href(65_000)}"' in html
    assert parse_seek_href(seek_href(65_000)) == 65_000
    assert parse_seek_href("seek:x") is None and parse_seek_href("entity:x") is None


def test_chapters_without_times_or_video_are_not_links():
    ep = _episode([None, None], [Chapter(152_000, "Introducing Igor")])
    html = episode_html(ep).html
    assert "Introducing Igor" in html and "seek:" not in html
    with_video = dataclasses.replace(ep, summary=dataclasses.replace(ep.summary, video_id="v"))
    assert seek_href(152_000) in episode_html(with_video).html


def test_notes_without_a_renderer_are_escaped_text():
    ep = _episode([0], description="<img src=x> *a*")
    html = episode_html(ep).html
    assert "&lt;img src=x&gt;" in html and "<img" not in html
