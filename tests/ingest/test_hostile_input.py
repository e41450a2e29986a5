"""Hostile input paths and files (issue 12): every one is the file's one-line error,
never a crash, a hang or a read of gigabytes, and the good files beside them import.
Everything goes through `Library.import_paths` or the CLI, not only the parsers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.ingest import reader
from aiviewer.library import Library
from aiviewer.progress import Cancelled, CancelToken

REPO = Path(__file__).resolve().parents[2]
TRANSCRIPT = ("Grace Hopper: Welcome to the show, everyone.\n"
              "Alan Turing: Thank you. Let us talk about {topic}.\n"
              "Grace Hopper: Good. What can they compute?\n"
              "Alan Turing: Anything that is computable, given time.\n")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
posix = pytest.mark.skipif(os.name != "posix", reason="pipes, devices and modes are POSIX")


def _good(topic: str) -> str:
    return TRANSCRIPT.format(topic=topic)


@pytest.fixture
def lib(tmp_path):
    library = Library(tmp_path / "lib")
    yield library
    library.close()


def _by_name(report) -> dict[str, object]:
    return {os.path.basename(o.path): o for o in report.outcomes}


# -- what a path is -------------------------------------------------------------------


@posix
def test_a_named_pipe_is_refused_without_blocking(lib, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = {}
    worker = threading.Thread(target=lambda: done.update(r=lib.import_paths([fifo]).value))
    worker.start()
    worker.join(120)  # a hang guard: opening a pipe for reading would wait forever
    assert not worker.is_alive(), "the import waited on the pipe"
    [out] = done["r"].failed
    assert "named pipe" in out.error


@posix
def test_devices_are_refused_by_name_and_through_a_link(lib, tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    report = lib.import_paths(["/dev/zero", link, "/dev/null"]).value
    assert [o.status for o in report.outcomes] == ["failed"] * 3
    assert all("device" in o.error for o in report.outcomes)


@posix
def test_a_socket_is_refused(lib, tmp_path):
    import socket

    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "s.txt"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        [out] = lib.import_paths([tmp_path / "in"]).value.failed
        assert "socket" in out.error
    finally:
        sock.close()


def test_a_sparse_3_gb_file_is_refused_on_its_size_without_reading_it(lib, tmp_path):
    big = tmp_path / "sparse.txt"
    with open(big, "wb") as fh:
        fh.truncate(3 * 1024**3)
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [out] = lib.import_paths([big]).value.failed
    assert "too large" in out.error and "3072.0 MB" in out.error
    grew_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grew_kb < 200 * 1024  # read with a bound, if at all


def test_reads_stop_at_the_limit_plus_one_byte(tmp_path, monkeypatch):
    """A file that says it is small (a /proc file says 0) is still read with a bound."""
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def lying_fstat(fd):
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *tuple(st)[1:6], 0, *tuple(st)[7:]))

    monkeypatch.setattr(reader.os, "fstat", lying_fstat)
    calls = []
    real_read = os.read
    monkeypatch.setattr(reader.os, "read", lambda fd, n: calls.append(n) or real_read(fd, n))
    with pytest.raises(ImportFailed, match="too large"):
        reader.read_input(path, limit=1000)
    assert sum(calls) <= 1001
    assert reader.read_input(path, limit=5000) == b"x" * 5000


def test_a_folder_named_as_a_file_and_a_missing_file(lib, tmp_path):
    (tmp_path / "empty").mkdir()
    report = lib.import_paths([tmp_path / "empty", tmp_path / "nope.txt"]).value
    errors = [o.error for o in report.failed]
    assert "no transcript files" in errors[0] and "no such file" in errors[1]
    with pytest.raises(ImportFailed, match="folder"):
        reader.read_input(tmp_path / "empty")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_file_name_that_is_not_utf8_is_imported_and_shown_readable(lib, tmp_path):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    with open(folder + b"/bad\xff\xfename.txt", "w", encoding="utf-8") as fh:
        fh.write(_good("cats"))
    with open(folder + b"/also\xff.txt", "wb") as fh:
        fh.write(b"\x00\x01\x02binary" * 100)
    report = lib.import_paths([folder.decode("utf-8", "surrogateescape")]).value
    names = sorted(os.path.basename(o.path) for o in report.outcomes)
    assert names == ["also\\xff.txt", "bad\\xff\\xfename.txt"]
    assert report.added == 1 and len(report.failed) == 1
    # the same bytes given as a bytes path: one file, unchanged
    again = lib.import_paths([folder + b"/bad\xff\xfename.txt"]).value
    assert [o.status for o in again.outcomes] == ["unchanged"]
    for o in report.outcomes:
        o.path.encode("utf-8")  # storable and printable


def test_a_file_name_with_a_newline_keeps_its_error_on_one_line(lib, tmp_path):
    bad = tmp_path / "two\nlines.txt"
    bad.write_bytes(b"")
    [out] = lib.import_paths([bad]).value.failed
    assert "\n" not in out.path and out.path.endswith("two\\nlines.txt")
    assert "\n" not in out.error


def test_readable_name_escapes_control_characters_and_bad_bytes():
    assert reader.readable_name(b"a\xffb\n\x1b[31m.txt") == "a\\xffb\\n\\x1b[31m.txt"
    assert reader.readable_name("ok/caf\u00e9.txt") == "ok/caf\u00e9.txt"


def _deny_folder(monkeypatch, denied: str) -> None:
    """An unreadable folder that stays unreadable for root (tests run as root in CI)."""
    real = os.scandir

    def scandir(path="."):
        if os.path.realpath(path) == os.path.realpath(denied):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(reader.os, "scandir", scandir)


def test_an_unreadable_subfolder_is_reported_and_the_rest_imports(lib, tmp_path, monkeypatch):
    top = tmp_path / "in"
    (top / "locked").mkdir(parents=True)
    (top / "locked" / "hidden.txt").write_text(_good("dogs"), encoding="utf-8")
    (top / "good.txt").write_text(_good("cats"), encoding="utf-8")
    _deny_folder(monkeypatch, str(top / "locked"))
    report = lib.import_paths([top]).value
    assert report.added == 1
    [out] = report.failed
    assert out.path.endswith("locked") and "permission denied" in out.error


@posix
@pytest.mark.skipif(ROOT, reason="root reads any folder; the in-process test simulates it")
def test_a_link_into_an_unreadable_folder_is_one_line(lib, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(_good("dogs"), encoding="utf-8")
    top = tmp_path / "in"
    top.mkdir()
    (top / "link.txt").symlink_to(locked / "x.txt")
    (top / "good.txt").write_text(_good("cats"), encoding="utf-8")
    locked.chmod(0)
    try:
        report = lib.import_paths([top, locked, top / "link.txt"]).value
    finally:
        locked.chmod(0o755)
    assert report.added == 1
    assert len(report.failed) == 3
    assert all("permission denied" in o.error for o in report.failed)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="no /proc")
def test_proc_files_are_read_with_a_bound_or_refused(lib):
    report = lib.import_paths(["/proc/self/status", "/proc/self/mem", "/proc/self/fd"]).value
    assert len(report.outcomes) >= 3
    assert all(o.status in {"added", "updated", "unchanged", "failed"} for o in report.outcomes)
    assert all(o.error is None or "\n" not in o.error for o in report.outcomes)


# -- what a file holds ----------------------------------------------------------------


def test_a_lone_surrogate_in_whisper_json_is_replaced(lib, tmp_path):
    path = tmp_path / "surrogate.json"
    path.write_text('{"title": "t\\udc00", "segments": [{"start": 0, "end": 1, '
                    '"text": "hi \\ud800 there", "speaker": "SPEAKER_\\udfff"}]}',
                    encoding="utf-8")
    report = lib.import_paths([path]).value
    assert report.added == 1, report.outcomes
    [ep] = lib.episodes()
    text = lib.episode(ep.id).segments[0].text
    assert text == "hi \ufffd there"


@pytest.mark.parametrize("name,data", [
    ("front.md", "---\ntitle: X\nurl: https://[oops/ep\n---\n" + _good("front matter")),
    ("whisper.json", json.dumps({"url": "https://[oops/ep", "segments": [
        {"start": 0, "end": 1, "text": "hello world again and again"}]})),
    ("page.txt", "https://[oops/ep\n\n" + _good("pages")),
])
def test_a_malformed_url_is_dropped_not_fatal(lib, tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    report = lib.import_paths([path]).value
    assert not report.failed, report.outcomes
    assert report.added == 1


def test_an_unexpected_parser_bug_is_the_files_one_line_error(lib, tmp_path, monkeypatch):
    from aiviewer.ingest import labelled

    def broken(text):
        raise KeyError("boom\nsecond line")

    monkeypatch.setattr(labelled, "parse", broken)
    (tmp_path / "a.txt").write_text(_good("bugs"), encoding="utf-8")
    [out] = lib.import_paths([tmp_path / "a.txt"]).value.failed
    assert "KeyError" in out.error and "\n" not in out.error


# -- cancel ---------------------------------------------------------------------------


def test_an_interruptible_import_stops_part_way_and_rolls_the_file_back(lib, tmp_path,
                                                                        monkeypatch):
    (tmp_path / "a.txt").write_text(_good("first"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(_good("second file"), encoding="utf-8")
    token = CancelToken()
    real = Library._derive_from_text

    def write_then_signal(self, db, *args):
        real(self, db, *args)
        if self.counts()["episodes"] == 2:
            token.interrupt()  # what the SIGTERM handler does, mid-transaction

    monkeypatch.setattr(Library, "_derive_from_text", write_then_signal)
    report = lib.import_paths([tmp_path], cancel=token).value
    assert report.cancelled and report.added == 1
    assert lib.counts()["episodes"] == 1  # the second file was rolled back
    with pytest.raises(Cancelled), token.interruptible():
        pass


def _big_labelled(path: Path, lines: int) -> None:
    words = "the model reasoning scaling data open weights tokens agents".split()
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(lines):
            fh.write(f"Speaker {i % 3}: {words[i % 9]} {words[(i * 7) % 9]} "
                     f"{words[(i * 5) % 9]} number {i}\n")


@posix
def test_sigterm_stops_the_cli_import_within_a_second_even_mid_file(tmp_path):
    big = tmp_path / "big.txt"
    _big_labelled(big, 400_000)  # ~15 s to import whole on a slow machine
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "aiviewer", "--data-dir", str(tmp_path / "lib"), "import",
         "--json", "--progress-lines", str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stderr.readline().startswith("progress 0 1")
        time.sleep(1.0)  # in the middle of reading and parsing the file
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
        waited = time.monotonic() - sent
    finally:
        proc.kill()
    # stopped mid-file (nothing added, though the whole file takes ~15 s); the time it
    # took is printed, not asserted: speed belongs to the benchmarks
    print(f"SIGTERM honoured in {waited:.2f} s")
    data = json.loads(out)
    assert data["cancelled"] is True and data["added"] == 0
    with Library(tmp_path / "lib") as lib:
        assert lib.counts()["episodes"] == 0


# -- the "done when": one folder with every bad input --------------------------


@posix
def test_cli_imports_every_good_file_beside_all_the_bad_ones(tmp_path):
    top = tmp_path / "in"
    top.mkdir()
    for i, topic in enumerate(("cats", "dogs", "owls")):
        (top / f"good{i}.txt").write_text(_good(topic), encoding="utf-8")
    (top / "sub").mkdir()
    (top / "sub" / "good3.md").write_text(_good("bees"), encoding="utf-8")
    bad: dict[str, str] = {}
    os.mkfifo(top / "pipe.txt")
    bad["pipe.txt"] = "named pipe"
    with open(top / "sparse.txt", "wb") as fh:
        fh.truncate(3 * 1024**3)
    bad["sparse.txt"] = "too large"
    (top / "zero.txt").symlink_to("/dev/zero")
    bad["zero.txt"] = "device"
    (top / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    bad["dangling.txt"] = "link to nothing"
    (top / "surrogate.json").write_text(
        '{"segments": [{"start": 0, "end": 1, "text": "lone \\ud800 surrogate here"}]}',
        encoding="utf-8")  # imports, with U+FFFD
    (top / "badurl.md").write_text("---\nurl: https://[oops/ep\n---\n" + _good("urls"),
                                   encoding="utf-8")  # imports, without the URL
    (top / "new\nline.txt").write_bytes(b"")
    bad["new\\nline.txt"] = "empty"
    if sys.platform != "darwin":
        with open(os.fsencode(top) + b"/bad\xffname.txt", "wb") as fh:
            fh.write(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
        bad["bad\\xffname.txt"] = "binary"
    locked = top / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(_good("locks"), encoding="utf-8")
    (top / "into-locked.txt").symlink_to(locked / "x.txt")
    if not ROOT:  # root reads any folder (the in-process tests simulate it)
        bad["locked"] = "permission denied"
        bad["into-locked.txt"] = "permission denied"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    locked.chmod(0)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "aiviewer", "--data-dir", str(tmp_path / "lib"), "import",
             str(top)], capture_output=True, text=True, env=env, timeout=120)
    finally:
        locked.chmod(0o755)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert all(ln.startswith("error: ") for ln in lines), lines
    assert len(lines) == len(bad), lines
    for name, reason in bad.items():
        [line] = [ln for ln in lines if ln.split(": ")[1].endswith("/" + name)]
        assert reason in line, line
    # good0-3, surrogate.json, badurl.md (and, as root, locked/x.txt, which the link
    # into it names too: one file, so the second is "unchanged")
    assert proc.stdout.startswith(f"{6 + ROOT} episodes added"), proc.stdout


# -- size and time that scale ---------------------------------------------------------


def test_import_time_of_a_line_heavy_file_grows_in_proportion(tmp_path):
    """Time at n and 8n lines, as a ratio (8 is proportional, 64 quadratic); never a
    wall-clock limit.  The best of two runs each, to damp a busy machine."""

    def cost(lines: int) -> float:
        best = float("inf")
        for k in range(2):
            path = tmp_path / f"f{lines}-{k}.txt"
            _big_labelled(path, lines)
            with Library(tmp_path / f"lib{lines}-{k}") as lib:
                assert lib.matcher is not None  # built once per library, not part of the growth
                began = time.perf_counter()
                assert lib.import_paths([path]).value.added == 1
                best = min(best, time.perf_counter() - began)
        return best

    small, large = cost(2_500), cost(20_000)
    assert large / small < 20, (small, large)


def test_terminal_escapes_and_bidi_overrides_never_reach_the_store(lib, tmp_path):
    f = tmp_path / "esc.txt"
    f.write_text("---\ntitle: \"RL \x1b[31mred\x1b[0m talk\"\n---\n"
                 "Ada: we \x1b]8;;http://x\x07tried\x1b]8;;\x07 GRPO \u202eon Qwen.\n"
                 "Bob: and DPO\x0con Llama.\n"
                 + "Ada: and a long ordinary turn about reward models and RLHF.\n" * 20,
                 encoding="utf-8")
    assert not lib.import_paths([f]).value.failed
    [ep] = lib.episodes()
    full = lib.episode(ep.id)
    texts = [ep.title] + [s.text for s in full.segments]
    bad = [c for t in texts for c in t if (ord(c) < 32 and c not in "\t\n")
           or 0x7f <= ord(c) <= 0x9f or c in "\u202a\u202b\u202c\u202d\u202e"]
    assert bad == []
    assert any("GRPO" in t for t in texts)
