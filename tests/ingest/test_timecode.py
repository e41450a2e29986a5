"""Timestamps and chapter lines in the styles real show notes use."""

from __future__ import annotations

import pytest

from aiviewer.ingest.timecode import (
    chapters_from_lines,
    parse_chapter_line,
    parse_timestamp,
)
from aiviewer.wording import format_ms


@pytest.mark.parametrize("text, ms", [
    ("00:00", 0), ("02:12", 132_000), ("1:02:03", 3_723_000), ("00:00:01,500", 1_500),
    ("00:00:00.899", 899), ("75:30", 4_530_000), ("12:61", None), ("12", None), ("ab:cd", None),
])
def test_parse_timestamp(text, ms):
    assert parse_timestamp(text) == ms


@pytest.mark.parametrize("line, ms, title", [
    ("00:00 Recent AI news", 0, "Recent AI news"),
    ("(00:00) Intro", 0, "Intro"),
    ("00:05 - Why RL works", 5_000, "Why RL works"),
    ("01:02:03 ❙ Scaling laws<br>", 3_723_000, "Scaling laws"),
    ("* [00:02:12] Galactica", 132_000, "Galactica"),
    ("\\[12:34\\] Escaped", 754_000, "Escaped"),
    ("<li>00:10 In a tag</li>", 10_000, "In a tag"),
    ("- **00:05** Bold time", 5_000, "Bold time"),
    ("Outro (1:10:00)", 4_200_000, "Outro"),
])
def test_chapter_line_styles(line, ms, title):
    chapter = parse_chapter_line(line)
    assert chapter is not None and (chapter.start_ms, chapter.title) == (ms, title)


@pytest.mark.parametrize("line", ["Cached Input: 12", "12:00", "Just a sentence.", ""])
def test_non_chapter_lines(line):
    assert parse_chapter_line(line) is None


def test_outline_needs_increasing_times():
    assert len(chapters_from_lines(["00:00 A", "05:00 B", "10:00 C"])) == 3
    assert chapters_from_lines(["10:00 A", "05:00 B"]) == []
    assert chapters_from_lines(["00:00 Only one"]) == []


def test_format_ms():
    assert format_ms(None) == ""
    assert format_ms(132_000) == "02:12"
    assert format_ms(3_723_500) == "1:02:03"
