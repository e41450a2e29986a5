"""Exports to bad paths: every format goes through one writer (`export.files`) that
writes beside the target and renames into place, and refuses what is not a regular
file or a new name with a one-line error naming the path."""

from __future__ import annotations

import errno
import os
import stat

import pytest

pytest.importorskip("aiviewer.ingest.labelled")

from aiviewer.cli import main  # noqa: E402
from aiviewer.errors import ExportFailed  # noqa: E402
from aiviewer.export import files  # noqa: E402
from aiviewer.library import Library  # noqa: E402

FORMATS = ("markdown", "csv", "w3c", "qdpx", "html")
TRANSCRIPT = """# A talk about RL

Nathan Lambert: The interesting thing about GRPO is that it drops the value model entirely.
Ross Taylor: Yes, and the group baseline does the work the critic used to do.
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("export-files")
    src = tmp_path / "talk.md"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    with Library(tmp_path / "lib") as lib:
        assert not lib.import_paths([src]).value.failed
        [e] = lib.episodes()
        text = lib.episode(e.id).text
        at = text.index("drops the value model")
        lib.annotate(e.id, at, at + 21, note_md="a note", tags=["method/RL"])
    return tmp_path / "lib"


def export(capsys, data_dir, fmt, *out):
    code = main(["--data-dir", str(data_dir), "export", "--format", fmt, *out])
    got = capsys.readouterr()
    return code, got.out, got.err


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_folder_is_a_one_line_error(data_dir, tmp_path, capsys, fmt):
    target = tmp_path / "nonexistent" / "x"
    code, out, err = export(capsys, data_dir, fmt, "-o", str(target))
    assert code == 2 and "Traceback" not in err
    assert err.strip().count("\n") == 0
    assert err.startswith(f"error: cannot export to {target}: the folder ")
    assert "does not exist" in err
    assert not target.parent.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_folder_is_refused(data_dir, tmp_path, capsys, fmt):
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = export(capsys, data_dir, fmt, "-o", str(folder))
    assert code == 2
    assert err == f"error: cannot export to {folder}: it is a folder; name a new or a regular file\n"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_symlink_is_refused_not_written_through(data_dir, tmp_path, capsys, fmt):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "link"
    link.symlink_to(victim)
    code, _, err = export(capsys, data_dir, fmt, "-o", str(link))
    assert code == 2 and "it is a symbolic link" in err and str(link) in err
    assert link.is_symlink() and victim.read_text() == "precious"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_a_device_is_refused(data_dir, capsys, fmt, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    code, _, err = export(capsys, data_dir, fmt, "-o", device)
    assert code == 2
    assert err == f"error: cannot export to {device}: it is a device; name a new or a regular file\n"
    assert stat.S_ISCHR(os.stat(device).st_mode)  # still a device, not a zip file


def test_a_fifo_is_refused_without_hanging(data_dir, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = export(capsys, data_dir, "csv", "-o", str(fifo))
    assert code == 2 and "it is a named pipe" in err


@pytest.mark.parametrize("fmt", FORMATS)
def test_disk_full_leaves_nothing_and_keeps_the_old_file(data_dir, tmp_path, capsys,
                                                         monkeypatch, fmt):
    target = tmp_path / "old.out"
    target.write_text("the previous export")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", full)
    code, _, err = export(capsys, data_dir, fmt, "-o", str(target))
    assert code == 2
    assert err == f"error: cannot export to {target}: the disk is full; nothing was written\n"
    assert target.read_text() == "the previous export"
    assert _leftovers(tmp_path) == []


def test_a_failing_renderer_leaves_nothing(tmp_path):
    target = tmp_path / "x.csv"
    with pytest.raises(RuntimeError), files.replacing(target) as f:
        f.write(b"half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_new_and_existing_regular_files_are_written(data_dir, tmp_path, capsys, fmt):
    target = tmp_path / f"new.{fmt}"
    code, _, err = export(capsys, data_dir, fmt, "-o", str(target))
    assert code == 0 and err == f"wrote {target}\n"
    first = target.read_bytes()
    assert b"drops the value model" in first or fmt == "qdpx"
    os.chmod(target, 0o640)
    code, _, _ = export(capsys, data_dir, fmt, "-o", str(target))
    assert code == 0 and stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_new_file_gets_the_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        files.write_text(tmp_path / "a.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "a.md").st_mode) == 0o644


@pytest.mark.parametrize("out", [(), ("-o", "-")])
def test_standard_output_still_works(data_dir, capsys, out, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, text, _ = export(capsys, data_dir, "csv", *out)
    assert code == 0 and "drops the value model" in text
    assert not (tmp_path / "-").exists()


def test_qdpx_needs_a_file(data_dir, capsys):
    code, _, err = export(capsys, data_dir, "qdpx", "-o", "-")
    assert code == 2 and "needs an output file" in err


def test_library_api_raises_export_failed(data_dir, tmp_path):
    with Library(data_dir) as lib, pytest.raises(ExportFailed) as info:
        lib.export_annotations("html", tmp_path / "nope" / "x.html")
    assert info.value.path == str(tmp_path / "nope" / "x.html")
