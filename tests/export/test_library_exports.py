"""Every export format through the Library facade, on a real store: the path the CLI
and File → Export take."""

from __future__ import annotations

import csv
import io
import json

import pytest

pytest.importorskip("aiviewer.ingest.labelled")

from aiviewer.export import qdpx, w3c  # noqa: E402
from aiviewer.library import Library  # noqa: E402

TRANSCRIPT = """# A talk about RL

Nathan Lambert: The interesting thing about GRPO is that it drops the value model entirely.
Ross Taylor: Yes, and the group baseline does the work the critic used to do.
Nathan Lambert: And DPO is a <script>different</script> story, no reward model at all.
Ross Taylor: Right, DPO optimises preferences directly.
"""


@pytest.fixture
def lib(tmp_path):
    src = tmp_path / "talk.md"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    library = Library(tmp_path / "lib")
    assert not library.import_paths([src]).value.failed
    [e] = library.episodes()
    ep = library.episode(e.id)
    at = ep.text.index("drops the value model")
    library.annotate(ep.id, at, at + 21, note_md="*key* <b>point</b>",
                     tags=["method/RL/GRPO", "open"])
    at = ep.text.index("group baseline")
    library.annotate(ep.id, at, at + 14, tags=["method/RL/GRPO"])
    yield library
    library.close()


def test_text_formats(lib):
    md = lib.export_annotations("markdown")
    assert "drops the value model" in md and "<b>" not in md and "<script>" not in md
    rows = list(csv.DictReader(io.StringIO(lib.export_annotations("csv"))))
    assert {r["quote"] for r in rows} == {"drops the value model", "group baseline"}
    assert {r["speaker"] for r in rows} == {"Nathan Lambert", "Ross Taylor"}
    page = lib.export_annotations("html")
    assert "<script>" not in page and "<em>key</em>" in page
    assert "Nathan Lambert" in page and "A talk about RL" in page
    doc = json.loads(lib.export_annotations("w3c"))
    assert doc["total"] == 2


def test_w3c_round_trip_through_the_store(lib):
    carried = ("id", "episode_id", "exact", "prefix", "suffix", "start", "end", "note_md",
               "tags", "created", "modified", "colour", "status")
    original = lib.annotations()
    back = w3c.read(lib.export_annotations("w3c"))
    key = lambda a: a.id  # noqa: E731
    assert [tuple(getattr(a, k) for k in carried) for a in sorted(back, key=key)] == \
        [tuple(getattr(a, k) for k in carried) for a in sorted(original, key=key)]


def test_qdpx_file(lib, tmp_path):
    out = tmp_path / "ann.qdpx"
    lib.export_annotations("qdpx", out)
    tags, anns = qdpx.read(out)
    assert {a.exact for a in anns} == {"drops the value model", "group baseline"}
    assert {a.id for a in anns} == {a.id for a in lib.annotations()}
    assert {t.name for t in tags} == {"method/RL/GRPO", "open"}
    ep = lib.episodes()[0]
    assert {a.episode_id for a in anns} == {ep.id}
