"""Property-based: every importer, fed random bytes, random text and mutated real
documents, either returns episodes or raises our own error — never anything
else, never a hang.  A parser bug must surface here, so the form modules are
called directly (the pipeline would turn a bug into an ImportFailed)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiviewer.errors import ImportFailed, ParseError
from aiviewer.ingest import detect, pipeline
from aiviewer.model import ParsedSource

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
FIXTURES = [p for p in sorted((REPO / "tests" / "fixtures").rglob("*"))
            if p.is_file() and p.suffix in {".vtt", ".srt", ".json", ".txt", ".md"}
            and p.stat().st_size < 200_000]
MODULES = detect.form_modules()
TIME_LIMIT_S = 10.0

# Text that looks like transcripts: timestamps, labels, arrows, tags, braces.
PIECES = ["WEBVTT\n", "-->", "00:01:02.500", "00:00:01,000 --> 00:00:02,000\n", "1\n",
          ">> ", "Speaker 1: ", "**Nathan:** ", "[00:02:12]", "* [00:02:12] Intro\n",
          "Kind: captions\n", "Language: en\n", '{"segments": [', '"text": "', "}", "]",
          "<p>", "</p>", "&amp;", "\n\n", "\n", " ", "Transcript", "00:00 Intro\n",
          "https://www.interconnects.ai/p/x", "---\n", "title: x\n", "{{< youtube x >}}",
          "\ufeff", "\x00", "é", "中文", "🙂"]
transcript_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)),
                           max_size=80).map("".join)
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _parse_ok_or_our_error(module, text: str) -> None:
    try:
        out = module.parse(text)
    except ParseError:
        out = None
    if out is not None:
        assert isinstance(out, ParsedSource)
        for ep in out.episodes:
            assert isinstance(ep.title, str)
            for seg in ep.segments:
                assert isinstance(seg.text, str)


def _sniff_in_range(module, text: str) -> None:
    score = module.sniff(text[:65536], "x.txt")
    assert 0.0 <= score <= 1.0


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.FORM)
@FUZZ
@given(text=st.one_of(st.text(max_size=2000), transcript_like))
def test_every_parser_survives_random_text(module, text):
    _sniff_in_range(module, text)
    _parse_ok_or_our_error(module, text)


@FUZZ
@given(data=st.binary(max_size=4000))
def test_random_bytes_import_or_fail_with_the_file_named(data):
    try:
        read = pipeline.read_bytes(data, "random.bin")
    except ImportFailed as exc:
        assert exc.file == "random.bin" and exc.reason
    else:
        assert read.source.episodes


def _mutate(data: bytes, cuts: list[tuple[int, int, int]]) -> bytes:
    """Delete, duplicate or flip spans: the damage real downloads suffer."""
    buf = bytearray(data)
    for op, a, b in cuts:
        if not buf:
            break
        i, j = sorted((a % len(buf), b % len(buf)))
        j = min(j, i + 5000)
        if op == 0:
            del buf[i:j]
        elif op == 1:
            buf[i:i] = buf[i:j]
        else:
            buf[i:j] = bytes(x ^ 0x5A for x in buf[i:j])
    return bytes(buf)


_SOURCES = SEEDS + FIXTURES
_BYTES = {p: p.read_bytes() for p in _SOURCES}


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(index=st.integers(0, max(0, len(_SOURCES) - 1)),
       cuts=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2**31), st.integers(0, 2**31)),
                     min_size=1, max_size=6))
def test_mutated_real_documents_import_or_fail_cleanly(index, cuts):
    path = _SOURCES[index]
    data = _mutate(_BYTES[path], cuts)
    try:
        read = pipeline.read_bytes(data, path.name)
    except ImportFailed as exc:
        assert exc.file == path.name and exc.reason
        assert "Error:" not in exc.reason, f"a parser bug surfaced as: {exc.reason}"
    else:
        assert read.source.episodes


def test_memory_stays_bounded_on_the_largest_seed():
    """Parsing holds a few copies of the text at most, not one per line."""
    data = max(_BYTES.values(), key=len)
    tracemalloc.start()
    try:
        pipeline.read_bytes(data, "big.txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(data) + 20_000_000
