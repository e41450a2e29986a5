"""`aiviewer speakers`, `aiviewer turns` and `aiviewer details` (issue 16) on the
seed Lex episode: the same corrections as the reader's keys, from a shell."""

from __future__ import annotations

import json

from aiviewer.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_split_assign_rename_and_details_from_the_command_line(tmp_path, capsys, seeds_dir):
    d = str(tmp_path / "lib")
    lex = str(seeds_dir / "003_2e3fad989d5a5666.txt")
    assert run(capsys, "--data-dir", d, "import", lex)[0] == 0
    code, out, _ = run(capsys, "--data-dir", d, "turns", "list", "yt-EV7")
    assert code == 0 and "   3          Speaker 1: Uh Nathan, what do you think?" in out
    code, out, _ = run(capsys, "--data-dir", d, "turns", "split", "yt-EV7", "3",
                       "--before", "you see the labs")
    assert (code, out.strip()) == (0, "Split turn 3")
    assert run(capsys, "--data-dir", d, "turns", "assign", "yt-EV7", "4",
               "--speaker", "Nathan Lambert")[0] == 0
    assert run(capsys, "--data-dir", d, "speakers", "rename", "yt-EV7", "Speaker 1",
               "Lex Fridman")[0] == 0
    code, out, _ = run(capsys, "--data-dir", d, "speakers", "list", "yt-EV7", "--json")
    data = json.loads(out)
    assert {"label": "Nathan Lambert", "name": "Nathan Lambert", "turns": 1} in data["speakers"]
    assert {"label": "Speaker 1", "name": "Lex Fridman", "turns": 201} in data["speakers"]
    assert "Sebastian Raschka" in data["suggestions"]
    code, out, _ = run(capsys, "--data-dir", d, "turns", "edits", "yt-EV7")
    assert code == 0 and "2 edits, 0 no longer fit the text" in out
    code, out, err = run(capsys, "--data-dir", d, "turns", "merge", "yt-EV7", "1")
    assert code == 2 and "no turn before it" in err
    code, out, err = run(capsys, "--data-dir", d, "details", "yt-EV7", "--date", "31 Jan 2026",
                         "--title", "State of AI 2026")
    assert code == 0 and "date (yours): 2026-01-31" in out
    code, out, _ = run(capsys, "--data-dir", d, "list", "--json")
    [ep] = json.loads(out)["episodes"]
    assert (ep["title"], ep["show"], ep["date"]) == ("State of AI 2026", "Lex Fridman Podcast",
                                                     "2026-01-31")
    code, _, err = run(capsys, "--data-dir", d, "details", "yt-EV7", "--url", "ftp://x")
    assert code == 2 and "not a web address" in err
