"""Bytes of unknown origin become text, or a clear refusal naming the file."""

from __future__ import annotations

import codecs

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.ingest.decode import decode_text

TEXT = "Nathan Lambert: Qwen’s café — “reasoning”\nRoss Taylor: yes\n"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("cp1252"),
])
def test_encodings_decode_to_the_same_text(data):
    assert decode_text(data, "t.txt") == TEXT


def test_line_ends_are_normalised():
    assert decode_text(b"a\r\nb\rc\n", "t.txt") == "a\nb\nc\n"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x01" * 500, "binary"),
])
def test_refusals_name_the_file_and_reason(data, reason):
    with pytest.raises(ImportFailed) as info:
        decode_text(data, "bad.bin")
    assert info.value.file == "bad.bin"
    assert reason in info.value.reason


def test_huge_file_without_line_breaks_is_refused_quickly():
    data = b"word " * (10 * 1024 * 1024)  # 50 MB, one line
    with pytest.raises(ImportFailed, match="no line breaks"):
        decode_text(data, "huge.txt")


def test_long_minified_json_is_allowed():
    data = b'{"segments": [' + b'{"start": 0, "end": 1, "text": "hi"},' * 80_000 + b"{}]}"
    assert decode_text(data, "w.json").startswith("{")
