"""Property tests for the annotation readers: random bytes, random text and mutated
exports end in annotations or our ImportFailed — never another exception — and
any annotation survives a W3C round trip, and any placed one a QDPX round trip."""

from __future__ import annotations

import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiviewer.errors import ImportFailed
from aiviewer.export import qdpx, w3c
from aiviewer.model import Annotation

SETTINGS = settings(max_examples=150, deadline=2000,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

_text = st.text(st.characters(codec="utf-8"), max_size=60)
_stamp = st.sampled_from(["", "2026-11-23T09:27:44+00:00", "2025-01-01T00:00:00Z"])
_id = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_:/. ü", min_size=1, max_size=30)
# tags as the store keeps them: parts without surrounding blanks or control characters
_part = st.text(st.characters(codec="utf-8", exclude_characters="/",
                              exclude_categories=["Cc", "Cs", "Zs", "Zl", "Zp"]), min_size=1,
                max_size=8)
_tag = st.lists(_part, min_size=1, max_size=3).map("/".join)
_any_tag = st.lists(st.text(st.characters(codec="utf-8", exclude_characters="/"), min_size=1,
                        max_size=8), min_size=1, max_size=3).map("/".join)


@st.composite
def annotations(draw) -> Annotation:
    start = draw(st.none() | st.integers(0, 10_000))
    end = None if start is None else start + draw(st.integers(0, 500))
    return Annotation(
        id=draw(st.uuids().map(str) | _text.filter(bool)), episode_id=draw(_text.filter(bool)),
        exact=draw(_text), prefix=draw(_text), suffix=draw(_text), start=start, end=end,
        note_md=draw(_text), tags=tuple(draw(st.lists(_any_tag, max_size=4, unique=True))),
        colour=draw(st.none() | st.sampled_from(["#ff0000", "#abc"])),
        created=draw(_stamp), modified=draw(_stamp),
        status=draw(st.sampled_from(["anchored", "fuzzy", "orphaned"])))


CARRIED = ("id", "episode_id", "exact", "prefix", "suffix", "start", "end", "note_md", "tags",
           "created", "modified", "colour", "status")


@SETTINGS
@given(st.lists(annotations(), max_size=5))
def test_w3c_round_trip_of_any_annotation(anns):
    back = w3c.read(w3c.render(anns))
    assert [[getattr(a, k) for k in CARRIED] for a in back] == \
        [[getattr(a, k) for k in CARRIED] for a in anns]


def _read_or_refuse(data):
    try:
        out = w3c.read(data, name="x.json")
    except ImportFailed as e:
        assert e.file == "x.json" and e.reason
        return None
    assert all(isinstance(a, Annotation) for a in out)
    return out


@SETTINGS
@given(st.binary(max_size=400))
def test_w3c_random_bytes(data):
    _read_or_refuse(data)


@SETTINGS
@given(st.recursive(st.none() | st.booleans() | st.integers() | _text,
                    lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(st.sampled_from(
                        ["id", "type", "target", "source", "selector", "exact", "start", "end",
                         "body", "purpose", "value", "items", "first", "next", "created",
                         "aiviewer:colour", "aiviewer:status"]), kids, max_size=5),
                    max_leaves=30))
def test_w3c_random_json_structures(doc):
    _read_or_refuse(json.dumps(doc))


@SETTINGS
@given(st.lists(annotations(), min_size=1, max_size=3), st.data())
def test_w3c_mutated_exports(anns, data):
    text = w3c.render(anns)
    at = data.draw(st.integers(0, len(text) - 1))
    cut = data.draw(st.integers(0, 20))
    insert = data.draw(st.sampled_from(["", "[", "{", '"', "null", "-1", "\\", "}", "]]"]))
    _read_or_refuse(text[:at] + insert + text[at + cut:])


@SETTINGS
@given(st.binary(max_size=400))
def test_qdpx_random_bytes(tmp_path, data):
    path = tmp_path / "r.qdpx"
    path.write_bytes(data)
    with pytest.raises(ImportFailed):
        qdpx.read(path)


@SETTINGS
@given(st.binary(max_size=300), st.booleans())
def test_qdpx_random_project_qde(tmp_path, data, with_header):
    path = tmp_path / "q.qdpx"
    body = (b'<Project xmlns="urn:QDA-XML:project:1.0" name="x">' + data) if with_header \
        else data
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", body)
    try:
        qdpx.read(path)
    except ImportFailed:
        pass


@SETTINGS
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=200), st.data())
def test_qdpx_round_trip_of_placed_annotations(tmp_path, text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    a = data.draw(annotations())
    a = Annotation(id=str(data.draw(st.uuids())), episode_id=data.draw(_id),
                   exact=text[start:end], start=start, end=end, note_md=a.note_md,
                   tags=tuple(data.draw(st.lists(_tag, max_size=4, unique=True))),
                   created="2026-11-23T09:27:44+00:00", modified="2026-11-23T09:30:00+00:00")
    path = tmp_path / "rt.qdpx"
    qdpx.write(path, [a], [], {a.episode_id: ("title", text)})
    (b,) = qdpx.read(path)[1]
    assert (b.id, b.episode_id, b.exact, b.start, b.end, set(b.tags)) == \
        (a.id, a.episode_id, a.exact, a.start, a.end, set(a.tags))
    # XML cannot carry control characters or a bare \r; everything else in a note survives
    if not any(c in a.note_md for c in "\r\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
               "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"):
        assert b.note_md == a.note_md
