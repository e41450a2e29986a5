"""Hostile annotation files through `Library.import_annotations` (issue 12): huge
positions, lone surrogates, QDPX selections outside their text, QDPX round trips of
ids that are not UUIDs, files that are not files."""

from __future__ import annotations

import json
import os
import zipfile

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.library import Library

TRANSCRIPT = ("Grace Hopper: Welcome to the show, everyone.\n"
              "Alan Turing: Thank you. Let us talk about machines that think.\n"
              "Grace Hopper: Good. What can they compute?\n")


@pytest.fixture
def lib(tmp_path):
    (tmp_path / "t.txt").write_text(TRANSCRIPT, encoding="utf-8")
    library = Library(tmp_path / "lib")
    assert library.import_paths([tmp_path / "t.txt"]).value.added == 1
    yield library
    library.close()


def _episode(lib) -> str:
    return lib.episodes()[0].id


def _w3c(path, items) -> str:
    path.write_text(json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld",
                                "type": "AnnotationCollection", "items": items},
                               ensure_ascii=True), encoding="utf-8")
    return str(path)


def _item(eid: str, aid: str = "note-1", start=10**20, end=10**20 + 8, exact="machines",
          note="a note", tag="topic"):
    return {"id": aid, "type": "Annotation", "created": "2026-01-01T00:00:00Z",
            "modified": "2026-01-01T00:00:00Z",
            "body": [{"type": "TextualBody", "purpose": "commenting", "value": note},
                     {"type": "TextualBody", "purpose": "tagging", "value": tag}],
            "target": {"source": f"urn:aiviewer:episode:{eid}", "selector": [
                {"type": "TextQuoteSelector", "exact": exact},
                *([{"type": "TextPositionSelector", "start": start, "end": end}]
                  if start is not None else [])]}}


def test_a_position_of_10_to_the_20_is_out_of_range_and_the_quote_places_it(lib, tmp_path):
    eid = _episode(lib)
    path = _w3c(tmp_path / "a.json", [_item(eid), _item(eid, "note-2", exact="not in it at all")])
    result = lib.import_annotations(path).value
    assert result.added == 2 and result.orphaned == 1
    placed = lib.annotation("note-1")
    assert placed.status == "anchored" and placed.start is not None and placed.start < 10**6
    orphan = lib.annotation("note-2")
    assert orphan.status == "orphaned" and orphan.start is None


def test_lone_surrogates_in_a_note_a_tag_and_an_id_are_replaced(lib, tmp_path):
    eid = _episode(lib)
    path = tmp_path / "s.json"
    _w3c(path, [_item(eid, aid="id-\ud800", note="note \udfff", tag="tag\ud83d")])
    # json.dumps(ensure_ascii=True) wrote them as \\ud800 escapes, as a hostile file would
    assert "\\ud800" in path.read_text(encoding="utf-8")
    assert lib.import_annotations(str(path)).value.added == 1
    [a] = lib.annotations()
    assert a.id == "id-\ufffd" and a.note_md == "note \ufffd" and a.tags == ("tag\ufffd",)


def test_a_qdpx_selection_outside_its_text_is_kept_as_an_orphan(lib, tmp_path):
    eid = _episode(lib)
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
 <Variables><Variable guid="11111111-1111-1111-1111-111111111111" name="aiviewer episode id"
   typeOfVariable="Text"/></Variables>
 <Sources><TextSource guid="33333333-3333-3333-3333-333333333333" name="Interview">
   <PlainTextContent>whatever</PlainTextContent>
   <VariableValue><VariableRef targetGUID="11111111-1111-1111-1111-111111111111"/>
     <TextValue>{eid}</TextValue></VariableValue>
   <PlainTextSelection guid="66666666-6666-6666-6666-666666666666" name="gone words"
     startPosition="6" endPosition="99999999999999999999999"/>
 </TextSource></Sources></Project>"""
    path = tmp_path / "f.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
    result = lib.import_annotations(str(path)).value
    assert result.added == 1 and result.orphaned == 1
    [a] = lib.orphans()
    assert a.exact == "gone words"


def test_a_qdpx_round_trip_does_not_duplicate_ids_that_are_not_uuids(lib, tmp_path):
    eid = _episode(lib)
    lib.import_annotations(_w3c(tmp_path / "a.json", [
        _item(eid, aid="my-note-1", start=None, end=None),
        _item(eid, aid="ABCDEF01-2345-6789-ABCD-EF0123456789", exact="compute")]))
    local = lib.annotate_quote(eid, "Welcome to the show").value
    before = sorted(a.id for a in lib.annotations())
    assert len(before) == 3 and local.id in before
    out = tmp_path / "round.qdpx"
    lib.export_annotations("qdpx", out)
    result = lib.import_annotations(str(out)).value
    assert result.added == 0
    assert sorted(a.id for a in lib.annotations()) == before


@pytest.mark.skipif(os.name != "posix", reason="named pipes are POSIX")
def test_a_pipe_or_a_device_given_as_an_annotation_file_is_refused(lib, tmp_path):
    fifo = tmp_path / "p.json"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero"):
        with pytest.raises(ImportFailed, match="not a regular file"):
            lib.import_annotations(path)


def test_an_unexpected_reader_bug_is_the_files_error(lib, tmp_path, monkeypatch):
    from aiviewer.export import w3c

    monkeypatch.setattr(w3c, "read_all", lambda *a: {}["boom"])
    with pytest.raises(ImportFailed, match="KeyError"):
        lib.import_annotations(_w3c(tmp_path / "a.json", [_item(_episode(lib))]))
