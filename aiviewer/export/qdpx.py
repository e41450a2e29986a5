"""Annotations as a REFI-QDA project (`.qdpx`) that QualCoder, MAXQDA, ATLAS.ti and
NVivo open, and the reader that brings such a project's codes and selections back.

A `.qdpx` is a zip holding `project.qde` (XML in the `urn:QDA-XML:project:1.0`
namespace, Project.xsd) and the source texts under `sources/`.  The mapping:

- tag → `Code` in the `CodeBook`, nested by its path (`method/RL/GRPO` is code
  `GRPO` inside `RL` inside `method`), with the tag's colour (`#rrggbb`).  Path
  prefixes that are not tags themselves become codes with `isCodable="false"`;
- episode → `TextSource` named by its title, its canonical text stored as
  `sources/<guid>.txt` (`plainTextPath="internal://<guid>.txt"`), and
  `VariableValue`s for the aiviewer episode id, show, date and URL;
- annotation → `PlainTextSelection` (`startPosition`/`endPosition` in
  characters of that text; the quote as its `name`; created/modified times)
  with one `Coding`/`CodeRef` per tag.  The note is written twice: as the
  selection's `Description` (what MAXQDA and ATLAS.ti show) and as a REFI-QDA
  `Note` in the project's `Notes`, referenced by a `NoteRef` (what QualCoder and
  NVivo read as a memo/annotation).  The reader prefers the `Note`.

QualCoder requires code names to be unique, so two tags with the same leaf under
different parents (`org/DeepSeek`, `model/DeepSeek`) are written as
`DeepSeek (org)` and `DeepSeek (model)` — the parent path in brackets
(`leaf_name`).  A leaf that already ends in its own suffix gets it once more, so
the reader can always strip exactly one (`qdpx_read.tag_leaf`): the renaming is
reversible.

GUIDs are stable: an annotation's id is its selection's guid (our ids are UUIDs),
and tag, episode and coding guids are UUID5s of their names, so exporting twice
gives the same project and importing it back is idempotent.  Orphaned
annotations (no position) cannot be a selection; `write` leaves them out and
returns how many it wrote.  The reader lives in `qdpx_read` (`read` is
re-exported here).
"""

from __future__ import annotations

import os
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime

from aiviewer.export import files as export_files
from aiviewer.export import neutral
from aiviewer.export.qdpx_read import QdpxProject, read, read_project
from aiviewer.model import Annotation, Tag

__all__ = ["write", "read", "read_project", "QdpxProject", "NS", "EPISODE_VARIABLE"]

NS = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.UUID("9fd984a4-a171-4f32-aa05-44e8448be62f")
EPISODE_VARIABLE = "aiviewer episode id"
VARIABLES = (EPISODE_VARIABLE, "show", "date", "url")
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_DATETIME = re.compile(r"^-?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
# characters XML 1.0 cannot carry at all (ESC among them): each becomes U+FFFD
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def selection_guid(annotation_id: str) -> str:
    return annotation_id.lower() if _UUID.match(annotation_id) else guid("annotation",
                                                                         annotation_id)


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _serialise(root: ET.Element) -> bytes:
    """The XML, with the control characters XML can carry (DEL, C1, bidi controls:
    `neutral.CONTROLS`) written as character references: read back exactly, never
    raw in the file."""
    text = ET.tostring(root, encoding="unicode")
    text = neutral.CONTROLS.sub(lambda m: f"&#x{ord(m.group()):x};", text)
    return b"<?xml version='1.0' encoding='utf-8'?>\n" + text.encode("utf-8")


def _el(parent: ET.Element | None, element: str, **attrs: str | None) -> ET.Element:
    values = {k: _x(v) for k, v in attrs.items() if v is not None}
    tag = f"{{{NS}}}{element}"
    return ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)


def _stamp(value: str) -> str | None:
    return value if _DATETIME.match(value or "") else None


def leaf_name(path: str, clashing: set[str]) -> str:
    """The code name for tag `path`: its leaf, or `leaf (parent path)` when another
    code has the same leaf (case-insensitively, `clashing`) or the leaf already ends
    in that suffix (so stripping one suffix on reading is always right)."""
    parent, _, leaf = path.rpartition("/")
    if not parent:
        return leaf
    suffix = f" ({parent})"
    return leaf + suffix if leaf.casefold() in clashing or leaf.endswith(suffix) else leaf


def _clashing_leaves(paths: set[str]) -> set[str]:
    seen: dict[str, int] = {}
    for path in paths:
        leaf = path.rpartition("/")[2].casefold()
        seen[leaf] = seen.get(leaf, 0) + 1
    return {leaf for leaf, n in seen.items() if n > 1}


def _codebook(root: ET.Element, names: set[str], tags: list[Tag]) -> dict[str, str]:
    """Codes for every tag and every path prefix of one; tag name → code guid.
    Leaf names are made unique (`leaf_name`)."""
    colour = {t.name: c for t in tags if (c := neutral.colour(t.colour))}
    codable = set(names)
    every = set()
    for name in names:
        parts = name.split("/")
        every.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    if not every:
        return {}
    codes = _el(_el(root, "CodeBook"), "Codes")
    elements: dict[str, ET.Element] = {}
    clashing = _clashing_leaves(every)
    for path in sorted(every, key=lambda p: (p.count("/"), p.casefold())):
        parent = path.rpartition("/")[0]
        elements[path] = _el(elements[parent] if parent else codes, "Code",
                             guid=guid("tag", path), name=leaf_name(path, clashing),
                             isCodable="true" if path in codable else "false",
                             color=colour.get(path))
    return {path: guid("tag", path) for path in every}


def _variables(root: ET.Element) -> dict[str, str]:
    block = _el(root, "Variables")
    out = {}
    for name in VARIABLES:
        out[name] = guid("variable", name)
        _el(block, "Variable", guid=out[name], name=name, typeOfVariable="Text")
    return out


def _selection(source: ET.Element, a: Annotation, codes: dict[str, str], user: str,
               notes: list[ET.Element]) -> None:
    sel = _el(source, "PlainTextSelection", guid=selection_guid(a.id), name=a.exact,
              startPosition=str(a.start), endPosition=str(a.end), creatingUser=user,
              creationDateTime=_stamp(a.created), modifyingUser=user,
              modifiedDateTime=_stamp(a.modified))
    if a.note_md:
        _el(sel, "Description").text = _x(a.note_md)
    for name in a.tags:
        coding = _el(sel, "Coding", guid=guid("coding", f"{a.id}\x1f{name}"), creatingUser=user,
                     creationDateTime=_stamp(a.modified))
        _el(coding, "CodeRef", targetGUID=codes[name])
    if a.note_md:
        note_guid = guid("note", a.id)
        note = _el(None, "Note", guid=note_guid, name=_note_name(a.exact), creatingUser=user,
                   creationDateTime=_stamp(a.created), modifyingUser=user,
                   modifiedDateTime=_stamp(a.modified))
        _el(note, "PlainTextContent").text = _x(a.note_md)
        notes.append(note)
        _el(sel, "NoteRef", targetGUID=note_guid)


def _note_name(quote: str) -> str:
    """A memo's title in QDA tools: the start of the quote it is about."""
    words = " ".join(quote.split())
    return words if len(words) <= 60 else words[:59].rstrip() + "…"


def build(annotations: list[Annotation], tags: list[Tag],
          sources: dict[str, tuple[str, str]], now: str | None = None
          ) -> tuple[bytes, dict[str, str], int]:
    """`project.qde` as bytes, the source files (zip path → text), and the number of
    selections written (annotations without a position, or whose episode text is
    missing or too short, are left out)."""
    now = now or datetime.now(UTC).isoformat(timespec="seconds")
    user = guid("user", "aiviewer")
    root = _el(None, "Project", name="aiviewer annotations", origin="aiviewer",
               creatingUserGUID=user, creationDateTime=now)
    _el(_el(root, "Users"), "User", guid=user, name="aiviewer")
    placed = [a for a in annotations
              if a.start is not None and a.end is not None and a.episode_id in sources
              and 0 <= a.start <= a.end <= len(sources[a.episode_id][1])]
    codes = _codebook(root, {t for a in placed for t in a.tags} | {t.name for t in tags},
                      tags)
    files: dict[str, str] = {}
    if not placed:
        return _serialise(root), files, 0
    variables = _variables(root)
    block = _el(root, "Sources")
    notes: list[ET.Element] = []
    by_episode: dict[str, list[Annotation]] = {}
    for a in placed:
        by_episode.setdefault(a.episode_id, []).append(a)
    for eid, anns in by_episode.items():
        title, text = sources[eid]
        sguid = guid("episode", eid)
        files[f"sources/{sguid}.txt"] = text
        source = _el(block, "TextSource", guid=sguid, name=title or eid,
                     plainTextPath=f"internal://{sguid}.txt", creatingUser=user)
        for a in sorted(anns, key=lambda a: (a.start, a.end, a.id)):
            _selection(source, a, codes, user, notes)
        head = anns[0]
        values = {EPISODE_VARIABLE: eid, "show": head.show, "date": head.date, "url": head.url}
        for name in VARIABLES:
            if values[name]:
                value = _el(source, "VariableValue")
                _el(value, "VariableRef", targetGUID=variables[name])
                _el(value, "TextValue").text = _x(values[name])
    if notes:  # after Sources, as Project.xsd orders them
        _el(root, "Notes").extend(notes)
    return _serialise(root), files, len(placed)


def write(path: str | os.PathLike[str], annotations: list[Annotation], tags: list[Tag],
          sources: dict[str, tuple[str, str]]) -> int:
    """Write the project to `path` through `files.replacing` (a failed export never
    leaves a half-written file; a symlink, device or folder is refused).  `sources` maps episode id → (title, canonical text).
    Returns the number of selections written."""
    qde, files, n = build(annotations, tags, sources)
    with export_files.replacing(path) as f, \
            zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(_entry("project.qde"), qde)
        for name, text in files.items():
            z.writestr(_entry(name), text.encode("utf-8", "replace"))
    return n


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry readable by everyone once unpacked: `writestr` with a bare name
    records mode 0600, so a project unzipped for a team was readable by its owner only."""
    info = zipfile.ZipInfo(name, datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100644 & 0xFFFF) << 16
    return info
