"""Annotations as a W3C Web Annotation JSON-LD AnnotationCollection, and back.

The collection holds every annotation in one embedded AnnotationPage (`first`).
Each annotation carries what the W3C Web Annotation Data Model defines:

- `id` `urn:uuid:<id>` (ids that are not UUIDs: `urn:aiviewer:annotation:<id>`;
  an id that is already an IRI — an annotation imported from another tool — is
  written as it came), `created`, `modified`, `motivation` (commenting / tagging /
  highlighting);
- `target`: `source`, the episode's URL when it has one (a YouTube caption
  import: its video's), else `base_uri` + the episode id, percent-encoded — that
  urn is kept as `aiviewer:episode` beside a URL, so our own files map back
  exactly —, and the selectors `TextQuoteSelector` (exact, prefix, suffix) and,
  when the passage is placed, `TextPositionSelector` (start, end) into the
  episode's canonical text;
- `body`: a `TextualBody` with `purpose: commenting`, `format: text/markdown`
  for the note, and one `TextualBody` with `purpose: tagging` per tag.

What the model has no term for lives under keys prefixed `aiviewer:` (declared in
`@context`): the annotation's own colour and anchoring status, and a tag's colour
on its tagging body.  `read` gives back every field `render` wrote, exactly:
render → read is lossless for id, episode id, exact, prefix, suffix, start, end,
note, tags, created, modified, colour and status.  Control characters are kept
as data but written as `\\uXXXX` escapes, never raw (`neutral.CONTROLS`).  Display
context (title, show, speaker, time) is not carried; the importing library has its
own.

The collection and its page have ids (a MUST of §5.1/§5.2): `urn:uuid:`s
derived from the annotations' ids, so the same export gets the same ids; the page
names the collection as `partOf`, and the collection its page as `first` and
`last`.

`read` accepts our collections and other tools' W3C JSON (a single Annotation,
an AnnotationPage, a list); sources outside `base_uri` keep their full IRI (the
episode's URL) as the episode id, which the Library maps to a local episode by
its URL or YouTube video id.  A `bodyValue` (the model's plain-text body) is read
as the note.  Files over 100 MB or nested deeper than 200 levels are refused
(`guards.check_json`); any other problem raises `ImportFailed(name, reason)`.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from urllib.parse import quote, unquote

from aiviewer.errors import ImportFailed
from aiviewer.export import guards, neutral, passages
from aiviewer.model import Annotation, Tag

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
VOCAB = "urn:aiviewer:vocab#"
BASE_URI = "urn:aiviewer:episode:"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}$")
_ANNOTATION_URN = "urn:aiviewer:annotation:"
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_COLLECTION_NS = uuid.UUID("5b0e3b0c-8f2a-4d7e-9a51-3f2c6d7e8a90")


# --- writing ------------------------------------------------------------------------


def annotation_iri(annotation_id: str) -> str:
    if _UUID.match(annotation_id):
        return "urn:uuid:" + annotation_id
    if _IRI.match(annotation_id) and not annotation_id.lower().startswith("urn:uuid:"):
        return annotation_id  # another tool's id, kept as it came
    return _ANNOTATION_URN + quote(annotation_id, safe="")


def to_jsonld(a: Annotation, colours: dict[str, str] | None = None,
              base_uri: str = BASE_URI) -> dict:
    """One annotation as a W3C Annotation object (without `@context`)."""
    selectors: list[dict] = [{"type": "TextQuoteSelector", "exact": a.exact,
                              "prefix": a.prefix, "suffix": a.suffix}]
    if a.start is not None and a.end is not None:
        selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
    body: list[dict] = []
    if a.note_md:
        body.append({"type": "TextualBody", "purpose": "commenting", "format": "text/markdown",
                     "value": a.note_md})
    for name in a.tags:
        tag = {"type": "TextualBody", "purpose": "tagging", "value": name}
        if colours and name in colours:
            tag["aiviewer:colour"] = colours[name]
        body.append(tag)
    out: dict = {"id": annotation_iri(a.id), "type": "Annotation",
                 "motivation": "commenting" if a.note_md else
                 "tagging" if a.tags else "highlighting"}
    if a.created:
        out["created"] = a.created
    if a.modified:
        out["modified"] = a.modified
    if body:
        out["body"] = body
    urn = base_uri + quote(a.episode_id, safe="")
    url = passages.safe_url(passages.episode_url(a))
    if url and not _IRI.match(url):
        url = None  # a URL with spaces or quotes is no IRI
    target: dict = {"source": url or urn, "selector": selectors}
    if url:
        target["aiviewer:episode"] = urn
    out["target"] = target
    if a.colour is not None:
        out["aiviewer:colour"] = a.colour
    out["aiviewer:status"] = a.status
    return out


def render(annotations: list[Annotation], tags: list[Tag] | None = None,
           base_uri: str = BASE_URI) -> str:
    """The AnnotationCollection as pretty-printed JSON-LD text."""
    colours = {t.name: t.colour for t in tags or () if t.colour}
    items = [to_jsonld(a, colours, base_uri) for a in annotations]
    key = "\x1f".join(sorted(a.id for a in annotations))
    collection = "urn:uuid:" + str(uuid.uuid5(_COLLECTION_NS, "collection\x1f" + key))
    page = "urn:uuid:" + str(uuid.uuid5(_COLLECTION_NS, "page 0\x1f" + key))
    doc = {
        "@context": [CONTEXT, {"aiviewer": VOCAB}],
        "id": collection,
        "type": "AnnotationCollection",
        "label": "aiviewer annotations",
        "generator": {"type": "Software", "name": "aiviewer"},
        "total": len(items),
        "first": {"id": page, "type": "AnnotationPage", "partOf": collection,
                  "startIndex": 0, "items": items},
        "last": page,
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    # json escapes C0 controls itself; DEL, C1 and bidi controls are written as
    # \uXXXX too, so the file shows no control sequence and still reads back exactly
    return neutral.CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# --- reading ------------------------------------------------------------------------


class _Bad(Exception):
    """A structural problem in one annotation; becomes ImportFailed with its index."""


def read(text: str | bytes, name: str = "annotations.json",
         base_uri: str = BASE_URI) -> list[Annotation]:
    """Annotations from W3C JSON-LD (`render`'s output or another tool's)."""
    return read_all(text, name, base_uri)[1]


def read_all(text: str | bytes, name: str = "annotations.json",
             base_uri: str = BASE_URI) -> tuple[list[Tag], list[Annotation]]:
    """Tags (with the colours the file carries; ids are local to the file, 1, 2, …) and
    annotations."""
    text = guards.check_json(text, name)
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        raise ImportFailed(name, f"not valid JSON: {e}") from None
    items = _items(doc, name)
    annotations, colours = [], {}
    for i, item in enumerate(items, 1):
        try:
            ann, tag_colours = _from_jsonld(item, base_uri)
        except _Bad as e:
            raise ImportFailed(name, f"annotation {i}: {e}") from None
        annotations.append(ann)
        for tag, colour in tag_colours.items():
            colours.setdefault(tag, colour)
    names = dict.fromkeys(t for a in annotations for t in a.tags)
    tags = [Tag(i, n, colours.get(n), sum(n in a.tags for a in annotations))
            for i, n in enumerate(names, 1)]
    return tags, annotations


def _items(doc, name: str) -> list:
    """The annotation objects of a collection, page, list or single annotation."""
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        raise ImportFailed(name, "expected a W3C AnnotationCollection (a JSON object)")
    kind = _types(doc)
    if "Annotation" in kind:
        return [doc]
    if "AnnotationPage" in kind or ("items" in doc and "first" not in doc):
        return _page_items(doc, name)
    if "AnnotationCollection" in kind or "first" in doc:
        page, items, seen = doc.get("first"), [], 0
        while page is not None:
            if not isinstance(page, dict):
                raise ImportFailed(name, "the collection's pages are not embedded "
                                         "(only embedded AnnotationPages can be read)")
            items += _page_items(page, name)
            page, seen = page.get("next"), seen + 1
            if seen > 10_000:
                raise ImportFailed(name, "too many annotation pages")
        return items
    raise ImportFailed(name, "no annotations found: expected a W3C AnnotationCollection, "
                             "AnnotationPage or Annotation")


def _page_items(page: dict, name: str) -> list:
    items = page.get("items", [])
    if not isinstance(items, list):
        raise ImportFailed(name, "an AnnotationPage's items are not a list")
    return items


def _types(obj: dict) -> set[str]:
    kind = obj.get("type", obj.get("@type", ()))
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)} \
        if isinstance(kind, list) else set()


def _str(obj: dict, key: str, default: str = "") -> str:
    value = obj.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _Bad(f"{key!r} should be text, not {type(value).__name__}")
    return value


def _int(obj: dict, key: str) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Bad(f"{key!r} should be a whole number ≥ 0, not {value!r}")
    return value


def _list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _annotation_id(iri: str) -> str:
    if iri.startswith("urn:uuid:"):
        return iri[len("urn:uuid:"):]
    if iri.startswith(_ANNOTATION_URN):
        return unquote(iri[len(_ANNOTATION_URN):])
    return iri


def _from_jsonld(item, base_uri: str) -> tuple[Annotation, dict[str, str]]:
    if not isinstance(item, dict):
        raise _Bad("not a JSON object")
    iri = _str(item, "id") or _str(item, "@id")
    if not iri:
        raise _Bad("it has no id")
    targets = _list(item.get("target"))
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise _Bad("expected exactly one target with selectors")
    target = targets[0]
    source = _str(target, "source")
    if not source:
        raise _Bad("its target has no source")
    ours = target.get("aiviewer:episode")
    if isinstance(ours, str) and ours.startswith(base_uri):
        source = ours  # our own export: the urn beside the episode's URL
    episode_id = unquote(source[len(base_uri):]) if source.startswith(base_uri) else source
    ann = Annotation(id=_annotation_id(iri), episode_id=episode_id, exact="",
                     created=_str(item, "created"), modified=_str(item, "modified"))
    ann = _selectors(ann, _list(target.get("selector")))
    note, tags, colours = _bodies(_list(item.get("body")))
    plain = _str(item, "bodyValue")  # §3.2.5: a plain-text body, a comment
    if plain.strip() and plain.strip() not in note:
        note = f"{plain}\n\n{note}" if note else plain
    colour = item.get("aiviewer:colour")
    if colour is not None and not isinstance(colour, str):
        raise _Bad("'aiviewer:colour' should be text")
    status = _str(item, "aiviewer:status", "anchored")
    if status not in ("anchored", "fuzzy", "orphaned"):
        raise _Bad(f"unknown status {status!r}")
    return replace(ann, note_md=note, tags=tags, colour=colour, status=status), colours


def _selectors(ann: Annotation, selectors: list) -> Annotation:
    quoted = placed = False
    for sel in selectors:
        if not isinstance(sel, dict):
            raise _Bad("a selector is not a JSON object")
        kind = _types(sel)
        if "TextQuoteSelector" in kind and not quoted:
            ann = replace(ann, exact=_str(sel, "exact"), prefix=_str(sel, "prefix"),
                          suffix=_str(sel, "suffix"))
            quoted = True
        elif "TextPositionSelector" in kind and not placed:
            start, end = _int(sel, "start"), _int(sel, "end")
            if end < start:
                raise _Bad(f"its position ends ({end}) before it starts ({start})")
            ann = replace(ann, start=start, end=end)
            placed = True
    if not quoted and not placed:
        raise _Bad("its target has neither a TextQuoteSelector nor a TextPositionSelector")
    return ann


def _bodies(bodies: list) -> tuple[str, tuple[str, ...], dict[str, str]]:
    notes, tags, colours = [], [], {}
    for body in bodies:
        if isinstance(body, str):  # a bare IRI body: nothing we can show
            continue
        if not isinstance(body, dict):
            raise _Bad("a body is not a JSON object")
        purpose = body.get("purpose")
        value = _str(body, "value")
        if purpose == "tagging" or purpose == ["tagging"]:
            if value and value not in tags:
                tags.append(value)
                colour = body.get("aiviewer:colour")
                if isinstance(colour, str):
                    colours[value] = colour
        elif value:
            notes.append(value)
    return "\n\n".join(notes), tuple(tags), colours
