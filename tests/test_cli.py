"""The command line: import, list, show, JSON contract, exit statuses."""

from __future__ import annotations

import json

import pytest

from aiviewer.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert "aiviewer" in capsys.readouterr().out


def test_empty_library_lists_nothing(tmp_path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "list", "--json")
    assert code == 0
    assert json.loads(out) == {"version": 1, "episodes": []}


def test_data_dir_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AIVIEWER_DATA_DIR", str(tmp_path / "lib"))
    run(capsys, "list")
    assert (tmp_path / "lib" / "library.sqlite").exists()


def test_bad_inputs_fail_alone_and_set_the_exit_status(tmp_path, capsys):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (bad / "empty_dir").mkdir()
    good = tmp_path / "good.vtt"
    good.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada>Hello there, this is a test.\n")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "lib"), "import", str(bad),
                         str(good), str(tmp_path / "missing.txt"))
    assert code == 1
    assert "empty.txt: the file is empty" in err
    assert "binary.txt: this is a binary file" in err
    assert "missing.txt: no such file" in err
    assert "1 episode added" in out
    assert "3 files failed" in out


def test_counts_are_singular_for_one(tmp_path, capsys):
    good = tmp_path / "good.vtt"
    good.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada>Hello there, a test.\n")
    lib = ("--data-dir", str(tmp_path / "lib"))
    _, out, _ = run(capsys, *lib, "import", str(good))
    assert out.startswith("1 episode added,") and "0 files failed" in out
    _, out, _ = run(capsys, *lib, "import", str(good))
    assert "1 file unchanged" in out
    _, out, _ = run(capsys, *lib, "about")
    assert "1 episode, 1 segment, 0 annotations" in out
    _, out, _ = run(capsys, *lib, "reindex")
    assert "reindexed 1 episode, 1 passage" in out
    _, out, _ = run(capsys, *lib, "search", "hello")
    assert out.startswith("1 passage for")
    _, out, _ = run(capsys, *lib, "show", "good")
    assert "· 1 segment" in out
    _, out, _ = run(capsys, *lib, "about", "--json")
    assert json.loads(out)["about"]["counts"]["episodes"] == 1


def test_plural():
    from aiviewer.wording import plural

    assert [plural(n, "episode") for n in (0, 1, 2)] == ["0 episodes", "1 episode", "2 episodes"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"


def test_show_unknown_episode_is_an_error(tmp_path, capsys):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "show", "nope")
    assert code == 1
    assert "no episode matches" in err


def test_without_a_display_the_app_says_so_instead_of_aborting(tmp_path):
    import os
    import subprocess
    import sys

    from aiviewer.cli import display_missing

    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["AIVIEWER_EXIT_AFTER_MS"] = "1"  # should the app start after all, it quits at once
    done = subprocess.run([sys.executable, "-m", "aiviewer", "--data-dir", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no display found")
    assert "QT_QPA_PLATFORM=offscreen" in lines[0] and "xcb-cursor" not in done.stderr
    assert not (tmp_path / "library.sqlite").exists()

    assert display_missing({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not display_missing({"DISPLAY": ":0"}, "linux")
    assert not display_missing({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not display_missing({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not display_missing({}, "darwin")


def test_show_outline_lists_the_chapters_as_the_outline_tab_does(tmp_path, capsys, seeds_dir):
    lib = ["--data-dir", str(tmp_path)]
    run(capsys, *lib, "import", str(seeds_dir))
    code, out, _ = run(capsys, *lib, "show", "Nathan Lambert with Ross Taylor", "--outline")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[0] == "02:12" and "Papers with Code" in lines[1]
    code, out, _ = run(capsys, *lib, "show", "Nathan Lambert with Ross Taylor", "--outline",
                       "--json")
    data = json.loads(out)
    assert data["version"] == 1 and len(data["outline"]) == 13
    assert set(data["outline"][0]) == {"title", "start_ms", "segment_id", "chapter"}
    assert all(e["chapter"] and e["segment_id"] for e in data["outline"])
