from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.export import qdpx


@pytest.fixture
def project(tmp_path, annotations, tags, texts) -> Path:
    path = tmp_path / "out.qdpx"
    assert qdpx.write(path, annotations, tags, texts) == 3  # the orphan has no position
    return path


def test_project_qde_validates_against_the_refi_qda_schema(project, shared_file):
    schema = shared_file("refi-qda/Project.xsd", "REFI-QDA schema")
    xmlschema = pytest.importorskip("xmlschema")
    with zipfile.ZipFile(project) as z:
        qde = z.read("project.qde")
    xmlschema.XMLSchema(str(schema)).validate(io.BytesIO(qde))


def test_layout_codes_and_sources(project, texts):
    from xml.etree import ElementTree as ET
    with zipfile.ZipFile(project) as z:
        names = z.namelist()
        root = ET.fromstring(z.read("project.qde"))
        ns = {"q": qdpx.NS}
        paths = {s.get("plainTextPath") for s in root.iterfind(".//q:TextSource", ns)}
        assert {f"sources/{p.removeprefix('internal://')}" for p in paths} == \
            {n for n in names if n.startswith("sources/")}
        for name in names:
            if name.startswith("sources/"):
                assert z.read(name).decode() in {t for _, t in texts.values()}
    top = root.find("q:CodeBook/q:Codes", ns)
    method = next(c for c in top if c.get("name") == "method")
    assert method.get("isCodable") == "false"  # a path prefix, not a tag
    rl = method.find("q:Code", ns)
    assert {c.get("name") for c in rl} == {"GRPO", "PPO"}
    grpo = next(c for c in rl if c.get("name") == "GRPO")
    assert grpo.get("color") == "#e69f00" and grpo.get("isCodable") == "true"
    sel = root.find(".//q:PlainTextSelection", ns)
    assert sel.get("guid") == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert sel.find("q:Description", ns).text.startswith("Why *GRPO*?")
    assert len(sel.findall("q:Coding/q:CodeRef", ns)) == 2


def test_read_back(project, annotations, texts):
    project_back = qdpx.read_project(project)
    by_id = {a.id: a for a in project_back.annotations}
    placed = [a for a in annotations if a.start is not None]
    assert len(by_id) == 3
    for a in placed:
        key = a.id if a.id in by_id else qdpx.selection_guid(a.id)
        b = by_id[key]
        assert (b.episode_id, b.exact, b.start, b.end, b.note_md, set(b.tags), b.created,
                b.modified) == (a.episode_id, a.exact, a.start, a.end, a.note_md, set(a.tags),
                                a.created, a.modified)
        assert b.prefix == a.prefix and b.suffix == a.suffix
    tags = {t.name: t.colour for t in project_back.tags}
    assert tags["method/RL/PPO"] == "#56b4e9" and "method" not in tags
    assert project_back.texts["yt-abc123"] == texts["yt-abc123"]
    # the short form
    assert len(qdpx.read(project)[1]) == 3


def test_export_twice_is_identical_apart_from_the_timestamp(annotations, tags, texts):
    one = qdpx.build(annotations, tags, texts, now="2026-01-01T00:00:00+00:00")
    two = qdpx.build(annotations, tags, texts, now="2026-01-01T00:00:00+00:00")
    assert one == two


def test_tags_only_and_nothing(tmp_path, tags):
    assert qdpx.write(tmp_path / "t.qdpx", [], tags, {}) == 0
    assert {t.name for t in qdpx.read(tmp_path / "t.qdpx")[0]} == {t.name for t in tags}
    assert qdpx.write(tmp_path / "e.qdpx", [], [], {}) == 0
    assert qdpx.read(tmp_path / "e.qdpx") == ([], [])


def test_foreign_project_keys_episodes_by_source(tmp_path):
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{qdpx.NS}" name="from MAXQDA">
 <CodeBook><Codes><Code guid="{{11111111-1111-1111-1111-111111111111}}" name="Topic"
   isCodable="false"><Code guid="22222222-2222-2222-2222-222222222222" name="a/b"
   isCodable="true" color="#ABC"/></Code></Codes></CodeBook>
 <Sources><TextSource guid="33333333-3333-3333-3333-333333333333" name="Interview">
   <PlainTextContent>Hello there, world</PlainTextContent>
   <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="6"
     endPosition="11"><Coding guid="55555555-5555-5555-5555-555555555555">
     <CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="66666666-6666-6666-6666-666666666666" startPosition="6"
     endPosition="99"/>
 </TextSource></Sources></Project>"""
    path = tmp_path / "f.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
    p = qdpx.read_project(path)
    a, outside = p.annotations
    assert (outside.status, outside.start, outside.end) == ("orphaned", None, None)
    assert outside.id == "66666666-6666-6666-6666-666666666666"
    assert (a.episode_id, a.exact, a.prefix, a.suffix, a.tags) == \
        ("qdpx:33333333-3333-3333-3333-333333333333", "there", "Hello ", ", world",
         ("Topic/a∕b",))
    assert p.texts[a.episode_id] == ("Interview", "Hello there, world")
    assert [(t.name, t.colour) for t in p.tags] == [("Topic/a∕b", "#aabbcc")]
    assert len(p.skipped) == 1 and "outside its text" in p.skipped[0]


# --- hostile archives ----------------------------------------------------------------

def _zip(path: Path, entries: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return path


QDE = f'<Project xmlns="{qdpx.NS}" name="x"/>'.encode()


@pytest.mark.parametrize("entry, message", [
    ("../evil.txt", "outside the archive"),
    ("sources/../../evil.txt", "outside the archive"),
    ("..\\evil.txt", "outside the archive"),
    ("/etc/evil", "absolute path"),
    ("C:/evil.txt", "absolute path"),
])
def test_escaping_entries_are_refused(tmp_path, entry, message):
    path = _zip(tmp_path / "bad.qdpx", {"project.qde": QDE, entry: b"x"})
    with pytest.raises(ImportFailed, match=message) as info:
        qdpx.read(path)
    assert info.value.file == "bad.qdpx"


def test_symlinks_are_refused(tmp_path):
    path = _zip(tmp_path / "link.qdpx", {"project.qde": QDE}, symlink="sources/a.txt")
    with pytest.raises(ImportFailed, match="symbolic link"):
        qdpx.read(path)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>"""


@pytest.mark.parametrize("qde", [BOMB, EXTERNAL])
def test_entity_bombs_and_external_entities_are_refused(tmp_path, qde):
    path = _zip(tmp_path / "bomb.qdpx", {"project.qde": qde})
    with pytest.raises(ImportFailed, match="refused"):
        qdpx.read(path)


@pytest.mark.parametrize("entries, message", [
    ({"readme.txt": b"x"}, "no project.qde"),
    ({"project.qde": b"<Project"}, "not valid XML"),
    ({"project.qde": b"<Other/>"}, "not <Project>"),
    ({"project.qde": f'<Project xmlns="{qdpx.NS}" name="x"><Sources><TextSource guid="'
                     f'33333333-3333-3333-3333-333333333333" plainTextPath="internal://gone.txt"'
                     f'/></Sources></Project>'.encode()}, "missing"),
])
def test_broken_projects_fail_with_a_reason(tmp_path, entries, message):
    with pytest.raises(ImportFailed, match=message):
        qdpx.read(_zip(tmp_path / "broken.qdpx", entries))


def test_not_a_zip(tmp_path):
    path = tmp_path / "no.qdpx"
    path.write_bytes(b"plain text")
    with pytest.raises(ImportFailed, match="not a REFI-QDA project"):
        qdpx.read(path)


def test_deeply_nested_codes_do_not_recurse(tmp_path):
    depth = 5000
    codes = "".join(f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="c{i}" '
                    'isCodable="true">' for i in range(depth)) + "</Code>" * depth
    qde = f'<Project xmlns="{qdpx.NS}" name="x"><CodeBook><Codes>{codes}</Codes></CodeBook>' \
          "</Project>"
    tags = qdpx.read(_zip(tmp_path / "deep.qdpx", {"project.qde": qde.encode()}))[0]
    assert len(tags) == depth


def test_entries_unpack_readable_by_everyone(project):
    with zipfile.ZipFile(project) as z:
        for info in z.infolist():
            assert stat.S_IMODE(info.external_attr >> 16) == 0o644, info.filename
