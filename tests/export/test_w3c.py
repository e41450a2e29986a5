from __future__ import annotations

import json
from dataclasses import replace

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.export import w3c

CARRIED = ("id", "episode_id", "exact", "prefix", "suffix", "start", "end", "note_md", "tags",
           "created", "modified", "colour", "status")


def _carried(a):
    return {k: getattr(a, k) for k in CARRIED}


def test_round_trip_is_lossless(annotations, tags):
    back = w3c.read(w3c.render(annotations, tags))
    assert [_carried(a) for a in back] == [_carried(a) for a in annotations]


def test_round_trip_of_empty_and_unusual_values():
    from aiviewer.model import Annotation
    odd = [Annotation(id="x", episode_id="ep with spaces/ü", exact="", prefix="\n", suffix="\t",
                      start=0, end=0, note_md="   ", tags=("a/b/c", "ünï"), colour=None)]
    assert [_carried(a) for a in w3c.read(w3c.render(odd))] == [_carried(a) for a in odd]


def test_shape_follows_the_web_annotation_model(annotations, tags):
    doc = json.loads(w3c.render(annotations, tags))
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 4
    page = doc["first"]
    assert page["type"] == "AnnotationPage"
    item = page["items"][0]
    assert item["id"] == "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"
    # the episode named by its URL, our urn kept beside it
    assert item["target"]["source"] == "https://www.youtube.com/watch?v=abc123"
    assert item["target"]["aiviewer:episode"] == "urn:aiviewer:episode:yt-abc123"
    assert page["items"][2]["target"]["source"] == "urn:aiviewer:episode:u-7f00%3Aodd%2Fid"
    kinds = [s["type"] for s in item["target"]["selector"]]
    assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
    purposes = [(b["purpose"], b["value"]) for b in item["body"]]
    assert purposes[0][0] == "commenting" and item["body"][0]["format"] == "text/markdown"
    assert ("tagging", "method/RL/GRPO") in purposes
    assert item["body"][1]["aiviewer:colour"] == "#e69f00"
    orphan = page["items"][3]
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    extra = {k for it in page["items"] for k in it if ":" in k}
    assert extra <= {"aiviewer:colour", "aiviewer:status"}


def test_tags_come_back_with_colours(annotations, tags):
    back_tags, _ = w3c.read_all(w3c.render(annotations, tags))
    assert {t.name: t.colour for t in back_tags}["method/RL/PPO"] == "#56b4e9"


def test_base_uri_and_foreign_sources(annotations):
    a = replace(annotations[0], url=None, episode_id="ep-1")
    text = w3c.render([a], base_uri="https://ex.org/ep/")
    assert json.loads(text)["first"]["items"][0]["target"]["source"] == "https://ex.org/ep/ep-1"
    assert w3c.read(text)[0].episode_id == "https://ex.org/ep/ep-1"
    assert w3c.read(text, base_uri="https://ex.org/ep/")[0].episode_id == "ep-1"


def test_reads_another_tools_single_annotation():
    doc = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://ex.org/anno/1",
           "type": "Annotation", "body": {"type": "TextualBody", "value": "nice"},
           "target": {"source": "http://ex.org/page",
                      "selector": {"type": "TextQuoteSelector", "exact": "hello"}}}
    (a,) = w3c.read(json.dumps(doc))
    assert (a.id, a.episode_id, a.exact, a.note_md, a.start) == \
        ("http://ex.org/anno/1", "http://ex.org/page", "hello", "nice", None)


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ("42", "expected a W3C AnnotationCollection"),
    ('{"type": "AnnotationCollection", "first": "http://ex.org/page1"}', "not embedded"),
    ('[{"id": "a", "target": {"source": "s", "selector": '
     '{"type": "TextPositionSelector", "start": 5, "end": 2}}}]', "annotation 1"),
    ('[{"id": "a", "target": {"source": "s"}}]', "neither a TextQuoteSelector"),
    ('[{"id": "a", "target": {"source": "s", "selector": '
     '{"type": "TextQuoteSelector", "exact": 5}}}]', "should be text"),
])
def test_bad_files_fail_with_a_reason(text, message):
    with pytest.raises(ImportFailed, match=message) as info:
        w3c.read(text, name="mine.json")
    assert info.value.file == "mine.json"


@pytest.mark.parametrize("depth", [201, 1000, 100_000])
def test_deep_nesting_is_refused_without_recursion(depth):
    with pytest.raises(ImportFailed, match="nested"):
        w3c.read("[" * depth + "]" * depth)


def test_brackets_inside_strings_do_not_count(annotations):
    deep_text = replace(annotations[0], note_md="[" * 5000 + '"\\"{')
    assert w3c.read(w3c.render([deep_text]))[0].note_md == deep_text.note_md


def test_over_100_mb_is_refused():
    with pytest.raises(ImportFailed, match="100 MB"):
        w3c.read(b" " * (100 * 1024 * 1024 + 1))


def test_not_utf8_is_refused():
    with pytest.raises(ImportFailed, match="UTF-8"):
        w3c.read(b"\xff\xfe{")


def _is_iri(value) -> bool:
    import re
    return isinstance(value, str) and re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:\S+", value) is not None


def test_collection_and_page_meet_the_models_musts(annotations, tags):
    """§5.1 / §5.2 of the Web Annotation Data Model, as the W3C's own test suite
    (web-platform-tests annotation-model/collections) checks them."""
    doc = json.loads(w3c.render(annotations, tags))
    ctx = doc["@context"]
    assert ctx == "http://www.w3.org/ns/anno.jsonld" or "http://www.w3.org/ns/anno.jsonld" in ctx
    assert _is_iri(doc["id"])  # MUST: one id, an IRI
    assert doc["type"] == "AnnotationCollection"  # MUST
    assert isinstance(doc["label"], str)
    assert isinstance(doc["total"], int) and doc["total"] >= 0
    page = doc["first"]
    assert _is_iri(doc["last"]) and doc["last"] == page["id"]
    assert _is_iri(page["id"]) and page["id"] != doc["id"]  # MUST: the page's own IRI
    assert page["type"] == "AnnotationPage"  # MUST
    assert isinstance(page["items"], list) and page["items"]  # MUST
    assert page["partOf"] == doc["id"]
    assert isinstance(page["startIndex"], int) and page["startIndex"] >= 0
    assert "next" not in page and "prev" not in page  # one page
    for item in page["items"]:
        assert _is_iri(item["id"]) and item["type"] == "Annotation" and item["target"]
        assert _is_iri(item["target"]["source"])
    # the same annotations give the same ids
    assert json.loads(w3c.render(list(reversed(annotations)), tags))["id"] == doc["id"]


def test_another_tools_annotation_keeps_its_id_and_body_value(annotations):
    doc = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage",
           "items": [{"id": "https://hypothes.is/a/Xy12", "type": "Annotation",
                      "bodyValue": "a plain comment",
                      "target": {"source": "https://www.youtube.com/watch?v=abc123",
                                 "selector": {"type": "TextQuoteSelector",
                                              "exact": "we use GRPO here"}}}]}
    (a,) = w3c.read(json.dumps(doc))
    assert (a.id, a.note_md, a.episode_id) == ("https://hypothes.is/a/Xy12", "a plain comment",
                                               "https://www.youtube.com/watch?v=abc123")
    again = json.loads(w3c.render([replace(a, episode_id="yt-abc123")]))
    assert again["first"]["items"][0]["id"] == "https://hypothes.is/a/Xy12"  # not rewritten
    assert w3c.read(json.dumps(again))[0].id == "https://hypothes.is/a/Xy12"
