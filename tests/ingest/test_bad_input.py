"""Bad input: every bad file gets one line naming it and the reason, the other
files still import, the store is untouched by the failures, and odd but valid
encodings decode to the same episode."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest
from growth_check import LINEAR, growth

from aiviewer.errors import ImportFailed
from aiviewer.ingest import pipeline
from aiviewer.library import Library

TRANSCRIPT = ("Grace Hopper: Welcome, café “regulars” — naïve questions welcome.\n"
              "Alan Turing: Thank you. Let us talk about machines.\n"
              "Grace Hopper: Good. What can they compute?\n"
              "Alan Turing: Anything that is computable, given time.\n")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8

BAD = {
    "picture.txt": PNG,
    "empty.txt": b"",
    "blank.md": b" \n\r\n\t \n",
    "broken.vtt": b"WEBVTT\n\nthis is not a cue\n",
    "broken.srt": b"1\n00:00:01,000 -> 00:00:02\nHello\n",
    "broken.json": b'{"segments": [{"start": 0, "end": 1, "text": "cut off',
    "nothing.json": b'{"language": "en"}',
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_read_file_refuses_with_a_reason(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD[name])
    with pytest.raises(ImportFailed) as info:
        pipeline.read_file(path)
    assert info.value.file == str(path)
    assert info.value.reason and "\n" not in info.value.reason
    assert name in str(info.value)


def test_import_goes_on_past_bad_files_and_leaves_the_store_alone(tmp_path):
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text(TRANSCRIPT, encoding="utf-8")
    lib = Library(tmp_path / "lib")
    try:
        assert not lib.import_paths([good]).value.failed
        before = lib.counts()
        titles = [e.title for e in lib.episodes()]
        bad_dir = tmp_path / "bad"
        bad_dir.mkdir()
        for name, data in BAD.items():
            (bad_dir / name).write_bytes(data)
        empty_dir = tmp_path / "no-transcripts"
        (empty_dir / "sub").mkdir(parents=True)
        (empty_dir / "sub" / "cover.png").write_bytes(PNG)
        report = lib.import_paths([bad_dir, empty_dir, tmp_path / "missing.txt"]).value
        failed = {Path(o.path).name: o.error for o in report.failed}
        assert set(failed) == set(BAD) | {"no-transcripts", "missing.txt"}
        assert all(err and "\n" not in err for err in failed.values())
        assert "empty" in failed["empty.txt"] and "binary" in failed["picture.txt"]
        assert "no transcript" in failed["no-transcripts"]
        assert report.added == report.updated == 0
        assert lib.counts() == before
        assert [e.title for e in lib.episodes()] == titles
        # a good file next to bad ones still comes in
        (bad_dir / "also-good.md").write_text(TRANSCRIPT.replace("machines", "engines"),
                                              encoding="utf-8")
        report = lib.import_paths([bad_dir]).value
        assert len(report.failed) == len(BAD)
        assert report.added + report.merged >= 1
    finally:
        lib.close()


def _encoded(text: str) -> dict[str, bytes]:
    return {
        "utf8": text.encode("utf-8"),
        "utf8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf16le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf16be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "cp1252": text.encode("cp1252"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "cr": text.replace("\n", "\r").encode("utf-8"),
    }


@pytest.mark.parametrize("encoding", sorted(_encoded("x")))
def test_encodings_and_line_ends_give_the_same_episode(tmp_path, encoding):
    expected = pipeline.parse_text(TRANSCRIPT, "t.txt").episodes[0].segments
    path = tmp_path / "t.txt"
    path.write_bytes(_encoded(TRANSCRIPT)[encoding])
    [ep] = pipeline.read_file(path).source.episodes
    assert ep.segments == expected
    assert ep.segments[0].text == "Welcome, café “regulars” — naïve questions welcome."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_subtitles_and_json_in_other_encodings(tmp_path, encoding):
    vtt = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Zoë>Größe matters.\r\n"
    path = tmp_path / "a.vtt"
    path.write_bytes(vtt.encode(encoding))  # Python's utf-16 writes a BOM
    [ep] = pipeline.read_file(path).source.episodes
    assert (ep.segments[0].speaker, ep.segments[0].text) == ("Zoë", "Größe matters.")
    data = json.dumps({"segments": [{"start": 0, "end": 1, "text": "Ça va?"}]},
                      ensure_ascii=False)
    path = tmp_path / "a.json"
    path.write_bytes(codecs.BOM_UTF8 + data.encode("utf-8"))
    [ep] = pipeline.read_file(path).source.episodes
    assert ep.segments[0].text == "Ça va?"


def test_multibyte_characters_across_the_sniffing_boundary(tmp_path):
    """decode.py looks at the first 8 KiB to tell UTF-16 and binary apart; a
    character cut by that boundary, or a cp1252 byte long after it, must still
    decode as the whole file says."""
    for pad in range(8186, 8194):
        text = "Grace Hopper: " + "a" * pad + " “€uro” 中文\nAlan Turing: ok.\n" * 2
        path = tmp_path / f"p{pad}.txt"
        path.write_bytes(text.encode("utf-8"))
        [ep] = pipeline.read_file(path).source.episodes
        assert ep.segments[0].text.endswith("“€uro” 中文")
    late = ("Grace Hopper: " + "plain ascii words " * 1000 + "\nAlan Turing: caf\xe9.\n") * 2
    path = tmp_path / "late.txt"
    path.write_bytes(late.encode("cp1252"))
    [ep] = pipeline.read_file(path).source.episodes
    assert ep.segments[1].text == "café."


BIG = 50 * 1024 * 1024
_CHILD = """
import resource, sys, time
from aiviewer.errors import ImportFailed
from aiviewer.ingest import pipeline
start = time.perf_counter()
try:
    pipeline.read_file(sys.argv[1])
    outcome = "imported"
except ImportFailed as exc:
    outcome = "refused: " + exc.reason
# the peak of this process's own memory: ru_maxrss keeps the parent's peak across fork
# and exec on Linux (a test run that has grown to 450 MB would be blamed on this child)
try:
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - start, peak, outcome)
"""


@pytest.mark.parametrize("name, head, tail", [
    ("huge.txt", b"", b""),
    ("huge.vtt", b"WEBVTT ", b""),
    ("huge.json", b'{"text": "', b'"}'),
    ("huge-list.json", b'[', b''),
])
def test_fifty_megabytes_without_a_line_break(tmp_path, name, head, tail):
    path = tmp_path / name
    with open(path, "wb") as out:
        chunk = b"lorem ipsum dolor sit amet, consectetur adipiscing elit " * 1024
        written = 0
        out.write(head)
        while written < BIG:
            out.write(chunk)
            written += len(chunk)
        out.write(tail)
    run = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                         text=True, timeout=300)  # a hang guard, not a speed claim
    assert run.returncode == 0, run.stderr
    seconds, maxrss_kb, outcome = run.stdout.split(" ", 2)
    assert outcome.startswith("refused"), outcome
    assert int(maxrss_kb) < 400 * 1024, (maxrss_kb, outcome)  # a few copies, not dozens


@pytest.mark.parametrize("unit", ["<!--", "{{<", "<a ", "[music ", "**", "1:", "Aa.", "a.B",
                                  "toThe ", "Ann Lee (00:05)", "0:00\n", "- [Ann] "])
@pytest.mark.parametrize("name", ["x.txt", "x.vtt", "x.json"])
def test_pathological_text_is_read_in_linear_time(unit, name):
    """A megabyte of one repeated fragment: patterns that backtrack or rescan
    (an unclosed `<!--` regex took minutes) must not."""
    def at(size: int):
        text = (unit * (size // len(unit) + 1))[:size]

        def parse():
            try:
                pipeline.parse_text(text, name)
            except ImportFailed:
                pass
        return parse
    assert growth(at, 125_000, runs=1) < LINEAR


def test_utf8_with_stray_cp1252_bytes_keeps_both(tmp_path):
    data = ("Grace Hopper: “naïve” café, ".encode() + "résumé ’".encode("cp1252")
            + " 中文\nAlan Turing: ok.\n".encode() + b"Grace Hopper: more.\nAlan Turing: end.\n")
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    [ep] = pipeline.read_file(path).source.episodes
    assert ep.segments[0].text == "“naïve” café, résumé ’ 中文"


@pytest.mark.parametrize("head", [
    "".join(f"Ann Lee [00:00:0{i}]: hi there.\n" for i in range(6)),  # app page
    "Ann Lee: hi.\nBo Chen: hello.\nAnn Lee: so\n",  # labelled turns
    "Some notes\n\nthe paragraph starts\n",  # plain paragraphs
    "0:00\nhello there\n",  # timed lines
])
def test_long_continuations_are_linear(head):
    def text(lines: int) -> str:
        return head + "".join(f"more text here number {k} said Ann\n" for k in range(lines))
    def at(lines: int):
        t = text(lines)
        return lambda: pipeline.parse_text(t, "long.txt")
    assert growth(at, 7_500) < LINEAR
    [ep] = pipeline.parse_text(text(60_000), "long.txt").episodes
    assert "number 59999" in " ".join(s.text for s in ep.segments)
