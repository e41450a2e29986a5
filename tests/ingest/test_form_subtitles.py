"""WebVTT and SubRip: cue times kept, speakers from voice tags, `Name:`
prefixes, `[Name]` tags and `-` change marks, styling dropped, rolling
auto-captions read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.ingest import subtitles
from aiviewer.ingest.pipeline import parse_text, read_file

FIXTURES = Path(__file__).parent / "fixtures"


def _episode(name):
    read = read_file(FIXTURES / name)
    assert read.source.form == "subtitles"
    [ep] = read.source.episodes
    return ep


def test_youtube_rolling_captions_come_out_once():
    ep = _episode("youtube_rolling.vtt")
    [seg] = ep.segments
    assert seg.text == "so today we're going to talk about captions and rolling cues."
    assert seg.kind == "paragraph" and seg.speaker is None
    assert (seg.start_ms, seg.end_ms) == (0, 7000)
    assert seg.sounds == ("music",)  # kept, once, out of the text
    for junk in ("<c>", "00:00", "align:", "position:", "Kind:", "Language:"):
        assert junk not in seg.text
    assert ep.title == "youtube_rolling"  # no title in the file: the file name


def test_voice_tags_styling_and_cue_settings():
    ep = _episode("voices.vtt")
    assert ep.title == "Voices and styling"
    assert [(s.speaker, s.start_ms, s.end_ms, s.text) for s in ep.segments] == [
        ("Ada Lovelace", 1000, 8250, "Welcome to the show. It is about engines and what they compute."),
        ("Charles Babbage", 8250, 10000, "Thank you for having me."),
        ("Ada Lovelace", 3723000, 3725500, "Late in the hour now."),
    ]
    assert ep.speakers == ("Ada Lovelace", "Charles Babbage")
    assert not any("comment" in s.text or "yellow" in s.text for s in ep.segments)


def test_srt_dash_changes_and_name_tags():
    ep = _episode("dash_names.srt")
    got = [(s.speaker, s.start_ms, s.text) for s in ep.segments]
    assert got == [
        ("Speaker 1", 0, "I think it's possible that physics has exploits and we should be "
                         "trying to find them."),
        ("Speaker 2", 4150, "The following is a conversation with a guest."),
        ("Andrej", 6940, "Yes."),
        ("Speaker 2", 8000, "So you agree? Really?"),
        ("Andrej", 8000, "Yeah."),
        ("Speaker 2", 10500, "Okay."),
    ]
    assert ep.segments[-1].sounds == ("laughs",)
    assert ep.segments[0].end_ms == 3600  # a turn ends where its last cue ends


def test_srt_name_prefixes_recurring_are_speakers():
    ep = _episode("labels.srt")
    assert [(s.speaker, s.text) for s in ep.segments] == [
        ("Ross Taylor", "Thanks for having me."),
        ("Nathan Lambert", "What year was this?"),
        ("Ross Taylor", "It was 2018, we had just started."),
        ("Nathan Lambert", "Note: that was early."),
    ]


def test_a_single_name_prefix_is_not_a_speaker():
    text = "1\n00:00:01,000 --> 00:00:02,000\nUpdate: this is narration.\n\n" \
           "2\n00:00:02,000 --> 00:00:03,000\nAnd more of it.\n"
    [ep] = subtitles.parse(text).episodes
    assert [(s.kind, s.speaker, s.text) for s in ep.segments] == [
        ("paragraph", None, "Update: this is narration. And more of it.")]


def test_vtt_detected_without_extension_and_srt_without_numbers():
    vtt = (FIXTURES / "voices.vtt").read_text(encoding="utf-8")
    assert parse_text(vtt, "no-extension").form == "subtitles"
    srt = "00:00:01,000 --> 00:00:02,000\nHello there.\n\n00:00:02,000 --> 00:00:03,500\nGeneral.\n"
    [ep] = parse_text(srt, "x.txt").episodes
    assert ep.segments[0].text == "Hello there. General."
    assert (ep.segments[0].start_ms, ep.segments[0].end_ms) == (1000, 3500)


@pytest.mark.parametrize("name, text", [
    ("bad.vtt", "WEBVTT\n\nthis is not a cue\n"),
    ("bad2.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n"),
    ("bad.srt", "1\n00:00:xx,000 --> 00:00:02,000\nHello\n\n2\nno timing here\n"),
    ("bad3.vtt", "WEBVTT\n\n1\n99:99:99.999 --> 00:00:01.000\nHi\n"),
])
def test_malformed_subtitles_fail_with_a_reason(name, text):
    with pytest.raises(ImportFailed) as info:
        parse_text(text, name)
    assert info.value.file == name
    assert info.value.reason


def test_corpus_vtt_whisper_large(corpus_dir):
    ep = _episode_at(corpus_dir / "vtt_lex306_oriol_vinyals_whisper-large.vtt")
    assert all(s.kind == "paragraph" and s.start_ms is not None for s in ep.segments)
    assert ep.segments[0].start_ms == 0
    assert ep.segments[0].text.startswith("at which point is the neural network a being")
    assert ep.segments[-1].end_ms == 7808080
    assert all(a.end_ms <= b.start_ms for a, b in zip(ep.segments, ep.segments[1:]))
    words = sum(len(s.text.split()) for s in ep.segments)
    assert 18_000 < words < 30_000
    assert all(50 <= len(s.text.split()) <= 400 for s in ep.segments[:-1])  # paragraphs


def test_corpus_srt_with_dash_and_name_tags(corpus_dir):
    ep = _episode_at(corpus_dir / "srt_lex333_karpathy_youtube-captions_excerpt.srt")
    turns = [s for s in ep.segments if s.kind == "turn"]
    assert len(turns) > 300
    assert {"Lex", "Andrej"} <= set(ep.speakers)
    assert not any(s.text.startswith(("- ", "[")) for s in turns)
    assert all(a.speaker != b.speaker for a, b in zip(turns, turns[1:]))
    assert next(s for s in turns if s.speaker == "Lex").text == "Yes."
    assert all(s.start_ms is not None and s.end_ms >= s.start_ms for s in turns)


def _episode_at(path):
    read = read_file(path)
    assert read.source.form == "subtitles"
    [ep] = read.source.episodes
    return ep
