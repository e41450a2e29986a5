"""Reading a REFI-QDA project (`.qdpx`) back: its codes as tags and its text
selections as annotations.  `qdpx.read` / `qdpx.read_project` are the entry points.

The file is untrusted, so nothing is extracted to disk and everything is checked
first (`guards`): an archive with a `../`, absolute or symlink entry is refused
whole, entries are read with a size cap whatever their headers claim, and the
XML is parsed by defusedxml with DTDs forbidden — an entity-expansion bomb
("billion laughs") or an external entity is refused with a message.  Source
texts are read only from inside the archive (`internal://`); selections whose
text is elsewhere are skipped and listed in `QdpxProject.skipped`; a selection
outside its text is kept as an orphan (listed there too).

Each selection becomes an `Annotation` with the selection's guid as id, the
selected text as `exact` plus 32 characters of prefix/suffix from the source
text (so it can be re-anchored against the local episode), the note and the
codes as tags (full paths, `method/RL/GRPO`; a leaf made unique on export as
`DeepSeek (org)` under `org` is read back as `org/DeepSeek`).  The note is the
text of the project `Note`s the selection points to with `NoteRef` (QualCoder
and NVivo write memos so; a `Note` that holds a `NoteRef` to the selection
counts too), else its `Description`.  A selection with a note and no code is
kept: it is a note-only annotation.  Its episode id is
the source's "aiviewer episode id" variable when the project came from aiviewer;
otherwise `qdpx:<source guid>`, and `QdpxProject.texts` gives that source's
title and text so the importer can find the local episode whose text matches.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from aiviewer.errors import ImportFailed
from aiviewer.export import guards
from aiviewer.model import Annotation, Tag

CONTEXT = 32
MAX_QDE_BYTES = 100 * 1024 * 1024
MAX_TEXT_BYTES = 50 * 1024 * 1024
_EPISODE_VARIABLE = "aiviewer episode id"


@dataclass
class QdpxProject:
    tags: list[Tag]
    annotations: list[Annotation]
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # episode key → (title, text)
    skipped: list[str] = field(default_factory=list)  # why a selection or source was left out


def read(path: str | os.PathLike[str]) -> tuple[list[Tag], list[Annotation]]:
    project = read_project(path)
    return project.tags, project.annotations


def _local(el: Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if _local(c) == name]


def _child(el: Element, name: str) -> Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def read_project(path: str | os.PathLike[str]) -> QdpxProject:
    name = os.path.basename(os.fspath(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ImportFailed(name, f"not a REFI-QDA project (.qdpx zip): {e}") from None
    with archive:
        entries = guards.check_zip(archive, name)
        qde = next((entries[k] for k in entries if k.lower() == "project.qde"), None) or next(
            (entries[k] for k in entries if k.lower().endswith(".qde") and "/" not in k), None)
        if qde is None:
            raise ImportFailed(name, "the archive has no project.qde")
        root = _parse(guards.read_entry(archive, qde, name, MAX_QDE_BYTES), name)
        if _local(root) != "Project":
            raise ImportFailed(name, f"project.qde's root is <{_local(root)}>, not <Project>")
        codes = _codes(root)
        project = QdpxProject(tags=[], annotations=[])
        notes = _notes(root, archive, entries, name)
        variable = _episode_variable(root)
        sources = _child(root, "Sources")
        for source in _children(sources, "TextSource") if sources is not None else ():
            _source(source, codes, notes, variable, archive, entries, name, project)
    used = {t for a in project.annotations for t in a.tags}
    project.tags = [Tag(i, path, colour, sum(path in a.tags for a in project.annotations))
                    for i, (path, colour, codable) in enumerate(
                        sorted(codes.values(), key=lambda c: c[0].casefold()), 1)
                    if codable or path in used]
    return project


def _parse(data: bytes, name: str) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        raise ImportFailed(name, "project.qde declares a DTD; refused (entity definitions "
                                 "can expand into an XML bomb)") from None
    except defusedxml.EntitiesForbidden:
        raise ImportFailed(name, "project.qde defines XML entities; refused (possible "
                                 "entity-expansion bomb)") from None
    except defusedxml.DefusedXmlException as e:
        raise ImportFailed(name, f"project.qde uses unsafe XML features; refused ({e})") \
            from None
    except (ParseError, ValueError) as e:
        raise ImportFailed(name, f"project.qde is not valid XML: {e}") from None


def _codes(root: Element) -> dict[str, tuple[str, str | None, bool]]:
    """Code guid → (full path, colour, codable), walking nested codes without
    recursion (a hostile file can nest them arbitrarily deep)."""
    book = _child(root, "CodeBook")
    top = _child(book, "Codes") if book is not None else None
    out: dict[str, tuple[str, str | None, bool]] = {}
    stack = [(code, "") for code in reversed(_children(top, "Code"))] if top is not None else []
    while stack:
        code, parent = stack.pop()
        leaf = tag_leaf((code.get("name") or "").strip(), parent).replace("/", "∕").strip() \
            or "unnamed code"
        path = f"{parent}/{leaf}" if parent else leaf
        codable = (code.get("isCodable") or "true").strip().lower() in ("true", "1")
        out[_guid(code.get("guid"))] = (path, _colour(code.get("color")), codable)
        stack += [(child, path) for child in reversed(_children(code, "Code"))]
    return out


def tag_leaf(name: str, parent: str) -> str:
    """Undo `qdpx.leaf_name`: `DeepSeek (org)` inside `org` is `DeepSeek`."""
    suffix = f" ({parent})"
    return name[:-len(suffix)] if parent and name.endswith(suffix) \
        and len(name) > len(suffix) else name


@dataclass
class _Notes:
    """The project's `Notes`: guid → text, and selection guid → guids of the notes
    that point at it from inside (`<Note><NoteRef targetGUID=…/></Note>`)."""

    text: dict[str, str] = field(default_factory=dict)
    about: dict[str, list[str]] = field(default_factory=dict)


def _notes(root: Element, archive: zipfile.ZipFile, entries: dict, name: str) -> _Notes:
    out = _Notes()
    block = _child(root, "Notes")
    for note in _children(block, "Note") if block is not None else ():
        key = _guid(note.get("guid"))
        try:
            text = _source_text(note, archive, entries, name)
        except ImportFailed:
            text = None  # a memo whose file is missing is not worth refusing the project
        if not key or text is None:
            continue
        if not text.strip():
            description = _child(note, "Description")
            text = (description.text or "") if description is not None else ""
        out.text[key] = text
        for ref in _children(note, "NoteRef"):
            out.about.setdefault(_guid(ref.get("targetGUID")), []).append(key)
    return out


def _note_text(sel: Element, sel_id: str, notes: _Notes) -> str:
    keys = [_guid(r.get("targetGUID")) for r in _children(sel, "NoteRef")]
    keys += notes.about.get(sel_id, [])
    texts = {notes.text[k].strip(): notes.text[k] for k in keys
             if notes.text.get(k, "").strip()}
    if len(texts) == 1:
        return next(iter(texts.values()))
    if texts:
        return "\n\n".join(texts)
    description = _child(sel, "Description")
    return (description.text or "") if description is not None else ""


def _colour(value: str | None) -> str | None:
    """`#RRGGBB` or `#RGB` as lower-case `#rrggbb`; anything else is dropped (a colour
    ends up in style sheets and must not carry anything else)."""
    value = (value or "").strip()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else None


def _episode_variable(root: Element) -> str | None:
    block = _child(root, "Variables")
    for var in _children(block, "Variable") if block is not None else ():
        if var.get("name") == _EPISODE_VARIABLE:
            return _guid(var.get("guid"))
    return None


def _source_text(source: Element, archive: zipfile.ZipFile,
                 entries: dict[str, zipfile.ZipInfo], name: str) -> str | None:
    content = _child(source, "PlainTextContent")
    if content is not None:
        return content.text or ""
    where = source.get("plainTextPath") or ""
    if not where.startswith("internal://"):
        return None
    file = where[len("internal://"):]
    info = entries.get(f"sources/{file}") or entries.get(file)
    if info is None:
        raise ImportFailed(name, f"source {file!r} is named in project.qde but missing")
    data = guards.read_entry(archive, info, name, MAX_TEXT_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(name, f"source {file!r} is not UTF-8 text") from None


def _source(source: Element, codes: dict, notes: _Notes, variable: str | None,
            archive: zipfile.ZipFile,
            entries: dict, name: str, project: QdpxProject) -> None:
    title = source.get("name") or "untitled source"
    text = _source_text(source, archive, entries, name)
    if text is None:
        project.skipped.append(f"source {title!r}: its text is outside the archive")
        return
    key = f"qdpx:{_guid(source.get('guid'))}"
    for value in _children(source, "VariableValue"):
        ref, text_value = _child(value, "VariableRef"), _child(value, "TextValue")
        if variable and ref is not None and _guid(ref.get("targetGUID")) == variable \
                and text_value is not None and text_value.text:
            key = text_value.text
    project.texts[key] = (title, text)
    for sel in _children(source, "PlainTextSelection"):
        ann = _selection(sel, key, title, text, codes, notes)
        if isinstance(ann, str):
            project.skipped.append(f"source {title!r}: {ann}")
            continue
        if ann.status == "orphaned":
            project.skipped.append(f"source {title!r}: selection {ann.id!r} lies outside "
                                   "its text (kept as an orphan)")
        project.annotations.append(ann)


def _selection(sel: Element, key: str, title: str, text: str, codes: dict,
               notes: _Notes) -> Annotation | str:
    try:
        start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
    except ValueError:
        return f"selection {sel.get('guid')!r} has no valid positions"
    sel_id = _guid(sel.get("guid"))
    inside = 0 <= start <= end <= len(text)
    if not inside:
        # kept as an orphan with what the selection says it quoted (its name), never
        # dropped: the user can re-attach it
        start = end = None
    if not sel_id:
        return "a selection has no guid"
    tags = []
    for coding in _children(sel, "Coding"):
        ref = _child(coding, "CodeRef")
        code = codes.get(_guid(ref.get("targetGUID"))) if ref is not None else None
        if code and code[0] not in tags:
            tags.append(code[0])
    note = _note_text(sel, sel_id, notes)
    if not inside:
        exact, prefix, suffix, status = sel.get("name") or "", "", "", "orphaned"
    else:
        exact, prefix, suffix, status = (text[start:end], text[max(0, start - CONTEXT):start],
                                         text[end:end + CONTEXT], "anchored")
    return Annotation(
        id=sel_id, episode_id=key, exact=exact, prefix=prefix, suffix=suffix, status=status,
        start=start, end=end, note_md=note,
        tags=tuple(tags), created=sel.get("creationDateTime") or "",
        modified=sel.get("modifiedDateTime") or sel.get("creationDateTime") or "",
        episode_title=title)
