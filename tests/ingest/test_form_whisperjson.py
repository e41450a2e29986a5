"""Whisper-style JSON: segments with times, optional diarized speakers,
minified or indented, extra fields ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.ingest.pipeline import parse_text, read_file

FIXTURES = Path(__file__).parent / "fixtures"


def _episode(path):
    read = read_file(path)
    assert read.source.form == "whisperjson"
    [ep] = read.source.episodes
    return ep


def test_indented_whisper_with_extra_fields():
    ep = _episode(FIXTURES / "whisper_indented.json")
    assert ep.title == "Whisper fixture"
    [seg] = ep.segments
    assert seg.kind == "paragraph" and seg.speaker is None
    assert seg.text == "Hello and welcome. Today we talk about whisper. It writes JSON."
    assert (seg.start_ms, seg.end_ms) == (0, 7000)
    assert seg.sounds == ("music",)


def test_minified_diarized_speakers_become_anonymous_speakers():
    ep = _episode(FIXTURES / "whisper_diarized_min.json")
    assert [(s.speaker, s.start_ms, s.end_ms, s.text) for s in ep.segments] == [
        ("Speaker 1", 500, 3000, "So what is it?"),
        ("Speaker 2", 3000, 8000, "It is a diarized transcript."),
        ("Speaker 1", 8000, 9500, "Got it."),
        ("Speaker 3", 9500, 11000, "今日は良い天気ですね。"),
    ]
    assert ep.speakers == ("Speaker 1", "Speaker 2", "Speaker 3")
    assert ep.title == "whisper_diarized_min"


def test_bare_list_and_text_only_forms():
    listed = json.dumps([{"start": 1, "end": 2, "text": "One."}, {"start": 2, "end": 3,
                                                                   "text": "Two."}])
    [ep] = parse_text(listed, "l.json").episodes
    assert ep.segments[0].text == "One. Two." and ep.segments[0].start_ms == 1000
    [ep] = parse_text('{"text": "Only text here."}', "t.json").episodes
    assert ep.segments[0].text == "Only text here." and ep.segments[0].start_ms is None


@pytest.mark.parametrize("text, reason", [
    ('{"segments": [{"start": 0, "end": 1, "text": "cut', "not valid JSON"),
    ('{"language": "en", "duration": 12}', "no \"segments\""),
    ("[1, 2, 3]", "no text"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("hello, this is not JSON at all", "not valid JSON"),
    ('{"segments": [{"start": "x", "text": "  "}]}', "no text"),
])
def test_malformed_json_fails_with_a_reason(text, reason):
    with pytest.raises(ImportFailed) as info:
        parse_text(text, "bad.json")
    assert info.value.file == "bad.json"
    assert reason in info.value.reason


def test_corpus_whisper_diarized(corpus_dir):
    ep = _episode(corpus_dir / "json_twiml_why-think-step-by-step_whisper-diarized.json")
    assert ep.speakers == ("Speaker 1", "Speaker 2")
    turns = [s for s in ep.segments if s.kind == "turn"]
    assert len(turns) == len(ep.segments) >= 30
    assert all(a.speaker != b.speaker for a, b in zip(turns, turns[1:]))
    assert turns[0].text.startswith("All right, everyone. Welcome to another episode")
    assert turns[0].start_ms == 3933
    assert all(s.start_ms is not None and s.end_ms > s.start_ms for s in turns)
    assert not any(s.text.startswith(" ") or "SPEAKER_" in s.text for s in turns)


def test_millisecond_times_and_letter_speakers():
    data = {"utterances": [
        {"speaker": "A", "start": 250, "end": 90_000, "text": "Hello there.", "confidence": 0.9},
        {"speaker": "B", "start": 90_500, "end": 95_000, "text": "Hi.", "words": []},
    ]}
    [ep] = parse_text(json.dumps(data), "assembly.json").episodes
    assert [(s.speaker, s.start_ms, s.end_ms) for s in ep.segments] == [
        ("Speaker A", 250, 90_000), ("Speaker B", 90_500, 95_000)]


def test_text_starting_with_a_bracket_is_not_json():
    for text in ("[music] Hello and welcome to the show.\n", "[00:00:05] Hello and welcome.\n"):
        source = parse_text(text, "t.txt")
        assert source.form == "labelled"
        assert "Hello and welcome" in source.episodes[0].segments[0].text
