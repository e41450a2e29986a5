"""A `.qdpx` that went out to a QDA tool and came back: exported by aiviewer,
re-written the way QualCoder writes projects, changed there, and imported into the
library it came from.

QualCoder's REFI-QDA export (`refi.py`, `text_selection_xml`) writes one
`PlainTextSelection` per coding (a code_text row) with a fresh uuid4 GUID, the
codes' and sources' GUIDs fresh too, category codes `isCodable="false"`, the
source text under a new `internal://<guid>.txt`, times without a zone, and a
memo ("annotation") as a project `Note` referenced by `NoteRef` from its own
selection without codes.  `qualcoder_copy` rebuilds our export in that shape.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from xml.etree import ElementTree as ET

import pytest

pytest.importorskip("aiviewer.ingest.labelled")

from aiviewer.export import qdpx  # noqa: E402
from aiviewer.library import Library  # noqa: E402

NS = qdpx.NS
Q = {"q": NS}
TRANSCRIPT = """# A talk about open models

Nathan Lambert: The interesting thing about GRPO is that it drops the value model entirely.
Ross Taylor: DeepSeek the lab published it, and DeepSeek the model family uses it.
Nathan Lambert: And DPO is a different story, no reward model at all.
Ross Taylor: Right, DPO optimises preferences directly.
"""


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _guid() -> str:
    return str(uuid.uuid4()).upper()  # QualCoder's GUIDs are new on every export


def qualcoder_copy(src, dst, *, extra_note=None, extra_code=None):
    """Our project as QualCoder exports it after importing it: new GUIDs everywhere,
    one selection per code, memos as Notes + NoteRef, Descriptions dropped.
    `extra_note` = (quote, text) adds a memo on a span; `extra_code` =
    (code name, [quotes]) adds a new top-level code applied to those spans."""
    with zipfile.ZipFile(src) as z:
        root = ET.fromstring(z.read("project.qde"))
        texts = {n: z.read(n).decode() for n in z.namelist() if n.startswith("sources/")}
    new_code = {}  # old guid → new guid
    for code in root.iter(_q("Code")):
        new_code[code.get("guid")] = code.get("guid") and _guid()
        code.set("guid", new_code[code.get("guid")])
    codes_top = root.find("q:CodeBook/q:Codes", Q)
    added_code = None
    if extra_code:
        added_code = ET.SubElement(codes_top, _q("Code"), guid=_guid(), name=extra_code[0],
                                   isCodable="true", color="#AA5500")
    old_notes = {n.get("guid"): n.find("q:PlainTextContent", Q).text
                 for n in root.iterfind("q:Notes/q:Note", Q)}
    for block in root.findall("q:Notes", Q) + root.findall("q:Variables", Q):
        root.remove(block)
    notes = []
    out_files = {}
    user = root.find("q:Users/q:User", Q).get("guid")
    when = "2026-12-06T09:00:00"

    def selection(source, start, end, name, code=None, memo=None):
        sel = ET.SubElement(source, _q("PlainTextSelection"), guid=_guid(),
                            startPosition=str(start), endPosition=str(end), name=name,
                            creatingUser=user, creationDateTime=when)
        if code:
            coding = ET.SubElement(sel, _q("Coding"), guid=_guid(), creatingUser=user,
                                   creationDateTime=when)
            ET.SubElement(coding, _q("CodeRef"), targetGUID=code)
        if memo:
            note = ET.Element(_q("Note"), guid=_guid(), creatingUser=user,
                              creationDateTime=when)
            ET.SubElement(note, _q("PlainTextContent")).text = memo
            notes.append(note)
            ET.SubElement(sel, _q("NoteRef"), targetGUID=note.get("guid"))

    for source in root.iterfind("q:Sources/q:TextSource", Q):
        text = texts[f"sources/{source.get('plainTextPath').removeprefix('internal://')}"]
        file = f"{_guid()}.txt"
        out_files[f"sources/{file}"] = text
        source.set("guid", _guid())
        source.set("plainTextPath", f"internal://{file}")
        old = list(source)
        for child in old:
            source.remove(child)
        for sel in old:
            if sel.tag != _q("PlainTextSelection"):
                continue  # QualCoder keeps no VariableValue of ours
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            for ref in sel.iterfind("q:Coding/q:CodeRef", Q):
                selection(source, start, end, sel.get("name"), code=new_code[ref.get("targetGUID")])
            for ref in sel.iterfind("q:NoteRef", Q):
                selection(source, start, end, sel.get("name"), memo=old_notes[ref.get("targetGUID")])
        if extra_note:
            at = text.index(extra_note[0])
            selection(source, at, at + len(extra_note[0]), extra_note[0], memo=extra_note[1])
        if added_code is not None:
            for quote in extra_code[1]:
                at = text.index(quote)
                selection(source, at, at + len(quote), quote, code=added_code.get("guid"))
    if notes:
        ET.SubElement(root, _q("Notes")).extend(notes)
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("project.qde", ET.tostring(root, encoding="utf-8", xml_declaration=True))
        for name, text in out_files.items():
            z.writestr(name, text)
    return dst


@pytest.fixture
def lib(tmp_path):
    src = tmp_path / "talk.md"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    library = Library(tmp_path / "lib")
    assert not library.import_paths([src]).value.failed
    [e] = library.episodes()
    ep = library.episode(e.id)

    def annotate(quote, **kw):
        at = ep.text.index(quote)
        return library.annotate(ep.id, at, at + len(quote), **kw).value

    annotate("drops the value model", note_md="*key* point",
             tags=["method/RL/GRPO", "open questions"])
    annotate("DeepSeek the lab", tags=["org/DeepSeek", "open questions"])
    annotate("DeepSeek the model family", tags=["model/DeepSeek"])
    annotate("no reward model at all", note_md="a note with no tag")
    annotate("optimises preferences", tags=["method/DPO"])
    yield library
    library.close()


def _state(lib):
    return sorted((a.exact, tuple(sorted(a.tags)), a.note_md.strip())
                  for a in lib.annotations())


def test_qualcoder_round_trip_gives_no_duplicates(lib, tmp_path):
    before = _state(lib)
    ours = tmp_path / "ours.qdpx"
    lib.export_annotations("qdpx", ours)
    back = qualcoder_copy(ours, tmp_path / "qualcoder.qdpx",
                          extra_note=("DeepSeek the lab", "a memo written in QualCoder"),
                          extra_code=("Insight", ["drops the value model",
                                                  "DPO is a different"]))
    result = lib.import_annotations(back).value
    after = {a.exact: a for a in lib.annotations()}
    assert len(after) == len(before) + 1  # only the newly coded span is new
    assert sorted(after) == sorted({b[0] for b in before} | {"DPO is a different"})
    assert set(after["drops the value model"].tags) == {"method/RL/GRPO", "open questions",
                                                        "Insight"}
    assert after["drops the value model"].note_md.strip() == "*key* point"
    assert set(after["DeepSeek the lab"].tags) == {"org/DeepSeek", "open questions"}
    assert "a memo written in QualCoder" in after["DeepSeek the lab"].note_md
    assert after["DeepSeek the model family"].tags == ("model/DeepSeek",)  # not lost
    assert after["no reward model at all"].note_md == "a note with no tag"
    assert after["DPO is a different"].tags == ("Insight",)
    assert (result.added, result.updated) == (1, 2)
    # importing the same file again changes nothing
    again = lib.import_annotations(back).value
    assert (again.added, again.updated) == (0, 0)
    assert {a.exact: (a.tags, a.note_md) for a in lib.annotations()} == \
        {k: (a.tags, a.note_md) for k, a in after.items()}
    # and the tool's unchanged copy of our own export changes nothing either
    plain = lib.import_annotations(qualcoder_copy(ours, tmp_path / "plain.qdpx")).value
    assert (plain.added, plain.updated) == (0, 0)


def test_clashing_leaves_get_unique_reversible_code_names(lib, tmp_path, shared_file):
    out = tmp_path / "ours.qdpx"
    lib.export_annotations("qdpx", out)
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde")
    root = ET.fromstring(qde)
    names = [c.get("name") for c in root.iter(_q("Code"))]
    assert "DeepSeek (org)" in names and "DeepSeek (model)" in names
    assert len(names) == len({n.casefold() for n in names})  # QualCoder needs unique names
    tags, anns = qdpx.read(out)
    assert {"org/DeepSeek", "model/DeepSeek"} <= {t.name for t in tags}
    schema = shared_file("refi-qda/Project.xsd", "REFI-QDA schema")
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(schema)).validate(io.BytesIO(qde))


def test_leaf_names_round_trip_even_when_a_leaf_looks_renamed():
    from aiviewer.export.qdpx_read import tag_leaf

    paths = {"org/DeepSeek", "model/DeepSeek", "a/X (a)", "DeepSeek"}
    clashing = qdpx._clashing_leaves(paths)
    for path in paths:
        parent = path.rpartition("/")[0]
        assert tag_leaf(qdpx.leaf_name(path, clashing), parent) == path.rpartition("/")[2]


def test_notes_are_written_as_refi_qda_notes(lib, tmp_path):
    out = tmp_path / "ours.qdpx"
    lib.export_annotations("qdpx", out)
    with zipfile.ZipFile(out) as z:
        root = ET.fromstring(z.read("project.qde"))
    notes = {n.get("guid"): n.find("q:PlainTextContent", Q).text
             for n in root.iterfind("q:Notes/q:Note", Q)}
    assert sorted(notes.values()) == ["*key* point", "a note with no tag"]
    refs = [r.get("targetGUID") for r in root.iter(_q("NoteRef"))]
    assert sorted(refs) == sorted(notes)
    # a note-only selection (no Coding) is read back
    _tags, anns = qdpx.read(out)
    assert any(a.note_md == "a note with no tag" and not a.tags for a in anns)
