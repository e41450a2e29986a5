"""Turn edits are the user's data over imported text (issue 16): split, assign and
merge each are one undo step, move annotations with the words, show in search and
mentions at once, and are replayed (or reported) when the file is imported again."""

from __future__ import annotations

import re
import shutil

import pytest

from aiviewer.ingest import overlay
from aiviewer.library import Library
from aiviewer.model import ParsedSegment

LEX = "yt-EV7WhVT270Q"


@pytest.fixture
def lex(tmp_path, seeds_dir):
    """The seed Lex episode (seed 003) imported from a copy that tests may edit."""
    src = tmp_path / "lex.txt"
    shutil.copy(seeds_dir / "003_2e3fad989d5a5666.txt", src)
    lib = Library(tmp_path / "lib")
    lib.import_paths([src])
    yield lib, src
    lib.close()


def _mixed_turn(lib):
    """Turn 3: Lex's question "Uh Nathan, what do you think?" and Nathan's answer."""
    seg = lib.episode(LEX).segments[2]
    assert seg.text.startswith("Uh Nathan, what do you think?")
    return seg, seg.text.index("you see the labs")


def test_split_assign_undo_redo_and_annotations(lex):
    lib, _ = lex
    seg, pos = _mixed_turn(lib)
    before = len(lib.episode(LEX).segments)
    note = lib.annotate_quote(LEX, "put different energy", note_md="labs differ").value
    lib.split_turn(LEX, 2, pos)
    lib.assign_speaker(LEX, [2], "Lex Fridman")
    lib.assign_speaker(LEX, [3], "Nathan Lambert")
    ep = lib.episode(LEX)
    assert len(ep.segments) == before + 1
    assert ep.segments[2].text == "Uh Nathan, what do you think?"
    assert (ep.segments[2].speaker, ep.segments[3].speaker) == ("Lex Fridman", "Nathan Lambert")
    moved = lib.annotation(note.id)
    assert moved.status == "anchored" and ep.text[moved.start:moved.end] == "put different energy"
    assert moved.speaker == "Nathan Lambert"
    hits = lib.search('speaker:"Nathan Lambert" labs')
    assert hits.total == 1 and hits.hits[0].speaker == "Nathan Lambert"
    assert "Nathan Lambert" in lib.episodes()[0].speakers
    assert lib.undo_label() == "Assign turn 4 to Nathan Lambert"
    lib.undo()
    lib.undo()
    lib.undo()
    ep = lib.episode(LEX)
    assert len(ep.segments) == before and ep.segments[2].speaker == "Speaker 1"
    assert lib.turn_edits(LEX) == []
    back = lib.annotation(note.id)
    assert ep.text[back.start:back.end] == "put different energy"
    assert lib.search('speaker:"Nathan Lambert" labs').total == 0
    for _ in range(3):
        lib.redo()
    ep = lib.episode(LEX)
    assert (ep.segments[2].speaker, ep.segments[3].speaker) == ("Lex Fridman", "Nathan Lambert")
    assert len(lib.turn_edits(LEX)) == 3


def test_a_merge_undoes_a_split_and_mentions_follow(lex):
    lib, _ = lex
    seg, pos = _mixed_turn(lib)
    text = lib.episode(LEX).text
    lib.split_turn(LEX, 2, pos)
    mentions = lib.segment_mentions(LEX)
    ids = {s.id for s in lib.episode(LEX).segments}
    assert set(mentions) <= ids  # mentions point at the new segments
    lib.merge_turn(LEX, 3)
    assert lib.episode(LEX).text == text
    assert [r["op"] for r in lib.turn_edits(LEX)] == ["split", "merge"]


def test_reimport_replays_the_edits_and_reports_the_unfit(lex):
    lib, src = lex
    seg, pos = _mixed_turn(lib)
    note = lib.annotate_quote(LEX, "put different energy").value
    lib.split_turn(LEX, 2, pos)
    lib.assign_speaker(LEX, [3], "Nathan Lambert")
    # the file is corrected elsewhere (its first sentence): the episode is rewritten
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("The following is a conversation all",
                                "The following is a talk all"), encoding="utf-8")
    report = lib.import_paths([src]).value
    assert report.updated == 1 and report.outcomes[0].edits_unfit == 0
    ep = lib.episode(LEX)
    assert ep.segments[0].text.startswith("The following is a talk")
    assert ep.segments[3].speaker == "Nathan Lambert"
    assert ep.segments[2].text == "Uh Nathan, what do you think?"
    again = lib.annotation(note.id)
    assert again.status == "anchored" and ep.text[again.start:again.end] == "put different energy"
    # now the words the split was anchored on are gone from the file
    src.write_text(re.sub(r"you see\s+the labs", "the labs", text, count=1), encoding="utf-8")
    report = lib.import_paths([src]).value
    assert report.outcomes[0].edits_unfit == report.edits_unfit == 2
    from aiviewer.cli import report_summary
    assert "2 turn edits of yours no longer fit" in report_summary(report)
    assert [r["status"] for r in lib.turn_edits(LEX)] == ["unfit", "unfit"]


def test_assign_to_a_named_speaker_uses_its_label(lex):
    lib, _ = lex
    lib.rename_speaker(LEX, "Speaker 1", "Lex Fridman")
    lib.assign_speaker(LEX, [1], "lex fridman")
    seg = lib.episode(LEX).segments[1]
    assert (seg.speaker, seg.speaker_label) == ("Lex Fridman", "Speaker 1")


def test_suggestions_name_the_people_of_the_episode(lex):
    lib, _ = lex
    names = lib.speaker_suggestions(LEX)
    assert names[:2] == ["Speaker 1", "Speaker 2"]
    assert {"Nathan Lambert", "Sebastian Raschka"} <= set(names)
    assert names[2] == "Lex Fridman"  # the host of the show the title names


def test_overlay_finds_repeated_text_nearest_its_turn():
    segs = [ParsedSegment("yes. and so on", "A"), ParsedSegment("x"),
            ParsedSegment("yes. and so on", "A")]
    edit = overlay.split_edit(segs, 2, 5)
    out, unfit = overlay.apply(segs, [edit])
    assert not unfit and [s.text for s in out] == ["yes. and so on", "x", "yes.", "and so on"]
    assert overlay.apply([ParsedSegment("other words")], [edit])[1] == [edit]
    move = overlay.shift("ab cd ef", "ab\n\ncd ef")
    assert (move(0), move(3), move(6)) == (0, 4, 7)
