"""YouTube caption text (seed 003) and transcript-page previews (seed 004).

Captions arrive as short lines cut mid-sentence with `>>` where the speaker
changes; readers need sentences, paragraphs and stable anonymous speakers.
"""

from __future__ import annotations

import re

from aiviewer.ingest import captions
from aiviewer.ingest.pipeline import parse_text, read_file


def _only(source):
    assert len(source.episodes) == 1
    return source.episodes[0]


def test_seed_003_full_captions(seed):
    read = read_file(seed("003"))
    assert read.source.form == "captions"
    ep = _only(read.source)
    assert ep.title.startswith("State of AI in 2026")
    assert ep.title.endswith("Lex Fridman Podcast #490")
    assert ep.video_id == "EV7WhVT270Q"
    assert ep.url == "https://www.youtube.com/watch?v=EV7WhVT270Q"
    assert not ep.is_preview
    turns = [s for s in ep.segments if s.kind == "turn"]
    assert 350 <= len(turns) <= 450
    assert set(ep.speakers) == {"Speaker 1", "Speaker 2"}
    # anonymous speakers alternate at each `>>`
    assert all(a.speaker != b.speaker for a, b in zip(turns, turns[1:]))
    text = "\n".join(s.text for s in ep.segments)
    assert "Kind: captions" not in text and "Language: en" not in text
    assert ">>" not in text
    assert turns[0].text.startswith("The following is a conversation all about the state-of-the-art")
    # caption lines are reflowed: no line breaks inside a paragraph
    assert all("\n" not in p for s in turns for p in s.text.split("\n\n"))


def test_seed_004_preview(seed):
    ep = _only(read_file(seed("004")).source)
    assert ep.is_preview
    assert ep.date == "2026-01-31"
    assert ep.video_id == "EV7WhVT270Q"
    assert ep.title.endswith("Lex Fridman Podcast #490")
    text = "\n".join(s.text for s in ep.segments)
    for chrome in ("Transcript preview", "Resume", "Categories", "Manage", "file updated",
                   "Kind: captions", "\nOpen"):
        assert chrome not in text
    assert text.rstrip().endswith("it doesn't giv")


CAPTIONS = """\
Kind: captions
Language: en
>> so welcome back to the show today we
are talking about caption files and
how they
>> break in the middle of sentences. Yes
they do. [music]
>> and that is why we reflow them.
"""


def test_double_chevron_turns_and_sounds():
    ep = _only(captions.parse(CAPTIONS))
    assert [s.speaker for s in ep.segments] == ["Speaker 1", "Speaker 2", "Speaker 1"]
    assert ep.segments[0].text == ("so welcome back to the show today we are talking about "
                                   "caption files and how they")
    assert ep.segments[1].text == "break in the middle of sentences. Yes they do."
    assert ep.segments[1].sounds == ("music",)
    # a header without a title line: the pipeline names the episode after the file
    assert parse_text(CAPTIONS, "talk.txt").episodes[0].title == "talk"


def test_dash_and_name_tags_in_caption_text():
    text = "Kind: captions\nLanguage: en\n" + "\n".join([
        "- [Lex] What is a neural network?",
        "- [Andrej] It's a mathematical",
        "abstraction of the brain.",
        "- [Lex] Okay.",
    ])
    ep = _only(captions.parse(text))
    assert [(s.speaker, s.text) for s in ep.segments] == [
        ("Lex", "What is a neural network?"),
        ("Andrej", "It's a mathematical abstraction of the brain."),
        ("Lex", "Okay."),
    ]


def test_caption_text_without_header_is_detected_by_shape():
    lines = []
    for i in range(20):
        lines += [f">> this is caption line {i} of the", "conversation we had"]
    text = "\n".join(lines)
    assert parse_text(text, "x.txt").form == "captions"
    ep = parse_text(text, "x.txt").episodes[0]
    assert len(ep.segments) == 20
    assert not re.search(r"\s{2,}", ep.segments[0].text)
