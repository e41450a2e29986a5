"""The pure half of `aiviewer import-annotations FILE`: read either format, decide
what merging changes, and map a foreign project's sources to local episodes.

The Library does the rest in one transaction: re-anchor each annotation against
the local episode text (`annotations.anchoring.place`; unplaceable ones become
orphans) and write the plan.  The merge rules make importing idempotent:

- an id the library does not have → add;
- an id it has, with a strictly newer `modified` time → update the older one;
- an id it has, not newer → unchanged (importing the same file twice adds and
  changes nothing);
- the same id twice in one file → the newest copy counts.

Worked example: the library holds `a` modified 09:00; the file holds `a`
modified 10:00 and `b` → plan: update `a`, add `b`.  Importing again: `a` is not
newer than itself and `b` exists → nothing to do.

A QDA tool that imported our project and exported it again (QualCoder) keeps no
ids: every selection has a new GUID, and an annotation with two tags comes back
as two selections on the same span, one code each.  Matching on ids alone turned
18 annotations into 42.  So annotations are also matched by what they annotate,
(episode, start, end): selections with unknown ids on one span are first
combined into one (`combine_spans`: tags united, notes joined), and one on the
span of a local annotation is folded into it (`absorb`: the tool's codes and
memo are added to it, nothing is taken away) — additive, so importing the same
file again changes nothing.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from aiviewer.errors import ImportFailed
from aiviewer.export import guards, qdpx_read, w3c
from aiviewer.model import Annotation, Tag

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass
class Incoming:
    """What one annotation file holds.  `texts` (QDPX only) maps an annotation's
    episode key to the source's (title, text), for `match_sources`."""

    format: str  # w3c | qdpx
    tags: list[Tag]
    annotations: list[Annotation]
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MergePlan:
    add: tuple[Annotation, ...] = ()
    update: tuple[Annotation, ...] = ()
    unchanged: tuple[Annotation, ...] = ()

    @property
    def changes(self) -> int:
        return len(self.add) + len(self.update)


# positions beyond this are not positions in any transcript (and SQLite's INTEGER
# stops at 2**63): they are dropped, and the quote alone places the annotation
MAX_POSITION = 2**40
_SURROGATE = re.compile("[\ud800-\udfff]")


def _name(path) -> str:
    raw = os.fsencode(os.path.basename(os.fspath(path)))
    return " ".join(raw.decode("utf-8", "backslashreplace").split()) or "?"


def read_file(path: str | os.PathLike[str], base_uri: str = w3c.BASE_URI) -> Incoming:
    """Read a W3C JSON-LD file or a REFI-QDA `.qdpx`, told apart by content, not name.
    Raises ImportFailed(file name, reason), never anything else; what it returns
    is storable (no lone surrogates, positions in range)."""
    name = _name(path)
    try:
        return _clean(_read(path, name, base_uri))
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed(name, "the file is nested too deeply") from None
    except Exception as e:  # a reader bug on a hostile file is the file's error
        reason = " ".join(f"could not be read ({type(e).__name__}: {e})".split())
        raise ImportFailed(name, reason.encode("utf-8", "replace").decode()) from None


def _read(path, name: str, base_uri: str) -> Incoming:
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # a pipe would block, a device never end
            raise ImportFailed(name, "is not a regular file (not read)")
        size = st.st_size
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise ImportFailed(name, "is not a regular file (not read)")
            head = f.read(4)
    except OSError as e:
        raise ImportFailed(name, f"cannot be read: {e.strerror or e}") from None
    if head in _ZIP_MAGIC:
        project = qdpx_read.read_project(path)
        return Incoming("qdpx", project.tags, project.annotations, project.texts,
                        project.skipped)
    if size > guards.MAX_JSON_BYTES:  # refuse before reading 100 MB into memory
        raise ImportFailed(name, f"the file is {size / 2**20:.0f} MB; annotation files over "
                                 f"{guards.MAX_JSON_BYTES // 2**20} MB are refused")
    try:
        with open(path, "rb") as f:
            data = f.read(guards.MAX_JSON_BYTES + 1)
    except OSError as e:
        raise ImportFailed(name, f"cannot be read: {e.strerror or e}") from None
    tags, annotations = w3c.read_all(data, name, base_uri)
    return Incoming("w3c", tags, annotations)


def _scrub(value):
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, tuple):
        return tuple(_scrub(v) for v in value)
    return value


def _position(value) -> int | None:
    return value if isinstance(value, int) and 0 <= value <= MAX_POSITION else None


def _clean(incoming: Incoming) -> Incoming:
    """Lone surrogates (a JSON `"\\ud800"` in a note, tag or id) become U+FFFD; a
    position out of range (10**20) is dropped, the quote still places it."""
    annotations = []
    for a in incoming.annotations:
        changes = {k: _scrub(getattr(a, k)) for k in (
            "id", "episode_id", "exact", "prefix", "suffix", "note_md", "tags", "colour",
            "created", "modified", "episode_title")}
        start, end = _position(a.start), _position(a.end)
        if start is None or end is None or end < start:
            start = end = None
        annotations.append(replace(a, start=start, end=end, **changes))
    tags = [replace(t, name=_scrub(t.name), colour=_scrub(t.colour)) for t in incoming.tags]
    texts = {_scrub(k): (_scrub(title), _scrub(text))
             for k, (title, text) in incoming.texts.items()}
    return replace(incoming, annotations=annotations, tags=tags, texts=texts)


def restore_ids(annotations: list[Annotation], local_ids) -> list[Annotation]:
    """A QDPX carries GUIDs: our ids that are not (lower-case) UUIDs were exported as
    `qdpx.selection_guid(id)`.  Map such a GUID back to the local id it came from,
    so a round trip updates the annotation instead of adding a copy."""
    from aiviewer.export.qdpx import selection_guid

    back = {}
    for aid in local_ids:
        guid = selection_guid(aid)
        if guid != aid:
            back[guid] = aid
    return [replace(a, id=back[a.id]) if a.id in back else a for a in annotations]


def timestamp(value: str) -> datetime | None:
    """An ISO 8601 time as an aware datetime (naive times are taken as UTC); None when
    missing or unreadable."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def is_newer(candidate: str, current: str) -> bool:
    """Whether `candidate` is strictly later than `current`.  A readable time beats a
    missing one; two unreadable ones are never newer (so re-imports stay no-ops)."""
    a, b = timestamp(candidate), timestamp(current)
    if a is None:
        return False
    return b is None or a > b


def plan(incoming: list[Annotation], existing: Mapping[str, Annotation]) -> MergePlan:
    """What importing `incoming` into a library holding `existing` (id → annotation)
    adds, updates and leaves alone."""
    newest: dict[str, Annotation] = {}
    for a in incoming:
        held = newest.get(a.id)
        if held is None or is_newer(a.modified, held.modified):
            newest[a.id] = a
    add, update, unchanged = [], [], []
    for a in newest.values():
        local = existing.get(a.id)
        if local is None:
            add.append(a)
        elif is_newer(a.modified, local.modified):
            update.append(a)
        else:
            unchanged.append(a)
    return MergePlan(tuple(add), tuple(update), tuple(unchanged))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def match_sources(texts: Mapping[str, tuple[str, str]],
                  local: Mapping[str, str]) -> dict[str, str]:
    """Foreign source key → local episode id, where the source text matches the local
    episode's canonical text exactly or up to whitespace.  `local` maps episode id →
    text (the Library may narrow it first, e.g. to episodes with the source's title).
    Sources already keyed by a local id map to themselves."""
    out = {key: key for key in texts if key in local}
    exact = {text: eid for eid, text in local.items()}
    loose = {_normal(text): eid for eid, text in local.items()}
    for key, (_title, text) in texts.items():
        if key in out:
            continue
        eid = exact.get(text) or loose.get(_normal(text))
        if eid is not None:
            out[key] = eid
    return out


def rekey(annotations: list[Annotation], mapping: Mapping[str, str]) -> list[Annotation]:
    """Annotations moved to the local episode ids of `mapping`; the rest unchanged."""
    return [replace(a, episode_id=mapping[a.episode_id]) if a.episode_id in mapping
            and mapping[a.episode_id] != a.episode_id else a for a in annotations]


def merge_notes(ours: str, theirs: str) -> str:
    """Both notes, once: a note already contained in the other is not repeated
    (so folding the same memo in twice changes nothing)."""
    a, b = (ours or "").strip(), (theirs or "").strip()
    if not b or b in a:
        return ours or ""
    if not a or a in b:
        return theirs
    return f"{ours.rstrip()}\n\n{theirs.strip()}"


def _span(a: Annotation) -> tuple[str, int, int] | None:
    return None if a.start is None or a.end is None else (a.episode_id, a.start, a.end)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def _later(a: str, b: str) -> str:
    return a if is_newer(a, b) or not b else b


def combine_spans(annotations: list[Annotation], local_ids) -> list[Annotation]:
    """Selections with ids the library does not hold that annotate the same span
    become one annotation (the first one's id, every tag, every note, the latest
    `modified`).  Annotations with local ids are left alone: two of our own
    annotations may share a span on purpose."""
    local_ids = set(local_ids)
    out: list[Annotation] = []
    at: dict[tuple[str, int, int], int] = {}
    for a in annotations:
        span = _span(a)
        if a.id in local_ids or span is None:
            out.append(a)
            continue
        if span not in at:
            at[span] = len(out)
            out.append(a)
            continue
        held = out[at[span]]
        out[at[span]] = replace(held, tags=_union(held.tags, a.tags),
                                note_md=merge_notes(held.note_md, a.note_md),
                                created=min(filter(None, (held.created, a.created)),
                                            default=""),
                                modified=_later(held.modified, a.modified))
    return out


def absorb(annotations: list[Annotation], local: list[Annotation],
           stamp: str) -> tuple[list[Annotation], list[Annotation], int]:
    """Fold incoming annotations with unknown ids into the local annotation on the
    same span (episode, start, end).  Returns (the rest of `annotations`, the local
    annotations that gained tags or note text — `modified` set to `stamp` —, how
    many incoming ones added nothing)."""
    local_ids = {a.id for a in local}
    index: dict[tuple[str, int, int], Annotation] = {}
    for a in local:
        span = _span(a)
        if span is not None and a.status != "orphaned":
            index.setdefault(span, a)
    rest, changed, unchanged = [], {}, 0
    for a in annotations:
        span = _span(a)
        held = index.get(span) if span is not None and a.id not in local_ids else None
        if held is None:
            rest.append(a)
            continue
        merged = replace(held, tags=_union(held.tags, a.tags),
                         note_md=merge_notes(held.note_md, a.note_md))
        if (merged.tags, merged.note_md) == (held.tags, held.note_md):
            unchanged += 1
            continue
        index[span] = changed[held.id] = replace(merged, modified=stamp)
    return rest, list(changed.values()), unchanged


_YOUTUBE_HOST = re.compile(r"(^|\.)(youtube\.com|youtube-nocookie\.com|youtu\.be)$", re.I)
_VIDEO_ID = re.compile(r"[\w-]{6,20}")


def youtube_video_id(url: str) -> str | None:
    """`https://www.youtube.com/watch?v=ID`, `https://youtu.be/ID`, `/embed/ID`,
    `/shorts/ID`, `/live/ID` → ID; None for anything else."""
    from urllib.parse import parse_qs, urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not _YOUTUBE_HOST.search(parts.hostname or ""):
        return None
    if (parts.hostname or "").lower().endswith("youtu.be"):
        candidate = parts.path.strip("/").split("/")[0]
    elif parts.path.rstrip("/") == "/watch":
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    else:
        bits = parts.path.strip("/").split("/")
        candidate = bits[1] if len(bits) > 1 and bits[0] in ("embed", "shorts", "live", "v") \
            else ""
    return candidate if _VIDEO_ID.fullmatch(candidate) else None


def is_web_url(value: str) -> bool:
    return bool(re.match(r"^https?://", value, re.I))
