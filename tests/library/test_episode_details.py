"""Episode details are the user's over what files say (issue 16): shown at once in
the list, search facets and exports, kept through re-imports, one undo step."""

from __future__ import annotations

import shutil

import pytest

from aiviewer.errors import AiviewerError
from aiviewer.library import Library

LEX = "yt-EV7WhVT270Q"


@pytest.fixture
def lex(tmp_path, seeds_dir):
    src = tmp_path / "lex.txt"
    shutil.copy(seeds_dir / "003_2e3fad989d5a5666.txt", src)
    lib = Library(tmp_path / "lib")
    lib.import_paths([src])
    yield lib, src
    lib.close()


def test_edit_show_title_date_everywhere_and_through_reimport(lex):
    lib, src = lex
    lib.annotate_quote(LEX, "put different energy")
    assert lib.episode_details(LEX)["show"] == "Lex Fridman Podcast"
    lib.edit_details(LEX, title="State of AI 2026", show="Lex Fridman", date="Jan 31, 2026")
    [row] = lib.episodes()
    assert (row.title, row.show, row.date) == ("State of AI 2026", "Lex Fridman", "2026-01-31")
    results = lib.search("scaling")
    assert results.facets["show"] == {"Lex Fridman": results.facets["show"]["Lex Fridman"]}
    assert set(results.facets["year"]) == {"2026"}
    assert lib.search('show:"Lex Fridman" scaling').total == results.total
    titled = lib.search('"State of AI 2026"').hits
    assert [(h.field, h.episode_title) for h in titled] == [("title", "State of AI 2026")]
    csv = lib.export_annotations("csv")
    assert "State of AI 2026,Lex Fridman,2026-01-31" in csv
    assert [s.title for s in lib.shows()] == ["Lex Fridman"]  # the emptied show went

    src.write_text(src.read_text(encoding="utf-8").replace(
        "The following is a conversation all", "The following is a talk all"), encoding="utf-8")
    assert lib.import_paths([src]).value.updated == 1
    [row] = lib.episodes()
    assert (row.title, row.show, row.date) == ("State of AI 2026", "Lex Fridman", "2026-01-31")
    assert lib.episode_details(LEX)["edited"] == ["date", "show", "title"]

    assert lib.undo_label().startswith("Edit title, show, date")
    lib.undo()
    [row] = lib.episodes()
    assert (row.show, row.date) == ("Lex Fridman Podcast", None)
    assert row.title.endswith("| Lex Fridman Podcast #490")
    lib.redo()
    assert lib.episodes()[0].title == "State of AI 2026"


def test_bad_details_are_refused_with_a_reason(lex):
    lib, _ = lex
    with pytest.raises(AiviewerError, match="not a date"):
        lib.edit_details(LEX, date="someday")
    with pytest.raises(AiviewerError, match="title"):
        lib.edit_details(LEX, title="  ")
    with pytest.raises(AiviewerError, match="web address"):
        lib.edit_details(LEX, url="javascript:alert(1)")
    assert lib.edit_details(LEX, show="Lex Fridman Podcast").empty  # nothing changed
    assert lib.undo_label() is None
