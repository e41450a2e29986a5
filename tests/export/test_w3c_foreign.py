"""W3C annotations from another tool, which names the episode by its web address,
imported into the library: placed on the local episode, note from `bodyValue`,
their ids kept through a re-export."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("aiviewer.ingest.labelled")

from aiviewer.export import annotation_import, w3c  # noqa: E402
from aiviewer.library import Library  # noqa: E402

TRANSCRIPT = """---
title: A talk about RL
url: https://example.org/podcast/rl-talk/
---

Nathan Lambert: The interesting thing about GRPO is that it drops the value model entirely.
Ross Taylor: Yes, and the group baseline does the work the critic used to do.
"""


@pytest.fixture
def lib(tmp_path):
    src = tmp_path / "talk.md"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    library = Library(tmp_path / "lib")
    assert not library.import_paths([src]).value.failed
    yield library
    library.close()


def test_annotations_targeting_the_episode_url_are_placed(lib, tmp_path):
    [ep] = lib.episodes()
    assert ep.url
    doc = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage",
           "items": [{"id": "https://hypothes.is/a/Xy12", "type": "Annotation",
                      "created": "2026-12-01T10:00:00Z", "bodyValue": "the key claim",
                      "target": {"source": "https://www.example.org/podcast/rl-talk",
                                 "selector": [{"type": "TextQuoteSelector",
                                               "exact": "drops the value model",
                                               "prefix": "GRPO is that it "}]}}]}
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = lib.import_annotations(path).value
    assert (result.added, result.orphaned) == (1, 0)
    [a] = lib.annotations()
    assert (a.id, a.episode_id, a.exact, a.note_md, a.status) == (
        "https://hypothes.is/a/Xy12", ep.id, "drops the value model", "the key claim",
        "anchored")
    out = json.loads(lib.export_annotations("w3c"))
    item = out["first"]["items"][0]
    assert item["id"] == "https://hypothes.is/a/Xy12"  # the foreign id, not rewritten
    assert item["target"]["source"] == ep.url
    # and our export of it comes back to the same annotation
    path.write_text(json.dumps(out), encoding="utf-8")
    again = lib.import_annotations(path).value
    assert (again.added, again.updated) == (0, 0) and len(lib.annotations()) == 1


@pytest.mark.parametrize(("url", "video"), [
    ("https://www.youtube.com/watch?v=EV7WhVT270Q&t=12s", "EV7WhVT270Q"),
    ("https://youtu.be/EV7WhVT270Q?t=3", "EV7WhVT270Q"),
    ("https://m.youtube.com/shorts/EV7WhVT270Q", "EV7WhVT270Q"),
    ("https://example.org/watch?v=EV7WhVT270Q", None),
    ("https://www.youtube.com/watch?v=<script>", None),
])
def test_youtube_video_ids(url, video):
    assert annotation_import.youtube_video_id(url) == video


def test_w3c_reads_back_our_urn_beside_the_url():
    from aiviewer.model import Annotation
    a = Annotation(id="x", episode_id="yt-EV7WhVT270Q", exact="q", start=0, end=1)
    [back] = w3c.read(w3c.render([a]))
    assert back.episode_id == "yt-EV7WhVT270Q"
