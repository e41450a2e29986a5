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
  characters of that text; the quote as its `name`, the note as its
  `Description`; created/modified times) with one `Coding`/`CodeRef` per tag.

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


def _codebook(root: ET.Element, names: set[str], tags: list[Tag]) -> dict[str, str]:
    """Codes for every tag and every path prefix of one; tag name → code guid."""
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
    for path in sorted(every, key=lambda p: (p.count("/"), p.casefold())):
        parent, _, leaf = path.rpartition("/")
        elements[path] = _el(elements[parent] if parent else codes, "Code",
                             guid=guid("tag", path), name=leaf,
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


def _selection(source: ET.Element, a: Annotation, codes: dict[str, str], user: str) -> None:
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
            _selection(source, a, codes, user)
        head = anns[0]
        values = {EPISODE_VARIABLE: eid, "show": head.show, "date": head.date, "url": head.url}
        for name in VARIABLES:
            if values[name]:
                value = _el(source, "VariableValue")
                _el(value, "VariableRef", targetGUID=variables[name])
                _el(value, "TextValue").text = _x(values[name])
    return _serialise(root), files, len(placed)


def write(path: str | os.PathLike[str], annotations: list[Annotation], tags: list[Tag],
          sources: dict[str, tuple[str, str]]) -> int:
    """Write the project to `path` through `files.replacing` (a failed export never
    leaves a half-written file; a symlink, device or folder is refused).  `sources` maps episode id → (title, canonical text).
    Returns the number of selections written."""
    qde, files, n = build(annotations, tags, sources)
    with export_files.replacing(path) as f, \
            zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for name, text in files.items():
            z.writestr(name, text.encode("utf-8", "replace"))
    return n
